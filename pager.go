package mews

import (
	"context"
	"errors"
	"fmt"
	"iter"
)

// Page sizes for the Connector's cursor pagination.
const (
	// DefaultPageSize is the Limitation.Count a Pager asks for unless told otherwise:
	// large enough to stay well inside the rate limit, small enough that Mews rarely
	// answers 408.
	DefaultPageSize = 500
	// MaxPageSize is the largest Limitation.Count Mews accepts.
	MaxPageSize = 1000
)

// Limitation is the paging object of every Connector getAll request. Count is 1–1000;
// Cursor is the previous response's top-level Cursor, or nil for the first page.
type Limitation struct {
	Count  int     `json:"Count"`
	Cursor *string `json:"Cursor,omitempty"`
}

// PageFunc fetches one page of one of a Pager's queries. query counts from 0 (see
// PagerConfig.Queries); lim carries the Count and the cursor. It returns the page's
// items and the response's top-level Cursor (nil when Mews sent null).
type PageFunc[T any] func(ctx context.Context, query int, lim Limitation) (items []T, cursor *string, err error)

// PagerConfig describes a paged listing for NewPager. Packages of this SDK build it;
// use it yourself to page an operation the SDK does not wrap yet.
type PagerConfig[T any] struct {
	// Operation names the listing in errors, e.g. "reservations/getAll/2023-06-06".
	Operation string
	// Queries is how many independent queries the listing is made of: one per time
	// window when a long interval was split, or per chunk of 1000 ids. Each is paged
	// to its end before the next starts. Zero means one.
	Queries int
	// Fetch gets one page.
	Fetch PageFunc[T]
	// Key, when set and the listing has several queries, identifies items so that one
	// that matches several queries (a reservation colliding with two windows) is
	// yielded once.
	Key func(T) string
	// Bound, when set, returns the most items query can return (the number of ids it
	// asks for), or 0 when unknown. A query that has returned that many stops without
	// asking for an empty last page.
	Bound func(query int) int
	// Carry, when set, reports whether an item yielded by query may be returned again
	// by a later query. Items it rejects are not remembered for de-duplication, which
	// keeps memory flat for long listings. Nil remembers every item.
	Carry func(item T, query int) bool
}

// Pager walks a Connector listing page by page, following the top-level Cursor of each
// response, and across the listing's queries (time windows, id chunks). It stops a
// query when Mews returns a null Cursor or fewer items than asked for. When Mews
// answers 408 (the page was too heavy), the same page is asked again with half the
// Count, down to one item, and the rest of the iteration keeps the smaller Count.
//
// Every call to All, Pages or Collect starts from the beginning. A Pager is safe for
// concurrent use, but each iteration is not.
type Pager[T any] struct {
	cfg      PagerConfig[T]
	pageSize int
	err      error
}

// Page is one response of a listing.
type Page[T any] struct {
	// Items are the page's items, without those already yielded by an earlier query.
	Items []T
	// Cursor is the response's top-level Cursor, "" when Mews sent null.
	Cursor string
	// Query is the index of the query (window or chunk) the page belongs to.
	Query int
	// Count is the Limitation.Count the page was asked with.
	Count int
}

// NewPager returns a Pager over cfg with DefaultPageSize.
func NewPager[T any](cfg PagerConfig[T]) *Pager[T] {
	if cfg.Queries <= 0 {
		cfg.Queries = 1
	}
	p := &Pager[T]{cfg: cfg, pageSize: DefaultPageSize}
	if cfg.Fetch == nil {
		p.err = &InputError{Operation: cfg.Operation, Field: "Fetch", Reason: "is nil; a Pager needs a PageFunc"}
	}
	return p
}

// ErrorPager returns a Pager whose iteration yields only err. List functions use it to
// report invalid input lazily, when the caller ranges over the result, without sending
// anything.
func ErrorPager[T any](err error) *Pager[T] {
	return &Pager[T]{err: err, pageSize: DefaultPageSize}
}

// PageSize returns a copy of the Pager that asks for n items per page. n is clamped to
// 1…MaxPageSize; zero or less restores DefaultPageSize.
func (p *Pager[T]) PageSize(n int) *Pager[T] {
	if p == nil {
		return nil // ranging over it yields the nil-Pager error
	}
	cp := *p
	switch {
	case n <= 0:
		cp.pageSize = DefaultPageSize
	case n > MaxPageSize:
		cp.pageSize = MaxPageSize
	default:
		cp.pageSize = n
	}
	return &cp
}

// Err returns the input error the Pager was built with, if any, so that callers can
// check a listing before ranging over it.
func (p *Pager[T]) Err() error { return p.check(context.Background()) }

