package events

import (
	"encoding/json"
	"errors"
	"time"
)

// Event is one event Mews pushed over the WebSocket. Its dynamic type is
// DeviceCommand, Reservation, Resource, PriceUpdate or Unknown; switch on it:
//
//	switch ev := ev.(type) {
//	case events.Reservation:
//		refetch(ev.ID)
//	case events.Unknown:
//		log.Printf("event %s not understood: %s", ev.Type, ev.Raw)
//	}
//
// Events carry ids and states only, and may come twice or out of order: read the
// entity through the API before acting on it.
type Event interface {
	// EventType returns Mews' Type of the event, e.g. "Reservation".
	EventType() string
	isEvent()
}

// DeviceCommand says that a device command (a key to cut, a document to print) was
// created or changed; fetch it with commands/getAllByIds.
type DeviceCommand struct {
	ID    string // the command's id
	State string // Pending, Received, Processing, Processed, Cancelled or Error
}

// Reservation says that a reservation was created or changed.
type Reservation struct {
	ID                 string
	State              string // e.g. Confirmed, Started, Processed, Canceled (Mews may say Inquired or Enquired)
	StartUtc           time.Time
	EndUtc             time.Time
	AssignedResourceID string // "" when no room is assigned
}

// Resource says that a resource (a room, a bed) changed, typically its housekeeping state.
type Resource struct {
	ID    string
	State string // Dirty, Clean, Inspected, OutOfService or OutOfOrder
}

// PriceUpdate says that prices changed. Fields other than ID are optional; zero when absent.
type PriceUpdate struct {
	ID                 string
	StartUtc           time.Time
	EndUtc             time.Time
	RateID             string
	ResourceCategoryID string
}

// Unknown is an event this package does not decode: a type Mews added later, or a
// known type whose fields did not decode. It is passed on, never dropped.
type Unknown struct {
	Type string          // Mews' Type, "" if the event had none
	Raw  json.RawMessage // the event's JSON as Mews sent it
}

func (DeviceCommand) EventType() string { return "DeviceCommand" }
func (Reservation) EventType() string   { return "Reservation" }
func (Resource) EventType() string      { return "Resource" }
func (PriceUpdate) EventType() string   { return "PriceUpdate" }

// EventType returns the Type the event carried.
func (u Unknown) EventType() string { return u.Type }

func (DeviceCommand) isEvent() {}
func (Reservation) isEvent()   {}
func (Resource) isEvent()      {}
func (PriceUpdate) isEvent()   {}
func (Unknown) isEvent()       {}

// wireEvent is every known event's fields in one flat struct, so a whole message
// decodes in one pass; the type picks which fields are used.
type wireEvent struct {
	Type               string
	ID                 string `json:"Id"`
	State              string
	StartUtc           time.Time
	EndUtc             time.Time
	AssignedResourceID string `json:"AssignedResourceId"`
	RateID             string `json:"RateId"`
	ResourceCategoryID string `json:"ResourceCategoryId"`
}

// typed returns the event as its type, or false for a type this package does not know.
func (w *wireEvent) typed() (Event, bool) {
	switch w.Type {
	case "DeviceCommand":
		return DeviceCommand{ID: w.ID, State: w.State}, true
	case "Reservation":
		return Reservation{ID: w.ID, State: w.State, StartUtc: w.StartUtc, EndUtc: w.EndUtc, AssignedResourceID: w.AssignedResourceID}, true
	case "Resource":
		return Resource{ID: w.ID, State: w.State}, true
	case "PriceUpdate":
		return PriceUpdate{ID: w.ID, StartUtc: w.StartUtc, EndUtc: w.EndUtc, RateID: w.RateID, ResourceCategoryID: w.ResourceCategoryID}, true
	}
	return nil, false
}

// ErrMalformed is the Resync.Cause after a message that was not {"Events":[...]}: its
// events, if any, are caught up by the resync.
var ErrMalformed = errors.New("events: a message from Mews was not {\"Events\":[...]}")

// decode reads one message, {"Events":[...]}, appending its events to dst. The common
// case, known types only, costs one json.Unmarshal; a message with an unknown type or an
// event that does not decode is read a second time as raw events, so each such event is
// passed on as Unknown with its JSON. Only a message that is not an object with an
// Events array fails.
func decode(dst []Event, data []byte) ([]Event, error) {
	start := len(dst)
	var msg struct{ Events []wireEvent }
	if err := json.Unmarshal(data, &msg); err == nil {
		all := true
		for i := range msg.Events {
			ev, ok := msg.Events[i].typed()
			if !ok {
				all = false
				break
			}
			dst = append(dst, ev)
		}
		if all {
			return dst, nil
		}
		dst = dst[:start]
	}
	var raw struct{ Events []json.RawMessage }
	if err := json.Unmarshal(data, &raw); err != nil {
		return dst, ErrMalformed
	}
	for _, r := range raw.Events {
		var w wireEvent
		if err := json.Unmarshal(r, &w); err == nil {
			if ev, ok := w.typed(); ok {
				dst = append(dst, ev)
				continue
			}
		}
		var head struct{ Type any }
		_ = json.Unmarshal(r, &head)
		typ, _ := head.Type.(string)
		dst = append(dst, Unknown{Type: typ, Raw: r})
	}
	return dst, nil
}
