package connector

import (
	"context"
	"encoding/json"

	"errors"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
	"github.com/mewskit/mews-go/internal/months"
	"github.com/mewskit/mews-go/internal/paging"
)

// Limitation is the paging object of a getAll request: Count is the page size (1–1000;
// 0 takes mews.DefaultPageSize), and Cursor, when set, resumes a listing where an
// earlier response's Cursor left it. The pager fills it for every page after the first.
type Limitation = paging.Limitation

// This file is the one place where generated operations build pagers and split time
// filters, so that moving the pager to internal/paging changes only this file.

// window is one time-interval filter of a params type P that Mews limits to months.
type window[P any] struct {
	field  string
	months int
	get    func(*P) *mews.TimeInterval // nil when the filter is unset
	set    func(*P, mews.TimeInterval)
}

// windows expands params into the queries that cover them: one per combination of the
// windows of each limited interval.
func windows[P any](op string, qs []P, ws ...window[P]) ([]P, error) {
	for _, w := range ws {
		iv := w.get(&qs[0]) // every query holds the same value of a filter not yet split
		if iv == nil {
			continue
		}
		if w.months == mews.MaxIntervalMonths {
			var err error
			if qs, err = listfilter.Windows(op, w.field, qs, iv, func(q *P, part *mews.TimeInterval) { w.set(q, *part) }); err != nil {
				return nil, err
			}
			continue
		}
		if err := iv.Validate(op, w.field); err != nil {
			return nil, err
		}
		qs = listfilter.Multiply(qs, splitMonths(*iv, w.months), w.set)
	}
	return qs, nil
}

// splitMonths cuts iv into consecutive half-open windows of at most months calendar
// months, counted the way Mews counts them (months.Add). An instant is one window.
func splitMonths(iv mews.TimeInterval, n int) []mews.TimeInterval {
	start, end := iv.StartUtc.UTC(), iv.EndUtc.UTC()
	if !start.Before(end) || !end.After(months.Add(start, n)) {
		return []mews.TimeInterval{{StartUtc: start, EndUtc: end}}
	}
	var out []mews.TimeInterval
	for start.Before(end) {
		next := months.Add(start, n)
		if next.After(end) {
			next = end
		}
		out = append(out, mews.TimeInterval{StartUtc: start, EndUtc: next})
		start = next
	}
	return out
}

// pager pages the queries qs of op through h. first is the caller's Limitation: its
// Count, when set, is the page size, and its Cursor resumes the first query. items
// takes a page's items and Cursor out of a response; key, when not nil, identifies an
// item so that one found by several windows is yielded once.
func pager[P, R, T any](h Caller, op mews.Operation, qs []P, first Limitation,
	setLimitation func(*P, Limitation), items func(*R) ([]T, *string), key func(T) string) *mews.Pager[T] {
	if h == nil {
		return failed[T](&mews.InputError{Operation: op.Name, Field: "h", Reason: "is nil; pass a *mews.Connector from Client.Connector"})
	}
	op.ShrinkOnTimeout = true // the pager answers a 408 with a smaller page itself
	return paging.New(paging.Config[T]{
		Operation: op.Name,
		Queries:   len(qs),
		PageSize:  first.Count,
		Shrink:    func(err error) bool { return errors.Is(err, mews.ErrTimeout) },
		Fetch: func(ctx context.Context, i int, lim Limitation) ([]T, *string, error) {
			q := qs[i]
			if i == 0 && lim.Cursor == nil && first.Cursor != nil {
				lim.Cursor = first.Cursor
			}
			setLimitation(&q, lim)
			var r R
			if err := call(ctx, h, op, &q, &r); err != nil {
				return nil, nil, err
			}
			got, cursor := items(&r)
			return got, cursor, nil
		},
		Key: key,
	})
}

// failed is a pager that yields only err, for params refused before sending.
func failed[T any](err error) *mews.Pager[T] { return paging.Failed[T](err) }

// cursorOf turns a Cursor a schema declares as a plain string into the pager's form.
func cursorOf(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// decodeVariant decodes a coproduct's Value; an absent Value is the variant's zero.
func decodeVariant(raw json.RawMessage, v any) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	return json.Unmarshal(raw, v)
}
