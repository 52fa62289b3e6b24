package events

import (
	"context"
	"log/slog"
	"net/http"
	"net/textproto"
	"strings"
	"time"

	"github.com/mewskit/mews-go"
)

// Defaults of the options.
const (
	// DefaultPingInterval keeps an idle socket alive behind proxies and load balancers,
	// most of which close a connection after 60 s without traffic. Mews documents no
	// keep-alive of its own.
	DefaultPingInterval = 30 * time.Second
	// DefaultMinBackoff and DefaultMaxBackoff bound the wait before a reconnect.
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
	// DefaultBuffer is how many received events may wait for the consumer before the
	// client stops keeping them and schedules a resync instead.
	DefaultBuffer = 1024
	// MaxMessageSize is the largest message accepted from Mews; a larger one closes the
	// socket (and is caught up by the resync after the reconnect).
	MaxMessageSize = 1 << 20
)

// ResyncFunc catches up through the API after the socket (re)connected or events were
// lost: read what changed since your last watermark (reservations by UpdatedUtc,
// commands/getAllActive). It runs in the goroutine that ranges over Events, before
// the events of the new socket, so it needs no locking against your event handling.
// When it fails it is called again after a backoff until it succeeds or the range ends.
type ResyncFunc func(ctx context.Context, r Resync) error

// Resync tells a ResyncFunc why it runs.
type Resync struct {
	// Connects counts the sockets opened so far by this range, 1 for the first one.
	Connects int
	// Cause is why events may have been missed: nil before the first socket; the
	// error that ended the previous socket; ErrBufferFull when the consumer fell
	// behind; ErrMalformed after a message that could not be read.
	Cause error
}

// Option configures New. Options with an invalid value make New fail with an
// *mews.InputError.
type Option func(*settings) error

type settings struct {
	httpClient *http.Client
	header     http.Header
	resync     ResyncFunc
	logger     *slog.Logger
	ping       time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
	buffer     int
}

func invalid(field, reason string) error {
	return &mews.InputError{Operation: "events", Field: field, Reason: reason}
}

// WithResync sets the hook that catches up after every (re)connect; it is required,
// because whatever changed while no socket was open reaches you only through it.
func WithResync(fn ResyncFunc) Option {
	return func(s *settings) error {
		if fn == nil {
			return invalid("WithResync", "is nil")
		}
		s.resync = fn
		return nil
	}
}

// WithHTTPClient sets the client that sends the upgrade request, for a proxy, custom
// TLS or an in-process transport in tests. Redirects are never followed, whatever its
// CheckRedirect says, so that the token cookie goes nowhere else, and its cookie Jar
// is not used. The default is a client over http.DefaultTransport.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return invalid("WithHTTPClient", "is nil")
		}
		s.httpClient = hc
		return nil
	}
}

// reservedHeaders are set by the client or the WebSocket handshake.
var reservedHeaders = map[string]bool{
	"Cookie": true, "Host": true, "Connection": true, "Upgrade": true, "Content-Length": true,
	"Sec-Websocket-Key": true, "Sec-Websocket-Version": true, "Sec-Websocket-Extensions": true,
	"Sec-Websocket-Protocol": true,
}

// WithHeader adds a header to the upgrade request, e.g. for a proxy. The Cookie (the
// tokens) and the handshake's own headers cannot be set.
func WithHeader(name, value string) Option {
	return func(s *settings) error {
		key := textproto.CanonicalMIMEHeaderKey(strings.TrimSpace(name))
		switch {
		case key == "" || strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r >= 0x7f || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) }):
			return invalid("WithHeader", "needs a valid header name")
		case reservedHeaders[key]:
			return invalid("WithHeader", key+" is set by the client and cannot be changed")
		case strings.ContainsAny(value, "\r\n\x00"):
			return invalid("WithHeader", key+" has a line break in its value")
		}
		if s.header == nil {
			s.header = http.Header{}
		}
		s.header.Add(key, value)
		return nil
	}
}

// WithLogger logs reconnects, dropped sockets, overflows and failed resyncs. Lines
// never contain a token. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return invalid("WithLogger", "is nil")
		}
		s.logger = l
		return nil
	}
}

// WithPingInterval sets how often the client pings Mews (DefaultPingInterval). A ping
// not answered before the next one is due drops the socket, which is then reopened.
func WithPingInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Second {
			return invalid("WithPingInterval", "must be at least 1s")
		}
		s.ping = d
		return nil
	}
}

// WithBackoff bounds the wait before a reconnect (and before a failed resync is
// tried again): the first wait is about min, each failure doubles it up to max, and
// every wait is randomized between half and all of it so that many clients do not
// reconnect in step.
func WithBackoff(min, max time.Duration) Option {
	return func(s *settings) error {
		if min <= 0 || max < min {
			return invalid("WithBackoff", "needs 0 < min <= max")
		}
		s.minBackoff, s.maxBackoff = min, max
		return nil
	}
}

// WithBuffer sets how many events may wait for the consumer (DefaultBuffer). When a
// slow consumer lets more pile up, the waiting events are dropped and a resync with
// Cause ErrBufferFull is scheduled in their place: the socket stays up, and nothing is
// lost that the resync does not read again.
func WithBuffer(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return invalid("WithBuffer", "must be at least 1")
		}
		s.buffer = n
		return nil
	}
}
