// Command portal-sync is the core loop of an access-control Portal: it follows the
// hotel's reservation changes incrementally (a persisted watermark, no change skipped),
// maps rooms to the lock system's doors, and gives each guest arriving in the next 24
// hours a door PIN. Reservations in rooms without a door are skipped with the reason,
// the Portal guide's "room not mapped" case.
//
//	go run ./examples/portal-sync
//
// runs two passes against the embedded sandbox: the initial sync, then, after the hotel
// moves a guest to a room with a door, a guest cancels and a walk-in books, an
// incremental pass that picks up only what changed since. With MEWS_ENVIRONMENT, MEWS_CLIENT_TOKEN and
// MEWS_ACCESS_TOKEN set it makes one pass against Mews and only prints the PINs it
// would set, unless run with -write.
package main

import (
	"context"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"slices"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// main runs the example on the sandbox, or one read-only pass on Mews (-write stores
// the PINs).
func main() {
	write := flag.Bool("write", false, "store the PINs in Mews (always on in the sandbox)")
	flag.Parse()
	os.Exit(exampleenv.Run("portal-sync", time.Minute, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, os.Stdout, *write || env.Sandbox != nil)
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

// portal is the Portal's state: the door map and the sync's watermark.
type portal struct {
	conn  *mews.Connector
	out   io.Writer
	write bool
	now   func() time.Time
	rooms map[string]string // Mews resource id → room name
	doors map[string]string // room name → door id in the lock system
	// watermark is where the next pass starts; a real Portal persists it (it is text).
	watermark reservations.Watermark
	// issued holds the reservations that got a PIN; a real Portal persists it too.
	issued map[string]bool
}

// run builds the door map and syncs: on Mews one pass, in the sandbox an initial pass,
// the hotel's changes and an incremental pass. PINs are stored only when write is set.
func run(ctx context.Context, env *exampleenv.Env, out io.Writer, write bool) error {
	if err := exampleenv.Require(env.AccessToken, exampleenv.VarAccessToken); err != nil {
		return err
	}
	conn, err := env.Client.Connector(env.AccessToken)
	if err != nil {
		return err
	}
	var later time.Duration // how far the sandbox's clock has moved on
	p := &portal{conn: conn, out: out, write: write, now: func() time.Time { return env.Now().Add(later) }, issued: map[string]bool{}}
	if err := p.mapDoors(ctx); err != nil {
		return err
	}
	// The initial sync: everything changed in the last six months.
	p.watermark = reservations.NewWatermark(p.now().AddDate(0, -6, 0))
	if err := p.pass(ctx, "initial sync"); err != nil {
		return err
	}
	if env.Sandbox == nil {
		return nil
	}
	later = time.Hour
	if err := hotelChanges(env.Sandbox, p); err != nil {
		return err
	}
	return p.pass(ctx, "incremental sync")
}

// mapDoors builds the room → door map from the hotel's rooms: rooms on wired floors
// have a door.
func (p *portal) mapDoors(ctx context.Context) error {
	p.rooms, p.doors = make(map[string]string), make(map[string]string)
	for room, err := range properties.ListResources(p.conn, properties.ListResourcesParams{}).All(ctx) {
		if err != nil {
			return err
		}
		p.rooms[room.ID] = room.Name
		if wiredFloor(room.Floor()) {
			p.doors[room.Name] = "door-" + room.Name
		}
	}
	fmt.Fprintf(p.out, "door map: %d of %d rooms have a door (floors 1-3)\n", len(p.doors), len(p.rooms))
	return nil
}

// pass delivers every reservation changed since the watermark and moves it on.
func (p *portal) pass(ctx context.Context, name string) error {
	// The states a door system acts on: arrivals and stays get PINs, cancellations lose them.
	f := reservations.ListParams{States: []reservations.State{reservations.StateConfirmed, reservations.StateStarted, reservations.StateCanceled}}
	feed := reservations.Changes(p.conn, p.watermark, reservations.ChangesParams{Filter: f, Now: p.now})
	changed := 0
	for r, err := range feed.All(ctx) {
		if err != nil {
			return err // the watermark stays at the last complete window: nothing is lost
		}
		changed++
		if err := p.apply(ctx, &r); err != nil {
			return err
		}
	}
	p.watermark = feed.Watermark()
	fmt.Fprintf(p.out, "%s: %d changed reservations; next pass starts at %s\n\n", name, changed, p.watermark)
	return nil
}

// apply handles one changed reservation: a PIN for a guest arriving in the next 24 hours
// whose room has a door, the reason when there is none, and no PIN any more for a
// canceled reservation.
func (p *portal) apply(ctx context.Context, r *reservations.Reservation) error {
	if r.State == reservations.StateCanceled && p.issued[r.ID] && p.write {
		cleared, err := pins.Clear(ctx, p.conn, r.ID)
		if err != nil {
			return fmt.Errorf("reservation %s: %w", r.Number, err)
		}
		delete(p.issued, r.ID)
		fmt.Fprintf(p.out, "reservation %s was canceled: %d PIN(s) deleted\n", r.Number, len(cleared))
		return nil
	}
	now := p.now()
	arriving := r.State == reservations.StateConfirmed && !r.ScheduledStartUtc.Before(now) && r.ScheduledStartUtc.Before(now.Add(24*time.Hour))
	if !arriving {
		return nil // a real Portal also moves PINs of guests who changed rooms here
	}
	if r.AssignedResourceID == nil {
		fmt.Fprintf(p.out, "skipped reservation %s: no room assigned yet\n", r.Number)
		return nil
	}
	room, listed := p.rooms[*r.AssignedResourceID]
	door, ok := p.doors[room]
	if !listed {
		// Deactivated since, or added after the door map was built: name it by its id.
		room, ok = *r.AssignedResourceID+" (not an active room)", false
	}
	if !ok {
		fmt.Fprintf(p.out, "skipped reservation %s: room %s is not mapped to a door\n", r.Number, room)
		return nil
	}
	pin := pinFor(r.ID)
	if !p.write {
		fmt.Fprintf(p.out, "would set a PIN for reservation %s: room %s, %s (run with -write)\n", r.Number, room, door)
		return nil
	}
	cred, err := pins.Set(ctx, p.conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, pin)})
	if err != nil {
		return fmt.Errorf("reservation %s: %w", r.Number, err)
	}
	p.issued[r.ID] = true
	fmt.Fprintf(p.out, "PIN for reservation %s: room %s, %s, valid %s to %s\n", r.Number, room, door,
		cred.ValidityStartUtc.Format("Jan 2 15:04"), cred.ValidityEndUtc.Format("Jan 2 15:04"))
	return nil
}

// pinFor stands in for the lock system, which issues the PIN in a real Portal.
func pinFor(reservationID string) string {
	h := fnv.New32a()
	h.Write([]byte(reservationID))
	return fmt.Sprintf("%06d", h.Sum32()%1_000_000)
}

// hotelChanges plays the hotel between two passes: a guest arriving today is moved
// from a room without a door to one with a door, a guest with a PIN cancels, and a
// walk-in books room 112.
func hotelChanges(srv *mewstest.Server, p *portal) error {
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
		srv.UpdateReservation(r.ID, func(r *mewstest.Reservation) {
			r.RoomID, r.UpdatedUtc = byName["305"], now.Add(-30*time.Minute)
		})
		fmt.Fprintf(p.out, "(the hotel moves reservation %s from room %s to room 305)\n", r.Number, p.rooms[r.RoomID])
		break
	}
	if ids := slices.Sorted(maps.Keys(p.issued)); len(ids) > 0 {
		r, _ := srv.UpdateReservation(ids[0], func(r *mewstest.Reservation) {
			r.State, r.CancelledUtc, r.UpdatedUtc = "Canceled", now.Add(-15*time.Minute), now.Add(-15*time.Minute)
		})
		fmt.Fprintf(p.out, "(the guest of reservation %s cancels)\n", r.Number)
	}
	walkIn := srv.AddReservation(mewstest.Reservation{
		RoomID: byName["112"], State: "Confirmed", Adults: 1, CreatedUtc: now.Add(-20 * time.Minute),
		ScheduledStartUtc: now.Add(2 * time.Hour), ScheduledEndUtc: now.Add(20 * time.Hour),
	})
	fmt.Fprintf(p.out, "(a walk-in books room 112: reservation %s)\n", walkIn.Number)
	return nil
}
