package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	mewswait "github.com/mewskit/mews-go/internal/wait"
	goredis "github.com/redis/go-redis/v9"
)

// ErrUnavailable is returned (wrapped) by a fail-closed Limiter while Redis cannot be
// reached.
var ErrUnavailable = errors.New("mews redis: Redis is unreachable")

// admitScript is the sliding window, run atomically inside Redis with Redis' own clock,
// so the replicas' clocks do not matter. KEYS[1] is a list of the key's admission times
// (microseconds of Redis TIME), oldest first. It drops the ones older than the window
// and admits the request if fewer than the capacity remain; otherwise it returns how
// long until the oldest one that blocks it leaves the window.
//
// ARGV: window (µs), capacity for this request's priority.
// Returns {1, 0, admissions in the window} when admitted, {0, wait µs, admissions}
// otherwise.
var admitScript = goredis.NewScript(`
local key = KEYS[1]
local window = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
while true do
  local head = redis.call('LINDEX', key, 0)
  if not head or now - tonumber(head) < window then break end
  redis.call('LPOP', key)
end
local n = redis.call('LLEN', key)
if n < capacity then
  local tail = redis.call('LINDEX', key, -1)
  if tail and tonumber(tail) > now then now = tonumber(tail) end
  redis.call('RPUSH', key, string.format('%d', now))
  redis.call('PEXPIRE', key, math.ceil(window / 1000) + 1)
  return {1, 0, n + 1}
end
local blocker = tonumber(redis.call('LINDEX', key, n - capacity))
return {0, blocker + window - now, n}
`)

// backfillScript writes a replica's own admissions back into a key's window after an
// outage: those the fallback granted, and all of them if Redis lost the key (it
// restarted). KEYS[1]: the window list. ARGV: window µs, how many of the ages that follow
// are "all", then the ages (µs before now) of all admissions, then of the fallback's.
var backfillScript = goredis.NewScript(`
local key = KEYS[1]
local window = tonumber(ARGV[1])
local nall = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local from, to = 3 + nall, #ARGV
if redis.call('EXISTS', key) == 0 then from, to = 3, 2 + nall end
if from > to then return 0 end
local times = {}
for _, v in ipairs(redis.call('LRANGE', key, 0, -1)) do table.insert(times, tonumber(v)) end
for i = from, to do table.insert(times, now - tonumber(ARGV[i])) end
table.sort(times)
redis.call('DEL', key)
for _, v in ipairs(times) do
  if now - v < window then redis.call('RPUSH', key, string.format('%d', v)) end
end
redis.call('PEXPIRE', key, math.ceil(window / 1000) + 1)
return to - from + 1
`)

// Limiter is a mews.Limiter whose budgets live in Redis, so that every replica of a
// fleet draws on the same 200 requests per token per 30 s. It applies the in-process
// limiter's exact rule: no window of length Per+Margin ever holds more than Limit
// admissions of one key, with a share of each budget reserved for health checks. The
// keys it stores are the SDK's limiter keys (a hash of the token, never the token).
//
// When Redis cannot be reached, the Limiter either fails closed (WithFailClosed) or, by
// default, falls back to an in-process limiter that grants this replica 1/N of each
// budget (WithReplicas). Both the outage and the recovery are logged once.
type Limiter struct {
	rdb        goredis.UniversalClient
	s          *settings
	windowUS   int64
	share      int // this replica's share of each budget while Redis is unreachable
	local      *localWindows
	onFallback func() // test hook: called when a request uses the fallback

	mu          sync.Mutex
	down        bool      // Redis failed and has not answered since
	probeAt     time.Time // when the next request may try Redis again while down
	probing     bool      // one request is trying Redis right now
	recoveries  int       // how many outages ended
	recoveredAt time.Time // when the last one ended
	backfilled  map[string]int
}

// NewLimiter returns a Limiter on rdb. Options: WithRule, WithReplicas,
// WithFailClosed, WithProbeInterval, WithPrefix, WithLogger.
func NewLimiter(rdb goredis.UniversalClient, opts ...Option) (*Limiter, error) {
	s, err := newSettings("redis.NewLimiter", opts)
	if err != nil {
		return nil, err
	}
	if rdb == nil {
		return nil, &mews.InputError{Operation: "redis.NewLimiter", Field: "client", Reason: "is nil"}
	}
	return &Limiter{
		rdb:        rdb,
		s:          s,
		windowUS:   s.rule.Window().Microseconds(),
		share:      max(s.rule.Limit/s.replicas, 1),
		local:      newLocalWindows(s.rule.Window()),
		backfilled: make(map[string]int),
	}, nil
}

