package connection

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
)

func TestTimeHeapKeepsTheEarliestOnTopThroughRandomChanges(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var h timeHeap
	var in []*entry
	for step := range 5000 {
		switch op := rng.IntN(4); {
		case op <= 1 || len(in) == 0:
			e := &entry{next: base.Add(time.Duration(rng.IntN(1000)) * time.Second)}
			h.push(e)
			in = append(in, e)
		case op == 2:
			i := rng.IntN(len(in))
			h.remove(in[i])
			if in[i].hidx != -1 {
				t.Fatalf("step %d: removed entry keeps index %d", step, in[i].hidx)
			}
			in = slices.Delete(in, i, i+1)
		default:
			e := in[rng.IntN(len(in))]
			e.next = base.Add(time.Duration(rng.IntN(1000)) * time.Second)
			h.fix(e)
		}
		for i, e := range h {
			if e.hidx != i {
				t.Fatalf("step %d: entry at %d thinks it is at %d", step, i, e.hidx)
			}
			if i > 0 && h.less(i, (i-1)/2) {
				t.Fatalf("step %d: heap order broken at %d", step, i)
			}
		}
		if len(h) != len(in) {
			t.Fatalf("step %d: heap has %d entries, want %d", step, len(h), len(in))
		}
	}
}

func TestEventQueueCoalescesPerKeyAndKeepsTheConsumerConsistent(t *testing.T) {
	ev := func(key string, prev, next Status) Event { return Event{Key: key, Previous: prev, Status: next} }
	tests := []struct {
		name      string
		push      []Event
		want      []Event
		coalesced uint64
	}{
		{"distinct keys keep their order",
			[]Event{ev("a", Unknown, Connected), ev("b", Unknown, Broken)},
			[]Event{ev("a", Unknown, Connected), ev("b", Unknown, Broken)}, 0},
		{"two steps of one key become one",
			[]Event{ev("a", Connected, Degraded), ev("b", Unknown, Connected), ev("a", Degraded, Broken)},
			[]Event{ev("a", Connected, Broken), ev("b", Unknown, Connected)}, 1},
		{"a round trip cancels out",
			[]Event{ev("a", Connected, Broken), ev("a", Broken, Connected), ev("b", Unknown, Connected)},
			[]Event{ev("b", Unknown, Connected)}, 1},
		{"a change after a cancelled one keeps the key's place",
			[]Event{ev("a", Connected, Broken), ev("b", Unknown, Connected), ev("a", Broken, Connected), ev("a", Connected, Degraded)},
			[]Event{ev("a", Connected, Degraded), ev("b", Unknown, Connected)}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := newEventQueue()
			for _, e := range tt.push {
				q.push(e)
			}
			var got []Event
			for e, ok := q.pop(); ok; e, ok = q.pop() {
				got = append(got, e)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("delivered (-want +got):\n%s", diff)
			}
			if q.coalescedCount() != tt.coalesced {
				t.Errorf("coalesced %d, want %d", q.coalescedCount(), tt.coalesced)
			}
			if len(q.byKey) != 0 {
				t.Errorf("%d keys left pending after draining", len(q.byKey))
			}
		})
	}
}

func TestEventQueueHoldsAtMostOneEventPerKey(t *testing.T) {
	q := newEventQueue()
	statuses := []Status{Connected, Degraded, Broken}
	prev := Unknown
	for i := range 10000 {
		next := statuses[i%len(statuses)]
		for _, key := range []string{"a", "b", "c"} {
			q.push(Event{Key: key, Previous: prev, Status: next})
		}
		prev = next
	}
	if len(q.order)-q.head != 3 || len(q.byKey) != 3 {
		t.Errorf("queue holds %d entries for 3 keys after 30000 events", len(q.order)-q.head)
	}
}

func TestNextCheckNeverExceedsTheInterval(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, r := range []time.Duration{0, time.Second, 9*time.Second + 999*time.Millisecond} {
		got := nextCheck(now, time.Minute, 10*time.Second, func(time.Duration) time.Duration { return r })
		if got.After(now.Add(time.Minute)) || got.Before(now.Add(50*time.Second)) {
			t.Errorf("random part %v: next check %v after now, want within (50s, 60s]", r, got.Sub(now))
		}
	}
}

func TestEventQueueCancelsAClientFaultThatClearedBeforeDelivery(t *testing.T) {
	q := newEventQueue()
	q.pushClient(ClientEvent{API: mews.ConnectorAPI, Misconfigured: true})
	q.pushClient(ClientEvent{API: mews.ChannelManagerAPI, Misconfigured: true})
	q.pushClient(ClientEvent{API: mews.ConnectorAPI})
	var got []ClientEvent
	for ev, ok := q.popClient(); ok; ev, ok = q.popClient() {
		got = append(got, ev)
	}
	if diff := cmp.Diff([]ClientEvent{{API: mews.ChannelManagerAPI, Misconfigured: true}}, got); diff != "" {
		t.Errorf("delivered (-want +got):\n%s", diff)
	}
	if q.coalescedCount() != 1 {
		t.Errorf("coalesced = %d, want 1", q.coalescedCount())
	}
}
