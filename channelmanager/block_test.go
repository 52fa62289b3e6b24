package channelmanager_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// exampleBlock decodes the reference's processAvailabilityBlock request (its space type
// code changed to one the fake knows).
func exampleBlock(t *testing.T) (*channelmanager.BlockMessage, []byte) {
	t.Helper()
	raw := chmtest.Read(t, "cm_processavailabilityblock_request.json")
	var m channelmanager.BlockMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return &m, raw
}

func TestProcessAvailabilityBlockSendsTheReferenceExample(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	m, raw := exampleBlock(t)
	id, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m)
	if err != nil {
		t.Fatal(err)
	}
	if id != "13620420" {
		t.Errorf("messageId = %q", id)
	}
	sent := chmtest.Bodies(srv, "processAvailabilityBlock")
	if len(sent) != 1 {
		t.Fatalf("%d requests", len(sent))
	}
	// The example's lowercase release type is sent in Mews' documented spelling.
	want := bytes.Replace(raw, []byte(`"type": "fixed"`), []byte(`"type": "Fixed"`), 1)
	chmtest.AssertSameJSON(t, want, sent[0], chmtest.TokenFields...)
	if !strings.Contains(string(sent[0]), `"number":"4111111111111111"`) {
		t.Error("the card did not go on the wire in clear")
	}
	if b, ok := srv.Block("33"); !ok || b.Status != "Created" || b.Name != "Smith wedding" {
		t.Errorf("stored block = %+v", b)
	}
}

func TestBlockCanBeUpdatedAndCanceledWithItsConfirmationNumber(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	m, _ := exampleBlock(t)
	m.AvailabilityBlock.ConfirmationNumber = ""
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
		t.Fatal(err)
	}
	created, _ := srv.Block("33")
	m.AvailabilityBlock.Status = channelmanager.BlockUpdated
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("update without confirmationNumber: %v", err)
	}
	m.AvailabilityBlock.ConfirmationNumber = created.ConfirmationNumber
	m.AvailabilityBlock.Name = "Smith & Jones wedding"
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
		t.Fatal(err)
	}
	m.AvailabilityBlock.Status = channelmanager.BlockCanceled
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
		t.Fatal(err)
	}
	b, _ := srv.Block("33")
	if b.Status != "Canceled" || b.Name != "Smith & Jones wedding" || b.Messages != 3 || b.ConfirmationNumber != created.ConfirmationNumber {
		t.Errorf("stored block = %+v", b)
	}
	m.AvailabilityBlock.ConfirmationNumber = "wrong"
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); !errors.Is(err, mews.ErrProcessing) {
		t.Errorf("wrong confirmation number: %v, want ErrProcessing", err)
	}
}

func TestProcessAvailabilityBlockGeneratesMessageIDs(t *testing.T) {
	_, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	m, _ := exampleBlock(t)
	m.MessageID = ""
	a, err1 := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m)
	b, err2 := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m)
	if err1 != nil || err2 != nil || a == "" || a == b || m.MessageID != "" {
		t.Errorf("ids %q %q (%v, %v), message id left %q", a, b, err1, err2, m.MessageID)
	}
}

