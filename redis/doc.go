// Package redis lets several replicas of a service built on mews-go share, through one
// Redis, what a single process keeps in memory: each AccessToken's rate budget, the
// health Monitor's work and statuses, and the inbound endpoint's memory of accepted
// messageIds. It is a module of its own (github.com/mewskit/mews-go/redis), so that
// programs that run one replica do not depend on a Redis client.
//
// The algorithms run inside Redis as Lua scripts, atomically and on Redis' clock
// (TIME), so the replicas' clocks do not matter.
//
//   - Limiter is a mews.Limiter with the in-process limiter's exact sliding window
//     (mews.RateRule: margin and health-check share included), keyed by the SDK's
//     limiter keys, which are hashes of the tokens. If Redis is unreachable it falls
//     back to 1/N of each budget per replica (WithReplicas), or fails closed
//     (WithFailClosed).
//   - Monitor splits the connections into shards, each led by one replica through a
//     lease, stores statuses in Redis for every replica to read and announces changes
//     over pub/sub; Report, Check, Hold and integration webhooks reach the leader.
//   - DedupStore is an inbound.DedupStore: a push Mews redelivers to another replica
//     is acknowledged with the first answer instead of being applied twice.
//
// Wiring one replica:
//
//	rdb := goredis.NewClient(&goredis.Options{Addr: os.Getenv("REDIS_ADDR")})
//	lim, err := redis.NewLimiter(rdb, redis.WithReplicas(3))
//	client, err := mews.NewClient(mews.WithClientToken(clientToken), mews.WithClientName(name),
//		mews.WithLimiter(lim))
//	mon, err := redis.NewMonitor(rdb, client, redis.WithMonitorOptions(connection.WithInterval(5*time.Minute)))
//	for _, h := range hotelsFromYourDatabase {
//		mon.Add(h.ID, h.Credentials) // every replica adds every hotel; tokens stay in the process
//	}
//	st, ok, err := mon.Status(ctx, "hotel-42") // any replica answers
//
//	store, err := redis.NewDedupStore(rdb)
//	h, err := inbound.NewHandler(clientToken, receiver, inbound.WithDedupStore(store))
//
// Redis keys live under WithPrefix (default "mews:"): limit:<key> (a list of admission
// times, expiring one window after the last), dedup:<id>, lease:<shard>,
// status:<shard> (a hash of connection key to status JSON), commands:<shard> (a
// stream), replicas (a sorted set) and the status-changes channel.
package redis
