package wait_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/internal/wait"
)

func TestForWaitsTheWholeDuration(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		if err := wait.For(t.Context(), 3*time.Second); err != nil {
			t.Fatal(err)
		}
		if got := time.Since(start); got != 3*time.Second {
			t.Errorf("waited %v, want 3s", got)
		}
	})
}

func TestForEndsWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		err := wait.For(ctx, time.Hour)
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Errorf("For = %v after %v, want DeadlineExceeded after 1s", err, time.Since(start))
		}
	})
}

func TestForOfNothingReturnsAtOnceUnlessTheContextEnded(t *testing.T) {
	if err := wait.For(context.Background(), 0); err != nil {
		t.Errorf("For(0) = %v, want nil", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := wait.For(ctx, -time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("For on a canceled context = %v, want Canceled", err)
	}
}
