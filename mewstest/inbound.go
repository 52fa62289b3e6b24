package mewstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/wait"
)

// Endpoint plays Mews calling a channel manager's endpoints or a webhook receiver:
// it sends ARI pushes, group and block pushes, booking confirmations, change
// notifications and General Webhooks, redelivers until they are accepted (as Mews
// does with delta updates), and records every answer. The asynchronous confirmations
// that the channel manager sends back go to the Server, whose responseUrls the pushes
// carry; Confirmations finds them. An Endpoint is safe for concurrent use.
type Endpoint struct {
	srv         *Server
	base        string
	client      *http.Client
	clientToken string
	attempts    int
	interval    time.Duration

	mu         sync.Mutex
	seq        int
	deliveries []Delivery
	messageIDs map[string]bool
	sent       map[string]int // deliveries so far per operation and messageId (or body)
}

// EndpointOption configures NewEndpoint.
type EndpointOption func(*Endpoint)

// WithEndpointHandler calls h in-process instead of over the network, so an Endpoint
// works inside testing/synctest bubbles, where sockets do not.
func WithEndpointHandler(h http.Handler) EndpointOption {
	return func(e *Endpoint) { e.client = &http.Client{Transport: handlerTransport{h}} }
}

// WithEndpointHTTPClient sets the client for calls over the network (default: a client
// with a 30-second timeout).
func WithEndpointHTTPClient(c *http.Client) EndpointOption {
	return func(e *Endpoint) { e.client = c }
}

// WithEndpointClientToken sets the clientToken the pushes carry (default
// ChannelManagerClientToken: Mews recommends using the channel manager's own token).
func WithEndpointClientToken(token string) EndpointOption {
	return func(e *Endpoint) { e.clientToken = token }
}

// WithEndpointRedelivery sets how the *UntilAccepted methods redeliver: at most attempts
// deliveries, interval apart (default 5 deliveries, a minute apart).
func WithEndpointRedelivery(attempts int, interval time.Duration) EndpointOption {
	return func(e *Endpoint) { e.attempts, e.interval = max(attempts, 1), interval }
}

// NewEndpoint returns an Endpoint calling baseURL: the channel manager's base URL
// (operations are appended as path segments) or, for SendWebhook, the full webhook URL
// including its token. It also makes sure the server accepts the confirmation
// operations the channel manager will call.
func (s *Server) NewEndpoint(baseURL string, opts ...EndpointOption) *Endpoint {
	e := &Endpoint{
		srv:         s,
		base:        baseURL,
		client:      &http.Client{Timeout: 30 * time.Second},
		clientToken: ChannelManagerClientToken,
		attempts:    5,
		interval:    time.Minute,
		messageIDs:  make(map[string]bool),
		sent:        make(map[string]int),
	}
	for _, opt := range opts {
		opt(e)
	}
	s.acceptConfirmations()
	return e
}

// webhookAnswerLimit is how long Mews waits for the answer to a webhook.
const webhookAnswerLimit = 5 * time.Second

// Delivery is one call to the endpoint and its answer.
type Delivery struct {
	Operation string             // e.g. "updatePrices", or "webhook"
	MessageID string             // the push's messageId, if any
	Attempt   int                // 1 for the first delivery of a messageId (webhooks: of the same body)
	Status    int                // HTTP status; 0 when there was no answer
	Body      json.RawMessage    // the answer as received
	Accepted  bool               // Channel Manager: success true; webhook: a 2xx status
	Async     bool               // asyncConfirmation true
	Errors    []mews.ErrorDetail // the errors the channel manager answered
	Err       error              // no answer, or an answer that is not an envelope
	Time      time.Time
}

// pushConfirmations lists the pushes Mews confirms asynchronously, each followed by
// its confirmation operation.
func pushConfirmations() [][2]string {
	return [][2]string{
		{"updatePrices", "processRateConfirmation"},
		{"updateAvailability", "processAvailabilityConfirmation"},
		{"updateRestrictions", "processRestrictionConfirmation"},
		{"processAvailabilityBlock", "processAvailabilityBlockConfirmation"},
		{"processGroup", "processGroupConfirmation"},
	}
}

// confirmationOf returns the confirmation operation of a push, or "".
func confirmationOf(push string) string {
	for _, pc := range pushConfirmations() {
		if pc[0] == push {
			return pc[1]
		}
	}
	return ""
}

