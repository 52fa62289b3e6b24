package httpin

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"time"

	mews "github.com/mewskit/mews-go"
)

// DefaultBodyReadTimeout is how long a handler waits for a whole request body unless
// told otherwise. Mews sends a body in one go right after its headers, and gives up on
// an answer itself after a few seconds (5 s for webhooks), so a body still arriving
// after 10 s comes from a stalled or hostile client, which must not hold a goroutine
// and its buffer any longer.
const DefaultBodyReadTimeout = 10 * time.Second

// Settings are what every inbound handler of the SDK lets its user choose, with the
// same names, validation and meaning: the inbound and webhooks packages expose them
// through one-line WithX wrappers over the Options below.
type Settings struct {
	// MaxBodyBytes caps a request body; 0 leaves the handler's own default.
	MaxBodyBytes int64
	// BodyReadTimeout bounds the time from the handler's start to the body's last byte.
	BodyReadTimeout time.Duration
	// Logger receives refusals and failures; never nil once built by NewSettings.
	Logger *slog.Logger
}

// Option sets one of the Settings. Each Option touches its own field only, so that
// options can be given in any order.
type Option func(*Settings) error

// NewSettings applies opts over the defaults (no body cap of its own, a
// DefaultBodyReadTimeout read deadline, a Logger that discards).
func NewSettings(opts ...Option) (Settings, error) {
	s := Settings{BodyReadTimeout: DefaultBodyReadTimeout, Logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(&s); err != nil {
			return Settings{}, err
		}
	}
	return s, nil
}

// WithMaxBodyBytes caps the size of a request body at n bytes (n > 0).
func WithMaxBodyBytes(n int64) Option {
	return func(s *Settings) error {
		if n <= 0 {
			return &mews.InputError{Field: "max body bytes", Reason: "must be positive"}
		}
		s.MaxBodyBytes = n
		return nil
	}
}

// WithBodyReadTimeout sets how long the whole body may take to arrive (d > 0).
func WithBodyReadTimeout(d time.Duration) Option {
	return func(s *Settings) error {
		if d <= 0 {
			return &mews.InputError{Field: "body read timeout", Reason: "must be positive"}
		}
		s.BodyReadTimeout = d
		return nil
	}
}

// WithLogger sets where refusals and failures are reported; nil discards them.
func WithLogger(l *slog.Logger) Option {
	return func(s *Settings) error {
		if l == nil {
			l = slog.New(slog.DiscardHandler)
		}
		s.Logger = l
		return nil
	}
}

// ErrBodyTimeout is ReadBodyWithin's error for a body that did not arrive completely
// before the read deadline.
var ErrBodyTimeout = errors.New("request body did not arrive in time")

// Limit returns the body cap: the one set with WithMaxBodyBytes, or def.
func (s *Settings) Limit(def int64) int64 {
	if s.MaxBodyBytes > 0 {
		return s.MaxBodyBytes
	}
	return def
}

// ReadBody reads the whole request body within s.BodyReadTimeout and at most limit
// bytes. A body whose Content-Length already exceeds limit is refused with
// ErrBodyTooLarge before a byte of it is read; a longer body without a length is cut
// off after limit+1 bytes. A body still incomplete at the deadline gives
// ErrBodyTimeout. Either way the server closes the connection after the answer.
//
// The deadline is set on the connection through http.ResponseController and cleared
// once the body is in, so that it never cuts the handler's own work short; a
// ResponseWriter without deadlines (a test recorder) reads without one.
func (s *Settings) ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		w.Header().Set("Connection", "close")
		return nil, ErrBodyTooLarge
	}
	rc := http.NewResponseController(w)
	if s.BodyReadTimeout > 0 && rc.SetReadDeadline(time.Now().Add(s.BodyReadTimeout)) == nil {
		defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	}
	body, err := readAll(http.MaxBytesReader(w, r.Body, limit), r.ContentLength)
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return nil, ErrBodyTooLarge
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		w.Header().Set("Connection", "close")
		return nil, fmt.Errorf("%w: %w", ErrBodyTimeout, err)
	}
	if err != nil {
		return nil, err
	}
	return body, nil
}

// readAll reads r to the end into one buffer sized by the declared length when there
// is one, so that a known-length body is not copied through a growing buffer.
func readAll(r io.Reader, length int64) ([]byte, error) {
	if length <= 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, length+1) // +1 so that the final read sees EOF without growing
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
