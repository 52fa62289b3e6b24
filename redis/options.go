package redis

import (
	"log/slog"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
)

// Defaults of the options below.
const (
	DefaultPrefix        = "mews:"
	DefaultReplicas      = 3
	DefaultProbeInterval = time.Second
	DefaultDedupTTL      = 24 * time.Hour
	DefaultDedupBusyTTL  = 2 * time.Minute
	DefaultShards        = 16
	DefaultLeaseTTL      = 10 * time.Second
)

// Option configures NewLimiter, NewDedupStore and NewMonitor. Each constructor uses the
// options that concern it and ignores the rest, so one list can serve all three.
type Option func(*settings) error

type settings struct {
	prefix       string
	rule         mews.RateRule
	replicas     int
	failClosed   bool
	probe        time.Duration
	log          *slog.Logger
	dedupTTL     time.Duration
	dedupBusyTTL time.Duration
	shards       int
	leaseTTL     time.Duration
	replicaName  string
	onStatus     func(StatusChange)
	onEvent      func(connection.Event)
	monitorOpts  []connection.Option
	webhookMax   int64
	onWebhook    func(ev connection.IntegrationEvent, key string) error
	onLeadership func(shard int, leading bool)
}

func newSettings(op string, opts []Option) (*settings, error) {
	s := &settings{
		prefix:       DefaultPrefix,
		rule:         mews.MewsRateRule(),
		replicas:     DefaultReplicas,
		probe:        DefaultProbeInterval,
		log:          slog.New(slog.DiscardHandler),
		dedupTTL:     DefaultDedupTTL,
		dedupBusyTTL: DefaultDedupBusyTTL,
		shards:       DefaultShards,
		leaseTTL:     DefaultLeaseTTL,
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			if ie, ok := err.(*mews.InputError); ok {
				ie.Operation = op
			}
			return nil, err
		}
	}
	return s, nil
}

func bad(field, reason string) error {
	return &mews.InputError{Field: field, Reason: reason}
}

// WithPrefix puts every Redis key this package writes under prefix (default "mews:"),
// so that several fleets or environments (Demo and Production) can share one Redis.
func WithPrefix(prefix string) Option {
	return func(s *settings) error {
		if prefix == "" {
			return bad("prefix", "is empty")
		}
		s.prefix = prefix
		return nil
	}
}

// WithRule sets the budget the Limiter enforces per key, the same mews.RateRule the
// in-process limiter applies: at most Limit requests in any window of Per, each
// counted for Per+Margin, with HealthCheckShare of it reserved for health checks. The
// default is mews.MewsRateRule(). An invalid rule fails with its *mews.InputError.
func WithRule(r mews.RateRule) Option {
	return func(s *settings) error {
		if err := r.Validate(); err != nil {
			return err
		}
		s.rule = r
		return nil
	}
}

// WithReplicas tells the Limiter how many replicas share each budget, so that while
// Redis is unreachable each one falls back to 1/n of it (default 3).
func WithReplicas(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return bad("replicas", "must be at least 1")
		}
		s.replicas = n
		return nil
	}
}

// WithFailClosed makes the Limiter refuse requests with an error matching
// ErrUnavailable while Redis is unreachable, instead of falling back to an in-process
// share of the budget.
func WithFailClosed() Option {
	return func(s *settings) error { s.failClosed = true; return nil }
}

// WithProbeInterval sets how often, while Redis is unreachable, one request tries it
// again (default 1 s); the others use the fallback meanwhile.
func WithProbeInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return bad("probe interval", "must be positive")
		}
		s.probe = d
		return nil
	}
}

// WithLogger sets where outages, recoveries and leadership changes are logged (once
// each, never per request). The default discards them.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return bad("logger", "is nil")
		}
		s.log = l
		return nil
	}
}

// WithDedupTTL sets how long the DedupStore remembers an accepted messageId (default
// 24 h, longer than Mews keeps redelivering).
func WithDedupTTL(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Millisecond {
			return bad("dedup TTL", "must be at least a millisecond")
		}
		s.dedupTTL = d
		return nil
	}
}

// WithDedupBusyTTL bounds how long a messageId stays claimed by a replica that began
// processing it (default 2 min), so a replica that dies mid-push does not block the
// redelivery for longer.
func WithDedupBusyTTL(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Millisecond {
			return bad("dedup busy TTL", "must be at least a millisecond")
		}
		s.dedupBusyTTL = d
		return nil
	}
}

// WithShards sets how many shards the Monitor partitions connections into, each with
// its own lease (default 16). Every replica of a fleet must use the same number.
func WithShards(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > 4096 {
			return bad("shards", "must be between 1 and 4096")
		}
		s.shards = n
		return nil
	}
}

// WithLeaseTTL sets how long a shard's lease lasts without renewal (default 10 s). A
// leader renews every third of it; a dead leader's shards are taken over within the
// TTL plus one check.
func WithLeaseTTL(d time.Duration) Option {
	return func(s *settings) error {
		if d < 30*time.Millisecond {
			return bad("lease TTL", "must be at least 30 ms")
		}
		s.leaseTTL = d
		return nil
	}
}

// WithReplicaName names this replica in leases, logs and stored statuses (default the
// host name and a random suffix).
func WithReplicaName(name string) Option {
	return func(s *settings) error {
		if name == "" {
			return bad("replica name", "is empty")
		}
		s.replicaName = name
		return nil
	}
}

// WithStatusChanges calls fn for every status change any leader of the fleet stores,
// as received over Redis pub/sub on this replica.
func WithStatusChanges(fn func(StatusChange)) Option {
	return func(s *settings) error { s.onStatus = fn; return nil }
}

// WithLeadershipChanges calls fn whenever this replica starts or stops leading a shard.
func WithLeadershipChanges(fn func(shard int, leading bool)) Option {
	return func(s *settings) error { s.onLeadership = fn; return nil }
}

// WithMonitorOptions configures the connection.Monitor each replica runs for the shards
// it leads (interval, concurrency, …). Leave connection.WithOnEvent out: use WithOnEvent,
// which the fleet calls once per change. connection.WithOnClientEvent fires on every
// replica whose shards show the misconfigured client.
func WithMonitorOptions(opts ...connection.Option) Option {
	return func(s *settings) error {
		s.monitorOpts = append(s.monitorOpts, opts...)
		return nil
	}
}

// WithOnEvent has f receive every status change the fleet stores, on the replica that
// stored it, so once per change in the whole fleet (WithStatusChanges reaches every
// replica instead).
func WithOnEvent(f func(connection.Event)) Option {
	return func(s *settings) error {
		if f == nil {
			return bad("OnEvent", "is nil; leave the option out for no events")
		}
		s.onEvent = f
		return nil
	}
}

// WithWebhookMaxBodyBytes bounds an integration webhook's body (default
// connection.DefaultMaxWebhookBytes).
func WithWebhookMaxBodyBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return bad("webhook max body bytes", "must be positive")
		}
		s.webhookMax = n
		return nil
	}
}

// WithOnIntegrationEvent has the fleet's webhook handler pass every known integration
// event to f with the key of its connection ("" for none), on the replica that received
// it; an error answers 503 so Mews sends it again. Store an IntegrationApiKeyCreated's
// new token here and Update every replica with it.
func WithOnIntegrationEvent(f func(ev connection.IntegrationEvent, key string) error) Option {
	return func(s *settings) error {
		if f == nil {
			return bad("OnIntegrationEvent", "is nil; leave the option out")
		}
		s.onWebhook = f
		return nil
	}
}
