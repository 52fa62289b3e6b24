package channelmanager_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

func channelManager(t *testing.T, client *mews.Client, token string) *mews.ChannelManager {
	t.Helper()
	cm, err := client.ChannelManager(token)
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

// serveExample makes srv answer op with a reference example (its fields next to success).
func serveExample(srv *mewstest.Server, op string, example []byte) {
	srv.HandleChannelManager(op, func(*mewstest.Request) (any, error) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(example, &m); err != nil {
			return nil, err
		}
		delete(m, "success")
		return m, nil
	})
}

// lastBody returns the body of the last recorded request of op.
func lastBody(t *testing.T, srv *mewstest.Server, op string) []byte {
	t.Helper()
	reqs := srv.RequestsFor(op)
	if len(reqs) == 0 {
		t.Fatalf("no %s request was sent", op)
	}
	return reqs[len(reqs)-1].Body
}

func TestGetPropertiesDecodesTheReferenceExample(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	example := chmtest.Read(t, "cm_getproperties_response.json")
	serveExample(srv, "getProperties", example)

	got, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: " boss@hotel.example "})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(mustJSON(t, withoutKeys(t, lastBody(t, srv, "getProperties"), chmtest.TokenFields...))), `{"email":"boss@hotel.example"}`; got != want {
		t.Errorf("request without its tokens = %s, want %s", got, want)
	}
	// Tokens redact themselves when marshalled, so compare them revealed and the rest as JSON.
	revealed := []string{got[0].Connections[0].Token.Reveal(), got[0].Connections[1].Token.Reveal()}
	if !slices.Equal([]string{"NF9R27B239D24632943D115EDE9CFH3-EA00F8FD8294692C940F6B5A8F9453D", "NF9R27B239D24632943D115EDE9CFH3-EA00F8FD8294692C940F6B5A8F9453E"}, revealed) {
		t.Error("the connection tokens are not the example's") // tokens are not printed
	}
	chmtest.AssertSameJSON(t, example, mustJSON(t, struct {
		Properties []channelmanager.Property `json:"properties"`
	}{got}), "success", "token")
}

func TestGetPropertiesRedactsConnectionTokens(t *testing.T) {
	_, client := chmtest.NewClient(t)
	got, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: mewstest.EmployeeEmail})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{fmt.Sprintf("%v %+v %#v %x", got, got, got, got), string(mustJSON(t, got))} {
		leakscan.Check(t, "the printed properties", text, mewstest.ConnectionToken, mewstest.DeactivatedConnectionToken)
	}
}

func TestGetPropertiesListsTheSeededConnections(t *testing.T) {
	_, client := chmtest.NewClient(t)
	got, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: mewstest.EmployeeEmail})
	if err != nil {
		t.Fatal(err)
	}
	type conn struct{ Token, Name string }
	var grand []conn
	for _, p := range got {
		if p.ID == mewstest.PropertyID {
			for _, c := range p.Connections {
				grand = append(grand, conn{c.Token.Reveal(), c.Name})
			}
		}
	}
	want := []conn{{mewstest.ConnectionToken, "Main connection"}, {mewstest.DeactivatedConnectionToken, "Old connection (deactivated)"}}
	if d := cmp.Diff(want, grand); d != "" {
		t.Errorf("connections (-want +got):\n%s", d)
	}
}

func TestGetPropertiesOfAnUnknownEmployeeIsEmpty(t *testing.T) {
	_, client := chmtest.NewClient(t)
	got, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: "stranger@example.com"})
	if err != nil || len(got) != 0 {
		t.Errorf("got %v, %v; want no properties", got, err)
	}
}

