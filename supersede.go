package mews

import (
	"context"
	"sync"
)

// supersedeRegistry orders the calls of one Client that carry an Operation.Supersedes
// key: per handle token, operation name and key, a newer call stops the older ones from
// retrying and sends only after all of them have returned, so that a full-state push
// retried late can never land after a newer one. Its zero value is ready to use; it
// holds only the calls in flight.
type supersedeRegistry struct {
	mu     sync.Mutex
	latest map[string]*supersedeSlot // the newest call per key, until every call of the key has returned
}

// supersedeSlot is one call in a key's line of calls.
type supersedeSlot struct {
	key string

	// Guarded by the registry's mu.
	prev, next *supersedeSlot // the neighbouring calls of the key, while they matter
	returned   bool           // the call has returned
	isSettled  bool           // the call and every earlier call of the key have returned
	settled    chan struct{}  // closed when isSettled becomes true

	// Guarded by mu: whether a newer call replaced this one, and whether an attempt of
	// it is on its way to Mews (which is then left to finish).
	mu         sync.Mutex
	superseded bool
	sending    bool
	cancel     context.CancelCauseFunc // ends the call's waits with ErrSuperseded
}

// start registers a new call under key, supersedes the key's previous call, and
// returns the channel to wait on before sending (nil when there is none).
func (r *supersedeRegistry) start(key string, cancel context.CancelCauseFunc) (*supersedeSlot, <-chan struct{}) {
	s := &supersedeSlot{key: key, settled: make(chan struct{}), cancel: cancel}
	r.mu.Lock()
	if r.latest == nil {
		r.latest = make(map[string]*supersedeSlot)
	}
	prev := r.latest[key]
	r.latest[key] = s
	var wait <-chan struct{}
	if prev != nil {
		s.prev, prev.next = prev, s
		wait = prev.settled
	}
	r.mu.Unlock()
	if prev != nil {
		prev.supersede()
	}
	return s, wait
}

// finish records that the call has returned, and settles it and any newer calls that
// were only waiting for it.
func (r *supersedeRegistry) finish(s *supersedeSlot) {
	r.mu.Lock()
	defer r.mu.Unlock()
	s.returned = true
	for s != nil && s.returned && (s.prev == nil || s.prev.isSettled) {
		s.isSettled = true
		close(s.settled)
		if r.latest[s.key] == s {
			delete(r.latest, s.key)
		}
		next := s.next
		s.prev, s.next = nil, nil
		if next != nil {
			next.prev = nil
		}
		s = next
	}
}

// supersede marks the call as replaced by a newer one: it is not retried after its
// current attempt, and any wait it is in (for an earlier call, the limiter, a backoff)
// ends now. An attempt on its way to Mews is left to finish.
func (s *supersedeSlot) supersede() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.superseded = true
	if !s.sending {
		s.cancel(ErrSuperseded)
	}
}

// beginSend marks an attempt as on its way, unless the call was superseded.
func (s *supersedeSlot) beginSend() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.superseded {
		return false
	}
	s.sending = true
	return true
}

// endSend marks the attempt as answered and reports whether the call was superseded
// meanwhile.
func (s *supersedeSlot) endSend() (superseded bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sending = false
	return s.superseded
}

// supersededError is the outcome of a call that a newer call with the same key
// replaced before it could be sent again. It matches ErrSuperseded and nothing else,
// so that a caller who retries transient failures does not repeat the stale call.
type supersededError struct{ text string }

func (e *supersededError) Error() string        { return e.text }
func (e *supersededError) Is(target error) bool { return target == ErrSuperseded }

// supersededResult is the error of a call that was superseded; last is its last
// attempt's outcome, nil when it was never sent.
func (st *call) supersededResult(last error) error {
	text := "mews: " + st.op.Name + ": superseded by a newer call with the same key"
	if last != nil {
		text += "; its last attempt: " + st.scrub(last.Error())
	} else {
		text += " before it was sent"
	}
	return &supersededError{text: text}
}
