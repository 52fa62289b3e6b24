package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// redisAddrEnv names the variable that points the tests at a real Redis; .ci/redis
// starts one (see README.md).
const redisAddrEnv = "MEWS_REDIS_ADDR"

// testRedis returns a client for the Redis at $MEWS_REDIS_ADDR and a key prefix of the
// test's own, so tests never see each other's keys. Without the variable the test is
// skipped, except in CI, where that is a failure.
func testRedis(t testing.TB) (*goredis.Client, string) {
	t.Helper()
	addr := os.Getenv(redisAddrEnv)
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set in CI: .ci/run must start Redis (.ci/redis start)", redisAddrEnv)
		}
		t.Skipf("%s is not set; run `.ci/redis start` and set %s=127.0.0.1:6390 to run this test", redisAddrEnv, redisAddrEnv)
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: 2 * time.Second, WriteTimeout: 2 * time.Second})
	t.Cleanup(func() { rdb.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("Redis at %s does not answer: %v", addr, err)
	}
	return rdb, uniquePrefix(t)
}

func uniquePrefix(t testing.TB) string {
	b := make([]byte, 4)
	rand.Read(b)
	name := strings.NewReplacer("/", ".", " ", "_").Replace(t.Name())
	return "mewstest:" + name + ":" + hex.EncodeToString(b) + ":"
}