func TestGetPropertiesRejectsAnInvalidEmailWithoutSending(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	for _, email := range []string{"", "   ", "no-at-sign", "@hotel.example", "a b@hotel.example", "boss@"} {
		_, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: email})
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("GetProperties(%q) = %v, want ErrInvalidInput", email, err)
		}
	}
	if n := len(srv.RequestsFor("getProperties")); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestGetConfigurationRoundTripsTheReferenceExample(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	example := chmtest.Read(t, "cm_getconfiguration_response.json")
	serveExample(srv, "getConfiguration", example)

	cfg, err := channelmanager.GetConfiguration(context.Background(), channelManager(t, client, mewstest.ConnectionToken), channelmanager.FullExtent())
	if err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, chmtest.Read(t, "cm_getconfiguration_request.json"), lastBody(t, srv, "getConfiguration"), chmtest.TokenFields...)
	chmtest.AssertSameJSON(t, example, mustJSON(t, cfg), "success", "connectionToken")
	if cfg.ConnectionToken.Reveal() != "NF9R27B239D24632943D115EDE9CFH3-EA00F8FD8294692C940F6B5A8F9453D" {
		t.Errorf("connection token = %s", cfg.ConnectionToken)
	}
	policy := cfg.RatePlans[0].CancellationPolicies[0]
	if d, err := policy.Offset.Duration(); err != nil || d != -100*24*time.Hour {
		t.Errorf("offset = %v, %v", d, err)
	}
	if cfg.Property.PricingMode != channelmanager.PricingModeGross || cfg.SpaceCategories[0].Classification != channelmanager.ClassificationSingleRoom || cfg.Products[0].Pricing != channelmanager.PricingPerNight {
		t.Errorf("enums: %v %v %v", cfg.Property.PricingMode, cfg.SpaceCategories[0].Classification, cfg.Products[0].Pricing)
	}
}

func TestGetConfigurationOfTheSeededProperty(t *testing.T) {
	_, client := chmtest.NewClient(t)
	cm := channelManager(t, client, mewstest.ConnectionToken)
	codes := func(ext channelmanager.ConfigurationExtent) (spaces, rates []string, products int) {
		cfg, err := channelmanager.GetConfiguration(context.Background(), cm, ext)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Property.Name != mewstest.PropertyName {
			t.Errorf("property name = %q", cfg.Property.Name)
		}
		for _, c := range cfg.SpaceCategories {
			spaces = append(spaces, c.Code)
		}
		for _, r := range cfg.RatePlans {
			rates = append(rates, r.Code)
		}
		return spaces, rates, len(cfg.Products)
	}
	spaces, rates, products := codes(channelmanager.ConfigurationExtent{})
	if d := cmp.Diff([]string{"SGL", "DBL"}, spaces) + cmp.Diff([]string{"FF", "NR"}, rates); d != "" || products != 0 {
		t.Errorf("default extent: products %d\n%s", products, d)
	}
	spaces, rates, products = codes(channelmanager.FullExtent())
	if d := cmp.Diff([]string{"SGL", "DBL", "DORM"}, spaces) + cmp.Diff([]string{"FF", "NR", "CORP"}, rates); d != "" || products != 1 {
		t.Errorf("full extent: products %d\n%s", products, d)
	}
}

func TestPropertyLocationNeedsARealTimeZone(t *testing.T) {
	if loc, err := (channelmanager.PropertyDetails{TimeZoneIdentifier: "America/New_York"}).Location(); err != nil || loc.String() != "America/New_York" {
		t.Errorf("America/New_York: %v, %v", loc, err)
	}
	// time.LoadLocation answers UTC for "" and the machine's zone for "Local".
	for _, id := range []string{"", "Local", "Mars/Olympus"} {
		if loc, err := (channelmanager.PropertyDetails{TimeZoneIdentifier: id}).Location(); err == nil {
			t.Errorf("%q loaded as %v", id, loc)
		}
	}
}

