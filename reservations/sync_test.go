package reservations_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/months"
	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// clock is a settable clock for change feeds.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func pass(t *testing.T, feed *reservations.ChangeFeed) []string {
	t.Helper()
	var got []string
	for r, err := range feed.All(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.ID)
	}
	return got
}

func TestChangesDeliversWhatChangedSinceTheWatermark(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	since := mewstest.SeedEpoch().AddDate(0, 0, -7)
	clk := &clock{now: mewstest.SeedEpoch().Add(time.Hour)}
	feed := reservations.Changes(conn, reservations.NewWatermark(since), reservations.ChangesParams{Now: clk.Now})
	got := pass(t, feed)
	sameSet(t, seededIDs(srv, func(r mewstest.Reservation) bool { return !r.UpdatedUtc.Before(since) }), got)
	if len(got) == 0 {
		t.Fatal("the seed has no changes in the last week")
	}
	if want := clk.now.Add(-reservations.DefaultSyncLag); !feed.Watermark().Time().Equal(want) {
		t.Errorf("watermark = %s, want now minus the lag %s", feed.Watermark(), want)
	}
}

func TestChangesAtTheWatermarkEdgesAreDeliveredExactlyOnce(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	clk := &clock{now: mewstest.SeedEpoch().Add(time.Hour)}
	feed := reservations.Changes(conn, reservations.NewWatermark(mewstest.SeedEpoch()), reservations.ChangesParams{Now: clk.Now, Lag: time.Minute})
	if got := pass(t, feed); len(got) != 0 {
		t.Fatalf("nothing changed after the seed, got %d", len(got))
	}
	edge := feed.Watermark().Time() // SeedEpoch + 59 min: the end of the first pass
	all := srv.Reservations()
	atEdge, beforeEdge, atLag := all[0].ID, all[1].ID, all[2].ID
	srv.UpdateReservation(atEdge, func(r *mewstest.Reservation) { r.UpdatedUtc = edge })
	srv.UpdateReservation(beforeEdge, func(r *mewstest.Reservation) { r.UpdatedUtc = edge.Add(-time.Nanosecond) }) // late arrival
	clk.now = clk.now.Add(10 * time.Minute)
	srv.UpdateReservation(atLag, func(r *mewstest.Reservation) { r.UpdatedUtc = clk.now.Add(-time.Minute) })

	if got := pass(t, feed); !slices.Equal(got, []string{atEdge}) {
		t.Errorf("second pass = %v, want only the change stamped exactly at the watermark", got)
	}
	clk.now = clk.now.Add(time.Minute)
	if got := pass(t, feed); !slices.Equal(got, []string{atLag}) {
		t.Errorf("third pass = %v, want only the change stamped exactly at the previous end", got)
	}
	if got := pass(t, feed); len(got) != 0 {
		t.Errorf("a pass without new time delivered %v again", got)
	}
}

