package paging_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/paging"
)

// fakeListing serves items in pages the way Mews does: the response cursor is the id
// of the last item returned (null for an empty page), and the next request resumes
// after it.
type fakeListing struct {
	queries  [][]string
	calls    []paging.Limitation
	timeouts map[int]bool // Count values that get a 408
}

func (f *fakeListing) fetch(_ context.Context, q int, lim paging.Limitation) ([]string, *string, error) {
	f.calls = append(f.calls, paging.Limitation{Count: lim.Count, Cursor: lim.Cursor})
	if f.timeouts[lim.Count] {
		return nil, nil, &mews.APIError{API: mews.ConnectorAPI, StatusCode: 408}
	}
	items := f.queries[q]
	start := 0
	if lim.Cursor != nil {
		start = slices.Index(items, *lim.Cursor) + 1
		if start == 0 {
			return nil, nil, fmt.Errorf("unknown cursor %q", *lim.Cursor)
		}
	}
	end := min(start+lim.Count, len(items))
	page := slices.Clone(items[start:end])
	if len(page) == 0 {
		return page, nil, nil
	}
	return page, &page[len(page)-1], nil
}

// newPager builds a Pager that asks for size items per page and shrinks a page that
// timed out, as the getAll pagers do.
func newPager(cfg paging.Config[string], size int) *paging.Pager[string] {
	cfg.PageSize = size
	cfg.Shrink = func(err error) bool { return errors.Is(err, mews.ErrTimeout) }
	return paging.New(cfg)
}

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = prefix + strconv.Itoa(i)
	}
	return out
}

func collect(t *testing.T, seq iter.Seq2[string, error]) []string {
	t.Helper()
	var got []string
	for item, err := range seq {
		if err != nil {
			t.Fatalf("unexpected error after %d items: %v", len(got), err)
		}
		got = append(got, item)
	}
	return got
}

func TestPagerYieldsEveryItemOnceAcrossPages(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 25, 30} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			f := &fakeListing{queries: [][]string{numbered("r", n)}}
			p := newPager(paging.Config[string]{Fetch: f.fetch}, 10)
			if diff := cmp.Diff(f.queries[0], collect(t, p.All(context.Background())), cmp.Comparer(func(a, b []string) bool {
				return slices.Equal(a, b) || len(a)+len(b) == 0
			})); diff != "" {
				t.Errorf("items (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPagerSendsTheTopLevelCursorOfThePreviousResponse(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 25)}}
	collect(t, newPager(paging.Config[string]{Fetch: f.fetch}, 10).All(context.Background()))
	want := []paging.Limitation{{Count: 10}, {Count: 10, Cursor: cursorOf("r9")}, {Count: 10, Cursor: cursorOf("r19")}}
	if diff := cmp.Diff(want, f.calls); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestPagerStopsOnANullCursorEvenAfterAFullPage(t *testing.T) {
	calls := 0
	p := newPager(paging.Config[string]{Fetch: func(context.Context, int, paging.Limitation) ([]string, *string, error) {
		calls++
		return []string{"a", "b"}, nil, nil
	}}, 2)
	if got := collect(t, p.All(context.Background())); len(got) != 2 || calls != 1 {
		t.Errorf("got %v in %d calls, want 2 items in 1 call", got, calls)
	}
}

func TestPagerStopsAfterAFullPageFollowedByAnEmptyOne(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 20)}}
	collect(t, newPager(paging.Config[string]{Fetch: f.fetch}, 10).All(context.Background()))
	if len(f.calls) != 3 {
		t.Errorf("%d requests, want 3 (two full pages, then an empty one)", len(f.calls))
	}
}

func TestPagerPageSizeIsClampedToMewsLimits(t *testing.T) {
	for _, tc := range []struct{ asked, sent int }{{0, paging.DefaultPageSize}, {-5, paging.DefaultPageSize}, {1, 1}, {1000, 1000}, {5000, 1000}} {
		f := &fakeListing{queries: [][]string{nil}}
		collect(t, newPager(paging.Config[string]{Fetch: f.fetch}, tc.asked).All(context.Background()))
		if f.calls[0].Count != tc.sent {
			t.Errorf("PageSize %d sent Count %d, want %d", tc.asked, f.calls[0].Count, tc.sent)
		}
	}
}

