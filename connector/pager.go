package connector

import (
	"encoding/json"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
	"github.com/mewskit/mews-go/internal/months"
	"github.com/mewskit/mews-go/internal/paging"
)

// Limitation is the optional paging object of the few operations that are not
// listings (commands/getAllByIds, fiscalMachineCommands/getAll): Count is the most items
// to return, Cursor where to resume. Listings do not expose it: their params have
// PageSize and Cursor, and the pager (listfilter.Pager) fills Limitation for every page.
type Limitation = paging.Limitation

// This file holds what the generated listings need besides listfilter.Pager: splitting
// the time filters Mews limits to some months into windows.

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

// splitMonths cuts iv, in UTC, into consecutive half-open windows of at most n
// calendar months, counted the way Mews counts them (months.Windows).
func splitMonths(iv mews.TimeInterval, n int) []mews.TimeInterval {
	ws := months.Windows(iv.StartUtc.UTC(), iv.EndUtc.UTC(), n)
	out := make([]mews.TimeInterval, len(ws))
	for i, w := range ws {
		out[i] = mews.TimeInterval{StartUtc: w[0], EndUtc: w[1]}
	}
	return out
}

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
