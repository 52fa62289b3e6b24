package connection

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/httpin"
)

// Action is the kind of a Mews integration webhook.
type Action string

// The integration webhook actions Mews sends (connector-api §5.2).
const (
	IntegrationCreated       Action = "IntegrationCreated"
	IntegrationEnabled       Action = "IntegrationEnabled"
	IntegrationDisabled      Action = "IntegrationDisabled"
	IntegrationCanceled      Action = "IntegrationCanceled"
	IntegrationReinstated    Action = "IntegrationReinstated"
	IntegrationDeleted       Action = "IntegrationDeleted"
	IntegrationAPIKeyCreated Action = "IntegrationApiKeyCreated"
)

// Reasons a webhook gives for Broken; State.Reason and Event.Reason match them with errors.Is.
var (
	ErrIntegrationDisabled = errors.New("connection: the integration was disabled in Mews")
	ErrIntegrationCanceled = errors.New("connection: the integration was canceled in Mews")
	ErrIntegrationDeleted  = errors.New("connection: the integration was deleted in Mews; connect it again with a new token")
)

// ErrBadWebhook is matched (errors.Is) by every *WebhookError.
var ErrBadWebhook = errors.New("connection: bad integration webhook")

// WebhookError says why an integration webhook body was rejected. Its message is short,
// safe to send back to the caller, and never quotes the body.
type WebhookError struct {
	Reason string
}

// Error says what was wrong with the body, in words safe to answer Mews with.
func (e *WebhookError) Error() string { return "bad integration webhook: " + e.Reason }

// Is makes errors.Is(err, ErrBadWebhook) true.
func (e *WebhookError) Is(target error) bool { return target == ErrBadWebhook }

// Integration is the link between one enterprise and one partner client in Mews; it has
// exactly one access token at a time.
type Integration struct {
	ID   string
	Name string
}

// Service is the bookable service of a service-scoped integration.
type Service struct {
	ID   string
	Name string
}

// Requestor is the Mews user who created an integration.
type Requestor struct {
	Name  string
	Email string
}

// IntegrationEvent is one decoded integration webhook. Fields other than Action and
// Integration are set only for the actions noted.
type IntegrationEvent struct {
	Action      Action
	Integration Integration
	// IntegrationCreated: the enterprise, its service, who asked, the new token, and
	// whether the integration starts enabled.
	Enterprise  Enterprise
	Service     *Service
	Requestor   *Requestor
	AccessToken mews.Token
	IsEnabled   bool
	CreatedUTC  time.Time
	// IntegrationDeleted: when.
	DeletedUTC time.Time
	// IntegrationApiKeyCreated: the regenerated access token; the old one no longer works.
	APIKey mews.Token
}

// Known reports whether the action is one this package understands.
func (a Action) Known() bool {
	switch a {
	case IntegrationCreated, IntegrationEnabled, IntegrationDisabled, IntegrationCanceled,
		IntegrationReinstated, IntegrationDeleted, IntegrationAPIKeyCreated:
		return true
	}
	return false
}

type idName struct {
	ID   string `json:"Id"`
	Name string `json:"Name"`
}

type wireEvent struct {
	Action Action          `json:"Action"`
	Data   json.RawMessage `json:"Data"`
}

type wireData struct {
	Integration *idName    `json:"Integration"`
	Enterprise  *idName    `json:"Enterprise"`
	Service     *idName    `json:"Service"`
	Requestor   *Requestor `json:"Requestor"`
	AccessToken string     `json:"AccessToken"`
	IsEnabled   bool       `json:"IsEnabled"`
	CreatedUtc  time.Time  `json:"CreatedUtc"`
	DeletedUtc  time.Time  `json:"DeletedUtc"`
	ApiKey      string     `json:"ApiKey"`
}

