// Command portal-fleet runs three replicas of a Portal service in one process, against
// the in-process fake Mews (mewstest) and a local Redis, and shows what the redis
// package shares between them: one token's rate budget (each replica's share of the
// requests, the fleet's use of the budget, the 429s, which should be none), the health
// Monitor's shards (which replica leads each), and the takeover when the leader of a
// shard dies.
//
//	.ci/redis start
//	cd redis && go run ./examples/portal-fleet -redis 127.0.0.1:6390
//
// The fake's budget is scaled down from Mews' 200 per 30 s to 40 per second, so the
// run takes seconds.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
	goredis "github.com/redis/go-redis/v9"
)

const (
	limit    = 40
	per      = time.Second
	margin   = 200 * time.Millisecond
	shards   = 6
	leaseTTL = time.Second
	interval = 2 * time.Second
)

type replica struct {
	name   string
	rdb    *goredis.Client
	client *mews.Client
	mon    *redis.Monitor
}

func main() {
	addr := flag.String("redis", "127.0.0.1:6390", "Redis address")
	hotels := flag.Int("hotels", 60, "connections the fleet monitors")
	drive := flag.Duration("drive", 3*time.Second, "how long the replicas drive one token")
	flag.Parse()
	if err := run(*addr, *hotels, *drive); err != nil {
		fmt.Fprintln(os.Stderr, "portal-fleet:", err)
		os.Exit(1)
	}
}

func run(addr string, hotels int, drive time.Duration) error {
	ctx := context.Background()
	srv := mewstest.NewServer()
	defer srv.Close()
	srv.SetRateLimit(limit, per)
	tokens := make([]string, hotels)
	for i := range tokens {
		tokens[i] = srv.AddAccessToken(mewstest.EnterpriseID)
	}
	suffix := make([]byte, 4)
	rand.Read(suffix)
	prefix := "portal-fleet:" + hex.EncodeToString(suffix) + ":"
	defer cleanUp(addr, prefix)

	var replicas []*replica
	for _, name := range []string{"replica-A", "replica-B", "replica-C"} {
		r, err := start(addr, prefix, name, srv.URL, tokens)
		if err != nil {
			return err
		}
		defer r.mon.Close()
		replicas = append(replicas, r)
	}
	if err := waitFor(5*time.Second, func() bool { return led(replicas) == shards }); err != nil {
		return fmt.Errorf("the replicas did not share the shards: %w", err)
	}

	fmt.Printf("Three replicas drive one AccessToken for %v (budget %d per %v):\n", drive, limit, per)
	startAt := time.Now()
	counts := make([]int, len(replicas))
	var wg sync.WaitGroup
	for i, r := range replicas {
		wg.Go(func() { counts[i] = hammer(r.client, startAt.Add(drive)) })
	}
	wg.Wait()
	ok, throttled := 0, 0
	for _, req := range srv.RequestsFor("configuration/get") {
		if strings.Contains(string(req.Body), mewstest.AccessToken) && !req.Time.Before(startAt) {
			switch req.Status {
			case 200:
				ok++
			case 429:
				throttled++
			}
		}
	}
	for i, r := range replicas {
		fmt.Printf("  %s sent %3d requests (%4.1f %%)\n", r.name, counts[i], 100*float64(counts[i])/float64(max(ok, 1)))
	}
	budget := float64(limit) * drive.Seconds() / per.Seconds()
	fmt.Printf("  fleet: %d requests, %.1f %% of the budget, %d × 429\n\n", ok, 100*float64(ok)/budget, throttled)

	leaders, err := replicas[0].mon.Leaders(ctx)
	if err != nil {
		return err
	}
	printLeaders("Shard leaders:", leaders)
	st, _, err := replicas[2].mon.Status(ctx, "hotel-0")
	if err != nil {
		return err
	}
	fmt.Printf("hotel-0 as %s reads it from Redis: %s (stored by %s)\n\n", replicas[2].name, st.Status, st.Replica)

	victim := leaders[0]
	fmt.Printf("%s, leader of shard 0, dies (its Redis connection drops; its leases are left to expire)\n", victim)
	died := time.Now()
	for _, r := range replicas {
		if r.name == victim {
			r.rdb.Close()
			r.mon.Close()
		}
	}
	var after []string
	err = waitFor(leaseTTL+interval+2*time.Second, func() bool {
		after, _ = replicas[slices.IndexFunc(replicas, func(r *replica) bool { return r.name != victim })].mon.Leaders(ctx)
		return !slices.Contains(after, victim) && !slices.Contains(after, "")
	})
	if err != nil {
		return fmt.Errorf("no takeover: %w", err)
	}
	fmt.Printf("every shard has a live leader again after %v (lease TTL %v, check interval %v)\n", time.Since(died).Round(10*time.Millisecond), leaseTTL, interval)
	printLeaders("Shard leaders after the takeover:", after)
	return nil
}

func start(addr, prefix, name, url string, tokens []string) (*replica, error) {
	rdb := goredis.NewClient(&goredis.Options{Addr: addr})
	lim, err := redis.NewLimiter(rdb, redis.WithPrefix(prefix), redis.WithReplicas(3),
		redis.WithRule(mews.RateRule{Limit: limit, Per: per, Margin: margin}))
	if err != nil {
		return nil, err
	}
	client, err := mews.NewClient(mews.WithBaseURL(url), mews.WithClientToken(mewstest.ClientToken),
		mews.WithClientName(mewstest.ClientName), mews.WithLimiter(lim), mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		return nil, err
	}
	mon, err := redis.NewMonitor(rdb, client, redis.WithMonitorOptions(connection.WithInterval(interval)), redis.WithPrefix(prefix),
		redis.WithShards(shards), redis.WithLeaseTTL(leaseTTL), redis.WithReplicaName(name))
	if err != nil {
		return nil, err
	}
	for i, tok := range tokens {
		creds, err := connection.ConnectorCredentials(tok)
		if err != nil {
			return nil, err
		}
		if err := mon.Add(fmt.Sprintf("hotel-%d", i), creds); err != nil {
			return nil, err
		}
	}
	return &replica{name: name, rdb: rdb, client: client, mon: mon}, nil
}

// hammer calls configuration/get with the seeded token from 8 goroutines until the
// deadline and returns how many calls went through.
func hammer(client *mews.Client, until time.Time) int {
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		panic(err) // the seeded token is valid
	}
	var mu sync.Mutex
	n := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for time.Now().Before(until) {
				ctx, cancel := context.WithDeadline(context.Background(), until)
				res, _ := connection.Validate(ctx, conn)
				cancel()
				if res.Status == connection.Connected {
					mu.Lock()
					n++
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	return n
}

func led(rs []*replica) int {
	n := 0
	for _, r := range rs {
		n += len(r.mon.Leading())
	}
	return n
}

func printLeaders(title string, leaders []string) {
	fmt.Println(title)
	for shard, name := range leaders {
		fmt.Printf("  shard %d: %s\n", shard, name)
	}
}

func waitFor(timeout time.Duration, cond func() bool) error {
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// cleanUp removes the keys of this run.
func cleanUp(addr, prefix string) {
	rdb := goredis.NewClient(&goredis.Options{Addr: addr})
	defer rdb.Close()
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		rdb.Del(ctx, iter.Val())
	}
}
