package mews

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter paces requests per key before they are sent. The SDK asks it once per
// attempt, retries included, because Mews counts every attempt. Keys identify a token
// without revealing it. Implement it to share one budget between processes.
type Limiter interface {
	// Wait blocks until a request for key may be sent, or returns an error when ctx
	// ends first (or would end before the wait is over).
	Wait(ctx context.Context, key string) error
}

// KeyedLimiter is the built-in Limiter: one token bucket per key, created on first use
// and forgotten once idle, so a process that has seen thousands of hotels holds buckets
// only for the ones it talks to.
//
// A bucket of burst b refilled at rate r lets through at most b + r·T requests in any
// window of length T. KeyedLimiter picks b = n/10 and r = (n−b)/per, so no window of
// length per ever holds more than n requests: Mews' sliding window never sees a 429
// from this process alone.
type KeyedLimiter struct {
	limit rate.Limit
	burst int
	idle  time.Duration

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	lastSweep time.Time
}

// NewKeyedLimiter allows at most n requests per key in any window of length per.
func NewKeyedLimiter(n int, per time.Duration) *KeyedLimiter {
	burst := max(n/10, 1)
	return &KeyedLimiter{
		limit:   rate.Limit(float64(n-burst) / per.Seconds()),
		burst:   burst,
		idle:    2 * per,
		buckets: make(map[string]*rate.Limiter),
	}
}

// Wait takes one token from key's bucket, waiting for it if needed.
func (l *KeyedLimiter) Wait(ctx context.Context, key string) error {
	return l.bucket(key).Wait(ctx)
}

// Len reports how many keys currently hold a bucket.
func (l *KeyedLimiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// bucket returns key's limiter, creating it. Now and then it forgets the buckets that
// are full again: a new bucket for such a key behaves exactly the same, so forgetting
// loses nothing, while a bucket with waiters queued into the future is kept.
func (l *KeyedLimiter) bucket(key string) *rate.Limiter {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > l.idle {
		for k, b := range l.buckets {
			if b.TokensAt(now) >= float64(l.burst) {
				delete(l.buckets, k)
			}
		}
		l.lastSweep = now
	}
	b := l.buckets[key]
	if b == nil {
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	return b
}
