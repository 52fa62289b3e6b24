package redis_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
	goredis "github.com/redis/go-redis/v9"
)

// BenchmarkLimiterWait measures one Wait that is not throttled: one EVALSHA round
// trip to Redis on loopback. 1,000 keys share the admissions under a budget too large
// to fill, and a window of 1 s, so each key's list stays as short as a busy token's.
func BenchmarkLimiterWait(b *testing.B) {
	rdb, prefix := testRedis(b)
	lim, err := redis.NewLimiter(rdb, redis.WithPrefix(prefix), redis.WithRule(mews.RateRule{Limit: 1 << 30, Per: time.Second}))
	if err != nil {
		b.Fatal(err)
	}
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = "connector:bench" + strconv.Itoa(i)
	}
	ctx := context.Background()
	lim.Wait(ctx, mews.LimitRequest{Key: keys[0]}) // load the script
	var took []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if err := lim.Wait(ctx, mews.LimitRequest{Key: keys[i%len(keys)]}); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		i++
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "median-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkFleetChecks measures how many checks per second 10,000 connections get
// with an Interval (100 ms) short enough that the Monitors never idle, from one process's
// connection.Monitor and from a fleet of three replicas (three Monitors, one Redis),
// all in this process on the in-process fake. It also reports the Redis memory the
// fleet's statuses take per connection. Run it with -benchtime=1x.
func BenchmarkFleetChecks(b *testing.B) {
	const conns = 10_000
	const runFor = 5 * time.Second
	b.Run("one-process", func(b *testing.B) {
		for b.Loop() {
			srv := mewstest.NewServer(mewstest.WithInProcess())
			tokens := hotels(srv, conns)
			client, _ := srv.NewClient(mews.WithoutRateLimit())
			m, err := connection.NewMonitor(client, connection.WithInterval(100*time.Millisecond), connection.WithJitter(time.Millisecond), connection.WithConcurrency(24))
			if err != nil {
				b.Fatal(err)
			}
			for i, tok := range tokens {
				creds, _ := connection.ConnectorCredentials(tok)
				m.Add(hotelKey(i), creds)
			}
			time.Sleep(runFor)
			b.ReportMetric(float64(m.Stats().Checks)/runFor.Seconds(), "checks/s")
			m.Close()
			srv.Close()
		}
	})
	b.Run("three-replicas", func(b *testing.B) {
		for b.Loop() {
			rdb, prefix := testRedis(b)
			srv := mewstest.NewServer(mewstest.WithInProcess())
			tokens := hotels(srv, conns)
			var ms []*redis.Monitor
			for r := range 3 {
				client, _ := srv.NewClient(mews.WithoutRateLimit())
				m, err := redis.NewMonitor(newRedisClient(os.Getenv(redisAddrEnv)), client,
					redis.WithMonitorOptions(connection.WithInterval(100*time.Millisecond), connection.WithJitter(time.Millisecond), connection.WithConcurrency(8)),
					redis.WithPrefix(prefix), redis.WithReplicaName(fmt.Sprint("r", r)), redis.WithLeaseTTL(time.Second))
				if err != nil {
					b.Fatal(err)
				}
				for i, tok := range tokens {
					creds, _ := connection.ConnectorCredentials(tok)
					m.Add(hotelKey(i), creds)
				}
				ms = append(ms, m)
			}
			time.Sleep(runFor)
			var checks uint64
			for _, m := range ms {
				checks += m.Local().Stats().Checks
			}
			b.ReportMetric(float64(checks)/runFor.Seconds(), "checks/s")
			b.ReportMetric(float64(statusBytes(b, rdb, prefix))/conns, "status-B/conn")
			for _, m := range ms {
				m.Close()
			}
			srv.Close()
		}
	})
}

// statusBytes sums MEMORY USAGE over the fleet's status hashes.
func statusBytes(b *testing.B, rdb *goredis.Client, prefix string) int64 {
	var total int64
	for shard := range redis.DefaultShards {
		n, err := rdb.MemoryUsage(context.Background(), fmt.Sprintf("%sstatus:%d", prefix, shard), 0).Result()
		if err != nil && err != goredis.Nil {
			b.Fatal(err)
		}
		total += n
	}
	return total
}

// BenchmarkRedisMemory reports the Redis memory of one token's full window (200
// admissions, Mews' budget) and of one remembered inbound messageId.
func BenchmarkRedisMemory(b *testing.B) {
	rdb, prefix := testRedis(b)
	ctx := context.Background()
	n := 0
	for b.Loop() {
		n++
		prefix := prefix + strconv.Itoa(n) + ":"
		lim, _ := redis.NewLimiter(rdb, redis.WithPrefix(prefix))
		for range 200 {
			lim.Wait(ctx, mews.LimitRequest{Key: "connector:full", Priority: mews.PriorityHealthCheck})
		}
		lim.Wait(ctx, mews.LimitRequest{Key: "connector:one"})
		full := rdb.MemoryUsage(ctx, prefix+"limit:connector:full", 0).Val()
		one := rdb.MemoryUsage(ctx, prefix+"limit:connector:one", 0).Val()
		store, _ := redis.NewDedupStore(rdb, redis.WithPrefix(prefix))
		id := "updatePrices\x006e550000-0000-4000-9000-000000000001"
		store.Begin(ctx, id)
		store.Finish(ctx, id, true, 0)
		dedup := rdb.MemoryUsage(ctx, prefix+"dedup:"+id, 0).Val()
		b.ReportMetric(float64(full), "B/token-full-window")
		b.ReportMetric(float64(one), "B/token-one-admission")
		b.ReportMetric(float64(dedup), "B/messageId")
	}
}
