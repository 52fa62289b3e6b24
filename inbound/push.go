package inbound

import (
	"encoding/json"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/ari"
	"github.com/mewskit/mews-go/reservations"
)

// GroupPush is the body of processGroup: a reservation group that Mews pushes to the
// channel manager (new, modified or canceled; a full state, not a diff). Confirm it
// with Confirm and an Outcome carrying the channel manager's group code and the
// reservation codes.
type GroupPush struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	// Group holds the booking, including MessageID and ResponseURL.
	reservations.Group
}

// AvailabilityBlockPush is the body of processAvailabilityBlock: an availability block
// created, updated or canceled in Mews (Status BlockCreate, BlockUpdate, BlockCancel).
// Confirm it with Confirm and an Outcome carrying the channel manager's block code.
type AvailabilityBlockPush struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	// BlockMessage holds MessageID, ResponseURL and the block.
	ari.BlockMessage
}

// UnmarshalJSON decodes the tokens and the group from the same object, so that a
// decoder on the embedded type can never swallow the tokens.
func (p *GroupPush) UnmarshalJSON(b []byte) error {
	return decodeWithTokens(b, &p.ClientToken, &p.ConnectionToken, &p.Group)
}

// UnmarshalJSON decodes the tokens and the block message from the same object.
func (p *AvailabilityBlockPush) UnmarshalJSON(b []byte) error {
	return decodeWithTokens(b, &p.ClientToken, &p.ConnectionToken, &p.BlockMessage)
}

// decodeWithTokens decodes b into body, and its clientToken and connectionToken into
// client and conn.
func decodeWithTokens[T any](b []byte, client, conn *mews.Token, body *T) error {
	var head struct {
		ClientToken     mews.Token `json:"clientToken"`
		ConnectionToken mews.Token `json:"connectionToken"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return err
	}
	if err := json.Unmarshal(b, body); err != nil {
		return err
	}
	*client, *conn = head.ClientToken, head.ConnectionToken
	return nil
}

// message gives Confirm and the Handler the push's identity.
func (p *GroupPush) message() *Message {
	return &Message{ConnectionToken: p.ConnectionToken, MessageID: p.MessageID, ResponseURL: p.ResponseURL}
}

// message gives Confirm and the Handler the push's identity.
func (p *AvailabilityBlockPush) message() *Message {
	return &Message{ConnectionToken: p.ConnectionToken, MessageID: p.MessageID, ResponseURL: p.ResponseURL}
}

func (p *GroupPush) clientToken() mews.Token             { return p.ClientToken }
func (p *AvailabilityBlockPush) clientToken() mews.Token { return p.ClientToken }
func (p *GroupPush) messageID() string                   { return p.MessageID }
func (p *AvailabilityBlockPush) messageID() string       { return p.MessageID }
func (p *GroupPush) connection() mews.Token              { return p.ConnectionToken }
func (p *AvailabilityBlockPush) connection() mews.Token  { return p.ConnectionToken }

func (p *GroupPush) validate(c *checker) {
	p.message().validate(c)
	for i, r := range p.Reservations {
		c.require(r.ConfirmationNumber != "", "reservations[%d].confirmationNumber", i)
	}
}

func (p *AvailabilityBlockPush) validate(c *checker) {
	p.message().validate(c)
	b := p.AvailabilityBlock
	c.require(b.ConfirmationNumber != "", "availabilityBlock.confirmationNumber")
	c.require(b.Status != "", "availabilityBlock.status")
	for i, sc := range b.SpaceCategories {
		c.require(sc.SpaceTypeCode != "", "availabilityBlock.spaceCategories[%d].spaceTypeCode", i)
	}
}
