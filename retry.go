package mews

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
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
// does not document which. An absent or unreadable header, or a date in the past, is 0;
// a number too large for any clock is a year, which RetryPolicy.MaxRetryAfter then caps.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	const longest = 365 * 24 * time.Hour
	// On overflow ParseInt returns the largest magnitude of the right sign: a number of
	// seconds too large for any clock is very long (capped later), not zero.
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(longest/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// decide is the one owner of the retry decision, given to go-retryablehttp as its
// CheckRetry and called once after every attempt. It reads the body (bounded), decodes
// it into the call's out, classifies the outcome (transport error, status, envelope,
// cut-off or unreadable body), decides by the operation's Safety whether to repeat, and
// plans the wait (Retry-After clamped, or backoff) within the attempts and the
// deadline. Its verdict is the call's result.
func (st *call) decide(ctx context.Context, resp *http.Response, err error) (bool, error) {
	var repeat bool
	st.result, repeat = st.classify(ctx, resp, err)
	if st.slot != nil && st.slot.endSend() && repeat {
		// A newer call with the same key replaced this one: never send it again.
		st.result, repeat = st.supersededResult(st.result), false
	}
	st.logAttempt(ctx)
	st.retrying = repeat && ctx.Err() == nil && st.planWait(ctx, resp)
	return st.retrying, nil
}

// classify turns one attempt into its outcome (nil for success, with out filled), and
// says whether the failure is worth another attempt for this operation.
func (st *call) classify(ctx context.Context, resp *http.Response, err error) (error, bool) {
	st.status = 0
	if err != nil {
		var lw *limiterWaitError
		switch {
		case (ctx.Err() != nil || errors.As(err, &lw)) && st.result != nil:
			// The context ended on the way to a retry (in the limiter, say): keep the
			// answer that the retry was for.
			return fmt.Errorf("mews: %s: %w while waiting to retry after: %w", st.op.Name, st.scrubError(err), st.result), false
		case ctx.Err() != nil, errors.As(err, &lw):
			return st.transportError(ctx, err), false
		case !retryableTransportError(err):
			return st.transportError(ctx, err), false
		case !st.op.Safety.repeatable() && !requestNeverSent(err):
			return st.transportError(ctx, err), false // it may have reached Mews: repeating could store it twice
		}
		return st.transportError(ctx, err), true
	}
	st.status = resp.StatusCode
	if st.decoded {
		resetOut(st.out) // a cut-off body may have filled part of it
	}
	st.decoded = resp.StatusCode >= 200 && resp.StatusCode <= 299
	outcome := st.decode(resp, st.out)
	resp.Body.Close()
	resp.Body = http.NoBody // go-retryablehttp drains it before the next attempt
	if outcome == nil {
		return nil, false
	}
	switch code := resp.StatusCode; {
	case ctx.Err() != nil:
		return outcome, false // the body read was cut by the context, not by Mews
	case code == http.StatusTooManyRequests:
		return outcome, true // Mews refused it before processing it, so even a write may be repeated
	case code == http.StatusRequestTimeout && st.shrinkOnTimeout:
		return outcome, false // repeating it unchanged would take as long again; the caller asks for less
	case code == http.StatusRequestTimeout, code >= 500 && code != http.StatusNotImplemented:
		return outcome, st.op.Safety.repeatable()
	case code >= 200 && code <= 299:
		return outcome, st.op.Safety.repeatable() && answerMayChange(outcome)
	}
	return outcome, false
}

// answerMayChange reports whether a failed success-status answer may come out
// differently when asked again: an unreadable or cut-off body (not one over the size
// cap, which would only be as large again), or nothing but Channel Manager code 1,
// which Mews says "may be re-sent after some time".
func answerMayChange(outcome error) bool {
	var e *APIError
	if !errors.As(outcome, &e) {
		return false
	}
	if len(e.Errors) > 0 {
		for _, d := range e.Errors {
			if d.Code != CodeSystemError {
				return false
			}
		}
		return true
	}
	return e.Is(ErrBadResponse) && !errors.Is(e.Err, errBodyTooLarge)
}

// logAttempt records one attempt at Debug level.
func (st *call) logAttempt(ctx context.Context) {
	l := st.client.logger
	if !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", st.op.Name), slog.Int("attempt", st.attempts),
		slog.Int("status", st.status),
	}
	var apiErr *APIError
	if errors.As(st.result, &apiErr) && apiErr.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", apiErr.RequestID))
	}
	if st.result != nil {
		attrs = append(attrs, slog.String("error", st.scrub(st.result.Error())))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "mews attempt", attrs...)
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
	return true
}

// backoff hands go-retryablehttp the wait that decide planned.
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

// attemptTransport sends one attempt of one call: it takes a token from the rate
// limiter (Mews counts every attempt), then sends through the user's transport. Each
// call has its own, so the call's state never travels through the context.
//
// It deliberately has no CloseIdleConnections method: go-retryablehttp calls it after
// every failed call, which would drop the connection pool that one Client shares
// between thousands of hotels whenever a single one of them failed.
type attemptTransport struct {
	base http.RoundTripper
	call *call
}

// RoundTrip waits for the limiter and sends one attempt.
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	st := t.call
	st.attempts++
	if st.limiter != nil {
		if err := st.limiter.Wait(req.Context(), LimitRequest{Key: st.limitKey, Priority: st.op.Priority}); err != nil {
			if req.Body != nil {
				req.Body.Close() // a RoundTripper closes the body, even on error
			}
			return nil, &limiterWaitError{err: err, ctx: req.Context()}
		}
	}
	if st.slot != nil && !st.slot.beginSend() {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, st.supersededResult(nil)
	}
	return t.base.RoundTrip(req)
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
