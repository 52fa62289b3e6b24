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
)

func connect(t *testing.T) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.InProcess())
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
			out.ResourceAccessTokens = append(out.ResourceAccessTokens, connector.ResourceAccessToken{ID: id})
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

// Limitation.Count in the params is the page size, and Limitation.Cursor resumes the
// listing; later pages follow the response's Cursor.
func TestPagerTakesPageSizeAndResumeCursorFromTheParams(t *testing.T) {
	srv, conn := connect(t)
	var b bodies
	srv.HandleConnector("resourceAccessTokens/getAll", b.handle(func(n int, _ map[string]json.RawMessage) any {
		if n == 1 {
			next := "cursor-of-page-two"
			return connector.ResourceAccessTokenResult{Cursor: &next, ResourceAccessTokens: []connector.ResourceAccessToken{{ID: "a"}, {ID: "b"}}}
		}
		return connector.ResourceAccessTokenResult{ResourceAccessTokens: []connector.ResourceAccessToken{{ID: "c"}}}
	}))
	resume := "cursor-the-caller-kept"
	p := connector.ResourceAccessTokenFilterParameters{Limitation: connector.Limitation{Count: 2, Cursor: &resume}}
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
		ServiceOrderID: "reservation-id", Type: connector.ResourceAccessTokenTypePinCode, Value: "481516",
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

// A coproduct reads and builds its variants by discriminator.
func TestCoproductVariantsByDiscriminator(t *testing.T) {
	var r connector.Resource
	in := `{"Data":{"Discriminator":"Space","Value":{"FloorNumber":"3","LocationNotes":"A1"}}}`
	if err := json.Unmarshal([]byte(in), &r); err != nil {
		t.Fatal(err)
	}
	space, err := r.Data.AsSpace()
	if err != nil || space == nil || space.FloorNumber != "3" {
		t.Fatalf("AsSpace = %+v, %v", space, err)
	}
	built, err := connector.NewResourceDataSpace(*space)
	if err != nil {
		t.Fatal(err)
	}
	if built.Discriminator != connector.ResourceDataDiscriminatorSpace {
		t.Errorf("built %v", built.Discriminator)
	}
	object := connector.NewResourceDataObject()
	if got, err := object.AsSpace(); got != nil || err != nil {
		t.Errorf("AsSpace of an Object = %v, %v; want nil, nil", got, err)
	}
}

// Enums are open: a value Mews adds later decodes as it is.
func TestUnknownEnumValuesDecode(t *testing.T) {
	var tok connector.ResourceAccessToken
	if err := json.Unmarshal([]byte(`{"Type":"FaceScan"}`), &tok); err != nil {
		t.Fatal(err)
	}
	if tok.Type != "FaceScan" {
		t.Errorf("Type = %q", tok.Type)
	}
}

// configuration/get keeps the service's Options (BillAsPackage), which the hand-written
// properties.Service drops.
func TestConfigurationKeepsServiceOptions(t *testing.T) {
	var cfg connector.Configuration
	if err := json.Unmarshal([]byte(`{"Service":{"Id":"s","Options":{"BillAsPackage":true}}}`), &cfg); err != nil {
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
		ResourceAccessTokenParameters: []connector.ResourceAccessTokenParameters{{ServiceOrderID: "r", Type: connector.ResourceAccessTokenTypePinCode, Value: pin,
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
