package pins_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/reservations"
)

// twoMonths seeds a month of stays either side of SeedEpoch: every test here needs a
// few reservations with a room, none the default eighteen months of them, whose seeding
// was most of this package's time under the race detector.
var twoMonths = mewstest.WithSeedMonths(1, 1)

// upcoming returns a seeded confirmed reservation with a room, as the SDK reads it.
func upcoming(t *testing.T, srv *mewstest.Server, conn *mews.Connector, skip int) *reservations.Reservation {
	t.Helper()
	for _, r := range srv.Reservations() {
		if r.State == "Confirmed" && r.RoomID != "" {
			if skip--; skip < 0 {
				res, err := reservations.Get(context.Background(), conn, r.ID)
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
		}
	}
	t.Fatal("no confirmed reservation with a room in the seed")
	return nil
}

// setPIN sets res's PIN code to value with pins.Set and fails t if that fails.
func setPIN(t *testing.T, conn *mews.Connector, res *reservations.Reservation, value string) pins.Credential {
	t.Helper()
	c, err := pins.Set(context.Background(), conn, pins.SetParams{Credential: pins.ForReservation(res, pins.PinCode, value)})
	if err != nil {
		t.Fatal(err)
	}
	return *c
}

// onlyActive returns the one active credential the hotel holds for the reservation, or
// nil after failing t when it holds another number. The failure names ids only: a
// credential's value is a secret.
func onlyActive(t *testing.T, srv *mewstest.Server, reservationID string) *mewstest.ResourceAccessToken {
	t.Helper()
	active := srv.ActiveResourceAccessTokens(reservationID)
	if len(active) != 1 {
		ids := make([]string, len(active))
		for i, a := range active {
			ids[i] = a.ID
		}
		t.Errorf("%d active credentials %v, want exactly one", len(active), ids)
		return nil
	}
	return &active[0]
}

func bodies(t *testing.T, srv *mewstest.Server, op string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, r := range srv.RequestsFor(op) {
		var m map[string]any
		if err := json.Unmarshal(r.Body, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestCredentialDecodesTheDocumentedExample(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/resourceaccesstokens_getall.json")
	if err != nil {
		t.Fatal(err)
	}
	srv, conn := testhotel.New(t, twoMonths)
	srv.HandleConnector("resourceAccessTokens/getAll", func(*mewstest.Request) (any, error) { return json.RawMessage(body), nil })
	got, err := pins.List(conn, pins.ListParams{ReservationIDs: []string{"35d4b117-4e60-44a3-9580-c582117eff98"}}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []pins.Credential{{
		ID: "72d4b117-1f84-44a3-1f84-8b2c0635ac60", EnterpriseID: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
		ReservationID: "35d4b117-4e60-44a3-9580-c582117eff98", CompanionshipID: "25d4b117-4e60-44a3-9580-c582117eff98",
		ResourceID: "65d4b117-4e60-44a3-9580-c582117eff98", Type: pins.PinCode, Value: "1234#",
		ValidityStartUtc: time.Date(2020, 10, 9, 22, 0, 0, 0, time.UTC), ValidityEndUtc: time.Date(2020, 10, 10, 22, 0, 0, 0, time.UTC),
		Permissions: pins.Permissions{Bed: true},
		CreatedUtc:  time.Date(2023, 10, 1, 11, 48, 57, 0, time.UTC), UpdatedUtc: time.Date(2023, 10, 28, 11, 48, 57, 0, time.UTC),
		IsActive: true,
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("credentials (-want +got):\n%s", diff)
	}
}

func TestAddSendsPermissionsWrappedAsMewsDocumentsThem(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	res := upcoming(t, srv, conn, 0)
	c := pins.Credential{
		ReservationID: res.ID, ResourceID: *res.AssignedResourceID, Type: pins.PinCode, Value: "1234#",
		ValidityStartUtc: time.Date(2020, 10, 9, 23, 0, 0, 0, time.FixedZone("CET", 3600)), ValidityEndUtc: time.Date(2020, 10, 10, 22, 0, 0, 0, time.UTC),
		Permissions: pins.Permissions{Bed: true},
	}
	added, err := pins.Add(context.Background(), conn, c)
	if err != nil {
		t.Fatal(err)
	}
	got := bodies(t, srv, "resourceAccessTokens/add")[0]["ResourceAccessTokenParameters"].([]any)[0]
	want := map[string]any{
		"ServiceOrderId": res.ID, "ResourceId": *res.AssignedResourceID, "Type": "PinCode", "Value": "1234#",
		"ValidityStartUtc": "2020-10-09T22:00:00Z", "ValidityEndUtc": "2020-10-10T22:00:00Z",
		"Permissions": map[string]any{"Bed": map[string]any{"Value": true}, "Room": map[string]any{"Value": false},
			"Floor": map[string]any{"Value": false}, "Building": map[string]any{"Value": false}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("add parameters (-want +got):\n%s", diff)
	}
	if len(added) != 1 || added[0].ID == "" || !added[0].IsActive || added[0].Permissions != c.Permissions {
		t.Errorf("added = %+v", added)
	}
}

func TestUpdateSendsWrappedValues(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	res := upcoming(t, srv, conn, 0)
	added, err := pins.Add(context.Background(), conn, pins.ForReservation(res, pins.PinCode, "1111"))
	if err != nil {
		t.Fatal(err)
	}
	c := added[0]
	c.Value, c.Permissions.Floor = "2222", true
	updated, err := pins.Update(context.Background(), conn, c)
	if err != nil {
		t.Fatal(err)
	}
	got := bodies(t, srv, "resourceAccessTokens/update")[0]["ResourceAccessTokenUpdates"].([]any)[0].(map[string]any)
	if diff := cmp.Diff(map[string]any{"Value": "2222"}, got["Value"]); diff != "" {
		t.Errorf("Value (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]any{"Value": true}, got["Permissions"].(map[string]any)["Floor"]); diff != "" {
		t.Errorf("Permissions.Floor (-want +got):\n%s", diff)
	}
	if updated[0].Value != "2222" || !updated[0].Permissions.Floor || updated[0].ID != c.ID {
		t.Errorf("updated = %+v", updated[0])
	}
}

func TestInvalidCredentialsAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 2, 1, 14, 0, 0, 0, time.UTC)
	good := pins.Credential{ReservationID: "r", Type: pins.PinCode, Value: "1234", ValidityStartUtc: start, ValidityEndUtc: start.Add(48 * time.Hour)}
	for _, tc := range []struct {
		name  string
		edit  func(*pins.Credential)
		field string
	}{
		{"empty value", func(c *pins.Credential) { c.Value = "" }, "Value"},
		{"value too long", func(c *pins.Credential) { c.Value = strings.Repeat("9", 256) }, "Value"},
		{"value too long in UTF-16", func(c *pins.Credential) { c.Value = strings.Repeat("😀", 128) }, "Value"},
		{"leading space", func(c *pins.Credential) { c.Value = " 1234" }, "Value"},
		{"trailing newline", func(c *pins.Credential) { c.Value = "1234\n" }, "Value"},
		{"inner space", func(c *pins.Credential) { c.Value = "12 34" }, "Value"},
		{"inner no-break space", func(c *pins.Credential) { c.Value = "12\u00a034" }, "Value"},
		{"inner tab in a tag", func(c *pins.Credential) { c.Type, c.Value = pins.RfidTag, "04A2\t3B" }, "Value"},
		{"control character", func(c *pins.Credential) { c.Value = "12\x0034" }, "Value"},
		{"escape character", func(c *pins.Credential) { c.Value = "\x1b1234" }, "Value"},
		{"validity ends before it starts", func(c *pins.Credential) { c.ValidityEndUtc = start.Add(-time.Hour) }, "ValidityEndUtc"},
		{"validity of no length", func(c *pins.Credential) { c.ValidityEndUtc = start }, "ValidityEndUtc"},
		{"no validity", func(c *pins.Credential) { c.ValidityStartUtc = time.Time{} }, "ValidityStartUtc"},
		{"no reservation", func(c *pins.Credential) { c.ReservationID = " " }, "ServiceOrderId"},
		{"unknown type", func(c *pins.Credential) { c.Type = "Fingerprint" }, "Type"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, conn := testhotel.New(t, twoMonths)
			c := good
			tc.edit(&c)
			_, addErr := pins.Add(context.Background(), conn, good, c)
			_, setErr := pins.Set(context.Background(), conn, pins.SetParams{Credential: c})
			testhotel.RefusedBeforeSending(t, srv, tc.field, addErr, setErr)
		})
	}
	t.Run("max length is fine", func(t *testing.T) {
		c := good
		c.Value = strings.Repeat("9", pins.MaxValueLength)
		_, conn := testhotel.New(t, twoMonths)
		if _, err := pins.Update(context.Background(), conn, c); !strings.Contains(fmt.Sprint(err), "ResourceAccessTokenId") {
			t.Errorf("err = %v, want only the missing id refused", err)
		}
	})
}

func TestMewsRefusesACredentialForAnUnknownReservation(t *testing.T) {
	t.Parallel()
	_, conn := testhotel.New(t, twoMonths)
	start := mewstest.SeedEpoch()
	_, err := pins.Add(context.Background(), conn, pins.Credential{ReservationID: "00000000-0000-4000-8000-00000000dead", Type: pins.PinCode, Value: "1", ValidityStartUtc: start, ValidityEndUtc: start.Add(time.Hour)})
	var apiErr *mews.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "ServiceOrderId") {
		t.Errorf("err = %v, want a 400 naming ServiceOrderId", err)
	}
}

func TestSetAddsOnceThenUpdatesInPlace(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	res := upcoming(t, srv, conn, 0)
	first := setPIN(t, conn, res, "4711")
	again := setPIN(t, conn, res, "4711")
	changed := setPIN(t, conn, res, "0815")
	if first.ID != again.ID || again.ID != changed.ID || changed.Value != "0815" {
		t.Errorf("ids %s %s %s, value %s: want one credential updated in place", first.ID, again.ID, changed.ID, changed.Value)
	}
	if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 1 {
		t.Errorf("%d adds, want 1", n)
	}
	if n := len(srv.RequestsFor("resourceAccessTokens/update")); n != 1 {
		t.Errorf("%d updates, want 1 (the unchanged Set sends nothing)", n)
	}
	if a := onlyActive(t, srv, res.ID); a != nil && a.Value != "0815" {
		t.Errorf("the stored credential %s does not hold the changed value", a.ID)
	}
}

func TestSetAfterARoomMoveReplacesTheCredential(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	old := setPIN(t, conn, res, "4711")
	newRoom := srv.Rooms()[7].ID
	srv.UpdateReservation(res.ID, func(r *mewstest.Reservation) { r.RoomID = newRoom })
	moved, err := reservations.Get(ctx, conn, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	cur := setPIN(t, conn, moved, "4711")
	if a := onlyActive(t, srv, res.ID); a != nil && (a.ID != cur.ID || cur.ID == old.ID || a.ResourceID != newRoom) {
		t.Errorf("active credential %s for room %s (old %s), want only the new room's credential %s", a.ID, a.ResourceID, old.ID, cur.ID)
	}
}

func TestSetRemovesDuplicatesLeftByOthers(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	c := pins.ForReservation(res, pins.PinCode, "4711")
	if _, err := pins.Add(ctx, conn, c, c, c); err != nil { // Mews stores all three
		t.Fatal(err)
	}
	if _, err := pins.Set(ctx, conn, pins.SetParams{Credential: c}); err != nil {
		t.Fatal(err)
	}
	onlyActive(t, srv, res.ID)
}

func TestSetLeavesExactlyOneActivePINWhateverFaultStrikesTheAdd(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		fault  mewstest.Fault
		stored bool // whether the faulted add reached Mews' storage
	}{
		{"reset after processing", mewstest.Fault{ResetAfterProcessing: true}, true},
		{"answer truncated", mewstest.Fault{Truncate: true}, true},
		{"proxy error page after processing", mewstest.Fault{HTML: true}, true},
		{"reset before processing", mewstest.Fault{ResetBeforeProcessing: true}, false},
		{"server error", mewstest.Fault{Status: http.StatusInternalServerError}, false},
		{"timeout", mewstest.Fault{Status: http.StatusRequestTimeout}, false},
		{"refused connection", mewstest.Fault{Refuse: true}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := testhotel.New(t, twoMonths)
				res := upcoming(t, srv, conn, 0)
				f := tc.fault
				f.Operation = "resourceAccessTokens/add"
				srv.InjectFault(f)
				got := setPIN(t, conn, res, "4711")
				if a := onlyActive(t, srv, res.ID); a != nil && (a.ID != got.ID || a.Value != "4711") {
					t.Errorf("active credential %s, want the one Set returned, %s, with its value", a.ID, got.ID)
				}
				adds := len(srv.RequestsFor("resourceAccessTokens/add"))
				if tc.stored && adds != 1 {
					t.Errorf("%d adds; the first was stored, so Set must not add again", adds)
				}
			})
		})
	}
}

func TestSetLeavesExactlyOneActivePINWhateverFaultStrikesTheUpdateOrDelete(t *testing.T) {
	t.Parallel()
	faults := []mewstest.Fault{
		{ResetBeforeProcessing: true}, {ResetAfterProcessing: true}, {Truncate: true}, {HTML: true},
		{Status: http.StatusInternalServerError}, {Status: http.StatusRequestTimeout},
		{Status: http.StatusTooManyRequests, RetryAfter: "2"},
	}
	for _, op := range []string{"resourceAccessTokens/update", "resourceAccessTokens/delete"} {
		for _, f := range faults {
			f.Operation = op
			t.Run(op+" "+f.String(), func(t *testing.T) {
				synctest.Test(t, func(t *testing.T) {
					srv, conn := testhotel.New(t, twoMonths)
					ctx := context.Background()
					res := upcoming(t, srv, conn, 0)
					setPIN(t, conn, res, "1111")
					if op == "resourceAccessTokens/delete" { // a room move: the old room's PIN is deleted
						room := srv.Rooms()[7].ID
						srv.UpdateReservation(res.ID, func(r *mewstest.Reservation) { r.RoomID = room })
						moved, err := reservations.Get(ctx, conn, res.ID)
						if err != nil {
							t.Fatal(err)
						}
						res = moved
					}
					srv.InjectFault(f)
					got := setPIN(t, conn, res, "2222")
					if a := onlyActive(t, srv, res.ID); a != nil && (a.ID != got.ID || a.Value != "2222" || a.ResourceID != *res.AssignedResourceID) {
						t.Errorf("active credential %s for room %s, want the one Set returned, %s, with its value and room", a.ID, a.ResourceID, got.ID)
					}
				})
			})
		}
	}
}

func TestSetRetriedUnderRepeatedFaultsConvergesToOnePIN(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		res := upcoming(t, srv, conn, 1)
		faults := []mewstest.Fault{
			{Operation: "resourceAccessTokens/add", ResetAfterProcessing: true, Times: 3},
			{Operation: "resourceAccessTokens/getAll", Status: http.StatusInternalServerError, Times: 5},
			{Operation: "resourceAccessTokens/delete", ResetAfterProcessing: true},
		}
		for _, f := range faults {
			srv.InjectFault(f)
		}
		var last error
		for try := 0; try < 6; try++ {
			if _, last = pins.Set(context.Background(), conn, pins.SetParams{Credential: pins.ForReservation(res, pins.PinCode, "4711")}); last == nil {
				break
			}
		}
		if last != nil {
			t.Fatalf("Set never succeeded: %v", last)
		}
		onlyActive(t, srv, res.ID)
	})
}