func TestChannelManagerCredentialErrorsReachCallersAsSentinels(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	revoked := srv.AddConnection(mewstest.PropertyID)
	srv.Revoke(revoked)
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"deactivated connection is code 3", mewstest.DeactivatedConnectionToken, mews.ErrConnectionNotFound},
		{"revoked connection is code 8", revoked, mews.ErrInvalidAuthentication},
		{"unknown connection is code 8", "UNKNOWN-CONNECTION-TOKEN-0000000000", mews.ErrInvalidAuthentication},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := channelmanager.GetConfiguration(context.Background(), channelManager(t, client, tt.token), channelmanager.ConfigurationExtent{})
			if !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
			var apiErr *mews.APIError
			switch {
			case strings.Contains(fmt.Sprint(err), tt.token):
				t.Error("the error contains the connection token") // not quoted
			case !errors.As(err, &apiErr):
				t.Errorf("want a token-free *mews.APIError, got %v", err)
			}
		})
	}
	t.Run("wrong client token is code 8", func(t *testing.T) {
		bad, err := srv.NewClient(mews.WithChannelManagerClientToken("WRONG-CLIENT-TOKEN-000000000000"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := channelmanager.GetChannels(context.Background(), bad); !errors.Is(err, mews.ErrInvalidAuthentication) {
			t.Errorf("err = %v, want ErrInvalidAuthentication", err)
		}
	})
}

func TestGetChannelsDecodesTheReferenceExample(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	example := chmtest.Read(t, "cm_getchannels_response.json")
	serveExample(srv, "getChannels", example)
	got, err := channelmanager.GetChannels(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, example, mustJSON(t, struct {
		Channels []channelmanager.Channel `json:"channels"`
	}{got}))
	chmtest.AssertSameJSON(t, []byte(`{}`), lastBody(t, srv, "getChannels"), "clientToken")
}

func TestGetChannelsOfTheSeededServerHasGaps(t *testing.T) {
	_, client := chmtest.NewClient(t)
	got, err := channelmanager.GetChannels(context.Background(), client)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < 3 || got[0] != (channelmanager.Channel{Code: 1, Name: "Booking.com"}) || got[2].Code == 3 {
		t.Errorf("channels = %v", got)
	}
}

func TestSetInventorySendsTheReferenceExample(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	srv.HandleChannelManager("setInventory", func(*mewstest.Request) (any, error) { return nil, nil })
	var in struct {
		InventoryMappings []channelmanager.InventoryMapping `json:"inventoryMappings"`
	}
	example := chmtest.Read(t, "cm_setinventory_request.json")
	if err := json.Unmarshal(example, &in); err != nil {
		t.Fatal(err)
	}
	if err := channelmanager.SetInventory(context.Background(), channelManager(t, client, mewstest.ConnectionToken), channelmanager.SetInventoryParams{Mappings: in.InventoryMappings}); err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, example, lastBody(t, srv, "setInventory"), chmtest.TokenFields...)
}

func TestSetInventoryReplacesTheMapping(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	want := []channelmanager.InventoryMapping{{RatePlanCode: "NR", SpaceTypeCode: "SGL"}}
	if err := channelmanager.SetInventory(context.Background(), channelManager(t, client, mewstest.ConnectionToken), channelmanager.SetInventoryParams{Mappings: want}); err != nil {
		t.Fatal(err)
	}
	got := srv.InventoryMappings(mewstest.ConnectionToken)
	if len(got) != 1 || got[0].RatePlanCode != "NR" || got[0].SpaceTypeCode != "SGL" {
		t.Errorf("stored mapping = %v", got)
	}
}

func TestSetInventoryWithAnEmptyListSendsNothing(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	cm := channelManager(t, client, mewstest.ConnectionToken)
	for _, empty := range [][]channelmanager.InventoryMapping{nil, {}} {
		err := channelmanager.SetInventory(context.Background(), cm, channelmanager.SetInventoryParams{Mappings: empty})
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("SetInventory(%#v) = %v, want ErrInvalidInput", empty, err)
		}
	}
	if n := len(srv.RequestsFor("setInventory")); n != 0 {
		t.Errorf("%d setInventory requests were sent", n)
	}
	if got := srv.InventoryMappings(mewstest.ConnectionToken); len(got) == 0 {
		t.Error("the mapping was deleted")
	}
}

func TestSetInventoryDeletesAllMappingsOnlyWhenAskedTo(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	if err := channelmanager.SetInventory(context.Background(), channelManager(t, client, mewstest.ConnectionToken), channelmanager.SetInventoryParams{DeleteAllMappings: true}); err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, []byte(`{"inventoryMappings":[]}`), lastBody(t, srv, "setInventory"), chmtest.TokenFields...)
	if got := srv.InventoryMappings(mewstest.ConnectionToken); len(got) != 0 {
		t.Errorf("mapping = %v, want none", got)
	}
}

func TestSetInventoryRejectsIncompleteOrRepeatedPairs(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	cm := channelManager(t, client, mewstest.ConnectionToken)
	for _, m := range [][]channelmanager.InventoryMapping{
		{{RatePlanCode: "FF"}},
		{{RatePlanCode: "FF", SpaceTypeCode: "SGL"}, {RatePlanCode: "FF", SpaceTypeCode: "SGL"}},
	} {
		if err := channelmanager.SetInventory(context.Background(), cm, channelmanager.SetInventoryParams{Mappings: m}); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("SetInventory(%v) = %v, want ErrInvalidInput", m, err)
		}
	}
	if n := len(srv.RequestsFor("setInventory")); n != 0 {
		t.Errorf("%d requests were sent", n)
	}
}