// ParseIntegrationEvent decodes an integration webhook body ({"Action": ..., "Data": {...}}).
// An action this package does not know is returned without error so callers can ignore
// it; a body that is not such an object, or a known action missing a required field,
// gives a *WebhookError.
func ParseIntegrationEvent(body []byte) (IntegrationEvent, error) {
	var w wireEvent
	if err := json.Unmarshal(body, &w); err != nil {
		return IntegrationEvent{}, &WebhookError{Reason: "body is not a JSON object with Action and Data"}
	}
	ev := IntegrationEvent{Action: w.Action}
	if w.Action == "" {
		return ev, &WebhookError{Reason: "Action is missing"}
	}
	if !w.Action.Known() {
		return ev, nil
	}
	var d wireData
	if len(bytes.TrimSpace(w.Data)) == 0 || bytes.Equal(bytes.TrimSpace(w.Data), []byte("null")) {
		return ev, &WebhookError{Reason: "Data is missing"}
	}
	if err := json.Unmarshal(w.Data, &d); err != nil {
		return ev, &WebhookError{Reason: "Data does not match the " + string(w.Action) + " shape"}
	}
	if d.Integration == nil || d.Integration.ID == "" {
		return ev, &WebhookError{Reason: "Data.Integration.Id is missing"}
	}
	ev.Integration = Integration(*d.Integration)
	switch w.Action {
	case IntegrationCreated:
		if d.Enterprise == nil || d.Enterprise.ID == "" {
			return ev, &WebhookError{Reason: "Data.Enterprise.Id is missing"}
		}
		tok, err := mews.NewToken(d.AccessToken)
		if err != nil {
			return ev, &WebhookError{Reason: "Data.AccessToken is missing or malformed"}
		}
		ev.Enterprise = Enterprise(*d.Enterprise)
		if d.Service != nil {
			ev.Service = &Service{ID: d.Service.ID, Name: d.Service.Name}
		}
		ev.Requestor, ev.AccessToken, ev.IsEnabled, ev.CreatedUTC = d.Requestor, tok, d.IsEnabled, d.CreatedUtc
	case IntegrationDeleted:
		ev.DeletedUTC = d.DeletedUtc
	case IntegrationAPIKeyCreated:
		tok, err := mews.NewToken(d.ApiKey)
		if err != nil {
			return ev, &WebhookError{Reason: "Data.ApiKey is missing or malformed"}
		}
		ev.APIKey = tok
	}
	return ev, nil
}

// DefaultMaxWebhookBytes bounds an integration webhook body; real ones are well under 2 KiB.
const DefaultMaxWebhookBytes = 64 << 10

// webhookSettings are the integration webhook handler's settings after its options.
type webhookSettings struct {
	maxBodyBytes int64
	onEvent      func(ev IntegrationEvent, key string) error
}

// WebhookOption tunes Monitor.WebhookHandler. Each is validated; WebhookHandler fails
// with a *mews.InputError naming the first invalid one.
type WebhookOption func(*webhookSettings) error

// WithWebhookMaxBodyBytes bounds the request body (default DefaultMaxWebhookBytes).
func WithWebhookMaxBodyBytes(n int64) WebhookOption {
	return func(s *webhookSettings) error {
		if n <= 0 {
			return &mews.InputError{Operation: opWebhookHandler, Field: "MaxBodyBytes", Reason: "must be positive"}
		}
		s.maxBodyBytes = n
		return nil
	}
}

// WithOnIntegrationEvent has f see every valid integration event after the Monitor
// acted on it, with the key it was routed to ("" when no watched connection matched).
// f runs before the response is written, so keep it well under Mews' 5 seconds: e.g.
// persist the new token of IntegrationApiKeyCreated (Mews sends it only here), or queue
// IntegrationCreated to start watching it. An error answers 503, so Mews delivers the
// webhook again later; the Monitor's side of a redelivery is harmless. Concurrent
// deliveries call f concurrently.
func WithOnIntegrationEvent(f func(ev IntegrationEvent, key string) error) WebhookOption {
	return func(s *webhookSettings) error {
		if f == nil {
			return &mews.InputError{Operation: opWebhookHandler, Field: "OnIntegrationEvent", Reason: "is nil; leave the option out"}
		}
		s.onEvent = f
		return nil
	}
}

// opWebhookHandler names WebhookHandler in its errors.
const opWebhookHandler = "connection.Monitor.WebhookHandler"

// WebhookHandler returns an http.Handler for Mews integration webhooks that feeds this
// Monitor. It accepts only POST with the right URL Token (compared in constant time),
// never waits for a check, and answers:
//   - 204 when the event changed a watched connection: Disabled, Canceled and Deleted
//     make it Broken at once (and pause its periodic checks); Enabled, Reinstated and
//     Created check it now; ApiKeyCreated switches it to the new token and checks it;
//   - 202 when the event was valid but ignored (unknown action, no matching connection,
//     or a General Webhook sent to the same URL: to process those as well, serve the URL
//     with a webhooks.Handler that passes integration webhooks on with
//     webhooks.WithIntegrationWebhooks);
//   - 400 (*WebhookError text), 401, 405, 413, or 503 (monitor closed, or OnEvent
//     failed) otherwise.
//
// secret is the value you put in the webhook URL you gave Mews, as ?Token=<secret>.
// Mews signs nothing; this shared secret is the only authentication.
func (m *Monitor) WebhookHandler(secret mews.Token, opts ...WebhookOption) (http.Handler, error) {
	if secret.IsZero() {
		return nil, &mews.InputError{Operation: opWebhookHandler, Field: "secret", Reason: "is empty; choose a long random secret and put it in the webhook URL as ?Token="}
	}
	cfg := webhookSettings{maxBodyBytes: DefaultMaxWebhookBytes}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	return &webhookHandler{m: m, cfg: cfg, token: secret, secret: httpin.NewSecret(secret.Reveal())}, nil
}