// All yields every item of the listing, then stops; on failure it yields the error
// once (with T's zero value) and stops.
func (p *Pager[T]) All(ctx context.Context) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page, err := range p.Pages(ctx) {
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
			}
		}
	}
}

// Collect returns every item of the listing. Prefer All for listings that may be large.
func (p *Pager[T]) Collect(ctx context.Context) ([]T, error) {
	var out []T
	for item, err := range p.All(ctx) {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

// Pages yields the listing one response at a time; on failure it yields the error once
// and stops. Use iter.Pull to step through pages by hand. The iterator may be ranged
// again, or from several goroutines at once: each range is an independent walk.
func (p *Pager[T]) Pages(ctx context.Context) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		if err := p.check(ctx); err != nil {
			yield(Page[T]{}, err)
			return
		}
		// The pager answers a 408 by asking for less, so the pipeline must not repeat
		// the same heavy page first. The marked context is local to this range: the
		// captured ctx is shared by every range of the iterator and must not change.
		walkCtx := context.WithValue(ctx, shrinksOnTimeoutKey{}, true)
		w := walk[T]{cfg: &p.cfg, count: p.pageSize}
		if w.count <= 0 {
			w.count = DefaultPageSize
		}
		queries := max(p.cfg.Queries, 1)
		if queries > 1 && p.cfg.Key != nil {
			w.seen = make(map[string]struct{})
		}
		for q := 0; q < queries; q++ {
			if !w.query(walkCtx, q, yield) {
				return
			}
		}
	}
}

// check returns the error that stops an iteration before anything is fetched: the
// Pager's own input error, a nil or zero Pager, or a nil ctx.
func (p *Pager[T]) check(ctx context.Context) error {
	switch {
	case p == nil:
		return &InputError{Field: "pager", Reason: "is nil; list functions return a *Pager"}
	case p.err != nil:
		return p.err
	case p.cfg.Fetch == nil:
		return &InputError{Operation: p.cfg.Operation, Field: "Fetch", Reason: "is nil; build a Pager with NewPager"}
	case ctx == nil:
		return &InputError{Operation: p.cfg.Operation, Field: "ctx", Reason: "is nil; pass context.Background() or a request's context"}
	}
	return nil
}

// walk is the state of one iteration over a Pager.
type walk[T any] struct {
	cfg   *PagerConfig[T]
	count int
	seen  map[string]struct{}
}

// query pages through query q and reports whether the iteration should go on.
func (w *walk[T]) query(ctx context.Context, q int, yield func(Page[T], error) bool) bool {
	var cursor *string
	bound, seen := 0, 0
	if w.cfg.Bound != nil {
		bound = w.cfg.Bound(q)
	}
	for {
		items, next, err := w.cfg.Fetch(ctx, q, Limitation{Count: w.count, Cursor: cursor})
		if err != nil {
			if errors.Is(err, ErrTimeout) && w.count > 1 && ctx.Err() == nil {
				w.count /= 2 // the page was too heavy for Mews: ask again for less
				continue
			}
			yield(Page[T]{Query: q, Count: w.count}, err)
			return false
		}
		full := len(items) >= w.count
		seen += len(items)
		page := Page[T]{Items: w.dedup(items, q), Query: q, Count: w.count}
		if next != nil {
			page.Cursor = *next
		}
		if !yield(page, nil) {
			return false
		}
		if next == nil || *next == "" || !full || (bound > 0 && seen >= bound) {
			return true
		}
		if cursor != nil && *cursor == *next {
			yield(Page[T]{Query: q, Count: w.count}, fmt.Errorf(
				"mews: %s: Mews returned the cursor it was given (%s); stopping instead of repeating the page forever",
				w.cfg.Operation, *next))
			return false
		}
		cursor = next
	}
}

// dedup drops items already yielded by an earlier query and remembers those that a
// later query may return again. It filters in place.
func (w *walk[T]) dedup(items []T, q int) []T {
	if w.seen == nil {
		return items
	}
	kept := items[:0]
	for _, item := range items {
		k := w.cfg.Key(item)
		if _, dup := w.seen[k]; dup {
			continue
		}
		if q < w.cfg.Queries-1 && (w.cfg.Carry == nil || w.cfg.Carry(item, q)) {
			w.seen[k] = struct{}{}
		}
		kept = append(kept, item)
	}
	return kept
}

// shrinksOnTimeoutKey marks a context whose calls are made by a Pager, which retries a
// 408 itself with a smaller page.
type shrinksOnTimeoutKey struct{}

// shrinksOnTimeout reports whether the caller retries a 408 with a smaller request.
func shrinksOnTimeout(ctx context.Context) bool {
	v, _ := ctx.Value(shrinksOnTimeoutKey{}).(bool)
	return v
}
