package channelmanager

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"path"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// Operation names of the confirmations a channel manager sends.
const (
	opProcessAvailabilityConfirmation      = "processAvailabilityConfirmation"
	opProcessRateConfirmation              = "processRateConfirmation"
	opProcessRestrictionConfirmation       = "processRestrictionConfirmation"
	opProcessAvailabilityBlockConfirmation = "processAvailabilityBlockConfirmation"
	opProcessGroupConfirmation             = "processGroupConfirmation"
)

// Confirmation is the channel manager's asynchronous answer to a push from Mews: an
// inventory update (updatePrices, updateAvailability, updateRestrictions) it accepted
// with asyncConfirmation: true, an availability block, or a reservation group. The
// same type serves every confirmation operation; the fields that belong to one kind
// only say so, and the operations refuse them on another kind (*mews.InputError), so
// a confirmation never carries a field Mews would misread.
type Confirmation struct {
	// ResponseURL is the push's responseUrl; when it is a confirmation path on the
	// client's platform address the confirmation goes there, otherwise to the
	// operation's default path. Not part of the body.
	ResponseURL string `json:"-"`
	// RelatedMessageID is the messageId of the push being confirmed.
	RelatedMessageID string `json:"relatedMessageId"`
	// Success says whether the push was applied.
	Success bool `json:"success"`
	// Errors say why not (required when Success is false; Mews emails them to the
	// property). Give rateCode and categoryCode where the code requires them, since
	// Mews unsynchronizes those.
	Errors []mews.ErrorDetail `json:"errors,omitempty"`
	// Code is the channel manager's own reference of the block or group; Mews sends it
	// back with every later change. Blocks and groups only; required on success.
	Code string `json:"code,omitempty"`
	// ConfirmationNumber is Mews' number of the block, copied from the push. Blocks
	// only, and required there.
	ConfirmationNumber string `json:"confirmationNumber,omitempty"`
	// Reservations pairs the channel manager's reservation codes with Mews' numbers.
	// Groups only.
	Reservations []ReservationConfirmation `json:"reservations,omitempty"`
}

// UnmarshalJSON accepts success as a string, numeric codes and the singular "error".
func (c *Confirmation) UnmarshalJSON(b []byte) error {
	type plain Confirmation
	return wire.UnmarshalConfirmation(b, (*plain)(c))
}

// ReservationConfirmation pairs a channel manager's reservation code with Mews'
// confirmation number.
type ReservationConfirmation struct {
	// Code is the channel manager's reservation code; Mews sends it back with changes.
	Code string `json:"code"`
	// ConfirmationNumber is Mews' number of the reservation, from the push.
	ConfirmationNumber string `json:"confirmationNumber"`
}

// ConfirmAvailabilityUpdate sends processAvailabilityConfirmation for an
// updateAvailability push.
func ConfirmAvailabilityUpdate(ctx context.Context, h mews.ChannelManagerCaller, c Confirmation) error {
	return confirm(ctx, h, opProcessAvailabilityConfirmation, c)
}

// ConfirmPriceUpdate sends processRateConfirmation for an updatePrices push.
func ConfirmPriceUpdate(ctx context.Context, h mews.ChannelManagerCaller, c Confirmation) error {
	return confirm(ctx, h, opProcessRateConfirmation, c)
}

// ConfirmRestrictionUpdate sends processRestrictionConfirmation for an
// updateRestrictions push.
func ConfirmRestrictionUpdate(ctx context.Context, h mews.ChannelManagerCaller, c Confirmation) error {
	return confirm(ctx, h, opProcessRestrictionConfirmation, c)
}

// ConfirmAvailabilityBlock sends processAvailabilityBlockConfirmation: the result of a
// block that Mews pushed to the channel manager's processAvailabilityBlock endpoint.
// ConfirmationNumber is required, and Code on success.
func ConfirmAvailabilityBlock(ctx context.Context, h mews.ChannelManagerCaller, c Confirmation) error {
	return confirm(ctx, h, opProcessAvailabilityBlockConfirmation, c)
}