// Wait admits one request, waiting while its key's window is full (it implements
// mews.Limiter). It returns at once, matching context.DeadlineExceeded, when the
// wait could not end before ctx's deadline.
func (l *Limiter) Wait(ctx context.Context, r mews.LimitRequest) error {
	if ctx == nil {
		return &mews.InputError{Operation: "redis.Limiter.Wait", Field: "ctx", Reason: "is nil; pass a context.Context"}
	}
	key := r.Key
	capacity := l.s.rule.Capacity(r.Priority)
	rkey := l.s.prefix + "limit:" + key
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !l.useRedis() {
			return l.degraded(ctx, key, nil)
		}
		err := l.backfill(ctx, key, rkey)
		var res []int64
		if err == nil {
			res, err = admitScript.Run(ctx, l.rdb, []string{rkey}, l.windowUS, l.afterOutage(capacity)).Int64Slice()
		}
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				l.endProbe()
				return ctxErr
			}
			l.markDown(err)
			return l.degraded(ctx, key, err)
		}
		l.markUp()
		if len(res) != 3 {
			return fmt.Errorf("mews redis: unexpected answer from the limiter script: %v", res)
		}
		l.local.saw(key, int(res[2]), res[0] == 1)
		if res[0] == 1 {
			return nil
		}
		wait := time.Duration(max(res[1], 1)) * time.Microsecond
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return fmt.Errorf("mews redis: wait of %v would pass the context deadline: %w", wait.Round(time.Millisecond), context.DeadlineExceeded)
		}
		if err := mewswait.For(ctx, wait); err != nil {
			return err
		}
	}
}

// afterOutage lowers capacity for one window after Redis came back: the other
// replicas may still be granting their fallback shares, which reach Redis only when
// they notice it is back, so this replica leaves their shares free meanwhile.
func (l *Limiter) afterOutage(capacity int) int {
	l.mu.Lock()
	recent := !l.recoveredAt.IsZero() && time.Since(l.recoveredAt) < l.s.rule.Window()
	l.mu.Unlock()
	if !recent {
		return capacity
	}
	return max(capacity-(l.s.replicas-1)*l.share, 1)
}

// degraded answers a request while Redis is unreachable, as configured.
func (l *Limiter) degraded(ctx context.Context, key string, cause error) error {
	if l.s.failClosed {
		if cause != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, cause)
		}
		return ErrUnavailable
	}
	if l.onFallback != nil {
		l.onFallback()
	}
	return l.local.wait(ctx, key, l.share, l.s.rule.Limit, l.s.replicas)
}

// backfill writes this replica's admissions of key back to Redis once after each
// outage, before it asks Redis again.
func (l *Limiter) backfill(ctx context.Context, key, rkey string) error {
	l.mu.Lock()
	gen := l.recoveries
	if l.down { // this request probes Redis: write back before asking it
		gen++
	}
	due := l.backfilled[key] < gen
	l.mu.Unlock()
	if !due {
		return nil
	}
	all, fallback := l.local.takeBackfill(key)
	if len(all) > 0 {
		args := []any{l.windowUS, len(all)}
		for _, a := range append(all, fallback...) {
			args = append(args, a)
		}
		if err := backfillScript.Run(ctx, l.rdb, []string{rkey}, args...).Err(); err != nil {
			return err
		}
	}
	l.mu.Lock()
	if len(l.backfilled) >= 4096 {
		// Forgetting costs at most a second look at the local window of a key: what
		// was written back is marked, so nothing is written twice.
		clear(l.backfilled)
	}
	l.backfilled[key] = gen
	l.mu.Unlock()
	return nil
}

// useRedis says whether this request should ask Redis: always while it is up, and
// while it is down, one request per probe interval.
func (l *Limiter) useRedis() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.down {
		return true
	}
	if l.probing || time.Now().Before(l.probeAt) {
		return false
	}
	l.probing = true
	return true
}

// endProbe lets another request probe Redis when this one gave up (its ctx ended)
// before Redis answered.
func (l *Limiter) endProbe() {
	l.mu.Lock()
	l.probing = false
	l.mu.Unlock()
}

func (l *Limiter) markDown(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.probing = false
	l.probeAt = time.Now().Add(l.s.probe)
	if l.down {
		return
	}
	l.down = true
	if l.s.failClosed {
		l.s.log.Error("mews redis: Redis is unreachable; the limiter refuses requests until it is back", slog.Any("error", err))
	} else {
		l.s.log.Warn("mews redis: Redis is unreachable; each token gets this replica's share of its budget until it is back",
			slog.Int("share", max(l.s.rule.Limit/l.s.replicas, 1)), slog.Int("limit", l.s.rule.Limit), slog.Any("error", err))
	}
}

func (l *Limiter) markUp() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.probing = false
	if l.down {
		l.down = false
		l.recoveries++
		l.recoveredAt = time.Now()
		l.s.log.Info("mews redis: Redis is reachable again; the limiter shares the budgets through it")
	}
}
