package mewstest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/mewskit/mews-go"
)

// Seeded Connector data beyond the credentials in credentials.go.
const (
	// PortfolioAccessToken is a portfolio (multi-property) token over the seeded
	// enterprise and SecondEnterpriseID. configuration/get without EnterpriseId
	// answers with the portfolio itself (IsPortfolio).
	PortfolioAccessToken = "7E57C0DE0000000000000000000F0110-00000000000000000000000000000B2"
	// PortfolioID is the portfolio's placeholder enterprise.
	PortfolioID = "5b0f0110-0000-4000-8000-000000000001"
	// SecondEnterpriseID is the portfolio's second hotel; it has no rooms or reservations.
	SecondEnterpriseID = "5b0f0110-0000-4000-8000-000000000002"
	// SecondEnterpriseName is its name.
	SecondEnterpriseName = "Mewstest Harbour Inn"
	// ServiceID is the seeded hotel's accommodation service.
	ServiceID = "5e41ce00-0000-4000-8000-000000000001"
	// Floors and RoomsPerFloor shape the seeded hotel: rooms 101–112 on floor 1 up to
	// 501–512 on floor 5.
	Floors        = 5
	RoomsPerFloor = 12
)

// SeedEpoch returns the "today" the seeded reservations are built around: stays run
// from a year before it (checked out, or canceled) to half a year after (confirmed,
// optional, inquired, requested); the stays spanning it are checked in. Every seeded
// time is before SeedEpoch, except planned arrivals and departures. It is a function
// so that no caller can move it for every other test.
func SeedEpoch() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// Room is a seeded or added resource (a room, or a bed with a parent room).
type Room struct {
	ID           string
	EnterpriseID string // default: EnterpriseID
	Name         string // e.g. "203"
	Floor        string // e.g. "2"
	ParentID     string // "" for a room; the room's id for a bed
	State        string // Dirty, Clean, Inspected, OutOfService, OutOfOrder (default Clean)
	IsActive     bool
	CreatedUtc   time.Time
	UpdatedUtc   time.Time
}

// Reservation is a seeded or added reservation, reduced to what tests steer; the
// server renders Mews' full 2023-06-06 shape from it. Zero times are null in Mews.
type Reservation struct {
	ID                string
	EnterpriseID      string // default: EnterpriseID
	ServiceID         string // default: ServiceID
	GroupID           string
	Number            string
	State             string // Inquired, Confirmed, Started, Processed, Canceled, Optional, Requested
	AccountID         string
	RoomID            string // the assigned resource; "" when none is assigned
	CategoryID        string
	RateID            string
	ChannelNumber     string
	ScheduledStartUtc time.Time
	ScheduledEndUtc   time.Time
	ActualStartUtc    time.Time
	ActualEndUtc      time.Time
	CancelledUtc      time.Time
	CreatedUtc        time.Time
	UpdatedUtc        time.Time
	Adults            int
}

