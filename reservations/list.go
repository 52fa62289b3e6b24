package reservations

import (
	"context"
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

// ListParams selects reservations for List, and sets the page size. Every filter field
// is optional; empty lists and nil intervals are left out of the request. The SDK does
// the chores Mews leaves to callers: intervals longer than three months are split into
// consecutive windows (a stay found in two CollidingUtc windows is yielded once), and
// more than 1000 ReservationIDs are asked for in chunks. The other intervals match one
// instant of a reservation, which lies in one window; a reservation changed while the
// listing runs may come again in a later window, with its new values. The SDK does not
// remember every reservation to hide that, so that memory stays flat however long the
// listing.
//
// Mews does not say which states it returns when States is empty; set States when it
// matters (AllStates returns them all). The JSON tags are the request's: the params
// are sent as they are, split into windows and chunks.
type ListParams struct {
	EnterpriseIDs        []string `json:"EnterpriseIds,omitempty"`        // portfolio tokens: limit to these hotels (default: all in scope)
	ReservationIDs       []string `json:"ReservationIds,omitempty"`       // any number; chunked by 1000
	ServiceIDs           []string `json:"ServiceIds,omitempty"`           // max 1000
	ReservationGroupIDs  []string `json:"ReservationGroupIds,omitempty"`  // max 1000
	AccountIDs           []string `json:"AccountIds,omitempty"`           // owners (customers or companies), max 1000
	PartnerCompanyIDs    []string `json:"PartnerCompanyIds,omitempty"`    // max 100
	TravelAgencyIDs      []string `json:"TravelAgencyIds,omitempty"`      // max 100
	Numbers              []string `json:"Numbers,omitempty"`              // confirmation numbers, max 1000
	ChannelNumbers       []string `json:"ChannelNumbers,omitempty"`       // max 100
	AssignedResourceIDs  []string `json:"AssignedResourceIds,omitempty"`  // rooms, max 1000
	AvailabilityBlockIDs []string `json:"AvailabilityBlockIds,omitempty"` // max 100
	States               []State  `json:"States,omitempty"`               // StateEnquired is sent as StateInquired

	// Time intervals, each half-open [StartUtc, EndUtc). CollidingUtc matches stays
	// that overlap the interval; the others match one instant of the reservation.
	CreatedUtc        *mews.TimeInterval `json:"CreatedUtc,omitempty"`
	UpdatedUtc        *mews.TimeInterval `json:"UpdatedUtc,omitempty"`
	CollidingUtc      *mews.TimeInterval `json:"CollidingUtc,omitempty"`
	ScheduledStartUtc *mews.TimeInterval `json:"ScheduledStartUtc,omitempty"` // not together with ActualStartUtc
	ActualStartUtc    *mews.TimeInterval `json:"ActualStartUtc,omitempty"`    // not together with ScheduledStartUtc
	ScheduledEndUtc   *mews.TimeInterval `json:"ScheduledEndUtc,omitempty"`   // not together with ActualEndUtc
	ActualEndUtc      *mews.TimeInterval `json:"ActualEndUtc,omitempty"`      // not together with ScheduledEndUtc

	// PageSize is how many reservations each request asks for: 0 means
	// mews.DefaultPageSize (500), more than mews.MaxPageSize (1000) is clamped.
	PageSize int `json:"-"`
}

// result is the wire form of a reservations/getAll page.
type result struct {
	Reservations []Reservation `json:"Reservations"`
	Cursor       *string       `json:"Cursor"`
}

// interval names one of the filter's intervals, for validation and splitting.
type interval struct {
	name string
	get  func(*ListParams) **mews.TimeInterval
}

var intervals = []interval{
	{"CreatedUtc", func(r *ListParams) **mews.TimeInterval { return &r.CreatedUtc }},
	{"UpdatedUtc", func(r *ListParams) **mews.TimeInterval { return &r.UpdatedUtc }},
	{"CollidingUtc", func(r *ListParams) **mews.TimeInterval { return &r.CollidingUtc }},
	{"ScheduledStartUtc", func(r *ListParams) **mews.TimeInterval { return &r.ScheduledStartUtc }},
	{"ActualStartUtc", func(r *ListParams) **mews.TimeInterval { return &r.ActualStartUtc }},
	{"ScheduledEndUtc", func(r *ListParams) **mews.TimeInterval { return &r.ScheduledEndUtc }},
	{"ActualEndUtc", func(r *ListParams) **mews.TimeInterval { return &r.ActualEndUtc }},
}

// List returns a pager over the reservations that match p. Nothing is sent until the
// pager is ranged over; invalid params then yield a *mews.InputError first.
//
//	for r, err := range reservations.List(conn, reservations.ListParams{CollidingUtc: &week}).All(ctx) { … }
func List(h mews.ConnectorCaller, p ListParams) *mews.Pager[Reservation] {
	queries, err := p.queries()
	if err != nil {
		return listfilter.Fail[Reservation](err)
	}
	return listfilter.Pager(h, listfilter.GetAll[ListParams, result, Reservation]{
		Operation: mews.Operation{Name: opGetAll, Safety: mews.Read},
		Queries:   queries,
		PageSize:  p.PageSize,
		Read:      func(res *result) ([]Reservation, *string) { return res.Reservations, res.Cursor },
		Normalize: (*Reservation).normalize,
		Key:       func(r Reservation) string { return r.ID },
		Bound:     func(i int) int { return len(queries[i].ReservationIDs) },
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
func Get(ctx context.Context, h mews.ConnectorCaller, id string) (*Reservation, error) {
	if strings.TrimSpace(id) == "" {
		return nil, &mews.InputError{Operation: opGetAll, Field: "ReservationIds", Reason: "is empty; pass the reservation's id"}
	}
	found, err := GetMany(ctx, h, []string{id})
	if err != nil {
		return nil, err
	}
	if len(found) == 0 {
		return nil, notFoundError(id)
	}
	return &found[0], nil
}

// notFoundError is Get's answer for a reservation Mews does not know: it reads
// "mews: reservation ID not found" and matches mews.ErrReservationNotFound.
type notFoundError string

// Error names the reservation.
func (id notFoundError) Error() string { return "mews: reservation " + string(id) + " not found" }

// Is matches mews.ErrReservationNotFound.
func (id notFoundError) Is(target error) bool { return target == mews.ErrReservationNotFound }

// GetMany returns the reservations with the given ids, in any state, in the order
// Mews returns them; ids Mews does not know are left out. Any number of ids may be
// passed: they are asked for 1000 at a time.
func GetMany(ctx context.Context, h mews.ConnectorCaller, ids []string) ([]Reservation, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return List(h, ListParams{ReservationIDs: ids, States: AllStates(), PageSize: mews.MaxPageSize}).Collect(ctx)
}

// queries validates the params and expands them into the requests that cover them:
// one per combination of the intervals' windows and the chunks of ReservationIDs.
func (p ListParams) queries() ([]ListParams, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	base := p
	base.States = nil
	for _, s := range p.States {
		if n := s.Normalize(); !slices.Contains(base.States, n) {
			base.States = append(base.States, n)
		}
	}
	qs := []ListParams{base}
	for _, iv := range intervals {
		var err error
		if qs, err = listfilter.Windows(opGetAll, iv.name, qs, *iv.get(&base), func(q *ListParams, w *mews.TimeInterval) { *iv.get(q) = w }); err != nil {
			return nil, err
		}
	}
	return listfilter.Chunks(qs, p.ReservationIDs, maxIDs, func(q *ListParams, c []string) { q.ReservationIDs = c }), nil
}

// validate checks the filter against Mews' documented limits.
func (f ListParams) validate() error {
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
