package inbound

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/httpin"
)

// The paths Mews calls, relative to the channel manager's base URL. Register these
// URLs with Mews for each environment. ChangeNotification is misspelled exactly as
// Mews calls it; the handler also serves the correct spelling.
const (
	PathUpdatePrices             = "updatePrices"
	PathUpdateAvailability       = "updateAvailability"
	PathUpdateRestrictions       = "updateRestrictions"
	PathConfirmGroup             = "confirmGroup"
	PathChangeNotification       = "changeNotificaton"
	PathProcessAvailabilityBlock = "processAvailabilityBlock"
	PathProcessGroup             = "processGroup"
)

// DefaultMaxBodyBytes is the largest inventory push (updatePrices,
// updateAvailability, updateRestrictions) the Handler reads unless WithMaxBodyBytes
// says otherwise. Mews documents no payload size, only that a channel manager must
// accept a full push of at least 365 days, so this cap leaves room for a year of
// daily values for a large property.
//
// The other operations carry far less, so their bodies are capped lower by default:
// processGroup at 4 MiB (Mews recommends at most 100 reservations per group, each a
// few KiB with its nightly amounts, guests and free-text notes), processAvailabilityBlock
// at 1 MiB (one block), and confirmGroup and changeNotificaton at 64 KiB (confirmation
// numbers, or a connection token and a change type). A body over its cap gets code 6
// before it is read.
const DefaultMaxBodyBytes = 32 << 20

// The default caps of the operations that carry less than a full inventory push; see
// DefaultMaxBodyBytes.
const (
	maxGroupBodyBytes        = 4 << 20
	maxBlockBodyBytes        = 1 << 20
	maxNotificationBodyBytes = 64 << 10
)

// DefaultBodyReadTimeout is how long the Handler waits for a whole request body
// unless WithBodyReadTimeout says otherwise. Mews sends its body right after the
// headers; a body still arriving after this comes from a stalled or hostile client,
// which the Handler answers with code 6 and disconnects instead of waiting for.
const DefaultBodyReadTimeout = httpin.DefaultBodyReadTimeout

// Handler is the channel manager's side of the Channel Manager API as an
// http.Handler: it serves the seven operations Mews calls, under any prefix (it
// routes on the last path segment), and answers every request with HTTP 200 and the
// documented envelope:
//
//   - a wrong clientToken (compared in constant time) gets code 8;
//   - anything other than a POST of a JSON object within the size limit and the read
//     deadline, a body that does not match the operation's shape, or one missing
//     required fields gets code 6, and the Receiver is not called;
//   - otherwise the Receiver's answer: success, asyncConfirmation, or its error codes.
//
// A panic in the Receiver is recovered and answered as code 1; no stack trace ever
// reaches Mews. With WithDeduplication, a redelivered push that was already accepted is
// acknowledged without calling the Receiver again. A Handler is safe for concurrent use.
type Handler struct {
	recv        Receiver
	clientToken httpin.Secret
	in          httpin.Settings // body cap, read deadline and logger, shared with package webhooks
	shared      []httpin.Option
	dedup       DedupStore
	strictBlock bool
	serial      *serializer
	log         *slog.Logger
	ops         map[string]*operation
}

// Option configures a Handler.
type Option func(*Handler) error

// WithMaxBodyBytes caps the size of every request body at n bytes, replacing the
// per-operation defaults (see DefaultMaxBodyBytes); larger bodies get code 6.
func WithMaxBodyBytes(n int64) Option { return shared(httpin.WithMaxBodyBytes(n)) }

// WithBodyReadTimeout sets how long a request body may take to arrive (default
// DefaultBodyReadTimeout). The deadline is set on the connection, so it holds only
// when the Handler is served by net/http's server.
func WithBodyReadTimeout(d time.Duration) Option { return shared(httpin.WithBodyReadTimeout(d)) }

// shared adapts one of the settings every inbound handler of the SDK shares.
func shared(opt httpin.Option) Option {
	return func(h *Handler) error {
		h.shared = append(h.shared, opt)
		return nil
	}
}

