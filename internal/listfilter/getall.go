package listfilter

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/paging"
)

// GetAll describes a Connector getAll listing for Pager: query type R (a struct that
// encodes to a JSON object: the params themselves when their tags are the wire
// names), response type P, item type T. It lives here rather than in internal/paging
// because it needs the root's handle and Operation, and the root imports
// internal/paging.
type GetAll[R, P, T any] struct {
	// Operation is the call each page makes; Pager marks it ShrinkOnTimeout, so a 408
	// comes back at once and the page is asked again with half the count.
	Operation mews.Operation
	// Queries are the listing's requests (one per time window or id chunk) without
	// their Limitation, which Pager adds to each page.
	Queries []R
	// PageSize is the Limitation.Count of the first page (0: the default).
	PageSize int
	// Read returns a response's items and its top-level Cursor.
	Read func(*P) ([]T, *string)
	// Normalize, when set, fixes up every item read (times to UTC, old spellings).
	Normalize func(*T)
	// Key, Bound and Carry are as in paging.Config.
	Key   func(T) string
	Bound func(query int) int
	Carry func(item T, query int) bool
}

// Pager returns the pager over g's pages through h. A nil h yields an
// *mews.InputError when the pager is ranged over.
func Pager[R, P, T any](h mews.ConnectorCaller, g GetAll[R, P, T]) *mews.Pager[T] {
	if h == nil {
		return paging.Failed[T](nilHandle(g.Operation.Name))
	}
	op := g.Operation
	op.ShrinkOnTimeout = true
	return paging.New(paging.Config[T]{
		Operation: op.Name,
		Queries:   len(g.Queries),
		PageSize:  g.PageSize,
		Fetch: func(ctx context.Context, q int, lim paging.Limitation) ([]T, *string, error) {
			if q >= len(g.Queries) {
				return nil, nil, nil // no queries: an empty listing
			}
			var res P
			if err := Call(ctx, h, op, page[R]{query: &g.Queries[q], lim: lim}, &res); err != nil {
				return nil, nil, err
			}
			items, cursor := g.Read(&res)
			if g.Normalize != nil {
				for i := range items {
					g.Normalize(&items[i])
				}
			}
			return items, cursor, nil
		},
		Shrink: func(err error) bool { return errors.Is(err, mews.ErrTimeout) },
		Key:    g.Key,
		Bound:  g.Bound,
		Carry:  g.Carry,
	})
}

// page is the request of one page: a query with the page's Limitation added, so that
// no query type needs a Limitation field of its own.
type page[R any] struct {
	query *R
	lim   paging.Limitation
}

// MarshalJSON writes the query's object with "Limitation" as its last member.
func (p page[R]) MarshalJSON() ([]byte, error) {
	body, err := json.Marshal(p.query)
	if err != nil {
		return nil, err
	}
	lim, err := json.Marshal(p.lim)
	if err != nil {
		return nil, err
	}
	body = bytes.TrimSpace(body)
	if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, errors.New("a getAll query must encode to a JSON object")
	}
	out := make([]byte, 0, len(body)+len(lim)+16)
	out = append(out, body[:len(body)-1]...)
	if len(body) > 2 {
		out = append(out, ',')
	}
	out = append(out, `"Limitation":`...)
	out = append(out, lim...)
	return append(out, '}'), nil
}

// Fail returns a pager that yields only err: how a list function reports invalid
// params when its pager is ranged over.
func Fail[T any](err error) *mews.Pager[T] { return paging.Failed[T](err) }

// Call sends op through h, the way every Connector operation of the hand-written
// packages does; a nil h is an *mews.InputError instead of a panic.
func Call(ctx context.Context, h mews.ConnectorCaller, op mews.Operation, in, out any) error {
	if h == nil {
		return nilHandle(op.Name)
	}
	return h.CallConnector(ctx, op, in, out)
}

// nilHandle is the error for an operation given no handle.
func nilHandle(op string) error {
	return &mews.InputError{Operation: op, Field: "handle", Reason: "is nil; pass a *mews.Connector from Client.Connector"}
}
