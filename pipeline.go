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
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
)

// Safety tells the retry policy what repeating an operation could do. Its zero value,
// and any value not listed here, is Write: an operation that does not say otherwise is
// never repeated once it may have reached Mews.
type Safety int

const (
	// Write operations are not idempotent in Mews (a repeated resourceAccessTokens/add
	// stores a second PIN). They are retried only when Mews provably did not process
	// them: a 429, or a connection that could not even be opened. It is the zero value.
	Write Safety = iota
	// IdempotentWrite operations may be repeated with the same effect (for example a
	// Channel Manager group push, which states a full booking keyed by its id). They are
	// retried like reads.
	IdempotentWrite
	// Read operations change nothing and are retried after any transient failure.
	Read
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

// repeatable reports whether an attempt that may have reached Mews can be sent again.
// Unknown values are writes.
func (s Safety) repeatable() bool { return s == Read || s == IdempotentWrite }

// Operation names one Mews call for the pipeline.
type Operation struct {
	// Name is the path below the API's prefix: "reservations/getAll/2023-06-06" for
	// the Connector (below /api/connector/v1/), "getConfiguration" for the Channel
	// Manager (below /api/channelManager/v1/). It also names the call in errors and logs.
	Name string
	// URL, when set, is the absolute address to post to instead (a responseUrl Mews
	// gave). https only, except loopback. Without it, the Channel Manager's
	// processGroup and processAvailabilityBlock go to the environment's PCI-proxy push
	// URLs, and every other operation below the API's prefix.
	URL string
	// Safety decides which failures are retried. Leave it unset only for a
	// non-idempotent write: the zero value is Write.
	Safety Safety
	// Secrets are values of this request besides the tokens that must never reach an
	// error or a log line, even when Mews or a proxy quotes them back (a payment card
	// number, a CVV). The tokens are always scrubbed.
	Secrets []string
	// ShrinkOnTimeout returns a 408 at once instead of retrying it: the caller (a
	// pager) asks for less rather than repeating a request Mews found too heavy.
	ShrinkOnTimeout bool
	// Priority is the share of the token's rate budget the call may use; connection's
	// health checks use PriorityHealthCheck. The zero value is an application call.
	Priority Priority
	// Supersedes, when set, keys a full-state push (a Channel Manager group, an
	// inventory, a confirmation): when a call with key k starts on a handle, an earlier
	// call of the same operation and key on the same token that is still in flight is
	// not retried after its current attempt and returns an error matching
	// ErrSuperseded, and the newer call is sent only after every earlier one has
	// returned. So a late retry of an older state can never land after a newer one.
	// Empty keys nothing.
	Supersedes string
}

// authField is one credential or identity field merged into a request body.
type authField struct{ name, value string }

// do is the one request pipeline: encode, then let go-retryablehttp run the attempts,
// each of which goes through the call's send (limiter, then the transport) and ends in
// the call's decide (read, classify, decode, retry or not, wait, log).
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
	st := &call{
		client: c, api: api, op: op, limiter: lim, limitKey: key, secrets: secretsOf(auth, op), out: out,
		shrinkOnTimeout: op.ShrinkOnTimeout,
	}
	start := time.Now()
	parent := ctx
	if op.Supersedes != "" {
		var cancel context.CancelCauseFunc
		ctx, cancel = context.WithCancelCause(ctx)
		defer cancel(nil)
		var earlier <-chan struct{}
		st.slot, earlier = c.superseding.start(key+"\x00"+op.Name+"\x00"+op.Supersedes, cancel)
		defer c.superseding.finish(st.slot)
		if earlier != nil {
			select {
			case <-earlier:
			case <-ctx.Done():
				result := st.supersededResult(nil)
				if parent.Err() != nil || context.Cause(ctx) != ErrSuperseded {
					result = fmt.Errorf("mews: %s: %w while waiting for an earlier call with the same key", op.Name, context.Cause(ctx))
				}
				st.log(parent, start, result)
				return result
			}
		}
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPost, target, body)
	if err != nil {
		return &InputError{Operation: op.Name, Field: "URL", Reason: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)

	rc := &retryablehttp.Client{
		HTTPClient: st.httpClient(),
		// decide counts the attempts itself; this bound only keeps go-retryablehttp
		// from stopping first.
		RetryMax:     c.retry.MaxAttempts,
		CheckRetry:   st.decide,
		Backoff:      st.backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	resp, err := rc.Do(req)
	if resp != nil {
		resp.Body.Close() // decide has read it already
	}
	result := st.result
	if st.retrying {
		// The context ended while waiting for the next attempt; keep Mews' last answer.
		result = fmt.Errorf("mews: %s: %w while waiting to retry after: %w", op.Name, st.scrubError(contextError(ctx, err)), st.result)
	}
	if st.slot != nil && parent.Err() == nil && context.Cause(ctx) == ErrSuperseded {
		result = st.supersededResult(st.result) // ended in a wait: the limiter or a backoff
	}
	st.log(parent, start, result)
	return result
}

// contextError is the context's own error, which explains err if the context has ended.
func contextError(ctx context.Context, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return err
}

// resetOut sets *out to its zero value, if out is a non-nil pointer.
func resetOut(out any) {
	if v := reflect.ValueOf(out); v.Kind() == reflect.Pointer && !v.IsNil() {
		v.Elem().SetZero()
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
	// The two pushes that carry payment cards go through the environment's PCI proxy,
	// so operations need not know the environment.
	switch name {
	case "processGroup":
		return c.env.ReservationPushURL, nil
	case "processAvailabilityBlock":
		return c.env.AvailabilityBlockPushURL, nil
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

// call is the state of one pipeline call across its attempts. It belongs to the call:
// its per-call transport and go-retryablehttp's hooks reach it as a receiver, never
// through the context.
type call struct {
	client          *Client
	api             API
	op              Operation
	limiter         Limiter
	limitKey        string
	secrets         []string       // values scrubbed from every text that leaves the call
	out             any            // where a successful body is decoded
	shrinkOnTimeout bool           // a 408 is returned at once, for the caller to ask for less
	slot            *supersedeSlot // the call's place among calls with its Supersedes key, if any

	attempts int
	decoded  bool          // out holds what an earlier attempt decoded
	status   int           // the last attempt's HTTP status, 0 without a response
	result   error         // the last attempt's outcome: nil, or the error to return
	retrying bool          // decide planned another attempt
	nextWait time.Duration // how long before it
}

// httpClient is the user's client for this call: its Transport, Timeout and Jar, under
// the call's own per-attempt layer, and never following a redirect. A redirect would
// re-post the body, both tokens included, to whatever host and scheme Location names.
func (st *call) httpClient() *http.Client {
	hc := *st.client.httpClient
	hc.Transport = &attemptTransport{base: hc.Transport, call: st}
	hc.CheckRedirect = refuseRedirect
	return &hc
}

// refuseRedirect makes net/http hand back a 3xx as it is; decide turns it into an error.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// transportError explains an attempt that ended without a response: a network
// failure, or a context that ended. Its text is scrubbed.
func (st *call) transportError(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if ctxErr != nil && !errors.Is(err, ctxErr) {
		err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return st.scrubError(fmt.Errorf("mews: %s: %w", st.op.Name, err))
}

// log records the outcome of a call: Debug for success, Warn for failure.
func (st *call) log(ctx context.Context, start time.Time, err error) {
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
		slog.Int("status", st.status),
		slog.Int("attempts", st.attempts),
		slog.Duration("duration", time.Since(start)),
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", apiErr.RequestID))
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

// scrubError returns err, or, when its text quotes a secret, an error with the scrubbed
// text that still matches what err matched.
func (st *call) scrubError(err error) error {
	if err == nil {
		return nil
	}
	text := err.Error()
	if clean := st.scrub(text); clean != text {
		return &scrubbedError{text: clean, err: err}
	}
	return err
}

// scrubbedError is an error whose text had a secret removed. errors.Is and errors.As
// still see the original (a context's end, a network error); its text is the clean one.
type scrubbedError struct {
	text string
	err  error
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// badBody is the cause of a response body that could not be read as the API's JSON: a
// syntax error, a custom unmarshaler's complaint, a body cut off by the network. Its
// text is scrubbed, and so as not to hand out a secret through the original's text, it
// keeps the original only when that text was clean already.
type badBody struct {
	text string
	err  error // nil when its text quoted a secret
}

func (e *badBody) Error() string { return e.text }
func (e *badBody) Unwrap() error { return e.err }

// badBody wraps a decoding or reading failure, scrubbed.
func (st *call) badBody(prefix string, err error) error {
	text := prefix + err.Error()
	if clean := st.scrub(text); clean != text {
		return &badBody{text: clean}
	}
	return &badBody{text: text, err: err}
}

// errEmptyBody, errBodyTooLarge and errRedirect are the causes of unusable answers.
var (
	errEmptyBody    = errors.New("empty response body")
	errBodyTooLarge = errors.New("response body exceeds the configured maximum (see mews.WithMaxResponseBytes)")
	errRedirect     = errors.New("the server answered with a redirect, which the SDK never follows for API calls (it would re-send the tokens elsewhere); check the environment's base URL")
)

// bodyPool holds a Client's response buffers between calls, so that reading a response
// costs no allocation once the pool holds a buffer as large as it. Its zero value is
// ready to use.
type bodyPool struct {
	buffers sync.Pool
	// chunkedSize is the length of the last body read without a Content-Length. A
	// buffer for the next one, when the pool has none at hand (sync.Pool often misses:
	// a buffer put back on one processor is not seen from another), starts at that
	// size instead of growing by copies from a few kilobytes.
	chunkedSize atomic.Int64
}

// maxPooledBuffer is the largest buffer kept for reuse; a rare larger body is left to
// the garbage collector rather than held by the pool.
const maxPooledBuffer = 16 << 20

// get returns an empty buffer, from the pool when it has one large enough, with room
// for size bytes when size is known (not negative).
func (bp *bodyPool) get(size int64) *[]byte {
	if p, _ := bp.buffers.Get().(*[]byte); p != nil && int64(cap(*p)) >= size {
		*p = (*p)[:0]
		return p
	}
	if size < 0 {
		// Room for the EOF read too, so a body of the expected size needs no growth.
		size = min(bp.chunkedSize.Load(), maxPooledBuffer) + 512
	}
	b := make([]byte, 0, max(size, 4096))
	return &b
}

// put hands a buffer back to the pool.
func (bp *bodyPool) put(p *[]byte) {
	if p != nil && cap(*p) <= maxPooledBuffer {
		bp.buffers.Put(p)
	}
}

// readBody reads the whole body into a buffer from the pool, refusing more than max bytes. A
// declared Content-Length is read exactly, into a buffer of that size; a chunked body
// grows the buffer by doubling, which a reused buffer has done already.
func (bp *bodyPool) readBody(resp *http.Response, max int64) (*[]byte, error) {
	if resp.ContentLength > max {
		return nil, errBodyTooLarge
	}
	p := bp.get(resp.ContentLength)
	if resp.ContentLength >= 0 {
		n := int(resp.ContentLength)
		*p = (*p)[:n]
		if _, err := io.ReadFull(resp.Body, *p); err != nil {
			bp.put(p)
			return nil, err
		}
		return p, nil
	}
	b := *p
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := resp.Body.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if int64(len(b)) > max {
			*p = b
			bp.put(p)
			return nil, errBodyTooLarge
		}
		if err == io.EOF {
			*p = b
			bp.chunkedSize.Store(int64(len(b)))
			return p, nil
		}
		if err != nil {
			*p = b
			bp.put(p)
			return nil, err
		}
	}
}

// utf8BOM is the byte order mark some servers put before JSON; encoding/json refuses it.
var utf8BOM = []byte("\xEF\xBB\xBF")

// decode turns a response into out or an error, by the rules of the call's API.
func (st *call) decode(resp *http.Response, out any) error {
	e := &APIError{
		API:        st.api,
		Operation:  st.op.Name,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("Request-Id"),
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	if resp.StatusCode >= 300 && resp.StatusCode <= 399 {
		// Neither the body nor Location is quoted: both may name where the tokens would go.
		e.Err = errRedirect
		return e
	}
	bodies := &st.client.bodies
	buf, err := bodies.readBody(resp, st.client.maxResponse)
	if err != nil {
		if errors.Is(err, errBodyTooLarge) {
			e.Err = errBodyTooLarge
		} else {
			e.Err = st.badBody("the response body was cut off: ", err)
		}
		return e
	}
	defer bodies.put(buf) // out and e hold copies, never the buffer itself
	body := bytes.TrimPrefix(*buf, utf8BOM)
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if st.api == ConnectorAPI {
		if ok {
			return st.decodeInto(e, body, out, resp.StatusCode == http.StatusNoContent)
		}
		return st.connectorError(e, body)
	}
	if !ok {
		// The Channel Manager API documents only HTTP 200; anything else is a
		// transport-level failure (a proxy page, an outage) unless Mews' envelope says more.
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
			e.Err = &badBody{text: "the response is not JSON"}
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
		e.Err = st.badBody("", err)
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
		e.RequestID = st.scrub(eb.RequestID)
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
		e.Err = st.badBody("", err)
		e.Snippet = st.snippet(body)
		return false
	}
	e.Errors = env.Errors
	if env.Error != nil {
		e.Errors = append(e.Errors, *env.Error)
	}
	for i := range e.Errors {
		d := &e.Errors[i]
		d.Message, d.RateCode, d.CategoryCode = st.scrub(d.Message), st.scrub(d.RateCode), st.scrub(d.CategoryCode)
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

// snippet is a short, printable, token-free excerpt of an undecodable body. The
// secrets are removed before anything is cut, so no part of one can survive a cut.
func (st *call) snippet(body []byte) string {
	const limit = 120
	body = bytes.TrimSpace(body)
	longest := 0
	for _, secret := range st.secrets {
		longest = max(longest, len(secret))
	}
	// Scrub a window of the body, widened until what survives scrubbing is long enough
	// that a secret cut at the window's end lies beyond the excerpt.
	var s string
	for window := 4*limit + longest; ; window *= 2 {
		part := body[:min(window, len(body))]
		s = st.scrub(string(part))
		if len(part) == len(body) || len(s) >= limit+longest {
			break
		}
	}
	if len(s) > limit {
		s = s[:limit]
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
