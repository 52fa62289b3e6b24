package webhooks

import "slices"

// Message is one General Webhook delivery: the events of one enterprise integration.
// Events carry only ids; fetch the entities through the Connector API.
type Message struct {
	EnterpriseID  string  `json:"EnterpriseId"`
	IntegrationID string  `json:"IntegrationId"`
	Events        []Event `json:"Events"`
}

// Event says that one entity changed.
type Event struct {
	Discriminator Discriminator `json:"Discriminator"`
	Value         EventValue    `json:"Value"`
}

// EventValue identifies the entity an event is about.
type EventValue struct {
	ID string `json:"Id"`
}

// Discriminator is the kind of an event. Mews may add kinds; unknown ones are kept
// as they are.
type Discriminator string

// The documented event kinds. "Updated" includes creation, so a new customer comes
// as both CustomerAdded and CustomerUpdated.
const (
	ServiceOrderUpdated  Discriminator = "ServiceOrderUpdated" // a reservation; fetch with reservations/getAll
	ResourceUpdated      Discriminator = "ResourceUpdated"
	MessageAdded         Discriminator = "MessageAdded"
	ResourceBlockUpdated Discriminator = "ResourceBlockUpdated"
	CustomerAdded        Discriminator = "CustomerAdded"
	CustomerUpdated      Discriminator = "CustomerUpdated"
	PaymentUpdated       Discriminator = "PaymentUpdated"
)

// IDs returns the ids of the events of the given kinds (all kinds when none is
// given), each once, in the order they first appear.
func (m *Message) IDs(kinds ...Discriminator) []string {
	seen := make(map[string]bool)
	var ids []string
	for _, e := range m.Events {
		if e.Value.ID == "" || seen[e.Value.ID] || (len(kinds) > 0 && !slices.Contains(kinds, e.Discriminator)) {
			continue
		}
		seen[e.Value.ID] = true
		ids = append(ids, e.Value.ID)
	}
	return ids
}

// ReservationIDs returns the ids of the changed reservations (ServiceOrderUpdated).
func (m *Message) ReservationIDs() []string { return m.IDs(ServiceOrderUpdated) }
