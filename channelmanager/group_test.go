package channelmanager_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

// exampleGroup decodes the reference's processGroup request (contacts use "telephone",
// the documented field; the "phone" spelling is tested separately).
func exampleGroup(t *testing.T) (*channelmanager.Group, []byte) {
	t.Helper()
	raw := chmtest.Read(t, "cm_processgroup_request.json")
	var g channelmanager.Group
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return &g, raw
}

func TestProcessGroupSendsTheReferenceExampleToThePushURL(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, raw := exampleGroup(t)

	id, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g})
	if err != nil {
		t.Fatal(err)
	}
	if id != "MyWeddingMessage789456123" {
		t.Errorf("messageId = %q", id)
	}
	sent := chmtest.Bodies(srv, "processGroup") // mewstest serves the push URL of CustomEnvironment
	if len(sent) != 1 {
		t.Fatalf("%d processGroup requests", len(sent))
	}
	// Byte-exact amounts and the revealed card number and CVV are part of the comparison.
	chmtest.AssertSameJSON(t, raw, sent[0], chmtest.TokenFields...)
}

func TestProcessGroupIsStoredByChannelManagerID(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	stored, ok := srv.Group("123456")
	if !ok {
		t.Fatal("group 123456 not stored")
	}
	got := []string{stored.ChannelID, stored.Reservations[0].Code, fmt.Sprint(stored.Reservations[0].Canceled), stored.Reservations[1].Code, fmt.Sprint(stored.Reservations[1].Canceled)}
	if d := cmp.Diff([]string{"EXP-123456", "01", "false", "03", "true"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var back channelmanager.Group
	if err := json.Unmarshal(stored.Body, &back); err != nil || back.PaymentCard.Number.Last4() != "1111" {
		t.Errorf("stored body does not decode: %v", err)
	}
}

func TestProcessGroupGeneratesAUniqueMessageIDWhenEmpty(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	g.MessageID = ""
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 3 {
		id, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g})
		if err != nil {
			t.Fatal(err)
		}
		if !uuid.MatchString(id) || seen[id] {
			t.Errorf("messageId %q is not a fresh UUID", id)
		}
		seen[id] = true
	}
	if g.MessageID != "" {
		t.Errorf("the caller's group was modified: %q", g.MessageID)
	}
	var sent struct {
		MessageID string `json:"messageId"`
	}
	bodies := chmtest.Bodies(srv, "processGroup")
	if err := json.Unmarshal(bodies[len(bodies)-1], &sent); err != nil || !seen[sent.MessageID] {
		t.Errorf("sent messageId %q is not the returned one", sent.MessageID)
	}
}

