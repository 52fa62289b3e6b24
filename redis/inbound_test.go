package redis_test

import (
	"context"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/redis"
)

// countingReceiver counts the restriction pushes it applies; each takes delay.
type countingReceiver struct {
	inbound.OptionalOperations
	applied *atomic.Int64
	delay   time.Duration
}

func (r countingReceiver) UpdatePrices(context.Context, *inbound.PricesUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

func (r countingReceiver) UpdateAvailability(context.Context, *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

func (r countingReceiver) UpdateRestrictions(context.Context, *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	time.Sleep(r.delay)
	r.applied.Add(1)
	return inbound.Async, nil
}

func (r countingReceiver) ConfirmGroup(context.Context, *inbound.BookingConfirmation) error {
	return nil
}

// replicaEndpoints are n inbound Handlers sharing one Redis DedupStore, each reached by
// Mews through its own Endpoint, as replicas behind a load balancer are.
func replicaEndpoints(t *testing.T, n int, delay time.Duration) ([]*mewstest.Endpoint, *atomic.Int64) {
	rdb, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	applied := new(atomic.Int64)
	var eps []*mewstest.Endpoint
	for range n {
		store, err := redis.NewDedupStore(rdb, redis.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, countingReceiver{applied: applied, delay: delay}, inbound.WithDedupStore(store))
		if err != nil {
			t.Fatal(err)
		}
		eps = append(eps, srv.NewEndpoint("https://chm.example/mews", mewstest.WithEndpointHandler(h)))
	}
	return eps, applied
}

func restrictionsPush(t *testing.T) []byte {
	b, err := os.ReadFile("testdata/updateRestrictions.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDedup_ARedeliveryToAnotherReplicaIsNotProcessedTwice(t *testing.T) {
	eps, applied := replicaEndpoints(t, 3, 0)
	body := restrictionsPush(t)
	for i, ep := range eps {
		d, err := ep.Push(t.Context(), "updateRestrictions", body)
		if err != nil || !d.Accepted || !d.Async {
			t.Fatalf("delivery to replica %d: %+v, %v; want accepted with the first answer (async)", i, d, err)
		}
	}
	if n := applied.Load(); n != 1 {
		t.Errorf("the push was applied %d times by 3 replicas, want once", n)
	}
}

func TestDedup_ConcurrentRedeliveriesAreProcessedOnce(t *testing.T) {
	eps, applied := replicaEndpoints(t, 3, 100*time.Millisecond)
	body := restrictionsPush(t)
	var wg sync.WaitGroup
	accepted := new(atomic.Int64)
	for _, ep := range eps {
		wg.Go(func() {
			if d, err := ep.Push(t.Context(), "updateRestrictions", body); err == nil && d.Accepted {
				accepted.Add(1)
			}
		})
	}
	wg.Wait()
	if n := applied.Load(); n != 1 || accepted.Load() != 1 {
		t.Errorf("3 concurrent deliveries: applied %d times, %d accepted; want one applied and accepted, two told to retry", n, accepted.Load())
	}
	for i, ep := range eps { // Mews redelivers the two it was told to retry
		if d, err := ep.Push(t.Context(), "updateRestrictions", body); err != nil || !d.Accepted || !d.Async {
			t.Errorf("redelivery to replica %d: %+v, %v; want the first answer", i, d, err)
		}
	}
	if n := applied.Load(); n != 1 {
		t.Errorf("applied %d times after the redeliveries, want once", n)
	}
}
