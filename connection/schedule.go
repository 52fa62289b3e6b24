package connection

import "time"

// place says where an entry is in the scheduler.
type place uint8

const (
	idle    place = iota // not scheduled: held Broken by a webhook, or removed
	waiting              // in the heap until its next check time
	queued               // in a ready lane, waiting for a worker
	running              // a worker is checking it
)

// timeHeap is a min-heap of waiting entries ordered by their next check time. Each entry
// stores its own index so that Check, Report and Remove can fix or remove it in O(log n).
type timeHeap []*entry

func (h timeHeap) less(i, j int) bool { return h[i].next.Before(h[j].next) }

func (h timeHeap) swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].hidx = i
	h[j].hidx = j
}

func (h timeHeap) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !h.less(i, p) {
			return
		}
		h.swap(i, p)
		i = p
	}
}

func (h timeHeap) down(i int) {
	for {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && h.less(r, l) {
			m = r
		}
		if !h.less(m, i) {
			return
		}
		h.swap(i, m)
		i = m
	}
}

func (h *timeHeap) push(e *entry) {
	e.hidx = len(*h)
	*h = append(*h, e)
	h.up(e.hidx)
}

// remove takes e out of the heap.
func (h *timeHeap) remove(e *entry) {
	i, last := e.hidx, len(*h)-1
	if i != last {
		h.swap(i, last)
	}
	(*h)[last] = nil
	*h = (*h)[:last]
	if i != last {
		h.down(i)
		h.up(i)
	}
	e.hidx = -1
}

// fix restores the order after e.next changed.
func (h timeHeap) fix(e *entry) {
	h.down(e.hidx)
	h.up(e.hidx)
}

// peek returns the entry due first, or nil.
func (h timeHeap) peek() *entry {
	if len(h) == 0 {
		return nil
	}
	return h[0]
}

// ticket is a place in a ready lane. An entry can be re-queued (moved to the urgent
// lane, removed, updated); a ticket whose seq no longer matches the entry is skipped.
type ticket struct {
	e   *entry
	seq uint32
}

// lane is a FIFO of tickets that reuses its backing array.
type lane struct {
	items []ticket
	head  int
}

func (l *lane) push(t ticket) { l.items = append(l.items, t) }

func (l *lane) len() int { return len(l.items) - l.head }

func (l *lane) pop() ticket {
	t := l.items[l.head]
	l.items[l.head] = ticket{}
	l.head++
	if l.head == len(l.items) {
		l.items, l.head = l.items[:0], 0
	} else if l.head > 1024 && l.head*2 > len(l.items) {
		n := copy(l.items, l.items[l.head:])
		l.items, l.head = l.items[:n], 0
	}
	return t
}

// nextCheck returns when a connection checked at now is due again: Interval minus a random
// part of Jitter, so no connection waits longer than Interval and a burst of additions
// spreads out over time.
func nextCheck(now time.Time, interval, jitter time.Duration, rnd func(time.Duration) time.Duration) time.Time {
	if jitter <= 0 {
		return now.Add(interval)
	}
	return now.Add(interval - rnd(jitter))
}
