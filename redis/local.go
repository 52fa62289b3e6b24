package redis

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// localWindows remembers this replica's own admissions per key for one window: those
// Redis granted and those the fallback granted while Redis was unreachable. The
// fallback counts both against this replica's share, so an outage does not let it
// add a share on top of what it had just spent through Redis; and on recovery the
// fallback's admissions (and, if Redis lost its data, all of them) are written back to
// Redis, so the shared window knows what Mews has seen.
type localWindows struct {
	mu        sync.Mutex
	window    time.Duration
	keys      map[string][]admission // oldest first
	lastSweep time.Time
}

type admission struct {
	at       time.Time
	fallback bool // granted while Redis was unreachable
}

func newLocalWindows(window time.Duration) *localWindows {
	return &localWindows{window: window, keys: make(map[string][]admission)}
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

// record notes an admission Redis granted.
func (w *localWindows) record(key string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.keys[key] = append(w.expire(key, now), admission{at: now})
}

// wait admits a request for key under the fallback rule: at most share admissions of
// this replica in any window.
func (w *localWindows) wait(ctx context.Context, key string, share int) error {
	for {
		w.mu.Lock()
		now := time.Now()
		a := w.expire(key, now)
		if len(a) < share {
			w.keys[key] = append(a, admission{at: now, fallback: true})
			w.mu.Unlock()
			return nil
		}
		wait := a[len(a)-share].at.Add(w.window).Sub(now)
		w.mu.Unlock()
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("mews redis: wait of %v would pass the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
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