func TestPagerRetriesATimedOutPageWithASmallerCount(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 12)}, timeouts: map[int]bool{8: true, 4: true}}
	got := collect(t, newPager(paging.Config[string]{Fetch: f.fetch}, 8).All(context.Background()))
	if !slices.Equal(got, f.queries[0]) {
		t.Errorf("items = %v", got)
	}
	want := []paging.Limitation{
		{Count: 8}, {Count: 4}, {Count: 2}, // shrink until Mews copes
		{Count: 2, Cursor: cursorOf("r1")}, {Count: 2, Cursor: cursorOf("r3")}, {Count: 2, Cursor: cursorOf("r5")},
		{Count: 2, Cursor: cursorOf("r7")}, {Count: 2, Cursor: cursorOf("r9")}, {Count: 2, Cursor: cursorOf("r11")},
	}
	if diff := cmp.Diff(want, f.calls); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestPagerGivesUpWhenEvenOneItemTimesOut(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 3)}, timeouts: map[int]bool{4: true, 2: true, 1: true}}
	var errs []error
	for _, err := range newPager(paging.Config[string]{Fetch: f.fetch}, 4).All(context.Background()) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], mews.ErrTimeout) {
		t.Errorf("errors = %v, want one ErrTimeout", errs)
	}
	if len(f.calls) != 3 {
		t.Errorf("%d requests, want 3 (Count 4, 2, 1)", len(f.calls))
	}
}

func TestPagerYieldsAnItemThatMatchesSeveralQueriesOnce(t *testing.T) {
	f := &fakeListing{queries: [][]string{{"a", "b", "long"}, {"long", "c"}, {"long", "d", "c"}}}
	p := newPager(paging.Config[string]{Fetch: f.fetch, Queries: 3, Key: func(s string) string { return s }}, 2)
	if got, want := collect(t, p.All(context.Background())), []string{"a", "b", "long", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("items = %v, want %v", got, want)
	}
}

func TestPagerForgetsItemsThatCannotComeBack(t *testing.T) {
	// Carry says only "long" spans windows; an item that Carry rejects is not
	// remembered, so were it to come back it would be yielded again.
	f := &fakeListing{queries: [][]string{{"a", "long"}, {"long", "a"}}}
	p := newPager(paging.Config[string]{
		Fetch: f.fetch, Queries: 2, Key: func(s string) string { return s },
		Carry: func(s string, _ int) bool { return s == "long" },
	}, 0)
	if got, want := collect(t, p.All(context.Background())), []string{"a", "long", "a"}; !slices.Equal(got, want) {
		t.Errorf("items = %v, want %v", got, want)
	}
}

func TestPagerStopsFetchingWhenTheLoopBreaks(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 100)}}
	for item := range newPager(paging.Config[string]{Fetch: f.fetch}, 10).All(context.Background()) {
		if item == "r12" {
			break
		}
	}
	if len(f.calls) != 2 {
		t.Errorf("%d requests, want 2", len(f.calls))
	}
}

func TestPagerStartsOverOnEveryIteration(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("r", 5)}}
	p := newPager(paging.Config[string]{Fetch: f.fetch}, 0)
	first, _ := p.Collect(context.Background())
	second, _ := p.Collect(context.Background())
	if !slices.Equal(first, second) || len(first) != 5 {
		t.Errorf("first %v, second %v", first, second)
	}
}

func TestPagerRefusesACursorThatDoesNotAdvance(t *testing.T) {
	calls := 0
	p := newPager(paging.Config[string]{Operation: "things/getAll", Fetch: func(context.Context, int, paging.Limitation) ([]string, *string, error) {
		calls++
		return []string{"x"}, cursorOf("x"), nil
	}}, 1)
	_, err := p.Collect(context.Background())
	if err == nil || calls != 2 {
		t.Errorf("err = %v after %d calls, want an error after 2", err, calls)
	}
}

