package mewstest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"time"

	"github.com/mewskit/mews-go"
)

// connectorState holds the seeded Connector data (enterprise configuration, rooms,
// reservations, resource access tokens) and is owned by the Connector operations.
// It lives behind Server.mu and is seeded on first use, so servers that never see a
// Connector call do not pay for the data.
type connectorState struct {
	seeded       bool
	rng          *rand.Rand
	rooms        []*Room
	reservations []*Reservation
	resIndex     map[string]*Reservation
	tokens       []*ResourceAccessToken
	tokenIndex   map[string]*ResourceAccessToken
	order        map[string]int // id → position in the server's global order (the cursor's keyset)
	span         *seedSpan      // set by WithSeedMonths; nil: a year before SeedEpoch, six months after
}

// registerConnector installs the built-in Connector operations.
func (s *Server) registerConnector() {
	s.accessTokens[PortfolioAccessToken] = &credential{owner: PortfolioID}
	s.connectorOps["configuration/get"] = s.configurationGet
	s.connectorOps["enterprises/getAll"] = s.enterprisesGetAll
	s.connectorOps["resources/getAll"] = s.resourcesGetAll
	s.connectorOps["reservations/getAll/2023-06-06"] = s.reservationsGetAll
	s.connectorOps["resourceAccessTokens/getAll"] = s.tokensGetAll
	s.connectorOps["resourceAccessTokens/add"] = s.tokensAdd
	s.connectorOps["resourceAccessTokens/update"] = s.tokensUpdate
	s.connectorOps["resourceAccessTokens/delete"] = s.tokensDelete
	s.registerDevices() // connector_devices.go
}

// connector returns the Connector data, seeding it first if needed. Caller holds s.mu.
func (s *Server) connectorData() *connectorState {
	c := &s.connector
	if !c.seeded {
		c.seed()
	}
	return c
}

// newID makes a deterministic, GUID-shaped id (version 4, variant 8–b). It writes the
// hex digits itself: seeding calls it some 20 000 times, and fmt.Sprintf made it most
// of the cost of every new server, above all under the race detector.
func (c *connectorState) newID() string {
	r := c.rng
	var b [36]byte
	hexDigits(b[0:8], uint64(r.Uint32()))
	b[8] = '-'
	hexDigits(b[9:13], uint64(r.Uint32()))
	b[13], b[14] = '-', '4'
	hexDigits(b[15:18], uint64(r.Uint32()))
	b[18] = '-'
	hexDigits(b[19:20], uint64(8+r.IntN(4)))
	hexDigits(b[20:23], uint64(r.Uint32()))
	b[23] = '-'
	hexDigits(b[24:36], r.Uint64())
	return string(b[:])
}

// hexDigits writes the low len(dst) hex digits of v into dst, zero-padded.
func hexDigits(dst []byte, v uint64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = "0123456789abcdef"[v&0xf]
		v >>= 4
	}
}

// place gives a new record the next position in the cursor order.
func (c *connectorState) place(id string) {
	c.order[id] = len(c.order)
}

// enterpriseScope lists the enterprises an AccessToken may read: its own, or a
// portfolio's members.
func enterpriseScope(owner string) []string {
	if owner == PortfolioID {
		return []string{EnterpriseID, SecondEnterpriseID}
	}
	return []string{owner}
}

// inScope narrows the token's enterprises to the EnterpriseIds filter, if any.
func inScope(owner string, filter []string) map[string]bool {
	out := make(map[string]bool)
	for _, id := range enterpriseScope(owner) {
		if len(filter) == 0 || contains(filter, id) {
			out[id] = true
		}
	}
	return out
}

// set makes a lookup table of an id list; nil for an empty list (no filter).
func set(list []string) map[string]bool {
	if len(list) == 0 {
		return nil
	}
	m := make(map[string]bool, len(list))
	for _, v := range list {
		m[v] = true
	}
	return m
}

// admits reports whether a filter set (nil: no filter) lets v through.
func admits(m map[string]bool, v string) bool { return m == nil || m[v] }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// decodeStrict reads a Connector body like Mews does: unknown fields are rejected
// (Mews' schemas have additionalProperties: false), so a misspelt filter fails loudly
// instead of being ignored.
func decodeStrict(r *Request, v any) error {
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return ConnectorError(http.StatusBadRequest, "Invalid JSON: "+err.Error())
	}
	return nil
}

// auth are the fields every Connector body carries; embed it in request structs so
// that strict decoding accepts them.
type auth struct {
	ClientToken  string
	AccessToken  string
	Client       string
	LanguageCode string `json:",omitempty"`
	CultureCode  string `json:",omitempty"`
}

// limitation is the paging object of a getAll request.
type limitation struct {
	Count  *int
	Cursor *string
}

// badRequest is Mews' 400 naming the parameter.
func badRequest(field, reason string) error {
	return ConnectorError(http.StatusBadRequest, "Invalid "+field+": "+reason)
}

// checkIDs enforces an id list's documented maximum.
func checkIDs(field string, ids []string, max int) error {
	if len(ids) > max {
		return badRequest(field, fmt.Sprintf("at most %d items are allowed, got %d.", max, len(ids)))
	}
	return nil
}

// checkInterval enforces the time-filter rules: both ends, start not after end, and
// at most three months.
func checkInterval(field string, iv *mews.TimeInterval) error {
	switch {
	case iv == nil:
		return nil
	case iv.StartUtc.IsZero() || iv.EndUtc.IsZero():
		return badRequest(field, "both StartUtc and EndUtc are required.")
	case iv.EndUtc.Before(iv.StartUtc):
		return badRequest(field, "EndUtc must not be before StartUtc.")
	case iv.TooLong():
		return badRequest(field, fmt.Sprintf("the interval must not be longer than %d months.", mews.MaxIntervalMonths))
	}
	return nil
}

// page cuts one page out of items (already filtered, in cursor order): the items after
// the cursor's position, at most Count of them. The response cursor is the id of the
// last item returned, or nil when none was.
func page[T any](c *connectorState, lim *limitation, items []T, id func(T) string) ([]T, *string, error) {
	if lim == nil || lim.Count == nil {
		return nil, nil, badRequest("Limitation", "Limitation with Count is required.")
	}
	if n := *lim.Count; n < 1 || n > mews.MaxPageSize {
		return nil, nil, badRequest("Limitation.Count", fmt.Sprintf("must be between 1 and %d, got %d.", mews.MaxPageSize, n))
	}
	start := 0
	if lim.Cursor != nil {
		pos, ok := c.order[*lim.Cursor]
		if !ok {
			return nil, nil, badRequest("Limitation.Cursor", "unknown cursor "+*lim.Cursor+".")
		}
		start = sort.Search(len(items), func(i int) bool { return c.order[id(items[i])] > pos })
	}
	end := min(start+*lim.Count, len(items))
	out := items[start:end]
	if len(out) == 0 {
		return out, nil, nil
	}
	last := id(out[len(out)-1])
	return out, &last, nil
}

// utcText renders an optional time: nil for the zero time.
func utcText(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// strOrNil renders an optional string: nil for "".
func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
