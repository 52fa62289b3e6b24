package connection

import (
	"sync"
	"time"
)

// Event reports one status change of one watched connection.
//
// Events wait in a queue that holds at most one event per connection, so it is bounded
// by the number of watched connections and checks never wait for the consumer. When
// the consumer falls behind and a connection changes again before its event was
// delivered, the two are coalesced: Previous stays the status the consumer last saw,
// Status, Reason and Time are the newest; a change and its reversal (Connected, Broken,
// Connected) cancel out. Nothing final is ever dropped; Stats.CoalescedEvents counts
// the merges.
type Event struct {
	Key      string
	Previous Status
	Status   Status
	// Reason is why the connection has its new status (see State.Reason).
	Reason error
	// Time is when the new status was decided.
	Time time.Time
}

// pending is a queued event. A pending event stays in the map as long as its key is in
// the FIFO; live is false when coalescing cancelled it out.
type pending struct {
	ev   Event
	live bool
}

// eventQueue holds undelivered events, at most one per connection key, in the order the
// keys first changed. When an event arrives for a key that already has one pending, the
// two are coalesced: the pending event keeps the Previous status the consumer last saw
// and takes the new Status, Reason and Time; if that brings the key back to the status
// the consumer last saw, nothing is delivered for it. So the queue never grows beyond the
// number of connections, never drops a final status, and a slow consumer only sees fewer,
// larger steps. coalesced counts the events that were merged into a pending one
// instead of being queued on their own.
type eventQueue struct {
	mu        sync.Mutex
	byKey     map[string]*pending
	order     []string
	head      int
	coalesced uint64
	closed    bool
	ready     chan struct{} // capacity 1: "something may be pending"
	// clients holds undelivered client events, at most one per API: a fault and its
	// clearing cancel out like a connection's change and its reversal.
	clients []ClientEvent
}

func newEventQueue() *eventQueue {
	return &eventQueue{byKey: make(map[string]*pending), ready: make(chan struct{}, 1)}
}

// push adds ev without blocking.
func (q *eventQueue) push(ev Event) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	p, ok := q.byKey[ev.Key]
	switch {
	case !ok:
		q.byKey[ev.Key] = &pending{ev: ev, live: true}
		q.order = append(q.order, ev.Key)
	case p.live:
		q.coalesced++
		p.ev.Status, p.ev.Reason, p.ev.Time = ev.Status, ev.Reason, ev.Time
		p.live = p.ev.Previous != p.ev.Status
	default:
		q.coalesced++
		p.ev, p.live = ev, true
	}
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// pushClient adds a client event without blocking.
func (q *eventQueue) pushClient(ev ClientEvent) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	for i, p := range q.clients {
		if p.API == ev.API { // the pending event is the opposite one
			q.coalesced++
			q.clients = append(q.clients[:i], q.clients[i+1:]...)
			return
		}
	}
	q.clients = append(q.clients, ev)
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// popClient returns the oldest client event, if any.
func (q *eventQueue) popClient() (ClientEvent, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.clients) == 0 {
		return ClientEvent{}, false
	}
	ev := q.clients[0]
	q.clients = append(q.clients[:0], q.clients[1:]...)
	return ev, true
}

// pop returns the oldest live event, if any.
func (q *eventQueue) pop() (Event, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.head < len(q.order) {
		key := q.order[q.head]
		q.order[q.head] = ""
		q.head++
		p := q.byKey[key]
		delete(q.byKey, key)
		if p.live {
			q.compact()
			return p.ev, true
		}
	}
	q.compact()
	return Event{}, false
}

func (q *eventQueue) compact() {
	if q.head == len(q.order) {
		q.order, q.head = q.order[:0], 0
	} else if q.head > 1024 && q.head*2 > len(q.order) {
		n := copy(q.order, q.order[q.head:])
		q.order, q.head = q.order[:n], 0
	}
}

// close discards undelivered events; later pushes are ignored.
func (q *eventQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.byKey, q.order, q.head, q.clients = nil, nil, 0, nil
}

func (q *eventQueue) coalescedCount() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.coalesced
}

// deliver calls fn for every event and client for every client event (client events
// first), one at a time, until done is closed. Either function may be nil.
func (q *eventQueue) deliver(done <-chan struct{}, fn func(Event), client func(ClientEvent)) {
	for {
		select {
		case <-done:
			return
		case <-q.ready:
		}
		for {
			select {
			case <-done:
				return
			default:
			}
			if cev, ok := q.popClient(); ok {
				if client != nil {
					client(cev)
				}
				continue
			}
			ev, ok := q.pop()
			if !ok {
				break
			}
			if fn != nil {
				fn(ev)
			}
		}
	}
}
