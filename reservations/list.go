package reservations

import (
	"context"
	"fmt"
	"slices"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// opGetAll is the Connector operation behind List, Get and Sync.
const opGetAll = "reservations/getAll/2023-06-06"

// Limits Mews puts on the filter's id lists.
const (
	maxIDs      = 1000 // most id lists
	maxSmallIDs = 100  // PartnerCompanyIds, TravelAgencyIds, ChannelNumbers, AvailabilityBlockIds
)

// Filter selects reservations for List. Every field is optional; empty lists and nil
// intervals are left out of the request. The SDK does the chores Mews leaves to
// callers: intervals longer than three months are split into consecutive windows
// (a stay found in two CollidingUtc windows is yielded once), and more than 1000
// ReservationIDs are asked for in chunks. The other intervals match one instant of a
// reservation, which lies in one window; a reservation changed while the listing runs
// may come again in a later window, with its new values. The SDK does not remember
// every reservation to hide that, so that memory stays flat however long the listing.
//
// Mews does not say which states it returns when States is empty; set States when it
// matters (AllStates returns them all).
type Filter struct {
	EnterpriseIDs        []string // portfolio tokens: limit to these hotels (default: all in scope)
	ReservationIDs       []string // any number; chunked by 1000
	ServiceIDs           []string // max 1000
	ReservationGroupIDs  []string // max 1000
	AccountIDs           []string // owners (customers or companies), max 1000
	PartnerCompanyIDs    []string // max 100
	TravelAgencyIDs      []string // max 100
	Numbers              []string // confirmation numbers, max 1000
	ChannelNumbers       []string // max 100
	AssignedResourceIDs  []string // rooms, max 1000
	AvailabilityBlockIDs []string // max 100
	States               []State  // StateEnquired is sent as StateInquired

	// Time intervals, each half-open [StartUtc, EndUtc). CollidingUtc matches stays
	// that overlap the interval; the others match one instant of the reservation.
	CreatedUtc        *mews.TimeInterval
	UpdatedUtc        *mews.TimeInterval
	CollidingUtc      *mews.TimeInterval
	ScheduledStartUtc *mews.TimeInterval // not together with ActualStartUtc
	ActualStartUtc    *mews.TimeInterval // not together with ScheduledStartUtc
	ScheduledEndUtc   *mews.TimeInterval // not together with ActualEndUtc
	ActualEndUtc      *mews.TimeInterval // not together with ScheduledEndUtc
}

// request is the wire form of one query of a Filter.
type request struct {
	EnterpriseIDs        []string           `json:"EnterpriseIds,omitempty"`
	ReservationIDs       []string           `json:"ReservationIds,omitempty"`
	ServiceIDs           []string           `json:"ServiceIds,omitempty"`
	ReservationGroupIDs  []string           `json:"ReservationGroupIds,omitempty"`
	AccountIDs           []string           `json:"AccountIds,omitempty"`
	PartnerCompanyIDs    []string           `json:"PartnerCompanyIds,omitempty"`
	TravelAgencyIDs      []string           `json:"TravelAgencyIds,omitempty"`
	Numbers              []string           `json:"Numbers,omitempty"`
	ChannelNumbers       []string           `json:"ChannelNumbers,omitempty"`
	AssignedResourceIDs  []string           `json:"AssignedResourceIds,omitempty"`
	AvailabilityBlockIDs []string           `json:"AvailabilityBlockIds,omitempty"`
	CreatedUtc           *mews.TimeInterval `json:"CreatedUtc,omitempty"`
	UpdatedUtc           *mews.TimeInterval `json:"UpdatedUtc,omitempty"`
	CollidingUtc         *mews.TimeInterval `json:"CollidingUtc,omitempty"`
	ScheduledStartUtc    *mews.TimeInterval `json:"ScheduledStartUtc,omitempty"`
	ActualStartUtc       *mews.TimeInterval `json:"ActualStartUtc,omitempty"`
	ScheduledEndUtc      *mews.TimeInterval `json:"ScheduledEndUtc,omitempty"`
	ActualEndUtc         *mews.TimeInterval `json:"ActualEndUtc,omitempty"`
	States               []State            `json:"States,omitempty"`
	Limitation           mews.Limitation    `json:"Limitation"`
}

// result is the wire form of a reservations/getAll page.
type result struct {
	Reservations []Reservation `json:"Reservations"`
	Cursor       *string       `json:"Cursor"`
}

// interval names one of the filter's intervals, for validation and splitting.
type interval struct {
	name string
	get  func(*request) **mews.TimeInterval
}

var intervals = []interval{
	{"CreatedUtc", func(r *request) **mews.TimeInterval { return &r.CreatedUtc }},
	{"UpdatedUtc", func(r *request) **mews.TimeInterval { return &r.UpdatedUtc }},
	{"CollidingUtc", func(r *request) **mews.TimeInterval { return &r.CollidingUtc }},
	{"ScheduledStartUtc", func(r *request) **mews.TimeInterval { return &r.ScheduledStartUtc }},
	{"ActualStartUtc", func(r *request) **mews.TimeInterval { return &r.ActualStartUtc }},
	{"ScheduledEndUtc", func(r *request) **mews.TimeInterval { return &r.ScheduledEndUtc }},
	{"ActualEndUtc", func(r *request) **mews.TimeInterval { return &r.ActualEndUtc }},
}

// List returns a pager over the reservations that match f. Nothing is sent until the
// pager is ranged over; an invalid filter then yields a *mews.InputError first.
//
//	for r, err := range reservations.List(conn, f).All(ctx) { … }
func List(conn *mews.Connector, f Filter) *mews.Pager[Reservation] {
	queries, err := f.queries()
	if err == nil && conn == nil {
		err = &mews.InputError{Operation: opGetAll, Field: "conn", Reason: "is nil; pass a *mews.Connector from Client.Connector"}
	}
	if err != nil {
		return mews.ErrorPager[Reservation](err)
	}
	return mews.NewPager(mews.PagerConfig[Reservation]{
		Operation: opGetAll,
		Queries:   len(queries),
		Fetch: func(ctx context.Context, i int, lim mews.Limitation) ([]Reservation, *string, error) {
			req := queries[i]
			req.Limitation = lim
			var res result
			if err := conn.CallConnector(ctx, mews.Operation{Name: opGetAll, Safety: mews.Read}, &req, &res); err != nil {
				return nil, nil, err
			}
			for j := range res.Reservations {
				res.Reservations[j].normalize()
			}
			return res.Reservations, res.Cursor, nil
		},
		Key:   func(r Reservation) string { return r.ID },
		Bound: func(i int) int { return len(queries[i].ReservationIDs) },
		Carry: func(r Reservation, i int) bool {
			// Only a stay that reaches past its CollidingUtc window can collide with a
			// later one. The other intervals match one instant of a reservation, so their
			// windows cannot share it unless it changes meanwhile: remembering every
			// reservation for that case would make memory grow with the listing.
			w := queries[i].CollidingUtc
			return w != nil && r.latestEnd().After(w.EndUtc)
		},
	})
}

// Get returns the reservation with the given id, whatever its state. A reservation
// Mews does not know gives an error matching mews.ErrReservationNotFound.
func Get(ctx context.Context, conn *mews.Connector, id string) (*Reservation, error) {
	if strings.TrimSpace(id) == "" {
		return nil, &mews.InputError{Operation: opGetAll, Field: "ReservationIds", Reason: "is empty; pass the reservation's id"}
	}
	found, err := GetMany(ctx, conn, []string{id})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("mews: %s: reservation %s: %w", opGetAll, id, mews.ErrReservationNotFound)
	}
	return &found[0], nil
}