func TestProcessGroupValidatesBeforeSending(t *testing.T) {
	tests := []struct {
		name  string
		field string
		edit  func(g *channelmanager.Group)
	}{
		{"no channelId", "channelId", func(g *channelmanager.Group) { g.ChannelID = "" }},
		{"no channelManagerId", "channelManagerId", func(g *channelmanager.Group) { g.ChannelManagerID = " " }},
		{"forgotten reservations", "reservations", func(g *channelmanager.Group) { g.Reservations = nil }},
		{"no currency", "currencyCode", func(g *channelmanager.Group) { g.CurrencyCode = "" }},
		{"no total", "totalAmount", func(g *channelmanager.Group) { g.TotalAmount = nil }},
		{"no payment type", "paymentType", func(g *channelmanager.Group) { g.PaymentType = 0 }},
		{"no customer", "customer.lastName", func(g *channelmanager.Group) { g.Customer = nil }},
		{"customer without last name", "customer.lastName", func(g *channelmanager.Group) { g.Customer.LastName = "" }},
		{"no code", "reservations[0].code", func(g *channelmanager.Group) { g.Reservations[0].Code = "" }},
		{"underscore code", "reservations[0].code", func(g *channelmanager.Group) { g.Reservations[0].Code = "_" }},
		{"duplicate code", "reservations[1].code", func(g *channelmanager.Group) { g.Reservations[1].Code = "01" }},
		{"departure before arrival", "reservations[0].to", func(g *channelmanager.Group) { g.Reservations[0].To = g.Reservations[0].From }},
		{"missing dates", "reservations[0].from/to", func(g *channelmanager.Group) { g.Reservations[0].From = mews.Date{} }},
		{"no space type", "reservations[0].spaceTypeCode", func(g *channelmanager.Group) { g.Reservations[0].SpaceTypeCode = "" }},
		{"no rate plan", "reservations[0].ratePlanCode", func(g *channelmanager.Group) { g.Reservations[0].RatePlanCode = "" }},
		{"no guests", "reservations[0].guestCounts", func(g *channelmanager.Group) { g.Reservations[0].GuestCounts = nil }},
		{"zero guests", "reservations[0].guestCounts", func(g *channelmanager.Group) { g.Reservations[0].GuestCounts[0].Count = 0 }},
		{"guest count without code", "reservations[0].guestCounts[0]", func(g *channelmanager.Group) { g.Reservations[0].GuestCounts[0].Code = "" }},
		{"amount per night", "reservations[0].amounts", func(g *channelmanager.Group) { g.Reservations[0].Amounts = g.Reservations[0].Amounts[:1] }},
		{"negative night", "reservations[0].amounts[1]", func(g *channelmanager.Group) {
			g.Reservations[0].Amounts[1] = channelmanager.GrossCharge(mews.AmountFromInt(-1))
		}},
		{"extra on one date", "reservations[0].extras[0]", func(g *channelmanager.Group) { g.Reservations[0].Extras[0].To = g.Reservations[0].Extras[0].From }},
		{"extra without code", "reservations[0].extras[0].code", func(g *channelmanager.Group) { g.Reservations[0].Extras[0].Code = "" }},
		{"extra without amount", "reservations[0].extras[0].amount", func(g *channelmanager.Group) { g.Reservations[0].Extras[0].Amount = channelmanager.Charge{} }},
		{"extra without pricing", "reservations[0].extras[0].pricing", func(g *channelmanager.Group) { g.Reservations[0].Extras[0].Pricing = 0 }},
		{"source without name", "sources[1].name", func(g *channelmanager.Group) { g.Sources[1].Name = "" }},
		{"two primary sources", "sources", func(g *channelmanager.Group) { g.Sources[1].IsPrimary = true }},
		{"card cvv 000", "paymentCard", func(g *channelmanager.Group) { g.PaymentCard.CVV = channelmanager.NewCardSecret("000") }},
		{"card type", "paymentCard", func(g *channelmanager.Group) { g.PaymentCard.Type = 14 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
			g, _ := exampleGroup(t)
			tt.edit(g)
			_, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g})
			var in *mews.InputError
			if !errors.As(err, &in) || !errors.Is(err, mews.ErrInvalidInput) || in.Field != tt.field {
				t.Fatalf("err = %v, want an InputError on %s", err, tt.field)
			}
			if n := len(srv.RequestsFor("processGroup")); n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
}

func TestProcessGroupOnlyNeedsIdentityToCancel(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: channelmanager.CancelGroup("EXP-123456", "123456")}); err != nil {
		t.Fatal(err)
	}
	bodies := chmtest.Bodies(srv, "processGroup")
	chmtest.AssertSameJSON(t, []byte(`{"channelId":"EXP-123456","channelManagerId":"123456","reservations":[]}`), bodies[1], append(chmtest.TokenFields, "messageId")...)
	if stored, _ := srv.Group("123456"); !stored.Canceled || stored.Messages != 2 {
		t.Errorf("stored group = %+v, want canceled after 2 messages", stored)
	}
}

