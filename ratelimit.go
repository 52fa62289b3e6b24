package mews

import (
	"container/list"
	"context"
	"fmt"
	"math"
	"sync"
	"time"
)

// Priority says which part of a token's rate budget a call may use. The zero value is
// the application's ordinary share.
type Priority int

const (
	// PriorityNormal is an application call: it may use the token's budget except the
	// share reserved for health checks. Unknown values are treated as PriorityNormal.
	PriorityNormal Priority = iota
	// PriorityHealthCheck is a connection health check: it may also use the reserved
	// share, and it is admitted before the application's queued calls, so a busy
	// application cannot make a healthy connection look Degraded.
	PriorityHealthCheck
)

// LimitRequest is one attempt asking a Limiter for admission.
type LimitRequest struct {
	// Key names the budget: "connector:" or "channelManager:" followed by a hash of the
	// token, never the token itself.
	Key string
	// Priority is the Operation's Priority.
	Priority Priority
}

// Limiter paces requests per key before they are sent. The SDK asks it once per
// attempt, retries included, because Mews counts every attempt. Implement it to share
// one budget between processes; KeyedLimiter is the in-process one, and a shared one
// should apply the same RateRule.
type Limiter interface {
	// Wait blocks until the request may be sent. It returns an error when ctx ends
	// first, at once (matching context.DeadlineExceeded) when the wait could not end
	// before ctx's deadline.
	Wait(ctx context.Context, r LimitRequest) error
}

// Defaults of the built-in limiter, see RateRule.
const (
	DefaultRateMargin       = 500 * time.Millisecond
	DefaultHealthCheckShare = 0.01
)

// RateRule is Mews' rate limit as a limiter enforces it: at most Limit requests per key
// in any window of length Per, counted when they are admitted.
type RateRule struct {
	// Limit is how many requests a key may send in any window of length Per (Mews: 200).
	Limit int
	// Per is the window's length (Mews: 30 s).
	Per time.Duration
	// Margin covers in-flight skew: a request reaches Mews some time after it was
	// admitted, so each admission occupies the window for Per+Margin. Requests that
	// arrive up to Margin later than admitted, in any order, still fit Mews' window.
	Margin time.Duration
	// HealthCheckShare is the share of Limit (0.01 is 1 %, at most 0.5) that only
	// PriorityHealthCheck calls may use, rounded down and leaving at least one request
	// for the application.
	HealthCheckShare float64
}

// MewsRateRule is the Connector's documented budget, 200 requests per AccessToken per
// 30 s, with the default margin and health-check share.
func MewsRateRule() RateRule {
	return RateRule{Limit: 200, Per: 30 * time.Second, Margin: DefaultRateMargin, HealthCheckShare: DefaultHealthCheckShare}
}

// Validate reports a rule no limiter could apply, as an *InputError.
func (r RateRule) Validate() error {
	bad := func(field, reason string) error {
		return &InputError{Operation: "mews.RateRule", Field: field, Reason: reason}
	}
	switch {
	case r.Limit < 1:
		return bad("Limit", "must be at least 1")
	case r.Per <= 0:
		return bad("Per", "must be positive")
	case r.Margin < 0:
		return bad("Margin", "must not be negative")
	case !(r.HealthCheckShare >= 0 && r.HealthCheckShare <= 0.5):
		return bad("HealthCheckShare", "must be between 0 and 0.5")
	}
	return nil
}

// Window is how long one admission counts against its key: Per plus Margin.
func (r RateRule) Window() time.Duration { return r.Per + r.Margin }

// Capacity is how many admissions may be in a key's Window when a request of priority p
// is admitted: Limit for health checks, Limit less the reserved share for the rest.
func (r RateRule) Capacity(p Priority) int {
	if p == PriorityHealthCheck {
		return r.Limit
	}
	reserved := int(math.Floor(r.HealthCheckShare*float64(r.Limit) + 1e-9))
	return max(r.Limit-reserved, 1)
}

