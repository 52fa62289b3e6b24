package mewstest

import (
	"fmt"
	"time"
	"unicode/utf16"

	"github.com/mewskit/mews-go"
)

// ResourceAccessToken is a stored PIN code or RFID tag (Mews "resource access token").
type ResourceAccessToken struct {
	ID               string
	EnterpriseID     string
	ReservationID    string // ServiceOrderId
	CompanionshipID  string
	ResourceID       string
	Type             string // PinCode or RfidTag
	Value            string
	SerialNumber     string
	ValidityStartUtc time.Time
	ValidityEndUtc   time.Time
	Bed, Room        bool // permissions
	Floor, Building  bool
	IsActive         bool // false once deleted (Mews deletes softly)
	CreatedUtc       time.Time
	UpdatedUtc       time.Time
}

// ResourceAccessTokens returns copies of the tokens stored for a reservation, deleted
// ones included (IsActive false), oldest first.
func (s *Server) ResourceAccessTokens(reservationID string) []ResourceAccessToken {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ResourceAccessToken
	for _, t := range s.connectorData().tokens {
		if t.ReservationID == reservationID {
			out = append(out, *t)
		}
	}
	return out
}

// ActiveResourceAccessTokens returns the tokens of a reservation that are not deleted.
func (s *Server) ActiveResourceAccessTokens(reservationID string) []ResourceAccessToken {
	var out []ResourceAccessToken
	for _, t := range s.ResourceAccessTokens(reservationID) {
		if t.IsActive {
			out = append(out, t)
		}
	}
	return out
}

// tokenWire is Mews' ResourceAccessToken as responses carry it: plain boolean permissions.
type tokenWire struct {
	Id, EnterpriseId, ServiceOrderId string
	CompanionshipId, ResourceId      *string
	Type, Value                      string
	SerialNumber                     *string
	ValidityStartUtc, ValidityEndUtc time.Time
	Permissions                      struct{ Bed, Room, Floor, Building bool }
	CreatedUtc, UpdatedUtc           time.Time
	IsActive                         bool
}

func (t *ResourceAccessToken) wire() tokenWire {
	w := tokenWire{
		Id: t.ID, EnterpriseId: t.EnterpriseID, ServiceOrderId: t.ReservationID,
		CompanionshipId: strOrNil(t.CompanionshipID), ResourceId: strOrNil(t.ResourceID),
		Type: t.Type, Value: t.Value, SerialNumber: strOrNil(t.SerialNumber),
		ValidityStartUtc: t.ValidityStartUtc.UTC(), ValidityEndUtc: t.ValidityEndUtc.UTC(),
		CreatedUtc: t.CreatedUtc.UTC(), UpdatedUtc: t.UpdatedUtc.UTC(), IsActive: t.IsActive,
	}
	w.Permissions.Bed, w.Permissions.Room, w.Permissions.Floor, w.Permissions.Building = t.Bed, t.Room, t.Floor, t.Building
	return w
}

// boolValue and stringValue are Mews' update-value wrappers ({"Value": x}).
type boolValue struct{ Value *bool }
type stringValue struct{ Value *string }

// permissionParams are permissions as requests carry them: wrapped booleans.
type permissionParams struct{ Bed, Room, Floor, Building *boolValue }

// apply sets the permissions that are present.
func (p *permissionParams) apply(t *ResourceAccessToken) {
	if p == nil {
		return
	}
	for _, f := range []struct {
		v   *boolValue
		dst *bool
	}{{p.Bed, &t.Bed}, {p.Room, &t.Room}, {p.Floor, &t.Floor}, {p.Building, &t.Building}} {
		if f.v != nil && f.v.Value != nil {
			*f.dst = *f.v.Value
		}
	}
}

// checkValue applies Mews' rules for a token value.
func checkValue(field, v string) error {
	if n := len(utf16.Encode([]rune(v))); n < 1 || n > 255 {
		return badRequest(field, fmt.Sprintf("the value must be 1 to 255 characters long, got %d.", n))
	}
	return nil
}

