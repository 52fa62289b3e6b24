package inbound

import (
	"context"
	"reflect"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/ari"
	"github.com/mewskit/mews-go/reservations"
)

// Outcome is the asynchronous result of a push, sent to Mews by Confirm.
type Outcome struct {
	// Errors is empty when the push was applied. Otherwise it holds the refusal, with
	// rateCode and categoryCode where the code requires them (see RateError, …).
	Errors []mews.ErrorDetail
	// Code is the channel manager's own reference for an availability block or a
	// reservation group; Mews sends it back with every later change. Required when
	// confirming an AvailabilityBlockPush or a GroupPush, ignored otherwise.
	Code string
	// Reservations pairs the channel manager's reservation codes with the Mews
	// confirmation numbers of a GroupPush; ignored otherwise.
	Reservations []reservations.ReservationConfirmation
}

// Confirm sends the asynchronous result of a push that was answered with Async (or,
// for blocks and groups, accepted) to Mews: processRateConfirmation,
// processAvailabilityConfirmation, processRestrictionConfirmation,
// processAvailabilityBlockConfirmation or processGroupConfirmation, chosen by the
// push's type, with relatedMessageId set to its messageId. It goes through the
// client's pipeline (retries, limits, logging) with the client's Channel Manager
// client token and the push's connection token, using the ari and reservations
// confirmation operations.
//
// It posts to the push's responseUrl when that URL is on the client's platform
// address (same scheme and host) and names a confirmation operation, and to the
// operation's path on the platform address otherwise: a push can be forged by anyone
// who reaches the endpoint, and the tokens must never go to a host the client was not
// configured for.
// Problems found before sending are *mews.InputError; Mews' refusals are *mews.APIError.
func Confirm(ctx context.Context, client *mews.Client, push Push, out Outcome) error {
	// Every Push is a pointer; a typed nil one would panic on its first field.
	if client == nil || push == nil || reflect.ValueOf(push).IsNil() {
		return &mews.InputError{Operation: "confirm", Field: "client and push", Reason: "must not be nil"}
	}
	msg := push.message()
	cm, err := client.ChannelManager(msg.ConnectionToken.Reveal())
	if err != nil {
		return err
	}
	c := ari.Confirmation{ResponseURL: msg.ResponseURL, RelatedMessageID: msg.MessageID, Success: len(out.Errors) == 0, Errors: out.Errors}
	switch p := push.(type) {
	case *PricesUpdate:
		return ari.ConfirmPriceUpdate(ctx, cm, c)
	case *AvailabilityUpdate:
		return ari.ConfirmAvailabilityUpdate(ctx, cm, c)
	case *RestrictionsUpdate:
		return ari.ConfirmRestrictionUpdate(ctx, cm, c)
	case *AvailabilityBlockPush:
		return ari.ConfirmAvailabilityBlock(ctx, cm, ari.BlockConfirmation{
			Confirmation: c, Code: out.Code, ConfirmationNumber: p.AvailabilityBlock.ConfirmationNumber})
	case *GroupPush:
		return reservations.ConfirmGroup(ctx, cm, reservations.GroupConfirmation{
			ResponseURL: c.ResponseURL, RelatedMessageID: c.RelatedMessageID, Success: c.Success, Errors: c.Errors,
			Code: out.Code, Reservations: out.Reservations})
	}
	return &mews.InputError{Operation: "confirm", Field: "push", Reason: "is not a push Mews confirms; pass the request your Receiver got"}
}
