package mews

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
)

// Safety tells the retry policy what repeating an operation could do. Every
// operation declares one.
type Safety int

const (
	// Read operations change nothing and are retried after any transient failure.
	Read Safety = iota
	// IdempotentWrite operations may be repeated with the same effect (for example a
	// Channel Manager group push, which states a full booking keyed by its id). They are
	// retried like reads.
	IdempotentWrite
	// Write operations are not idempotent in Mews (a repeated resourceAccessTokens/add
	// stores a second PIN). They are retried only when Mews provably did not process
	// them: a 429, or a connection that could not even be opened.
	Write
)

// String names the safety class for logs.
func (s Safety) String() string {
	switch s {
	case Read:
		return "read"
	case IdempotentWrite:
		return "idempotent write"
	case Write:
		return "write"
	}
	return fmt.Sprintf("Safety(%d)", int(s))
}

// Operation names one Mews call for the pipeline.
type Operation struct {
	// Name is the path below the API's prefix: "reservations/getAll/2023-06-06" for
	// the Connector (below /api/connector/v1/), "getConfiguration" for the Channel
	// Manager (below /api/channelManager/v1/). It also names the call in errors and logs.
	Name string
	// URL, when set, is the absolute address to post to instead (the Channel Manager's
	// PCI-proxy push URLs, or a responseUrl Mews gave). https only, except loopback.
	URL string
	// Safety decides which failures are retried.
	Safety Safety
	// Secrets are values of this request besides the tokens that must never reach an
	// error or a log line, even when Mews or a proxy quotes them back (a payment card
	// number, a CVV). The tokens are always scrubbed.
	Secrets []string
	// Priority is the share of the token's rate budget the call may use; connection's
	// health checks use PriorityHealthCheck. The zero value is an application call.
	Priority Priority
}

// authField is one credential or identity field merged into a request body.
type authField struct{ name, value string }

// do is the one request pipeline: encode, send with limits and retries, decode.
func (c *Client) do(ctx context.Context, api API, op Operation, auth []authField, key string, lim Limiter, in, out any) error {
	if ctx == nil {
		return &InputError{Operation: op.Name, Field: "ctx", Reason: "is nil; pass a context.Context"}
	}
	target, err := c.target(api, op)
	if err != nil {
		return err
	}
	body, err := encodeBody(auth, in)
	if err != nil {
		return &InputError{Operation: op.Name, Field: "request", Reason: err.Error()}
	}
	st := &call{client: c, api: api, op: op, limiter: lim, limitKey: key, secrets: secretsOf(auth, op)}
	req, err := retryablehttp.NewRequestWithContext(context.WithValue(ctx, callKey{}, st), http.MethodPost, target, body)
	if err != nil {
		return &InputError{Operation: op.Name, Field: "URL", Reason: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	rc := &retryablehttp.Client{
		HTTPClient:   c.httpClient,
		RetryMax:     c.retry.MaxAttempts - 1,
		RetryWaitMin: c.retry.MinWait,
		RetryWaitMax: c.retry.MaxWait,
		CheckRetry:   st.checkRetry,
		Backoff:      st.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	start := time.Now()
	for {
		resp, err := rc.Do(req)
		if err != nil {
			err = st.transportError(ctx, err)
			st.log(ctx, start, 0, "", err)
			return err
		}
		err = st.decode(resp, out)
		resp.Body.Close()
		if err == nil || !st.retryAnswer(ctx, err) {
			st.log(ctx, start, resp.StatusCode, resp.Header.Get("Request-Id"), err)
			return err
		}
		if err := sleep(ctx, st.nextWait); err != nil {
			err = fmt.Errorf("mews: %s: %w while waiting to retry after: %w", st.op.Name, err, st.waitingOut)
			st.log(ctx, start, resp.StatusCode, resp.Header.Get("Request-Id"), err)
			return err
		}
		resetOut(out) // a cut-off body may have filled part of it
	}
}

// resetOut sets *out to its zero value, if out is a non-nil pointer.
func resetOut(out any) {
	if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero()
	}
}

// retryAnswer decides about answers that only reading the body shows to be
// retryable, which go-retryablehttp cannot see: a success status with an unreadable
// body (cut off, or a proxy's page), and the Channel Manager's code 1, which Mews says
// "may be re-sent after some time". Like every retry, only for reads and idempotent
// writes, within the attempts and the deadline.
func (st *call) retryAnswer(ctx context.Context, err error) bool {
	var e *APIError
	if st.op.Safety == Write || !errors.As(err, &e) {
		return false
	}
	unreadable := e.StatusCode >= 200 && e.StatusCode <= 299 && errors.Is(e, ErrBadResponse) && !errors.Is(e.Err, errBodyTooLarge)
	systemError := len(e.Errors) > 0
	for _, d := range e.Errors {
		systemError = systemError && d.Code == CodeSystemError
	}
	if !unreadable && !systemError {
		return false
	}
	if !st.planWait(ctx, nil) {
		return false
	}
	st.waitingOut = e
	return true
}

// sleep waits d, or returns the context's error as soon as it ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// target is the URL an operation is posted to.
func (c *Client) target(api API, op Operation) (string, error) {
	if op.URL != "" {
		if err := checkURL(op.URL); err != nil {
			return "", &InputError{Operation: op.Name, Field: "URL", Reason: err.Error()}
		}
		return op.URL, nil
	}
	name := strings.Trim(op.Name, "/")
	if name == "" {
		return "", &InputError{Field: "operation", Reason: "has neither a name nor a URL"}
	}
	if api == ConnectorAPI {
		return c.env.BaseURL + connectorPath + name, nil
	}
	return c.env.BaseURL + channelManagerPath + name, nil
}

// encodeBody writes the credential fields first, then the fields of in, as one JSON
// object, without decoding and re-encoding in.
func encodeBody(auth []authField, in any) ([]byte, error) {
	var rest []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("cannot be encoded as JSON: %v", err)
		}
		b = bytes.TrimSpace(b)
		if string(b) != "null" {
			if len(b) < 2 || b[0] != '{' {
				return nil, errors.New("must encode to a JSON object")
			}
			rest = bytes.TrimSpace(b[1 : len(b)-1])
		}
	}
	buf := make([]byte, 0, len(rest)+64*len(auth)+2)
	buf = append(buf, '{')
	for i, f := range auth {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = appendJSONString(buf, f.name)
		buf = append(buf, ':')
		buf = appendJSONString(buf, f.value)
	}
	if len(rest) > 0 {
		if len(auth) > 0 {
			buf = append(buf, ',')
		}
		buf = append(buf, rest...)
	}
	return append(buf, '}'), nil
}

