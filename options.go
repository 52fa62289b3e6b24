package mews

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
)

// Option configures a Client. Each option validates its arguments, and NewClient fails
// with an *InputError whose Field names the option that was refused.
//
// The result does not depend on the order of the options. Options that would undo one
// another are refused together instead of letting the later one win: WithEnvironment
// with WithBaseURL, WithLimiter or WithoutRateLimit with the built-in limiter's
// settings, WithTransport with a WithHTTPClient client that has its own Transport.
// WithPushURLs is applied on top of whichever environment is chosen. The same option
// given twice is the one exception: the last one is kept, so that a list of defaults
// can be followed by an override.
type Option func(*settings) error

// settings collects the options before NewClient resolves and freezes them.
type settings struct {
	given            map[string]bool // the options that were given, by name
	env              *Environment    // from WithEnvironment or WithBaseURL; nil is Demo()
	pushGroups       string          // WithPushURLs, applied after the environment
	pushBlocks       string
	clientToken      Token
	clientName       string
	cmClientToken    Token
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

// option names an option's effect, so that NewClient can report which option was
// refused and find options that conflict.
func option(name string, apply func(*settings) error) Option {
	return func(s *settings) error {
		if err := apply(s); err != nil {
			return optionError(name, err)
		}
		s.given[name] = true
		return nil
	}
}

// optionError is the *InputError for a refused option: Field names the option.
func optionError(name string, err error) error {
	reason := err.Error()
	var in *InputError
	if errors.As(err, &in) {
		reason = in.Reason
	}
	return &InputError{Operation: "NewClient", Field: name, Reason: reason}
}

// conflicts lists the options that would undo one another, with what to do instead.
var conflicts = []struct{ a, b, advice string }{
	{"WithEnvironment", "WithBaseURL", "both choose the environment; use one (WithBaseURL(u) is WithEnvironment(mews.CustomEnvironment(u)))"},
	{"WithLimiter", "WithoutRateLimit", "both replace the built-in limiter; use one"},
	{"WithLimiter", "WithRateLimit", "configure your own limiter instead; the built-in one is not used"},
	{"WithLimiter", "WithChannelManagerRateLimit", "configure your own limiter instead; the built-in one is not used"},
	{"WithLimiter", "WithRateLimitMargin", "configure your own limiter instead; the built-in one is not used"},
	{"WithLimiter", "WithHealthCheckShare", "configure your own limiter instead; the built-in one is not used"},
	{"WithoutRateLimit", "WithRateLimit", "one turns limiting off, the other sets a limit; use one"},
	{"WithoutRateLimit", "WithChannelManagerRateLimit", "one turns limiting off, the other sets a limit; use one"},
	{"WithoutRateLimit", "WithRateLimitMargin", "limiting is off, so the margin would not apply"},
	{"WithoutRateLimit", "WithHealthCheckShare", "limiting is off, so the share would not apply"},
}

// checkConflicts refuses options that would undo one another, whatever their order.
func (s *settings) checkConflicts() error {
	for _, c := range conflicts {
		if s.given[c.a] && s.given[c.b] {
			return &InputError{Operation: "NewClient", Field: c.b, Reason: "conflicts with " + c.a + ": " + c.advice}
		}
	}
	if s.httpClient != nil && s.httpClient.Transport != nil && s.transport != nil {
		return &InputError{Operation: "NewClient", Field: "WithTransport", Reason: "conflicts with WithHTTPClient, whose client has its own Transport; set one of them"}
	}
	return nil
}

// environment is the chosen environment with the push-URL overrides applied.
func (s *settings) environment() Environment {
	env := Demo()
	if s.env != nil {
		env = *s.env
	}
	if s.pushGroups != "" {
		env.ReservationPushURL = s.pushGroups
	}
	if s.pushBlocks != "" {
		env.AvailabilityBlockPushURL = s.pushBlocks
	}
	return env
}

// WithEnvironment selects Demo(), Production() or a CustomEnvironment. The default is
// Demo(). Its URLs must be https (plain http only for loopback hosts). It cannot be
// combined with WithBaseURL.
func WithEnvironment(env Environment) Option {
	return option("WithEnvironment", func(s *settings) error {
		env.BaseURL = strings.TrimRight(strings.TrimSpace(env.BaseURL), "/")
		if err := env.validate(); err != nil {
			return err
		}
		s.env = &env
		return nil
	})
}

// WithBaseURL points the client at a custom base URL, for example a mewstest server:
// it is WithEnvironment(CustomEnvironment(baseURL)), and cannot be combined with
// WithEnvironment. Plain http is accepted only for loopback hosts.
func WithBaseURL(baseURL string) Option {
	return option("WithBaseURL", func(s *settings) error {
		env := CustomEnvironment(baseURL)
		if err := env.validate(); err != nil {
			return err
		}
		s.env = &env
		return nil
	})
}

// validate checks every address of an environment.
func (env Environment) validate() error {
	for _, u := range []struct{ name, raw string }{
		{"base URL", env.BaseURL},
		{"reservation push URL", env.ReservationPushURL},
		{"availability block push URL", env.AvailabilityBlockPushURL},
	} {
		if err := checkURL(u.raw); err != nil {
			return errors.New(u.name + " " + err.Error())
		}
	}
	if err := checkWebSocketURL(env.WebSocketURL); err != nil {
		return errors.New("WebSocket URL " + err.Error())
	}
	return nil
}

// WithPushURLs overrides the Channel Manager's PCI-proxy push URLs for reservation
// groups (processGroup) and availability blocks (processAvailabilityBlock), on top of
// whichever environment is chosen, in whatever order the options come. An empty
// argument keeps the environment's URL; at least one must be given.
func WithPushURLs(reservationGroups, availabilityBlocks string) Option {
	return option("WithPushURLs", func(s *settings) error {
		groups, blocks := strings.TrimSpace(reservationGroups), strings.TrimSpace(availabilityBlocks)
		if groups == "" && blocks == "" {
			return errors.New("needs at least one URL")
		}
		for _, u := range []struct{ name, raw string }{{"reservation push URL", groups}, {"availability block push URL", blocks}} {
			if u.raw == "" {
				continue
			}
			if err := checkURL(u.raw); err != nil {
				return errors.New(u.name + " " + err.Error())
			}
		}
		s.pushGroups, s.pushBlocks = groups, blocks
		return nil
	})
}

// WithClientToken sets the Connector API ClientToken, which identifies your
// integration and is the same for every hotel. It is trimmed and validated like any
// token (see NewToken).
func WithClientToken(token string) Option {
	return option("WithClientToken", func(s *settings) (err error) {
		s.clientToken, err = NewToken(token)
		return err
	})
}

// WithClientName sets the Connector API "Client" field, the name and version of your
// integration (e.g. "Acme Doors 2.1.0"). Mews requires the field in every request and
// uses it to review your traffic. Without this option the SDK sends DefaultClientName,
// which names the SDK rather than your product, and NewClient logs that once at Info.
func WithClientName(name string) Option {
	return option("WithClientName", func(s *settings) error {
		name, err := printable(name)
		if err != nil {
			return err
		}
		s.clientName = name
		return nil
	})
}

// printable trims s and refuses it when empty or holding a control character.
func printable(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("is empty")
	}
	if strings.ContainsFunc(s, unicode.IsControl) {
		return "", errors.New("contains a control character")
	}
	return s, nil
}

