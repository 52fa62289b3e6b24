package reservations_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/paging"
	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// getAllRequests decodes the reservations/getAll bodies the server received.
func getAllRequests(t *testing.T, srv *mewstest.Server) []map[string]json.RawMessage {
	t.Helper()
	var out []map[string]json.RawMessage
	for _, r := range srv.RequestsFor("reservations/getAll/2023-06-06") {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.Body, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func ids(rs []reservations.Reservation) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func seededIDs(srv *mewstest.Server, keep func(mewstest.Reservation) bool) []string {
	var out []string
	for _, r := range srv.Reservations() {
		if keep(r) {
			out = append(out, r.ID)
		}
	}
	return out
}

// someRooms returns the ids of the first n seeded rooms.
func someRooms(srv *mewstest.Server, n int) []string {
	var out []string
	for _, r := range srv.Rooms()[:n] {
		out = append(out, r.ID)
	}
	return out
}

// twoMonths seeds a month of stays either side of SeedEpoch, some 770 reservations in
// every state: what a test needs unless it walks the whole default eighteen months
// (6,500 reservations), whose seeding and transfer dominated this package's time under
// the race detector.
var twoMonths = mewstest.WithSeedMonths(1, 1)

func sameSet(t *testing.T, want, got []string) {
	t.Helper()
	if dups := len(got) - len(slices.Compact(slices.Sorted(slices.Values(got)))); dups > 0 {
		t.Errorf("%d reservations were yielded more than once", dups)
	}
	w, g := slices.Sorted(slices.Values(want)), slices.Compact(slices.Sorted(slices.Values(got)))
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("reservations (-want +got):\n%s", diff)
	}
}

func TestReservationDecodesTheDocumentedExample(t *testing.T) {
	t.Parallel()
	body, err := os.ReadFile("testdata/reservations_getall_2023-06-06.json")
	if err != nil {
		t.Fatal(err)
	}
	srv, conn := testhotel.New(t, twoMonths)
	srv.HandleConnector("reservations/getAll/2023-06-06", func(*mewstest.Request) (any, error) {
		return json.RawMessage(body), nil
	})
	got, err := reservations.List(conn, reservations.ListParams{}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time { tm, _ := time.Parse(time.RFC3339, s); return tm }
	str := func(s string) *string { return &s }
	purpose := reservations.PurposeLeisure
	want := []reservations.Reservation{{
		ID: "0f515589-99b4-423d-b83a-b237009f0509", ServiceID: "bd26d8db-86da-4f96-9efc-e5a4654a4a94",
		AccountID: "fadd5bb6-b428-45d5-94f8-fd0d89fece6d", AccountType: reservations.AccountCustomer,
		CreatorProfileID: "3cd637ef-4728-47f9-8fb1-afb900c9cdcf", UpdaterProfileID: "3cd637ef-4728-47f9-8fb1-afb900c9cdcf",
		BookerID: str("ebd507c5-6bfd-4ca9-96aa-ffed6fa94f72"), Number: "52",
		State: reservations.StateConfirmed, Origin: reservations.OriginConnector,
		CreatedUtc: at("2023-03-23T16:00:00Z"), UpdatedUtc: at("2023-04-22T17:00:00Z"),
		Options:                     reservations.Options{OwnerCheckedIn: true, AllCompanionsCheckedIn: true, AnyCompanionCheckedIn: true, ConnectorCheckIn: true},
		RateID:                      "ed4b660b-19d0-434b-9360-a4de2ea42eda",
		GroupID:                     "94843f6f-3be3-481b-a1c7-06458774c3df",
		RequestedResourceCategoryID: "773d5e42-de1e-43a0-9ce6-f940faf2303f",
		AssignedResourceID:          str("20e00c32-d561-4008-8609-82d8aa525714"),
		AvailabilityBlockID:         str("5ee074b1-6c86-48e8-915f-c7aa4702086f"),
		PartnerCompanyID:            str("c021013e-4930-4592-8e32-91b0b1fc9663"),
		TravelAgencyID:              str("a793d381-65a2-4fa6-9514-00c4c5bfe607"),
		ChannelNumber:               str("TW48ZP"), ChannelManagerNumber: str(""),
		StartUtc: at("2023-04-23T14:00:00Z"), EndUtc: at("2023-04-25T12:00:00Z"),
		ScheduledStartUtc: at("2023-04-23T14:00:00Z"), ScheduledEndUtc: at("2023-04-25T12:00:00Z"),
		Purpose:    &purpose,
		QrCodeData: str(`{"Reservations":[{"Id":"0f515589-99b4-423d-b83a-b237009f0509","GroupId":"94843f6f-3be3-481b-a1c7-06458774c3df","CustomerId":"fadd5bb6-b428-45d5-94f8-fd0d89fece6d"}]}`),
		PersonCounts: []reservations.PersonCount{
			{AgeCategoryID: "1f67644f-052d-4863-acdf-ae1600c60ca0", Count: 2},
			{AgeCategoryID: "ab58c939-be30-4a60-8f75-ae1600c60c9f", Count: 2},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reservation (-want +got):\n%s", diff)
	}
	if got[0].ScheduledStartUtc.Location() != time.UTC {
		t.Error("times are not in UTC")
	}
}

func TestReservationTimesWithOffsetsComeBackInUTCAndEnquiredAsInquired(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	srv.HandleConnector("reservations/getAll/2023-06-06", func(*mewstest.Request) (any, error) {
		return json.RawMessage(`{"Reservations":[{"Id":"a","State":"Enquired","ScheduledStartUtc":"2025-01-01T15:00:00+01:00","ActualStartUtc":"2025-01-01T16:00:00+01:00"}],"Cursor":null}`), nil
	})
	got, err := reservations.List(conn, reservations.ListParams{}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r := got[0]
	if r.State != reservations.StateInquired {
		t.Errorf("State = %q, want Inquired", r.State)
	}
	if r.ScheduledStartUtc.Location() != time.UTC || r.ActualStartUtc.Location() != time.UTC ||
		!r.ActualStartUtc.Equal(time.Date(2025, 1, 1, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("times %v / %v are not the same instants in UTC", r.ScheduledStartUtc, r.ActualStartUtc)
	}
}

func TestListNeverSkipsOrRepeatsAcrossPages(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	f := reservations.ListParams{States: []reservations.State{reservations.StateCanceled, reservations.StateRequested}}
	const pageSize = 10
	got, err := reservations.List(conn, withPageSize(f, pageSize)).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sameSet(t, seededIDs(srv, func(r mewstest.Reservation) bool { return r.State == "Canceled" || r.State == "Requested" }), ids(got))
	reqs := getAllRequests(t, srv)
	if len(reqs) < 10 {
		t.Fatalf("only %d pages; the seed should need more", len(reqs))
	}
	for i, r := range reqs[1:] {
		var lim paging.Limitation
		_ = json.Unmarshal(r["Limitation"], &lim)
		if lim.Cursor == nil || *lim.Cursor != got[(i+1)*pageSize-1].ID {
			t.Fatalf("page %d asked with cursor %v, want the id of the last item of the previous page", i+2, lim.Cursor)
		}
	}
}

func TestListSplitsLongIntervalsAndYieldsStaysAcrossWindowsOnce(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t)
	from, to := mewstest.SeedEpoch().AddDate(-1, 0, 0), mewstest.SeedEpoch().AddDate(0, 6, 0)
	colliding := mews.Interval(from, to)
	rooms := someRooms(srv, 4) // a few rooms keep the listing small; their stays still cross every window edge
	f := reservations.ListParams{CollidingUtc: &colliding, AssignedResourceIDs: rooms, States: reservations.AllStates()}
	got, err := reservations.List(conn, withPageSize(f, 20)).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	crossing := 0
	want := seededIDs(srv, func(r mewstest.Reservation) bool {
		end := r.ScheduledEndUtc
		if !r.ActualEndUtc.IsZero() {
			end = r.ActualEndUtc
		}
		in := 0
		for _, w := range colliding.Split() {
			if w.Overlaps(r.ScheduledStartUtc, end) {
				in++
			}
		}
		if in > 1 && slices.Contains(rooms, r.RoomID) {
			crossing++
		}
		return slices.Contains(rooms, r.RoomID) && colliding.Overlaps(r.ScheduledStartUtc, end)
	})
	if crossing == 0 {
		t.Fatal("no stay of the chosen rooms collides with two windows; the test would prove nothing")
	}
	sameSet(t, want, ids(got))
	windows := map[string]bool{}
	for _, r := range getAllRequests(t, srv) {
		windows[string(r["CollidingUtc"])] = true
	}
	if len(windows) != 6 {
		t.Errorf("%d windows asked, want 6 three-month windows for eighteen months", len(windows))
	}
}

func TestListYieldsAReservationMovedToALaterWindowAgainWithItsNewValues(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	arrivals := mews.Interval(mewstest.SeedEpoch(), mewstest.SeedEpoch().AddDate(0, 6, 0)) // two windows
	f := reservations.ListParams{ScheduledStartUtc: &arrivals, AssignedResourceIDs: someRooms(srv, 2), States: reservations.AllStates()}
	later := mewstest.SeedEpoch().AddDate(0, 4, 0).Add(14 * time.Hour)
	var moved string
	var got []reservations.Reservation
	for r, err := range reservations.List(conn, f).All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if moved == "" { // the hotel moves the first arrival by four months while the listing runs
			moved = r.ID
			srv.UpdateReservation(r.ID, func(m *mewstest.Reservation) { m.ScheduledStartUtc, m.ScheduledEndUtc = later, later.Add(21*time.Hour) })
		}
		if r.ID == moved {
			got = append(got, r)
		}
	}
	if len(got) != 2 || !got[1].ScheduledStartUtc.Equal(later) {
		t.Errorf("the moved reservation was yielded %d times, want twice: first as it was, then with its new arrival %s", len(got), later)
	}
}

func TestListWindowsAtMonthEndsAndLeapDaysAreAcceptedByMews(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	for _, iv := range []mews.TimeInterval{
		mews.Interval(time.Date(2025, 11, 30, 0, 0, 0, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)),
		mews.Interval(time.Date(2023, 11, 30, 12, 0, 0, 0, time.UTC), time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC)),
		mews.Interval(time.Date(2025, 8, 31, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 28, 23, 59, 59, 0, time.UTC)),
	} {
		f := reservations.ListParams{ScheduledStartUtc: &iv, States: []reservations.State{reservations.StateRequested}}
		if _, err := reservations.List(conn, f).Collect(context.Background()); err != nil {
			t.Errorf("%v: %v", iv, err)
		}
	}
	for _, r := range getAllRequests(t, srv) {
		var iv mews.TimeInterval
		_ = json.Unmarshal(r["ScheduledStartUtc"], &iv)
		if iv.TooLong() {
			t.Errorf("window %v is longer than three months", iv)
		}
	}
}

func TestListFiltersAreSentAsMewsNamesThem(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	upd := mews.Interval(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 5, 5, 0, 0, 0, 0, time.UTC))
	f := reservations.ListParams{
		EnterpriseIDs: []string{mewstest.EnterpriseID}, ReservationIDs: []string{"r1"}, ServiceIDs: []string{"s1"},
		ReservationGroupIDs: []string{"g1"}, AccountIDs: []string{"a1"}, PartnerCompanyIDs: []string{"p1"},
		TravelAgencyIDs: []string{"t1"}, Numbers: []string{"52"}, ChannelNumbers: []string{"TW48ZP"},
		AssignedResourceIDs: []string{"room"}, AvailabilityBlockIDs: []string{"b1"},
		States:     []reservations.State{reservations.StateEnquired, reservations.StateInquired, reservations.StateConfirmed},
		CreatedUtc: &upd, UpdatedUtc: &upd, CollidingUtc: &upd, ScheduledStartUtc: &upd, ScheduledEndUtc: &upd,
		PageSize: 250, // a setting of the call, not a filter: only Limitation.Count carries it
	}
	if _, err := reservations.List(conn, f).Collect(context.Background()); err != nil {
		t.Fatal(err)
	}
	body := getAllRequests(t, srv)[0]
	var keys []string
	for k := range body {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"AccessToken", "AccountIds", "AssignedResourceIds", "AvailabilityBlockIds", "ChannelNumbers",
		"Client", "ClientToken", "CollidingUtc", "CreatedUtc", "EnterpriseIds", "Limitation", "Numbers",
		"PartnerCompanyIds", "ReservationGroupIds", "ReservationIds", "ScheduledEndUtc", "ScheduledStartUtc",
		"ServiceIds", "States", "TravelAgencyIds", "UpdatedUtc"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("request fields (-want +got):\n%s", diff)
	}
	if got := string(body["Limitation"]); got != `{"Count":250}` {
		t.Errorf("Limitation = %s, want the PageSize as Count", got)
	}
	if got := string(body["States"]); got != `["Inquired","Confirmed"]` {
		t.Errorf("States = %s, want Enquired sent as Inquired, once", got)
	}
	if got := string(body["UpdatedUtc"]); got != `{"StartUtc":"2025-04-01T00:00:00Z","EndUtc":"2025-05-05T00:00:00Z"}` {
		t.Errorf("UpdatedUtc = %s", got)
	}
}

func TestListRejectsInvalidFiltersWithoutSending(t *testing.T) {
	t.Parallel()
	day := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	iv := mews.Interval(day, day.AddDate(0, 0, 1))
	backwards := mews.Interval(day, day.AddDate(0, 0, -1))
	for _, tc := range []struct {
		name  string
		f     reservations.ListParams
		field string
	}{
		{"scheduled and actual start", reservations.ListParams{ScheduledStartUtc: &iv, ActualStartUtc: &iv}, "ActualStartUtc"},
		{"scheduled and actual end", reservations.ListParams{ScheduledEndUtc: &iv, ActualEndUtc: &iv}, "ActualEndUtc"},
		{"interval ends before it starts", reservations.ListParams{UpdatedUtc: &backwards}, "UpdatedUtc"},
		{"half an interval", reservations.ListParams{CollidingUtc: &mews.TimeInterval{StartUtc: day}}, "CollidingUtc"},
		{"too many accounts", reservations.ListParams{AccountIDs: make([]string, 1001)}, "AccountIds"},
		{"too many travel agencies", reservations.ListParams{TravelAgencyIDs: slices.Repeat([]string{"x"}, 101)}, "TravelAgencyIds"},
		{"empty reservation id", reservations.ListParams{ReservationIDs: []string{"a", " "}}, "ReservationIds"},
		{"empty state", reservations.ListParams{States: []reservations.State{""}}, "States"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, conn := testhotel.New(t)
			_, err := reservations.List(conn, tc.f).Collect(context.Background())
			testhotel.RefusedBeforeSending(t, srv, tc.field, err)
		})
	}
}

func TestListAsksForManyReservationIDsInChunksOf1000(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, mewstest.WithSeedMonths(6, 2)) // some 2,900 reservations: enough for 2,500 ids
	seeded := seededIDs(srv, func(mewstest.Reservation) bool { return true })[:2500]
	got, err := reservations.GetMany(context.Background(), conn, append(seeded, "00000000-0000-4000-8000-00000000dead"))
	if err != nil {
		t.Fatal(err)
	}
	sameSet(t, seeded, ids(got))
	if n := len(getAllRequests(t, srv)); n != 3 {
		t.Errorf("%d requests, want 3 chunks", n)
	}
}