// WithDeduplication remembers the message ids of the last capacity accepted pushes
// (first in, first out) so that Mews' redelivery of an accepted push is acknowledged
// with the same answer without calling the Receiver again. A redelivery that arrives
// while the first copy is still being processed gets code 1, so Mews sends it again
// later. Memory is bounded by capacity; ids are remembered per Handler, so run one
// Handler per process, or use WithDedupStore with a shared store when you run several.
func WithDeduplication(capacity int) Option {
	return func(h *Handler) error {
		if capacity <= 0 {
			return &mews.InputError{Field: "deduplication capacity", Reason: "must be positive"}
		}
		h.dedup = newDedup(capacity)
		return nil
	}
}

// WithDedupStore de-duplicates redeliveries like WithDeduplication, in store, for
// example one that several replicas share. The last of WithDeduplication and
// WithDedupStore wins.
func WithDedupStore(store DedupStore) Option {
	return func(h *Handler) error {
		if store == nil {
			return &mews.InputError{Field: "deduplication store", Reason: "is nil"}
		}
		h.dedup = store
		return nil
	}
}

// WithSerialConnections processes the calls for one connection one at a time, in the
// order they arrive; calls for different connections still run in parallel. Mews
// documents no ordering, and prices, availability and restrictions replace earlier
// values for the same dates, so processing one connection's pushes concurrently could
// leave an older value in place. A call that waits longer than Mews does is
// abandoned (Mews redelivers it). Use it when your Receiver applies pushes inline.
func WithSerialConnections() Option {
	return func(h *Handler) error {
		h.serial = new(serializer)
		return nil
	}
}

// WithStrictBlockAuthentication also requires the clientToken on
// processAvailabilityBlock. Mews documents that operation without a clientToken, so by
// default a request without one is accepted there (a present but wrong one still gets
// code 8).
func WithStrictBlockAuthentication() Option {
	return func(h *Handler) error {
		h.strictBlock = true
		return nil
	}
}

// WithLogger sets where the Handler reports refusals, panics and errors from the
// Receiver. Tokens are never logged. The default, and nil, discard everything.
func WithLogger(l *slog.Logger) Option { return shared(httpin.WithLogger(l)) }

// NewHandler returns the Handler that passes Mews' calls to recv. clientToken is the
// token Mews puts in every call to this channel manager (agreed with Mews; often the
// channel manager's own client token). Use a separate Handler and token for Demo and
// Production.
func NewHandler(clientToken string, recv Receiver, opts ...Option) (*Handler, error) {
	tok, err := mews.NewToken(clientToken)
	if err != nil {
		return nil, err
	}
	if recv == nil {
		return nil, &mews.InputError{Field: "receiver", Reason: "is nil; pass the value that implements inbound.Receiver"}
	}
	h := &Handler{
		recv:        recv,
		clientToken: httpin.NewSecret(tok.Reveal()),
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
	h.ops = make(map[string]*operation)
	for _, op := range operations() {
		h.ops[strings.ToLower(op.name)] = op
	}
	h.ops[strings.ToLower("changeNotification")] = h.ops[strings.ToLower(PathChangeNotification)]
	return h, nil
}

// envelope is the answer to every call.
type envelope struct {
	Success           bool               `json:"success"`
	AsyncConfirmation *bool              `json:"asyncConfirmation,omitempty"`
	Errors            []mews.ErrorDetail `json:"errors,omitempty"`
}

// ServeHTTP answers one call from Mews.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.URL.Path)
	op := h.ops[strings.ToLower(name)]
	if op == nil {
		h.refuse(w, name, fmt.Sprintf("Unknown operation %q; this endpoint serves %s.", truncate(name), strings.Join(knownPaths(), ", ")))
		return
	}
	if r.Method != http.MethodPost {
		h.refuse(w, op.name, fmt.Sprintf("Method %s is not allowed; send a POST with a JSON body.", truncate(r.Method)))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			h.refuse(w, op.name, fmt.Sprintf("Content type %q is not supported; send application/json.", truncate(ct)))
			return
		}
	}
	limit := h.in.Limit(op.maxBody)
	body, problem := h.readBody(w, r, limit)
	if problem != "" {
		h.refuse(w, op.name, problem)
		return
	}
	reply, err := op.serve(r.Context(), h, body)
	if errors.Is(err, errUnauthenticated) {
		h.answer(w, op.name, Done, Reject(mews.ErrorDetail{Code: mews.CodeInvalidAuthentication, Message: "Invalid 'clientToken'."}))
		return
	}
	h.answer(w, op.name, reply, err)
}