func TestPagerPagesReportTheirQueryAndCursor(t *testing.T) {
	f := &fakeListing{queries: [][]string{{"a", "b", "c"}, {"d"}}}
	var got []paging.Page[string]
	for page, err := range newPager(paging.Config[string]{Fetch: f.fetch, Queries: 2}, 2).Pages(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page)
	}
	want := []paging.Page[string]{
		{Items: []string{"a", "b"}, Cursor: "b", Query: 0, Count: 2},
		{Items: []string{"c"}, Cursor: "c", Query: 0, Count: 2},
		{Items: []string{"d"}, Cursor: "d", Query: 1, Count: 2},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
}

func TestFailedYieldsItsErrorOnce(t *testing.T) {
	bad := &mews.InputError{Field: "States", Reason: "is wrong"}
	var errs []error
	for _, err := range paging.Failed[string](bad).All(context.Background()) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], mews.ErrInvalidInput) {
		t.Errorf("errors = %v", errs)
	}
	if paging.Failed[string](bad).Err() != bad {
		t.Error("Err does not return the input error")
	}
}

func cursorOf(s string) *string { return &s }

func TestPagerStopsAQueryThatReachedItsBound(t *testing.T) {
	f := &fakeListing{queries: [][]string{numbered("a", 4), numbered("b", 3)}}
	p := newPager(paging.Config[string]{Fetch: f.fetch, Queries: 2, Bound: func(q int) int { return []int{4, 0}[q] }}, 2)
	if got := collect(t, p.All(context.Background())); len(got) != 7 {
		t.Errorf("got %v", got)
	}
	if len(f.calls) != 4 {
		t.Errorf("%d requests, want 4: two pages of the bounded query, two of the other", len(f.calls))
	}
}

// TestPagerMayBeRangedConcurrentlyAndAgain ranges one Pages iterator from several
// goroutines at once and then again; under -race this fails when ranging writes to
// state the iterator shares (its captured ctx used to be reassigned on every range).
func TestPagerMayBeRangedConcurrentlyAndAgain(t *testing.T) {
	want := numbered("r", 25)
	fetch := func(_ context.Context, _ int, lim paging.Limitation) ([]string, *string, error) {
		start := 0
		if lim.Cursor != nil {
			start = slices.Index(want, *lim.Cursor) + 1
		}
		page := want[start:min(start+lim.Count, len(want))]
		if len(page) == 0 {
			return nil, nil, nil
		}
		return page, &page[len(page)-1], nil
	}
	pages := newPager(paging.Config[string]{Fetch: fetch}, 10).Pages(context.Background())
	rangeOnce := func() []string {
		var got []string
		for page, err := range pages {
			if err != nil {
				t.Error(err)
				return got
			}
			got = append(got, page.Items...)
		}
		return got
	}
	results := make(chan []string, 4)
	for range 4 {
		go func() { results <- rangeOnce() }()
	}
	for range 4 {
		if got := <-results; !slices.Equal(got, want) {
			t.Errorf("a concurrent range got %v, want %v", got, want)
		}
	}
	if got := rangeOnce(); !slices.Equal(got, want) {
		t.Errorf("ranging again got %v, want %v", got, want)
	}
}

func TestPagerRefusesANilContextWithAnInputError(t *testing.T) {
	p := newPager(paging.Config[string]{Operation: "things/getAll", Fetch: func(context.Context, int, paging.Limitation) ([]string, *string, error) {
		t.Error("Fetch was called with a nil context")
		return nil, nil, nil
	}}, 0)
	//lint:ignore SA1012 a nil context is the input under test
	_, err := p.Collect(nil) //nolint:staticcheck
	var ie *mews.InputError
	if !errors.As(err, &ie) || ie.Field != "ctx" {
		t.Errorf("Collect(nil) = %v, want an *InputError for ctx", err)
	}
	//lint:ignore SA1012 a nil context is the input under test
	for _, err := range p.Pages(nil) {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("Pages(nil) yielded %v, want ErrInvalidInput", err)
		}
	}
}

func TestTheZeroPagerYieldsAnInputErrorInsteadOfPanicking(t *testing.T) {
	var p paging.Pager[string]
	if _, err := p.Collect(context.Background()); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("Collect on the zero Pager = %v, want ErrInvalidInput", err)
	}
}
