package pins

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
	"github.com/mewskit/mews-go/internal/wait"
)

// The Connector operations behind this package.
const (
	opGetAll = "resourceAccessTokens/getAll"
	opAdd    = "resourceAccessTokens/add"
	opUpdate = "resourceAccessTokens/update"
	opDelete = "resourceAccessTokens/delete"
	opSet    = "pins.Set"
)

// maxBatch is Mews' limit on items per request; longer batches are sent in chunks.
const maxBatch = 1000

// ActivityState selects credentials by whether they were deleted.
type ActivityState string

// Activity states.
const (
	Active  ActivityState = "Active"
	Deleted ActivityState = "Deleted"
)

// ListParams selects credentials for List, and sets the page size. At least one of
// IDs, ReservationIDs, CollidingUtc and UpdatedUtc is required (a Mews rule). Id lists
// of any length are asked for in chunks of 1000; intervals longer than three months
// are split, and a credential valid in two CollidingUtc windows is yielded once. The
// JSON tags are the request's.
type ListParams struct {
	EnterpriseIDs  []string           `json:"EnterpriseIds,omitempty"`          // portfolio tokens: limit to these hotels, max 1000
	IDs            []string           `json:"ResourceAccessTokenIds,omitempty"` // credential ids
	ReservationIDs []string           `json:"ServiceOrderIds,omitempty"`        // the reservations' credentials
	CollidingUtc   *mews.TimeInterval `json:"CollidingUtc,omitempty"`           // credentials valid at some time in the interval
	UpdatedUtc     *mews.TimeInterval `json:"UpdatedUtc,omitempty"`             // credentials changed in the interval
	States         []ActivityState    `json:"ActivityStates,omitempty"`         // default: both active and deleted

	// PageSize is how many credentials each request asks for: 0 means
	// mews.DefaultPageSize (500), more than mews.MaxPageSize (1000) is clamped.
	PageSize int `json:"-"`
}

// List returns a pager over the credentials that match p. Nothing is sent until the
// pager is ranged over; invalid params then yield a *mews.InputError first.
func List(h mews.ConnectorCaller, p ListParams) *mews.Pager[Credential] {
	type result struct {
		ResourceAccessTokens []Credential `json:"ResourceAccessTokens"`
		Cursor               *string      `json:"Cursor"`
	}
	fail := func(field, reason string) *mews.Pager[Credential] {
		return listfilter.Fail[Credential](&mews.InputError{Operation: opGetAll, Field: field, Reason: reason})
	}
	switch {
	case len(p.IDs)+len(p.ReservationIDs) == 0 && p.CollidingUtc == nil && p.UpdatedUtc == nil:
		return fail("ServiceOrderIds", "or ResourceAccessTokenIds, CollidingUtc or UpdatedUtc is required by Mews")
	case slices.ContainsFunc(p.States, func(s ActivityState) bool { return s != Active && s != Deleted }):
		return fail("ActivityStates", "may only contain pins.Active and pins.Deleted")
	}
	if err := listfilter.Check(opGetAll,
		listfilter.List{Field: "EnterpriseIds", Items: p.EnterpriseIDs, Max: maxBatch},
		listfilter.List{Field: "ResourceAccessTokenIds", Items: p.IDs},
		listfilter.List{Field: "ServiceOrderIds", Items: p.ReservationIDs},
	); err != nil {
		return listfilter.Fail[Credential](err)
	}
	base := p
	base.IDs, base.ReservationIDs = nil, nil
	queries := []ListParams{base}
	var err error
	if queries, err = listfilter.Windows(opGetAll, "CollidingUtc", queries, p.CollidingUtc, func(r *ListParams, w *mews.TimeInterval) { r.CollidingUtc = w }); err != nil {
		return listfilter.Fail[Credential](err)
	}
	if queries, err = listfilter.Windows(opGetAll, "UpdatedUtc", queries, p.UpdatedUtc, func(r *ListParams, w *mews.TimeInterval) { r.UpdatedUtc = w }); err != nil {
		return listfilter.Fail[Credential](err)
	}
	queries = listfilter.Chunks(queries, p.IDs, maxBatch, func(r *ListParams, c []string) { r.IDs = c })
	queries = listfilter.Chunks(queries, p.ReservationIDs, maxBatch, func(r *ListParams, c []string) { r.ReservationIDs = c })
	return listfilter.Pager(h, listfilter.GetAll[ListParams, result, Credential]{
		Operation: mews.Operation{Name: opGetAll, Safety: mews.Read},
		Queries:   queries,
		PageSize:  p.PageSize,
		Read:      func(res *result) ([]Credential, *string) { return res.ResourceAccessTokens, res.Cursor },
		Normalize: (*Credential).normalize,
		Key:       func(c Credential) string { return c.ID },
		Carry: func(c Credential, q int) bool {
			w := queries[q].CollidingUtc
			return w != nil && c.ValidityEndUtc.After(w.EndUtc)
		},
	})
}