func TestConcurrentSetsForOneReservationLeaveOnePIN(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		res := upcoming(t, srv, conn, 2)
		// Both adds are held until both calls have read the reservation's credentials and
		// found none: each adds its own.
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", Delay: time.Second, Times: 2})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, value := range []string{"1111", "2222"} {
			wg.Go(func() {
				_, errs[i] = pins.Set(context.Background(), conn, pins.SetParams{Credential: pins.ForReservation(res, pins.PinCode, value)})
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 2 {
			t.Fatalf("%d adds, want 2: the test needs both calls to add", n)
		}
		onlyActive(t, srv, res.ID)
	})
}

func TestDeleteIsSoftAndListFindsDeletedOnes(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	c, err := pins.Set(ctx, conn, pins.SetParams{Credential: pins.ForReservation(res, pins.RfidTag, "04:A2:2B:1C")})
	if err != nil {
		t.Fatal(err)
	}
	if err := pins.Delete(ctx, conn, c.ID); err != nil {
		t.Fatal(err)
	}
	deleted, err := pins.List(conn, pins.ListParams{ReservationIDs: []string{res.ID}, States: []pins.ActivityState{pins.Deleted}}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(deleted) != 1 || deleted[0].ID != c.ID || deleted[0].IsActive {
		t.Errorf("deleted = %+v", deleted)
	}
	if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 0 {
		t.Errorf("%d still active", n)
	}
}

func TestListByValidityIntervalSplitsWindowsAndYieldsEachOnce(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	start := time.Date(2026, 3, 30, 12, 0, 0, 0, time.UTC)
	long := pins.Credential{ReservationID: res.ID, Type: pins.PinCode, Value: "1", ValidityStartUtc: start, ValidityEndUtc: start.AddDate(0, 7, 0)}
	short := pins.Credential{ReservationID: res.ID, Type: pins.RfidTag, Value: "2", ValidityStartUtc: start.AddDate(0, 5, 0), ValidityEndUtc: start.AddDate(0, 5, 2)}
	if _, err := pins.Add(ctx, conn, long, short); err != nil {
		t.Fatal(err)
	}
	iv := mews.Interval(start.AddDate(0, -1, 0), start.AddDate(1, 0, 0))
	got, err := pins.List(conn, pins.ListParams{CollidingUtc: &iv}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Errorf("got %d credentials, want the long one once and the short one", len(got))
	}
	if n := len(srv.RequestsFor("resourceAccessTokens/getAll")); n != 5 {
		t.Errorf("%d requests, want 5 windows for 13 months", n)
	}
}

func TestListRejectsInvalidFiltersWithoutSending(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		f     pins.ListParams
		field string
	}{
		{"no filter", pins.ListParams{States: []pins.ActivityState{pins.Active}}, "ServiceOrderIds"},
		{"unknown activity state", pins.ListParams{ReservationIDs: []string{"r"}, States: []pins.ActivityState{"active"}}, "ActivityStates"},
		{"empty enterprise id", pins.ListParams{ReservationIDs: []string{"r"}, EnterpriseIDs: []string{" "}}, "EnterpriseIds"},
		{"empty reservation id", pins.ListParams{ReservationIDs: []string{""}}, "ServiceOrderIds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, conn := testhotel.New(t, twoMonths)
			_, err := pins.List(conn, tc.f).Collect(context.Background())
			testhotel.RefusedBeforeSending(t, srv, tc.field, err)
		})
	}
}

