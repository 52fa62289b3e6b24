package redis

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/mewskit/mews-go/connection"
	goredis "github.com/redis/go-redis/v9"
)

// tick is how often a replica renews its leases and looks for shards to take.
func (m *Monitor) tick() time.Duration { return m.s.leaseTTL / 3 }

// lead runs the lease rounds until Close.
func (m *Monitor) lead() {
	defer m.wg.Done()
	t := time.NewTicker(m.tick())
	defer t.Stop()
	for {
		m.round()
		select {
		case <-m.ctx.Done():
			return
		case <-t.C:
		}
	}
}

// round is one lease round: announce this replica, renew the leases it holds, and
// take or shed shards so that each live replica leads about shards/replicas of them.
// While Redis cannot be reached it changes nothing: the replica keeps checking the
// shards it led (see Monitor on why that is safe).
func (m *Monitor) round() {
	ctx, cancel := context.WithTimeout(m.ctx, m.tick())
	defer cancel()
	ttl := m.s.leaseTTL.Milliseconds()
	hb, err := heartbeatScript.Run(ctx, m.rdb, []string{m.replicasKey()}, m.name, ttl).Int64Slice()
	if err != nil {
		return // leases run out on their own deadline
	}
	alive, redisNow := max(int(hb[0]), 1), hb[1]
	target := (m.s.shards + alive - 1) / alive

	for _, shard := range m.Leading() {
		m.mu.Lock()
		l := m.leading[shard]
		m.mu.Unlock()
		if l == nil {
			continue
		}
		res, err := renewScript.Run(ctx, m.rdb, []string{m.leaseKey(shard), m.statusKey(shard)}, l.token, ttl).Int64Slice()
		if err != nil {
			continue
		}
		m.mu.Lock()
		if m.leading[shard] == l {
			if res[0] == 0 {
				m.dropLocked(shard, "lease taken by another replica")
			} else if res[1] == 0 || l.dirty {
				l.dirty = !m.resyncLocked(ctx, shard, l)
			}
		}
		m.mu.Unlock()
	}

	leading := m.Leading()
	for i := len(leading) - 1; i >= target; i-- {
		shard := leading[i]
		m.mu.Lock()
		l := m.leading[shard]
		if l != nil {
			m.dropLocked(shard, "handed over to balance the fleet")
		}
		m.mu.Unlock()
		if l != nil {
			releaseScript.Run(ctx, m.rdb, []string{m.leaseKey(shard)}, l.token)
		}
	}

	// A shard is taken only once it was seen free in two rounds in a row: its leader,
	// if alive, renews (or, after Redis lost its data, re-claims) it within one round, so
	// a restart of Redis does not move shards away from leaders that hold their state.
	keys := make([]string, m.s.shards)
	for i := range keys {
		keys[i] = m.leaseKey(i)
	}
	vals, err := m.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return
	}
	wasFree := m.free
	m.free = make(map[int]bool)
	for shard, v := range vals {
		if v == nil {
			m.free[shard] = true
		}
	}
	count := min(len(leading), target)
	start := m.offset()
	for i := 0; i < m.s.shards && count < target; i++ {
		shard := (start + i) % m.s.shards
		if !m.free[shard] || !wasFree[shard] {
			continue
		}
		token := m.name + "|" + randomToken()
		ok, err := m.rdb.SetNX(ctx, m.leaseKey(shard), token, m.s.leaseTTL).Result()
		if err != nil {
			return
		}
		if ok {
			m.take(shard, &lease{token: token,
				from: strconv.FormatInt(redisNow-ttl-m.tick().Milliseconds(), 10) + "-0"})
			count++
		}
	}
}

// offset is where this replica starts looking for free shards, so replicas that start
// together try different shards first.
func (m *Monitor) offset() int {
	h := fnv.New32a()
	h.Write([]byte(m.name))
	return int(h.Sum32() % uint32(m.s.shards))
}

// take starts leading shard: the local Monitor watches (and checks at once) every
// connection of the shard.
func (m *Monitor) take(shard int, l *lease) {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.leading[shard] = l
	n := 0
	for key, creds := range m.conns {
		if m.Shard(key) == shard {
			m.local.Add(key, creds)
			n++
		}
	}
	m.mu.Unlock()
	m.s.log.Info("mews redis: leading a shard", slog.String("replica", m.name), slog.Int("shard", shard), slog.Int("connections", n))
	if m.s.onLeadership != nil {
		m.s.onLeadership(shard, true)
	}
}