// Add stores new credentials and returns them as Mews stored them (with their ids).
// All are validated before anything is sent; more than 1000 are sent in chunks. When
// a chunk fails, Add returns the credentials of the chunks stored before it with the
// error.
//
// Mews has no idempotency for this call: sending the same credential twice stores it
// twice. Add is therefore never retried after a failure that may have reached Mews
// (a timeout, a dropped connection, a 5xx). Use Set to store a reservation's
// credential safely.
func Add(ctx context.Context, h mews.ConnectorCaller, creds ...Credential) ([]Credential, error) {
	params := make([]addParams, len(creds))
	for i := range creds {
		if err := creds[i].validate(opAdd, false); err != nil {
			return nil, err
		}
		params[i] = creds[i].addParams()
	}
	var out []Credential
	for chunk := range slices.Chunk(params, maxBatch) {
		var res struct {
			ResourceAccessTokens []Credential `json:"ResourceAccessTokens"`
		}
		in := struct{ ResourceAccessTokenParameters []addParams }{chunk}
		if err := listfilter.Call(ctx, h, mews.Operation{Name: opAdd, Safety: mews.Write}, in, &res); err != nil {
			return out, err
		}
		out = append(out, normalized(res.ResourceAccessTokens)...)
	}
	return out, nil
}

// Update changes stored credentials to the given value, validity and permissions
// (matched by ID) and returns them as stored. Mews cannot change a credential's type,
// reservation, room, guest or serial number: delete it and add a new one (Set does).
// With a portfolio token, each credential's EnterpriseID is passed on to Mews.
func Update(ctx context.Context, h mews.ConnectorCaller, creds ...Credential) ([]Credential, error) {
	byEnterprise := map[string][]updateParams{}
	var order []string
	for i := range creds {
		if err := creds[i].validate(opUpdate, true); err != nil {
			return nil, err
		}
		e := creds[i].EnterpriseID
		if _, seen := byEnterprise[e]; !seen {
			order = append(order, e)
		}
		byEnterprise[e] = append(byEnterprise[e], creds[i].updateParams())
	}
	var out []Credential
	for _, e := range order {
		for chunk := range slices.Chunk(byEnterprise[e], maxBatch) {
			in := struct {
				EnterpriseID string         `json:"EnterpriseId,omitempty"`
				Updates      []updateParams `json:"ResourceAccessTokenUpdates"`
			}{e, chunk}
			var res struct {
				ResourceAccessTokens []Credential `json:"ResourceAccessTokens"`
			}
			if err := listfilter.Call(ctx, h, mews.Operation{Name: opUpdate, Safety: mews.IdempotentWrite}, in, &res); err != nil {
				return out, err
			}
			out = append(out, normalized(res.ResourceAccessTokens)...)
		}
	}
	return out, nil
}