type webhookHandler struct {
	m      *Monitor
	cfg    webhookSettings
	token  mews.Token // for String, redacted
	secret httpin.Secret
}

// String identifies the handler by its redacted secret, so that printing it (any fmt
// verb goes through Format) never shows the secret or its digest.
func (h *webhookHandler) String() string {
	return "connection.WebhookHandler(secret " + h.token.String() + ")"
}

// Format prints String under every verb, %q quoted.
func (h *webhookHandler) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", h.String())
		return
	}
	fmt.Fprint(f, h.String())
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reply(w, http.StatusMethodNotAllowed, "only POST is accepted")
		return
	}
	if !h.secret.Matches(r.URL.Query().Get("Token")) {
		reply(w, http.StatusUnauthorized, "missing or wrong Token in the URL")
		return
	}
	body, err := httpin.ReadBody(w, r, h.cfg.maxBodyBytes)
	if err != nil {
		if errors.Is(err, httpin.ErrBodyTooLarge) {
			reply(w, http.StatusRequestEntityTooLarge, "body is too large")
			return
		}
		reply(w, http.StatusBadRequest, "body could not be read")
		return
	}
	ev, err := ParseIntegrationEvent(body)
	if err != nil {
		if isGeneralWebhook(body) {
			reply(w, http.StatusAccepted, "ignored: not an integration webhook")
			return
		}
		reply(w, http.StatusBadRequest, err.Error())
		return
	}
	key, handled, err := h.m.applyWebhook(ev)
	if err != nil {
		reply(w, http.StatusServiceUnavailable, "not accepting webhooks now; retry later")
		return
	}
	if h.cfg.onEvent != nil && ev.Action.Known() {
		if err := h.cfg.onEvent(ev, key); err != nil {
			reply(w, http.StatusServiceUnavailable, "the event could not be stored; send it again later")
			return
		}
	}
	if !handled {
		reply(w, http.StatusAccepted, "ignored")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// isGeneralWebhook recognises the entity-event webhook that Mews may send to the same URL.
func isGeneralWebhook(body []byte) bool {
	var g struct {
		Action string          `json:"Action"`
		Events json.RawMessage `json:"Events"`
	}
	return json.Unmarshal(body, &g) == nil && g.Action == "" && len(g.Events) > 0
}

func reply(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	io.WriteString(w, msg+"\n")
}

// applyWebhook makes the Monitor act on ev. It returns the key it routed ev to and
// whether it changed anything; the error is ErrClosed.
func (m *Monitor) applyWebhook(ev IntegrationEvent) (string, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return "", false, ErrClosed
	}
	if !ev.Action.Known() {
		return "", false, nil
	}
	id := strings.ToLower(ev.Integration.ID)
	e := m.byIntegration[id]
	if e == nil && ev.Action == IntegrationCreated {
		e = m.byToken(ev.AccessToken)
		if e != nil {
			m.unindex(e) // an id given before was wrong: Mews just said whose token it is
			e.creds.IntegrationID = ev.Integration.ID
			m.index(e)
		}
	}
	if e == nil {
		return "", false, nil
	}
	now := time.Now()
	switch ev.Action {
	case IntegrationDisabled:
		m.hold(e, ErrIntegrationDisabled, now)
	case IntegrationCanceled:
		m.hold(e, ErrIntegrationCanceled, now)
	case IntegrationDeleted:
		m.hold(e, ErrIntegrationDeleted, now)
	case IntegrationCreated:
		if !ev.IsEnabled {
			m.hold(e, ErrIntegrationDisabled, now)
			break
		}
		m.force(e)
	case IntegrationEnabled, IntegrationReinstated:
		m.force(e)
	case IntegrationAPIKeyCreated:
		creds := e.creds
		creds.Token = ev.APIKey
		m.replace(e, creds)
	}
	return e.key, true, nil
}

// byToken finds the Connector entry using tok; m.mu is held. It is linear, but only
// IntegrationCreated needs it, once per integration.
func (m *Monitor) byToken(tok mews.Token) *entry {
	for _, e := range m.entries {
		if e.creds.API == mews.ConnectorAPI && e.creds.Token.Equal(tok) {
			return e
		}
	}
	return nil
}
