package inbound

import (
	"context"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/chm"
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

// confirmationBody is the JSON of every confirmation; the pipeline adds the tokens.
type confirmationBody struct {
	RelatedMessageID   string             `json:"relatedMessageId"`
	Success            bool               `json:"success"`
	Errors             []mews.ErrorDetail `json:"errors,omitempty"`
	Code               string             `json:"code,omitempty"`
	ConfirmationNumber string             `json:"confirmationNumber,omitempty"`
}

// Confirm sends the asynchronous result of a push that was answered with Async (or,
// for blocks and groups, accepted) to Mews: processRateConfirmation,
// processAvailabilityConfirmation, processRestrictionConfirmation,
// processAvailabilityBlockConfirmation or processGroupConfirmation, chosen by the
// push's type, with relatedMessageId set to its messageId. It goes through the
// client's pipeline (retries, limits, logging) with the client's Channel Manager
// client token and the push's connection token.
//
// It posts to the push's responseUrl when that URL is on the client's platform
// address (same scheme and host), and to the operation's path on the platform address
// otherwise, so the tokens never go to a host the client was not configured for.
// Problems found before sending are *mews.InputError; Mews' refusals are *mews.APIError.
func Confirm(ctx context.Context, client *mews.Client, push Push, out Outcome) error {
	if client == nil || push == nil {
		return &mews.InputError{Operation: "confirm", Field: "client and push", Reason: "must not be nil"}
	}
	msg, op := push.message(), push.confirmation()
	success := len(out.Errors) == 0
	if err := chm.CheckConfirmation(op, msg.MessageID, success, out.Errors); err != nil {
		return err
	}
	cm, err := client.ChannelManager(msg.ConnectionToken.Reveal())
	if err != nil {
		return err
	}
	body := confirmationBody{RelatedMessageID: msg.MessageID, Success: success, Errors: out.Errors}
	switch p := push.(type) {
	case *GroupPush:
		return reservations.ConfirmGroup(ctx, cm, reservations.GroupConfirmation{
			ResponseURL: msg.ResponseURL, RelatedMessageID: msg.MessageID, Success: success, Errors: out.Errors,
			Code: out.Code, Reservations: out.Reservations,
		})
	case *AvailabilityBlockPush:
		body.Code, body.ConfirmationNumber = out.Code, p.AvailabilityBlock.ConfirmationNumber
		switch {
		case body.ConfirmationNumber == "":
			return &mews.InputError{Operation: op, Field: "availabilityBlock.confirmationNumber", Reason: "of the push is empty; Mews needs it to match the block"}
		case success && body.Code == "":
			return &mews.InputError{Operation: op, Field: "code", Reason: "is empty; set Outcome.Code to the channel manager's own reference of the block"}
		}
	}
	return chm.PostConfirmation(ctx, cm, op, msg.ResponseURL, body)
}
