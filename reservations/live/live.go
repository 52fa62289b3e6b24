package live

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/reservations"
)

// Entry is what the view holds for one reservation: the fields a door system acts on.
type Entry struct {
	ID                string
	Number            string
	State             reservations.State
	RoomID            string // the assigned resource; "" while none is assigned
	ScheduledStartUtc time.Time
	ScheduledEndUtc   time.Time
	UpdatedUtc        time.Time
}

// sameStay reports whether two entries agree on everything but UpdatedUtc.
func (e Entry) sameStay(o Entry) bool {
	e.UpdatedUtc, o.UpdatedUtc = time.Time{}, time.Time{}
	return e == o
}

func entryOf(r *reservations.Reservation) Entry {
	e := Entry{
		ID: r.ID, Number: r.Number, State: r.State, ScheduledStartUtc: r.ScheduledStartUtc,
		ScheduledEndUtc: r.ScheduledEndUtc, UpdatedUtc: r.UpdatedUtc,
	}
	if r.AssignedResourceID != nil {
		e.RoomID = *r.AssignedResourceID
	}
	return e
}

// Source says what made the sync read a reservation.
type Source string

// Sources of a Change.
const (
	FromEvent     Source = "event"     // a Reservation or Resource event
	FromResync    Source = "resync"    // the catch-up after a (re)connect, or its follow-up after the lag
	FromFeed      Source = "feed"      // the periodic change-feed pass, the fallback for lost events
	FromReconcile Source = "reconcile" // the periodic full reconciliation
)

// Change is a reservation whose Entry changed, with the fresh read it came from.
type Change struct {
	// Before is the entry the view held, nil the first time the sync sees the reservation.
	Before *Entry
	After  Entry
	// Reservation is the reservation as the API returned it just now.
	Reservation reservations.Reservation
	Source      Source
}

// Handler acts on one change, e.g. moves a guest's PIN to the new room. Calls never
// overlap. When it fails, the view keeps the old entry, so the next read of the
// reservation (the feed's, at the latest) calls it again.
type Handler func(ctx context.Context, c Change) error

// Sync keeps a view of reservations and their rooms current. Create it with New; its
// methods are safe for concurrent use.
type Sync struct {
	src       source
	handle    Handler
	logger    *slog.Logger
	now       func() time.Time // the clock of reconciliation windows; schedules use the host's
	mewsNow   func() time.Time // nil: the feed asks Mews
	lag       time.Duration
	feedEvery time.Duration
	reconcile time.Duration
	horizon   time.Duration

	applyMu sync.Mutex // serializes handler calls and view changes
	view    map[string]Entry
	rooms   map[string]map[string]bool // room id → reservation ids in it

	feedMu sync.Mutex // passes of the feed never overlap
	feed   *reservations.ChangeFeed
	start  reservations.Watermark

	mu         sync.Mutex
	followUps  []time.Time // on the host's clock, like every schedule of Run
	reconciled time.Time   // when the last reconciliation started, on the host's clock
	wake       chan struct{}
	closed     bool
	cancel     context.CancelFunc
	running    sync.WaitGroup
}

// New builds a sync for conn that calls handle for every change. It makes no network
// call; Run starts the periodic passes, Handle takes events, Resync catches up.
func New(conn *mews.Connector, handle Handler, opts ...Option) (*Sync, error) {
	if conn == nil {
		return nil, invalid("conn", "is nil; pass a *mews.Connector from Client.Connector")
	}
	if handle == nil {
		return nil, invalid("handle", "is nil")
	}
	st := settings{lag: reservations.DefaultSyncLag, feedEvery: DefaultFeedInterval, reconcile: DefaultReconcileInterval, horizon: DefaultHorizon}
	for _, opt := range opts {
		if err := opt(&st); err != nil {
			return nil, err
		}
	}
	if st.logger == nil {
		st.logger = slog.New(slog.DiscardHandler)
	}
	now := time.Now
	if st.clock != nil {
		now = st.clock
	}
	return &Sync{
		src: source{conn: conn}, handle: handle, logger: st.logger, now: now, mewsNow: st.clock,
		lag: st.lag, feedEvery: st.feedEvery, reconcile: st.reconcile, horizon: st.horizon,
		view: make(map[string]Entry), rooms: make(map[string]map[string]bool),
		start: st.watermark, wake: make(chan struct{}, 1),
	}, nil
}

// Lookup returns the view's entry for a reservation.
func (s *Sync) Lookup(id string) (Entry, bool) {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	e, ok := s.view[id]
	return e, ok
}

