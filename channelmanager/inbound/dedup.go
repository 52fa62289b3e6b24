package inbound

import "sync"

// dedupState is what the de-duplicator knows about a message id.
type dedupState int

const (
	dedupNew      dedupState = iota // never seen, or forgotten: process it
	dedupAccepted                   // accepted before: answer the remembered reply
	dedupBusy                       // being processed right now by another request
)

// dedup remembers the message ids of accepted pushes so that a redelivery is
// acknowledged without being applied again.
//
// Eviction rule: it remembers the most recent `capacity` accepted ids, in the order
// they were accepted; accepting one more forgets the oldest (first in, first out).
// Refused messages are not remembered, so Mews' redelivery of a refused message is
// processed again. Ids being processed are tracked separately; there are at most as
// many as concurrent requests.
type dedup struct {
	mu       sync.Mutex
	accepted map[string]Reply
	ring     []string // accepted ids in acceptance order; next is the oldest once full
	next     int
	busy     map[string]struct{}
}

// newDedup returns a de-duplicator remembering capacity ids (capacity > 0).
func newDedup(capacity int) *dedup {
	return &dedup{
		accepted: make(map[string]Reply, capacity),
		ring:     make([]string, 0, capacity),
		busy:     make(map[string]struct{}),
	}
}

// begin claims id for processing unless it was accepted or is being processed.
func (d *dedup) begin(id string) (dedupState, Reply) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.accepted[id]; ok {
		return dedupAccepted, r
	}
	if _, ok := d.busy[id]; ok {
		return dedupBusy, Done
	}
	d.busy[id] = struct{}{}
	return dedupNew, Done
}

// finish releases id after processing and remembers it if it was accepted.
func (d *dedup) finish(id string, accepted bool, r Reply) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, id)
	if !accepted {
		return
	}
	if len(d.ring) < cap(d.ring) {
		d.ring = append(d.ring, id)
	} else {
		delete(d.accepted, d.ring[d.next])
		d.ring[d.next] = id
		d.next = (d.next + 1) % len(d.ring)
	}
	d.accepted[id] = r
}
