package redis_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
)

const (
	testShards   = 6
	testLeaseTTL = 300 * time.Millisecond
)

// hotels adds n tokens to srv and returns them; hotel i is keyed "hotel-i".
func hotels(srv *mewstest.Server, n int) []string {
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = srv.AddAccessToken(mewstest.EnterpriseID)
	}
	return tokens
}

func hotelKey(i int) string { return fmt.Sprintf("hotel-%d", i) }

// startReplica starts one fleet Monitor watching every hotel, closed at cleanup.
func startReplica(t *testing.T, srv *mewstest.Server, prefix, name string, tokens []string, local []connection.Option, opts ...redis.Option) *redis.Monitor {
	t.Helper()
	rdb := newRedisClient(os.Getenv(redisAddrEnv))
	t.Cleanup(func() { rdb.Close() })
	client, err := srv.NewClient(mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	local = append([]connection.Option{connection.WithInterval(time.Minute)}, local...)
	opts = append([]redis.Option{redis.WithPrefix(prefix), redis.WithShards(testShards),
		redis.WithLeaseTTL(testLeaseTTL), redis.WithReplicaName(name)}, opts...)
	m, err := redis.NewMonitor(rdb, client, append(opts, redis.WithMonitorOptions(local...))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	for i, tok := range tokens {
		creds, _ := connection.ConnectorCredentials(tok)
		if err := m.Add(hotelKey(i), creds); err != nil {
			t.Fatal(err)
		}
	}
	return m
}

// eventually polls cond until it holds or timeout passes (these tests run against a
// real Redis and real leases, so they wait on real time).
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// stored reads key's stored status through m, failing the test on a Redis error.
func stored(t *testing.T, m *redis.Monitor, key string) (redis.StoredStatus, bool) {
	t.Helper()
	st, ok, err := m.Status(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	return st, ok
}

func allStored(t *testing.T, m *redis.Monitor, n int, want connection.Status) func() bool {
	return func() bool {
		for i := range n {
			if st, ok := stored(t, m, hotelKey(i)); !ok || st.Status != want {
				return false
			}
		}
		return true
	}
}

// balanced says whether the replicas lead every shard exactly once between them.
func balanced(ms ...*redis.Monitor) bool {
	var all []int
	for _, m := range ms {
		all = append(all, m.Leading()...)
	}
	slices.Sort(all)
	return slices.Equal(all, []int{0, 1, 2, 3, 4, 5})
}

func TestMonitor_EveryShardHasOneLeaderAndEveryReplicaSeesTheStatuses(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 24)
	var mu sync.Mutex
	changes := map[string][]string{}
	onChange := redis.WithStatusChanges(func(c redis.StatusChange) {
		mu.Lock()
		defer mu.Unlock()
		changes[c.Key] = append(changes[c.Key], c.Previous.String()+">"+c.Status.String())
	})
	a := startReplica(t, srv, prefix, "a", tokens, nil, onChange)
	b := startReplica(t, srv, prefix, "b", tokens, nil)
	c := startReplica(t, srv, prefix, "c", tokens, nil)

	eventually(t, 5*time.Second, "the three replicas do not share the shards", func() bool {
		return balanced(a, b, c) && len(a.Leading()) == 2 && len(b.Leading()) == 2 && len(c.Leading()) == 2
	})
	eventually(t, 5*time.Second, "not every hotel is stored Connected", allStored(t, c, len(tokens), connection.Connected))
	eventually(t, 2*time.Second, "replica a did not hear every change", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(changes) == len(tokens)
	})
	mu.Lock()
	defer mu.Unlock()
	for key, got := range changes {
		if !slices.Equal(got, []string{"Unknown>Connected"}) {
			t.Errorf("changes of %s = %v, want one Unknown>Connected for the whole fleet", key, got)
		}
	}
}

func TestMonitor_TheFleetChecksEachConnectionOncePerInterval(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 12)
	const interval = 500 * time.Millisecond
	cfg := []connection.Option{connection.WithInterval(interval), connection.WithJitter(time.Millisecond)}
	a := startReplica(t, srv, prefix, "a", tokens, cfg)
	b := startReplica(t, srv, prefix, "b", tokens, cfg)
	c := startReplica(t, srv, prefix, "c", tokens, cfg)
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b, c) })
	time.Sleep(interval) // let the checks of the hand-overs at start settle
	srv.ResetRequests()
	time.Sleep(4 * interval)
	checks := len(srv.RequestsFor("configuration/get"))
	perHotel := float64(checks) / float64(len(tokens))
	t.Logf("%.1f checks per hotel in 4 intervals with 3 replicas", perHotel)
	if perHotel > 5 {
		t.Errorf("%.1f checks per hotel in 4 intervals, want about 4 (one replica checks each)", perHotel)
	}
}