func TestCancelReservationsCancelsPartOfAGroup(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	g.Reservations[1].State = channelmanager.StateCreated
	g.Reservations[1].Amounts = nil
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	if err := g.CancelReservations("03"); err != nil {
		t.Fatal(err)
	}
	if len(g.Reservations) != 2 || g.Reservations[0].IsCanceled() || !g.Reservations[1].IsCanceled() {
		t.Fatalf("reservations = %+v", g.Reservations)
	}
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Group("123456")
	if stored.Canceled || stored.Reservations[0].Canceled || !stored.Reservations[1].Canceled {
		t.Errorf("stored = %+v", stored.Reservations)
	}
	if err := g.CancelReservations("01", "nope"); !errors.Is(err, mews.ErrInvalidInput) || g.Reservations[0].IsCanceled() {
		t.Errorf("unknown code: err = %v, first reservation canceled = %v", err, g.Reservations[0].IsCanceled())
	}
	g.CancelAll()
	if !g.Cancels() {
		t.Error("CancelAll left a live reservation")
	}
}

func TestLeavingAReservationOutCancelsItInMewstest(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	g.Reservations[1].State = 0
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	first, _ := srv.Group("123456")
	g.Reservations = g.Reservations[:1]
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
		t.Fatal(err)
	}
	stored, _ := srv.Group("123456")
	if len(stored.Reservations) != 2 || !stored.Reservations[1].Canceled || stored.Reservations[0].ConfirmationNumber != first.Reservations[0].ConfirmationNumber {
		t.Errorf("stored = %+v", stored.Reservations)
	}
}

func TestProcessGroupRefusesMoreThan100ReservationsUnlessAllowed(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	g, _ := exampleGroup(t)
	base := g.Reservations[0]
	g.Reservations = nil
	total := channelmanager.Charge{}
	for i := range channelmanager.MaxGroupReservations + 1 {
		r := base
		r.Code = fmt.Sprintf("%03d", i)
		g.Reservations = append(g.Reservations, r)
		total = channelmanager.GrossCharge(mews.AmountFromInt(240 * int64(i+1)))
	}
	g.TotalAmount = &total
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); !errors.Is(err, mews.ErrInvalidInput) || !strings.Contains(err.Error(), "AllowLargeGroup") {
		t.Errorf("err = %v, want an InputError naming AllowLargeGroup", err)
	}
	if n := len(srv.RequestsFor("processGroup")); n != 0 {
		t.Fatalf("%d requests were sent", n)
	}
	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g, AllowLargeGroup: true}); err != nil {
		t.Errorf("with AllowLargeGroup: %v", err)
	}
	if stored, _ := srv.Group("123456"); len(stored.Reservations) != 101 {
		t.Errorf("stored %d reservations", len(stored.Reservations))
	}
}

func TestProcessGroupErrorsFromMewsReachCallersAsSentinels(t *testing.T) {
	t.Run("deactivated connection", func(t *testing.T) {
		_, cm := chmtest.NewChannelManager(t, mewstest.DeactivatedConnectionToken)
		g, _ := exampleGroup(t)
		if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); !errors.Is(err, mews.ErrConnectionNotFound) {
			t.Errorf("err = %v, want ErrConnectionNotFound", err)
		}
	})
	t.Run("unknown space type is a processing error", func(t *testing.T) {
		_, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		g, _ := exampleGroup(t)
		g.Reservations[0].SpaceTypeCode = "ST"
		_, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g})
		if !errors.Is(err, mews.ErrProcessing) || !strings.Contains(err.Error(), "'ST'") {
			t.Errorf("err = %v, want ErrProcessing naming ST", err)
		}
	})
	t.Run("operation disabled", func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		srv.HandleChannelManager("processGroup", func(*mewstest.Request) (any, error) {
			return nil, mewstest.ChannelManagerError(mews.CodeRateError, "Receiving reservations is disabled.")
		})
		g, _ := exampleGroup(t)
		if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); !errors.Is(err, mews.ErrOperationDisabled) {
			t.Errorf("err = %v, want ErrOperationDisabled", err)
		}
	})
}

