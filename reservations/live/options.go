package live

import (
	"errors"
	"log/slog"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// Defaults of the options.
const (
	// DefaultFeedInterval is how often Run reads the change feed, the fallback that
	// catches what events missed. Events make changes arrive in seconds; this bounds
	// the delay when they do not.
	DefaultFeedInterval = time.Minute
	// DefaultReconcileInterval is how often Run reads every stay in the horizon again.
	DefaultReconcileInterval = time.Hour
	// DefaultHorizon is how far ahead a reconciliation reads: stays overlapping the next
	// seven days.
	DefaultHorizon = 7 * 24 * time.Hour
)

// Errors of Run.
var (
	ErrClosed = errors.New("live: sync closed")
	ErrBusy   = errors.New("live: Run is already running on this sync")
)

// Option configures New. An invalid value makes New fail with an *mews.InputError.
type Option func(*settings) error

type settings struct {
	watermark reservations.Watermark
	clock     func() time.Time
	logger    *slog.Logger
	lag       time.Duration
	feedEvery time.Duration
	reconcile time.Duration
	horizon   time.Duration
}

func invalid(field, reason string) error {
	return &mews.InputError{Operation: "live", Field: field, Reason: reason}
}

// WithWatermark resumes the change feed where a previous process left it
// (Sync.Watermark). Without it the first pass reconciles the horizon and the feed
// starts a few minutes before that.
func WithWatermark(w reservations.Watermark) Option {
	return func(s *settings) error {
		if w.IsZero() {
			return invalid("WithWatermark", "is zero")
		}
		s.watermark = w
		return nil
	}
}

// WithFeedInterval sets how often Run reads the change feed (DefaultFeedInterval).
func WithFeedInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Second {
			return invalid("WithFeedInterval", "must be at least 1s")
		}
		s.feedEvery = d
		return nil
	}
}

// WithReconcileInterval sets how often Run reads the whole horizon again
// (DefaultReconcileInterval).
func WithReconcileInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Minute {
			return invalid("WithReconcileInterval", "must be at least 1m")
		}
		s.reconcile = d
		return nil
	}
}

// WithHorizon sets how far ahead of now a reconciliation reads (DefaultHorizon).
func WithHorizon(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Hour {
			return invalid("WithHorizon", "must be at least 1h")
		}
		s.horizon = d
		return nil
	}
}

// WithLag sets how far behind Mews' clock a feed pass stops (reservations.DefaultSyncLag):
// a change becomes visible to the feed after the lag, and the follow-up pass of a
// resync waits for it. Zero means no lag.
func WithLag(d time.Duration) Option {
	return func(s *settings) error {
		if d < 0 {
			return invalid("WithLag", "must not be negative")
		}
		s.lag = d
		return nil
	}
}

// WithClock replaces Mews' clock (reservations.SyncOptions.Now) for the feed and the
// host clock for the reconciliation window, for a caller that tracks Mews' clock
// already, or a sandbox whose clock stands still. By default the feed asks Mews. Run's
// schedule (intervals, follow-ups) always follows the host's clock.
func WithClock(now func() time.Time) Option {
	return func(s *settings) error {
		if now == nil {
			return invalid("WithClock", "is nil")
		}
		s.clock = now
		return nil
	}
}

// WithLogger logs failed passes. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return invalid("WithLogger", "is nil")
		}
		s.logger = l
		return nil
	}
}
