// Command portal-sync is the core loop of an access-control Portal: it keeps the
// hotel's reservations and their rooms in view in real time (Mews' WebSocket events,
// each change read through the API), falls back to the change feed when events are
// lost, maps rooms to the lock system's doors, and gives each guest arriving in the
// next 24 hours a door PIN. Reservations in rooms without a door are skipped with the
// reason, the Portal guide's "room not mapped" case.
//
//	go run ./examples/portal-sync
//
// runs against the embedded sandbox: the initial load of the coming week, then the
// hotel moves a guest to a room with a door (the PIN follows through an event, and the
// latency from the change to the PIN is printed), then the socket is dropped and Mews
// refuses the next reconnects while a guest cancels and a walk-in books: both reach
// the doors through the catch-up after the reconnect. With MEWS_ENVIRONMENT,
// MEWS_CLIENT_TOKEN and MEWS_ACCESS_TOKEN set it loads the coming week from Mews,
// follows events for -listen, and only prints the PINs it would set, unless run with
// -write.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
	"github.com/mewskit/mews-go/reservations/live"
)

// main runs the example on the sandbox, or on Mews for -listen (-write stores the PINs).
func main() {
	write := flag.Bool("write", false, "store the PINs in Mews (always on in the sandbox)")
	listen := flag.Duration("listen", 0, "on Mews, how long to follow events after the initial load")
	flag.Parse()
	os.Exit(exampleenv.Run("portal-sync", *listen+time.Minute, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, os.Stdout, *write || env.Sandbox != nil, *listen)
	}))
}

// wiredFloor reports whether the lock system controls the doors of a floor; so far it
// controls floors 1 to 3.
func wiredFloor(floor string) bool {
	switch floor {
	case "1", "2", "3":
		return true
	}
	return false
}

// portal is the Portal's state: the door map and the PINs it issued. Its handler runs
// on the sync's goroutines, so what the main goroutine shares with it is locked.
type portal struct {
	conn  *mews.Connector
	out   *lockedWriter
	write bool
	now   func() time.Time
	later atomic.Int64      // how far the sandbox's clock has moved on from its "today"
	loc   *time.Location    // the hotel's time zone (configuration/get): times are shown in it
	rooms map[string]string // Mews resource id → room name
	doors map[string]string // room name → door id in the lock system

	mu sync.Mutex
	// issued holds the reservations that got a PIN; a real Portal persists it.
	issued map[string]bool
	// watched are changes the sandbox made: when, and closed once they reached a door.
	watched map[string]*watch
	seen    int
}

// watch is one change made in the sandbox, waiting to reach its door.
type watch struct {
	at   time.Time
	done chan struct{}
}

// lockedWriter serializes lines written from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}