// Delete deletes credentials by id; Mews keeps them with IsActive false. More than 1000
// ids are sent in chunks.
func Delete(ctx context.Context, h mews.ConnectorCaller, ids ...string) error {
	if err := listfilter.Check(opDelete, listfilter.List{Field: "Ids", Items: ids}); err != nil {
		return err
	}
	for chunk := range slices.Chunk(ids, maxBatch) {
		in := struct{ Ids []string }{chunk}
		if err := listfilter.Call(ctx, h, mews.Operation{Name: opDelete, Safety: mews.IdempotentWrite}, in, nil); err != nil {
			return err
		}
	}
	return nil
}

func normalized(cs []Credential) []Credential {
	for i := range cs {
		cs[i].normalize()
	}
	return cs
}

// maxAddAttempts bounds how often Set adds after failures that left Mews' state unknown.
const maxAddAttempts = 3

// DefaultSettle is how long Set waits, after an add whose outcome it cannot know, for
// Mews to store that add late before it adds again (SetParams.Settle overrides it).
// A gateway can answer 504 while Mews goes on and stores the credential a moment later.
const DefaultSettle = 5 * time.Second

// Pauses between Set's looks for a late-stored add: they start short, because most
// ambiguous failures (a dropped answer) show the credential at once, and grow.
const (
	firstRecheck = 250 * time.Millisecond
	maxRecheck   = 2 * time.Second
)

// Set makes want the reservation's one active credential of its type (and guest,
// CompanionshipID): the Portal's main call. It reads the reservation's active
// credentials first, then
//
//   - updates the one that already opens the same room (value, validity, permissions),
//   - or adds want when there is none, and reads the credentials again;
//   - and deletes every other active credential of that type and guest (a credential
//     for a previous room, or a twin left by an earlier failure), after the one it
//     keeps is in place.
//
// Mews has no idempotency keys, so after an add fails in a way that may have reached
// Mews (a timeout, a dropped connection, a 5xx, an unreadable answer) Set never adds
// again at once: it looks for the credential, and keeps looking until the settle
// period (p.Settle, default DefaultSettle) has passed since the failure, because a
// gateway may have given up on a request that Mews stores later. Only when a look made
// after the settle period still finds nothing does Set add again. When several
// credentials open the same room, Set keeps the oldest, so that concurrent and later
// calls of Set agree on which one survives, and deletes the others. A zero Type means
// PinCode.
//
// What remains possible: an add that Mews stores later than the settle period, or an
// add left unknown because ctx ended (during the add or the wait), can leave a second
// active credential, or one that Set did not return, after Set has returned. When Set
// fails, or when a Portal suspects it was slow, it should call Set again with the same
// credential: every call removes twins, keeping the oldest, so the reservation
// converges to exactly one active credential. For a gateway known to commit slowly,
// raise Settle; a ctx deadline shorter than Settle ends the wait with an error.
//
// It returns the credential it kept, and with an error that says the credential is
// stored but a later step failed, that credential too.
func Set(ctx context.Context, h mews.ConnectorCaller, p SetParams) (*Credential, error) {
	want := p.Credential
	if want.Type == "" {
		want.Type = PinCode
	}
	if err := want.validate(opSet, false); err != nil {
		return nil, err
	}
	if p.Settle < 0 {
		return nil, &mews.InputError{Operation: opSet, Field: "Settle", Reason: "is negative; use 0 for pins.DefaultSettle"}
	}
	settle := p.Settle
	if settle == 0 {
		settle = DefaultSettle
	}
	kept, err := set(ctx, h, want, settle)
	if kept.ID == "" {
		return nil, err
	}
	return &kept, err
}

// SetParams is what Set stores, and how long it waits for a late commit.
type SetParams struct {
	// Credential is the credential the reservation should have; ForReservation builds
	// one from a reservation.
	Credential Credential
	// Settle is how long Set keeps looking, after an add whose outcome it cannot know,
	// for Mews to store that add late before it adds again. 0 means DefaultSettle;
	// negative is refused.
	Settle time.Duration
}

// LogValue logs the params without the credential's value.
func (p SetParams) LogValue() slog.Value {
	return slog.GroupValue(slog.Any("credential", p.Credential), slog.Duration("settle", p.Settle))
}