// KeyedLimiter is the built-in Limiter: an exact sliding window per key, Mews' own
// rule. No window of length Per+Margin ever holds more than Limit admissions of one key,
// so a fresh token sends its whole budget at once and a busy one uses all of it.
//
// Waiters are served first come, first served within a priority, health checks first.
// Each active key holds the times of its admissions in the last window (at most Limit
// of them); a key whose window is empty and that nobody waits for is forgotten.
//
// The zero KeyedLimiter applies MewsRateRule.
type KeyedLimiter struct {
	mu        sync.Mutex
	rule      RateRule
	epoch     time.Time
	keys      map[string]*window
	lastSweep time.Duration
}

// NewKeyedLimiter returns a limiter that applies rule to every key. An invalid rule
// gives an *InputError.
func NewKeyedLimiter(rule RateRule) (*KeyedLimiter, error) {
	if err := rule.Validate(); err != nil {
		return nil, err
	}
	return &KeyedLimiter{rule: rule}, nil
}

// window is one key's state: the admission times still inside the window, oldest
// first, and the callers waiting for a place, one queue per priority.
type window struct {
	key   string
	times ring
	queue [2]list.List // of *waiter: [0] health checks, [1] the rest
	timer *time.Timer
}

// waiter is one blocked Wait. ready is closed once it is admitted.
type waiter struct {
	ready    chan struct{}
	admitted bool
}

// classOf maps a priority to its queue; unknown priorities are ordinary calls.
func classOf(p Priority) int {
	if p == PriorityHealthCheck {
		return 0
	}
	return 1
}