func TestSetInventoryCannotCreateRates(t *testing.T) {
	_, client := chmtest.NewClient(t)
	err := channelmanager.SetInventory(context.Background(), channelManager(t, client, mewstest.ConnectionToken), channelmanager.SetInventoryParams{Mappings: []channelmanager.InventoryMapping{{RatePlanCode: "NEW", SpaceTypeCode: "SGL"}}})
	if !errors.Is(err, mews.ErrProcessing) {
		t.Errorf("err = %v, want ErrProcessing (code 7)", err)
	}
}

func TestRequestAriUpdateSendsTheReferenceExample(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	example := chmtest.Read(t, "cm_requestariupdate_request.json")
	var req channelmanager.AriUpdateRequest
	if err := json.Unmarshal(example, &req); err != nil {
		t.Fatal(err)
	}
	if err := channelmanager.RequestAriUpdate(context.Background(), channelManager(t, client, mewstest.ConnectionToken), req); err != nil {
		t.Fatal(err)
	}
	chmtest.AssertSameJSON(t, example, lastBody(t, srv, "requestAriUpdate"), chmtest.TokenFields...)
	if req.AriTypes[1] != channelmanager.AriPrices || req.AriTypes[1].String() != "Prices" {
		t.Errorf("ari types = %v", req.AriTypes)
	}
}

func TestRequestAriUpdateAcceptsOneDayAndRejectsBackwardsDates(t *testing.T) {
	srv, client := chmtest.NewClient(t)
	cm := channelManager(t, client, mewstest.ConnectionToken)
	day := mews.NewDate(2025, 3, 1)
	if err := channelmanager.RequestAriUpdate(context.Background(), cm, channelmanager.AriUpdateRequest{From: day, To: day}); err != nil {
		t.Errorf("one inclusive day: %v", err)
	}
	for _, req := range []channelmanager.AriUpdateRequest{{From: day, To: day.AddDays(-1)}, {From: day}} {
		if err := channelmanager.RequestAriUpdate(context.Background(), cm, req); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("RequestAriUpdate(%v..%v) = %v, want ErrInvalidInput", req.From, req.To, err)
		}
	}
	if n := len(srv.RequestsFor("requestAriUpdate")); n != 1 {
		t.Errorf("%d requests were sent, want 1", n)
	}
}