func TestProcessAvailabilityBlockValidatesBeforeSending(t *testing.T) {
	tests := []struct {
		name, field string
		edit        func(b *channelmanager.AvailabilityBlock)
	}{
		{"no code", "availabilityBlock.code", func(b *channelmanager.AvailabilityBlock) { b.Code = "" }},
		{"CHM-side status", "availabilityBlock.status", func(b *channelmanager.AvailabilityBlock) { b.Status = channelmanager.BlockCreate }},
		{"update without number", "availabilityBlock.confirmationNumber", func(b *channelmanager.AvailabilityBlock) {
			b.Status, b.ConfirmationNumber = channelmanager.BlockCanceled, ""
		}},
		{"no name", "availabilityBlock.name", func(b *channelmanager.AvailabilityBlock) { b.Name = "" }},
		{"backwards dates", "availabilityBlock.dates", func(b *channelmanager.AvailabilityBlock) { b.Dates.End = b.Dates.Start }},
		{"no original rate", "availabilityBlock.originalRateCode", func(b *channelmanager.AvailabilityBlock) { b.OriginalRateCode = "" }},
		{"no booker", "availabilityBlock.booker.lastName", func(b *channelmanager.AvailabilityBlock) { b.Booker = nil }},
		{"no pickup type", "availabilityBlock.pickupType", func(b *channelmanager.AvailabilityBlock) { b.PickupType = "" }},
		{"no categories", "availabilityBlock.spaceCategories", func(b *channelmanager.AvailabilityBlock) { b.SpaceCategories = nil }},
		{"no release strategy", "availabilityBlock.releaseStrategy", func(b *channelmanager.AvailabilityBlock) { b.ReleaseStrategy = nil }},
		{"fixed without date", "availabilityBlock.releaseStrategy.fixedDate", func(b *channelmanager.AvailabilityBlock) { b.ReleaseStrategy.FixedDate = mews.Date{} }},
		{"rolling without offset", "availabilityBlock.releaseStrategy.offset", func(b *channelmanager.AvailabilityBlock) {
			b.ReleaseStrategy = &channelmanager.ReleaseStrategy{Type: channelmanager.ReleaseRolling}
		}},
		{"unknown release", "availabilityBlock.releaseStrategy.type", func(b *channelmanager.AvailabilityBlock) { b.ReleaseStrategy.Type = "Sometimes" }},
		{"category without allocation", "availabilityBlock.spaceCategories[0]", func(b *channelmanager.AvailabilityBlock) { b.SpaceCategories[0].AllocatedSpaces = nil }},
		{"backwards allocation", "availabilityBlock.spaceCategories[0].allocatedSpaces[0]", func(b *channelmanager.AvailabilityBlock) {
			b.SpaceCategories[0].AllocatedSpaces[0].End = b.SpaceCategories[0].AllocatedSpaces[0].Start
		}},
		{"negative rolling offset", "availabilityBlock.releaseStrategy.offset", func(b *channelmanager.AvailabilityBlock) {
			b.ReleaseStrategy = &channelmanager.ReleaseStrategy{Type: channelmanager.ReleaseRolling, Offset: "-P2DT"}
		}},
		{"backwards rate", "availabilityBlock.spaceCategories[0].rates[0]", func(b *channelmanager.AvailabilityBlock) {
			b.SpaceCategories[0].Rates[0].End = b.SpaceCategories[0].Rates[0].Start
		}},
		{"rate without prices", "availabilityBlock.spaceCategories[0].rates[0]", func(b *channelmanager.AvailabilityBlock) { b.SpaceCategories[0].Rates[0].Prices = nil }},
		{"card cvv 000", "availabilityBlock.paymentCard", func(b *channelmanager.AvailabilityBlock) { b.PaymentCard.CVV = channelmanager.NewCardSecret("000") }},
		{"card without number", "availabilityBlock.paymentCard", func(b *channelmanager.AvailabilityBlock) { b.PaymentCard.Number = channelmanager.CardNumber{} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
			m, _ := exampleBlock(t)
			tt.edit(&m.AvailabilityBlock)
			_, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m)
			var in *mews.InputError
			if !errors.As(err, &in) || in.Field != tt.field {
				t.Fatalf("err = %v, want an InputError on %s", err, tt.field)
			}
			if n := len(srv.RequestsFor("processAvailabilityBlock")); n != 0 {
				t.Errorf("%d requests were sent", n)
			}
		})
	}
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), nil, channelmanager.BlockMessage{}); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil handle: %v", err)
	}
}

func TestRollingReleaseIsSent(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	m, _ := exampleBlock(t)
	m.AvailabilityBlock.ReleaseStrategy = &channelmanager.ReleaseStrategy{Type: channelmanager.ReleaseRolling, Offset: channelmanager.ReleaseOffsetDays(3)}
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
		t.Fatal(err)
	}
	sent := srv.RequestsFor("processAvailabilityBlock")[0]
	if !strings.Contains(string(sent.Body), `"releaseStrategy":{"type":"Rolling","offset":"P3DT"}`) {
		t.Errorf("sent %s", sent.RedactedBody())
	}
}

func TestBlockErrorsFromMewsReachCallersAsSentinels(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	srv.Revoke(mewstest.ConnectionToken)
	m, _ := exampleBlock(t)
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); !errors.Is(err, mews.ErrInvalidAuthentication) {
		t.Errorf("revoked: %v", err)
	}
	_, cm = chmtest.NewChannelManager(t, mewstest.DeactivatedConnectionToken)
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); !errors.Is(err, mews.ErrConnectionNotFound) {
		t.Errorf("deactivated: %v", err)
	}
	_, cm = chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	m.AvailabilityBlock.SpaceCategories[0].SpaceTypeCode = "Double"
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); !errors.Is(err, mews.ErrProcessing) {
		t.Errorf("unknown space type: %v", err)
	}
}

