package inbound

import (
	"context"
	"reflect"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
)

// Confirm sends the asynchronous result of a push that was answered with Async (or,
// for blocks and groups, accepted) to Mews: processRateConfirmation,
// processAvailabilityConfirmation, processRestrictionConfirmation,
// processAvailabilityBlockConfirmation or processGroupConfirmation, chosen by the
// push's type, through h, the handle of the push's connection:
//
//	cm, err := client.ChannelManager(req.ConnectionToken.Reveal())
//	…
//	err = inbound.Confirm(ctx, cm, req, channelmanager.Confirmation{Success: true})
//
// Confirm takes the push's identity from the push: it sets c.RelatedMessageID and
// c.ResponseURL, and for an AvailabilityBlockPush c.ConfirmationNumber. Leave them
// empty; a different value is refused. Set Success, or Errors to refuse the push, and
// for a block or a group the channel manager's Code (and a group's Reservations).
//
// It posts to the push's responseUrl when that URL is on the client's platform
// address (same scheme and host) and names a confirmation operation, and to the
// operation's path on the platform address otherwise: a push can be forged by anyone
// who reaches the endpoint, and the tokens must never go to a host the client was not
// configured for. A *mews.ChannelManager for another connection than the push's is
// refused. Problems found before sending are *mews.InputError; Mews' refusals are
// *mews.APIError.
func Confirm(ctx context.Context, h mews.ChannelManagerCaller, push Push, c channelmanager.Confirmation) error {
	// Every Push is a pointer; a typed nil one would panic on its first field.
	if h == nil || push == nil || reflect.ValueOf(push).IsNil() {
		return confirmError("handle and push", "must not be nil")
	}
	msg := push.message()
	if cm, ok := h.(*mews.ChannelManager); ok && cm != nil &&
		!cm.ConnectionToken().Equal(msg.ConnectionToken) {
		return confirmError("handle", "is for another connection than the push's; use client.ChannelManager(push's connectionToken)")
	}
	if err := fill(&c.RelatedMessageID, msg.MessageID, "relatedMessageId"); err != nil {
		return err
	}
	if err := fill(&c.ResponseURL, msg.ResponseURL, "responseURL"); err != nil {
		return err
	}
	switch p := push.(type) {
	case *PricesUpdate:
		return channelmanager.ConfirmPriceUpdate(ctx, h, c)
	case *AvailabilityUpdate:
		return channelmanager.ConfirmAvailabilityUpdate(ctx, h, c)
	case *RestrictionsUpdate:
		return channelmanager.ConfirmRestrictionUpdate(ctx, h, c)
	case *AvailabilityBlockPush:
		if err := fill(&c.ConfirmationNumber, p.AvailabilityBlock.ConfirmationNumber, "confirmationNumber"); err != nil {
			return err
		}
		return channelmanager.ConfirmAvailabilityBlock(ctx, h, c)
	case *GroupPush:
		return channelmanager.ConfirmGroup(ctx, h, c)
	}
	return confirmError("push", "is not a push Mews confirms; pass the request your Receiver got")
}

// fill sets *field to the push's value, refusing a different one the caller set.
func fill(field *string, fromPush, name string) error {
	if *field != "" && *field != fromPush {
		return confirmError(name, "differs from the push's; leave it empty, Confirm takes it from the push")
	}
	*field = fromPush
	return nil
}

func confirmError(field, reason string) error {
	return &mews.InputError{Operation: "confirm", Field: field, Reason: reason}
}
