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
type windowFake struct {
	n   int
	per time.Duration

	mu       sync.Mutex
	arrivals map[string][]time.Time
	rejected int
}

func newWindowFake(n int, per time.Duration) *windowFake {
	return &windowFake{n: n, per: per, arrivals: map[string][]time.Time{}}
}

// arrive records a request that reaches the fake now and reports whether it was accepted.
func (f *windowFake) arrive(key string) bool {
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	inWindow := 0
	for _, a := range f.arrivals[key] {
		if now.Sub(a) < f.per {
			inWindow++
		}
	}
	if inWindow >= f.n {
		f.rejected++
		return false
	}
	f.arrivals[key] = append(f.arrivals[key], now)
	return true
}

// acceptedBefore counts the accepted arrivals before end, over all keys.
func (f *windowFake) acceptedBefore(end time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	var total int
	for _, as := range f.arrivals {
		for _, a := range as {
			if a.Before(end) {
				total++
			}
		}
	}
	return total
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
	fake := newWindowFake(r.n, r.per)
	start := time.Now()
	end := start.Add(time.Duration(r.windows) * r.per)
	ctx, cancel := context.WithDeadline(context.Background(), end)
	defer cancel()
	var wg sync.WaitGroup
	for tok := range r.tokens {
		key := fmt.Sprintf("connector:token%03d", tok)
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
	budget := r.tokens * r.n * r.windows
	return rateUse{used: float64(fake.acceptedBefore(end)) / float64(budget), rejected: fake.rejected}
}

// tlsDelay holds one request in seven of every worker 150 ms in flight, so requests
// reach Mews in a different order and spacing than the limiter admitted them.
func tlsDelay(worker, i int) time.Duration {
	if (worker+i)%7 == 0 {
		return 150 * time.Millisecond
	}
	return 0
}
