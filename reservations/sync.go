package reservations

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// DefaultSyncLag is how far behind the clock a change feed stops by default. Mews
// stamps UpdatedUtc when a change is made, and the change may become visible to
// getAll a moment later; clocks also drift. Stopping short of "now" and starting the
// next pass exactly there means a late change is picked up next time instead of being
// skipped for ever.
const DefaultSyncLag = time.Minute

// Watermark is the point up to which a change feed has delivered every change: all
// reservations updated before it (UpdatedUtc < Watermark) were yielded. Persist it
// (it is a text value: MarshalText, or use it as a JSON field) and resume from it
// after a restart or a crash.
type Watermark struct {
	t time.Time
}

// NewWatermark starts a change feed at t: changes made at or after t are delivered.
func NewWatermark(t time.Time) Watermark { return Watermark{t: t.UTC()} }

// Time returns the instant the watermark stands at.
func (w Watermark) Time() time.Time { return w.t }

// IsZero reports whether the watermark was never set.
func (w Watermark) IsZero() bool { return w.t.IsZero() }

// String returns the watermark as an RFC 3339 UTC time with nanoseconds.
func (w Watermark) String() string { return w.t.Format(time.RFC3339Nano) }

// MarshalText writes the watermark as an RFC 3339 UTC time with nanoseconds.
func (w Watermark) MarshalText() ([]byte, error) {
	if w.t.IsZero() {
		return []byte{}, nil
	}
	return w.t.AppendFormat(nil, time.RFC3339Nano), nil
}

// UnmarshalText reads what MarshalText wrote; empty text gives the zero Watermark.
func (w *Watermark) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*w = Watermark{}
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil {
		return &mews.InputError{Field: "Watermark", Reason: "is not an RFC 3339 time: " + err.Error()}
	}
	*w = NewWatermark(t)
	return nil
}

// ChangesParams tunes a change feed. The zero value is ready to use.
type ChangesParams struct {
	// Filter narrows the changes (EnterpriseIDs, States, AssignedResourceIDs…) and sets
	// the page size. Its UpdatedUtc must be nil: the feed sets it.
	Filter ListParams
	// Lag is how far behind Mews' clock each pass stops (default DefaultSyncLag).
	// Negative means no lag.
	Lag time.Duration
	// Now replaces Mews' clock, for a caller that already tracks it (or a test). By
	// default each pass first asks Mews for its clock (NowUtc of configuration/get, one
	// extra request per pass): changes are stamped by Mews' clock, so a local clock that
	// runs ahead would move the watermark past changes not yet made, and one that runs
	// behind would deliver them late. Never pass the host's time.Now here.
	Now func() time.Time
}

// ChangeFeed delivers the reservations changed since a watermark, pass after pass.
// Each pass (a call to All) reads Mews' clock and asks for UpdatedUtc in
// [watermark, now−lag), now being Mews' clock, never the host's; the end
// rounded down to a whole second, split into windows of at most three months, and
// moves the watermark to the end of each window once the window has been delivered
// completely. Because the intervals are half-open
// and each pass starts exactly where the previous one ended, a change is never
// skipped and never delivered twice by passes that complete — even a change stamped
// exactly at the watermark. A pass that breaks off (an error, a crash, a break in the
// loop) leaves the watermark at the start of the unfinished window, so that window is
// delivered again next time: delivery is at least once, so make handling idempotent.
//
// A ChangeFeed is safe for concurrent use, but passes must not overlap.
type ChangeFeed struct {
	conn mews.ConnectorCaller
	opts ChangesParams

	mu sync.Mutex
	wm Watermark
}

// Changes returns a change feed for the connection, starting at since. Nothing is
// sent until All is ranged over.
func Changes(h mews.ConnectorCaller, since Watermark, p ChangesParams) *ChangeFeed {
	switch {
	case p.Lag == 0:
		p.Lag = DefaultSyncLag
	case p.Lag < 0:
		p.Lag = 0
	}
	return &ChangeFeed{conn: h, opts: p, wm: since}
}

// Watermark returns the feed's current watermark: the point to resume from.
func (c *ChangeFeed) Watermark() Watermark {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wm
}

// All runs one pass: it yields every reservation updated between the watermark and
// now minus the lag, advancing the watermark window by window. On failure it yields
// the error once and stops; the watermark stays at the last complete window.
func (c *ChangeFeed) All(ctx context.Context) iter.Seq2[Reservation, error] {
	return func(yield func(Reservation, error) bool) {
		from := c.Watermark()
		if err := c.check(from); err != nil {
			yield(Reservation{}, err)
			return
		}
		// Whole seconds: Mews documents date-times without fractions, and a .NET parser
		// need not read Go's nine fractional digits. The next pass starts exactly at
		// until; a first watermark with a fraction is rounded down, which can only
		// deliver more.
		start := from.t.Truncate(time.Second)
		now, err := c.mewsNow(ctx)
		if err != nil {
			yield(Reservation{}, err)
			return
		}
		until := now.UTC().Add(-c.opts.Lag).Truncate(time.Second)
		if !until.After(start) {
			return // nothing can have settled since the last pass
		}
		for _, w := range mews.Interval(start, until).Split() {
			f := c.opts.Filter
			f.UpdatedUtc = &w
			for r, err := range List(c.conn, f).All(ctx) {
				if !yield(r, err) || err != nil {
					return
				}
			}
			c.mu.Lock()
			c.wm = NewWatermark(w.EndUtc)
			c.mu.Unlock()
		}
	}
}

// opConfiguration is the operation whose NowUtc is Mews' clock.
const opConfiguration = "configuration/get"

// mewsNow returns Mews' clock: ChangesParams.Now if set, otherwise NowUtc from
// configuration/get. (The properties package wraps configuration/get fully, but it
// imports this package, so the feed reads only the one field it needs.)
func (c *ChangeFeed) mewsNow(ctx context.Context) (time.Time, error) {
	if c.opts.Now != nil {
		return c.opts.Now(), nil
	}
	var cfg struct {
		NowUtc time.Time `json:"NowUtc"`
	}
	if err := listfilter.Call(ctx, c.conn, mews.Operation{Name: opConfiguration, Safety: mews.Read}, struct{}{}, &cfg); err != nil {
		return time.Time{}, err
	}
	if cfg.NowUtc.IsZero() {
		return time.Time{}, &mews.APIError{API: mews.ConnectorAPI, Operation: opConfiguration, StatusCode: http.StatusOK, Err: fmt.Errorf("%w: no NowUtc, so Mews' clock is unknown", mews.ErrBadResponse)}
	}
	return cfg.NowUtc, nil
}

// check refuses a pass that cannot be right.
func (c *ChangeFeed) check(from Watermark) error {
	switch {
	case from.IsZero():
		return &mews.InputError{Operation: opGetAll, Field: "Watermark", Reason: "is zero; start a feed with NewWatermark(time) — for a first full load use List with CollidingUtc"}
	case c.opts.Filter.UpdatedUtc != nil:
		return &mews.InputError{Operation: opGetAll, Field: "UpdatedUtc", Reason: "is set by the change feed; leave ChangesParams.Filter.UpdatedUtc nil"}
	}
	return nil
}