// set is Set after its params were checked.
func set(ctx context.Context, h mews.ConnectorCaller, want Credential, settle time.Duration) (Credential, error) {
	current, err := activeLike(ctx, h, want)
	if err != nil {
		return Credential{}, err
	}
	keep := oldestTwin(current, want)
	if keep == nil {
		added, err := addOnce(ctx, h, want, settle)
		if err != nil {
			return Credential{}, err
		}
		// Another Set may have added a twin since the first read: read again, so that
		// every caller keeps the same, oldest one.
		if current, err = activeLike(ctx, h, want); err != nil {
			return added, fmt.Errorf("mews: %s: the credential is stored, but checking the reservation for duplicates failed (call Set again): %w", opSet, err)
		}
		if !slices.ContainsFunc(current, func(c Credential) bool { return c.ID == added.ID }) {
			current = append(current, added)
		}
		keep = oldestTwin(current, want)
	}
	result := *keep
	if !sameContent(result, want) {
		next := result
		next.Value, next.ValidityStartUtc, next.ValidityEndUtc, next.Permissions = want.Value, want.ValidityStartUtc, want.ValidityEndUtc, want.Permissions
		updated, err := Update(ctx, h, next)
		if err != nil {
			return settled(ctx, h, want, err)
		}
		result = next
		if len(updated) > 0 {
			result = updated[0]
		}
	}
	var stale []string
	for _, c := range current {
		if c.ID != result.ID {
			stale = append(stale, c.ID)
		}
	}
	if len(stale) > 0 {
		if err := Delete(ctx, h, stale...); err != nil {
			if c, err := settled(ctx, h, want, err); err == nil {
				return c, nil
			}
			return result, fmt.Errorf("mews: %s: the credential is stored, but %d other one(s) of the reservation could not be deleted (call Set again): %w", opSet, len(stale), err)
		}
	}
	return result, nil
}

// settled decides a Set whose update or delete failed in a way that may have reached
// Mews (an unreadable answer, a dropped connection, a 5xx the pipeline gave up on): it
// reads the reservation's credentials once more and returns the one credential when
// want is in place and alone. Otherwise it returns err.
func settled(ctx context.Context, h mews.ConnectorCaller, want Credential, err error) (Credential, error) {
	if !ambiguous(ctx, err) {
		return Credential{}, err
	}
	current, lerr := activeLike(ctx, h, want)
	if lerr != nil || len(current) != 1 || oldestTwin(current, want) == nil || !sameContent(current[0], want) {
		return Credential{}, err
	}
	return current[0], nil
}

// oldestTwin returns the oldest of the credentials that open the same room with the
// same carrier as want (the one Set keeps), or nil when there is none. Ties in
// CreatedUtc go to the smaller id, so that every caller picks the same one.
func oldestTwin(current []Credential, want Credential) *Credential {
	var keep *Credential
	for i := range current {
		c := &current[i]
		if c.ResourceID != want.ResourceID || c.SerialNumber != want.SerialNumber {
			continue
		}
		if keep == nil || c.CreatedUtc.Before(keep.CreatedUtc) || (c.CreatedUtc.Equal(keep.CreatedUtc) && c.ID < keep.ID) {
			keep = c
		}
	}
	return keep
}

// addOnce adds want. After a failure that may have reached Mews it adds again only
// when awaitStored, looking until the settle period is over, found no twin.
func addOnce(ctx context.Context, h mews.ConnectorCaller, want Credential, settle time.Duration) (Credential, error) {
	for attempt := 1; ; attempt++ {
		added, err := Add(ctx, h, want)
		if err == nil && len(added) == 1 {
			return added[0], nil
		}
		if err == nil {
			err = fmt.Errorf("mews: %s: Mews answered with %d credentials for one", opAdd, len(added))
		}
		if !ambiguous(ctx, err) {
			return Credential{}, err
		}
		twin, lerr := awaitStored(ctx, h, want, settle)
		switch {
		case lerr != nil:
			return Credential{}, fmt.Errorf("mews: %s: adding failed (%w) and the check whether Mews stored it anyway failed too; it may still appear (call Set again): %w", opSet, err, lerr)
		case twin != nil:
			return *twin, nil // the add reached Mews after all (or another Set added one)
		case attempt == maxAddAttempts:
			return Credential{}, err
		}
	}
}

