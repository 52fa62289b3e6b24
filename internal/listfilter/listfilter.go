package listfilter

import (
	"fmt"
	"slices"
	"strings"

	mews "github.com/mewskit/mews-go"
)

// List is one list of a filter, named as in Mews' API so that an error points at the
// field the caller can fix.
type List struct {
	Field string
	Items []string
	// Max is the most items Mews accepts in the list; 0 means no limit, for lists the
	// SDK sends in chunks itself.
	Max int
}

// Check returns an *mews.InputError for op about the first list, in the order given,
// that has more items than its Max or an empty (or all-blank) item, which Mews would
// refuse or misread; nil when all are fine.
func Check(op string, lists ...List) error {
	for _, l := range lists {
		if l.Max > 0 && len(l.Items) > l.Max {
			return &mews.InputError{Operation: op, Field: l.Field, Reason: fmt.Sprintf("has %d items; Mews accepts at most %d, so split the list", len(l.Items), l.Max)}
		}
		if slices.ContainsFunc(l.Items, func(s string) bool { return strings.TrimSpace(s) == "" }) {
			return &mews.InputError{Operation: op, Field: l.Field, Reason: "contains an empty value"}
		}
	}
	return nil
}

// Multiply returns one copy of every request per variant, set applying the variant to
// the copy: the requests that together cover all combinations, the first request's
// variants first. No variants give no requests.
func Multiply[R, V any](reqs []R, variants []V, set func(*R, V)) []R {
	out := make([]R, 0, len(reqs)*len(variants))
	for _, r := range reqs {
		for _, v := range variants {
			cp := r
			set(&cp, v)
			out = append(out, cp)
		}
	}
	return out
}

// Windows multiplies reqs by the windows Mews accepts for the optional interval iv of a
// filter (field names it in errors), set putting one window into a copy: the
// three-month split every list needs. A nil iv leaves reqs as they are; an invalid one
// is an *mews.InputError for op.
func Windows[R any](op, field string, reqs []R, iv *mews.TimeInterval, set func(*R, *mews.TimeInterval)) ([]R, error) {
	if iv == nil {
		return reqs, nil
	}
	if err := iv.Validate(op, field); err != nil {
		return nil, err
	}
	return Multiply(reqs, iv.Split(), func(r *R, w mews.TimeInterval) { set(r, &w) }), nil
}

// Chunks multiplies reqs by the chunks of at most size of the sorted, de-duplicated
// ids, set putting one chunk into a copy. No ids leave reqs as they are.
func Chunks[R any](reqs []R, ids []string, size int, set func(*R, []string)) []R {
	if len(ids) == 0 {
		return reqs
	}
	unique := slices.Compact(slices.Sorted(slices.Values(ids)))
	return Multiply(reqs, slices.Collect(slices.Chunk(unique, size)), set)
}