// dropLocked stops leading shard: the local Monitor forgets its connections, so no
// check of them runs here any more. m.mu is held.
func (m *Monitor) dropLocked(shard int, why string) {
	delete(m.leading, shard)
	for key := range m.conns {
		if m.Shard(key) == shard {
			m.local.Remove(key)
		}
	}
	m.s.log.Info("mews redis: no longer leading a shard", slog.String("replica", m.name), slog.Int("shard", shard), slog.String("why", why))
	if m.s.onLeadership != nil {
		go m.s.onLeadership(shard, false)
	}
}

// resyncLocked stores every decided status of shard again, because Redis lost them
// (it restarted without persistence) or a write failed while it was unreachable. Only
// statuses that differ from the stored ones are written and announced. It reports
// whether every write went through. m.mu is held.
func (m *Monitor) resyncLocked(ctx context.Context, shard int, l *lease) bool {
	n := 0
	for key := range m.conns {
		if m.Shard(key) != shard {
			continue
		}
		st, ok := m.local.State(key)
		if !ok || st.Status == connection.Unknown {
			continue
		}
		changed, err := m.write(ctx, shard, l.token, key, st.Status, st.Reason, st.Changed)
		if err != nil {
			return false
		}
		if changed {
			n++
		}
	}
	if n > 0 {
		m.s.log.Info("mews redis: stored statuses Redis did not have", slog.Int("shard", shard), slog.Int("statuses", n))
	}
	return true
}

// listen reads the command streams of the shards this replica leads and applies them.
func (m *Monitor) listen() {
	defer m.wg.Done()
	for m.ctx.Err() == nil {
		m.mu.Lock()
		var streams, ids []string
		for shard, l := range m.leading {
			streams = append(streams, m.commandKey(shard))
			ids = append(ids, l.from)
		}
		m.mu.Unlock()
		if len(streams) == 0 {
			m.pause()
			continue
		}
		res, err := m.rdb.XRead(m.ctx, &goredis.XReadArgs{Streams: append(streams, ids...), Block: m.tick(), Count: 256}).Result()
		if errors.Is(err, goredis.Nil) {
			continue
		}
		if err != nil {
			m.pause()
			continue
		}
		for _, st := range res {
			shard, _ := strconv.Atoi(st.Stream[strings.LastIndexByte(st.Stream, ':')+1:])
			for _, msg := range st.Messages {
				m.mu.Lock()
				l := m.leading[shard]
				if l != nil {
					l.from = msg.ID
				}
				m.mu.Unlock()
				if l == nil {
					break
				}
				op, _ := msg.Values["op"].(string)
				key, _ := msg.Values["key"].(string)
				reason, _ := msg.Values["reason"].(string)
				m.apply(command{Op: op, Key: key, Reason: reason})
			}
		}
	}
}

func (m *Monitor) pause() {
	t := time.NewTimer(m.tick())
	defer t.Stop()
	select {
	case <-m.ctx.Done():
	case <-t.C:
	}
}

// subscribe passes the fleet's stored status changes to WithStatusChanges.
func (m *Monitor) subscribe() {
	defer m.wg.Done()
	ps := m.rdb.Subscribe(m.ctx, m.channel())
	defer ps.Close()
	ch := ps.Channel()
	for {
		select {
		case <-m.ctx.Done():
			return
		case msg, ok := <-ch:
			if !ok {
				return
			}
			change, err := parseChange(msg.Payload)
			if err != nil {
				m.s.log.Warn("mews redis: ignoring a malformed status change", slog.Any("error", err))
				continue
			}
			m.s.onStatus(change)
		}
	}
}

// parseChange decodes "previous status\nstored status JSON".
func parseChange(payload string) (StatusChange, error) {
	prev, body, ok := strings.Cut(payload, "\n")
	if !ok {
		return StatusChange{}, fmt.Errorf("no previous status")
	}
	st, err := decodeStatus(body)
	if err != nil {
		return StatusChange{}, err
	}
	p, err := parseStatus(prev)
	return StatusChange{StoredStatus: st, Previous: p}, err
}