// WithChannelManagerClientToken sets the Channel Manager API clientToken, which
// identifies your channel manager and is the same for every connection. It is trimmed
// and validated like any token (see NewToken).
func WithChannelManagerClientToken(token string) Option {
	return option("WithChannelManagerClientToken", func(s *settings) (err error) {
		s.cmClientToken, err = NewToken(token)
		return err
	})
}

// WithHTTPClient uses c's Transport, Timeout and Jar for every attempt (the Timeout
// applies to each attempt; retries and limits are the SDK's). Its CheckRedirect is not
// used: API calls never follow a redirect, which would re-send the tokens to wherever
// Location points; a 3xx fails as an *APIError matching ErrBadResponse. If c has a
// Transport, WithTransport is refused alongside it.
func WithHTTPClient(c *http.Client) Option {
	return option("WithHTTPClient", func(s *settings) error {
		if c == nil {
			return errors.New("is nil")
		}
		s.httpClient = c
		return nil
	})
}

// WithTransport sends every attempt through rt, for example to add tracing.
func WithTransport(rt http.RoundTripper) Option {
	return option("WithTransport", func(s *settings) error {
		if rt == nil {
			return errors.New("is nil")
		}
		s.transport = rt
		return nil
	})
}

// WithLogger records each call (operation, status, attempts, duration, RequestId) at
// Debug level and failures at Warn. Bodies and tokens are never logged. The default
// discards everything.
func WithLogger(l *slog.Logger) Option {
	return option("WithLogger", func(s *settings) error {
		if l == nil {
			return errors.New("is nil")
		}
		s.logger = l
		return nil
	})
}

