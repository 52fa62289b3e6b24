package redis

import (
	"context"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	goredis "github.com/redis/go-redis/v9"
)

// beginScript claims a messageId: it answers the remembered reply if the id was
// accepted, busy if a replica is processing it, and otherwise marks it busy for a
// bounded time. Returns {0} new, {1, reply} accepted, {2} busy.
var beginScript = goredis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == 'busy' then return {2, 0} end
if v then return {1, tonumber(v)} end
redis.call('SET', KEYS[1], 'busy', 'PX', ARGV[1])
return {0, 0}
`)

// finishScript records an accepted id with its reply, or forgets a refused one.
// ARGV: accepted (1 or 0), reply, TTL in ms.
var finishScript = goredis.NewScript(`
if ARGV[1] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
elseif redis.call('GET', KEYS[1]) == 'busy' then
  redis.call('DEL', KEYS[1])
end
return 1
`)

// DedupStore is an inbound.DedupStore in Redis: every replica behind the load balancer
// sees the same accepted messageIds, so a push Mews redelivers to another replica is
// acknowledged with the first answer instead of being applied twice. Each id is one
// string key with a TTL (WithDedupTTL); an id being processed is claimed for at most
// WithDedupBusyTTL, so a replica that dies mid-push does not block its redelivery.
type DedupStore struct {
	rdb goredis.UniversalClient
	s   *settings
}

var _ inbound.DedupStore = (*DedupStore)(nil)

// NewDedupStore returns a DedupStore on rdb. Options: WithDedupTTL, WithDedupBusyTTL,
// WithPrefix. Use it with inbound.WithDedupStore.
func NewDedupStore(rdb goredis.UniversalClient, opts ...Option) (*DedupStore, error) {
	s, err := newSettings("redis.NewDedupStore", opts)
	if err != nil {
		return nil, err
	}
	if rdb == nil {
		return nil, &mews.InputError{Operation: "redis.NewDedupStore", Field: "client", Reason: "is nil"}
	}
	return &DedupStore{rdb: rdb, s: s}, nil
}

func (d *DedupStore) key(id string) string { return d.s.prefix + "dedup:" + id }

// Begin claims id unless a replica accepted it or is processing it.
func (d *DedupStore) Begin(ctx context.Context, id string) (inbound.DedupState, inbound.Reply, error) {
	res, err := beginScript.Run(ctx, d.rdb, []string{d.key(id)}, d.s.dedupBusyTTL.Milliseconds()).Int64Slice()
	if err != nil {
		return inbound.DedupNew, inbound.Done, err
	}
	switch res[0] {
	case 1:
		return inbound.DedupAccepted, inbound.Reply(res[1]), nil
	case 2:
		return inbound.DedupBusy, inbound.Done, nil
	}
	return inbound.DedupNew, inbound.Done, nil
}

// Finish remembers an accepted id with its reply for the TTL, or releases a refused one
// so that Mews' redelivery is processed again.
func (d *DedupStore) Finish(ctx context.Context, id string, accepted bool, reply inbound.Reply) error {
	flag := "0"
	if accepted {
		flag = "1"
	}
	return finishScript.Run(ctx, d.rdb, []string{d.key(id)}, flag, int64(reply), durMS(d.s.dedupTTL)).Err()
}

func durMS(d time.Duration) int64 { return max(d.Milliseconds(), 1) }
