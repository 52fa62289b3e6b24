package redis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	goredis "github.com/redis/go-redis/v9"
)

// StoredStatus is a connection's status as the fleet stores it in Redis, readable by
// every replica.
type StoredStatus struct {
	Key    string
	Status connection.Status
	// Reason is the text of State.Reason (errors do not travel through Redis).
	Reason string
	// Changed is when the leader saw the status change.
	Changed time.Time
	// Replica is the leader that stored it.
	Replica string
}

// wireStatus is StoredStatus as JSON in Redis; the scripts read its status by name.
type wireStatus struct {
	Key     string    `json:"key"`
	Status  string    `json:"status"`
	Reason  string    `json:"reason,omitempty"`
	Changed time.Time `json:"changed"`
	Replica string    `json:"replica"`
}

func encodeStatus(s StoredStatus) []byte {
	b, _ := json.Marshal(wireStatus{Key: s.Key, Status: s.Status.String(), Reason: s.Reason, Changed: s.Changed, Replica: s.Replica})
	return b
}

func decodeStatus(body string) (StoredStatus, error) {
	var w wireStatus
	if err := json.Unmarshal([]byte(body), &w); err != nil {
		return StoredStatus{}, fmt.Errorf("mews redis: malformed stored status: %w", err)
	}
	st, err := parseStatus(w.Status)
	return StoredStatus{Key: w.Key, Status: st, Reason: w.Reason, Changed: w.Changed, Replica: w.Replica}, err
}

// parseStatus reads a status by the name Status.String gives it.
func parseStatus(name string) (connection.Status, error) {
	for _, s := range []connection.Status{connection.Unknown, connection.Connected, connection.Degraded, connection.Broken} {
		if s.String() == name {
			return s, nil
		}
	}
	return connection.Unknown, fmt.Errorf("mews redis: unknown status %q", name)
}

// StatusChange is one stored status change, as every replica receives it.
type StatusChange struct {
	StoredStatus
	Previous connection.Status
}

// command is what a replica sends to the leader of a shard through the shard's stream.
// It never carries a token.
type command struct {
	Op     string // "report", "check" or "hold"
	Key    string
	Reason string // hold: "disabled", "canceled" or "deleted"
}

