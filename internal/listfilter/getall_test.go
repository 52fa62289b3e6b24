package listfilter_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
)

// recordingCaller answers every call with one page of two items and keeps the bodies
// and operations it was given.
type recordingCaller struct {
	bodies []map[string]any
	ops    []mews.Operation
	err    error
}

func (c *recordingCaller) CallConnector(_ context.Context, op mews.Operation, in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return err
	}
	c.bodies, c.ops = append(c.bodies, body), append(c.ops, op)
	if c.err != nil {
		return c.err
	}
	return json.Unmarshal([]byte(`{"Things":[" a "," b "],"Cursor":null}`), out)
}

type things struct {
	Things []string
	Cursor *string
}

type query struct {
	IDs      []string `json:"Ids,omitempty"`
	PageSize int      `json:"-"`
}

func thingsPager(h mews.ConnectorCaller, queries []query) *mews.Pager[string] {
	return listfilter.Pager(h, listfilter.GetAll[query, things, string]{
		Operation: mews.Operation{Name: "things/getAll", Safety: mews.Read},
		Queries:   queries,
		PageSize:  7,
		Read:      func(p *things) ([]string, *string) { return p.Things, p.Cursor },
		Normalize: func(s *string) { *s = (*s)[1:2] },
	})
}

func TestPagerSendsEachQueryWithThePagesLimitationAndShrinkOnTimeout(t *testing.T) {
	h := &recordingCaller{}
	got, err := thingsPager(h, []query{{IDs: []string{"x"}}, {}}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"a", "b", "a", "b"}, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	want := []map[string]any{
		{"Ids": []any{"x"}, "Limitation": map[string]any{"Count": 7.0}},
		{"Limitation": map[string]any{"Count": 7.0}},
	}
	if d := cmp.Diff(want, h.bodies); d != "" {
		t.Errorf("request bodies (-want +got):\n%s", d)
	}
	for _, op := range h.ops {
		if !op.ShrinkOnTimeout || op.Safety != mews.Read {
			t.Errorf("operation %+v, want a read that returns a 408 at once", op)
		}
	}
}

func TestPagerHalvesThePageAfterATimeout(t *testing.T) {
	h := &recordingCaller{err: &mews.APIError{API: mews.ConnectorAPI, StatusCode: 408}}
	_, err := thingsPager(h, []query{{}}).Collect(context.Background())
	if !errors.Is(err, mews.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout once even one item times out", err)
	}
	var counts []float64
	for _, b := range h.bodies {
		counts = append(counts, b["Limitation"].(map[string]any)["Count"].(float64))
	}
	if d := cmp.Diff([]float64{7, 3, 1}, counts); d != "" {
		t.Errorf("counts asked (-want +got):\n%s", d)
	}
}

func TestPagerWithANilHandleYieldsAnInputError(t *testing.T) {
	if _, err := thingsPager(nil, []query{{}}).Collect(context.Background()); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

func TestPagerRefusesAQueryThatIsNotAnObject(t *testing.T) {
	h := &recordingCaller{}
	p := listfilter.Pager(h, listfilter.GetAll[[]string, things, string]{
		Operation: mews.Operation{Name: "things/getAll", Safety: mews.Read},
		Queries:   [][]string{{"x"}},
		Read:      func(p *things) ([]string, *string) { return p.Things, p.Cursor },
	})
	if _, err := p.Collect(context.Background()); err == nil || len(h.ops) != 0 {
		t.Errorf("err = %v after %d calls, want an encoding error before any call", err, len(h.ops))
	}
}
