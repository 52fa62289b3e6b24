package listfilter

import (
	"context"
	"errors"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/paging"
)

// GetAll describes a Connector getAll listing for Pager: request type R, response
// type P, item type T. It lives here rather than in internal/paging because it needs
// the root's handle and Operation, and the root imports internal/paging.
type GetAll[R, P, T any] struct {
	// Operation is the call each page makes; Pager marks it ShrinkOnTimeout, so a 408
	// comes back at once and the page is asked again with half the count.
	Operation mews.Operation
	// Requests are the listing's queries (one per time window or id chunk), each
	// without its Limitation.
	Requests []R
	// PageSize is the Limitation.Count of the first page (0: the default).
	PageSize int
	// Limit puts the page's Limitation into a copy of a request.
	Limit func(*R, paging.Limitation)
	// Read returns a response's items and its top-level Cursor; it may normalize the
	// items in place.
	Read func(*P) ([]T, *string)
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
		Queries:   len(g.Requests),
		PageSize:  g.PageSize,
		Fetch: func(ctx context.Context, q int, lim paging.Limitation) ([]T, *string, error) {
			if q >= len(g.Requests) {
				return nil, nil, nil // no queries: an empty listing
			}
			req := g.Requests[q]
			g.Limit(&req, lim)
			var res P
			if err := Call(ctx, h, op, &req, &res); err != nil {
				return nil, nil, err
			}
			items, cursor := g.Read(&res)
			return items, cursor, nil
		},
		Shrink: func(err error) bool { return errors.Is(err, mews.ErrTimeout) },
		Key:    g.Key,
		Bound:  g.Bound,
		Carry:  g.Carry,
	})
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