// seed builds the hotel: rooms across floors, and reservations over eighteen months
// (or the months WithSeedMonths chose) in every state, from a fixed PCG seed so every server holds the same data.
func (c *connectorState) seed() {
	c.seeded = true
	c.rng = rand.New(rand.NewPCG(0x6d657773, 0x74657374))
	c.resIndex = make(map[string]*Reservation)
	c.tokenIndex = make(map[string]*ResourceAccessToken)
	c.order = make(map[string]int)
	built := SeedEpoch().AddDate(-3, 0, 0)
	states := []string{"Dirty", "Clean", "Clean", "Clean", "Inspected", "Inspected", "OutOfService", "OutOfOrder"}
	for floor := 1; floor <= Floors; floor++ {
		for n := 1; n <= RoomsPerFloor; n++ {
			c.addRoom(&Room{
				Name: fmt.Sprintf("%d%02d", floor, n), Floor: fmt.Sprint(floor),
				State: states[c.rng.IntN(len(states))], IsActive: true,
				CreatedUtc: built, UpdatedUtc: SeedEpoch().Add(-time.Duration(c.rng.IntN(90*24)) * time.Hour),
			})
		}
	}
	// A dormitory with two beds, and a room taken out of use.
	dorm := c.addRoom(&Room{Name: "Dorm 1", Floor: "1", State: "Clean", IsActive: true, CreatedUtc: built, UpdatedUtc: built})
	for _, bed := range []string{"Dorm 1A", "Dorm 1B"} {
		c.addRoom(&Room{Name: bed, Floor: "1", ParentID: dorm.ID, State: "Clean", IsActive: true, CreatedUtc: built, UpdatedUtc: built})
	}
	c.addRoom(&Room{Name: "513", Floor: "5", State: "OutOfOrder", IsActive: false, CreatedUtc: built, UpdatedUtc: SeedEpoch().AddDate(0, -7, 0)})

	before, after := c.seedMonths()
	first, last := SeedEpoch().AddDate(0, -before, 0), SeedEpoch().AddDate(0, after, 0)
	var stays []*Reservation
	for _, room := range c.rooms {
		if room.ParentID != "" || !room.IsActive || room.Name == "Dorm 1" {
			continue
		}
		day := first.AddDate(0, 0, c.rng.IntN(4))
		for day.Before(last) {
			nights := 1 + c.rng.IntN(6)
			stays = append(stays, c.seedStay(room.ID, day, nights))
			day = day.AddDate(0, 0, nights+c.rng.IntN(4))
		}
	}
	// Future bookings without a room yet: 40 over six months, arriving from three days
	// after SeedEpoch to eight days before the last arrival.
	arrivalDays := max(1, int(last.Sub(SeedEpoch()).Hours()/24)-11)
	for range 40 * after / 6 {
		day := SeedEpoch().AddDate(0, 0, 3+c.rng.IntN(arrivalDays))
		stays = append(stays, c.seedStay("", day, 1+c.rng.IntN(5)))
	}
	// Mews hands out positions by creation, so the cursor order is by CreatedUtc.
	slices.SortStableFunc(stays, func(a, b *Reservation) int { return a.CreatedUtc.Compare(b.CreatedUtc) })
	for _, r := range stays {
		c.addReservation(r)
	}
}

// seedStay makes one reservation arriving on day for nights, in the state its dates
// imply.
func (c *connectorState) seedStay(roomID string, day time.Time, nights int) *Reservation {
	r := c.rng
	start := day.Add(14 * time.Hour)
	end := day.AddDate(0, 0, nights).Add(11 * time.Hour)
	created := start.Add(-time.Duration(1+r.IntN(120*24)) * time.Hour)
	if created.After(SeedEpoch()) {
		created = SeedEpoch().Add(-time.Duration(1+r.IntN(240)) * time.Hour)
	}
	res := &Reservation{
		RoomID: roomID, ScheduledStartUtc: start, ScheduledEndUtc: end,
		CreatedUtc: created, Adults: 1 + r.IntN(3),
	}
	if r.IntN(4) == 0 {
		res.ChannelNumber = fmt.Sprintf("BK%08d", r.IntN(100_000_000))
	}
	settled := func(t time.Time) time.Time { // an update at t, but never after the epoch
		if !t.Before(SeedEpoch()) {
			return SeedEpoch().Add(-time.Duration(1+r.IntN(60)) * time.Minute)
		}
		return t
	}
	switch {
	case r.IntN(12) == 0:
		res.State = "Canceled"
		res.CancelledUtc = settled(created.Add(time.Duration(r.IntN(int(start.Sub(created)/time.Hour)+1)) * time.Hour))
		res.UpdatedUtc = res.CancelledUtc
	case end.Before(SeedEpoch()):
		res.State = "Processed"
		res.ActualStartUtc = start.Add(time.Duration(r.IntN(300)) * time.Minute)
		res.ActualEndUtc = end.Add(-time.Duration(r.IntN(180)) * time.Minute)
		res.UpdatedUtc = res.ActualEndUtc
	case start.Before(SeedEpoch()):
		res.State = "Started"
		res.ActualStartUtc = start.Add(time.Duration(r.IntN(300)) * time.Minute)
		res.UpdatedUtc = settled(res.ActualStartUtc)
	default:
		res.State = []string{"Confirmed", "Confirmed", "Confirmed", "Confirmed", "Optional", "Inquired", "Requested"}[r.IntN(7)]
		res.UpdatedUtc = settled(created.Add(time.Duration(r.IntN(72)) * time.Hour))
	}
	if res.RoomID == "" && (res.State == "Started" || res.State == "Processed") {
		res.State = "Confirmed"
		res.ActualStartUtc, res.ActualEndUtc = time.Time{}, time.Time{}
	}
	return res
}