func TestConfigurationDecodersTolerateTheDocsInconsistencies(t *testing.T) {
	doc := `{"property":{"name":"P","images":{"type":1,"url":"logo"}},
	  "spaceCategories":[{"code":"S","images":{"type":2,"url":"photo"}}],
	  "products":[{"code":"A","pricing":"3"},{"code":"B","pricing":"PerPersonPerNight"},{"code":"C","pricing":null}],
	  "companies":[{"name":"C","telephone":"+1","addresses":{"city":"Prague"}}],
	  "ageCategories":[{"code":10,"name":"Adult"}]}`
	var cfg channelmanager.Configuration
	if err := json.Unmarshal([]byte(doc), &cfg); err != nil {
		t.Fatal(err)
	}
	got := []any{cfg.Property.Images, cfg.SpaceCategories[0].Images, cfg.Products[0].Pricing, cfg.Products[1].Pricing,
		cfg.Products[2].Pricing, cfg.Companies[0].Phone, cfg.Companies[0].Addresses[0].City, cfg.AgeCategories[0].Code}
	want := []any{[]channelmanager.Image{{Type: channelmanager.ImageLogo, URL: "logo"}}, []channelmanager.Image{{Type: channelmanager.ImagePhoto, URL: "photo"}},
		channelmanager.PricingPerNight, channelmanager.PricingPerPersonPerNight, channelmanager.ExtraPricing(0), "+1", "Prague", "10"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var bad channelmanager.Product
	if err := json.Unmarshal([]byte(`{"pricing":"Sometimes"}`), &bad); err == nil {
		t.Error("an unknown pricing name decoded")
	}
}

func TestCancellationOffset(t *testing.T) {
	tests := []struct {
		text string
		d    time.Duration
	}{
		{"-1DT2H0M", -(26 * time.Hour)},
		{"0DT2H0M", 2 * time.Hour},
		{"-100DT0H0M", -100 * 24 * time.Hour},
		{"3DT0H45M", 72*time.Hour + 45*time.Minute},
	}
	for _, tt := range tests {
		d, err := channelmanager.CancellationOffset(tt.text).Duration()
		if err != nil || d != tt.d {
			t.Errorf("%s: Duration = %v, %v; want %v", tt.text, d, err, tt.d)
		}
		if got := channelmanager.NewCancellationOffset(tt.d); string(got) != tt.text {
			t.Errorf("NewCancellationOffset(%v) = %s, want %s", tt.d, got, tt.text)
		}
	}
	for _, bad := range []string{"", "P1D", "1D2H0M", "1DT2H", "xDT0H0M", "1DT2H0M5S",
		"106752DT0H0M", "-2147483647DT0H0M", "106751DT23H99999M", "0DT0H18446744073709551616M"} {
		if _, err := channelmanager.CancellationOffset(bad).Duration(); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestConfigurationEnumsHaveNames(t *testing.T) {
	got := []string{channelmanager.PricingModeNet.String(), channelmanager.ImagePhoto.String(), channelmanager.RatePrivate.String(),
		channelmanager.ApplicableFromStartDate.String(), channelmanager.ClassificationCaravanOrRv.String(), channelmanager.BedSofaBed.String(),
		channelmanager.AriRestrictions.String(), channelmanager.SpaceClassification(23).String(), channelmanager.BedType(99).String()}
	want := []string{"Net", "Photo", "Private", "StartDate", "CaravanOrRv", "SofaBed", "Restrictions", "SpaceClassification(23)", "BedType(99)"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestChannelManagerCallsAreRetriedAfterALostAnswer(t *testing.T) {
	// Reads, and writes that state a whole mapping or only ask for a push, are safe to
	// repeat: after Mews processed a call whose answer was lost, the SDK sends it again.
	day := mews.NewDate(2025, 3, 1)
	calls := map[string]func(context.Context, *mews.Client, *mews.ChannelManager) error{
		"getProperties": func(ctx context.Context, c *mews.Client, _ *mews.ChannelManager) error {
			_, err := channelmanager.GetProperties(ctx, c, channelmanager.GetPropertiesParams{Email: mewstest.EmployeeEmail})
			return err
		},
		"getConfiguration": func(ctx context.Context, _ *mews.Client, cm *mews.ChannelManager) error {
			_, err := channelmanager.GetConfiguration(ctx, cm, channelmanager.FullExtent())
			return err
		},
		"getChannels": func(ctx context.Context, c *mews.Client, _ *mews.ChannelManager) error {
			_, err := channelmanager.GetChannels(ctx, c)
			return err
		},
		"setInventory": func(ctx context.Context, _ *mews.Client, cm *mews.ChannelManager) error {
			return channelmanager.SetInventory(ctx, cm, channelmanager.SetInventoryParams{Mappings: []channelmanager.InventoryMapping{{RatePlanCode: "FF", SpaceTypeCode: "SGL"}}})
		},
		"requestAriUpdate": func(ctx context.Context, _ *mews.Client, cm *mews.ChannelManager) error {
			return channelmanager.RequestAriUpdate(ctx, cm, channelmanager.AriUpdateRequest{From: day, To: day.AddDays(30)})
		},
	}
	for op, call := range calls {
		t.Run(op, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, client := chmtest.NewClient(t)
				srv.InjectFault(mewstest.Fault{Operation: op, ResetAfterProcessing: true})
				if err := call(context.Background(), client, channelManager(t, client, mewstest.ConnectionToken)); err != nil {
					t.Fatalf("not retried: %v", err)
				}
				if n := len(srv.RequestsFor(op)); n != 2 {
					t.Errorf("%d requests, want the lost one and its retry", n)
				}
			})
		})
	}
}

func TestNilHandlesAreInputErrors(t *testing.T) {
	ctx := context.Background()
	errs := []error{
		func() error {
			_, err := channelmanager.GetConfiguration(ctx, nil, channelmanager.ConfigurationExtent{})
			return err
		}(),
		channelmanager.SetInventory(ctx, nil, channelmanager.SetInventoryParams{Mappings: []channelmanager.InventoryMapping{{RatePlanCode: "A", SpaceTypeCode: "B"}}}),
		channelmanager.RequestAriUpdate(ctx, nil, channelmanager.AriUpdateRequest{}),
		func() error { _, err := channelmanager.GetChannels(ctx, nil); return err }(),
		func() error {
			_, err := channelmanager.GetProperties(ctx, nil, channelmanager.GetPropertiesParams{Email: "a@b.c"})
			return err
		}(),
	}
	for i, err := range errs {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("call %d: %v", i, err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func withoutKeys(t *testing.T, body []byte, keys ...string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		delete(m, k)
	}
	return m
}