func TestMonitor_AnExpiredLeaseIsTakenOverWithinTheTTLAndACheck(t *testing.T) {
	rdb, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 6)
	// A leader that died: its leases stay until they expire.
	for shard := range testShards {
		rdb.Set(t.Context(), fmt.Sprintf("%slease:%d", prefix, shard), "dead|token", testLeaseTTL)
	}
	died := time.Now()
	m := startReplica(t, srv, prefix, "survivor", tokens, nil)
	eventually(t, 3*time.Second, "the survivor did not take every shard", func() bool { return len(m.Leading()) == testShards })
	took := time.Since(died)
	eventually(t, 3*time.Second, "the survivor did not check and store every hotel", allStored(t, m, len(tokens), connection.Connected))
	checked := time.Since(died)
	t.Logf("takeover after %v, every hotel checked and stored after %v (lease TTL %v)", took.Round(time.Millisecond), checked.Round(time.Millisecond), testLeaseTTL)
	if took < testLeaseTTL*9/10 {
		t.Errorf("took the shards after %v, before the dead leader's lease of %v expired", took, testLeaseTTL)
	}
	if bound := testLeaseTTL + testLeaseTTL/3 + 500*time.Millisecond; checked > bound {
		t.Errorf("hotels checked %v after the leader died, want within %v", checked, bound)
	}
}

func TestMonitor_ReportAtAnyReplicaReachesTheLeader(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 6)
	cfg := []connection.Option{connection.WithInterval(time.Hour), connection.WithConfirmDelay(time.Millisecond)}
	a := startReplica(t, srv, prefix, "a", tokens, cfg)
	b := startReplica(t, srv, prefix, "b", tokens, cfg)
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b) && len(a.Leading()) == 3 })
	eventually(t, 5*time.Second, "hotels not stored Connected", allStored(t, a, len(tokens), connection.Connected))

	// Pick a hotel that a does not lead and report a rejection at a.
	key, tok := "", ""
	for i := range tokens {
		if !slices.Contains(a.Leading(), a.Shard(hotelKey(i))) {
			key, tok = hotelKey(i), tokens[i]
			break
		}
	}
	srv.Revoke(tok)
	if ok, err := a.Report(t.Context(), key, &mews.APIError{StatusCode: 401}); !ok || err != nil {
		t.Fatalf("Report = %v, %v; want passed on", ok, err)
	}
	eventually(t, 3*time.Second, "the leader did not confirm the rejection", func() bool {
		st, _ := stored(t, a, key)
		return st.Status == connection.Broken && st.Replica == "b"
	})
}

func TestMonitor_HoldAtAnyReplicaReachesTheLeader(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 6)
	a := startReplica(t, srv, prefix, "a", tokens, nil)
	b := startReplica(t, srv, prefix, "b", tokens, nil)
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b) && len(a.Leading()) == 3 })
	eventually(t, 5*time.Second, "hotels not stored Connected", allStored(t, a, len(tokens), connection.Connected))
	for i := range tokens {
		if err := a.Hold(t.Context(), hotelKey(i), connection.ErrIntegrationDisabled); err != nil {
			t.Fatal(err)
		}
	}
	eventually(t, 3*time.Second, "not every hotel is held Broken", allStored(t, b, len(tokens), connection.Broken))
	st, _ := stored(t, b, hotelKey(0))
	if st.Reason != connection.ErrIntegrationDisabled.Error() {
		t.Errorf("stored reason = %q, want the disabled integration", st.Reason)
	}
	if err := a.Hold(t.Context(), hotelKey(0), errors.New("other")); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("Hold with another reason: %v, want ErrInvalidInput", err)
	}
}

func TestMonitor_ClosingAReplicaHandsItsShardsOverAtOnce(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 6)
	a := startReplica(t, srv, prefix, "a", tokens, nil)
	b := startReplica(t, srv, prefix, "b", tokens, nil)
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b) && len(a.Leading()) == 3 })
	a.Close()
	eventually(t, 2*time.Second, "b did not take a's shards", func() bool { return len(b.Leading()) == testShards })
	leaders, err := b.Leaders(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for shard, name := range leaders {
		if name != "b" {
			t.Errorf("shard %d is led by %q, want b", shard, name)
		}
	}
}

func TestNewMonitor_RejectsBadOptions(t *testing.T) {
	rdb, _ := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, _ := srv.NewClient()
	for name, opt := range map[string]redis.Option{
		"zero shards":        redis.WithShards(0),
		"short lease":        redis.WithLeaseTTL(time.Millisecond),
		"empty name":         redis.WithReplicaName(""),
		"nil OnEvent":        redis.WithOnEvent(nil),
		"bad monitor option": redis.WithMonitorOptions(connection.WithConcurrency(-1)),
	} {
		if _, err := redis.NewMonitor(rdb, client, opt); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := redis.NewMonitor(nil, client); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil Redis client: err = %v, want ErrInvalidInput", err)
	}
}
