package mews

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// Option configures a Client. Options that receive invalid values make NewClient
// fail with an error that says which option and why.
type Option func(*settings) error

// settings collects the options before NewClient validates and freezes them.
type settings struct {
	env              Environment
	clientToken      string
	clientName       string
	cmClientToken    string
	httpClient       *http.Client
	transport        http.RoundTripper
	logger           *slog.Logger
	retry            RetryPolicy
	connLimit        rateSpec
	cmLimit          rateSpec
	limiter          Limiter
	noLimit          bool
	rateMargin       time.Duration
	healthCheckShare float64
	userAgent        string
	maxResponse      int64
}

// rateSpec is "n requests per period"; the zero value means unlimited.
type rateSpec struct {
	n   int
	per time.Duration
}

// WithEnvironment selects Demo(), Production() or a CustomEnvironment. The default is Demo().
func WithEnvironment(env Environment) Option {
	return func(s *settings) error { s.env = env; return nil }
}

// WithBaseURL points the client at a custom base URL (for example a mewstest server).
// Plain http is accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option {
	return func(s *settings) error { s.env = CustomEnvironment(baseURL); return nil }
}

// WithPushURLs overrides the Channel Manager's PCI-proxy push URLs for reservation
// groups (processGroup) and availability blocks (processAvailabilityBlock). An empty
// argument keeps the environment's URL.
func WithPushURLs(reservationGroups, availabilityBlocks string) Option {
	return func(s *settings) error {
		if reservationGroups != "" {
			s.env.ReservationPushURL = reservationGroups
		}
		if availabilityBlocks != "" {
			s.env.AvailabilityBlockPushURL = availabilityBlocks
		}
		return nil
	}
}

// WithClientToken sets the Connector API ClientToken, which identifies your
// integration and is the same for every hotel.
func WithClientToken(token string) Option {
	return func(s *settings) error { s.clientToken = token; return nil }
}

// WithClientName sets the Connector API "Client" field, the name and version of your
// integration (e.g. "Acme Doors 2.1.0"). Mews requires it in every request and uses it
// to review your traffic; the default names this SDK.
func WithClientName(name string) Option {
	return func(s *settings) error {
		name = strings.TrimSpace(name)
		if name == "" {
			return errors.New("mews: WithClientName: the client name is empty")
		}
		s.clientName = name
		return nil
	}
}

// WithChannelManagerClientToken sets the Channel Manager API clientToken, which
// identifies your channel manager and is the same for every connection.
func WithChannelManagerClientToken(token string) Option {
	return func(s *settings) error { s.cmClientToken = token; return nil }
}

// WithHTTPClient uses c's Transport, Timeout and Jar for every attempt (the Timeout
// applies to each attempt; retries and limits are the SDK's). Its CheckRedirect is not
// used: API calls never follow a redirect, which would re-send the tokens to wherever
// Location points; a 3xx fails as an *APIError matching ErrBadResponse.
func WithHTTPClient(c *http.Client) Option {
	return func(s *settings) error {
		if c == nil {
			return errors.New("mews: WithHTTPClient: the client is nil")
		}
		s.httpClient = c
		return nil
	}
}

// WithTransport sends every attempt through rt, for example to add tracing.
func WithTransport(rt http.RoundTripper) Option {
	return func(s *settings) error {
		if rt == nil {
			return errors.New("mews: WithTransport: the transport is nil")
		}
		s.transport = rt
		return nil
	}
}

// WithLogger records each call (operation, status, attempts, duration, RequestId) at
// Debug level and failures at Warn. Bodies and tokens are never logged. The default
// discards everything.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("mews: WithLogger: the logger is nil")
		}
		s.logger = l
		return nil
	}
}

// WithRetry replaces the retry policy; zero fields keep their defaults (see RetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxAttempts < 0 || p.MinWait < 0 || p.MaxWait < 0 || p.MaxRetryAfter < 0 {
			return errors.New("mews: WithRetry: negative values are not allowed")
		}
		s.retry = p
		return nil
	}
}

// WithRateLimit sets the client-side limit per Connector AccessToken: at most n
// requests in any window of length per (plus the margin, see WithRateLimitMargin), any
// n >= 1. The default is Mews' documented 200 per 30 s.
func WithRateLimit(n int, per time.Duration) Option {
	return rateOption("WithRateLimit", n, per, func(s *settings) *rateSpec { return &s.connLimit })
}

// WithChannelManagerRateLimit sets a client-side limit per Channel Manager
// connectionToken. Mews documents none, so by default there is none.
func WithChannelManagerRateLimit(n int, per time.Duration) Option {
	return rateOption("WithChannelManagerRateLimit", n, per, func(s *settings) *rateSpec { return &s.cmLimit })
}

// rateOption validates "n per period" and stores it where field points.
func rateOption(name string, n int, per time.Duration, field func(*settings) *rateSpec) Option {
	return func(s *settings) error {
		if n <= 0 || per <= 0 {
			return errors.New("mews: " + name + ": need a positive count and period")
		}
		*field(s) = rateSpec{n, per}
		return nil
	}
}

// WithRateLimitMargin sets how much longer than its period the built-in limiter counts
// each request, to cover the time between admitting a request and its arrival at Mews
// (connection set-up, a TLS handshake, a slow network). Requests that arrive up to d
// later than admitted, in any order, stay within Mews' window. The default is
// DefaultRateMargin; a larger margin spends a little less of the budget.
func WithRateLimitMargin(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return errors.New("mews: WithRateLimitMargin: the margin must not be negative")
		}
		s.rateMargin = d
		return nil
	}
}

// WithHealthCheckShare sets the share of each token's rate budget (0.05 is 5 %, at most
// 0.5) that only health checks (PriorityHealthCheck, as connection's checks are) may
// use, so that a busy application cannot starve them. It is rounded down per budget and
// always leaves the application one request. The default is DefaultHealthCheckShare.
func WithHealthCheckShare(share float64) Option {
	return func(s *settings) error {
		if !(share >= 0 && share <= 0.5) {
			return errors.New("mews: WithHealthCheckShare: the share must be between 0 and 0.5")
		}
		s.healthCheckShare = share
		return nil
	}
}

// keyedLimiter builds the built-in limiter for a budget with the margin and share.
func (s *settings) keyedLimiter(spec rateSpec) (*KeyedLimiter, error) {
	return NewKeyedLimiter(RateRule{Limit: spec.n, Per: spec.per, Margin: s.rateMargin, HealthCheckShare: s.healthCheckShare})
}

// WithLimiter replaces the built-in limiters, for example with one shared by several
// processes. It is asked once per attempt, with keys that start with "connector:" or
// "channelManager:" followed by a hash of the token (never the token itself), and the
// Operation's Priority. The rate, margin and health-check share options then do not apply.
func WithLimiter(l Limiter) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("mews: WithLimiter: the limiter is nil")
		}
		s.limiter = l
		return nil
	}
}

// WithoutRateLimit turns client-side limiting off. Mews may then answer 429, which the
// retry policy still honours.
func WithoutRateLimit() Option {
	return func(s *settings) error { s.noLimit = true; return nil }
}

// WithUserAgent puts product (e.g. "acme-doors/2.1") in front of the SDK's User-Agent.
func WithUserAgent(product string) Option {
	return func(s *settings) error { s.userAgent = strings.TrimSpace(product); return nil }
}

// WithMaxResponseBytes caps how much of a response body is read; a larger body fails
// with ErrBadResponse instead of exhausting memory. The default is 64 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return errors.New("mews: WithMaxResponseBytes: need a positive size")
		}
		s.maxResponse = n
		return nil
	}
}
