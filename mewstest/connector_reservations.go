package mewstest

import (
	"time"

	"github.com/mewskit/mews-go"
)

// reservationFilter is the body of reservations/getAll/2023-06-06.
type reservationFilter struct {
	auth
	EnterpriseIds, ReservationIds, ServiceIds, ReservationGroupIds, AccountIds []string
	PartnerCompanyIds, TravelAgencyIds, Numbers, ChannelNumbers                []string
	AssignedResourceIds, AvailabilityBlockIds                                  []string
	CreatedUtc, UpdatedUtc, CollidingUtc                                       *mews.TimeInterval
	ScheduledStartUtc, ActualStartUtc, ScheduledEndUtc, ActualEndUtc           *mews.TimeInterval
	States                                                                     []string
	Limitation                                                                 *limitation
}

// validate applies Mews' documented limits.
func (f *reservationFilter) validate() error {
	for _, l := range []struct {
		name string
		ids  []string
		max  int
	}{
		{"EnterpriseIds", f.EnterpriseIds, 1000}, {"ReservationIds", f.ReservationIds, 1000},
		{"ServiceIds", f.ServiceIds, 1000}, {"ReservationGroupIds", f.ReservationGroupIds, 1000},
		{"AccountIds", f.AccountIds, 1000}, {"PartnerCompanyIds", f.PartnerCompanyIds, 100},
		{"TravelAgencyIds", f.TravelAgencyIds, 100}, {"Numbers", f.Numbers, 1000},
		{"ChannelNumbers", f.ChannelNumbers, 100}, {"AssignedResourceIds", f.AssignedResourceIds, 1000},
		{"AvailabilityBlockIds", f.AvailabilityBlockIds, 100},
	} {
		if err := checkIDs(l.name, l.ids, l.max); err != nil {
			return err
		}
	}
	for _, iv := range []struct {
		name string
		iv   *mews.TimeInterval
	}{
		{"CreatedUtc", f.CreatedUtc}, {"UpdatedUtc", f.UpdatedUtc}, {"CollidingUtc", f.CollidingUtc},
		{"ScheduledStartUtc", f.ScheduledStartUtc}, {"ActualStartUtc", f.ActualStartUtc},
		{"ScheduledEndUtc", f.ScheduledEndUtc}, {"ActualEndUtc", f.ActualEndUtc},
	} {
		if err := checkInterval(iv.name, iv.iv); err != nil {
			return err
		}
	}
	switch {
	case f.ScheduledStartUtc != nil && f.ActualStartUtc != nil:
		return badRequest("ActualStartUtc", "cannot be combined with ScheduledStartUtc.")
	case f.ScheduledEndUtc != nil && f.ActualEndUtc != nil:
		return badRequest("ActualEndUtc", "cannot be combined with ScheduledEndUtc.")
	}
	for _, st := range f.States {
		if !contains([]string{"Inquired", "Confirmed", "Started", "Processed", "Canceled", "Optional", "Requested"}, st) {
			return badRequest("States", "unknown state "+st+".")
		}
	}
	return nil
}

// matcher is a reservationFilter compiled for fast matching.
type matcher struct {
	f                                               *reservationFilter
	scope, ids, services, groups, accounts, numbers map[string]bool
	rooms, channels, states                         map[string]bool
}

func (f *reservationFilter) compile(scope map[string]bool) *matcher {
	return &matcher{
		f: f, scope: scope, ids: set(f.ReservationIds), services: set(f.ServiceIds), groups: set(f.ReservationGroupIds),
		accounts: set(f.AccountIds), numbers: set(f.Numbers), rooms: set(f.AssignedResourceIds),
		channels: set(f.ChannelNumbers), states: set(f.States),
	}
}

// matches reports whether r passes every filter.
func (m *matcher) matches(r *Reservation) bool {
	f := m.f
	start, end := r.ScheduledStartUtc, r.ScheduledEndUtc
	if !r.ActualStartUtc.IsZero() && r.ActualStartUtc.Before(start) {
		start = r.ActualStartUtc
	}
	if !r.ActualEndUtc.IsZero() {
		end = r.ActualEndUtc
	}
	at := func(iv *mews.TimeInterval, t time.Time) bool { return iv == nil || (!t.IsZero() && iv.Contains(t)) }
	return m.scope[r.EnterpriseID] &&
		admits(m.ids, r.ID) && admits(m.services, r.ServiceID) && admits(m.groups, r.GroupID) &&
		admits(m.accounts, r.AccountID) && admits(m.numbers, r.Number) && admits(m.rooms, r.RoomID) &&
		(m.channels == nil || (r.ChannelNumber != "" && m.channels[r.ChannelNumber])) &&
		len(f.PartnerCompanyIds)+len(f.TravelAgencyIds)+len(f.AvailabilityBlockIds) == 0 &&
		admits(m.states, r.State) &&
		at(f.CreatedUtc, r.CreatedUtc) && at(f.UpdatedUtc, r.UpdatedUtc) &&
		at(f.ScheduledStartUtc, r.ScheduledStartUtc) && at(f.ActualStartUtc, r.ActualStartUtc) &&
		at(f.ScheduledEndUtc, r.ScheduledEndUtc) && at(f.ActualEndUtc, r.ActualEndUtc) &&
		(f.CollidingUtc == nil || f.CollidingUtc.Overlaps(start, end))
}