func TestListYieldsACredentialChangedDuringTheListingAgainWithItsNewValues(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		ctx := context.Background()
		res := upcoming(t, srv, conn, 0)
		start := time.Now()
		if _, err := pins.Add(ctx, conn, pins.ForReservation(res, pins.PinCode, "1111")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(100 * 24 * time.Hour) // the credential's UpdatedUtc is now in the first of two windows
		updated := mews.Interval(start.Add(-time.Hour), time.Now().Add(time.Hour))
		var values []string
		for c, err := range pins.List(conn, pins.ListParams{UpdatedUtc: &updated}).All(ctx) {
			if err != nil {
				t.Fatal(err)
			}
			values = append(values, c.Value)
			if len(values) == 1 { // changed while the listing runs: now in the second window
				c.Value = "2222"
				if _, err := pins.Update(ctx, conn, c); err != nil {
					t.Fatal(err)
				}
			}
		}
		if diff := cmp.Diff([]string{"1111", "2222"}, values); diff != "" {
			t.Errorf("values yielded (-want +got):\n%s", diff)
		}
	})
}

func TestListNeedsAFilterAndChunksManyReservations(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	if _, err := pins.List(conn, pins.ListParams{States: []pins.ActivityState{pins.Active}}).Collect(ctx); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want an input error", err)
	}
	ids := make([]string, 2500)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	if _, err := pins.List(conn, pins.ListParams{ReservationIDs: ids}).Collect(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.RequestsFor("resourceAccessTokens/getAll")); n != 3 {
		t.Errorf("%d requests, want 3 chunks", n)
	}
}