func TestMewsPushedBlockRoundTrips(t *testing.T) {
	raw := chmtest.Read(t, "chm_processavailabilityblock_request.json")
	var m channelmanager.BlockMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, raw, out, chmtest.TokenFields...)
	b := m.AvailabilityBlock
	if !b.Status.IsCreate() || b.Code != "" || b.SpaceCategories[0].OccupiedSpaces[0].Count != 1 || b.Booker.LoyaltyInfo.TierCode != "Gold" {
		t.Errorf("block = %+v", b)
	}
}

func TestBlockEnumsDecodeCaseInsensitively(t *testing.T) {
	var b channelmanager.AvailabilityBlock
	doc := `{"status":"canceled","releaseStrategy":{"type":"ROLLING","offset":"P2DT"},"pickupType":"individualgroups"}`
	if err := json.Unmarshal([]byte(doc), &b); err != nil {
		t.Fatal(err)
	}
	got := []any{b.Status, b.ReleaseStrategy.Type, b.PickupType, b.Status.IsCancel(), b.Status.IsUpdate()}
	want := []any{channelmanager.BlockCanceled, channelmanager.ReleaseRolling, channelmanager.PickupIndividualGroups, true, false}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var unknown channelmanager.BlockStatus
	if err := json.Unmarshal([]byte(`"Archived"`), &unknown); err != nil || unknown != "Archived" {
		t.Errorf("unknown status = %q, %v", unknown, err)
	}
	for s, want := range map[channelmanager.BlockStatus][3]bool{channelmanager.BlockCreate: {true, false, false}, channelmanager.BlockUpdate: {false, true, false}, channelmanager.BlockCancel: {false, false, true}, channelmanager.BlockUpdated: {false, true, false}} {
		if got := [3]bool{s.IsCreate(), s.IsUpdate(), s.IsCancel()}; got != want {
			t.Errorf("%s: %v", s, got)
		}
	}
}