// run builds the door map and keeps the doors in step with Mews: in the sandbox through
// a scripted day at the front desk, on Mews for listen. PINs are stored only when
// write is set.
func run(ctx context.Context, env *exampleenv.Env, out io.Writer, write bool, listen time.Duration) error {
	if err := exampleenv.Require(env.AccessToken, exampleenv.VarAccessToken); err != nil {
		return err
	}
	conn, err := env.Client.Connector(env.AccessToken)
	if err != nil {
		return err
	}
	p := &portal{
		conn: conn, out: &lockedWriter{w: out}, write: write, issued: map[string]bool{}, watched: map[string]*watch{},
	}
	p.now = func() time.Time { return env.Now().Add(time.Duration(p.later.Load())) }
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		return err
	}
	if p.loc, err = cfg.Enterprise.Location(); err != nil {
		return err
	}
	p.out.printf("%s: times in the hotel's time zone, %s\n", cfg.Enterprise.Name, p.loc)
	if err := p.mapDoors(ctx); err != nil {
		return err
	}
	var syncOpts []live.Option
	if env.Sandbox != nil {
		syncOpts = append(syncOpts, live.WithClock(p.now)) // the sandbox's "today"
	}
	view, err := live.New(conn, p.onChange, syncOpts...)
	if err != nil {
		return err
	}
	connects := make(chan events.Resync, 8)
	evOpts := []events.Option{
		events.WithBackoff(200*time.Millisecond, 2*time.Second),
		events.WithResync(func(ctx context.Context, r events.Resync) error {
			if err := view.Resync(ctx, r); err != nil {
				return err
			}
			select {
			case connects <- r:
			default: // nobody is waiting for it
			}
			return nil
		}),
	}
	if env.Sandbox != nil {
		evOpts = append(evOpts, events.WithHTTPClient(&http.Client{Transport: env.Sandbox.Transport()}))
	}
	ev, err := events.New(conn, evOpts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	runErr, evErr := make(chan error, 1), make(chan error, 1)
	wg.Go(func() { runErr <- view.Run(ctx) })
	wg.Go(func() { evErr <- p.follow(ctx, ev, view) })
	defer func() {
		cancel()
		ev.Close()
		view.Close()
		wg.Wait()
	}()

	// The first connect's resync is the initial load. Without events, Run's first pass is.
	select {
	case <-connects:
	case err := <-evErr:
		p.out.printf("events unavailable (%v): following the change feed every minute\n", err)
		if err := view.Resync(ctx, events.Resync{}); err != nil { // the initial load, now
			return err
		}
	case err := <-runErr:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
	p.mu.Lock()
	p.out.printf("initial sync: %d reservations read; the feed resumes at %s\n\n", p.seen, view.Watermark())
	p.mu.Unlock()
	if env.Sandbox == nil {
		return p.wait(ctx, listen, runErr)
	}
	p.later.Store(int64(time.Hour))
	return p.frontDesk(ctx, env.Sandbox, connects)
}

// follow hands every event to the view until the range ends.
func (p *portal) follow(ctx context.Context, ev *events.Client, view *live.Sync) error {
	for e, err := range ev.Events(ctx) {
		if err != nil {
			return err
		}
		if err := view.Handle(ctx, e); err != nil {
			p.out.printf("event %s not applied (the feed reads it again): %v\n", e.EventType(), err)
		}
	}
	return nil
}

// wait follows Mews for d, or until Run fails.
func (p *portal) wait(ctx context.Context, d time.Duration, runErr <-chan error) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case err := <-runErr:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// onChange is the view's handler: apply the reservation, and report how long a change
// the sandbox made took to reach its door.
func (p *portal) onChange(ctx context.Context, c live.Change) error {
	p.mu.Lock()
	p.seen++
	w := p.watched[c.After.ID]
	p.mu.Unlock()
	how := ""
	if w != nil {
		how = fmt.Sprintf(" [%s, %v after the change]", c.Source, time.Since(w.at).Round(time.Microsecond))
	}
	if err := p.apply(ctx, &c.Reservation, how); err != nil {
		return err
	}
	if w != nil {
		p.mu.Lock()
		delete(p.watched, c.After.ID)
		p.mu.Unlock()
		close(w.done)
	}
	return nil
}

// watchChange marks a change the sandbox is about to make to a reservation.
func (p *portal) watchChange(id string) *watch {
	w := &watch{at: time.Now(), done: make(chan struct{})}
	p.mu.Lock()
	p.watched[id] = w
	p.mu.Unlock()
	return w
}

// reached waits until the watched changes reached their doors.
func reached(ctx context.Context, ws ...*watch) error {
	for _, w := range ws {
		select {
		case <-w.done:
		case <-ctx.Done():
			return fmt.Errorf("a change did not reach its door: %w", ctx.Err())
		}
	}
	return nil
}

// mapDoors builds the room → door map from the hotel's rooms: rooms on wired floors
// have a door.
func (p *portal) mapDoors(ctx context.Context) error {
	p.rooms, p.doors = make(map[string]string), make(map[string]string)
	rooms := 0
	for room, err := range properties.ListResources(p.conn, properties.ListResourcesParams{}).All(ctx) {
		if err != nil {
			return err
		}
		p.rooms[room.ID] = room.Name
		if !room.IsRoom() {
			continue // a bed, say: only rooms have doors (properties.Resource.IsRoom)
		}
		rooms++
		if wiredFloor(room.Floor()) {
			p.doors[room.Name] = "door-" + room.Name
		}
	}
	p.out.printf("door map: %d of %d rooms have a door (floors 1-3)\n", len(p.doors), rooms)
	return nil
}

// apply handles one changed reservation: a PIN for a guest arriving in the next 24 hours
// whose room has a door, the reason when there is none, and no PIN any more for a
// canceled reservation.
func (p *portal) apply(ctx context.Context, r *reservations.Reservation, how string) error {
	p.mu.Lock()
	issued := p.issued[r.ID]
	p.mu.Unlock()
	if r.State == reservations.StateCanceled && issued && p.write {
		cleared, err := pins.Clear(ctx, p.conn, r.ID)
		if err != nil {
			return fmt.Errorf("reservation %s: %w", r.Number, err)
		}
		p.mu.Lock()
		delete(p.issued, r.ID)
		p.mu.Unlock()
		p.out.printf("reservation %s was canceled: %d PIN(s) deleted%s\n", r.Number, len(cleared), how)
		return nil
	}
	now := p.now()
	arriving := r.State == reservations.StateConfirmed && !r.ScheduledStartUtc.Before(now) && r.ScheduledStartUtc.Before(now.Add(24*time.Hour))
	if !arriving {
		return nil // a real Portal also moves PINs of guests who changed rooms here
	}
	if r.AssignedResourceID == nil {
		p.out.printf("skipped reservation %s: no room assigned yet%s\n", r.Number, how)
		return nil
	}
	room, listed := p.rooms[*r.AssignedResourceID]
	door, ok := p.doors[room]
	if !listed {
		// Deactivated since, or added after the door map was built: name it by its id.
		room, ok = *r.AssignedResourceID+" (not an active room)", false
	}
	if !ok {
		p.out.printf("skipped reservation %s: room %s is not mapped to a door%s\n", r.Number, room, how)
		return nil
	}
	pin := pinFor(r.ID)
	if !p.write {
		p.out.printf("would set a PIN for reservation %s: room %s, %s (run with -write)%s\n", r.Number, room, door, how)
		return nil
	}
	cred, err := pins.Set(ctx, p.conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, pin)})
	if err != nil {
		return fmt.Errorf("reservation %s: %w", r.Number, err)
	}
	p.mu.Lock()
	p.issued[r.ID] = true
	p.mu.Unlock()
	p.out.printf("PIN for reservation %s: room %s, %s, valid %s to %s%s\n", r.Number, room, door,
		cred.ValidityStartUtc.In(p.loc).Format("Jan 2 15:04 MST"), cred.ValidityEndUtc.In(p.loc).Format("Jan 2 15:04 MST"), how)
	return nil
}