// reservationsGetAll serves reservations/getAll/2023-06-06.
func (s *Server) reservationsGetAll(req *Request) (any, error) {
	var f reservationFilter
	if err := decodeStrict(req, &f); err != nil {
		return nil, err
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	m := f.compile(inScope(req.EnterpriseID, f.EnterpriseIds))
	var hits []*Reservation
	for _, r := range c.reservations {
		if m.matches(r) {
			hits = append(hits, r)
		}
	}
	items, cursor, err := page(c, f.Limitation, hits, func(r *Reservation) string { return r.ID })
	if err != nil {
		return nil, err
	}
	out := struct {
		Reservations []reservationWire
		Cursor       *string
	}{Reservations: make([]reservationWire, len(items)), Cursor: cursor}
	for i, r := range items {
		out.Reservations[i] = r.wire()
	}
	return out, nil
}

// reservationWire is Mews' Reservation (ver 2023-06-06).
type reservationWire struct {
	Id, ServiceId, AccountId, AccountType, CreatorProfileId, UpdaterProfileId string
	BookerId                                                                  *string
	Number, State, Origin                                                     string
	CommanderOrigin, OriginDetails                                            *string
	CreatedUtc, UpdatedUtc                                                    time.Time
	CancelledUtc                                                              *time.Time
	VoucherId, BusinessSegmentId                                              *string
	Options                                                                   struct{ OwnerCheckedIn, AllCompanionsCheckedIn, AnyCompanionCheckedIn, ConnectorCheckIn bool }
	RateId                                                                    string
	CreditCardId                                                              *string
	GroupId, RequestedResourceCategoryId                                      string
	AssignedResourceId, AvailabilityBlockId, PartnerCompanyId, TravelAgencyId *string
	AssignedResourceLocked                                                    bool
	ChannelNumber, ChannelManagerNumber, CancellationReason                   *string
	ReleasedUtc                                                               *time.Time
	StartUtc, EndUtc, ScheduledStartUtc                                       time.Time
	ActualStartUtc                                                            *time.Time
	ScheduledEndUtc                                                           time.Time
	ActualEndUtc                                                              *time.Time
	Purpose, QrCodeData                                                       *string
	PersonCounts                                                              []struct {
		AgeCategoryId string
		Count         int
	}
}

// wire renders the reservation as Mews does.
func (r *Reservation) wire() reservationWire {
	w := reservationWire{
		Id: r.ID, ServiceId: r.ServiceID, AccountId: r.AccountID, AccountType: "Customer",
		CreatorProfileId: creatorID, UpdaterProfileId: creatorID,
		Number: r.Number, State: r.State, Origin: "Commander",
		CreatedUtc: r.CreatedUtc.UTC(), UpdatedUtc: r.UpdatedUtc.UTC(), CancelledUtc: utcText(r.CancelledUtc),
		RateId: r.RateID, GroupId: r.GroupID, RequestedResourceCategoryId: r.CategoryID,
		AssignedResourceId: strOrNil(r.RoomID), ChannelNumber: strOrNil(r.ChannelNumber),
		ScheduledStartUtc: r.ScheduledStartUtc.UTC(), ActualStartUtc: utcText(r.ActualStartUtc),
		ScheduledEndUtc: r.ScheduledEndUtc.UTC(), ActualEndUtc: utcText(r.ActualEndUtc),
		StartUtc: r.ScheduledStartUtc.UTC(), EndUtc: r.ScheduledEndUtc.UTC(),
	}
	if r.ChannelNumber != "" {
		w.Origin = "ChannelManager"
	} else {
		phone := "Phone"
		w.CommanderOrigin = &phone
	}
	if !r.ActualStartUtc.IsZero() {
		w.Options.OwnerCheckedIn, w.Options.AnyCompanionCheckedIn, w.Options.AllCompanionsCheckedIn = true, true, true
		if r.ActualStartUtc.Before(w.StartUtc) {
			w.StartUtc = r.ActualStartUtc.UTC()
		}
	}
	if r.State == "Canceled" {
		reason := "RequestedByGuest"
		w.CancellationReason = &reason
	}
	w.QrCodeData = strOrNil(`{"Reservations":[{"Id":"` + r.ID + `","GroupId":"` + r.GroupID + `","CustomerId":"` + r.AccountID + `"}]}`)
	w.PersonCounts = append(w.PersonCounts, struct {
		AgeCategoryId string
		Count         int
	}{adultCategoryID, r.Adults})
	return w
}
