// Package paging walks the Connector's cursor-paged listings. It is internal so that
// the operation packages (and generated code) can build pagers while users only range
// over them: the root package re-exports Pager and Page as mews.Pager and mews.Page.
// Operations build a Pager with New, or with listfilter.GetAll for a getAll request.
//
//	p := paging.New(paging.Config[Thing]{
//		Operation: "things/getAll",
//		Fetch: func(ctx context.Context, query int, lim paging.Limitation) ([]Thing, *string, error) {
//			return fetchThings(ctx, lim)
//		},
//	})
//	for thing, err := range p.All(ctx) { … }
package paging

import (
	"context"
	"fmt"
	"iter"

	"github.com/mewskit/mews-go/internal/inputerr"
)

// Page sizes of the Connector's cursor pagination.
const (
	// DefaultPageSize is the Limitation.Count asked for unless a listing's PageSize says
	// otherwise: large enough to stay well inside the rate limit, small enough that
	// Mews rarely answers 408.
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

// Fetch gets one page of one of a listing's queries. query counts from 0 (see
// Config.Queries); lim carries the Count and the cursor. It returns the page's items
// and the response's top-level Cursor (nil when Mews sent null).
type Fetch[T any] func(ctx context.Context, query int, lim Limitation) (items []T, cursor *string, err error)

// Config describes a paged listing for New.
type Config[T any] struct {
	// Operation names the listing in errors, e.g. "reservations/getAll/2023-06-06".
	Operation string
	// Queries is how many independent queries the listing is made of: one per time
	// window when a long interval was split, or per chunk of 1000 ids. Each is paged
	// to its end before the next starts. Zero means one.
	Queries int
	// PageSize is the Limitation.Count of the first page: 0 or less means
	// DefaultPageSize, more than MaxPageSize means MaxPageSize.
	PageSize int
	// Fetch gets one page.
	Fetch Fetch[T]
	// Shrink, when set, reports whether a failed Fetch means the page was too heavy
	// (Mews' 408): the same page is then asked again with half the Count, down to one
	// item, and the rest of the walk keeps the smaller Count.
	Shrink func(error) bool
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
// Count, down to one item, and the rest of the walk keeps the smaller Count.
//
// Nothing is sent until the Pager is ranged over. Every call to All, Pages or Collect
// starts from the beginning; a Pager may be ranged again, or from several goroutines
// at once.
type Pager[T any] struct {
	cfg Config[T]
	err error
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

// New returns a Pager over cfg.
func New[T any](cfg Config[T]) *Pager[T] {
	cfg.Queries = max(cfg.Queries, 1)
	switch {
	case cfg.PageSize <= 0:
		cfg.PageSize = DefaultPageSize
	case cfg.PageSize > MaxPageSize:
		cfg.PageSize = MaxPageSize
	}
	p := &Pager[T]{cfg: cfg}
	if cfg.Fetch == nil {
		p.err = &inputerr.InputError{Operation: cfg.Operation, Field: "Fetch", Reason: "is nil; a Pager needs a Fetch"}
	}
	return p
}

// Failed returns a Pager whose iteration yields only err. List functions use it to
// report invalid input lazily, when the caller ranges over the result, without sending
// anything.
func Failed[T any](err error) *Pager[T] { return &Pager[T]{err: err} }

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
// and stops. Use iter.Pull to step through pages by hand. Each range is an independent
// walk.
func (p *Pager[T]) Pages(ctx context.Context) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		if err := p.check(ctx); err != nil {
			yield(Page[T]{}, err)
			return
		}
		w := walk[T]{cfg: &p.cfg, count: p.cfg.PageSize}
		if p.cfg.Queries > 1 && p.cfg.Key != nil {
			w.seen = make(map[string]struct{})
		}
		for q := range p.cfg.Queries {
			if !w.query(ctx, q, yield) {
				return
			}
		}
	}
}

// check returns the error that stops a walk before anything is fetched: the Pager's
// own input error, a nil or zero Pager, or a nil ctx.
func (p *Pager[T]) check(ctx context.Context) error {
	switch {
	case p == nil:
		return &inputerr.InputError{Field: "pager", Reason: "is nil; list functions return a *Pager"}
	case p.err != nil:
		return p.err
	case p.cfg.Fetch == nil:
		return &inputerr.InputError{Operation: p.cfg.Operation, Field: "Fetch", Reason: "is nil; list functions return a ready *Pager"}
	case ctx == nil:
		return &inputerr.InputError{Operation: p.cfg.Operation, Field: "ctx", Reason: "is nil; pass context.Background() or a request's context"}
	}
	return nil
}

// walk is the state of one iteration over a Pager.
type walk[T any] struct {
	cfg   *Config[T]
	count int
	seen  map[string]struct{}
}

// query pages through query q and reports whether the walk should go on.
func (w *walk[T]) query(ctx context.Context, q int, yield func(Page[T], error) bool) bool {
	var cursor *string
	bound, seen := 0, 0
	if w.cfg.Bound != nil {
		bound = w.cfg.Bound(q)
	}
	for {
		items, next, err := w.cfg.Fetch(ctx, q, Limitation{Count: w.count, Cursor: cursor})
		if err != nil {
			if w.cfg.Shrink != nil && w.cfg.Shrink(err) && w.count > 1 && ctx.Err() == nil {
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