// Push makes one Channel Manager call to operation ("updatePrices",
// "changeNotificaton", …). body is a JSON object (a struct, a map, or raw JSON bytes);
// the fields it lacks are filled in as Mews would: clientToken, connectionToken
// (ConnectionToken), and for pushes messageId (a fresh id) and responseUrl (the
// server's confirmation operation). A body that is not a JSON object is sent as it
// is, to test malformed input. The error is non-nil only when body cannot be encoded;
// the outcome of the call is in the Delivery.
func (e *Endpoint) Push(ctx context.Context, operation string, body any) (Delivery, error) {
	raw, id, err := e.complete(operation, body)
	if err != nil {
		return Delivery{}, err
	}
	return e.deliver(ctx, operation, id, strings.TrimRight(e.base, "/")+"/"+operation, raw, true), nil
}

// PushUntilAccepted is Push redelivered with the same messageId until the channel
// manager answers success, as Mews does with delta updates. It returns the last
// delivery, and an error when none was accepted.
func (e *Endpoint) PushUntilAccepted(ctx context.Context, operation string, body any) (Delivery, error) {
	raw, id, err := e.complete(operation, body)
	if err != nil {
		return Delivery{}, err
	}
	url := strings.TrimRight(e.base, "/") + "/" + operation
	return e.redeliver(ctx, func() Delivery { return e.deliver(ctx, operation, id, url, raw, true) })
}

// redeliver repeats send until it is accepted, the attempts run out or ctx ends.
func (e *Endpoint) redeliver(ctx context.Context, send func() Delivery) (Delivery, error) {
	var d Delivery
	for attempt := 1; ; attempt++ {
		if d = send(); d.Accepted {
			return d, nil
		}
		if attempt >= e.attempts {
			return d, fmt.Errorf("mewstest: %s not accepted after %d deliveries (last: status %d, errors %v, err %v)",
				d.Operation, attempt, d.Status, d.Errors, d.Err)
		}
		if err := wait.For(ctx, e.interval); err != nil {
			return d, err
		}
	}
}

// encodeBody returns raw JSON ([]byte, json.RawMessage or string) as it is and encodes
// anything else.
func encodeBody(operation string, body any) ([]byte, error) {
	switch b := body.(type) {
	case []byte:
		return b, nil
	case json.RawMessage:
		return b, nil
	case string:
		return []byte(b), nil
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("mewstest: encode %s body: %w", operation, err)
	}
	return raw, nil
}

// complete encodes body and fills the fields Mews always sends.
func (e *Endpoint) complete(operation string, body any) (raw []byte, messageID string, err error) {
	if raw, err = encodeBody(operation, body); err != nil {
		return nil, "", err
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) != nil || fields == nil {
		return raw, "", nil
	}
	fill := func(key, value string) {
		if _, ok := fields[key]; !ok {
			fields[key], _ = json.Marshal(value)
		}
	}
	fill("clientToken", e.clientToken)
	fill("connectionToken", ConnectionToken)
	if confirm := confirmationOf(operation); confirm != "" {
		fill("messageId", e.nextMessageID())
		fill("responseUrl", strings.TrimRight(e.srv.URL, "/")+channelManagerPrefix+confirm)
		_ = json.Unmarshal(fields["messageId"], &messageID)
	}
	raw, err = json.Marshal(fields)
	return raw, messageID, err
}

// nextMessageID makes a GUID-shaped message id, unique within the Endpoint.
func (e *Endpoint) nextMessageID() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.seq++
	return fmt.Sprintf("6e550000-0000-4000-9000-%012d", e.seq)
}

// deliver makes one call and records it. envelope says whether the answer is a
// Channel Manager envelope (otherwise a 2xx status means accepted).
func (e *Endpoint) deliver(ctx context.Context, operation, messageID, url string, body []byte, envelope bool) Delivery {
	d := Delivery{Operation: operation, MessageID: messageID, Time: time.Now()}
	e.mu.Lock()
	if messageID != "" {
		e.messageIDs[messageID] = true
	}
	key := operation + "\x00" + messageID
	if messageID == "" {
		key += string(body)
	}
	e.sent[key]++
	d.Attempt = e.sent[key]
	e.mu.Unlock()

	if !envelope { // Mews waits 5 seconds for a webhook's answer
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, webhookAnswerLimit)
		defer cancel()
	}
	d.Status, d.Body, d.Err = e.post(ctx, url, body)
	switch {
	case d.Err != nil:
	case !envelope:
		d.Accepted = d.Status >= 200 && d.Status <= 299
	default:
		d.Err = decodeEnvelope(&d)
	}
	e.mu.Lock()
	e.deliveries = append(e.deliveries, d)
	e.mu.Unlock()
	return d
}

