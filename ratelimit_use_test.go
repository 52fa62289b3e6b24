package mews_test

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// windowFake is an in-process stand-in for Mews' rate limit, written independently of
// the SDK's limiter: a request is accepted when fewer than n accepted requests of its
// key arrived in the window (t−per, t] that ends at its arrival; otherwise it gets 429.
// Each key has its own lock, so that the fake itself does not delay arrivals.
type windowFake struct {
	n    int
	per  time.Duration
	end  time.Time
	keys map[string]*fakeKey // fixed before the run starts
}

// fakeKey is one token at the fake: its accepted arrivals still inside the window,
// oldest first, and its counts.
type fakeKey struct {
	mu                      sync.Mutex
	inWindow                []time.Time
	acceptedInRun, rejected int
}

func newWindowFake(n int, per time.Duration, end time.Time, keys []string) *windowFake {
	f := &windowFake{n: n, per: per, end: end, keys: map[string]*fakeKey{}}
	for _, k := range keys {
		f.keys[k] = &fakeKey{}
	}
	return f
}

// arrive records a request that reaches the fake now and reports whether it was accepted.
func (f *windowFake) arrive(key string) bool {
	k := f.keys[key]
	k.mu.Lock()
	defer k.mu.Unlock()
	now := time.Now()
	for len(k.inWindow) > 0 && now.Sub(k.inWindow[0]) >= f.per {
		k.inWindow = k.inWindow[1:]
	}
	if len(k.inWindow) >= f.n {
		k.rejected++
		return false
	}
	k.inWindow = append(k.inWindow, now)
	if now.Before(f.end) {
		k.acceptedInRun++
	}
	return true
}

// totals sums the accepted arrivals before the end of the run and the 429s.
func (f *windowFake) totals() (accepted, rejected int) {
	for _, k := range f.keys {
		k.mu.Lock()
		accepted += k.acceptedInRun
		rejected += k.rejected
		k.mu.Unlock()
	}
	return accepted, rejected
}

// rateRun is one rate-use scenario: tokens keys, each driven flat out by goroutines
// workers for windows windows of Mews' limit. delay, when set, holds some requests in
// flight between the limiter's admission and their arrival, as a TLS handshake does.
type rateRun struct {
	n          int
	per        time.Duration
	tokens     int
	goroutines int
	windows    int
	delay      func(worker, i int) time.Duration
}

// rateUse is what a rateRun measured: the share of Mews' budget the accepted requests
// used over the run, and how many requests Mews refused with 429.
type rateUse struct {
	used     float64
	rejected int
}

func (u rateUse) String() string {
	return fmt.Sprintf("%.1f%% of the limit used, %d × 429", 100*u.used, u.rejected)
}

// measure runs r with wait as the limiter and reports the rate use. The run ends after
// windows×per; a wait that cannot finish by then stops its worker.
func (r rateRun) measure(wait func(ctx context.Context, key string) error) rateUse {
	start := time.Now()
	end := start.Add(time.Duration(r.windows) * r.per)
	keys := make([]string, r.tokens)
	for tok := range keys {
		keys[tok] = fmt.Sprintf("connector:token%03d", tok)
	}
	fake := newWindowFake(r.n, r.per, end, keys)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	var wg sync.WaitGroup
	for _, key := range keys {
		for w := range r.goroutines {
			wg.Go(func() {
				for i := 0; ; i++ {
					if err := wait(ctx, key); err != nil {
						return
					}
					if r.delay != nil {
						if d := r.delay(w, i); d > 0 {
							time.Sleep(d)
						}
					}
					fake.arrive(key)
				}
			})
		}
	}
	wg.Wait()
	accepted, rejected := fake.totals()
	budget := r.tokens * r.n * r.windows
	return rateUse{used: float64(accepted) / float64(budget), rejected: rejected}
}

// tlsDelay holds one request in seven of every worker 150 ms in flight, so requests
// reach Mews in a different order and spacing than the limiter admitted them.
func tlsDelay(worker, i int) time.Duration {
	if (worker+i)%7 == 0 {
		return 150 * time.Millisecond
	}
	return 0
}
