package events

import (
	"context"
	"sync"
)

// item is what waits for the consumer: an event, or a resync to run before the
// events after it.
type item struct {
	ev     Event
	resync *Resync
}

// queue is the bounded buffer between the socket's reader and the consumer. Pushing
// never blocks, so the reader always keeps reading (and answering pings): when more
// than limit events wait, they are replaced by one resync with Cause ErrBufferFull.
type queue struct {
	mu     sync.Mutex
	items  []item
	head   int
	events int   // events among items[head:]
	limit  int   // most events that may wait
	conns  int   // Connects of the latest resync, for the one an overflow makes
	err    error // terminal error, delivered after the items
	idle   bool  // the consumer waits on ready
	ready  chan struct{}
}

func newQueue(limit int) *queue {
	return &queue{limit: limit, ready: make(chan struct{}, 1)}
}

// signal wakes the consumer if it waits. Caller holds q.mu.
func (q *queue) signal() {
	if !q.idle {
		return
	}
	q.idle = false
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// push appends events. When they would not fit, everything waiting and evs are
// dropped for one resync, and push returns how many events were dropped.
func (q *queue) push(evs []Event) (dropped int) {
	if len(evs) == 0 {
		return 0
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.signal()
	if q.events+len(evs) > q.limit {
		dropped = q.events + len(evs)
		q.reset()
		q.items = append(q.items, item{resync: &Resync{Connects: q.conns, Cause: ErrBufferFull}})
		return dropped
	}
	for _, ev := range evs {
		q.items = append(q.items, item{ev: ev})
	}
	q.events += len(evs)
	return 0
}

// resync appends a resync.
func (q *queue) resync(r Resync) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if r.Connects == 0 {
		r.Connects = q.conns
	}
	q.conns = r.Connects
	q.items = append(q.items, item{resync: &r})
	q.signal()
}

// fail ends the queue with err once the waiting items are taken.
func (q *queue) fail(err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.err = err
	q.signal()
}

// reset empties the queue, keeping its storage. Caller holds q.mu.
func (q *queue) reset() {
	clear(q.items)
	q.items, q.head, q.events = q.items[:0], 0, 0
}

// next waits for the next item, the terminal error, or the end of ctx.
func (q *queue) next(ctx context.Context) (item, error) {
	for {
		if err := ctx.Err(); err != nil {
			return item{}, err
		}
		q.mu.Lock()
		if q.head < len(q.items) {
			it := q.items[q.head]
			q.items[q.head] = item{}
			q.head++
			if it.resync == nil {
				q.events--
			}
			switch {
			case q.head == len(q.items):
				q.reset()
			case q.head >= 64 && q.head*2 >= len(q.items): // reuse the taken half
				n := copy(q.items, q.items[q.head:])
				clear(q.items[n:])
				q.items, q.head = q.items[:n], 0
			}
			q.mu.Unlock()
			return it, nil
		}
		err := q.err
		q.idle = err == nil
		q.mu.Unlock()
		if err != nil {
			return item{}, err
		}
		select {
		case <-q.ready:
		case <-ctx.Done():
		}
	}
}