func TestMewstestValidatesGroupsLikeMews(t *testing.T) {
	// Bypass the SDK's own validation to check the fake's codes 6 and 7.
	tests := []struct {
		name string
		body string
		want error
	}{
		{"missing channelManagerId", `{"messageId":"m","channelId":"c","reservations":[]}`, mews.ErrValidation},
		{"missing customer", `{"messageId":"m","channelId":"c","channelManagerId":"g","currencyCode":"EUR","totalAmount":{"gross":1},"paymentType":1,
			"reservations":[{"code":"1","from":"2020-01-01","to":"2020-01-02","spaceTypeCode":"SGL","ratePlanCode":"FF","guestCounts":[{"code":"Adult","count":1}]}]}`, mews.ErrValidation},
		{"start after end", `{"messageId":"m","channelId":"c","channelManagerId":"g","currencyCode":"EUR","totalAmount":{"gross":1},"paymentType":1,"customer":{"lastName":"S"},
			"reservations":[{"code":"1","from":"2020-01-03","to":"2020-01-02","spaceTypeCode":"SGL","ratePlanCode":"FF","guestCounts":[{"code":"Adult","count":1}]}]}`, mews.ErrProcessing},
		{"negative night", `{"messageId":"m","channelId":"c","channelManagerId":"g","currencyCode":"EUR","totalAmount":{"gross":1},"paymentType":1,"customer":{"lastName":"S"},
			"reservations":[{"code":"1","from":"2020-01-01","to":"2020-01-02","spaceTypeCode":"SGL","ratePlanCode":"FF","guestCounts":[{"code":"Adult","count":1}],"amounts":[{"gross":-5}]}]}`, mews.ErrProcessing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
			err := cm.CallChannelManager(context.Background(), mews.Operation{Name: "processGroup", Safety: mews.IdempotentWrite}, json.RawMessage(tt.body), nil)
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			if len(srv.Groups()) != 0 {
				t.Error("an invalid group was stored")
			}
		})
	}
}

func TestPaymentCardIsRedactedEverywhereButTheWire(t *testing.T) {
	g, _ := exampleGroup(t)
	number, cvv := g.PaymentCard.Number.Reveal(), g.PaymentCard.CVV.Reveal()
	var logs bytes.Buffer
	// The record's time is dropped: its digits could spell the three-digit CVV.
	slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{ReplaceAttr: leakscan.DropTime})).
		Info("group", "card", g.PaymentCard, "number", g.PaymentCard.Number, "cvv", g.PaymentCard.CVV)
	marshalled, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", g.PaymentCard),
		"%+v":  fmt.Sprintf("%+v", *g.PaymentCard),
		"%#v":  fmt.Sprintf("%#v", *g.PaymentCard),
		"%s":   fmt.Sprintf("%s %q %x", g.PaymentCard.Number, g.PaymentCard.Number, g.PaymentCard.CVV),
		"slog": logs.String(),
		"json": string(marshalled),
	}
	for name, out := range outputs {
		leakscan.Check(t, name, out, number, cvv)
	}
	if !strings.Contains(outputs["%v"], "…1111") {
		t.Errorf("the redacted number should keep the last four digits: %s", outputs["%v"])
	}
	wire, err := g.PaymentCard.MarshalRevealedJSON()
	if err != nil || !strings.Contains(string(wire), `"number":"4111111111111111"`) || !strings.Contains(string(wire), `"cvv":"666"`) {
		t.Errorf("revealed = %s, %v", wire, err)
	}
	if found := leakscan.Find(string(wire), number, cvv); len(found) != 2 {
		t.Errorf("the scan finds %v of the card's two secrets on the wire, want both: it could not fail", found)
	}
}