// addRoom fills a room's defaults and stores it. Caller holds s.mu.
func (c *connectorState) addRoom(room *Room) *Room {
	c.fillID(&room.ID)
	orDefault(&room.EnterpriseID, EnterpriseID)
	orDefault(&room.State, "Clean")
	c.rooms = append(c.rooms, room)
	c.place(room.ID)
	return room
}

// addReservation fills a reservation's defaults and stores it. Caller holds s.mu.
func (c *connectorState) addReservation(r *Reservation) *Reservation {
	c.fillID(&r.ID)
	orDefault(&r.EnterpriseID, EnterpriseID)
	orDefault(&r.ServiceID, ServiceID)
	c.fillID(&r.GroupID)
	c.fillID(&r.AccountID)
	orDefault(&r.CategoryID, categoryID)
	orDefault(&r.RateID, rateID)
	orDefault(&r.Number, strconv.Itoa(10000+len(c.reservations)))
	orDefault(&r.State, "Confirmed")
	if r.Adults == 0 {
		r.Adults = 2
	}
	if r.UpdatedUtc.IsZero() {
		r.UpdatedUtc = r.CreatedUtc
	}
	c.reservations = append(c.reservations, r)
	c.resIndex[r.ID] = r
	c.place(r.ID)
	return r
}

// fillID gives an empty id field a new id.
func (c *connectorState) fillID(p *string) {
	if *p == "" {
		*p = c.newID()
	}
}

// orDefault sets an empty field to v.
func orDefault(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

// Fixed ids of the seeded hotel's configuration.
const (
	categoryID      = "ca7e6020-0000-4000-8000-000000000001"
	rateID          = "2a7e0000-0000-4000-8000-000000000001"
	adultCategoryID = "a6e0ca70-0000-4000-8000-000000000001"
	creatorID       = "c2ea7020-0000-4000-8000-000000000001"
)

// Rooms returns a copy of every room, bed and space, in the server's order.
func (s *Server) Rooms() []Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Room, 0, len(s.connectorData().rooms))
	for _, r := range s.connectorData().rooms {
		out = append(out, *r)
	}
	return out
}

// AddRoom stores a room and returns it with its defaults (id, enterprise, state) filled.
func (s *Server) AddRoom(room Room) Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	added := s.connectorData().addRoom(&room)
	s.notifyRoom(added)
	return *added
}

// Reservations returns a copy of every reservation, in the server's order.
func (s *Server) Reservations() []Reservation {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Reservation, 0, len(s.connectorData().reservations))
	for _, r := range s.connectorData().reservations {
		out = append(out, *r)
	}
	return out
}

// Reservation returns one reservation by id.
func (s *Server) Reservation(id string) (Reservation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.connectorData().resIndex[id]
	if !ok {
		return Reservation{}, false
	}
	return *r, true
}

// AddReservation stores a reservation and returns it with its defaults filled (id,
// number, group, account, state Confirmed, UpdatedUtc = CreatedUtc). Set CreatedUtc,
// or it is the server's clock.
func (s *Server) AddReservation(r Reservation) Reservation {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.CreatedUtc.IsZero() {
		r.CreatedUtc = time.Now().UTC()
	}
	added := s.connectorData().addReservation(&r)
	s.notifyReservation(added)
	return *added
}

// UpdateReservation changes a reservation with fn, as a hotel would in Mews. Unless
// fn sets UpdatedUtc itself, UpdatedUtc becomes the server's clock. It reports whether
// the reservation exists.
func (s *Server) UpdateReservation(id string, fn func(*Reservation)) (Reservation, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.connectorData().resIndex[id]
	if !ok {
		return Reservation{}, false
	}
	before := r.UpdatedUtc
	fn(r)
	r.ID = id
	if r.UpdatedUtc.Equal(before) {
		r.UpdatedUtc = time.Now().UTC()
	}
	s.notifyReservation(r)
	return *r, true
}

// Connector returns a *mews.Connector for token on a client of this server (NewClient:
// in-process transport, seeded client tokens), with extra client options applied last.
// Use AccessToken for the seeded hotel, PortfolioAccessToken for the portfolio.
func (s *Server) Connector(token string, extra ...mews.Option) (*mews.Connector, error) {
	client, err := s.NewClient(extra...)
	if err != nil {
		return nil, err
	}
	return client.Connector(token)
}