func TestAddAndDeleteChunkBatchesOf1000(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	batch := make([]pins.Credential, 1500)
	for i := range batch {
		batch[i] = pins.ForReservation(res, pins.RfidTag, fmt.Sprintf("TAG-%04d", i))
	}
	added, err := pins.Add(ctx, conn, batch...)
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(added))
	for i, c := range added {
		ids[i] = c.ID
	}
	if err := pins.Delete(ctx, conn, ids...); err != nil {
		t.Fatal(err)
	}
	if a, d := len(srv.RequestsFor("resourceAccessTokens/add")), len(srv.RequestsFor("resourceAccessTokens/delete")); len(added) != 1500 || a != 2 || d != 2 {
		t.Errorf("%d added in %d adds, deleted in %d deletes; want 1500 in 2 and 2", len(added), a, d)
	}
}

func TestCredentialNeverPrintsItsValue(t *testing.T) {
	t.Parallel()
	c := pins.Credential{ID: "id", ReservationID: "r", Type: pins.PinCode, Value: "271828"}
	var logged bytes.Buffer
	// The record's time is dropped: a six-digit PIN must not be looked for among its digits.
	slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{ReplaceAttr: leakscan.DropTime})).Info("set", "pin", c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%x", c), logged.String()} {
		leakscan.Check(t, "the printed credential", s, c.Value)
	}
}