func TestPaymentCardValidateNamesTheProblemWithoutTheNumber(t *testing.T) {
	g, _ := exampleGroup(t)
	if err := g.PaymentCard.Validate(); err != nil {
		t.Fatalf("the reference card: %v", err)
	}
	for name, edit := range map[string]func(c *channelmanager.PaymentCard){
		"number": func(c *channelmanager.PaymentCard) { c.Number = channelmanager.CardNumber{} },
		"expire": func(c *channelmanager.PaymentCard) { c.ExpireDate = channelmanager.CardExpiry{} },
		"type":   func(c *channelmanager.PaymentCard) { c.Type = 0 },
		"cvv":    func(c *channelmanager.PaymentCard) { c.CVV = channelmanager.NewCardSecret("000") },
	} {
		card := *g.PaymentCard
		edit(&card)
		err := card.Validate()
		if err == nil || !strings.Contains(err.Error(), name) || strings.Contains(err.Error(), "4111111111111111") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCardNumberAndExpiryParsing(t *testing.T) {
	n, err := channelmanager.NewCardNumber(" 4111 1111-1111 1111 ")
	if err != nil || n.Reveal() != "4111111111111111" {
		t.Errorf("NewCardNumber = %v, %v", n, err)
	}
	for _, bad := range []string{"", "4111", "4111x11111111111", "41111111111111111111"} {
		_, err := channelmanager.NewCardNumber(bad)
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("NewCardNumber(%q) = %v, want ErrInvalidInput", bad, err)
		}
		if bad != "" && err != nil {
			leakscan.Check(t, "the error of NewCardNumber", err.Error(), bad)
		}
	}
	e, err := channelmanager.ParseCardExpiry("0222")
	if err != nil || e.Month != 2 || e.Year != 2022 || e.String() != "0222" {
		t.Errorf("ParseCardExpiry = %+v, %v", e, err)
	}
	if slash, _ := channelmanager.ParseCardExpiry("08/21"); slash.String() != "0821" {
		t.Errorf("MM/yy = %v", slash)
	}
	for _, bad := range []string{"1322", "022", "ab22", "-122", "02222"} {
		if _, err := channelmanager.ParseCardExpiry(bad); err == nil {
			t.Errorf("ParseCardExpiry(%q) succeeded", bad)
		}
	}
	if e.ExpiredOn(mews.NewDate(2022, 2, 28)) || !e.ExpiredOn(mews.NewDate(2022, 3, 1)) {
		t.Error("ExpiredOn wrong")
	}
}

func TestGroupDecodersTolerateTheDocsInconsistencies(t *testing.T) {
	var g channelmanager.Group
	if err := json.Unmarshal(chmtest.Read(t, "cm_processgroup_phone_contacts.json"), &g); err != nil {
		t.Fatal(err)
	}
	got := []string{g.Company.Contact.Telephone, g.TravelAgency.Contact.Telephone, g.Customer.Telephone, g.Company.Contact.Address.Country}
	if d := cmp.Diff([]string{"+420 000 000 000", "+420 111", "+1 202", "Czech Republic"}, got); d != "" {
		t.Errorf("phone spellings (-want +got):\n%s", d)
	}
	var r channelmanager.Reservation
	if err := json.Unmarshal([]byte(`{"guestCounts":[{"code":10,"count":"2"}],"extras":[{"code":"B","pricing":"PerNight","amount":{"gross":"20.00"}}]}`), &r); err != nil {
		t.Fatal(err)
	}
	if r.GuestCounts[0] != (channelmanager.GuestCount{Code: "10", Count: 2}) || r.Extras[0].Pricing != channelmanager.PricingPerNight || r.Extras[0].Amount.Gross.String() != "20.00" {
		t.Errorf("reservation = %+v", r)
	}
	var c channelmanager.Customer
	if err := json.Unmarshal([]byte(`{"lastName":"S","title":"mister"}`), &c); err != nil || c.Title != channelmanager.TitleMister {
		t.Errorf("title = %q, %v", c.Title, err)
	}
}

func TestMewsPushedGroupRoundTrips(t *testing.T) {
	raw := chmtest.Read(t, "chm_processgroup_request.json")
	var g channelmanager.Group
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, raw, out, chmtest.TokenFields...)
	r := g.Reservations[1]
	if r.TimeState == nil || *r.TimeState != channelmanager.TimeStateOptional || r.Code != "" || g.Reservations[0].PaymentCardData.ExpireDate.String() != "0222" {
		t.Errorf("pushed reservation = %+v", r)
	}
}