// ConfirmGroup sends processGroupConfirmation: the result of a group that Mews pushed
// to the channel manager's processGroup endpoint. Code is required on success, and
// every reservation pair needs both numbers.
func ConfirmGroup(ctx context.Context, h mews.ChannelManagerCaller, c Confirmation) error {
	return confirm(ctx, h, opProcessGroupConfirmation, c)
}

// confirm checks c for op and posts it to the push's responseUrl (see
// confirmationTarget) or to the operation's default path. A confirmation states a final
// outcome for one messageId, so sending it twice tells Mews the same thing: it is an
// idempotent write. Two different outcomes for the same messageId supersede each other
// (mews.Operation.Supersedes): the later call wins, and a retry of the earlier one is
// never sent after it.
func confirm(ctx context.Context, h mews.ChannelManagerCaller, op string, c Confirmation) error {
	if h == nil {
		return noHandle(op)
	}
	if err := c.check(op); err != nil {
		return err
	}
	target := confirmationTarget(environment(h), c.ResponseURL)
	return h.CallChannelManager(ctx, mews.Operation{Name: op, URL: target, Safety: mews.IdempotentWrite, Supersedes: c.RelatedMessageID}, c, nil)
}

// check validates the confirmation for op: the fields every confirmation shares, and
// the fields of its kind.
func (c *Confirmation) check(op string) error {
	bad := func(field, reason string) error { return &mews.InputError{Operation: op, Field: field, Reason: reason} }
	block, group := op == opProcessAvailabilityBlockConfirmation, op == opProcessGroupConfirmation
	switch {
	case strings.TrimSpace(c.RelatedMessageID) == "":
		return bad("relatedMessageId", "is empty; set it to the messageId of the push you confirm")
	case c.Success && len(c.Errors) > 0:
		return bad("errors", "must be empty when success is true")
	case !c.Success && len(c.Errors) == 0:
		return bad("errors", "must say why when success is false (Mews emails the message to the property)")
	case block && strings.TrimSpace(c.ConfirmationNumber) == "":
		return bad("confirmationNumber", "is empty; copy the block's confirmationNumber from Mews' push")
	case !block && c.ConfirmationNumber != "":
		return bad("confirmationNumber", "belongs to a block confirmation only")
	case (block || group) && c.Success && strings.TrimSpace(c.Code) == "":
		return bad("code", "is empty; set the channel manager's own reference of the block or group")
	case !block && !group && c.Code != "":
		return bad("code", "belongs to a block or group confirmation only")
	case !group && len(c.Reservations) > 0:
		return bad("reservations", "belong to a group confirmation only")
	}
	for _, e := range c.Errors {
		if e.Code <= 0 {
			return bad("errors.code", "must be a Channel Manager error code (1-14)")
		}
	}
	for i, r := range c.Reservations {
		if r.Code == "" || r.ConfirmationNumber == "" {
			return bad(fmt.Sprintf("reservations[%d]", i), "needs both code and confirmationNumber")
		}
	}
	return nil
}

// confirmationTarget is the URL a confirmation is posted to: responseURL when Mews gave
// one on the client's own platform address (same scheme and host, port included, and no
// user info) that names a confirmation operation, and "" (the operation's default path)
// otherwise. responseUrl arrives in a push that anyone able to reach the channel
// manager's endpoint could forge, and the confirmation carries the client and connection
// tokens: they never go to a host the client was not configured for, and a forged
// ".../setInventory" cannot turn a confirmation into a call that changes the connection.
func confirmationTarget(env mews.Environment, responseURL string) string {
	responseURL = strings.TrimSpace(responseURL)
	if responseURL == "" || env.BaseURL == "" {
		return ""
	}
	b, err1 := url.Parse(env.BaseURL)
	t, err2 := url.Parse(responseURL)
	if err1 != nil || err2 != nil || t.User != nil || !strings.EqualFold(b.Scheme, t.Scheme) || !strings.EqualFold(b.Host, t.Host) ||
		!strings.HasSuffix(path.Base(t.Path), "Confirmation") {
		return ""
	}
	return t.String()
}

// newMessageID returns a fresh random message id (a version-4 UUID, the form Mews uses)
// for correlating an asynchronous push with its confirmation. crypto/rand makes
// collisions between concurrent pushes practically impossible.
func newMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24

	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
