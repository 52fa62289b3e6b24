package channelmanager

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	mews "github.com/mewskit/mews-go"
)

// MaxGroupReservations is Mews' recommended maximum number of reservations in one group
// message. ProcessGroup refuses larger groups unless ProcessGroupParams.AllowLargeGroup
// is set.
const MaxGroupReservations = 100

const opProcessGroup = "processGroup"

// ProcessGroupParams is the input of ProcessGroup.
type ProcessGroupParams struct {
	// Group is the booking's full state.
	Group Group
	// AllowLargeGroup lets ProcessGroup send a group of more than MaxGroupReservations
	// reservations, which Mews recommends against; set it only when the booking really
	// is that large and cannot be split (a group must be sent as one message).
	AllowLargeGroup bool
}

// ProcessGroup sends a reservation group (a new, modified or cancelled booking) to
// Mews' reservation push URL (a PCI proxy, which is why the card travels in clear there)
// and returns the messageId it was sent with: p.Group.MessageID, or a fresh random id
// when that is empty. Mews only accepts the group here; the result comes
// later to the channel manager's confirmGroup endpoint with that id as relatedMessageId.
//
// The group is validated first, and nothing is sent when it is invalid (*mews.InputError):
// channelId and channelManagerId are required; Reservations must not be nil (a forgotten
// list would cancel the booking; CancelGroup builds the deliberate empty one); unless
// the group cancels everything, currencyCode, totalAmount, paymentType and customer
// (with lastName) are required; every reservation needs a code unique in the group;
// live reservations need dates (from before to), spaceTypeCode, ratePlanCode, at
// least one guest (each guest count with its age category code), and one amount per
// night that is not negative; extras need a code, an
// amount and a pricing; at most one source is primary. More than MaxGroupReservations
// reservations need AllowLargeGroup.
//
// A lost answer (a reset connection, a timeout, a 5xx) is retried with the same
// messageId, since repeating a full group state is harmless; Mews may then confirm the
// message more than once. Repeating an older state after a newer one is not harmless,
// so the newest push for a booking wins: a ProcessGroup for a channelManagerId that
// starts while an older one for the same connection and booking is still being
// retried stops the older one (which returns ErrSuperseded) and is sent once the older
// call has returned, so no retry of an older state is sent after a newer state.
//
// Mews' refusals come back as *mews.APIError: errors.Is(err, mews.ErrOperationDisabled)
// (code 9, the property switched reservations off), mews.ErrValidation (6),
// mews.ErrProcessing (7: do not resend unchanged), mews.ErrInvalidAuthentication (8),
// mews.ErrConnectionNotFound (3).
func ProcessGroup(ctx context.Context, h mews.ChannelManagerCaller, p ProcessGroupParams) (messageID string, err error) {
	if h == nil {
		return "", noHandle(opProcessGroup)
	}
	g := &p.Group
	if err := g.validate(p.AllowLargeGroup); err != nil {
		return "", err
	}
	w := groupWire{Group: g, MessageID: g.MessageID}
	if strings.TrimSpace(w.MessageID) == "" {
		w.MessageID = newMessageID()
	}
	if g.PaymentCard != nil {
		if w.PaymentCard, err = g.PaymentCard.MarshalRevealedJSON(); err != nil {
			return "", err
		}
	}
	// A group message is a full state keyed by channelManagerId (every reservation, with
	// stable codes; absence means cancelled), not a diff, and Mews matches a known
	// channelManagerId and code as a modification. Delivering the same message twice
	// therefore leaves Mews in the same state, so the pipeline may retry it after a lost
	// answer. This is inferred from the documented semantics (Mews promises no
	// deduplication, and documents no ordering between messages: in 2018 it processed a
	// booking's separate messages in parallel), and each delivery may bring its own
	// confirmGroup with the same relatedMessageId, which the confirmGroup handler must
	// accept. The retry backoff puts the repeat well after the first delivery.
	op := mews.Operation{Name: opProcessGroup, Supersedes: g.ChannelManagerID, Safety: mews.IdempotentWrite, Secrets: g.PaymentCard.secrets()}
	if err := h.CallChannelManager(ctx, op, w, nil); err != nil {
		return "", err
	}
	return w.MessageID, nil
}

