package inbound

import (
	"context"
	"testing"
)

func begin(d *dedup, id string) (DedupState, Reply) {
	st, r, _ := d.Begin(context.Background(), id)
	return st, r
}

func finish(d *dedup, id string, accepted bool, r Reply) {
	_ = d.Finish(context.Background(), id, accepted, r)
}

func TestDedup_ForgetsTheOldestAcceptedIDFirst(t *testing.T) {
	d := newDedup(2)
	for _, id := range []string{"a", "b", "c"} {
		if st, _ := begin(d, id); st != DedupNew {
			t.Fatalf("begin(%s) = %v, want new", id, st)
		}
		finish(d, id, true, Async)
	}
	for id, want := range map[string]DedupState{"a": DedupNew, "b": DedupAccepted, "c": DedupAccepted} {
		st, reply := begin(d, id)
		if st != want {
			t.Errorf("after accepting a, b, c with capacity 2: begin(%s) = %v, want %v", id, st, want)
		}
		if st == DedupAccepted && reply != Async {
			t.Errorf("begin(%s) replays %v, want the remembered async", id, reply)
		}
	}
	if len(d.accepted) != 2 || len(d.ring) != 2 {
		t.Errorf("remembers %d ids in a ring of %d, want 2 and 2", len(d.accepted), len(d.ring))
	}
}

func TestDedup_RefusedIDsAreNotRemembered(t *testing.T) {
	d := newDedup(4)
	begin(d, "a")
	finish(d, "a", false, Done)
	if st, _ := begin(d, "a"); st != DedupNew {
		t.Errorf("begin after a refusal = %v, want new", st)
	}
}

func TestDedup_AnIDInProcessingIsBusy(t *testing.T) {
	d := newDedup(4)
	begin(d, "a")
	if st, _ := begin(d, "a"); st != DedupBusy {
		t.Errorf("second begin while processing = %v, want busy", st)
	}
	finish(d, "a", true, Done)
	if st, _ := begin(d, "a"); st != DedupAccepted {
		t.Errorf("begin after acceptance = %v, want accepted", st)
	}
}
