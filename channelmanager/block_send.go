package channelmanager

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	mews "github.com/mewskit/mews-go"
)

const opProcessAvailabilityBlock = "processAvailabilityBlock"

// ProcessAvailabilityBlock sends a block to create, update or cancel (by its Status) to
// Mews' availability block push URL (a PCI proxy, which is why the card travels in clear
// there), and returns the messageId it was sent with: m.MessageID, or a fresh random id
// when that is empty. Mews only accepts the block here and confirms it later.
//
// The block is validated first and nothing is sent when it is invalid (*mews.InputError):
// code, name, originalRateCode and a booker with lastName are required; status must be
// BlockCreated, BlockUpdated or BlockCanceled, and the last two need confirmationNumber;
// dates must run forwards (end exclusive); a Fixed release needs fixedDate and a Rolling
// one an offset that is not negative; every space category needs a spaceTypeCode and
// allocated spaces, and each of its rates runs forwards with at least one price; the
// pickup type must be set; a payment card must pass PaymentCard.Validate.
//
// Updates and cancellations are retried after an ambiguous failure (a lost answer), since
// they restate the whole block; a creation is not, because Mews might then hold the block
// twice: on such an error, wait for Mews' processing confirmation of the messageId, or ask
// the property, before creating the block again.
//
// Messages for one block (its code) on one connection are ordered newest-wins: one that
// starts while an older one is still being retried stops the older one (which returns
// ErrSuperseded) and is sent once that call has returned, so a retry of an older state
// never lands after a newer one.
func ProcessAvailabilityBlock(ctx context.Context, h mews.ChannelManagerCaller, m BlockMessage) (messageID string, err error) {
	if h == nil {
		return "", noHandle(opProcessAvailabilityBlock)
	}
	if err := m.AvailabilityBlock.validate(); err != nil {
		return "", err
	}
	w := blockWire{MessageID: m.MessageID, AvailabilityBlock: blockBodyWire{AvailabilityBlock: &m.AvailabilityBlock}}
	if strings.TrimSpace(w.MessageID) == "" {
		w.MessageID = newMessageID()
	}
	if card := m.AvailabilityBlock.PaymentCard; card != nil {
		if w.AvailabilityBlock.PaymentCard, err = card.MarshalRevealedJSON(); err != nil {
			return "", err
		}
	}
	op := mews.Operation{Name: opProcessAvailabilityBlock, Supersedes: m.AvailabilityBlock.Code,
		Safety: blockSafety(m.AvailabilityBlock.Status), Secrets: m.AvailabilityBlock.PaymentCard.secrets()}
	if err := h.CallChannelManager(ctx, op, w, nil); err != nil {
		return "", err
	}
	return w.MessageID, nil
}

// blockSafety is the retry safety of a block message. An update or cancellation states
// the block's full definition for the confirmationNumber Mews gave it, so delivering it
// twice leaves Mews with the same block: an idempotent write. A creation has no Mews
// number yet, and Mews does not document that it deduplicates blocks by the channel
// manager's code; repeating one that Mews already processed could set the inventory
// aside twice, so it is a plain write (retried only when it provably never left).
func blockSafety(s BlockStatus) mews.Safety {
	if s.IsCreate() {
		return mews.Write
	}
	return mews.IdempotentWrite
}

// blockWire is a BlockMessage as it goes on the wire: messageId filled, card revealed.
type blockWire struct {
	MessageID         string        `json:"messageId"`
	AvailabilityBlock blockBodyWire `json:"availabilityBlock"`
}

type blockBodyWire struct {
	*AvailabilityBlock
	PaymentCard json.RawMessage `json:"paymentCard,omitempty"`
}

func blockInputError(field, format string, args ...any) error {
	return &mews.InputError{Operation: opProcessAvailabilityBlock, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// validate checks what Mews requires of a block sent to it.
func (b *AvailabilityBlock) validate() error {
	switch {
	case strings.TrimSpace(b.Code) == "":
		return blockInputError("availabilityBlock.code", "is empty; set the channel manager's own reference of the block")
	case b.Status != BlockCreated && b.Status != BlockUpdated && b.Status != BlockCanceled:
		return blockInputError("availabilityBlock.status", "is %q; use BlockCreated, BlockUpdated or BlockCanceled when sending to Mews", string(b.Status))
	case !b.Status.IsCreate() && strings.TrimSpace(b.ConfirmationNumber) == "":
		return blockInputError("availabilityBlock.confirmationNumber", "is required to update or cancel a block; use the number Mews confirmed")
	case strings.TrimSpace(b.Name) == "":
		return blockInputError("availabilityBlock.name", "is empty")
	case !b.Dates.Start.IsValid() || !b.Dates.End.IsValid() || !b.Dates.Start.Before(b.Dates.End):
		return blockInputError("availabilityBlock.dates", "must have a start before its end (end is exclusive)")
	case strings.TrimSpace(b.OriginalRateCode) == "":
		return blockInputError("availabilityBlock.originalRateCode", "is empty")
	case b.Booker == nil || strings.TrimSpace(b.Booker.LastName) == "":
		return blockInputError("availabilityBlock.booker.lastName", "is required")
	case b.PickupType != PickupAllInOneGroup && b.PickupType != PickupIndividualGroups:
		return blockInputError("availabilityBlock.pickupType", "must be PickupAllInOneGroup or PickupIndividualGroups")
	case len(b.SpaceCategories) == 0:
		return blockInputError("availabilityBlock.spaceCategories", "is empty")
	}
	if err := b.ReleaseStrategy.validate(); err != nil {
		return err
	}
	if b.PaymentCard != nil {
		if err := b.PaymentCard.Validate(); err != nil {
			return blockInputError("availabilityBlock.paymentCard", "%v", err)
		}
	}
	for i, c := range b.SpaceCategories {
		if c.SpaceTypeCode == "" || len(c.AllocatedSpaces) == 0 {
			return blockInputError(fmt.Sprintf("availabilityBlock.spaceCategories[%d]", i), "needs a spaceTypeCode and allocatedSpaces")
		}
		for j, a := range c.AllocatedSpaces {
			if !a.Start.Before(a.End) || a.Count < 0 {
				return blockInputError(fmt.Sprintf("availabilityBlock.spaceCategories[%d].allocatedSpaces[%d]", i, j), "needs start before end and a count of at least 0")
			}
		}
		for j, r := range c.Rates {
			if !r.Start.Before(r.End) || len(r.Prices) == 0 {
				return blockInputError(fmt.Sprintf("availabilityBlock.spaceCategories[%d].rates[%d]", i, j), "needs start before end (end is exclusive) and a price per guest count")
			}
		}
	}
	return nil
}

func (r *ReleaseStrategy) validate() error {
	const field = "availabilityBlock.releaseStrategy"
	switch {
	case r == nil:
		return blockInputError(field, "is required")
	case r.Type == ReleaseFixed && !r.FixedDate.IsValid():
		return blockInputError(field+".fixedDate", "is required for a Fixed release")
	case r.Type == ReleaseRolling:
		if days, err := r.Offset.Days(); err != nil || days < 0 {
			return blockInputError(field+".offset", "is required for a Rolling release, as P[days]DT with days of at least 0 (ReleaseOffsetDays)")
		}
	case r.Type != ReleaseFixed:
		return blockInputError(field+".type", "must be ReleaseFixed or ReleaseRolling")
	}
	return nil
}
