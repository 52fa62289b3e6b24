package inbound

import (
	"encoding/json"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// GroupPush is the body of processGroup: a reservation group that Mews pushes to the
// channel manager (new, modified or canceled; a full state, not a diff). Confirm it
// with Confirm and an Outcome carrying the channel manager's group code and the
// reservation codes.
type GroupPush struct {
	ConnectionToken mews.Token `json:"connectionToken"`
	// Group holds the booking, including MessageID and ResponseURL.
	reservations.Group
}

// UnmarshalJSON decodes the connection token and the group from the same object, so
// that a decoder on reservations.Group can never swallow the token.
func (p *GroupPush) UnmarshalJSON(b []byte) error {
	var head struct {
		ConnectionToken mews.Token `json:"connectionToken"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	var g reservations.Group
	if err := json.Unmarshal(b, &g); err != nil {
		return err
	}
	*p = GroupPush{ConnectionToken: head.ConnectionToken, Group: g}
	return nil
}

// message gives Confirm and the Handler the push's identity.
func (p *GroupPush) message() *Message {
	return &Message{ConnectionToken: p.ConnectionToken, MessageID: p.MessageID, ResponseURL: p.ResponseURL}
}

func (p *GroupPush) messageID() string { return p.MessageID }

func (p *GroupPush) validate(c *checker) {
	c.connection(p.ConnectionToken)
	c.require(p.MessageID != "", "messageId")
	for i, r := range p.Reservations {
		c.require(r.ConfirmationNumber != "", "reservations[%d].confirmationNumber", i)
	}
}

// AvailabilityBlockPush is the body of processAvailabilityBlock. (placeholder)
type AvailabilityBlockPush struct {
	Message
	AvailabilityBlock json.RawMessage `json:"availabilityBlock"`
}

func (*AvailabilityBlockPush) confirmation() string { return "processAvailabilityBlockConfirmation" }
func (*GroupPush) confirmation() string             { return "processGroupConfirmation" }

func (p *AvailabilityBlockPush) confirmationNumber() string { return "" }