// pinFor stands in for the lock system, which issues the PIN in a real Portal.
func pinFor(reservationID string) string {
	h := fnv.New32a()
	h.Write([]byte(reservationID))
	return fmt.Sprintf("%06d", h.Sum32()%1_000_000)
}

// frontDesk plays the hotel: a guest arriving today is moved from a room without a door
// to one with a door (the PIN follows through an event); then the socket drops, Mews
// refuses reconnects, and meanwhile a guest with a PIN cancels and a walk-in books
// room 112: both arrive through the catch-up after the reconnect.
func (p *portal) frontDesk(ctx context.Context, srv *mewstest.Server, connects <-chan events.Resync) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	now := p.now()
	byName := make(map[string]string, len(p.rooms))
	for id, name := range p.rooms {
		byName[name] = id
	}
	for _, r := range srv.Reservations() {
		_, mapped := p.doors[p.rooms[r.RoomID]]
		if r.State != "Confirmed" || r.RoomID == "" || mapped || r.ScheduledStartUtc.Before(now) || !r.ScheduledStartUtc.Before(now.Add(24*time.Hour)) {
			continue
		}
		p.out.printf("(the hotel moves reservation %s from room %s to room 305)\n", r.Number, p.rooms[r.RoomID])
		w := p.watchChange(r.ID)
		srv.UpdateReservation(r.ID, func(r *mewstest.Reservation) {
			r.RoomID, r.UpdatedUtc = byName["305"], now
		})
		if err := reached(ctx, w); err != nil {
			return err
		}
		break
	}

	srv.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusServiceUnavailable, RefuseTimes: -1})
	p.out.printf("\n(the socket drops: %d closed; Mews refuses reconnects for a while)\n", srv.DropWebSockets())
	var ws []*watch
	p.mu.Lock()
	ids := slices.Sorted(maps.Keys(p.issued))
	p.mu.Unlock()
	if len(ids) > 0 {
		ws = append(ws, p.watchChange(ids[0]))
		r, _ := srv.UpdateReservation(ids[0], func(r *mewstest.Reservation) {
			r.State, r.CancelledUtc, r.UpdatedUtc = "Canceled", now, now
		})
		p.out.printf("(meanwhile the guest of reservation %s cancels)\n", r.Number)
	}
	walkIn := srv.AddReservation(mewstest.Reservation{
		RoomID: byName["112"], State: "Confirmed", Adults: 1, CreatedUtc: now,
		ScheduledStartUtc: now.Add(2 * time.Hour), ScheduledEndUtc: now.Add(20 * time.Hour),
	})
	ws = append(ws, p.watchChange(walkIn.ID))
	p.out.printf("(meanwhile a walk-in books room 112: reservation %s)\n", walkIn.Number)
	// Mews' clock moves on past the feed's lag before the socket is back, so the
	// catch-up's feed pass reads the changes made meanwhile.
	p.later.Add(int64(reservations.DefaultSyncLag + time.Minute))
	srv.SetWebSocketFaults(mewstest.WebSocketFaults{}) // Mews is back
	select {
	case r := <-connects:
		p.out.printf("reconnected (socket %d); caught up through the change feed\n", r.Connects)
	case <-ctx.Done():
		return errors.New("the socket did not reconnect")
	}
	if err := reached(ctx, ws...); err != nil {
		return err
	}
	p.out.printf("\nevery change reached its door\n")
	return nil
}
