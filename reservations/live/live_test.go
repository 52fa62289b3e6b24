package live_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations/live"
)

// recorder is a Handler that remembers every change.
type recorder struct {
	mu      sync.Mutex
	changes []live.Change
}

func (r *recorder) handle(_ context.Context, c live.Change) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = append(r.changes, c)
	return nil
}

// of returns the changes of one reservation and forgets all others.
func (r *recorder) of(id string) []live.Change {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []live.Change
	for _, c := range r.changes {
		if c.After.ID == id {
			out = append(out, c)
		}
	}
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.changes = nil
}

// portal is a running sync fed by an events client over an in-process fake Mews.
type portal struct {
	srv  *mewstest.Server
	sync *live.Sync
	rec  *recorder
	runs chan error
}

// noSeededStays leaves the hotel's rooms but seeds no stays: the seeded ones lie around
// 2026, far from the bubble's clock (2000), so no view here ever held one, yet every
// listing and reconciliation scanned all 6,500 of them.
var noSeededStays = mewstest.WithSeedMonths(0, 0)

// startPortal starts the sync's Run and an events range that hands every event to
// Handle, and waits until the initial load is done. Both end with the test.
func startPortal(t *testing.T, opts ...live.Option) *portal {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess(), noSeededStays)
	t.Cleanup(srv.Close)
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	p := &portal{srv: srv, rec: &recorder{}, runs: make(chan error, 2)}
	p.sync, err = live.New(conn, p.rec.handle, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := events.New(conn, events.WithHTTPClient(&http.Client{Transport: srv.Transport()}),
		events.WithResync(p.sync.Resync), events.WithBackoff(time.Second, 2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { p.runs <- p.sync.Run(ctx) }()
	go func() {
		for e, err := range ev.Events(ctx) {
			if err != nil {
				p.runs <- err
				return
			}
			if err := p.sync.Handle(ctx, e); err != nil {
				t.Errorf("Handle(%v): %v", e, err)
			}
		}
		p.runs <- nil
	}()
	t.Cleanup(func() {
		cancel()
		ev.Close()
		p.sync.Close()
		for range 2 {
			if err := <-p.runs; err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("ended with %v", err)
			}
		}
	})
	synctest.Wait() // the initial load (the seeded stays are years after the bubble's clock)
	p.rec.reset()
	return p
}

// guestArrivingSoon is a confirmed reservation with a room, arriving within the
// horizon, and another room to move it to.
func guestArrivingSoon(t *testing.T, srv *mewstest.Server) (mewstest.Reservation, []string) {
	t.Helper()
	now := time.Now()
	var rooms []string
	for _, room := range srv.Rooms() {
		if room.IsActive && room.ParentID == "" {
			rooms = append(rooms, room.ID)
		}
	}
	r := srv.AddReservation(mewstest.Reservation{
		RoomID: rooms[0], State: "Confirmed", CreatedUtc: now.Add(-time.Hour),
		ScheduledStartUtc: now.Add(2 * time.Hour), ScheduledEndUtc: now.Add(26 * time.Hour),
	})
	return r, rooms[1:]
}

func TestAChangeMadeWhileDisconnectedArrivesThroughTheResyncsFollowUpPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The feed's own interval is long, so that only the resync can catch up.
		p := startPortal(t, live.WithFeedInterval(time.Hour))
		r, others := guestArrivingSoon(t, p.srv)
		synctest.Wait()
		if got := p.rec.of(r.ID); len(got) != 1 || got[0].Source != live.FromEvent {
			t.Fatalf("a new reservation gave changes %+v, want one from its event", got)
		}

		// The socket drops and stays down for a few attempts; meanwhile the guest moves.
		p.srv.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusServiceUnavailable, RefuseTimes: 3})
		if n := p.srv.DropWebSockets(); n != 1 {
			t.Fatalf("dropped %d sockets, want 1", n)
		}
		p.srv.UpdateReservation(r.ID, func(res *mewstest.Reservation) { res.RoomID = others[0] })
		time.Sleep(20 * time.Second)
		if p.srv.OpenWebSockets() != 1 {
			t.Fatal("the client did not reconnect")
		}
		if got := p.rec.of(r.ID); len(got) != 1 {
			t.Fatalf("the move arrived before the feed's lag passed: %+v", got)
		}

		time.Sleep(reservationsLag)
		got := p.rec.of(r.ID)
		if len(got) != 2 {
			t.Fatalf("after the lag, changes = %+v, want the move", got)
		}
		if c := got[1]; c.Source != live.FromResync || c.Before.RoomID != r.RoomID || c.After.RoomID != others[0] {
			t.Errorf("the move arrived as %+v, want from the resync, room %s to %s", c, r.RoomID, others[0])
		}
		if e, _ := p.sync.Lookup(r.ID); e.RoomID != others[0] {
			t.Errorf("the view has room %s, want %s", e.RoomID, others[0])
		}
	})
}

// reservationsLag is the feed's default lag plus the follow-up's second.
const reservationsLag = time.Minute + time.Second