// tokensGetAll serves resourceAccessTokens/getAll.
func (s *Server) tokensGetAll(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseIds, ResourceAccessTokenIds, ServiceOrderIds []string
		CollidingUtc, UpdatedUtc                               *mews.TimeInterval
		ActivityStates                                         []string
		Limitation                                             *limitation
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if len(in.ResourceAccessTokenIds)+len(in.ServiceOrderIds) == 0 && in.CollidingUtc == nil && in.UpdatedUtc == nil {
		return nil, badRequest("ResourceAccessTokenIds", "one of ResourceAccessTokenIds, ServiceOrderIds, CollidingUtc or UpdatedUtc is required.")
	}
	for _, err := range []error{
		checkIDs("EnterpriseIds", in.EnterpriseIds, 1000), checkIDs("ResourceAccessTokenIds", in.ResourceAccessTokenIds, 1000),
		checkIDs("ServiceOrderIds", in.ServiceOrderIds, 1000),
		checkInterval("CollidingUtc", in.CollidingUtc), checkInterval("UpdatedUtc", in.UpdatedUtc),
	} {
		if err != nil {
			return nil, err
		}
	}
	for _, st := range in.ActivityStates {
		if st != "Active" && st != "Deleted" {
			return nil, badRequest("ActivityStates", "unknown activity state "+st+".")
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	scope := inScope(req.EnterpriseID, in.EnterpriseIds)
	var hits []*ResourceAccessToken
	for _, t := range c.tokens {
		state := "Deleted"
		if t.IsActive {
			state = "Active"
		}
		if scope[t.EnterpriseID] &&
			(len(in.ResourceAccessTokenIds) == 0 || contains(in.ResourceAccessTokenIds, t.ID)) &&
			(len(in.ServiceOrderIds) == 0 || contains(in.ServiceOrderIds, t.ReservationID)) &&
			(in.CollidingUtc == nil || in.CollidingUtc.Overlaps(t.ValidityStartUtc, t.ValidityEndUtc)) &&
			(in.UpdatedUtc == nil || in.UpdatedUtc.Contains(t.UpdatedUtc)) &&
			(len(in.ActivityStates) == 0 || contains(in.ActivityStates, state)) {
			hits = append(hits, t)
		}
	}
	items, cursor, err := page(c, in.Limitation, hits, func(t *ResourceAccessToken) string { return t.ID })
	if err != nil {
		return nil, err
	}
	return tokensReply(items, cursor), nil
}

// tokensReply renders tokens as a getAll (with cursor) or add/update answer.
func tokensReply(items []*ResourceAccessToken, cursor *string) any {
	out := make([]tokenWire, len(items))
	for i, t := range items {
		out[i] = t.wire()
	}
	if cursor == nil {
		return struct{ ResourceAccessTokens []tokenWire }{out}
	}
	return struct {
		ResourceAccessTokens []tokenWire
		Cursor               *string
	}{out, cursor}
}

// tokensAdd serves resourceAccessTokens/add. Like Mews, it has no idempotency: the same
// parameters sent twice store two tokens.
func (s *Server) tokensAdd(req *Request) (any, error) {
	var in struct {
		auth
		ResourceAccessTokenParameters []struct {
			ServiceOrderId                   *string
			CompanionshipId, ResourceId      *string
			Value                            *string
			Type                             *string
			SerialNumber                     *string
			ValidityStartUtc, ValidityEndUtc *time.Time
			Permissions                      *permissionParams
		}
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if n := len(in.ResourceAccessTokenParameters); n < 1 || n > 1000 {
		return nil, badRequest("ResourceAccessTokenParameters", fmt.Sprintf("between 1 and 1000 items are required, got %d.", n))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	scope := inScope(req.EnterpriseID, nil)
	added := make([]*ResourceAccessToken, 0, len(in.ResourceAccessTokenParameters))
	for _, p := range in.ResourceAccessTokenParameters {
		var res *Reservation
		if p.ServiceOrderId != nil {
			res = c.resIndex[*p.ServiceOrderId]
		}
		switch {
		case res == nil || !scope[res.EnterpriseID]:
			return nil, badRequest("ServiceOrderId", "the reservation does not exist.")
		case p.Type == nil || (*p.Type != "PinCode" && *p.Type != "RfidTag"):
			return nil, badRequest("Type", "must be PinCode or RfidTag.")
		case p.Value == nil:
			return nil, badRequest("Value", "Value is required.")
		case p.ValidityStartUtc == nil || p.ValidityEndUtc == nil:
			return nil, badRequest("ValidityStartUtc", "ValidityStartUtc and ValidityEndUtc are required.")
		case !p.ValidityStartUtc.Before(*p.ValidityEndUtc):
			return nil, badRequest("ValidityEndUtc", "must be after ValidityStartUtc.")
		case p.Permissions == nil:
			return nil, badRequest("Permissions", "Permissions are required.")
		case p.ResourceId != nil && !c.hasRoom(*p.ResourceId):
			return nil, badRequest("ResourceId", "the resource does not exist.")
		}
		if err := checkValue("Value", *p.Value); err != nil {
			return nil, err
		}
		t := &ResourceAccessToken{
			EnterpriseID: res.EnterpriseID, ReservationID: res.ID, Type: *p.Type, Value: *p.Value,
			ValidityStartUtc: p.ValidityStartUtc.UTC(), ValidityEndUtc: p.ValidityEndUtc.UTC(),
			IsActive: true, CreatedUtc: req.Time.UTC(), UpdatedUtc: req.Time.UTC(),
		}
		for _, f := range []struct {
			src *string
			dst *string
		}{{p.CompanionshipId, &t.CompanionshipID}, {p.ResourceId, &t.ResourceID}, {p.SerialNumber, &t.SerialNumber}} {
			if f.src != nil {
				*f.dst = *f.src
			}
		}
		p.Permissions.apply(t)
		added = append(added, t)
	}
	for _, t := range added { // all or nothing, like one Mews transaction
		t.ID = c.newID()
		c.tokens = append(c.tokens, t)
		c.tokenIndex[t.ID] = t
		c.place(t.ID)
	}
	return tokensReply(added, nil), nil
}

// hasRoom reports whether a resource id exists.
func (c *connectorState) hasRoom(id string) bool {
	for _, r := range c.rooms {
		if r.ID == id {
			return true
		}
	}
	return false
}

// tokensUpdate serves resourceAccessTokens/update.
func (s *Server) tokensUpdate(req *Request) (any, error) {
	var in struct {
		auth
		EnterpriseId               *string
		ResourceAccessTokenUpdates []struct {
			ResourceAccessTokenId            *string
			ValidityStartUtc, ValidityEndUtc *stringValue
			Value                            *stringValue
			Permissions                      *permissionParams
		}
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if n := len(in.ResourceAccessTokenUpdates); n > 1000 {
		return nil, badRequest("ResourceAccessTokenUpdates", fmt.Sprintf("at most 1000 items are allowed, got %d.", n))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	scope := inScope(req.EnterpriseID, nil)
	type change struct {
		t    *ResourceAccessToken
		next ResourceAccessToken
	}
	var changes []change
	for _, u := range in.ResourceAccessTokenUpdates {
		var t *ResourceAccessToken
		if u.ResourceAccessTokenId != nil {
			t = c.tokenIndex[*u.ResourceAccessTokenId]
		}
		if t == nil || !scope[t.EnterpriseID] {
			return nil, badRequest("ResourceAccessTokenId", "the resource access token does not exist.")
		}
		if !t.IsActive {
			return nil, badRequest("ResourceAccessTokenId", "the resource access token is deleted.")
		}
		next := *t
		for _, f := range []struct {
			name string
			v    *stringValue
			dst  *time.Time
		}{{"ValidityStartUtc", u.ValidityStartUtc, &next.ValidityStartUtc}, {"ValidityEndUtc", u.ValidityEndUtc, &next.ValidityEndUtc}} {
			if f.v == nil || f.v.Value == nil {
				continue
			}
			at, err := time.Parse(time.RFC3339Nano, *f.v.Value)
			if err != nil {
				return nil, badRequest(f.name, "not an ISO 8601 date-time.")
			}
			*f.dst = at.UTC()
		}
		if u.Value != nil && u.Value.Value != nil {
			if err := checkValue("Value", *u.Value.Value); err != nil {
				return nil, err
			}
			next.Value = *u.Value.Value
		}
		u.Permissions.apply(&next)
		if !next.ValidityStartUtc.Before(next.ValidityEndUtc) {
			return nil, badRequest("ValidityEndUtc", "must be after ValidityStartUtc.")
		}
		next.UpdatedUtc = req.Time.UTC()
		changes = append(changes, change{t, next})
	}
	out := make([]*ResourceAccessToken, len(changes))
	for i, ch := range changes {
		*ch.t = ch.next
		out[i] = ch.t
	}
	return tokensReply(out, nil), nil
}

// tokensDelete serves resourceAccessTokens/delete: a soft delete (IsActive false).
// Deleting a deleted token changes nothing.
func (s *Server) tokensDelete(req *Request) (any, error) {
	var in struct {
		auth
		Ids []string
	}
	if err := decodeStrict(req, &in); err != nil {
		return nil, err
	}
	if n := len(in.Ids); n < 1 || n > 1000 {
		return nil, badRequest("Ids", fmt.Sprintf("between 1 and 1000 items are required, got %d.", n))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.connectorData()
	scope := inScope(req.EnterpriseID, nil)
	for _, id := range in.Ids {
		if t := c.tokenIndex[id]; t == nil || !scope[t.EnterpriseID] {
			return nil, badRequest("Ids", "the resource access token "+id+" does not exist.")
		}
	}
	for _, id := range in.Ids {
		if t := c.tokenIndex[id]; t.IsActive {
			t.IsActive, t.UpdatedUtc = false, req.Time.UTC()
		}
	}
	return struct{}{}, nil
}