func TestChangesSplitsALongCatchUpAndResumesAfterAFailure(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, conn := testhotel.New(t, mewstest.WithSeedMonths(12, 0)) // the catch-up starts a year back; no later stay is needed
		since := mewstest.SeedEpoch().AddDate(-1, 0, 0)
		clk := &clock{now: mewstest.SeedEpoch()}
		rooms := someRooms(srv, 6) // a few rooms keep a year of changes small
		only := reservations.ListParams{AssignedResourceIDs: rooms}
		feed := reservations.Changes(conn, reservations.NewWatermark(since), reservations.ChangesParams{Filter: withPageSize(only, 10), Now: clk.Now})
		secondWindowEnd := months.Add(months.Add(since, 3), 3)
		var first []string
		failing := false
		for r, err := range feed.All(context.Background()) {
			if err != nil {
				if !errors.Is(err, mews.ErrSystem) {
					t.Fatal(err)
				}
				break
			}
			first = append(first, r.ID)
			// Once two windows are done, Mews fails for good: the third window breaks off.
			if !failing && feed.Watermark().Time().Equal(secondWindowEnd) {
				failing = true
				srv.InjectFault(mewstest.Fault{Operation: "reservations/getAll/2023-06-06", Status: http.StatusInternalServerError, Times: -1})
			}
		}
		resumeAt := feed.Watermark()
		if want := secondWindowEnd; !resumeAt.Time().Equal(want) {
			t.Fatalf("watermark after the failure = %s, want the end of the second window %s", resumeAt, want)
		}
		// A new process resumes from the persisted watermark.
		text, _ := resumeAt.MarshalText()
		var restored reservations.Watermark
		if err := restored.UnmarshalText(text); err != nil {
			t.Fatal(err)
		}
		srv.ClearFaults()
		rest := pass(t, reservations.Changes(conn, restored, reservations.ChangesParams{Filter: only, Now: clk.Now}))
		settled := clk.now.Add(-reservations.DefaultSyncLag)
		want := seededIDs(srv, func(r mewstest.Reservation) bool {
			return slices.Contains(rooms, r.RoomID) && !r.UpdatedUtc.Before(since) && r.UpdatedUtc.Before(settled)
		})
		got := append(slices.Clone(first), rest...)
		slices.Sort(got)
		if len(slices.Compact(got)) != len(want) {
			t.Errorf("first pass and resumed pass together delivered %d distinct reservations, want %d", len(slices.Compact(got)), len(want))
		}
	})
}

func TestChangesSendsWholeSecondsWhateverTheClock(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, twoMonths)
	clk := &clock{now: mewstest.SeedEpoch().Add(time.Hour + 123456789*time.Nanosecond)}
	since := reservations.NewWatermark(mewstest.SeedEpoch().Add(987654321 * time.Nanosecond))
	feed := reservations.Changes(conn, since, reservations.ChangesParams{Now: clk.Now})
	pass(t, feed)
	if want := mewstest.SeedEpoch().Add(59 * time.Minute); !feed.Watermark().Time().Equal(want) {
		t.Errorf("watermark = %s, want %s: now minus the lag, in whole seconds", feed.Watermark(), want)
	}
	for _, r := range getAllRequests(t, srv) {
		if strings.Contains(string(r["UpdatedUtc"]), ".") {
			t.Errorf("UpdatedUtc = %s, want Mews' documented format without fractions", r["UpdatedUtc"])
		}
	}
}

func TestChangesRefusesBadInputWithoutSending(t *testing.T) {
	t.Parallel()
	iv := mews.Interval(mewstest.SeedEpoch(), mewstest.SeedEpoch())
	for _, tc := range []struct {
		name  string
		since reservations.Watermark
		opts  reservations.ChangesParams
		field string // "" for any input error
	}{
		{"a zero watermark", reservations.Watermark{}, reservations.ChangesParams{}, ""},
		{"an UpdatedUtc filter", reservations.NewWatermark(mewstest.SeedEpoch()), reservations.ChangesParams{Filter: reservations.ListParams{UpdatedUtc: &iv}}, "UpdatedUtc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, conn := testhotel.New(t)
			var errs []error
			for _, err := range reservations.Changes(conn, tc.since, tc.opts).All(context.Background()) {
				errs = append(errs, err)
			}
			if len(errs) != 1 {
				t.Errorf("the pass yielded %d times, want the input error once", len(errs))
			}
			testhotel.RefusedBeforeSending(t, srv, tc.field, errs...)
		})
	}
}

func TestWatermarkPersistsAsText(t *testing.T) {
	t.Parallel()
	wm := reservations.NewWatermark(time.Date(2026, 1, 2, 3, 4, 5, 6, time.FixedZone("X", 3600)))
	b, err := json.Marshal(struct{ W reservations.Watermark }{wm})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"W":"2026-01-02T02:04:05.000000006Z"}` {
		t.Errorf("JSON = %s", b)
	}
	var back struct{ W reservations.Watermark }
	if err := json.Unmarshal(b, &back); err != nil || back.W != wm {
		t.Errorf("round trip = %v, %v; want %v", back.W, err, wm)
	}
	if err := back.W.UnmarshalText([]byte("yesterday")); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("UnmarshalText(garbage) = %v", err)
	}
}