// errUnauthenticated is what an operation returns for a call with a wrong or missing
// clientToken; ServeHTTP answers it with code 8.
var errUnauthenticated = errors.New("wrong or missing clientToken")

// authenticatedBody answers, for a body that did not decode as the operation's
// request, whether its clientToken is right, so that a stranger still gets code 8
// rather than a description of the body's problems. Only this failure path parses
// the body a second time.
func (h *Handler) authenticatedBody(op *operation, body []byte) (bool, error) {
	var auth struct {
		ClientToken mews.Token `json:"clientToken"`
	}
	if err := json.Unmarshal(body, &auth); err != nil {
		return false, err
	}
	return h.authenticated(op, auth.ClientToken), nil
}

// authenticated compares the clientToken in constant time (over SHA-256 digests, so
// the time taken does not depend on the token's length either).
func (h *Handler) authenticated(op *operation, token mews.Token) bool {
	if token.IsZero() {
		return op.name == PathProcessAvailabilityBlock && !h.strictBlock
	}
	return h.clientToken.Matches(token.Reveal())
}

// refuse answers code 6 for a request that is not a well-formed call.
func (h *Handler) refuse(w http.ResponseWriter, op, message string) {
	h.answer(w, op, Done, Reject(mews.ErrorDetail{Code: mews.CodeValidation, Message: message}))
}

// answer writes the envelope for the outcome of a call.
func (h *Handler) answer(w http.ResponseWriter, op string, reply Reply, err error) {
	env := envelope{Success: err == nil}
	if err == nil {
		async := reply == Async
		env.AsyncConfirmation = &async
	} else {
		env.Errors = h.details(op, err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(env) // a write error means Mews hung up; it redelivers
}

// details turns a refusal into the error list Mews gets. Only errors built for a
// channel manager's answer (Reject, mews.NewChannelManagerError) pass their codes on;
// anything else, including an *APIError received from Mews, becomes code 1.
func (h *Handler) details(op string, err error) []mews.ErrorDetail {
	var ae *mews.APIError
	if !errors.As(err, &ae) || ae.API != mews.ChannelManagerEndpoint || len(ae.Errors) == 0 {
		h.log.Error("mews inbound: receiver failed; answering code 1 so that Mews sends the message again",
			slog.String("operation", op), slog.Any("error", err))
		return []mews.ErrorDetail{systemError()}
	}
	for _, d := range ae.Errors {
		if f := missingCode(d); f != "" {
			h.log.Warn("mews inbound: error code requires "+f+"; Mews cannot tell which rate or category to unsynchronize",
				slog.String("operation", op), slog.Int("code", int(d.Code)))
		}
	}
	h.log.Info("mews inbound: refused", slog.String("operation", op), slog.Any("codes", ae.Codes()), slog.String("message", ae.Message))
	return ae.Errors
}

// readBody reads at most limit bytes of the request body within the read deadline, or
// says why it cannot.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, string) {
	body, err := h.in.ReadBody(w, r, limit)
	switch {
	case errors.Is(err, httpin.ErrBodyTooLarge):
		return nil, fmt.Sprintf("The body is larger than %d bytes; send smaller messages.", limit)
	case errors.Is(err, httpin.ErrBodyTimeout):
		return nil, fmt.Sprintf("The body did not arrive within %v; send it again.", h.in.BodyReadTimeout)
	case err != nil:
		return nil, "The body could not be read completely; send it again."
	case len(body) == 0:
		return nil, "The body is empty; send a JSON object."
	}
	return body, ""
}

// truncate shortens a client-supplied string before it goes into a message.
func truncate(s string) string {
	const limit = 64
	if len(s) > limit {
		return s[:limit] + "…"
	}
	return s
}

// describeJSONError explains a decoding failure in terms of the JSON, not of Go types.
func describeJSONError(err error) string {
	p, ok := httpin.ExplainJSON(err)
	switch {
	case !ok:
		return truncate(strings.TrimPrefix(err.Error(), "mews: ")) + "."
	case p.Malformed:
		return fmt.Sprintf("malformed JSON at byte %d.", p.Offset)
	case p.Field == "":
		return fmt.Sprintf("got a JSON %s where an object was expected.", p.Got)
	}
	return fmt.Sprintf("field %q has a JSON %s where %s was expected.", p.Field, p.Got, p.Want)
}
