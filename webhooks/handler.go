package webhooks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/httpin"
)

// Defaults of a Handler; each has an option.
const (
	DefaultTokenParameter  = "Token"                       // the query parameter holding the URL secret
	DefaultWorkers         = 4                             // messages processed at once
	DefaultQueueSize       = 256                           // messages accepted but not yet processed
	DefaultProcessTimeout  = 2 * time.Minute               // deadline of one call of the process function
	DefaultBodyReadTimeout = httpin.DefaultBodyReadTimeout // time for the whole body to arrive
	retryAfterWhenFull     = 60 * time.Second              // what a full queue asks Mews to wait
)

// DefaultMaxBodyBytes is the largest body read unless WithMaxBodyBytes says
// otherwise. Mews batches up to "the order of hundreds" of events per General Webhook
// and rolls the rest over into a new message; an event is about 100 bytes, so even a
// thousand of them take about 100 KiB, and an Integration Webhook is under 1 KiB.
// 1 MiB leaves ten times that while keeping what a stranger can make the Handler
// buffer small.
const DefaultMaxBodyBytes = 1 << 20

// Func processes one message. Its context ends after the process timeout, or when
// Shutdown gives up waiting.
type Func func(ctx context.Context, m *Message) error

// Handler receives Mews General Webhooks. It checks the secret token in the URL in
// constant time, decodes the message, queues it and answers 202 Accepted at once, so
// Mews' 5-second limit is met whatever the processing takes. A fixed pool of workers
// calls the process function, each call with its own deadline.
//
// Answers: 202 when queued; 401 for a missing or wrong token; 405 for a method other
// than POST; 413 for a body over the limit (refused unread when its declared length
// is); 408 for a body that did not arrive within the read deadline; 400 for a body that is not a webhook
// message, unless it is an Integration Webhook and WithIntegrationWebhooks names the
// handler that answers it. When the queue is full, or after Shutdown, it answers 503 with
// Retry-After: Mews sends the message again after a few minutes, so nothing is lost
// unless Mews gives up after repeated failures. Mews also re-sends after a timeout,
// so a message can arrive twice; processing should be idempotent (events carry ids,
// and fetching the same entity twice is harmless).
//
// Errors and panics of the process function are logged: Mews already has its 202 and
// will not re-send, so reconcile periodically (for example reservations updated since
// the last run) if every change matters.
type Handler struct {
	secret  httpin.Secret
	param   string
	process Func
	workers int
	timeout time.Duration
	in      httpin.Settings // body cap, read deadline and logger, shared with package inbound
	shared  []httpin.Option
	log     *slog.Logger
	// integration receives Integration Webhooks sent to the same URL (WithIntegrationWebhooks).
	integration http.Handler

	queue  chan *Message
	base   context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.RWMutex // guards closed and sending on queue
	closed bool
}

// Option configures a Handler.
type Option func(*Handler) error

// WithTokenParameter names the query parameter that carries the secret (default "Token").
func WithTokenParameter(name string) Option {
	return func(h *Handler) error {
		if name == "" {
			return &mews.InputError{Field: "token parameter", Reason: "is empty"}
		}
		h.param = name
		return nil
	}
}

// WithWorkers sets how many messages are processed at once (default 4).
func WithWorkers(n int) Option {
	return func(h *Handler) error {
		if n <= 0 {
			return &mews.InputError{Field: "workers", Reason: "must be positive"}
		}
		h.workers = n
		return nil
	}
}

// WithQueueSize sets how many accepted messages may wait for a worker (default 256);
// beyond that the Handler answers 503 and Mews re-sends later.
func WithQueueSize(n int) Option {
	return func(h *Handler) error {
		if n < 0 {
			return &mews.InputError{Field: "queue size", Reason: "must not be negative"}
		}
		h.queue = make(chan *Message, n)
		return nil
	}
}

// WithProcessTimeout sets the deadline of one call of the process function
// (default 2 minutes).
func WithProcessTimeout(d time.Duration) Option {
	return func(h *Handler) error {
		if d <= 0 {
			return &mews.InputError{Field: "process timeout", Reason: "must be positive"}
		}
		h.timeout = d
		return nil
	}
}