// InRoom returns the view's entries assigned to a room, ordered by arrival.
func (s *Sync) InRoom(roomID string) []Entry {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	var out []Entry
	for id := range s.rooms[roomID] {
		out = append(out, s.view[id])
	}
	slices.SortFunc(out, func(a, b Entry) int { return a.ScheduledStartUtc.Compare(b.ScheduledStartUtc) })
	return out
}

// Watermark is where the change feed resumes: persist it and pass it to WithWatermark
// after a restart. It is zero until the first feed pass.
func (s *Sync) Watermark() reservations.Watermark {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	if s.feed == nil {
		return s.start
	}
	return s.feed.Watermark()
}

// Handle reads what an event points at and applies it: the reservation of a
// Reservation event; the view's reservations in the room of a Resource event. The
// event's own fields are never used, so a duplicate or stale event costs one read and
// changes nothing. Other events are ignored.
func (s *Sync) Handle(ctx context.Context, ev events.Event) error {
	var ids []string
	switch ev := ev.(type) {
	case events.Reservation:
		ids = []string{ev.ID}
	case events.Resource:
		s.applyMu.Lock()
		for id := range s.rooms[ev.ID] {
			ids = append(ids, id)
		}
		s.applyMu.Unlock()
	}
	if len(ids) == 0 {
		return nil
	}
	found, err := s.src.get(ctx, ids)
	if err != nil {
		return err
	}
	for i := range found {
		if err := s.apply(ctx, &found[i], FromEvent); err != nil {
			return err
		}
	}
	return nil
}

// Resync is an events.ResyncFunc: it runs a feed pass now, catching up on what changed
// while no socket was open, and schedules a second pass once the feed's lag has passed
// (Run performs it), because a pass reads only changes older than the lag. Give it to
// events.WithResync, alone or from your own hook.
func (s *Sync) Resync(ctx context.Context, _ events.Resync) error {
	if err := s.pass(ctx, FromResync); err != nil {
		return err
	}
	s.mu.Lock()
	s.followUps = append(s.followUps, time.Now().Add(s.lag+time.Second))
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	return nil
}

// Run performs the periodic work until ctx ends or Close is called: a full
// reconciliation first and then every reconcile interval, a feed pass every feed
// interval (the fallback when events are lost or the socket is down), and the
// follow-up passes Resync scheduled. A failed pass is logged and tried again at the
// next interval; Run returns early only with an error matching
// mews.ErrInvalidAuthentication (report it to a connection.Monitor). After Close it
// returns nil.
func (s *Sync) Run(ctx context.Context) error {
	ctx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	defer s.running.Done()
	nextFeed := time.Now()
	nextReconcile := time.Now()
	for {
		now := time.Now()
		if due := s.takeFollowUp(now); due || !now.Before(nextFeed) {
			src := FromFeed
			if due {
				src = FromResync
			}
			if err := s.pass(ctx, src); err != nil {
				if fatal(ctx, err) {
					return s.end(ctx, err)
				}
				s.logger.Warn("mews live: change feed pass failed", "error", err)
			}
			nextFeed = time.Now().Add(s.feedEvery)
		}
		if last := s.lastReconciled(); !last.IsZero() && last.Add(s.reconcile).After(nextReconcile) {
			nextReconcile = last.Add(s.reconcile) // the first pass reconciled already
		}
		if !time.Now().Before(nextReconcile) {
			if err := s.reconcileOnce(ctx); err != nil {
				if fatal(ctx, err) {
					return s.end(ctx, err)
				}
				s.logger.Warn("mews live: reconciliation failed", "error", err)
			}
			nextReconcile = time.Now().Add(s.reconcile)
		}
		next := nextFeed
		if nextReconcile.Before(next) {
			next = nextReconcile
		}
		if f, ok := s.firstFollowUp(); ok && f.Before(next) {
			next = f
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return s.end(ctx, nil)
		case <-s.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// fatal reports whether Run must stop: the context ended or Mews refused the tokens.
func fatal(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, mews.ErrInvalidAuthentication)
}

// begin marks Run as running under a context Close can cancel.
func (s *Sync) begin(ctx context.Context) (context.Context, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if s.cancel != nil {
		return nil, ErrBusy
	}
	ctx, s.cancel = context.WithCancel(ctx)
	s.running.Add(1)
	return ctx, nil
}

// end returns Run's result: err, ctx's cause, or nil after Close.
func (s *Sync) end(ctx context.Context, err error) error {
	s.mu.Lock()
	closed := s.closed
	s.cancel()
	s.cancel = nil
	s.mu.Unlock()
	switch {
	case closed:
		return nil
	case err != nil && !errors.Is(err, context.Canceled):
		return err
	}
	return context.Cause(ctx)
}

// Close ends Run, if it is running, and returns once it has. Later Runs return ErrClosed.
func (s *Sync) Close() error {
	s.mu.Lock()
	s.closed = true
	cancel := s.cancel
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	s.running.Wait()
	return nil
}

// takeFollowUp removes the follow-ups due at now and reports whether there were any.
func (s *Sync) takeFollowUp(now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for n < len(s.followUps) && !s.followUps[n].After(now) {
		n++
	}
	s.followUps = s.followUps[n:]
	return n > 0
}

// lastReconciled returns when the last reconciliation started.
func (s *Sync) lastReconciled() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reconciled
}

// firstFollowUp returns the earliest pending follow-up.
func (s *Sync) firstFollowUp() (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.followUps) == 0 {
		return time.Time{}, false
	}
	return s.followUps[0], true
}

