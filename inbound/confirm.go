package inbound

import (
	"context"
	"net/url"
	"strings"

	mews "github.com/mewskit/mews-go"
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
	Reservations []ReservationConfirmation
}

// confirmationBody is the JSON of every confirmation; the pipeline adds the tokens.
type confirmationBody struct {
	RelatedMessageID   string                    `json:"relatedMessageId"`
	Success            bool                      `json:"success"`
	Errors             []mews.ErrorDetail        `json:"errors,omitempty"`
	Code               string                    `json:"code,omitempty"`
	ConfirmationNumber string                    `json:"confirmationNumber,omitempty"`
	Reservations       []ReservationConfirmation `json:"reservations,omitempty"`
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
	body := confirmationBody{RelatedMessageID: msg.MessageID, Success: len(out.Errors) == 0, Errors: out.Errors}
	if err := completeConfirmation(&body, push, out); err != nil {
		return err
	}
	if body.RelatedMessageID == "" {
		return &mews.InputError{Operation: op, Field: "messageId", Reason: "of the push is empty; confirm the request the Handler passed to your Receiver"}
	}
	cm, err := client.ChannelManager(msg.ConnectionToken.Reveal())
	if err != nil {
		return err
	}
	return cm.Do(ctx, mews.Operation{Name: op, URL: sameOrigin(client.Environment().BaseURL, msg.ResponseURL), Safety: mews.IdempotentWrite}, body, nil)
}

// completeConfirmation adds what block and group confirmations need besides the
// common fields.
func completeConfirmation(body *confirmationBody, push Push, out Outcome) error {
	op := push.confirmation()
	switch p := push.(type) {
	case *AvailabilityBlockPush:
		body.Code = out.Code
		body.ConfirmationNumber = p.confirmationNumber()
		if body.ConfirmationNumber == "" {
			return &mews.InputError{Operation: op, Field: "availabilityBlock.confirmationNumber", Reason: "of the push is empty; Mews needs it to match the block"}
		}
	case *GroupPush:
		body.Code = out.Code
		body.Reservations = out.Reservations
		for _, r := range out.Reservations {
			if r.Code == "" || r.ConfirmationNumber == "" {
				return &mews.InputError{Operation: op, Field: "reservations", Reason: "each needs both code and confirmationNumber"}
			}
		}
	default:
		return nil
	}
	if body.Success && body.Code == "" {
		return &mews.InputError{Operation: op, Field: "code", Reason: "is empty; set Outcome.Code to the channel manager's own reference"}
	}
	return nil
}

// sameOrigin returns target when it has the scheme and host of base, and "" otherwise.
func sameOrigin(base, target string) string {
	b, err1 := url.Parse(base)
	t, err2 := url.Parse(strings.TrimSpace(target))
	if target == "" || err1 != nil || err2 != nil || !strings.EqualFold(b.Scheme, t.Scheme) || !strings.EqualFold(b.Host, t.Host) {
		return ""
	}
	return t.String()
}