func TestClearDeletesEveryActiveCredentialOfAReservation(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	ctx := context.Background()
	res := upcoming(t, srv, conn, 0)
	other := upcoming(t, srv, conn, 1)
	for _, c := range []pins.Credential{
		pins.ForReservation(res, pins.PinCode, "1111"), pins.ForReservation(res, pins.RfidTag, "TAG-1"),
		pins.ForReservation(other, pins.PinCode, "2222"),
	} {
		if _, err := pins.Set(ctx, conn, pins.SetParams{Credential: c}); err != nil {
			t.Fatal(err)
		}
	}
	cleared, err := pins.Clear(ctx, conn, res.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cleared) != 2 || len(srv.ActiveResourceAccessTokens(res.ID)) != 0 || len(srv.ActiveResourceAccessTokens(other.ID)) != 1 {
		t.Errorf("cleared %d; active now %d on the reservation, %d on the other", len(cleared),
			len(srv.ActiveResourceAccessTokens(res.ID)), len(srv.ActiveResourceAccessTokens(other.ID)))
	}
	srv.ResetRequests()
	if again, err := pins.Clear(ctx, conn, res.ID); err != nil || len(again) != 0 || len(srv.RequestsFor("resourceAccessTokens/delete")) != 0 {
		t.Errorf("second Clear = %v, %v; want nothing to delete and no delete sent", again, err)
	}
}