// Monitor runs one connection.Monitor per replica and splits the work of a fleet
// between them: the connections are partitioned into a fixed number of shards, each
// with a lease in Redis, and a replica checks only the connections of the shards whose
// lease it holds. Statuses go to Redis, so any replica answers Status and every
// replica hears changes (WithStatusChanges); Report, Check and integration webhooks
// received by any replica reach the leader of the connection's shard.
//
// Every replica must Add (and Update, Remove) the same connections, typically from the
// application's database at start-up and whenever a user edits one: tokens never go to
// Redis.
//
// # Why the leases are correct
//
// A lease is a Redis key holding a random token, set with SET NX PX, so at most one
// replica holds a shard's lease at any moment on Redis' clock, and Redis alone decides
// when it expires. The holder renews it every third of its TTL with a compare-and-extend
// script and stops checking the shard as soon as a renewal finds another token. Every
// status write carries the lease token and is checked against the lease inside the same
// Lua script (fencing): a leader that paused or was cut off, lost its lease and wakes up
// cannot overwrite what the new leader stored; its stale writes are refused, and its
// next renewal makes it stop. When a leader dies, its leases expire within one TTL;
// the other replicas try to take free shards every third of a TTL and check each
// connection of a shard they take at once, so the work resumes within one lease TTL
// plus one check interval.
//
// While a replica cannot reach Redis it keeps checking the shards it led: if Redis is
// down for everybody, nobody can take them over and the checks must go on; if only this
// replica is cut off, the worst is that a connection is checked by two replicas for the
// length of the partition, and only the lease holder's statuses are stored. Statuses
// decided meanwhile are written once Redis answers again; if Redis restarted without
// its data, the leader takes its lease back (nobody holds it) and stores its shard's
// statuses again.
type Monitor struct {
	rdb   goredis.UniversalClient
	s     *settings
	name  string
	local *connection.Monitor
	user  func(connection.Event)

	mu      sync.Mutex
	conns   map[string]connection.Credentials // every connection of the fleet
	leading map[int]*lease
	closed  bool
	free    map[int]bool // shards nobody led in the last round (used by lead only)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// lease is a shard this replica leads.
type lease struct {
	token string
	from  string // stream id to read commands from
	dirty bool   // a status write failed; store the shard again once Redis answers
}

// NewMonitor starts this replica's part of a fleet Monitor. The checks go through
// client (whose limiter should be a shared Limiter). Options: WithMonitorOptions (the
// local connection.Monitor's), WithOnEvent, WithShards, WithLeaseTTL, WithReplicaName,
// WithStatusChanges, WithLeadershipChanges, WithPrefix, WithLogger. Close it when done:
// it gives its shards up at once.
func NewMonitor(rdb goredis.UniversalClient, client *mews.Client, opts ...Option) (*Monitor, error) {
	s, err := newSettings("redis.NewMonitor", opts)
	if err != nil {
		return nil, err
	}
	if rdb == nil {
		return nil, &mews.InputError{Operation: "redis.NewMonitor", Field: "client", Reason: "is nil"}
	}
	name := s.replicaName
	if name == "" {
		host, _ := os.Hostname()
		name = host + "-" + randomToken()[:8]
	}
	m := &Monitor{rdb: rdb, s: s, name: name, user: s.onEvent,
		conns: make(map[string]connection.Credentials), leading: make(map[int]*lease)}
	local := append(slices.Clone(s.monitorOpts), connection.WithOnEvent(m.store))
	if m.local, err = connection.NewMonitor(client, local...); err != nil {
		return nil, err
	}
	m.ctx, m.cancel = context.WithCancel(context.Background())
	m.wg.Add(2)
	go m.lead()
	go m.listen()
	if s.onStatus != nil {
		m.wg.Add(1)
		go m.subscribe()
	}
	return m, nil
}

// Name is this replica's name in leases and stored statuses.
func (m *Monitor) Name() string { return m.name }

// Shard is the shard key belongs to: the same on every replica.
func (m *Monitor) Shard(key string) int { return ShardOf(key, m.s.shards) }

// ShardOf is the shard of key in a fleet of the given number of shards (FNV-1a of the
// key modulo shards), for tools that look at the fleet from outside.
func ShardOf(key string, shards int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(max(shards, 1)))
}

