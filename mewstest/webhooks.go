package mewstest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"
)

// IntegrationID is the Mews integration behind AccessToken, as integration webhooks
// about it name it.
const IntegrationID = "7e57c0de-0000-4000-8000-00000000ac7e"

// IntegrationName is the integration name the webhooks carry.
const IntegrationName = "mewstest sandbox"

// The integration webhook actions Mews sends (Connector API, Integration Webhooks).
const (
	ActionIntegrationCreated       = "IntegrationCreated"
	ActionIntegrationEnabled       = "IntegrationEnabled"
	ActionIntegrationDisabled      = "IntegrationDisabled"
	ActionIntegrationCanceled      = "IntegrationCanceled"
	ActionIntegrationReinstated    = "IntegrationReinstated"
	ActionIntegrationDeleted       = "IntegrationDeleted"
	ActionIntegrationAPIKeyCreated = "IntegrationApiKeyCreated"
)

// IntegrationEvent is one integration webhook as Mews sends it. Set the fields the
// Action needs; MarshalJSON writes the Mews body {"Action": ..., "Data": {...}} with only
// the fields of that action.
type IntegrationEvent struct {
	Action string
	// IntegrationID and IntegrationName identify the integration (every action);
	// IntegrationName defaults to the package's IntegrationName.
	IntegrationID   string
	IntegrationName string
	// IntegrationCreated: the enterprise, the new AccessToken, and whether the
	// integration starts disabled (Mews' IsEnabled is !Disabled).
	EnterpriseID   string
	EnterpriseName string
	AccessToken    string
	Disabled       bool
	// IntegrationApiKeyCreated: the regenerated AccessToken.
	APIKey string
	// Time is CreatedUtc (IntegrationCreated) or DeletedUtc (IntegrationDeleted);
	// zero means the time of sending.
	Time time.Time
}

type webhookRef struct {
	ID   string `json:"Id"`
	Name string `json:"Name"`
}

// MarshalJSON renders the Mews webhook body.
func (e IntegrationEvent) MarshalJSON() ([]byte, error) {
	name := e.IntegrationName
	if name == "" {
		name = IntegrationName
	}
	at := e.Time
	if at.IsZero() {
		at = time.Now()
	}
	stamp := at.UTC().Format(time.RFC3339)
	data := map[string]any{"Integration": webhookRef{e.IntegrationID, name}}
	switch e.Action {
	case ActionIntegrationCreated:
		data["Enterprise"] = webhookRef{e.EnterpriseID, e.EnterpriseName}
		data["Service"] = nil
		data["Requestor"] = nil
		data["AccessToken"] = e.AccessToken
		data["CreatedUtc"] = stamp
		data["IsEnabled"] = !e.Disabled
	case ActionIntegrationDeleted:
		data["DeletedUtc"] = stamp
	case ActionIntegrationAPIKeyCreated:
		data["ApiKey"] = e.APIKey
	}
	return json.Marshal(struct {
		Action string
		Data   map[string]any
	}{e.Action, data})
}

// DeliveryOption changes how a webhook is delivered.
type DeliveryOption func(*http.Client)

// ToHandler delivers webhooks to h in-process, without sockets, so that tests inside a
// testing/synctest bubble can use them. The URL still supplies the path and query.
func ToHandler(h http.Handler) DeliveryOption {
	return func(c *http.Client) { c.Transport = handlerTransport{h} }
}

// handlerTransport is a RoundTripper that serves requests with a handler.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	t.h.ServeHTTP(rec, in)
	res := rec.Result()
	res.Request = req
	return res, nil
}

// webhookTimeout is how long Mews waits for a webhook answer.
const webhookTimeout = 5 * time.Second

// SendIntegrationEvent POSTs an integration webhook to url (which should carry your
// ?Token= secret) the way Mews does: JSON body, no signature, a 5-second timeout. It
// returns the HTTP status; the error is for delivery failures only (Mews would retry
// those, and any non-2xx status, a few minutes later).
func (s *Server) SendIntegrationEvent(ctx context.Context, url string, ev IntegrationEvent, opts ...DeliveryOption) (int, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return 0, fmt.Errorf("mewstest: encoding %s webhook: %w", ev.Action, err)
	}
	client := &http.Client{Timeout: webhookTimeout}
	for _, opt := range opts {
		opt(client)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, fmt.Errorf("mewstest: webhook request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, fmt.Errorf("mewstest: delivering %s webhook: %w", ev.Action, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

// RotateAndNotify regenerates a Connector AccessToken (Rotate: the old one stops
// working) and delivers the IntegrationApiKeyCreated webhook for integrationID carrying
// the new token, as Mews does when a property creates a new API key. It returns the new
// token and the webhook's HTTP status.
func (s *Server) RotateAndNotify(ctx context.Context, url, oldToken, integrationID string, opts ...DeliveryOption) (string, int, error) {
	newToken := s.Rotate(oldToken)
	if newToken == "" {
		return "", 0, fmt.Errorf("mewstest: RotateAndNotify: the token to rotate is unknown to the server")
	}
	status, err := s.SendIntegrationEvent(ctx, url, IntegrationEvent{
		Action: ActionIntegrationAPIKeyCreated, IntegrationID: integrationID, APIKey: newToken,
	}, opts...)
	return newToken, status, err
}