func TestSetWaitsForAnAddThatAGatewayTimedOutButMewsStoredLate(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		res := upcoming(t, srv, conn, 0)
		// The gateway answers 504 at once; Mews stores the add 300ms later.
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", CommitAfter: 300 * time.Millisecond})
		got := setPIN(t, conn, res, "4711")
		time.Sleep(time.Hour) // anything still on its way has landed
		if a := onlyActive(t, srv, res.ID); a != nil && a.ID != got.ID {
			t.Errorf("active credential %s, want the one Set returned, %s", a.ID, got.ID)
		}
		if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 1 {
			t.Errorf("%d adds, want 1: the first was stored late", n)
		}
	})
}

func TestSetAddsAgainOnlyAfterTheSettlePeriodLookingInBetween(t *testing.T) {
	t.Parallel()
	for _, settle := range []time.Duration{0, 2 * time.Second, 20 * time.Second} {
		t.Run(fmt.Sprint(settle), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := testhotel.New(t, twoMonths)
				res := upcoming(t, srv, conn, 0)
				// Mews never stores this add: Set must wait the whole period before the next.
				srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", Status: http.StatusInternalServerError})
				want := pins.ForReservation(res, pins.PinCode, "4711")
				got, err := pins.Set(context.Background(), conn, pins.SetParams{Credential: want, Settle: settle})
				if err != nil {
					t.Fatal(err)
				}
				wantGap := settle
				if wantGap == 0 {
					wantGap = pins.DefaultSettle
				}
				adds := srv.RequestsFor("resourceAccessTokens/add")
				if len(adds) != 2 {
					t.Fatalf("%d adds, want the failed one and one more", len(adds))
				}
				if gap := adds[1].Time.Sub(adds[0].Time); gap < wantGap {
					t.Errorf("added again %v after the failure, want no sooner than %v", gap, wantGap)
				}
				var looks int
				for _, r := range srv.RequestsFor("resourceAccessTokens/getAll") {
					if r.Time.After(adds[0].Time) && r.Time.Before(adds[1].Time) {
						looks++
					}
				}
				if looks < 3 {
					t.Errorf("%d looks during the settle period, want several", looks)
				}
				if a := onlyActive(t, srv, res.ID); a != nil && a.ID != got.ID {
					t.Errorf("active credential %s, want the one Set returned, %s", a.ID, got.ID)
				}
			})
		})
	}
}

