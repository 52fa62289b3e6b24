package connector_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connector"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

func connect(t *testing.T) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

// bodies records the request bodies of one operation and answers with reply.
type bodies struct {
	mu   sync.Mutex
	list []map[string]json.RawMessage
}

func (b *bodies) handle(reply func(n int, body map[string]json.RawMessage) any) mewstest.ConnectorHandler {
	return func(r *mewstest.Request) (any, error) {
		var m map[string]json.RawMessage
		if err := r.Decode(&m); err != nil {
			return nil, err
		}
		b.mu.Lock()
		b.list = append(b.list, m)
		n := len(b.list)
		b.mu.Unlock()
		return reply(n, m), nil
	}
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// A ten-month UpdatedUtc is asked for in four windows of at most three months, and a
// token found in two windows is yielded once.
func TestPagerSplitsLongIntervalsAndYieldsEachItemOnce(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("resourceAccessTokens/getAll", b.handle(func(n int, _ map[string]json.RawMessage) any {
		ids := []string{"token-in-every-window"}
		if n == 2 {
			ids = append(ids, "token-of-the-second-window")
		}
		var out connector.ResourceAccessTokenResult
		for _, id := range ids {
			out.ResourceAccessTokens = append(out.ResourceAccessTokens, pins.Credential{ID: id})
		}
		return out
	}))
	iv := mews.Interval(day("2025-01-01"), day("2025-11-01"))
	got, err := connector.GetAllResourceAccessTokens(conn, connector.ResourceAccessTokenFilterParameters{UpdatedUtc: &iv}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tok := range got {
		ids = append(ids, tok.ID)
	}
	if diff := cmp.Diff([]string{"token-in-every-window", "token-of-the-second-window"}, ids); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	var windows []string
	for _, body := range b.list {
		windows = append(windows, string(body["UpdatedUtc"]))
	}
	want := []string{
		`{"StartUtc":"2025-01-01T00:00:00Z","EndUtc":"2025-04-01T00:00:00Z"}`,
		`{"StartUtc":"2025-04-01T00:00:00Z","EndUtc":"2025-07-01T00:00:00Z"}`,
		`{"StartUtc":"2025-07-01T00:00:00Z","EndUtc":"2025-10-01T00:00:00Z"}`,
		`{"StartUtc":"2025-10-01T00:00:00Z","EndUtc":"2025-11-01T00:00:00Z"}`,
	}
	if diff := cmp.Diff(want, windows); diff != "" {
		t.Errorf("windows (-want +got):\n%s", diff)
	}
}

// An operation whose spec limits an interval to one month is split by months.
func TestPagerSplitsByTheSpecsMonthLimit(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("messages/getAll", b.handle(func(int, map[string]json.RawMessage) any { return connector.MessageResult{} }))
	iv := mews.Interval(day("2025-01-31"), day("2025-03-15"))
	if _, err := connector.GetAllMessages(conn, connector.MessageFilterParameters{CreatedUtc: &iv}).Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	var windows []string
	for _, body := range b.list {
		windows = append(windows, string(body["CreatedUtc"]))
	}
	want := []string{
		`{"StartUtc":"2025-01-31T00:00:00Z","EndUtc":"2025-02-28T00:00:00Z"}`,
		`{"StartUtc":"2025-02-28T00:00:00Z","EndUtc":"2025-03-15T00:00:00Z"}`,
	}
	if diff := cmp.Diff(want, windows); diff != "" {
		t.Errorf("windows (-want +got):\n%s", diff)
	}
}

// PageSize in the params is the page size, and Cursor resumes the listing; the pager
// sends them as Limitation, and later pages follow the response's Cursor.
func TestPagerTakesPageSizeAndResumeCursorFromTheParams(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("resourceAccessTokens/getAll", b.handle(func(n int, _ map[string]json.RawMessage) any {
		if n == 1 {
			next := "cursor-of-page-two"
			return connector.ResourceAccessTokenResult{Cursor: &next, ResourceAccessTokens: []pins.Credential{{ID: "a"}, {ID: "b"}}}
		}
		return connector.ResourceAccessTokenResult{ResourceAccessTokens: []pins.Credential{{ID: "c"}}}
	}))
	resume := "cursor-the-caller-kept"
	p := connector.ResourceAccessTokenFilterParameters{PageSize: 2, Cursor: &resume}
	got, err := connector.GetAllResourceAccessTokens(conn, p).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("got %d tokens, want 3", len(got))
	}
	var lims []string
	for _, body := range b.list {
		lims = append(lims, string(body["Limitation"]))
	}
	want := []string{`{"Count":2,"Cursor":"cursor-the-caller-kept"}`, `{"Count":2,"Cursor":"cursor-of-page-two"}`}
	if diff := cmp.Diff(want, lims); diff != "" {
		t.Errorf("Limitations sent (-want +got):\n%s", diff)
	}
}

// An interval that ends before it starts is refused before anything is sent.
func TestPagerRefusesABackwardInterval(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("resourceAccessTokens/getAll", b.handle(func(int, map[string]json.RawMessage) any { return connector.ResourceAccessTokenResult{} }))
	iv := mews.Interval(day("2025-02-01"), day("2025-01-01"))
	_, err := connector.GetAllResourceAccessTokens(conn, connector.ResourceAccessTokenFilterParameters{CollidingUtc: &iv}).Collect(context.Background())
	var ie *mews.InputError
	if !errors.As(err, &ie) || ie.Field != "CollidingUtc" {
		t.Fatalf("err = %v, want an InputError about CollidingUtc", err)
	}
	if len(b.list) != 0 {
		t.Errorf("sent %d requests", len(b.list))
	}
}

func TestNilHandleIsAnInputError(t *testing.T) {
	_, err := connector.GetConfiguration(context.Background(), nil, connector.ConfigurationFilterParameters{})
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("GetConfiguration: err = %v, want ErrInvalidInput", err)
	}
	_, err = connector.GetAllResourceAccessTokens(nil, connector.ResourceAccessTokenFilterParameters{}).Collect(context.Background())
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("GetAllResourceAccessTokens: err = %v, want ErrInvalidInput", err)
	}
}

