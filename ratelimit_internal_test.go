package mews

import (
	"testing"
	"testing/synctest"
	"time"
)

// A timer fires late on a busy machine. A caller who comes in between finds the places
// already free: they must go to the waiters, not push the timer a window further.
func TestALateTimerDoesNotHoldWaitersForAnotherWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := NewKeyedLimiter(RateRule{Limit: 2, Per: time.Minute})
		r := LimitRequest{Key: "k"}
		_ = l.Wait(t.Context(), r)
		time.Sleep(30 * time.Second)
		_ = l.Wait(t.Context(), r) // admissions at 0s and 30s
		start := time.Now()
		admitted := make(chan time.Duration)
		go func() {
			_ = l.Wait(t.Context(), r)
			admitted <- time.Since(start)
		}()
		synctest.Wait()
		l.mu.Lock()
		l.keys["k"].timer.Stop() // the timer is late
		l.mu.Unlock()
		time.Sleep(30 * time.Second)
		go func() { _ = l.Wait(t.Context(), r) }()
		if got := <-admitted; got != 30*time.Second {
			t.Errorf("the waiter was admitted after %v, want 30s, when the first admission left the window", got)
		}
	})
}
