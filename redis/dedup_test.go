package redis_test

import (
	"errors"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/redis"
)

func TestDedupStore_AcceptedIDIsAnsweredWithItsReplyByAnotherReplica(t *testing.T) {
	rdb, prefix := testRedis(t)
	a, _ := redis.NewDedupStore(rdb, redis.WithPrefix(prefix))
	b, _ := redis.NewDedupStore(rdb, redis.WithPrefix(prefix))
	ctx := t.Context()

	if st, _, err := a.Begin(ctx, "updatePrices\x00m1"); err != nil || st != inbound.DedupNew {
		t.Fatalf("first Begin = %v, %v; want new", st, err)
	}
	if st, _, _ := b.Begin(ctx, "updatePrices\x00m1"); st != inbound.DedupBusy {
		t.Errorf("Begin on another replica while processing = %v, want busy", st)
	}
	if err := a.Finish(ctx, "updatePrices\x00m1", true, inbound.Async); err != nil {
		t.Fatal(err)
	}
	st, reply, err := b.Begin(ctx, "updatePrices\x00m1")
	if err != nil || st != inbound.DedupAccepted || reply != inbound.Async {
		t.Errorf("Begin after acceptance = %v, %v, %v; want accepted with async", st, reply, err)
	}
}

func TestDedupStore_RefusedIDIsProcessedAgain(t *testing.T) {
	rdb, prefix := testRedis(t)
	d, _ := redis.NewDedupStore(rdb, redis.WithPrefix(prefix))
	ctx := t.Context()
	d.Begin(ctx, "m")
	if err := d.Finish(ctx, "m", false, inbound.Done); err != nil {
		t.Fatal(err)
	}
	if st, _, _ := d.Begin(ctx, "m"); st != inbound.DedupNew {
		t.Errorf("Begin after a refusal = %v, want new", st)
	}
}

func TestDedupStore_AClaimOfADeadReplicaExpires(t *testing.T) {
	rdb, prefix := testRedis(t)
	d, _ := redis.NewDedupStore(rdb, redis.WithPrefix(prefix), redis.WithDedupBusyTTL(50*time.Millisecond))
	ctx := t.Context()
	d.Begin(ctx, "m") // the replica dies without Finish
	// Redis expires the claim on its own clock; wait for the key to be gone.
	for deadline := time.Now().Add(2 * time.Second); rdb.Exists(ctx, prefix+"dedup:m").Val() == 1; {
		if time.Now().After(deadline) {
			t.Fatal("the claim did not expire")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if st, _, _ := d.Begin(ctx, "m"); st != inbound.DedupNew {
		t.Errorf("Begin after the claim expired = %v, want new", st)
	}
}

func TestNewDedupStore_RejectsBadOptions(t *testing.T) {
	rdb, _ := testRedis(t)
	for name, opt := range map[string]redis.Option{
		"zero TTL":      redis.WithDedupTTL(0),
		"zero busy TTL": redis.WithDedupBusyTTL(0),
		"empty prefix":  redis.WithPrefix(""),
	} {
		if _, err := redis.NewDedupStore(rdb, opt); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := redis.NewDedupStore(nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil client: err = %v, want ErrInvalidInput", err)
	}
}
