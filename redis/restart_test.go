package redis_test

import (
	"context"
	"log/slog"
	"net"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/redis"
)

// privateRedis is a redis-server of one test's own, on a free loopback port without
// persistence, that the test may stop and start again (an empty Redis each time).
type privateRedis struct {
	t    *testing.T
	addr string
	cmd  *exec.Cmd
}

func newPrivateRedis(t *testing.T) *privateRedis {
	t.Helper()
	testRedis(t) // same skip-or-fail rule as every Redis test
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server is not on PATH: %v (.ci/redis start installs it)", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	r := &privateRedis{t: t, addr: addr}
	r.start()
	t.Cleanup(r.stop)
	return r
}

func (r *privateRedis) start() {
	_, port, _ := net.SplitHostPort(r.addr)
	r.cmd = exec.Command("redis-server", "--bind", "127.0.0.1", "--port", port, "--save", "", "--appendonly", "no", "--dir", r.t.TempDir())
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	rdb := newRedisClient(r.addr)
	defer rdb.Close()
	eventually(r.t, 5*time.Second, "the private redis-server did not start", func() bool {
		return rdb.Ping(context.Background()).Err() == nil
	})
}

func (r *privateRedis) stop() {
	if r.cmd != nil {
		r.cmd.Process.Kill()
		r.cmd.Wait()
		r.cmd = nil
	}
}

// fleetReplica is one replica of the restart test: a shared limiter and a fleet Monitor.
type fleetReplica struct {
	lim       *redis.Limiter
	client    *mews.Client
	mon       *redis.Monitor
	fallbacks atomic.Int64
	logs      *countingHandler
}

func TestFleet_RedisRestartedMidRun(t *testing.T) {
	priv := newPrivateRedis(t)
	srv := newRateServer(t)
	tokens := hotels(srv, 6)
	replicas := make([]*fleetReplica, 3)
	for i := range replicas {
		r := &fleetReplica{logs: &countingHandler{}}
		rdb := newRedisClient(priv.addr)
		t.Cleanup(func() { rdb.Close() })
		var err error
		r.lim, err = fleetLimiter(rdb, "fleet:", redis.WithProbeInterval(100*time.Millisecond), redis.WithLogger(slog.New(r.logs)))
		if err != nil {
			t.Fatal(err)
		}
		r.lim.SetOnFallback(func() { r.fallbacks.Add(1) })
		if r.client, err = fleetClient(srv.URL, r.lim); err != nil {
			t.Fatal(err)
		}
		r.mon, err = redis.NewMonitor(rdb, r.client, redis.WithMonitorOptions(connection.WithInterval(time.Hour)), redis.WithPrefix("fleet:"),
			redis.WithShards(testShards), redis.WithLeaseTTL(testLeaseTTL), redis.WithReplicaName("r"+strconv.Itoa(i)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.mon.Close() })
		for h, tok := range tokens {
			creds, _ := connection.ConnectorCredentials(tok)
			r.mon.Add(hotelKey(h), creds)
		}
		replicas[i] = r
	}
	a, b, c := replicas[0].mon, replicas[1].mon, replicas[2].mon
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b, c) })
	eventually(t, 5*time.Second, "hotels not stored Connected", allStored(t, a, len(tokens), connection.Connected))
	// A webhook said hotel-0's integration was disabled: a check would find it
	// Connected, so only the leader's memory can restore this status.
	if err := a.Hold(t.Context(), hotelKey(0), connection.ErrIntegrationDisabled); err != nil {
		t.Fatal(err)
	}
	eventually(t, 3*time.Second, "hotel-0 not stored Broken", func() bool {
		st, _ := stored(t, a, hotelKey(0))
		return st.Status == connection.Broken
	})

	srv.ResetRequests()
	start := time.Now()
	const runFor = 4 * ratePer
	var wg sync.WaitGroup
	for _, r := range replicas {
		wg.Go(func() { drive(r.client, start.Add(runFor)) })
	}
	time.Sleep(ratePer)
	priv.stop()
	time.Sleep(3 * ratePer / 2)
	priv.start()
	wg.Wait()

	throttled, ok := 0, 0
	for _, r := range srv.RequestsFor("configuration/get") {
		if r.Status == 429 {
			throttled++
		} else if r.Status == 200 {
			ok++
		}
	}
	t.Logf("%d requests in %v with Redis down for %v, %d × 429; fallback answered %d, %d, %d requests",
		ok, runFor, 3*ratePer/2, throttled, replicas[0].fallbacks.Load(), replicas[1].fallbacks.Load(), replicas[2].fallbacks.Load())
	// Across a restart the replicas learn of each other's fallback admissions only as
	// each notices Redis is back; a few 429s remain on a loaded machine (0 to 5 in most
	// runs, 8 seen once), against 160 or more without a shared limiter.
	if throttled > rateN/4 {
		t.Errorf("%d × 429 across the Redis restart, want at most %d", throttled, rateN/4)
	}
	for i, r := range replicas {
		if r.fallbacks.Load() == 0 {
			t.Errorf("replica %d never used its fallback share while Redis was down", i)
		}
		if w, info := r.logs.count(slog.LevelWarn), r.logs.count(slog.LevelInfo); w != 1 || info != 1 {
			t.Errorf("replica %d logged %d warnings and %d recoveries for one outage, want 1 and 1", i, w, info)
		}
	}
	eventually(t, 3*time.Second, "the statuses were not stored again after the restart", func() bool {
		for h := range tokens {
			st, ok := stored(t, b, hotelKey(h))
			want := connection.Connected
			if h == 0 {
				want = connection.Broken
			}
			if !ok || st.Status != want {
				return false
			}
		}
		return true
	})
	st, _ := stored(t, b, hotelKey(0))
	if st.Reason != connection.ErrIntegrationDisabled.Error() {
		t.Errorf("hotel-0 restored with reason %q, want the disabled integration", st.Reason)
	}
}
