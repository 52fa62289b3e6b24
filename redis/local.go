package redis

import (
	"context"
	"fmt"
	mewswait "github.com/mewskit/mews-go/internal/wait"
	"sync"
	"time"
)

// localWindows remembers this replica's own admissions per key for one window: those
// Redis granted and those the fallback granted while Redis was unreachable. The
// fallback counts both against this replica's share, so an outage does not let it
// add a share on top of what it had just spent through Redis; and on recovery the
// fallback's admissions (and, if Redis lost its data, all of them) are written back to
// Redis, so the shared window knows what Mews has seen.
//
// Right after an outage begins, the shared window may already be nearly full, and the
// other replicas' recent admissions are not in this replica's record. So, within one
// window of its last answer from Redis about a key, a replica also keeps its fallback
// admissions within its part (1/N) of the room that answer said was left.
type localWindows struct {
	mu        sync.Mutex
	window    time.Duration
	keys      map[string][]admission // oldest first
	shared    map[string]sharedCount
	lastSweep time.Time
}

// sharedCount is how many admissions the shared window held at the last answer.
type sharedCount struct {
	n  int
	at time.Time
}

type admission struct {
	at       time.Time
	fallback bool // granted while Redis was unreachable
}

func newLocalWindows(window time.Duration) *localWindows {
	return &localWindows{window: window, keys: make(map[string][]admission), shared: make(map[string]sharedCount)}
}

// expire drops key's admissions older than the window, and now and then forgets the
// keys with none left. w.mu is held.
func (w *localWindows) expire(key string, now time.Time) []admission {
	if now.Sub(w.lastSweep) > w.window {
		w.lastSweep = now
		for k, a := range w.keys {
			if len(a) == 0 || now.Sub(a[len(a)-1].at) >= w.window {
				delete(w.keys, k)
			}
		}
		for k, c := range w.shared {
			if now.Sub(c.at) >= w.window {
				delete(w.shared, k)
			}
		}
	}
	a := w.keys[key]
	i := 0
	for i < len(a) && now.Sub(a[i].at) >= w.window {
		i++
	}
	if i > 0 {
		a = append(a[:0], a[i:]...)
		w.keys[key] = a
	}
	return a
}

// saw notes Redis' answer for key: n admissions in the shared window, and whether
// this request was one of them.
func (w *localWindows) saw(key string, n int, admitted bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	a := w.expire(key, now)
	if admitted {
		w.keys[key] = append(a, admission{at: now})
	}
	w.shared[key] = sharedCount{n: n, at: now}
}

// wait admits a request for key under the fallback rule: at most share admissions of
// this replica in any window, and within a window of the last answer from Redis, at
// most 1/replicas of the room it left.
func (w *localWindows) wait(ctx context.Context, key string, share, limit, replicas int) error {
	for {
		w.mu.Lock()
		now := time.Now()
		a := w.expire(key, now)
		wait := time.Duration(0)
		if len(a) >= share {
			wait = a[len(a)-share].at.Add(w.window).Sub(now)
		}
		if c, ok := w.shared[key]; ok && now.Sub(c.at) < w.window {
			since := 0
			for _, x := range a {
				if x.fallback && !x.at.Before(c.at) {
					since++
				}
			}
			if since >= max(limit-c.n, 0)/replicas {
				wait = max(wait, c.at.Add(w.window).Sub(now))
			}
		}
		if wait <= 0 {
			w.keys[key] = append(a, admission{at: now, fallback: true})
			w.mu.Unlock()
			return nil
		}
		w.mu.Unlock()
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("mews redis: wait of %v would pass the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		if err := mewswait.For(ctx, wait); err != nil {
			return err
		}
	}
}

// takeBackfill returns how long ago each admission of key still in the window was
// granted, the fallback's separately, and marks the fallback's as written back.
func (w *localWindows) takeBackfill(key string) (all, fallback []int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	a := w.expire(key, now)
	for i := range a {
		age := now.Sub(a[i].at).Microseconds()
		all = append(all, age)
		if a[i].fallback {
			fallback = append(fallback, age)
			a[i].fallback = false
		}
	}
	return all, fallback
}