// awaitStored looks for a twin of want after an add whose outcome is unknown: at once,
// then after growing pauses, and last when settle has passed since it began. It
// returns the oldest twin as soon as one appears, and nil only after a look that began
// when the settle period was over found none. A failed look before then is passed
// over (the next one may succeed); a failed last look, or the end of ctx, is an error.
func awaitStored(ctx context.Context, h mews.ConnectorCaller, want Credential, settle time.Duration) (*Credential, error) {
	end := time.Now().Add(settle)
	pause := firstRecheck
	for {
		last := !time.Now().Before(end)
		current, err := activeLike(ctx, h, want)
		if err == nil {
			if twin := oldestTwin(current, want); twin != nil {
				return twin, nil
			}
		}
		if cerr := ctx.Err(); cerr != nil {
			return nil, cerr
		}
		if last {
			return nil, err
		}
		if err := wait.For(ctx, min(pause, time.Until(end))); err != nil {
			return nil, err
		}
		pause = min(2*pause, maxRecheck)
	}
}

// activeLike lists the reservation's active credentials of want's type and guest.
func activeLike(ctx context.Context, h mews.ConnectorCaller, want Credential) ([]Credential, error) {
	f := ListParams{ReservationIDs: []string{want.ReservationID}, States: []ActivityState{Active}, PageSize: mews.MaxPageSize}
	var out []Credential
	for c, err := range List(h, f).All(ctx) {
		if err != nil {
			return nil, err
		}
		if c.IsActive && c.Type == want.Type && c.CompanionshipID == want.CompanionshipID {
			out = append(out, c)
		}
	}
	return out, nil
}

// sameContent reports whether a stored credential already says what want says.
func sameContent(have, want Credential) bool {
	return have.Value == want.Value && have.Permissions == want.Permissions &&
		have.ValidityStartUtc.Equal(want.ValidityStartUtc) && have.ValidityEndUtc.Equal(want.ValidityEndUtc)
}

// ambiguous reports whether a failed add may nevertheless have been stored by Mews.
func ambiguous(ctx context.Context, err error) bool {
	if ctx.Err() != nil || errors.Is(err, mews.ErrInvalidInput) {
		return false
	}
	var apiErr *mews.APIError
	if !errors.As(err, &apiErr) {
		return true // no answer at all: the request may have been processed
	}
	switch s := apiErr.StatusCode; {
	case s == http.StatusRequestTimeout, s >= 500:
		return true
	case s >= 200 && s <= 299:
		return true // stored, but the answer could not be read
	}
	return false // Mews refused it (400, 401, 403, 409, 413, 429…)
}

// Clear deletes every active credential of a reservation — what a Portal does when a
// reservation is canceled or checked out — and returns the credentials it deleted.
// Clearing a reservation without credentials sends only the lookup.
func Clear(ctx context.Context, h mews.ConnectorCaller, reservationID string) ([]Credential, error) {
	if strings.TrimSpace(reservationID) == "" {
		return nil, &mews.InputError{Operation: opDelete, Field: "ServiceOrderIds", Reason: "is empty; pass the reservation's id"}
	}
	f := ListParams{ReservationIDs: []string{reservationID}, States: []ActivityState{Active}, PageSize: mews.MaxPageSize}
	active, err := List(h, f).Collect(ctx)
	if err != nil || len(active) == 0 {
		return nil, err
	}
	ids := make([]string, len(active))
	for i, c := range active {
		ids[i] = c.ID
	}
	if err := Delete(ctx, h, ids...); err != nil {
		return nil, err
	}
	return active, nil
}