func TestReleaseOffsetDays(t *testing.T) {
	for in, want := range map[channelmanager.ReleaseOffset]int{"P3DT": 3, "P3D": 3, "P10DT0H0M": 10, "-P1DT": -1, "p0dt": 0} {
		if got, err := in.Days(); err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []channelmanager.ReleaseOffset{"", "3D", "P", "PxDT", "P3DT2H", "P-3DT"} {
		if _, err := bad.Days(); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestBlockProcessingConfirmationAcceptsStringSuccess(t *testing.T) {
	var c channelmanager.BlockProcessingConfirmation
	if err := json.Unmarshal(chmtest.Read(t, "cm_blockprocessingconfirmation.json"), &c); err != nil {
		t.Fatal(err)
	}
	want := channelmanager.BlockProcessingConfirmation{MessageID: "13620420", Code: "33", ConfirmationNumber: "55", Success: true}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if err := json.Unmarshal([]byte(`{"success":false,"error":{"code":"7","message":"no"},"confirmationNumber":55}`), &c); err != nil ||
		c.Success || len(c.Errors) != 1 || c.Errors[0].Code != mews.CodeProcessing || c.ConfirmationNumber != "55" {
		t.Errorf("failure = %+v, %v", c, err)
	}
}

func TestConfirmationsSendTheReferenceExamples(t *testing.T) {
	tests := []struct {
		file, op string
		send     func(context.Context, *mews.ChannelManager, []byte) error
	}{
		{"cm_processrateconfirmation_request.json", "processRateConfirmation", func(ctx context.Context, cm *mews.ChannelManager, raw []byte) error {
			var c channelmanager.Confirmation
			if err := json.Unmarshal(raw, &c); err != nil {
				return err
			}
			return channelmanager.ConfirmPriceUpdate(ctx, cm, c)
		}},
		{"cm_processavailabilityblockconfirmation_request.json", "processAvailabilityBlockConfirmation", func(ctx context.Context, cm *mews.ChannelManager, raw []byte) error {
			var c channelmanager.Confirmation
			if err := json.Unmarshal(raw, &c); err != nil {
				return err
			}
			return channelmanager.ConfirmAvailabilityBlock(ctx, cm, c)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
			raw := chmtest.Read(t, tt.file)
			if err := tt.send(context.Background(), cm, raw); err != nil {
				t.Fatal(err)
			}
			sent := chmtest.Bodies(srv, tt.op)
			if len(sent) != 1 {
				t.Fatalf("%d requests", len(sent))
			}
			chmtest.AssertSameJSON(t, raw, sent[0], chmtest.TokenFields...)
		})
	}
}

func TestEachARIConfirmationGoesToItsOperation(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	ok := channelmanager.Confirmation{RelatedMessageID: "66511e1d", Success: true}
	calls := map[string]func() error{
		"processAvailabilityConfirmation": func() error { return channelmanager.ConfirmAvailabilityUpdate(context.Background(), cm, ok) },
		"processRateConfirmation":         func() error { return channelmanager.ConfirmPriceUpdate(context.Background(), cm, ok) },
		"processRestrictionConfirmation":  func() error { return channelmanager.ConfirmRestrictionUpdate(context.Background(), cm, ok) },
	}
	for op, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if n := len(srv.RequestsFor(op)); n != 1 {
			t.Errorf("%s: %d requests", op, n)
		}
	}
}

func TestConfirmationsUseTheResponseURLOnlyOnThePlatform(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	srv.HandleChannelManager("elsewhereConfirmation", func(*mewstest.Request) (any, error) { return nil, nil })
	c := channelmanager.Confirmation{RelatedMessageID: "m", Success: true}
	for _, url := range []string{srv.URL + "/api/channelManager/v1/elsewhereConfirmation", "https://attacker.example/api/channelManager/v1/elsewhereConfirmation", ""} {
		c.ResponseURL = url
		if err := channelmanager.ConfirmRestrictionUpdate(context.Background(), cm, c); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	if a, b := len(srv.RequestsFor("elsewhereConfirmation")), len(srv.RequestsFor("processRestrictionConfirmation")); a != 1 || b != 2 {
		t.Errorf("responseUrl %d, default %d; want 1 and 2", a, b)
	}
}

func TestConfirmationsValidateBeforeSending(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	rateErr := []mews.ErrorDetail{{Code: mews.CodeRateError, Message: "Invalid rate code", RateCode: "ABC"}}
	cases := []error{
		channelmanager.ConfirmAvailabilityUpdate(context.Background(), cm, channelmanager.Confirmation{Success: true}),
		channelmanager.ConfirmPriceUpdate(context.Background(), cm, channelmanager.Confirmation{RelatedMessageID: "m"}),
		channelmanager.ConfirmRestrictionUpdate(context.Background(), cm, channelmanager.Confirmation{RelatedMessageID: "m", Success: true, Errors: rateErr}),
		channelmanager.ConfirmAvailabilityBlock(context.Background(), cm, channelmanager.Confirmation{RelatedMessageID: "m", Success: true, ConfirmationNumber: "2"}),
		channelmanager.ConfirmAvailabilityBlock(context.Background(), cm, channelmanager.Confirmation{RelatedMessageID: "m", Success: true, Code: "C"}),
		channelmanager.ConfirmPriceUpdate(context.Background(), nil, channelmanager.Confirmation{RelatedMessageID: "m", Success: true}),
	}
	for i, err := range cases {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("case %d: %v", i, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
	failed := channelmanager.Confirmation{RelatedMessageID: "m", Errors: []mews.ErrorDetail{{Code: mews.CodeCategoryError, Message: "no", CategoryCode: "DBL"}}, ConfirmationNumber: "2"}
	if err := channelmanager.ConfirmAvailabilityBlock(context.Background(), cm, failed); err != nil {
		t.Errorf("a failure without code: %v", err)
	}
}

func TestConfirmationDecodesSingularErrorAndStringSuccess(t *testing.T) {
	var c channelmanager.Confirmation
	if err := json.Unmarshal([]byte(`{"relatedMessageId":"m","success":"False","error":{"code":12,"message":"blocked"}}`), &c); err != nil {
		t.Fatal(err)
	}
	want := channelmanager.Confirmation{RelatedMessageID: "m", Errors: []mews.ErrorDetail{{Code: mews.CodeAvailabilityError, Message: "blocked"}}}
	if d := cmp.Diff(want, c); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var bc channelmanager.Confirmation
	if err := json.Unmarshal([]byte(`{"relatedMessageId":"m","success":true,"code":7,"confirmationNumber":"2"}`), &bc); err != nil || bc.Code != "7" || !bc.Success {
		t.Errorf("block confirmation = %+v, %v", bc, err)
	}
	if err := json.Unmarshal([]byte(`{"success":"maybe"}`), &c); err == nil {
		t.Error(`success "maybe" decoded`)
	}
}

func TestBlockCardIsRedactedInOutput(t *testing.T) {
	m, _ := exampleBlock(t)
	out, _ := json.Marshal(m)
	card := m.AvailabilityBlock.PaymentCard
	for _, s := range []string{fmt.Sprintf("%+v", card), string(out)} {
		leakscan.Check(t, "the printed block", s, card.Number.Reveal(), card.CVV.Reveal())
	}
}

func TestBlockCreationIsNotRetriedAfterAnAmbiguousFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		srv.InjectFault(mewstest.Fault{Operation: "processAvailabilityBlock", ResetAfterProcessing: true})
		m, _ := exampleBlock(t)
		if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err == nil {
			t.Fatal("a creation whose answer was lost reported success")
		}
		if n := len(srv.RequestsFor("processAvailabilityBlock")); n != 1 {
			t.Errorf("the creation was sent %d times; repeating it could create the block twice", n)
		}
	})
}

func TestBlockUpdateIsRetriedAfterAnAmbiguousFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		m, _ := exampleBlock(t)
		if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
			t.Fatal(err)
		}
		created, _ := srv.Block("33")
		m.AvailabilityBlock.Status, m.AvailabilityBlock.ConfirmationNumber = channelmanager.BlockUpdated, created.ConfirmationNumber
		srv.InjectFault(mewstest.Fault{Operation: "processAvailabilityBlock", ResetAfterProcessing: true})
		if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
			t.Fatalf("an update restates the block and should be retried: %v", err)
		}
		if b, _ := srv.Block("33"); b.Messages != 3 || b.Status != "Updated" {
			t.Errorf("stored block = %+v, want the update delivered twice", b)
		}
	})
}