// WithMaxBodyBytes caps the size of a message body (default DefaultMaxBodyBytes).
func WithMaxBodyBytes(n int64) Option { return shared(httpin.WithMaxBodyBytes(n)) }

// WithBodyReadTimeout sets how long a message body may take to arrive (default
// DefaultBodyReadTimeout). The deadline is set on the connection, so it holds only
// when the Handler is served by net/http's server.
func WithBodyReadTimeout(d time.Duration) Option { return shared(httpin.WithBodyReadTimeout(d)) }

// WithLogger sets where rejected requests and processing failures are reported.
// The secret is never logged. The default, and nil, discard everything.
func WithLogger(l *slog.Logger) Option { return shared(httpin.WithLogger(l)) }

// shared adapts one of the settings every inbound handler of the SDK shares.
func shared(opt httpin.Option) Option {
	return func(h *Handler) error {
		h.shared = append(h.shared, opt)
		return nil
	}
}

// WithIntegrationWebhooks passes Integration Webhooks ({"Action": ..., "Data": ...}),
// which Mews may send to the same URL as General Webhooks, to next (for example the
// handler from connection.Monitor.WebhookHandler) instead of refusing them with 400,
// which would make Mews re-send and then drop them. next gets the request after this
// Handler checked the URL token, with the body intact, and answers it itself; give it
// the same secret.
func WithIntegrationWebhooks(next http.Handler) Option {
	return func(h *Handler) error {
		if next == nil {
			return &mews.InputError{Field: "integration webhook handler", Reason: "is nil"}
		}
		h.integration = next
		return nil
	}
}

// NewHandler starts a Handler whose workers pass each message to process. secret is
// the token you chose and gave Mews as part of the webhook URL
// (https://example.com/mews/webhooks?Token=secret). Call Shutdown to stop the workers.
func NewHandler(secret string, process Func, opts ...Option) (*Handler, error) {
	tok, err := mews.NewToken(secret)
	if err != nil {
		return nil, err
	}
	if process == nil {
		return nil, &mews.InputError{Field: "process", Reason: "is nil; pass the function that handles a message"}
	}
	h := &Handler{
		secret:  httpin.NewSecret(tok.Reveal()),
		param:   DefaultTokenParameter,
		process: process,
		workers: DefaultWorkers,
		timeout: DefaultProcessTimeout,
	}
	for _, opt := range opts {
		if err := opt(h); err != nil {
			return nil, err
		}
	}
	if h.in, err = httpin.NewSettings(h.shared...); err != nil {
		return nil, err
	}
	h.shared, h.log = nil, h.in.Logger
	if h.queue == nil {
		h.queue = make(chan *Message, DefaultQueueSize)
	}
	h.base, h.cancel = context.WithCancel(context.Background())
	for range h.workers {
		h.wg.Go(h.work)
	}
	return h, nil
}

// ServeHTTP authenticates, decodes and queues one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reply(w, http.StatusMethodNotAllowed, "use POST")
		return
	}
	if !h.authenticated(r) {
		h.reply(w, http.StatusUnauthorized, "missing or wrong "+h.param+" parameter")
		return
	}
	m, body, status, problem := h.decode(w, r)
	if problem != "" && h.integration != nil && isIntegrationWebhook(body) {
		h.passOn(w, r, body)
		return
	}
	if problem != "" {
		h.log.WarnContext(r.Context(), "mews webhooks: rejected a delivery", slog.Int("status", status), slog.String("problem", problem))
		h.reply(w, status, problem)
		return
	}
	if !h.enqueue(m) {
		h.log.WarnContext(r.Context(), "mews webhooks: queue full or shut down; Mews will re-send",
			slog.String("enterpriseId", m.EnterpriseID), slog.Int("events", len(m.Events)))
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfterWhenFull/time.Second)))
		h.reply(w, http.StatusServiceUnavailable, "busy; send again later")
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// authenticated compares the URL secret with the expected one in constant time.
func (h *Handler) authenticated(r *http.Request) bool {
	return h.secret.Matches(r.URL.Query().Get(h.param))
}