func TestGetReturnsOneReservationInAnyState(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	canceled := seededIDs(srv, func(r mewstest.Reservation) bool { return r.State == "Canceled" })[0]
	r, err := reservations.Get(context.Background(), conn, canceled)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != canceled || r.State != reservations.StateCanceled || r.CancelledUtc == nil {
		t.Errorf("got %s in state %s (canceled %v)", r.ID, r.State, r.CancelledUtc)
	}
}

func TestGetOfAnUnknownReservationIsNotFound(t *testing.T) {
	t.Parallel()
	_, conn := testhotel.New(t, twoMonths)
	_, err := reservations.Get(context.Background(), conn, "00000000-0000-4000-8000-00000000dead")
	if !errors.Is(err, mews.ErrReservationNotFound) {
		t.Errorf("err = %v, want ErrReservationNotFound", err)
	}
	if want := "mews: reservation 00000000-0000-4000-8000-00000000dead not found"; err == nil || err.Error() != want {
		t.Errorf("err = %q, want %q: short, one mews: prefix", err, want)
	}
}

func TestListRetriesATimedOutPageWithASmallerCount(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, twoMonths)
		srv.InjectFault(mewstest.Fault{Operation: "reservations/getAll/2023-06-06", Status: http.StatusRequestTimeout})
		f := reservations.ListParams{States: []reservations.State{reservations.StateCanceled}}
		got, err := reservations.List(conn, withPageSize(f, 20)).Collect(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sameSet(t, seededIDs(srv, func(r mewstest.Reservation) bool { return r.State == "Canceled" }), ids(got))
		var counts []int
		for _, r := range getAllRequests(t, srv) {
			var lim paging.Limitation
			_ = json.Unmarshal(r["Limitation"], &lim)
			counts = append(counts, lim.Count)
		}
		// The 408 is answered with a smaller page at once (repeating the same heavy page
		// would only time out again), and the smaller Count is kept.
		if counts[0] != 20 || counts[1] != 10 || slices.Max(counts[1:]) != 10 || len(counts) < 5 {
			t.Errorf("counts = %v, want one 20 that timed out, then 10 for every page", counts)
		}
	})
}