// Times go to Mews in UTC with at most seven fractional digits, whatever their location.
func TestTimesAreSentInUTCWithSevenDigits(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("resourceAccessTokens/add", b.handle(func(int, map[string]json.RawMessage) any {
		return connector.ResourceAccessTokenAdditionResult{}
	}))
	prague := time.FixedZone("CET", 3600)
	start := time.Date(2025, 3, 1, 15, 0, 0, 123456789, prague)
	p := connector.MultipleResourceAccessTokenParameters{ResourceAccessTokenParameters: []connector.ResourceAccessTokenParameters{{
		ServiceOrderID: "reservation-id", Type: pins.PinCode, Value: "481516",
		ValidityStartUtc: start, ValidityEndUtc: start.Add(48 * time.Hour),
	}}}
	if _, err := connector.AddResourceAccessTokens(context.Background(), conn, p); err != nil {
		t.Fatal(err)
	}
	var sent []map[string]any
	if err := json.Unmarshal(b.list[0]["ResourceAccessTokenParameters"], &sent); err != nil {
		t.Fatal(err)
	}
	if got := sent[0]["ValidityStartUtc"]; got != "2025-03-01T14:00:00.1234567Z" {
		t.Errorf("ValidityStartUtc sent as %v", got)
	}
}

// A coproduct reads and builds its variants by discriminator, typed by the hand-written
// enum that owns the discriminator's schema.
func TestCoproductVariantsByDiscriminator(t *testing.T) {
	var d connector.ResourceUpdateParametersData
	in := `{"Discriminator":"Space","Value":{"FloorNumber":{"Value":"3"}}}`
	if err := json.Unmarshal([]byte(in), &d); err != nil {
		t.Fatal(err)
	}
	space, err := d.AsSpace()
	if err != nil || space == nil {
		t.Fatalf("AsSpace = %+v, %v", space, err)
	}
	built, err := connector.NewResourceUpdateParametersDataSpace(*space)
	if err != nil {
		t.Fatal(err)
	}
	if built.Discriminator != properties.KindSpace {
		t.Errorf("built %v", built.Discriminator)
	}
	object := connector.NewResourceUpdateParametersDataObject()
	if got, err := object.AsSpace(); got != nil || err != nil {
		t.Errorf("AsSpace of an Object = %v, %v; want nil, nil", got, err)
	}
}