// Leading lists the shards this replica leads, in order.
func (m *Monitor) Leading() []int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]int, 0, len(m.leading))
	for s := range m.leading {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Leaders returns the name of the replica leading each shard ("" for a shard nobody
// leads right now), as Redis sees it.
func (m *Monitor) Leaders(ctx context.Context) ([]string, error) {
	keys := make([]string, m.s.shards)
	for i := range keys {
		keys[i] = m.leaseKey(i)
	}
	vals, err := m.rdb.MGet(ctx, keys...).Result()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		if s, ok := v.(string); ok {
			out[i], _, _ = strings.Cut(s, "|")
		}
	}
	return out, nil
}

// Local is this replica's connection.Monitor, which watches only the connections of
// the shards it leads.
func (m *Monitor) Local() *connection.Monitor { return m.local }

// Add makes key one of the fleet's connections on this replica. The replica that leads
// its shard checks it right away.
func (m *Monitor) Add(key string, creds connection.Credentials) error {
	if key == "" {
		return &mews.InputError{Operation: "redis.Monitor.Add", Field: "key", Reason: "is empty"}
	}
	if err := creds.Validate("redis.Monitor.Add"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return connection.ErrClosed
	}
	if _, ok := m.conns[key]; ok {
		return &mews.InputError{Operation: "redis.Monitor.Add", Field: "key", Reason: "is already watched; use Update to change its credentials"}
	}
	m.conns[key] = creds
	if _, ok := m.leading[m.Shard(key)]; ok {
		return m.local.Add(key, creds)
	}
	return nil
}

// Update replaces key's credentials on this replica. Call it on every replica (the
// new token does not travel through Redis); the leader re-checks key at once.
func (m *Monitor) Update(ctx context.Context, key string, creds connection.Credentials) error {
	if err := creds.Validate("redis.Monitor.Update"); err != nil {
		return err
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return connection.ErrClosed
	}
	if _, ok := m.conns[key]; !ok {
		m.mu.Unlock()
		return connection.ErrNotWatched
	}
	m.conns[key] = creds
	_, leads := m.leading[m.Shard(key)]
	m.mu.Unlock()
	if leads {
		return m.local.Update(key, creds)
	}
	return nil
}

// Remove stops watching key on this replica and, if this replica leads its shard,
// forgets its stored status. Call it on every replica.
func (m *Monitor) Remove(ctx context.Context, key string) bool {
	m.mu.Lock()
	_, ok := m.conns[key]
	delete(m.conns, key)
	shard := m.Shard(key)
	l := m.leading[shard]
	m.mu.Unlock()
	if !ok {
		return false
	}
	if l != nil {
		m.local.Remove(key)
		err := deleteStatusScript.Run(ctx, m.rdb, []string{m.leaseKey(shard), m.statusKey(shard)}, l.token, key).Err()
		if err != nil {
			m.s.log.Warn("mews redis: could not forget a removed connection's status", slog.String("key", key), slog.Any("error", err))
		}
	}
	return true
}

// Report tells the fleet about an error your own call with key's token got, as
// connection.Monitor.Report does: if err says the credentials were rejected, the leader
// of key's shard brings its next check forward. It reports whether it passed err on.
func (m *Monitor) Report(ctx context.Context, key string, err error) (bool, error) {
	if err == nil || !(errors.Is(err, mews.ErrInvalidAuthentication) || errors.Is(err, mews.ErrConnectionNotFound)) {
		return false, nil
	}
	return true, m.send(ctx, command{Op: "report", Key: key})
}

// Check has the leader of key's shard check it now.
func (m *Monitor) Check(ctx context.Context, key string) error {
	return m.send(ctx, command{Op: "check", Key: key})
}

// Hold has the leader of key's shard mark it Broken for reason (one of
// connection.ErrIntegrationDisabled, ErrIntegrationCanceled, ErrIntegrationDeleted)
// without a check, as an integration webhook does.
func (m *Monitor) Hold(ctx context.Context, key string, reason error) error {
	code := holdCode(reason)
	if code == "" {
		return &mews.InputError{Operation: "redis.Monitor.Hold", Field: "reason", Reason: "must be connection.ErrIntegrationDisabled, ErrIntegrationCanceled or ErrIntegrationDeleted"}
	}
	return m.send(ctx, command{Op: "hold", Key: key, Reason: code})
}

func holdCode(reason error) string {
	switch {
	case errors.Is(reason, connection.ErrIntegrationDisabled):
		return "disabled"
	case errors.Is(reason, connection.ErrIntegrationCanceled):
		return "canceled"
	case errors.Is(reason, connection.ErrIntegrationDeleted):
		return "deleted"
	}
	return ""
}

func holdReason(code string) error {
	switch code {
	case "canceled":
		return connection.ErrIntegrationCanceled
	case "deleted":
		return connection.ErrIntegrationDeleted
	}
	return connection.ErrIntegrationDisabled
}

// send applies c here when this replica leads key's shard, and otherwise appends it to
// the shard's command stream, which the leader reads (a new leader reads back one lease
// TTL, so a command sent during a takeover is not lost).
func (m *Monitor) send(ctx context.Context, c command) error {
	m.mu.Lock()
	_, ok := m.conns[c.Key]
	shard := m.Shard(c.Key)
	_, leads := m.leading[shard]
	m.mu.Unlock()
	if !ok {
		return connection.ErrNotWatched
	}
	if leads {
		m.apply(c)
		return nil
	}
	return m.rdb.XAdd(ctx, &goredis.XAddArgs{
		Stream: m.commandKey(shard), MaxLen: 10_000, Approx: true,
		Values: []any{"op", c.Op, "key", c.Key, "reason", c.Reason},
	}).Err()
}

// apply carries out a command on the local Monitor. A key this replica does not lead
// (any more) is ignored: its new leader checks it anyway.
func (m *Monitor) apply(c command) {
	var err error
	switch c.Op {
	case "report":
		m.local.Report(c.Key, mews.ErrInvalidAuthentication)
	case "check":
		err = m.local.Check(c.Key)
	case "hold":
		err = m.local.Hold(c.Key, holdReason(c.Reason))
	}
	if err != nil && !errors.Is(err, connection.ErrNotWatched) && !errors.Is(err, connection.ErrClosed) {
		m.s.log.Warn("mews redis: a forwarded command failed", slog.String("op", c.Op), slog.String("key", c.Key), slog.Any("error", err))
	}
}

// Status returns key's status as stored by its leader; ok is false when no leader
// has stored one yet.
func (m *Monitor) Status(ctx context.Context, key string) (st StoredStatus, ok bool, err error) {
	v, err := m.rdb.HGet(ctx, m.statusKey(m.Shard(key)), key).Result()
	if errors.Is(err, goredis.Nil) {
		return StoredStatus{}, false, nil
	}
	if err != nil {
		return StoredStatus{}, false, err
	}
	st, err = decodeStatus(v)
	if err != nil {
		return StoredStatus{}, false, err
	}
	return st, true, nil
}

// Close gives up this replica's leases (so the other replicas take its shards at
// their next attempt instead of after a TTL), stops its checks and waits for them.
func (m *Monitor) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
	m.local.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	m.mu.Lock()
	defer m.mu.Unlock()
	for shard, l := range m.leading {
		releaseScript.Run(ctx, m.rdb, []string{m.leaseKey(shard)}, l.token)
		delete(m.leading, shard)
	}
	m.rdb.ZRem(ctx, m.replicasKey(), m.name)
	return nil
}

