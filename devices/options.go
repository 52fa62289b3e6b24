package devices

import (
	"errors"
	"log/slog"
	"time"

	"github.com/mewskit/mews-go"
)

// Defaults of the options.
const (
	// DefaultPollInterval is how often Run polls commands/getAllActive, the fallback
	// for lost DeviceCommand events: at the front desk someone waits for the key.
	DefaultPollInterval = 30 * time.Second
	// DefaultWorkers is how many commands are processed at once.
	DefaultWorkers = 4
)

// Errors of Run.
var (
	ErrClosed = errors.New("devices: processor closed")
	ErrBusy   = errors.New("devices: Run is already running on this processor")
)

// Option configures New. An invalid value makes New fail with an *mews.InputError.
type Option func(*settings) error

type settings struct {
	journal     Journal
	interrupted Interrupted
	poll        time.Duration
	workers     int
	logger      *slog.Logger
}

func invalid(field, reason string) error {
	return &mews.InputError{Operation: "devices", Field: field, Reason: reason}
}

// WithPollInterval sets how often Run polls (DefaultPollInterval).
func WithPollInterval(d time.Duration) Option {
	return func(s *settings) error {
		if d < time.Second {
			return invalid("WithPollInterval", "must be at least 1s")
		}
		s.poll = d
		return nil
	}
}

// WithWorkers sets how many commands are processed at once (DefaultWorkers).
func WithWorkers(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return invalid("WithWorkers", "must be at least 1")
		}
		s.workers = n
		return nil
	}
}

// WithJournal sets where started commands are remembered (MemoryJournal by default).
// Use DirJournal, or your own store, to recover commands across a crash.
func WithJournal(j Journal) Option {
	return func(s *settings) error {
		if j == nil {
			return invalid("WithJournal", "is nil")
		}
		s.journal = j
		return nil
	}
}

// WithInterrupted sets the rule for a command interrupted in Processing
// (FailInterrupted by default).
func WithInterrupted(rule Interrupted) Option {
	return func(s *settings) error {
		if rule != FailInterrupted && rule != ResumeInterrupted {
			return invalid("WithInterrupted", "is not FailInterrupted or ResumeInterrupted")
		}
		s.interrupted = rule
		return nil
	}
}

// WithLogger logs failed polls and updates and interrupted commands. The default logs
// nothing.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return invalid("WithLogger", "is nil")
		}
		s.logger = l
		return nil
	}
}