func TestSetAgainConvergesAfterACommitLaterThanTheSettlePeriod(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		res := upcoming(t, srv, conn, 0)
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", CommitAfter: 3 * time.Second})
		want := pins.ForReservation(res, pins.PinCode, "4711")
		first, err := pins.Set(context.Background(), conn, pins.SetParams{Credential: want, Settle: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Hour)
		if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 2 {
			t.Fatalf("%d active credentials, want 2: the test needs the commit to land after Set gave up waiting", n)
		}
		again, err := pins.Set(context.Background(), conn, pins.SetParams{Credential: want, Settle: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if a := onlyActive(t, srv, res.ID); a != nil && (a.ID != first.ID || again.ID != first.ID) {
			t.Errorf("active credential %s, second Set returned %s; want the oldest, %s, that the first Set returned", a.ID, again.ID, first.ID)
		}
	})
}

func TestSetCutShortByItsContextDuringTheSettlePeriodFailsAndSetAgainAddsNothing(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		res := upcoming(t, srv, conn, 0)
		srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", CommitAfter: 3 * time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		want := pins.ForReservation(res, pins.PinCode, "4711")
		if _, err := pins.Set(ctx, conn, pins.SetParams{Credential: want}); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the deadline", err)
		}
		if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 1 {
			t.Errorf("%d adds, want 1: the settle period was not over", n)
		}
		time.Sleep(time.Hour)
		got := setPIN(t, conn, res, "4711")
		if a := onlyActive(t, srv, res.ID); a != nil && a.ID != got.ID {
			t.Errorf("active credential %s, want the one Set returned, %s", a.ID, got.ID)
		}
		if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 1 {
			t.Errorf("%d adds, want 1: the late commit is the credential", n)
		}
	})
}

func TestSetKeepsTheOldestOfPreexistingTwinsWhateverFaultStrikesTheDelete(t *testing.T) {
	t.Parallel()
	for _, f := range []mewstest.Fault{
		{},
		{ResetAfterProcessing: true},
		{ResetBeforeProcessing: true},
		{Status: http.StatusInternalServerError},
		{CommitAfter: 300 * time.Millisecond},
		{CommitAfter: 300 * time.Millisecond, Times: 20}, // outlasts the pipeline's retries
		{Status: http.StatusServiceUnavailable, Times: 20},
	} {
		name := f.String()
		if name == "" {
			name = "no fault"
		}
		f.Operation = "resourceAccessTokens/delete"
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := testhotel.New(t, twoMonths)
				ctx := context.Background()
				res := upcoming(t, srv, conn, 0)
				c := pins.ForReservation(res, pins.PinCode, "4711")
				oldest, err := pins.Add(ctx, conn, c)
				if err != nil {
					t.Fatal(err)
				}
				time.Sleep(time.Minute)
				if _, err := pins.Add(ctx, conn, c, c); err != nil { // two twins, younger
					t.Fatal(err)
				}
				if name != "no fault" {
					srv.InjectFault(f)
				}
				var last error
				for try := 0; try < 10; try++ {
					if _, last = pins.Set(ctx, conn, pins.SetParams{Credential: c}); last == nil {
						break
					}
				}
				if last != nil {
					t.Fatalf("Set never succeeded: %v", last)
				}
				time.Sleep(time.Hour)
				if a := onlyActive(t, srv, res.ID); a != nil && a.ID != oldest[0].ID {
					t.Errorf("kept %s, want the oldest twin, %s", a.ID, oldest[0].ID)
				}
			})
		})
	}
}