// appendJSONString appends s as a JSON string.
func appendJSONString(buf []byte, s string) []byte {
	b, _ := json.Marshal(s) // a string always encodes
	return append(buf, b...)
}

// callKey carries the *call through the request context to the attempt transport.
type callKey struct{}

// call is the state of one pipeline call across its attempts.
type call struct {
	client   *Client
	api      API
	op       Operation
	limiter  Limiter
	limitKey string
	secrets  []string // values scrubbed from every text that leaves the call
	attempts int
	nextWait time.Duration
	// waitingOut is the answer from Mews that the planned retry is waiting out, kept
	// for the error when the context ends during the wait.
	waitingOut *APIError
}

// transportError explains a call that ended without a response to decode: a network
// failure, or a context that ended. When the context ended while the call was waiting
// out an answer from Mews (a 429 or a 503), that answer is kept in the error too.
func (st *call) transportError(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	if ctxErr != nil && st.waitingOut != nil {
		return fmt.Errorf("mews: %s: %w while waiting to retry after: %w", st.op.Name, err, st.waitingOut)
	}
	return fmt.Errorf("mews: %s: %w", st.op.Name, err)
}

// log records the outcome of a call: Debug for success, Warn for failure.
func (st *call) log(ctx context.Context, start time.Time, status int, requestID string, err error) {
	level := slog.LevelDebug
	if err != nil {
		level = slog.LevelWarn
	}
	l := st.client.logger
	if !l.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("api", string(st.api)),
		slog.String("operation", st.op.Name),
		slog.Int("status", status),
		slog.Int("attempts", st.attempts),
		slog.Duration("duration", time.Since(start)),
	}
	var apiErr *APIError
	if requestID == "" && errors.As(err, &apiErr) {
		requestID = apiErr.RequestID
	}
	if requestID != "" {
		attrs = append(attrs, slog.String("request_id", requestID))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", st.scrub(err.Error())))
	}
	l.LogAttrs(ctx, level, "mews call", attrs...)
}

// secretsOf lists what scrub removes: the tokens among the credential fields and the
// operation's own secrets.
func secretsOf(auth []authField, op Operation) []string {
	var out []string
	for _, f := range auth {
		if strings.HasSuffix(f.name, "Token") {
			out = append(out, f.value)
		}
	}
	for _, s := range op.Secrets {
		if s = strings.TrimSpace(s); len(s) >= 3 {
			out = append(out, s)
		}
	}
	return out
}

