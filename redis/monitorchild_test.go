package redis_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
)

const (
	processLeaseTTL = time.Second
	processInterval = 2 * time.Second
)

// runMonitorChild is one replica process of TestFleet_KillingTheLeaderProcess…: a fleet
// Monitor over the hotels in MEWS_TOKENS that prints every shard it takes. It runs
// until it is killed, or 60 s at most.
func runMonitorChild() int {
	rdb := newRedisClient(os.Getenv(redisAddrEnv))
	client, err := mews.NewClient(mews.WithBaseURL(os.Getenv("MEWS_FAKE_URL")), mews.WithClientToken(mewstest.ClientToken),
		mews.WithClientName(mewstest.ClientName), mews.WithoutRateLimit())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	m, err := redis.NewMonitor(rdb, client, redis.WithMonitorOptions(connection.WithInterval(processInterval)),
		redis.WithPrefix(os.Getenv("MEWS_PREFIX")), redis.WithShards(testShards), redis.WithLeaseTTL(processLeaseTTL),
		redis.WithReplicaName(os.Getenv("MEWS_CHILD_NAME")),
		redis.WithLeadershipChanges(func(shard int, leading bool) {
			if leading {
				fmt.Printf("lead %d\n", shard)
			}
		}))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	for i, tok := range strings.Split(os.Getenv("MEWS_TOKENS"), ",") {
		creds, _ := connection.ConnectorCredentials(tok)
		m.Add(hotelKey(i), creds)
	}
	time.Sleep(60 * time.Second)
	return 0
}

func TestFleet_KillingTheLeaderProcessHandsItsShardsOverWithinTheBound(t *testing.T) {
	rdb, prefix := testRedis(t)
	srv := mewstest.NewServer()
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 24)
	cmds, _ := startChildren(t, 3, "monitor", "MEWS_FAKE_URL="+srv.URL, "MEWS_PREFIX="+prefix,
		"MEWS_TOKENS="+strings.Join(tokens, ","))
	leaders := func() []string {
		keys := make([]string, testShards)
		for i := range keys {
			keys[i] = fmt.Sprintf("%slease:%d", prefix, i)
		}
		vals := rdb.MGet(t.Context(), keys...).Val()
		out := make([]string, len(vals))
		for i, v := range vals {
			if s, ok := v.(string); ok {
				out[i], _, _ = strings.Cut(s, "|")
			}
		}
		return out
	}
	eventually(t, 10*time.Second, "the three processes do not share the shards", func() bool {
		l := leaders()
		for _, name := range []string{"replica-0", "replica-1", "replica-2"} {
			if count(l, name) != testShards/3 {
				return false
			}
		}
		return true
	})
	victim := leaders()[0]
	var victimShards []int
	for shard, name := range leaders() {
		if name == victim {
			victimShards = append(victimShards, shard)
		}
	}
	var idx int
	fmt.Sscanf(victim, "replica-%d", &idx)
	killed := time.Now()
	if err := cmds[idx].Process.Kill(); err != nil {
		t.Fatal(err)
	}
	eventually(t, processLeaseTTL+processInterval+2*time.Second, "the dead leader's shards were not taken over", func() bool {
		l := leaders()
		for _, s := range victimShards {
			if l[s] == "" || l[s] == victim {
				return false
			}
		}
		return true
	})
	takeover := time.Since(killed)
	// Every hotel of those shards is checked again by its new leader.
	var waiting []string
	for i, tok := range tokens {
		if slices.Contains(victimShards, redis.ShardOf(hotelKey(i), testShards)) {
			waiting = append(waiting, tok)
		}
	}
	var resumed time.Duration
	eventually(t, processLeaseTTL+processInterval+2*time.Second, "the dead leader's hotels were not checked again", func() bool {
		seen := map[string]time.Time{}
		for _, r := range srv.RequestsFor("configuration/get") {
			if r.Time.After(killed) {
				for _, tok := range waiting {
					if _, ok := seen[tok]; !ok && strings.Contains(string(r.Body), tok) {
						seen[tok] = r.Time
					}
				}
			}
		}
		if len(seen) < len(waiting) {
			return false
		}
		for _, at := range seen {
			resumed = max(resumed, at.Sub(killed))
		}
		return true
	})
	bound := processLeaseTTL + processInterval
	t.Logf("killed %s (shards %v): taken over after %v, its %d hotels all checked again after %v (bound: lease TTL %v + interval %v)",
		victim, victimShards, takeover.Round(time.Millisecond), len(waiting), resumed.Round(time.Millisecond), processLeaseTTL, processInterval)
	if resumed > bound {
		t.Errorf("checks resumed %v after the leader died, want within %v", resumed, bound)
	}
}

func count(names []string, name string) int {
	n := 0
	for _, x := range names {
		if x == name {
			n++
		}
	}
	return n
}
