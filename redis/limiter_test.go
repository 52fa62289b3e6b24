package redis_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/redis"
	goredis "github.com/redis/go-redis/v9"
)

func newLimiter(t *testing.T, rdb goredis.UniversalClient, opts ...redis.Option) *redis.Limiter {
	t.Helper()
	l, err := redis.NewLimiter(rdb, opts...)
	if err != nil {
		t.Fatalf("NewLimiter: %v", err)
	}
	return l
}

// admitted counts how many of tries Waits are admitted at once (within a deadline too
// short for any wait).
func admitted(t *testing.T, l *redis.Limiter, p mews.Priority, key string, tries int) int {
	t.Helper()
	n := 0
	for range tries {
		ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
		err := l.Wait(ctx, mews.LimitRequest{Key: key, Priority: p})
		cancel()
		switch {
		case err == nil:
			n++
		case errors.Is(err, redis.ErrUnavailable):
			t.Fatalf("Wait: %v", err)
		}
	}
	return n
}

func TestLimiter_ReplicasShareOneWindowPerKey(t *testing.T) {
	rdb, prefix := testRedis(t)
	opts := []redis.Option{redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 10, Per: time.Minute})}
	a, b := newLimiter(t, rdb, opts...), newLimiter(t, rdb, opts...)

	if n := admitted(t, a, mews.PriorityNormal, "connector:h1", 6); n != 6 {
		t.Fatalf("replica a: %d of 6 admitted, want 6", n)
	}
	if n := admitted(t, b, mews.PriorityNormal, "connector:h1", 6); n != 4 {
		t.Errorf("replica b after a spent 6 of 10: %d of 6 admitted, want 4", n)
	}
	if n := admitted(t, b, mews.PriorityNormal, "connector:h2", 3); n != 3 {
		t.Errorf("another key: %d of 3 admitted, want 3 (keys have their own windows)", n)
	}
}

func TestLimiter_AFullWindowAdmitsAgainWhenTheOldestAdmissionLeaves(t *testing.T) {
	rdb, prefix := testRedis(t)
	l := newLimiter(t, rdb, redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 3, Per: 300 * time.Millisecond}))
	start := time.Now()
	for range 4 {
		if err := l.Wait(t.Context(), mews.LimitRequest{Key: "connector:h"}); err != nil {
			t.Fatal(err)
		}
	}
	if d := time.Since(start); d < 290*time.Millisecond {
		t.Errorf("the 4th of 3 per 300 ms was admitted after %v, want after the first left the window", d)
	}
}

func TestLimiter_AWaitThatWouldPassTheDeadlineFailsAtOnce(t *testing.T) {
	rdb, prefix := testRedis(t)
	l := newLimiter(t, rdb, redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 1, Per: time.Minute}))
	l.Wait(t.Context(), mews.LimitRequest{Key: "connector:h"})
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	start := time.Now()
	err := l.Wait(ctx, mews.LimitRequest{Key: "connector:h"})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Errorf("Wait = %v after %v, want DeadlineExceeded at once", err, time.Since(start))
	}
}

func TestLimiter_HealthChecksHaveAReservedShare(t *testing.T) {
	rdb, prefix := testRedis(t)
	l := newLimiter(t, rdb, redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 20, Per: time.Minute, HealthCheckShare: 0.1}))
	if n := admitted(t, l, mews.PriorityNormal, "connector:h", 20); n != 18 {
		t.Errorf("application calls: %d of 20 admitted, want 18 (2 reserved)", n)
	}
	if n := admitted(t, l, mews.PriorityHealthCheck, "connector:h", 3); n != 2 {
		t.Errorf("health checks on the busy token: %d of 3 admitted, want the 2 reserved", n)
	}
}

func TestLimiter_StoresTheKeyItIsGivenWithATTL(t *testing.T) {
	rdb, prefix := testRedis(t)
	l := newLimiter(t, rdb, redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 5, Per: time.Second}))
	l.Wait(t.Context(), mews.LimitRequest{Key: "connector:hash"})
	ttl := rdb.PTTL(t.Context(), prefix+"limit:connector:hash").Val()
	if ttl <= 0 || ttl > 2*time.Second {
		t.Errorf("TTL of the window = %v, want about one window so idle keys vanish", ttl)
	}
}

// countingHandler counts log records by level.
type countingHandler struct {
	mu     sync.Mutex
	counts map[slog.Level]int
}

func (h *countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *countingHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.counts == nil {
		h.counts = map[slog.Level]int{}
	}
	h.counts[r.Level]++
	return nil
}
func (h *countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *countingHandler) WithGroup(string) slog.Handler      { return h }

func (h *countingHandler) count(l slog.Level) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[l]
}

// unreachable is a client for a loopback port where nothing listens.
func unreachable(t *testing.T) *goredis.Client {
	rdb := goredis.NewClient(&goredis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1, DialerRetries: 1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func TestLimiter_FallsBackToItsShareWhenRedisIsUnreachableAndLogsOnce(t *testing.T) {
	logs := &countingHandler{}
	l := newLimiter(t, unreachable(t), redis.WithRule(mews.RateRule{Limit: 30, Per: time.Minute}), redis.WithReplicas(3),
		redis.WithLogger(slog.New(logs)), redis.WithProbeInterval(time.Hour))
	var fallbacks atomic.Int64
	l.SetOnFallback(func() { fallbacks.Add(1) })

	if n := admitted(t, l, mews.PriorityNormal, "connector:h", 15); n != 10 {
		t.Errorf("%d of 15 admitted without Redis, want this replica's share, 10 of 30", n)
	}
	if n := fallbacks.Load(); n != 15 {
		t.Errorf("%d requests went to the fallback, want all 15", n)
	}
	if n := logs.count(slog.LevelWarn); n != 1 {
		t.Errorf("%d warnings for one outage, want 1", n)
	}
}

func TestLimiter_FailClosedRefusesWithErrUnavailable(t *testing.T) {
	l := newLimiter(t, unreachable(t), redis.WithFailClosed())
	err := l.Wait(t.Context(), mews.LimitRequest{Key: "connector:h"})
	if !errors.Is(err, redis.ErrUnavailable) {
		t.Errorf("Wait = %v, want ErrUnavailable", err)
	}
}

func TestNewLimiter_RejectsBadOptions(t *testing.T) {
	rdb := unreachable(t)
	for name, opt := range map[string]redis.Option{
		"zero limit":      redis.WithRule(mews.RateRule{Limit: 0, Per: time.Second}),
		"zero period":     redis.WithRule(mews.RateRule{Limit: 1}),
		"negative margin": redis.WithRule(mews.RateRule{Limit: 1, Per: time.Second, Margin: -time.Second}),
		"share above 0.5": redis.WithRule(mews.RateRule{Limit: 1, Per: time.Second, HealthCheckShare: 0.6}),
		"zero replicas":   redis.WithReplicas(0),
		"zero probe":      redis.WithProbeInterval(0),
		"nil logger":      redis.WithLogger(nil),
	} {
		var ie *mews.InputError
		if _, err := redis.NewLimiter(rdb, opt); !errors.As(err, &ie) || ie.Operation != "redis.NewLimiter" {
			t.Errorf("%s: err = %v, want an *InputError from redis.NewLimiter", name, err)
		}
	}
	if _, err := redis.NewLimiter(nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil client: err = %v, want ErrInvalidInput", err)
	}
}