// GetMany returns the reservations with the given ids, in any state, in the order
// Mews returns them; ids Mews does not know are left out. Any number of ids may be
// passed: they are asked for 1000 at a time.
func GetMany(ctx context.Context, conn *mews.Connector, ids []string) ([]Reservation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return List(conn, Filter{ReservationIDs: ids, States: AllStates()}).PageSize(mews.MaxPageSize).Collect(ctx)
}

// queries validates the filter and expands it into the requests that cover it: one
// per combination of the intervals' windows and the chunks of ReservationIDs.
func (f Filter) queries() ([]request, error) {
	base := request{
		EnterpriseIDs: f.EnterpriseIDs, ServiceIDs: f.ServiceIDs, ReservationGroupIDs: f.ReservationGroupIDs,
		AccountIDs: f.AccountIDs, PartnerCompanyIDs: f.PartnerCompanyIDs, TravelAgencyIDs: f.TravelAgencyIDs,
		Numbers: f.Numbers, ChannelNumbers: f.ChannelNumbers, AssignedResourceIDs: f.AssignedResourceIDs,
		AvailabilityBlockIDs: f.AvailabilityBlockIDs,
		CreatedUtc:           f.CreatedUtc, UpdatedUtc: f.UpdatedUtc, CollidingUtc: f.CollidingUtc,
		ScheduledStartUtc: f.ScheduledStartUtc, ActualStartUtc: f.ActualStartUtc,
		ScheduledEndUtc: f.ScheduledEndUtc, ActualEndUtc: f.ActualEndUtc,
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	for _, s := range f.States {
		if n := s.Normalize(); !slices.Contains(base.States, n) {
			base.States = append(base.States, n)
		}
	}
	qs := []request{base}
	for _, iv := range intervals {
		var err error
		if qs, err = listfilter.Windows(opGetAll, iv.name, qs, *iv.get(&base), func(q *request, w *mews.TimeInterval) { *iv.get(q) = w }); err != nil {
			return nil, err
		}
	}
	ids := slices.Compact(slices.Sorted(slices.Values(f.ReservationIDs)))
	if len(ids) > 0 {
		qs = listfilter.Multiply(qs, slices.Collect(slices.Chunk(ids, maxIDs)), func(q *request, c []string) { q.ReservationIDs = c })
	}
	return qs, nil
}

// validate checks the filter against Mews' documented limits.
func (f Filter) validate() error {
	if err := listfilter.Check(opGetAll,
		listfilter.List{Field: "EnterpriseIds", Items: f.EnterpriseIDs, Max: maxIDs},
		listfilter.List{Field: "ServiceIds", Items: f.ServiceIDs, Max: maxIDs},
		listfilter.List{Field: "ReservationGroupIds", Items: f.ReservationGroupIDs, Max: maxIDs},
		listfilter.List{Field: "AccountIds", Items: f.AccountIDs, Max: maxIDs},
		listfilter.List{Field: "PartnerCompanyIds", Items: f.PartnerCompanyIDs, Max: maxSmallIDs},
		listfilter.List{Field: "TravelAgencyIds", Items: f.TravelAgencyIDs, Max: maxSmallIDs},
		listfilter.List{Field: "Numbers", Items: f.Numbers, Max: maxIDs},
		listfilter.List{Field: "ChannelNumbers", Items: f.ChannelNumbers, Max: maxSmallIDs},
		listfilter.List{Field: "AssignedResourceIds", Items: f.AssignedResourceIDs, Max: maxIDs},
		listfilter.List{Field: "AvailabilityBlockIds", Items: f.AvailabilityBlockIDs, Max: maxSmallIDs},
		listfilter.List{Field: "ReservationIds", Items: f.ReservationIDs}, // sent in chunks
	); err != nil {
		return err
	}
	if f.ScheduledStartUtc != nil && f.ActualStartUtc != nil {
		return &mews.InputError{Operation: opGetAll, Field: "ActualStartUtc", Reason: "cannot be combined with ScheduledStartUtc; use one of them"}
	}
	if f.ScheduledEndUtc != nil && f.ActualEndUtc != nil {
		return &mews.InputError{Operation: opGetAll, Field: "ActualEndUtc", Reason: "cannot be combined with ScheduledEndUtc; use one of them"}
	}
	for _, s := range f.States {
		if strings.TrimSpace(string(s)) == "" {
			return &mews.InputError{Operation: opGetAll, Field: "States", Reason: "contains an empty state"}
		}
	}
	return nil
}
