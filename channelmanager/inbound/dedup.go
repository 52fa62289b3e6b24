package inbound

import (
	"context"
	"sync"
)

// DedupState is what a DedupStore knows about a message id.
type DedupState int

const (
	// DedupNew means the id was never accepted (or is forgotten) and is now claimed by
	// the caller: process the message, then call Finish.
	DedupNew DedupState = iota
	// DedupAccepted means the id was accepted before; the store returns the reply that
	// was given then.
	DedupAccepted
	// DedupBusy means another request is processing the id right now.
	DedupBusy
)

// DedupStore remembers the message ids of accepted pushes, so that Mews' redelivery of
// an accepted push is acknowledged without being applied again. WithDeduplication keeps
// them in this process; a store shared by several replicas (for example the one in
// github.com/mewskit/mews-go/redis) answers a redelivery the same way whichever replica
// it reaches. Set one with WithDedupStore.
//
// Ids are opaque strings made of the operation name and Mews' messageId.
type DedupStore interface {
	// Begin claims id for processing unless it was accepted or is being processed. An
	// error means the store cannot tell; the Handler then answers code 1, so Mews
	// redelivers later instead of the push being applied twice.
	Begin(ctx context.Context, id string) (DedupState, Reply, error)
	// Finish releases a claimed id. When accepted is true the store remembers reply
	// for redeliveries; otherwise the id may be processed again.
	Finish(ctx context.Context, id string, accepted bool, reply Reply) error
}

// dedup is the in-process DedupStore.
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

// Begin claims id for processing unless it was accepted or is being processed.
func (d *dedup) Begin(_ context.Context, id string) (DedupState, Reply, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if r, ok := d.accepted[id]; ok {
		return DedupAccepted, r, nil
	}
	if _, ok := d.busy[id]; ok {
		return DedupBusy, Done, nil
	}
	d.busy[id] = struct{}{}
	return DedupNew, Done, nil
}

// Finish releases id after processing and remembers it if it was accepted.
func (d *dedup) Finish(_ context.Context, id string, accepted bool, r Reply) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.busy, id)
	if !accepted {
		return nil
	}
	if len(d.ring) < cap(d.ring) {
		d.ring = append(d.ring, id)
	} else {
		delete(d.accepted, d.ring[d.next])
		d.ring[d.next] = id
		d.next = (d.next + 1) % len(d.ring)
	}
	d.accepted[id] = r
	return nil
}