// decode reads and checks the body; problem is "" when it is a webhook message. body is
// what could be read.
func (h *Handler) decode(w http.ResponseWriter, r *http.Request) (m *Message, body []byte, status int, problem string) {
	body, err := h.in.ReadBody(w, r, h.in.Limit(DefaultMaxBodyBytes))
	switch {
	case errors.Is(err, httpin.ErrBodyTooLarge):
		return nil, nil, http.StatusRequestEntityTooLarge, "body too large"
	case errors.Is(err, httpin.ErrBodyTimeout):
		return nil, nil, http.StatusRequestTimeout, "body did not arrive in time"
	case err != nil:
		return nil, nil, http.StatusBadRequest, "body could not be read"
	}
	m = new(Message)
	if err := json.Unmarshal(body, m); err != nil {
		return nil, body, http.StatusBadRequest, "body is not a webhook message: " + describeJSONError(err)
	}
	switch {
	case m.EnterpriseID == "":
		return nil, body, http.StatusBadRequest, "EnterpriseId is missing"
	case m.IntegrationID == "":
		return nil, body, http.StatusBadRequest, "IntegrationId is missing"
	case m.Events == nil:
		return nil, body, http.StatusBadRequest, "Events is missing"
	}
	return m, body, 0, ""
}

// isIntegrationWebhook recognises the {"Action": ..., "Data": ...} body of an
// Integration Webhook.
func isIntegrationWebhook(body []byte) bool {
	var probe struct {
		Action string `json:"Action"`
	}
	return json.Unmarshal(body, &probe) == nil && probe.Action != ""
}

// passOn hands an Integration Webhook, with the body already read, to the
// WithIntegrationWebhooks handler.
func (h *Handler) passOn(w http.ResponseWriter, r *http.Request, body []byte) {
	fwd := r.Clone(r.Context())
	fwd.Body = io.NopCloser(bytes.NewReader(body))
	fwd.ContentLength = int64(len(body))
	h.integration.ServeHTTP(w, fwd)
}

// describeJSONError explains a decoding failure in terms of the JSON Mews sent, never
// of this package's Go types, since the text goes back to the sender and into logs.
func describeJSONError(err error) string {
	p, ok := httpin.ExplainJSON(err)
	switch {
	case ok && p.Malformed:
		return fmt.Sprintf("malformed JSON at byte %d", p.Offset)
	case ok && p.Field != "":
		return fmt.Sprintf("%s is a JSON %s, which is not its documented type", p.Field, p.Got)
	}
	return "want a JSON object with EnterpriseId, IntegrationId and Events"
}

// enqueue queues m without blocking; false means full or shut down.
func (h *Handler) enqueue(m *Message) bool {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if h.closed {
		return false
	}
	select {
	case h.queue <- m:
		return true
	default:
		return false
	}
}

// reply writes a short plain-text answer.
func (h *Handler) reply(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, text+"\n")
}

// work processes queued messages until Shutdown closes the queue.
func (h *Handler) work() {
	for m := range h.queue {
		h.run(m)
	}
}

// run calls the process function once, with its deadline, and reports failures.
func (h *Handler) run(m *Message) {
	ctx, cancel := context.WithTimeout(h.base, h.timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("mews webhooks: process function panicked",
				slog.String("enterpriseId", m.EnterpriseID), slog.Any("panic", p), slog.String("stack", string(debug.Stack())))
		}
	}()
	if err := h.process(ctx, m); err != nil {
		h.log.Error("mews webhooks: processing failed; Mews will not re-send this message",
			slog.String("enterpriseId", m.EnterpriseID), slog.String("integrationId", m.IntegrationID),
			slog.Int("events", len(m.Events)), slog.Any("error", err))
	}
}

// Shutdown stops accepting messages (later deliveries get 503), lets the workers
// finish the queued ones, and returns when they are done. If ctx ends first, it
// cancels the running calls' contexts and returns ctx's error; messages still queued
// then are dropped (Mews has acknowledged them; reconcile as for failures).
func (h *Handler) Shutdown(ctx context.Context) error {
	h.mu.Lock()
	if !h.closed {
		h.closed = true
		close(h.queue)
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() {
		h.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		h.cancel()
		return nil
	case <-ctx.Done():
		h.cancel()
		for range h.queue { // drop what is left so the workers can exit
		}
		return ctx.Err()
	}
}
