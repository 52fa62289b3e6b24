package listfilter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

func TestCheck_AcceptsListsWithinTheirLimits(t *testing.T) {
	err := listfilter.Check("op",
		listfilter.List{Field: "A", Items: []string{"a", "b"}, Max: 2},
		listfilter.List{Field: "B", Items: make([]string, 0)},
		listfilter.List{Field: "C", Items: strings.Fields(strings.Repeat("c ", 3000))},
	)
	if err != nil {
		t.Errorf("Check = %v, want nil", err)
	}
}

func TestCheck_NamesTheFirstBadListAndWhy(t *testing.T) {
	for name, tc := range map[string]struct {
		lists  []listfilter.List
		field  string
		reason string
	}{
		"too many": {
			[]listfilter.List{{Field: "A", Items: []string{"a"}, Max: 1}, {Field: "B", Items: []string{"a", "b", "c"}, Max: 2}},
			"B", "has 3 items; Mews accepts at most 2, so split the list",
		},
		"empty item": {
			[]listfilter.List{{Field: "A", Items: []string{"a", ""}}},
			"A", "contains an empty value",
		},
		"blank item": {
			[]listfilter.List{{Field: "A", Items: []string{" \t"}, Max: 5}},
			"A", "contains an empty value",
		},
		"first of two": {
			[]listfilter.List{{Field: "A", Items: []string{""}}, {Field: "B", Items: []string{"a", "b"}, Max: 1}},
			"A", "contains an empty value",
		},
	} {
		t.Run(name, func(t *testing.T) {
			err := listfilter.Check("things/getAll", tc.lists...)
			ie, ok := errors.AsType[*mews.InputError](err)
			if !ok || !errors.Is(err, mews.ErrInvalidInput) {
				t.Fatalf("Check = %v, want an *mews.InputError", err)
			}
			want := mews.InputError{Operation: "things/getAll", Field: tc.field, Reason: tc.reason}
			if d := cmp.Diff(want, *ie); d != "" {
				t.Errorf("error (-want +got):\n%s", d)
			}
		})
	}
}

func TestMultiply_MakesOneRequestPerCombination(t *testing.T) {
	type req struct {
		Window string
		IDs    []string
	}
	reqs := listfilter.Multiply([]req{{}}, []string{"w1", "w2"}, func(r *req, w string) { r.Window = w })
	reqs = listfilter.Multiply(reqs, [][]string{{"a", "b"}, {"c"}}, func(r *req, ids []string) { r.IDs = ids })
	want := []req{
		{"w1", []string{"a", "b"}}, {"w1", []string{"c"}},
		{"w2", []string{"a", "b"}}, {"w2", []string{"c"}},
	}
	if d := cmp.Diff(want, reqs); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}
}

func TestMultiply_WithoutVariantsGivesNoRequests(t *testing.T) {
	if got := listfilter.Multiply([]int{1, 2}, []string(nil), func(*int, string) {}); len(got) != 0 {
		t.Errorf("Multiply = %v, want none", got)
	}
}

func TestWindows_MakesOneRequestPerThreeMonthWindow(t *testing.T) {
	type req struct {
		ID     string
		Window *mews.TimeInterval
	}
	set := func(r *req, w *mews.TimeInterval) { r.Window = w }
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	iv := mews.Interval(start, start.AddDate(0, 5, 0))
	if len(iv.Split()) < 2 {
		t.Fatalf("the interval makes %d windows; the test needs several", len(iv.Split()))
	}
	got, err := listfilter.Windows("op", "UpdatedUtc", []req{{ID: "a"}, {ID: "b"}}, &iv, set)
	if err != nil {
		t.Fatal(err)
	}
	var want []req
	for _, id := range []string{"a", "b"} {
		for _, w := range iv.Split() {
			want = append(want, req{ID: id, Window: &w})
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("requests (-want +got):\n%s", d)
	}

	none, err := listfilter.Windows("op", "UpdatedUtc", []req{{ID: "a"}}, nil, set)
	if err != nil || cmp.Diff([]req{{ID: "a"}}, none) != "" {
		t.Errorf("without an interval: %v, %v; want the requests unchanged", none, err)
	}
}

func TestWindows_RefusesAnInvalidIntervalNamingItsField(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	backwards := mews.Interval(start, start.Add(-time.Hour))
	_, err := listfilter.Windows("op", "CreatedUtc", []int{1}, &backwards, func(*int, *mews.TimeInterval) {})
	var ie *mews.InputError
	if !errors.As(err, &ie) || ie.Field != "CreatedUtc" || ie.Operation != "op" {
		t.Errorf("err = %v, want an InputError for op's CreatedUtc", err)
	}
}
