package reservations_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// TestChangesFollowsMewsClockWhateverTheLocalClock runs a feed on a host whose clock is
// minutes off Mews' clock. Mews stamps every change with its own clock and reports that
// clock in configuration/get; a feed bounded by the local clock skips changes (local
// clock ahead) or delivers them minutes late (local clock behind).
func TestChangesFollowsMewsClockWhateverTheLocalClock(t *testing.T) {
	for name, skew := range map[string]time.Duration{"local clock 5 minutes ahead": 5 * time.Minute, "local clock 5 minutes behind": -5 * time.Minute} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := testhotel.New(t, twoMonths)
				mewsNow := func() time.Time { return time.Now().Add(-skew).UTC() }
				srv.HandleConnector("configuration/get", func(*mewstest.Request) (any, error) {
					return map[string]any{"NowUtc": mewsNow().Truncate(time.Second)}, nil
				})
				const lag = time.Minute
				feed := reservations.Changes(conn, reservations.NewWatermark(mewsNow()), reservations.ChangesParams{Lag: lag})
				delivered := map[string]bool{}
				runPass := func() {
					for r, err := range feed.All(context.Background()) {
						if err != nil {
							t.Fatal(err)
						}
						delivered[r.ID] = true
					}
				}
				var changed []string
				for _, r := range srv.Reservations()[:20] {
					srv.UpdateReservation(r.ID, func(r *mewstest.Reservation) { r.UpdatedUtc = mewsNow() })
					changed = append(changed, r.ID)
					time.Sleep(20 * time.Second)
					runPass()
				}
				time.Sleep(lag + 2*time.Second) // every change has settled in Mews' time
				runPass()
				var missing []string
				for _, id := range changed {
					if !delivered[id] {
						missing = append(missing, id)
					}
				}
				if len(missing) > 0 {
					t.Errorf("%d of %d changes not delivered once they settled in Mews' time", len(missing), len(changed))
				}
				if got, max := feed.Watermark().Time(), mewsNow().Add(-lag); got.After(max) {
					t.Errorf("watermark %s is ahead of Mews' clock minus the lag (%s)", got, max)
				}
			})
		})
	}
}
