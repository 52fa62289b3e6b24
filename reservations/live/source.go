package live

import (
	"context"
	"iter"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// source is the one place that calls the reservations package, so that a change of its
// signatures is a change here only.
type source struct {
	conn mews.ConnectorCaller
}

// get reads reservations by id, in any state.
func (s source) get(ctx context.Context, ids []string) ([]reservations.Reservation, error) {
	return reservations.GetMany(ctx, s.conn, ids)
}

// colliding lists the reservations, in any state, whose stay overlaps [from, to).
func (s source) colliding(ctx context.Context, from, to time.Time) iter.Seq2[reservations.Reservation, error] {
	iv := mews.Interval(from, to)
	p := reservations.ListParams{CollidingUtc: &iv, States: reservations.AllStates()}
	return reservations.List(s.conn, p).All(ctx)
}

// feed is a change feed from since, with the given lag and clock (nil: Mews' clock).
func (s source) feed(since reservations.Watermark, lag time.Duration, now func() time.Time) *reservations.ChangeFeed {
	if lag == 0 {
		lag = -1 // the feed reads 0 as its default lag
	}
	return reservations.Changes(s.conn, since, reservations.ChangesParams{Lag: lag, Now: now, Filter: reservations.ListParams{States: reservations.AllStates()}})
}
