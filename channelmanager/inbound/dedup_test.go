package inbound

import "testing"

func TestDedup_ForgetsTheOldestAcceptedIDFirst(t *testing.T) {
	d := newDedup(2)
	for _, id := range []string{"a", "b", "c"} {
		if st, _ := d.begin(id); st != dedupNew {
			t.Fatalf("begin(%s) = %v, want new", id, st)
		}
		d.finish(id, true, Async)
	}
	for id, want := range map[string]dedupState{"a": dedupNew, "b": dedupAccepted, "c": dedupAccepted} {
		st, reply := d.begin(id)
		if st != want {
			t.Errorf("after accepting a, b, c with capacity 2: begin(%s) = %v, want %v", id, st, want)
		}
		if st == dedupAccepted && reply != Async {
			t.Errorf("begin(%s) replays %v, want the remembered async", id, reply)
		}
	}
	if len(d.accepted) != 2 || len(d.ring) != 2 {
		t.Errorf("remembers %d ids in a ring of %d, want 2 and 2", len(d.accepted), len(d.ring))
	}
}

func TestDedup_RefusedIDsAreNotRemembered(t *testing.T) {
	d := newDedup(4)
	d.begin("a")
	d.finish("a", false, Done)
	if st, _ := d.begin("a"); st != dedupNew {
		t.Errorf("begin after a refusal = %v, want new", st)
	}
}

func TestDedup_AnIDInProcessingIsBusy(t *testing.T) {
	d := newDedup(4)
	d.begin("a")
	if st, _ := d.begin("a"); st != dedupBusy {
		t.Errorf("second begin while processing = %v, want busy", st)
	}
	d.finish("a", true, Done)
	if st, _ := d.begin("a"); st != dedupAccepted {
		t.Errorf("begin after acceptance = %v, want accepted", st)
	}
}
