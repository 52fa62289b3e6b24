package inbound

import (
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
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
	// Group holds the booking, including MessageID and ResponseURL. It must not
	// implement json.Unmarshaler: the method would be promoted and decode the whole
	// body without the tokens (the round-trip test of the reference example checks).
	channelmanager.Group
}

// AvailabilityBlockPush is the body of processAvailabilityBlock: an availability block
// created, updated or canceled in Mews (Status BlockCreate, BlockUpdate, BlockCancel).
// Confirm it with Confirm and an Outcome carrying the channel manager's block code.
type AvailabilityBlockPush struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	// BlockMessage holds MessageID, ResponseURL and the block; like Group, it must
	// not implement json.Unmarshaler.
	channelmanager.BlockMessage
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