// scrub removes the call's secrets from text that came from elsewhere (an echoed
// request in an error body, a transport error).
func (st *call) scrub(s string) string {
	for _, secret := range st.secrets {
		if secret != "" && strings.Contains(s, secret) {
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	return s
}

// errEmptyBody and errBodyTooLarge are the causes of undecodable bodies.
var (
	errEmptyBody    = errors.New("empty response body")
	errBodyTooLarge = errors.New("response body exceeds the configured maximum (see mews.WithMaxResponseBytes)")
)

// readBody reads the whole body, refusing more than max bytes.
func readBody(resp *http.Response, max int64) ([]byte, error) {
	if resp.ContentLength > max {
		return nil, errBodyTooLarge
	}
	if resp.ContentLength > 0 {
		buf := make([]byte, resp.ContentLength)
		if _, err := io.ReadFull(resp.Body, buf); err != nil {
			return nil, fmt.Errorf("reading the response body: %w", err)
		}
		return buf, nil
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response body: %w", err)
	}
	if int64(len(b)) > max {
		return nil, errBodyTooLarge
	}
	return b, nil
}

// decode turns a response into out or an error, by the rules of the call's API.
func (st *call) decode(resp *http.Response, out any) error {
	e := &APIError{
		API:        st.api,
		Operation:  st.op.Name,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("Request-Id"),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	body, err := readBody(resp, st.client.maxResponse)
	if err != nil {
		e.Err = err
		return e
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if st.api == ConnectorAPI {
		if ok {
			return st.decodeInto(e, body, out, resp.StatusCode == http.StatusNoContent)
		}
		return st.connectorError(e, body)
	}
	if !ok {
		// The Channel Manager API documents only HTTP 200; anything else is a
		// transport-level failure (a proxy page, an outage).
		st.envelopeInto(e, body)
		return e
	}
	if failed := st.envelopeInto(e, body); failed || e.Err != nil {
		return e
	}
	return st.decodeInto(e, body, out, false)
}

// decodeInto decodes a successful body into out.
func (st *call) decodeInto(e *APIError, body []byte, out any, noContent bool) error {
	if noContent {
		return nil
	}
	if out == nil {
		if len(body) > 0 && !json.Valid(body) {
			e.Err = errors.New("the response is not JSON")
			e.Snippet = st.snippet(body)
			return e
		}
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		e.Err = errEmptyBody
		return e
	}
	if err := json.Unmarshal(body, out); err != nil {
		e.Err = err
		e.Snippet = st.snippet(body)
		return e
	}
	return nil
}

// connectorError fills e from a Connector error body {Message, RequestId, Details}.
func (st *call) connectorError(e *APIError, body []byte) error {
	var eb struct {
		Message   string `json:"Message"`
		RequestID string `json:"RequestId"`
	}
	if err := json.Unmarshal(body, &eb); err != nil {
		if len(bytes.TrimSpace(body)) > 0 {
			e.Snippet = st.snippet(body)
		}
		return e
	}
	e.Message = st.scrub(eb.Message)
	if eb.RequestID != "" {
		e.RequestID = eb.RequestID
	}
	return e
}

// envelope is the Channel Manager's response envelope, read tolerantly: errors or the
// deprecated singular error, success as a bool or a string, or missing altogether.
type envelope struct {
	Success *flexBool     `json:"success"`
	Errors  []ErrorDetail `json:"errors"`
	Error   *ErrorDetail  `json:"error"`
}

// envelopeInto reads the envelope into e and reports whether it says the call failed.
// A body that is not JSON sets e.Err and e.Snippet.
func (st *call) envelopeInto(e *APIError, body []byte) (failed bool) {
	var env envelope
	if len(bytes.TrimSpace(body)) == 0 {
		e.Err = errEmptyBody
		return false
	}
	if err := json.Unmarshal(body, &env); err != nil {
		e.Err = err
		e.Snippet = st.snippet(body)
		return false
	}
	e.Errors = env.Errors
	if env.Error != nil {
		e.Errors = append(e.Errors, *env.Error)
	}
	for i := range e.Errors {
		e.Errors[i].Message = st.scrub(e.Errors[i].Message)
	}
	if len(e.Errors) > 0 {
		e.Message = e.Errors[0].Message
		return true
	}
	if env.Success != nil && !bool(*env.Success) {
		e.Message = "Mews answered success: false without an error"
		return true
	}
	return false
}

// snippet is a short, printable, token-free excerpt of an undecodable body.
func (st *call) snippet(body []byte) string {
	const max = 120
	if len(body) > 4*max {
		body = body[:4*max] // a token that starts before max ends inside this window
	}
	s := st.scrub(strings.TrimSpace(string(body)))
	if len(s) > max {
		s = s[:max]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if s == "" {
		return "(empty)"
	}
	return s
}

// flexBool reads a JSON bool that Mews sometimes writes as a string.
type flexBool bool

// UnmarshalJSON accepts true, false, "true" and "false".
func (b *flexBool) UnmarshalJSON(data []byte) error {
	switch strings.ToLower(strings.Trim(string(data), `"`)) {
	case "true":
		*b = true
	case "false", "null", "":
		*b = false
	default:
		return fmt.Errorf("mews: %s is not a boolean", data)
	}
	return nil
}