func TestSetRefusesANegativeSettlePeriodBeforeSending(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	start := mewstest.SeedEpoch()
	c := pins.Credential{ReservationID: "r", Type: pins.PinCode, Value: "1234", ValidityStartUtc: start, ValidityEndUtc: start.Add(time.Hour)}
	_, err := pins.Set(context.Background(), conn, pins.SetParams{Credential: c, Settle: -time.Second})
	testhotel.RefusedBeforeSending(t, srv, "Settle", err)
}

func TestOnlyAddIsNeverRepeatedAfterAFailureThatMayHaveReachedMews(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		op    string
		call  func(context.Context, *mews.Connector, *reservations.Reservation, pins.Credential) error
		sends int // requests for one call under one 500
	}{
		{"resourceAccessTokens/getAll", func(ctx context.Context, conn *mews.Connector, r *reservations.Reservation, _ pins.Credential) error {
			_, err := pins.List(conn, pins.ListParams{ReservationIDs: []string{r.ID}}).Collect(ctx)
			return err
		}, 2},
		{"resourceAccessTokens/add", func(ctx context.Context, conn *mews.Connector, r *reservations.Reservation, _ pins.Credential) error {
			_, err := pins.Add(ctx, conn, pins.ForReservation(r, pins.PinCode, "2222"))
			return err
		}, 1},
		{"resourceAccessTokens/update", func(ctx context.Context, conn *mews.Connector, _ *reservations.Reservation, c pins.Credential) error {
			c.Value = "3333"
			_, err := pins.Update(ctx, conn, c)
			return err
		}, 2},
		{"resourceAccessTokens/delete", func(ctx context.Context, conn *mews.Connector, _ *reservations.Reservation, c pins.Credential) error {
			return pins.Delete(ctx, conn, c.ID)
		}, 2},
	} {
		t.Run(tc.op, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := testhotel.New(t, twoMonths)
				res := upcoming(t, srv, conn, 0)
				c := setPIN(t, conn, res, "1111")
				srv.ResetRequests()
				srv.InjectFault(mewstest.Fault{Operation: tc.op, Status: http.StatusInternalServerError})
				err := tc.call(context.Background(), conn, res, c)
				if n := len(srv.RequestsFor(tc.op)); n != tc.sends {
					t.Errorf("%d requests (err %v), want %d", n, err, tc.sends)
				}
			})
		})
	}
}

func TestCheckValue_IsTheRuleThatAddAndSetApply(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		value string
		ok    bool
		says  string
	}{
		{"1234", true, ""},
		{"1234#*", true, ""},
		{strings.Repeat("9", pins.MaxValueLength), true, ""},
		{"", false, "empty"},
		{" ", false, "whitespace"},
		{" 1234", false, "whitespace at position 1"},
		{"12 34", false, "whitespace at position 3"},
		{"1234\r\n", false, "whitespace at position 5"},
		{"12\x7f34", false, "control character at position 3"},
		{strings.Repeat("9", 256), false, "at most 255"},
	} {
		err := pins.CheckValue(tc.value)
		var ie *mews.InputError
		if tc.ok != (err == nil) || (!tc.ok && (!errors.As(err, &ie) || ie.Field != "Value" || !strings.Contains(ie.Reason, tc.says))) {
			t.Errorf("CheckValue(%q) = %v, want ok=%v saying %q", tc.value, err, tc.ok, tc.says)
		}
	}
}
