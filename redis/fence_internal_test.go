package redis

import (
	"context"
	"os"
	"testing"

	goredis "github.com/redis/go-redis/v9"
)

// A replica whose lease was taken over writes nothing: the status script compares the
// lease token inside Redis before it writes.
func TestWriteStatus_IsFencedByTheLeaseToken(t *testing.T) {
	addr := os.Getenv("MEWS_REDIS_ADDR")
	if addr == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("MEWS_REDIS_ADDR is not set in CI")
		}
		t.Skip("MEWS_REDIS_ADDR is not set; see README.md")
	}
	rdb := goredis.NewClient(&goredis.Options{Addr: addr})
	defer rdb.Close()
	ctx := context.Background()
	prefix := "mewstest:fence:" + randomToken()[:8] + ":"
	lease, status := prefix+"lease:0", prefix+"status:0"
	rdb.Set(ctx, lease, "new|token", 0)
	defer rdb.Del(ctx, lease, status)

	res, err := writeStatusScript.Run(ctx, rdb, []string{lease, status}, "old|token", "hotel", "Broken", `{"status":"Broken"}`, prefix+"ch").Int()
	if err != nil || res != -1 {
		t.Fatalf("write with a lost lease = %d, %v; want -1 (fenced off)", res, err)
	}
	if n := rdb.HLen(ctx, status).Val(); n != 0 {
		t.Errorf("%d statuses stored by the stale leader, want 0", n)
	}
	res, _ = writeStatusScript.Run(ctx, rdb, []string{lease, status}, "new|token", "hotel", "Broken", `{"status":"Broken"}`, prefix+"ch").Int()
	if res != 1 {
		t.Errorf("write by the lease holder = %d, want 1 (stored, changed)", res)
	}
	res, _ = writeStatusScript.Run(ctx, rdb, []string{lease, status}, "new|token", "hotel", "Broken", `{"status":"Broken"}`, prefix+"ch").Int()
	if res != 0 {
		t.Errorf("the same status again = %d, want 0 (unchanged, not announced)", res)
	}
}
