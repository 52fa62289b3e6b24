package mewstest

import (
	"context"
	"encoding/json"
)

// WebhookEvent is one event of a General Webhook: the kind of entity that changed
// ("ServiceOrderUpdated", "CustomerUpdated", …) and its id.
type WebhookEvent struct {
	Discriminator string
	ID            string
}

// GeneralWebhook is a General Webhook body (Connector API) about the seeded
// enterprise and integration, as Mews sends it.
type GeneralWebhook struct {
	EnterpriseID  string
	IntegrationID string
	Events        []WebhookEvent
}

// NewGeneralWebhook returns a General Webhook about EnterpriseID and IntegrationID.
func NewGeneralWebhook(events ...WebhookEvent) GeneralWebhook {
	return GeneralWebhook{EnterpriseID: EnterpriseID, IntegrationID: IntegrationID, Events: events}
}

// MarshalJSON writes Mews' shape: {EnterpriseId, IntegrationId, Events[{Discriminator, Value{Id}}]}.
func (g GeneralWebhook) MarshalJSON() ([]byte, error) {
	type value struct {
		ID string `json:"Id"`
	}
	type event struct {
		Discriminator string
		Value         value
	}
	events := make([]event, len(g.Events))
	for i, e := range g.Events {
		events[i] = event{e.Discriminator, value{e.ID}}
	}
	return json.Marshal(struct {
		EnterpriseID  string  `json:"EnterpriseId"`
		IntegrationID string  `json:"IntegrationId"`
		Events        []event `json:"Events"`
	}{g.EnterpriseID, g.IntegrationID, events})
}

// SendWebhook POSTs a General Webhook to the Endpoint's URL (which should carry the
// ?Token= secret) as Mews does, and records the answer; a 2xx status is accepted.
// body is usually a GeneralWebhook; raw JSON ([]byte, json.RawMessage or string) is sent
// as it is.
func (e *Endpoint) SendWebhook(ctx context.Context, body any) (Delivery, error) {
	raw, err := encodeBody("webhook", body)
	if err != nil {
		return Delivery{}, err
	}
	return e.deliver(ctx, "webhook", "", e.base, raw, false), nil
}

// SendWebhookUntilAccepted is SendWebhook repeated until a 2xx answer, as Mews
// re-sends a webhook after a failure or a timeout.
func (e *Endpoint) SendWebhookUntilAccepted(ctx context.Context, body any) (Delivery, error) {
	raw, err := encodeBody("webhook", body)
	if err != nil {
		return Delivery{}, err
	}
	return e.redeliver(ctx, func() Delivery { return e.deliver(ctx, "webhook", "", e.base, raw, false) })
}