// post sends body as a JSON POST and reads the whole answer.
func (e *Endpoint) post(ctx context.Context, url string, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, withoutQuery(err) // a URL that does not parse is quoted whole
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.client.Do(req)
	if err != nil {
		return 0, nil, withoutQuery(err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxRequestBody))
	return resp.StatusCode, answer, err
}

// withoutQuery drops the query from the URL that net/http quotes in its errors: a
// webhook URL carries its secret there (?Token=…), and errors end up in test logs.
func withoutQuery(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return err
	}
	u, perr := url.Parse(ue.URL)
	if perr != nil {
		return &url.Error{Op: ue.Op, URL: "(unparsable URL)", Err: ue.Err}
	}
	u.RawQuery, u.User = "", nil
	return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
}

// decodeEnvelope reads a Channel Manager answer into d.
func decodeEnvelope(d *Delivery) error {
	if d.Status != http.StatusOK {
		return fmt.Errorf("mewstest: %s answered HTTP %d; the Channel Manager API always answers 200", d.Operation, d.Status)
	}
	var env struct {
		Success           *bool              `json:"success"`
		AsyncConfirmation bool               `json:"asyncConfirmation"`
		Errors            []mews.ErrorDetail `json:"errors"`
		Error             *mews.ErrorDetail  `json:"error"`
	}
	if err := json.Unmarshal(d.Body, &env); err != nil || env.Success == nil {
		return fmt.Errorf("mewstest: %s answered %q, which is not a success envelope", d.Operation, snippet(d.Body))
	}
	d.Accepted, d.Async, d.Errors = *env.Success, env.AsyncConfirmation, env.Errors
	if env.Error != nil {
		d.Errors = append(d.Errors, *env.Error)
	}
	return nil
}

// snippet shortens an answer for an error message.
func snippet(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Deliveries returns every call made so far, oldest first.
func (e *Endpoint) Deliveries() []Delivery {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Delivery(nil), e.deliveries...)
}

// Confirmation is an asynchronous confirmation that reached the server for one of
// this Endpoint's pushes.
type Confirmation struct {
	Operation          string             // e.g. "processRateConfirmation"
	RelatedMessageID   string             `json:"relatedMessageId"`
	Success            bool               `json:"success"`
	Errors             []mews.ErrorDetail `json:"errors"`
	Code               string             `json:"code"`
	ConfirmationNumber string             `json:"confirmationNumber"`
	Reservations       []struct {
		Code               string `json:"code"`
		ConfirmationNumber string `json:"confirmationNumber"`
	} `json:"reservations"`
	Status int // the HTTP status the server answered
}

// Confirmations returns the confirmations that the server received for this
// Endpoint's pushes, oldest first.
func (e *Endpoint) Confirmations() []Confirmation {
	ops := make(map[string]bool)
	for _, pc := range pushConfirmations() {
		ops[pc[1]] = true
	}
	e.mu.Lock()
	ids := make(map[string]bool, len(e.messageIDs))
	for id := range e.messageIDs {
		ids[id] = true
	}
	e.mu.Unlock()
	var out []Confirmation
	for _, r := range e.srv.Requests() {
		var c Confirmation
		if !ops[r.Operation] || json.Unmarshal(r.Body, &c) != nil || !ids[c.RelatedMessageID] {
			continue
		}
		c.Operation, c.Status = r.Operation, r.Status
		out = append(out, c)
	}
	return out
}

// acceptConfirmations installs a handler for each confirmation operation the server
// does not serve yet: it checks relatedMessageId and answers success.
func (s *Server) acceptConfirmations() {
	for _, pc := range pushConfirmations() {
		op := pc[1]
		s.mu.Lock()
		_, served := s.cmOps[op]
		s.mu.Unlock()
		if !served {
			s.HandleChannelManager(op, acceptConfirmation)
		}
	}
}

// acceptConfirmation is the default confirmation handler.
func acceptConfirmation(r *Request) (any, error) {
	var c struct {
		RelatedMessageID string `json:"relatedMessageId"`
		Success          *bool  `json:"success"`
	}
	if err := r.Decode(&c); err != nil {
		return nil, err
	}
	if c.RelatedMessageID == "" || c.Success == nil {
		return nil, ChannelManagerError(mews.CodeValidation, "relatedMessageId and success are required.")
	}
	return nil, nil
}
