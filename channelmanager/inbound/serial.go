package inbound

import (
	"context"
	"crypto/sha256"
	"sync"
)

// serializer lets one call per key run at a time; waiting calls proceed in the order
// they started waiting (blocked channel senders are served first in, first out).
type serializer struct {
	mu    sync.Mutex
	slots map[string]*slot
}

// slot is the turn of one key, with the number of calls holding or awaiting it.
type slot struct {
	turn  chan struct{}
	users int
}

// acquire waits for key's turn; release must be called once it returns nil. The key is
// a connection token, so the map holds only its SHA-256.
func (s *serializer) acquire(ctx context.Context, key string) (release func(), err error) {
	sum := sha256.Sum256([]byte(key))
	key = string(sum[:])
	s.mu.Lock()
	if s.slots == nil {
		s.slots = make(map[string]*slot)
	}
	sl := s.slots[key]
	if sl == nil {
		sl = &slot{turn: make(chan struct{}, 1)}
		s.slots[key] = sl
	}
	sl.users++
	s.mu.Unlock()

	done := func() {
		s.mu.Lock()
		if sl.users--; sl.users == 0 {
			delete(s.slots, key) // memory is bounded by the keys in use
		}
		s.mu.Unlock()
	}
	select {
	case sl.turn <- struct{}{}:
		return func() { <-sl.turn; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}
