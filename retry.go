package mews

import (
	"context"
	"crypto/x509"
	"errors"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// RetryPolicy bounds the SDK's retries. Which failures are retried depends on the
// operation's Safety; this policy says how often and how long to wait. Zero fields take
// the defaults.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included (default 4).
	// 1 disables retries.
	MaxAttempts int
	// MinWait and MaxWait bound the exponential backoff used when Mews gives no
	// Retry-After (defaults 500 ms and 30 s). Each wait is drawn at random between half
	// and all of min·2ⁿ, capped at MaxWait.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter caps how long a Retry-After from Mews makes the SDK wait (default
	// 60 s): a longer one is clamped to it, so a misbehaving header cannot park a
	// goroutine for hours. The APIError still reports the wait Mews asked for.
	MaxRetryAfter time.Duration
}

// withDefaults fills the zero fields.
func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts == 0 {
		p.MaxAttempts = 4
	}
	if p.MinWait == 0 {
		p.MinWait = 500 * time.Millisecond
	}
	if p.MaxWait == 0 {
		p.MaxWait = 30 * time.Second
	}
	if p.MaxWait < p.MinWait {
		p.MaxWait = p.MinWait
	}
	if p.MaxRetryAfter == 0 {
		p.MaxRetryAfter = 60 * time.Second
	}
	return p
}

// wait is how long to wait before attempt number n+1 (n counts from 1): Mews'
// Retry-After clamped to the cap, or else exponential backoff with jitter.
func (p RetryPolicy) wait(n int, resp *http.Response) time.Duration {
	if resp != nil {
		if ra := resp.Header.Get("Retry-After"); ra != "" {
			d := min(parseRetryAfter(ra, time.Now()), p.MaxRetryAfter)
			// A little jitter keeps many clients told the same instant from returning at once.
			return d + rand.N(p.MinWait/4+1)
		}
	}
	ceiling := p.MaxWait
	if n <= 30 {
		if d := p.MinWait << (n - 1); d > 0 && d < ceiling {
			ceiling = d
		}
	}
	return ceiling/2 + rand.N(ceiling/2+1)
}

// parseRetryAfter reads a Retry-After header as delta-seconds or an HTTP date; Mews
// does not document which. An absent or unreadable header, or a date in the past, is 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// checkRetry is the SDK's retry policy, given to go-retryablehttp. It decides by the
// operation's Safety, and never retries when the wait would outlast the context.
func (st *call) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, nil
	}
	if err != nil {
		var lw *limiterWaitError
		if errors.As(err, &lw) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return false, nil
		}
		if st.op.Safety == Write && !requestNeverSent(err) {
			return false, nil // it may have reached Mews: repeating could store it twice
		}
		if !retryableTransportError(err) {
			return false, nil
		}
		return st.planWait(ctx, nil), nil
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		// Mews refused the request before processing it, so even a write is safe to repeat.
	case code == http.StatusRequestTimeout && shrinksOnTimeout(ctx):
		// Mews found the request too heavy; repeating it unchanged would only take as
		// long again. A Pager asks for a smaller page instead.
		return false, nil
	case code == http.StatusRequestTimeout, code >= 500 && code != http.StatusNotImplemented:
		if st.op.Safety == Write {
			return false, nil
		}
	default:
		return false, nil
	}
	return st.planWait(ctx, resp), nil
}

// planWait decides the wait before the next attempt, and whether there is time for it.
func (st *call) planWait(ctx context.Context, resp *http.Response) bool {
	p := st.client.retry
	if st.attempts >= p.MaxAttempts {
		return false
	}
	d := p.wait(st.attempts, resp)
	if deadline, has := ctx.Deadline(); has && time.Until(deadline) < d {
		return false // waiting would only end in DeadlineExceeded; give back Mews' answer now
	}
	st.nextWait = d
	if resp != nil {
		st.waitingOut = &APIError{API: st.api, Operation: st.op.Name, StatusCode: resp.StatusCode,
			RequestID: resp.Header.Get("Request-Id"), RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
	}
	return true
}

// backoff hands go-retryablehttp the wait that checkRetry planned.
func (st *call) backoff(_, _ time.Duration, _ int, _ *http.Response) time.Duration {
	return st.nextWait
}

// requestNeverSent reports whether err proves that no byte of the request left this
// machine: the connection could not be opened (DNS failure, refused, dial error).
func requestNeverSent(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

// retryableTransportError reports whether a transport error may go away on its own.
// Certificate problems will not. (Unsupported schemes cannot reach here: checkURL
// admits only http and https.)
func retryableTransportError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return !errors.As(err, &unknownAuthority) && !errors.As(err, &hostname) && !errors.As(err, &invalid)
}

// attemptTransport runs under go-retryablehttp, once per attempt: it takes a token
// from the rate limiter (Mews counts every attempt), then sends.
//
// It deliberately has no CloseIdleConnections method: go-retryablehttp calls it after
// every failed call, which would drop the connection pool that one Client shares
// between thousands of hotels whenever a single one of them failed.
type attemptTransport struct {
	base http.RoundTripper
}

// RoundTrip waits for the limiter and sends one attempt.
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st, _ := req.Context().Value(callKey{}).(*call)
	if st == nil {
		return t.base.RoundTrip(req)
	}
	st.attempts++
	if st.limiter != nil {
		if err := st.limiter.Wait(req.Context(), LimitRequest{Key: st.limitKey, Priority: st.op.Priority}); err != nil {
			return nil, &limiterWaitError{err: err, ctx: req.Context()}
		}
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if l := st.client.logger; l.Enabled(req.Context(), slog.LevelDebug) {
		status, requestID := 0, ""
		if resp != nil {
			status, requestID = resp.StatusCode, resp.Header.Get("Request-Id")
		}
		l.LogAttrs(req.Context(), slog.LevelDebug, "mews attempt",
			slog.String("operation", st.op.Name), slog.Int("attempt", st.attempts),
			slog.Int("status", status), slog.Duration("duration", time.Since(start)),
			slog.String("request_id", requestID))
	}
	return resp, err
}

// limiterWaitError is a rate-limiter wait that could not finish. x/time/rate reports
// "would exceed context deadline" as plain text; this makes it match
// context.DeadlineExceeded (or Canceled), as callers expect.
type limiterWaitError struct {
	err error
	ctx context.Context
}

// Error says that the client-side limiter, not Mews, stopped the call.
func (e *limiterWaitError) Error() string {
	return "client-side rate limit: " + e.err.Error()
}

// Unwrap exposes the limiter's error and the context condition behind it.
func (e *limiterWaitError) Unwrap() []error {
	errs := []error{e.err}
	if ctxErr := e.ctx.Err(); ctxErr != nil {
		errs = append(errs, ctxErr)
	} else if _, has := e.ctx.Deadline(); has {
		errs = append(errs, context.DeadlineExceeded)
	}
	return errs
}