// WithRetry replaces the retry policy; zero fields keep their defaults (see RetryPolicy).
func WithRetry(p RetryPolicy) Option {
	return option("WithRetry", func(s *settings) error {
		if p.MaxAttempts < 0 || p.MinWait < 0 || p.MaxWait < 0 || p.MaxRetryAfter < 0 {
			return errors.New("has a negative value")
		}
		s.retry = p
		return nil
	})
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
	return option(name, func(s *settings) error {
		if n <= 0 || per <= 0 {
			return errors.New("needs a positive count and period")
		}
		*field(s) = rateSpec{n, per}
		return nil
	})
}

// WithRateLimitMargin sets how much longer than its period the built-in limiter counts
// each request, to cover the time between admitting a request and its arrival at Mews
// (connection set-up, a TLS handshake, a slow network). Requests that arrive up to d
// later than admitted, in any order, stay within Mews' window. The default is
// DefaultRateMargin; a larger margin spends a little less of the budget.
func WithRateLimitMargin(d time.Duration) Option {
	return option("WithRateLimitMargin", func(s *settings) error {
		if d < 0 {
			return errors.New("must not be negative")
		}
		s.rateMargin = d
		return nil
	})
}

// WithHealthCheckShare sets the share of each token's rate budget (0.05 is 5 %, at most
// 0.5) that only health checks (PriorityHealthCheck, as connection's checks are) may
// use, so that a busy application cannot starve them. It is rounded down per budget and
// always leaves the application one request. The default is DefaultHealthCheckShare.
func WithHealthCheckShare(share float64) Option {
	return option("WithHealthCheckShare", func(s *settings) error {
		if !(share >= 0 && share <= 0.5) {
			return errors.New("must be between 0 and 0.5")
		}
		s.healthCheckShare = share
		return nil
	})
}

// keyedLimiter builds the built-in limiter for a budget with the margin and share.
func (s *settings) keyedLimiter(spec rateSpec) (*KeyedLimiter, error) {
	return NewKeyedLimiter(RateRule{Limit: spec.n, Per: spec.per, Margin: s.rateMargin, HealthCheckShare: s.healthCheckShare})
}

// WithLimiter replaces the built-in limiters, for example with one shared by several
// processes. It is asked once per attempt, with keys that start with "connector:" or
// "channelManager:" followed by a hash of the token (never the token itself), and the
// Operation's Priority. The rate, margin and health-check share options, and
// WithoutRateLimit, are refused alongside it.
func WithLimiter(l Limiter) Option {
	return option("WithLimiter", func(s *settings) error {
		if l == nil {
			return errors.New("is nil")
		}
		s.limiter = l
		return nil
	})
}

// WithoutRateLimit turns client-side limiting off. Mews may then answer 429, which the
// retry policy still honours. The rate options and WithLimiter are refused alongside it.
func WithoutRateLimit() Option {
	return option("WithoutRateLimit", func(s *settings) error { s.noLimit = true; return nil })
}

// WithUserAgent puts product (e.g. "acme-doors/2.1") in front of the SDK's User-Agent.
func WithUserAgent(product string) Option {
	return option("WithUserAgent", func(s *settings) error {
		product, err := printable(product)
		if err != nil {
			return err
		}
		s.userAgent = product
		return nil
	})
}

// WithMaxResponseBytes caps how much of a response body is read; a larger body fails
// with ErrBadResponse instead of exhausting memory. The default is 64 MiB.
func WithMaxResponseBytes(n int64) Option {
	return option("WithMaxResponseBytes", func(s *settings) error {
		if n <= 0 {
			return errors.New("needs a positive size")
		}
		s.maxResponse = n
		return nil
	})
}