func TestConfirmationsAreRetriedAfterALostAnswer(t *testing.T) {
	// A confirmation states the final outcome of one message, so repeating it is safe.
	ok := channelmanager.Confirmation{RelatedMessageID: "66511e1d", Success: true}
	calls := map[string]func(context.Context, *mews.ChannelManager) error{
		"processAvailabilityConfirmation": func(ctx context.Context, cm *mews.ChannelManager) error {
			return channelmanager.ConfirmAvailabilityUpdate(ctx, cm, ok)
		},
		"processRateConfirmation": func(ctx context.Context, cm *mews.ChannelManager) error {
			return channelmanager.ConfirmPriceUpdate(ctx, cm, ok)
		},
		"processRestrictionConfirmation": func(ctx context.Context, cm *mews.ChannelManager) error {
			return channelmanager.ConfirmRestrictionUpdate(ctx, cm, ok)
		},
		"processAvailabilityBlockConfirmation": func(ctx context.Context, cm *mews.ChannelManager) error {
			return channelmanager.ConfirmAvailabilityBlock(ctx, cm, withBlock(ok, "CHM-7", "2"))
		},
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
				srv.InjectFault(mewstest.Fault{Operation: op, ResetAfterProcessing: true})
				if err := call(context.Background(), cm); err != nil {
					t.Fatalf("not retried: %v", err)
				}
				if n := len(srv.RequestsFor(op)); n != 2 {
					t.Errorf("%d requests, want the lost one and its retry", n)
				}
			})
		})
	}
}

func TestAForgedResponseURLCannotRedirectAConfirmationToAnotherOperation(t *testing.T) {
	srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
	c := channelmanager.Confirmation{RelatedMessageID: "m", Success: true, ResponseURL: srv.URL + "/api/channelManager/v1/setInventory"}
	if err := channelmanager.ConfirmAvailabilityUpdate(context.Background(), cm, c); err != nil {
		t.Fatal(err)
	}
	if a, b := len(srv.RequestsFor("setInventory")), len(srv.RequestsFor("processAvailabilityConfirmation")); a != 0 || b != 1 {
		t.Errorf("setInventory got %d requests, the confirmation's own path %d; want 0 and 1", a, b)
	}
}

// withBlock returns c with the fields of a block confirmation.
func withBlock(c channelmanager.Confirmation, code, confirmationNumber string) channelmanager.Confirmation {
	c.Code, c.ConfirmationNumber = code, confirmationNumber
	return c
}
