package mewstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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

// handlerTransport is a RoundTripper that serves requests with a handler in-process
// (see WithEndpointHandler).
type handlerTransport struct{ h http.Handler }

// RoundTrip serves req on its own goroutine and stops waiting when req's context ends,
// as a caller over the network does: so Mews' 5-second limit on a webhook's answer
// holds in-process too, and the handler sees its request context cancelled.
func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	if in.Body == nil {
		in.Body = http.NoBody
	}
	type result struct {
		res *http.Response
		err error
	}
	served := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil { // net/http drops the connection of a panicking handler
				served <- result{err: fmt.Errorf("mewstest: the handler panicked, so the connection was dropped: %v", p)}
			}
		}()
		rec := httptest.NewRecorder()
		t.h.ServeHTTP(rec, in)
		served <- result{res: rec.Result()}
	}()
	select {
	case r := <-served:
		if r.res != nil {
			r.res.Request = req
		}
		return r.res, r.err
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
}

// SendIntegrationEvent POSTs an integration webhook to the Endpoint's URL (which should
// carry your ?Token= secret) the way Mews does, and records the answer; a 2xx status is
// accepted. Mews re-sends after a non-2xx answer or a timeout (SendWebhookUntilAccepted).
func (e *Endpoint) SendIntegrationEvent(ctx context.Context, ev IntegrationEvent) (Delivery, error) {
	return e.SendWebhook(ctx, ev)
}

// RotateAndNotify regenerates a Connector AccessToken (Server.Rotate: the old one stops
// working) and sends the IntegrationApiKeyCreated webhook for integrationID carrying the
// new token, as Mews does when a property creates a new API key. It returns the new
// token and the delivery.
func (e *Endpoint) RotateAndNotify(ctx context.Context, oldToken, integrationID string) (string, Delivery, error) {
	newToken := e.srv.Rotate(oldToken)
	if newToken == "" {
		return "", Delivery{}, errors.New("mewstest: RotateAndNotify: the server does not know the token to rotate")
	}
	d, err := e.SendIntegrationEvent(ctx, IntegrationEvent{
		Action: ActionIntegrationAPIKeyCreated, IntegrationID: integrationID, APIKey: newToken,
	})
	return newToken, d, err
}