// Wait admits r as soon as its key's window has room for its priority and nobody of the
// same priority waits before it.
func (l *KeyedLimiter) Wait(ctx context.Context, r LimitRequest) error {
	switch {
	case l == nil:
		return &InputError{Operation: "KeyedLimiter.Wait", Field: "limiter", Reason: "is nil; declare a KeyedLimiter or use NewKeyedLimiter"}
	case ctx == nil:
		return &InputError{Operation: "KeyedLimiter.Wait", Field: "ctx", Reason: "is nil; pass a context.Context"}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	l.mu.Lock()
	now := l.now()
	l.sweep(now)
	w := l.keys[r.Key]
	if w == nil {
		w = &window{key: r.Key}
		l.keys[r.Key] = w
	}
	if w.queue[0].Len() > 0 || w.queue[1].Len() > 0 {
		// Places may have freed up before the timer fired: the waiters take them first,
		// and the timer must not be pushed past their turn.
		l.dispatch(w, now)
	} else {
		w.times.expire(now, l.rule.Window())
	}
	class := classOf(r.Priority)
	capacity := l.rule.Capacity(r.Priority)
	if w.queue[class].Len() == 0 && w.times.len() < capacity {
		w.times.push(now, l.rule.Limit)
		l.mu.Unlock()
		return nil
	}
	if deadline, ok := ctx.Deadline(); ok {
		if at := l.estimate(w, now, class); l.epoch.Add(at).After(deadline) {
			l.mu.Unlock()
			return fmt.Errorf("wait of %v would pass the context deadline: %w", (at - now).Round(time.Millisecond), context.DeadlineExceeded)
		}
	}
	wt := &waiter{ready: make(chan struct{})}
	elem := w.queue[class].PushBack(wt)
	l.schedule(w)
	l.mu.Unlock()

	select {
	case <-wt.ready:
		return nil
	case <-ctx.Done():
		l.mu.Lock()
		defer l.mu.Unlock()
		if wt.admitted {
			return nil // admitted in the same instant; the place is spent either way
		}
		w.queue[class].Remove(elem)
		l.dispatch(w, l.now())
		return ctx.Err()
	}
}

// Len reports how many keys the limiter currently remembers.
func (l *KeyedLimiter) Len() int {
	if l == nil {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

// now is the time since the limiter's epoch, initialising the zero KeyedLimiter.
// Caller holds l.mu.
func (l *KeyedLimiter) now() time.Duration {
	if l.keys == nil {
		if l.rule == (RateRule{}) {
			l.rule = MewsRateRule()
		}
		l.keys = make(map[string]*window)
		l.epoch = time.Now()
	}
	return time.Since(l.epoch)
}

// sweep forgets, once per window, the keys whose window is empty and that nobody waits
// for. Such a key behaves exactly like a new one, so forgetting it loses nothing; and as
// everything happens under l.mu, no caller can hold a window that is being forgotten.
func (l *KeyedLimiter) sweep(now time.Duration) {
	if now-l.lastSweep < l.rule.Window() {
		return
	}
	l.lastSweep = now
	for k, w := range l.keys {
		w.times.expire(now, l.rule.Window())
		if w.times.len() == 0 && w.queue[0].Len() == 0 && w.queue[1].Len() == 0 {
			if w.timer != nil {
				w.timer.Stop()
			}
			delete(l.keys, k)
		}
	}
}

// dispatch admits the waiters that fit at now, health checks first, and arms the timer for
// the rest. Caller holds l.mu.
func (l *KeyedLimiter) dispatch(w *window, now time.Duration) {
	w.times.expire(now, l.rule.Window())
	for class, p := range []Priority{PriorityHealthCheck, PriorityNormal} {
		q := &w.queue[class]
		for q.Len() > 0 && w.times.len() < l.rule.Capacity(p) {
			wt := q.Remove(q.Front()).(*waiter)
			wt.admitted = true
			close(wt.ready)
			w.times.push(now, l.rule.Limit)
		}
	}
	l.schedule(w)
}

// schedule arms w's timer for when its oldest admission leaves the window, if anybody
// waits. Caller holds l.mu, and no waiter fits now (dispatch has run since the window
// last changed), so the oldest admission's departure is the next thing to wait for.
func (l *KeyedLimiter) schedule(w *window) {
	if w.queue[0].Len() == 0 && w.queue[1].Len() == 0 {
		if w.timer != nil {
			w.timer.Stop()
		}
		return
	}
	d := time.Until(l.epoch.Add(w.times.oldest() + l.rule.Window()))
	if w.timer == nil {
		w.timer = time.AfterFunc(d, func() {
			l.mu.Lock()
			defer l.mu.Unlock()
			l.dispatch(w, l.now())
		})
		return
	}
	w.timer.Reset(d)
}

// estimate is when a new waiter of class would be admitted if nobody queued before it
// gave up and no health check arrived later. Caller holds l.mu.
func (l *KeyedLimiter) estimate(w *window, now time.Duration, class int) time.Duration {
	times := w.times.slice()
	at := now
	admit := func(capacity int) {
		if len(times) >= capacity {
			at = max(at, times[len(times)-capacity]+l.rule.Window())
		}
		times = append(times, at)
	}
	for range w.queue[0].Len() {
		admit(l.rule.Capacity(PriorityHealthCheck))
	}
	if class == 1 {
		for range w.queue[1].Len() {
			admit(l.rule.Capacity(PriorityNormal))
		}
		admit(l.rule.Capacity(PriorityNormal))
	} else {
		admit(l.rule.Capacity(PriorityHealthCheck))
	}
	return at
}

// ring holds a key's admission times, oldest first. It grows as needed up to the rule's
// Limit, which it never exceeds because no priority's capacity does.
type ring struct {
	buf        []time.Duration
	head, size int
}

func (r *ring) len() int { return r.size }

// oldest is the earliest admission still held. The ring is not empty.
func (r *ring) oldest() time.Duration { return r.buf[r.head] }

// expire drops the admissions that left the window ending now.
func (r *ring) expire(now, window time.Duration) {
	for r.size > 0 && now-r.buf[r.head] >= window {
		r.head = (r.head + 1) % len(r.buf)
		r.size--
	}
	if r.size == 0 {
		r.head = 0
	}
}

// push records an admission at t, growing the buffer (by doubling, up to limit entries,
// at least 8).
func (r *ring) push(t time.Duration, limit int) {
	if r.size == len(r.buf) {
		grown := make([]time.Duration, max(min(2*len(r.buf), limit), 8, r.size+1))
		copy(grown, r.slice())
		r.buf, r.head = grown, 0
	}
	r.buf[(r.head+r.size)%len(r.buf)] = t
	r.size++
}

// slice copies the held admissions, oldest first.
func (r *ring) slice() []time.Duration {
	out := make([]time.Duration, r.size)
	for i := range r.size {
		out[i] = r.buf[(r.head+i)%len(r.buf)]
	}
	return out
}