func TestReservationsTotalSumsLiveReservations(t *testing.T) {
	g, _ := exampleGroup(t)
	total := g.ReservationsTotal()
	if total.String() != "gross 240 net 194.4" {
		t.Errorf("total = %s", total)
	}
	g.Reservations[1].State = channelmanager.StateCreated
	g.Reservations[1].TotalAmount = &channelmanager.Charge{Gross: ptr(mews.NewAmount(34000, 2))}
	if got := g.ReservationsTotal(); got.String() != "gross 580.00 net 194.4" {
		t.Errorf("total = %s", got)
	}
	if (channelmanager.Charge{}).String() != "no amount" || channelmanager.NetGrossCharge(mews.AmountFromInt(1), mews.AmountFromInt(2)).String() != "gross 2 net 1" {
		t.Error("Charge.String")
	}
}

func TestConfirmGroupSendsTheReferenceExample(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	raw := chmtest.Read(t, "cm_processgroupconfirmation_request.json")
	var c channelmanager.Confirmation
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	if err := channelmanager.ConfirmGroup(context.Background(), cm, c); err != nil {
		t.Fatal(err)
	}
	bodies := chmtest.Bodies(srv, "processGroupConfirmation")
	if len(bodies) != 1 {
		t.Fatalf("%d confirmations sent", len(bodies))
	}
	chmtest.AssertSameJSON(t, raw, bodies[0], chmtest.TokenFields...)
}

func TestConfirmGroupPostsToTheResponseURLOnlyOnThePlatform(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	srv.HandleChannelManager("customConfirmation", func(*mewstest.Request) (any, error) { return nil, nil })
	c := channelmanager.Confirmation{RelatedMessageID: "m1", Success: true, Code: "G1"}
	c.ResponseURL = srv.URL + "/api/channelManager/v1/customConfirmation"
	if err := channelmanager.ConfirmGroup(context.Background(), cm, c); err != nil {
		t.Fatal(err)
	}
	c.ResponseURL = "https://elsewhere.example/api/channelManager/v1/customConfirmation"
	if err := channelmanager.ConfirmGroup(context.Background(), cm, c); err != nil {
		t.Fatal(err)
	}
	if a, b := len(srv.RequestsFor("customConfirmation")), len(srv.RequestsFor("processGroupConfirmation")); a != 1 || b != 1 {
		t.Errorf("responseUrl got %d, default path %d; want 1 and 1", a, b)
	}
}

func TestConfirmGroupValidatesBeforeSending(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	failed := []mews.ErrorDetail{{Code: mews.CodeCategoryError, Message: "Unknown category", CategoryCode: "X"}}
	for _, c := range []channelmanager.Confirmation{
		{Success: true, Code: "G"},
		{RelatedMessageID: "m", Success: true},
		{RelatedMessageID: "m", Success: false},
		{RelatedMessageID: "m", Success: true, Code: "G", Errors: failed},
		{RelatedMessageID: "m", Success: true, Code: "G", Reservations: []channelmanager.ReservationConfirmation{{Code: "01"}}},
		{RelatedMessageID: "m", Errors: []mews.ErrorDetail{{Message: "no code"}}},
	} {
		if err := channelmanager.ConfirmGroup(context.Background(), cm, c); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("ConfirmGroup(%+v) = %v, want ErrInvalidInput", c, err)
		}
	}
	if n := len(srv.RequestsFor("processGroupConfirmation")); n != 0 {
		t.Errorf("%d confirmations sent", n)
	}
	if err := channelmanager.ConfirmGroup(context.Background(), cm, channelmanager.Confirmation{RelatedMessageID: "m", Errors: failed}); err != nil {
		t.Errorf("a failure confirmation: %v", err)
	}
}