// groupWire is a Group as it goes on the wire: with its messageId filled and the card revealed.
type groupWire struct {
	*Group
	MessageID   string          `json:"messageId"`
	PaymentCard json.RawMessage `json:"paymentCard,omitempty"`
}

// groupInputError builds the validation error of processGroup.
func groupInputError(field, format string, args ...any) error {
	return &mews.InputError{Operation: opProcessGroup, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Cancels reports whether the group cancels the whole booking: no reservations, or all
// of them canceled.
func (g *Group) Cancels() bool {
	for _, r := range g.Reservations {
		if !r.IsCanceled() {
			return false
		}
	}
	return true
}

// validate checks what Mews requires of a CHM → Mews group.
func (g *Group) validate(allowLarge bool) error {
	switch {
	case strings.TrimSpace(g.ChannelID) == "":
		return groupInputError("channelId", "is empty; set the booking's id in the sales channel")
	case strings.TrimSpace(g.ChannelManagerID) == "":
		return groupInputError("channelManagerId", "is empty; set the booking's id in the channel manager (the group's identity)")
	case g.Reservations == nil:
		return groupInputError("reservations", "is nil, which Mews reads as cancelling the whole booking; to cancel it, send CancelGroup (an empty, non-nil list) or mark every reservation canceled")
	case len(g.Reservations) > MaxGroupReservations && !allowLarge:
		return groupInputError("reservations", "has %d reservations, more than the %d Mews recommends per group; set ProcessGroupParams.AllowLargeGroup if the booking cannot be smaller", len(g.Reservations), MaxGroupReservations)
	}
	if !g.Cancels() {
		if err := g.validateLive(); err != nil {
			return err
		}
	}
	primary := 0
	for i, src := range g.Sources {
		if strings.TrimSpace(src.Name) == "" {
			return groupInputError(fmt.Sprintf("sources[%d].name", i), "is empty")
		}
		if src.IsPrimary {
			primary++
		}
	}
	if primary > 1 {
		return groupInputError("sources", "has %d primary sources; mark only the channel the booking came from", primary)
	}
	if g.PaymentCard != nil {
		if err := g.PaymentCard.Validate(); err != nil {
			return groupInputError("paymentCard", "%v", err)
		}
	}
	seen := make(map[string]bool, len(g.Reservations))
	for i, r := range g.Reservations {
		field := fmt.Sprintf("reservations[%d]", i)
		switch {
		case r.Code == "" || r.Code == "_":
			return groupInputError(field+".code", "is %q; give every reservation a code that stays the same in later messages (\"01\", \"02\", … is fine)", r.Code)
		case seen[r.Code]:
			return groupInputError(field+".code", "%q appears twice; reservation codes must be unique within the group", r.Code)
		}
		seen[r.Code] = true
		if !r.IsCanceled() {
			if err := r.validate(field); err != nil {
				return err
			}
		}
	}
	return nil
}

// validateLive checks the group fields required unless the group cancels everything.
func (g *Group) validateLive() error {
	switch {
	case len(strings.TrimSpace(g.CurrencyCode)) != 3:
		return groupInputError("currencyCode", "must be an ISO 4217 code such as EUR")
	case g.TotalAmount == nil || g.TotalAmount.IsZero():
		return groupInputError("totalAmount", "is missing; set it to the sum of the reservations' totals (Group.ReservationsTotal)")
	case g.PaymentType < PaymentPrepaid || g.PaymentType > PaymentOnSite:
		return groupInputError("paymentType", "must be PaymentPrepaid, PaymentPreauthorized or PaymentOnSite")
	case g.Customer == nil || strings.TrimSpace(g.Customer.LastName) == "":
		return groupInputError("customer.lastName", "is required (the owner or main guest)")
	}
	return nil
}

// validate checks one reservation that is not canceled.
func (r *Reservation) validate(field string) error {
	switch {
	case !r.From.IsValid() || !r.To.IsValid():
		return groupInputError(field+".from/to", "must both be set to real dates (arrival, departure)")
	case !r.From.Before(r.To):
		return groupInputError(field+".to", "(%s) must be after from (%s); to is the departure date", r.To, r.From)
	case r.SpaceTypeCode == "":
		return groupInputError(field+".spaceTypeCode", "is empty")
	case r.RatePlanCode == "":
		return groupInputError(field+".ratePlanCode", "is empty")
	case len(r.GuestCounts) == 0:
		return groupInputError(field+".guestCounts", "is empty; give the number of guests per age category")
	case len(r.Amounts) > 0 && len(r.Amounts) != r.Nights():
		return groupInputError(field+".amounts", "has %d amounts for %d nights; give one per night", len(r.Amounts), r.Nights())
	}
	guests := 0
	for i, c := range r.GuestCounts {
		if c.Code == "" || c.Count < 0 {
			return groupInputError(fmt.Sprintf("%s.guestCounts[%d]", field, i), "needs an age category code and a count of at least 0")
		}
		guests += c.Count
	}
	if guests == 0 {
		return groupInputError(field+".guestCounts", "counts no guest")
	}
	for i, a := range r.Amounts {
		if a.IsZero() || a.Gross != nil && a.Gross.Sign() < 0 || a.Net != nil && a.Net.Sign() < 0 {
			return groupInputError(fmt.Sprintf("%s.amounts[%d]", field, i), "must give a gross or net price that is not negative (use a negative extra for a discount)")
		}
	}
	for i, e := range r.Extras {
		f := fmt.Sprintf("%s.extras[%d]", field, i)
		switch {
		case e.Code == "":
			return groupInputError(f+".code", "is empty; use the product's mapping code")
		case e.Amount.IsZero():
			return groupInputError(f+".amount", "gives neither gross nor net (a negative amount is a discount)")
		case e.Pricing < PricingOncePerReservation || e.Pricing > PricingPerPersonPerNight:
			return groupInputError(f+".pricing", "is %d; use one of the ExtraPricing constants", int(e.Pricing))
		case !e.From.IsZero() && e.From == e.To:
			return groupInputError(f, "from and to must not be the same date")
		}
	}
	return nil
}

// ReservationsTotal returns the sum of the totals of the reservations that are not
// canceled: what TotalAmount must be (Mews spreads any difference over the nights).
func (g *Group) ReservationsTotal() Charge {
	var total Charge
	for _, r := range g.Reservations {
		if !r.IsCanceled() && r.TotalAmount != nil {
			total = total.add(*r.TotalAmount)
		}
	}
	return total
}

// CancelGroup returns the message that cancels a whole booking: its identity and an
// empty reservations list, which Mews reads as "every reservation canceled".
func CancelGroup(channelID, channelManagerID string) Group {
	return Group{ChannelID: channelID, ChannelManagerID: channelManagerID, Reservations: []Reservation{}}
}

// CancelAll marks every reservation of g canceled, keeping them in the message; the
// alternative to CancelGroup when the codes should be stated.
func (g *Group) CancelAll() {
	for i := range g.Reservations {
		g.Reservations[i].State = StateCanceled
	}
}

// CancelReservations marks the reservations with the given codes canceled and leaves the
// others as they are: send the result with ProcessGroup to cancel part of a booking (the
// remaining reservations must stay in the message, since a group is not a diff). An
// unknown code is an error and changes nothing.
func (g *Group) CancelReservations(codes ...string) error {
	index := make(map[string]int, len(g.Reservations))
	for i, r := range g.Reservations {
		index[r.Code] = i
	}
	for _, c := range codes {
		if _, ok := index[c]; !ok {
			return groupInputError("reservations", "has no reservation with code %q to cancel", c)
		}
	}
	for _, c := range codes {
		g.Reservations[index[c]].State = StateCanceled
	}
	return nil
}