func TestListOfAnUnauthorizedTokenFailsOnce(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	srv.Revoke(mewstest.AccessToken)
	n := 0
	for _, err := range reservations.List(conn, reservations.ListParams{}).All(context.Background()) {
		n++
		switch {
		case strings.Contains(fmt.Sprint(err), mewstest.AccessToken):
			t.Error("the error contains the access token") // not quoted
		case !errors.Is(err, mews.ErrInvalidAuthentication):
			t.Errorf("err = %v, want ErrInvalidAuthentication", err)
		}
	}
	if n != 1 {
		t.Errorf("yielded %d times, want the error once", n)
	}
}

func TestAPortfolioTokenListsTheReservationsOfTheHotelsItAsksFor(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.NewFor(t, mewstest.PortfolioAccessToken, twoMonths)
	harbour := srv.AddReservation(mewstest.Reservation{EnterpriseID: mewstest.SecondEnterpriseID,
		ScheduledStartUtc: mewstest.SeedEpoch(), ScheduledEndUtc: mewstest.SeedEpoch().AddDate(0, 0, 1), CreatedUtc: mewstest.SeedEpoch()})
	f := reservations.ListParams{EnterpriseIDs: []string{mewstest.SecondEnterpriseID}}
	got, err := reservations.List(conn, f).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != harbour.ID {
		t.Errorf("got %d reservations, want only the Harbour Inn's", len(got))
	}
}

// withPageSize returns p asking for n reservations per page.
func withPageSize(p reservations.ListParams, n int) reservations.ListParams {
	p.PageSize = n
	return p
}