func (m *Monitor) leaseKey(shard int) string   { return m.s.prefix + "lease:" + strconv.Itoa(shard) }
func (m *Monitor) statusKey(shard int) string  { return m.s.prefix + "status:" + strconv.Itoa(shard) }
func (m *Monitor) commandKey(shard int) string { return m.s.prefix + "commands:" + strconv.Itoa(shard) }
func (m *Monitor) channel() string             { return m.s.prefix + "status-changes" }
func (m *Monitor) replicasKey() string         { return m.s.prefix + "replicas" }

func randomToken() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// store writes a status change of the local Monitor to Redis under the shard's lease
// and passes it to the user's OnEvent if the fleet had not stored it already.
func (m *Monitor) store(ev connection.Event) {
	shard := m.Shard(ev.Key)
	m.mu.Lock()
	l := m.leading[shard]
	m.mu.Unlock()
	if l == nil {
		return // the shard changed hands; its new leader checks and stores
	}
	changed, err := m.write(m.ctx, shard, l.token, ev.Key, ev.Status, ev.Reason, ev.Time)
	if err != nil {
		m.mu.Lock()
		l.dirty = true
		m.mu.Unlock()
		m.s.log.Warn("mews redis: could not store a status; it is stored again once Redis is back",
			slog.String("key", ev.Key), slog.String("status", ev.Status.String()), slog.Any("error", err))
		return
	}
	if changed && m.user != nil {
		m.user(ev)
	}
}

// write stores one status, fenced by token. It reports whether the stored status changed.
func (m *Monitor) write(ctx context.Context, shard int, token, key string, st connection.Status, reason error, at time.Time) (bool, error) {
	v := StoredStatus{Key: key, Status: st, Changed: at.UTC(), Replica: m.name}
	if reason != nil {
		v.Reason = reason.Error()
	}
	body := encodeStatus(v)
	res, err := writeStatusScript.Run(ctx, m.rdb, []string{m.leaseKey(shard), m.statusKey(shard)},
		token, key, st.String(), body, m.channel()).Int()
	return res == 1, err
}