// pass runs one change-feed pass, starting the feed at the watermark (or, without one,
// with a reconciliation) the first time.
func (s *Sync) pass(ctx context.Context, src Source) error {
	s.feedMu.Lock()
	defer s.feedMu.Unlock()
	if s.feed == nil {
		start := s.start
		if start.IsZero() {
			// Without a watermark, a reconciliation is the initial load, and the feed
			// starts a little before it, so nothing made meanwhile is missed.
			start = reservations.NewWatermark(s.now().Add(-s.lag - startMargin))
			if err := s.reconcileOnce(ctx); err != nil {
				return err
			}
		}
		s.feed = s.src.feed(start, s.lag, s.mewsNow)
	}
	for r, err := range s.feed.All(ctx) {
		if err != nil {
			return err
		}
		if err := s.apply(ctx, &r, src); err != nil {
			return err // the watermark stays: the window is read again next pass
		}
	}
	return nil
}

// startMargin is how far before its first reconciliation a feed without a watermark
// starts, against a host clock ahead of Mews'.
const startMargin = 5 * time.Minute

// reconcileOnce reads every reservation whose stay overlaps [now, now+horizon) and
// applies it.
func (s *Sync) reconcileOnce(ctx context.Context) error {
	now := s.now()
	s.mu.Lock()
	s.reconciled = time.Now()
	s.mu.Unlock()
	for r, err := range s.src.colliding(ctx, now, now.Add(s.horizon)) {
		if err != nil {
			return err
		}
		if err := s.apply(ctx, &r, FromReconcile); err != nil {
			return err
		}
	}
	s.forget(now.Add(-forgetAfter))
	return nil
}

// forgetAfter is how long after its scheduled end a stay stays in the view.
const forgetAfter = 24 * time.Hour

// forget drops the stays that ended before t, so that the view holds the current and
// coming ones only. A later read of one of them is a new entry again.
func (s *Sync) forget(t time.Time) {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	for id, e := range s.view {
		if e.ScheduledEndUtc.Before(t) {
			delete(s.view, id)
			if room := s.rooms[e.RoomID]; room != nil {
				delete(room, id)
				if len(room) == 0 {
					delete(s.rooms, e.RoomID)
				}
			}
		}
	}
}

// apply compares a fresh read with the view, calls the handler when the stay changed,
// and stores the new entry once the handler succeeded. A read older than the view's
// (two reads racing) is ignored.
func (s *Sync) apply(ctx context.Context, r *reservations.Reservation, src Source) error {
	s.applyMu.Lock()
	defer s.applyMu.Unlock()
	after := entryOf(r)
	before, known := s.view[r.ID]
	if known && after.UpdatedUtc.Before(before.UpdatedUtc) {
		return nil
	}
	if !known || !before.sameStay(after) {
		c := Change{After: after, Reservation: *r, Source: src}
		if known {
			c.Before = &before
		}
		if err := s.handle(ctx, c); err != nil {
			return err
		}
	}
	if known && before.RoomID != after.RoomID {
		delete(s.rooms[before.RoomID], r.ID)
		if len(s.rooms[before.RoomID]) == 0 {
			delete(s.rooms, before.RoomID)
		}
	}
	if after.RoomID != "" {
		if s.rooms[after.RoomID] == nil {
			s.rooms[after.RoomID] = make(map[string]bool)
		}
		s.rooms[after.RoomID][r.ID] = true
	}
	s.view[r.ID] = after
	return nil
}