// Enums are open: a value Mews adds later decodes as it is.
func TestUnknownEnumValuesDecode(t *testing.T) {
	var v connector.DeviceCommand
	if err := json.Unmarshal([]byte(`{"State":"Teleported"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.State != "Teleported" {
		t.Errorf("State = %q", v.State)
	}
}

// configuration/get keeps the service's Options (BillAsPackage).
func TestConfigurationKeepsServiceOptions(t *testing.T) {
	srv, conn := connect(t)
	srv.HandleConnector("configuration/get", func(*mewstest.Request) (any, error) {
		return json.RawMessage(`{"Enterprise":{"Id":"e"},"Service":{"Id":"s","Options":{"BillAsPackage":true}}}`), nil
	})
	cfg, err := connector.GetConfiguration(context.Background(), conn, connector.ConfigurationFilterParameters{})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Service == nil || !cfg.Service.Options.BillAsPackage {
		t.Fatalf("Service = %+v", cfg.Service)
	}
	out, _ := json.Marshal(cfg)
	if !strings.Contains(string(out), `"Options":{"BillAsPackage":true}`) {
		t.Errorf("re-encoded without Options: %s", out)
	}
}

// A schema a hand-written package describes has one Go type: the generated operations
// return the hand-written type, with its methods.
func TestOperationsUseTheHandWrittenTypes(t *testing.T) {
	var (
		_ func(context.Context, connector.Caller, connector.ConfigurationFilterParameters) (*properties.Configuration, error) = connector.GetConfiguration
		_ []pins.Credential                                                                                                   = connector.ResourceAccessTokenResult{}.ResourceAccessTokens
		_ []reservations.Reservation                                                                                          = connector.ReservationServiceOrderResult{}.Reservations
		_ []properties.Service                                                                                                = connector.ServiceResult{}.Services
		_ []properties.Resource                                                                                               = connector.ResourceResult{}.Resources
		_ []properties.Enterprise                                                                                             = connector.EnterpriseResult{}.Enterprises
		_ *mews.Pager[reservations.Reservation]                                                                               = connector.GetAllReservations(nil, connector.ReservationServiceOrderFilterParameters{})
	)
	srv, conn := connect(t)
	const pin = "PIN-4f1e-distinctive-value"
	srv.HandleConnector("resourceAccessTokens/getAll", func(*mewstest.Request) (any, error) {
		return connector.ResourceAccessTokenResult{ResourceAccessTokens: []pins.Credential{{ID: "t", Type: pins.PinCode, Value: pin}}}, nil
	})
	got, err := connector.GetAllResourceAccessTokens(conn, connector.ResourceAccessTokenFilterParameters{ResourceAccessTokenIDs: []string{"t"}}).Collect(context.Background())
	if err != nil || len(got) != 1 || got[0].Value != pin {
		t.Fatalf("got %+v, %v", got, err)
	}
	if msg := fmt.Sprintf("%v %+v %#v %s", got[0], got[0], got[0], got); strings.Contains(msg, pin) {
		t.Errorf("a credential from the generated listing prints its PIN: %s", msg)
	}
}

// A listing whose responses hold several lists yields whole responses, page after page,
// while the main list is full.
func TestPagesListingWalksEveryPage(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("vouchers/getAll", b.handle(func(n int, _ map[string]json.RawMessage) any {
		switch n {
		case 1:
			next := "cursor-of-page-two"
			return connector.VoucherResult{Cursor: &next, Vouchers: []connector.Voucher{{ID: "v1"}, {ID: "v2"}}, VoucherCodes: []connector.VoucherCode{{ID: "c1"}}}
		default:
			last := "cursor-of-the-end"
			return connector.VoucherResult{Cursor: &last, Vouchers: []connector.Voucher{{ID: "v3"}}}
		}
	}))
	var vouchers, codes []string
	for page, err := range connector.GetAllVouchers(conn, connector.VoucherFilterParameters{VoucherIDs: []string{"v1", "v2", "v3"}, PageSize: 2}).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range page.Vouchers {
			vouchers = append(vouchers, v.ID)
		}
		for _, c := range page.VoucherCodes {
			codes = append(codes, c.ID)
		}
	}
	if diff := cmp.Diff([]string{"v1", "v2", "v3"}, vouchers); diff != "" {
		t.Errorf("vouchers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c1"}, codes); diff != "" {
		t.Errorf("voucher codes (-want +got):\n%s", diff)
	}
	var lims []string
	for _, body := range b.list {
		lims = append(lims, string(body["Limitation"]))
	}
	want := []string{`{"Count":2}`, `{"Count":2,"Cursor":"cursor-of-page-two"}`}
	if diff := cmp.Diff(want, lims); diff != "" {
		t.Errorf("Limitations sent (-want +got):\n%s", diff)
	}
}

// A PIN that Mews quotes back in an error is scrubbed from it: the generated add and
// update list the values as the operation's secrets.
func TestPINsQuotedBackInErrorsAreScrubbed(t *testing.T) {
	const pin = "PIN-9a7c3e51-distinctive"
	srv, conn := connect(t)
	for _, op := range []string{"resourceAccessTokens/add", "resourceAccessTokens/update"} {
		srv.HandleConnector(op, func(*mewstest.Request) (any, error) {
			return nil, mewstest.ConnectorError(403, "Value "+pin+" is already used by another token.")
		})
	}
	ctx := context.Background()
	value := pin
	_, addErr := connector.AddResourceAccessTokens(ctx, conn, connector.MultipleResourceAccessTokenParameters{
		ResourceAccessTokenParameters: []connector.ResourceAccessTokenParameters{{ServiceOrderID: "r", Type: pins.PinCode, Value: pin,
			ValidityStartUtc: day("2025-01-01"), ValidityEndUtc: day("2025-01-02")}},
	})
	_, updateErr := connector.UpdateResourceAccessTokens(ctx, conn, connector.MultipleResourceAccessTokenUpdateParameters{
		ResourceAccessTokenUpdates: []connector.ResourceAccessTokenUpdateParameters{{ResourceAccessTokenID: "t", Value: &connector.StringUpdateValue{Value: &value}}},
	})
	for name, err := range map[string]error{"add": addErr, "update": updateErr} {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if msg := fmt.Sprintf("%v %+v %#v", err, err, err); strings.Contains(msg, pin) {
			t.Errorf("%s: the error shows the PIN", name)
		}
	}
}