func TestDuplicatedAndOutOfOrderEventsChangeNothing(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPortal(t)
		p.srv.SetWebSocketFaults(mewstest.WebSocketFaults{Duplicate: true})
		r, others := guestArrivingSoon(t, p.srv)
		p.srv.UpdateReservation(r.ID, func(res *mewstest.Reservation) { res.RoomID = others[0] })
		p.srv.UpdateReservation(r.ID, func(res *mewstest.Reservation) { res.RoomID = others[1] })
		// A stale event, as if the first move came again after the second.
		p.srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Reservation", ID: r.ID, State: "Confirmed", AssignedResourceID: others[0]})
		synctest.Wait()

		got := p.rec.of(r.ID)
		if len(got) == 0 || len(got) > 3 {
			t.Fatalf("changes = %+v, want at most one per distinct stay", got)
		}
		for i, c := range got {
			if c.Before != nil && c.Before.RoomID == c.After.RoomID && c.Before.State == c.After.State {
				t.Errorf("change %d changed nothing: %+v", i, c)
			}
		}
		if last := got[len(got)-1]; last.After.RoomID != others[1] {
			t.Errorf("the last change put the guest in %s, want %s (the stale event must not win)", last.After.RoomID, others[1])
		}
		if e, _ := p.sync.Lookup(r.ID); e.RoomID != others[1] {
			t.Errorf("the view has room %s, want %s", e.RoomID, others[1])
		}
		if n := len(p.sync.InRoom(others[0])); n != 0 {
			t.Errorf("the room left behind still holds %d reservations", n)
		}
	})
}

func TestAResourceEventRereadsTheReservationsInThatRoom(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPortal(t, live.WithFeedInterval(time.Hour))
		r, _ := guestArrivingSoon(t, p.srv)
		synctest.Wait()
		before := len(p.srv.RequestsFor("reservations/getAll/2023-06-06"))
		p.srv.UpdateRoom(r.RoomID, func(room *mewstest.Room) { room.State = "Dirty" })
		synctest.Wait()
		if n := len(p.srv.RequestsFor("reservations/getAll/2023-06-06")) - before; n != 1 {
			t.Errorf("a Resource event made %d reads, want 1 (the reservations in the room)", n)
		}
	})
}

func TestAFailedHandlerIsCalledAgainByTheNextFeedPass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess(), noSeededStays)
		defer srv.Close()
		conn, err := srv.Connector(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		r, others := guestArrivingSoon(t, srv)
		var mu sync.Mutex
		calls := 0
		s, err := live.New(conn, func(_ context.Context, c live.Change) error {
			if c.After.ID != r.ID || c.After.RoomID != others[0] {
				return nil
			}
			mu.Lock()
			defer mu.Unlock()
			calls++
			if calls == 1 {
				return errors.New("the lock system is down")
			}
			return nil
		}, live.WithLag(0))
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error)
		go func() { done <- s.Run(t.Context()) }()
		synctest.Wait()
		srv.UpdateReservation(r.ID, func(res *mewstest.Reservation) { res.RoomID = others[0] })
		time.Sleep(2*live.DefaultFeedInterval + time.Second)
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("Run after Close = %v, want nil", err)
		}
		if calls != 2 {
			t.Errorf("the handler was called %d times for the move, want 2 (failed, then again)", calls)
		}
		if e, _ := s.Lookup(r.ID); e.RoomID != others[0] {
			t.Errorf("the view has room %s, want %s", e.RoomID, others[0])
		}
	})
}

func TestRunEndsWithARevokedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess(), noSeededStays)
		defer srv.Close()
		conn, err := srv.Connector(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		s, err := live.New(conn, func(context.Context, live.Change) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		srv.Revoke(mewstest.AccessToken)
		if err := s.Run(t.Context()); !errors.Is(err, mews.ErrInvalidAuthentication) {
			t.Errorf("Run = %v, want ErrInvalidAuthentication", err)
		}
	})
}

func TestNewRefusesInvalidOptions(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess(), noSeededStays)
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	ok := func(context.Context, live.Change) error { return nil }
	for name, opt := range map[string]live.Option{
		"feed interval":      live.WithFeedInterval(0),
		"reconcile interval": live.WithReconcileInterval(time.Second),
		"horizon":            live.WithHorizon(time.Minute),
		"lag":                live.WithLag(-time.Second),
		"clock":              live.WithClock(nil),
		"logger":             live.WithLogger(nil),
	} {
		if _, err := live.New(conn, ok, opt); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := live.New(conn, nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil handler: err = %v, want ErrInvalidInput", err)
	}
}

func TestTheViewForgetsAStayADayAfterItEnded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := startPortal(t, live.WithReconcileInterval(time.Hour), live.WithFeedInterval(time.Hour))
		r, _ := guestArrivingSoon(t, p.srv)
		synctest.Wait()
		if _, ok := p.sync.Lookup(r.ID); !ok {
			t.Fatal("the new stay is not in the view")
		}
		time.Sleep(time.Until(r.ScheduledEndUtc) + 26*time.Hour) // a reconciliation a day after the end, and the next
		if _, ok := p.sync.Lookup(r.ID); ok {
			t.Error("the stay is still in the view a day after it ended")
		}
		if n := len(p.sync.InRoom(r.RoomID)); n != 0 {
			t.Errorf("its room still holds %d stays", n)
		}
	})
}

// TestCloseEndsRun relies on synctest: the bubble fails if a goroutine of the sync is
// still blocked when the test returns.
func TestCloseEndsRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess(), noSeededStays)
		defer srv.Close()
		conn, err := srv.Connector(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		s, err := live.New(conn, func(context.Context, live.Change) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- s.Run(context.Background()) }()
		synctest.Wait()
		if err := s.Resync(t.Context(), events.Resync{Connects: 2}); err != nil { // schedules a follow-up
			t.Fatal(err)
		}
		s.Close()
		if err := <-done; err != nil {
			t.Errorf("Run = %v, want nil after Close", err)
		}
		if err := s.Run(context.Background()); !errors.Is(err, live.ErrClosed) {
			t.Errorf("Run after Close = %v, want ErrClosed", err)
		}
	})
}