func TestGroupConfirmationDecodesNumericCodeAndSingularError(t *testing.T) {
	var c channelmanager.Confirmation
	doc := `{"relatedMessageId":"m","success":"false","code":123,"error":{"code":"4","message":"There is no space type with mapping code 'ST'."}}`
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		t.Fatal(err)
	}
	want := channelmanager.Confirmation{RelatedMessageID: "m", Code: "123",
		Errors: []mews.ErrorDetail{{Code: mews.CodeSpaceNotFound, Message: "There is no space type with mapping code 'ST'."}}}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestEnumsHaveNames(t *testing.T) {
	got := []string{channelmanager.StateCanceled.String(), channelmanager.TimeStateNoShow.String(), channelmanager.PaymentOnSite.String(),
		channelmanager.PricingOncePerReservation.String(), channelmanager.CardChinaUnionPay.String(), channelmanager.SourceAgent.String(),
		channelmanager.CardType(0).String(), channelmanager.TimeState(9).String()}
	want := []string{"Canceled", "NoShow", "OnSite", "OncePerReservation", "ChinaUnionPay", "Agent", "CardType(0)", "TimeState(9)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func ptr[T any](v T) *T { return &v }

func TestProcessGroupIsRetriedAfterAnAmbiguousFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		srv.InjectFault(mewstest.Fault{Operation: "processGroup", ResetAfterProcessing: true})
		g, _ := exampleGroup(t)
		if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g}); err != nil {
			t.Fatalf("a full-state group push should be retried: %v", err)
		}
		stored, _ := srv.Group("123456")
		if stored.Messages != 2 || len(stored.Reservations) != 2 || stored.Reservations[1].Canceled != true {
			t.Errorf("after the retry Mews holds %+v; want the same state, delivered twice", stored)
		}
	})
}

func TestCardNumberAndExpiryDecodeNullAndEmptyAsZeroAndRefuseOtherJSON(t *testing.T) {
	type card struct {
		Number channelmanager.CardNumber `json:"number"`
		Expiry channelmanager.CardExpiry `json:"expiry"`
	}
	for _, tc := range []struct {
		body    string
		wantErr bool
	}{
		{`{"number": null, "expiry": null}`, false},
		{`{"number": "", "expiry": ""}`, false},
		{`{"number": 4111111111111111}`, true},
		{`{"expiry": 222}`, true},
		{`{"number": "4111"}`, true},
		{`{"expiry": "1322"}`, true},
	} {
		c := card{Number: mustCardNumber(t, "4111111111111111"), Expiry: channelmanager.CardExpiry{Month: 2, Year: 2022}}
		err := json.Unmarshal([]byte(tc.body), &c)
		switch {
		case tc.wantErr && err == nil:
			t.Errorf("%s decoded without error", tc.body)
		case tc.wantErr:
			leakscan.Check(t, tc.body+": the error", err.Error(), "4111111111111111", "4111")
		case !tc.wantErr && (err != nil || !c.Number.IsZero() || !c.Expiry.IsZero()):
			t.Errorf("%s: %v, number zero %v, expiry zero %v; want both zero", tc.body, err, c.Number.IsZero(), c.Expiry.IsZero())
		}
	}
}

func mustCardNumber(t *testing.T, digits string) channelmanager.CardNumber {
	t.Helper()
	n, err := channelmanager.NewCardNumber(digits)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestProcessGroupKeepsTheCardNumberOutOfErrorsEvenWhenEchoed(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		g, _ := exampleGroup(t)
		number := g.PaymentCard.Number.Reveal()
		srv.InjectFault(mewstest.Fault{Operation: "processGroup", Times: -1, Status: 200, Body: "<html>proxy refused card " + number + "</html>"})

		_, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g, AllowLargeGroup: true})
		if err == nil {
			t.Fatal("want the proxy's refusal")
		}
		if strings.Contains(err.Error(), number) || !strings.Contains(err.Error(), "proxy refused card [redacted]") {
			t.Errorf("err = %v, want the card number scrubbed from the echoed body", err)
		}
	})
}
