package channelmanager

import (
	"encoding/json"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// Group is a Channel Manager reservation group (a booking of one or more spaces), the
// body of processGroup in both directions.
//
// A channel manager sends it to Mews with ProcessGroup; Mews sends the same shape to a
// channel manager's own processGroup endpoint (decode it into Group too). A group is a
// full state, not a diff: every message carries all of the booking's reservations, keyed
// by ChannelManagerID, with stable reservation codes.
//
// Fields marked "Mews → CHM only" are set by Mews in what it pushes and are left empty
// when sending. Card numbers are redacted when a Group is printed, logged or marshalled;
// ProcessGroup alone puts them on the wire.
type Group struct {
	// MessageID identifies this message; it comes back as relatedMessageId in the
	// confirmation. ProcessGroup generates one when it is empty.
	MessageID string `json:"messageId,omitempty"`
	// ResponseURL is where the confirmation of a Mews push goes (Mews → CHM only).
	ResponseURL string `json:"responseUrl,omitempty"`
	// ChannelID is the booking's id in the sales channel (OTA).
	ChannelID string `json:"channelId,omitempty"`
	// ChannelManagerID is the booking's id in the channel manager: the group's identity.
	ChannelManagerID string `json:"channelManagerId,omitempty"`
	// AvailabilityBlockCode is the channel manager's code of the block the booking picks up from.
	AvailabilityBlockCode string `json:"availabilityBlockCode,omitempty"`
	// AvailabilityBlockConfirmationNumber is Mews' number of that block (Mews → CHM only).
	AvailabilityBlockConfirmationNumber string `json:"availabilityBlockConfirmationNumber,omitempty"`
	// Comments are free-text notes for the property.
	Comments []string `json:"comments,omitempty"`
	// CurrencyCode (ISO 4217) of every amount in the group; required unless cancelling.
	CurrencyCode string `json:"currencyCode,omitempty"`
	// Customer is the owner / main guest; required unless cancelling.
	Customer *Customer `json:"customer,omitempty"`
	// Booker is the person who booked, when not the customer.
	Booker *Customer `json:"booker,omitempty"`
	// Sources are the sales channels, one of them primary.
	Sources []Source `json:"sources,omitempty"`
	// Company is the company the booking is for.
	Company *Company `json:"company,omitempty"`
	// TravelAgency is the agency that made the booking.
	TravelAgency *TravelAgency `json:"travelAgency,omitempty"`
	// PaymentCard guarantees the booking (Mews' certification requires it in production).
	// Not sent by Mews, which gives obfuscated card data per reservation instead.
	PaymentCard *PaymentCard `json:"paymentCard,omitempty"`
	// PaymentType says how the booking is paid; required unless cancelling
	// (CHM → Mews only).
	PaymentType PaymentType `json:"paymentType,omitzero"`
	// Reservations are all of the group's reservations. An empty list (or every
	// reservation canceled) cancels the whole group; leaving one out (or marking it
	// canceled) cancels that reservation. Mews reads null as empty too, but ProcessGroup
	// refuses a nil list so that a forgotten one cannot cancel a booking: use CancelGroup.
	Reservations []Reservation `json:"reservations"`
	// TotalAmount is the sum of the reservations' totals; required unless cancelling.
	TotalAmount *Charge `json:"totalAmount,omitempty"`
}

// Reservation is one reservation (one space) of a Group.
type Reservation struct {
	// Code is the channel manager's reservation code: unique in the group, the same in
	// every later message about the booking, any string except "_".
	Code string `json:"code,omitempty"`
	// ConfirmationNumber is Mews' number of the reservation (Mews → CHM only).
	ConfirmationNumber string `json:"confirmationNumber,omitempty"`
	// State is the action: created, modified or canceled. Zero (absent) means created
	// or modified.
	State State `json:"state,omitzero"`
	// TimeState is the reservation's lifecycle in Mews (Mews → CHM only); nil when absent.
	TimeState *TimeState `json:"timeState,omitempty"`
	// From is the arrival date.
	From mews.Date `json:"from,omitzero"`
	// To is the departure date (exclusive: two nights 24–26 Dec is From 24, To 26).
	To mews.Date `json:"to,omitzero"`
	// SpaceTypeCode is the space category's mapping code.
	SpaceTypeCode string `json:"spaceTypeCode,omitempty"`
	// RatePlanCode is the rate plan's mapping code.
	RatePlanCode string `json:"ratePlanCode,omitempty"`
	// GuestCounts is the number of guests per age category.
	GuestCounts []GuestCount `json:"guestCounts,omitempty"`
	// Amounts holds one price per night; its length must equal the number of nights.
	Amounts []Charge `json:"amounts,omitempty"`
	// Extras are products (breakfast, parking, …) booked with the reservation.
	Extras []Extra `json:"extras,omitempty"`
	// Guests are the people staying.
	Guests []Customer `json:"guests,omitempty"`
	// TotalAmount is the nights plus the extras.
	TotalAmount *Charge `json:"totalAmount,omitempty"`
	// PaymentCardData describes the guarantee card without its number (Mews → CHM only).
	PaymentCardData *PaymentCardData `json:"paymentCardData,omitempty"`
}

// Nights returns the number of nights from From to To.
func (r Reservation) Nights() int { return r.From.DaysUntil(r.To) }

// IsCanceled reports whether the reservation is marked canceled.
func (r Reservation) IsCanceled() bool { return r.State == StateCanceled }

// Charge is the Channel Manager "Amount" object: a price given gross, net, or both.
// Nil means not given; Mews accepts either one or both.
type Charge struct {
	Net   *mews.Amount `json:"net,omitempty"`
	Gross *mews.Amount `json:"gross,omitempty"`
}

// GrossCharge returns a Charge that gives only the gross amount.
func GrossCharge(gross mews.Amount) Charge { return Charge{Gross: &gross} }

// NetGrossCharge returns a Charge that gives both amounts.
func NetGrossCharge(net, gross mews.Amount) Charge { return Charge{Net: &net, Gross: &gross} }

// IsZero reports whether neither amount is given.
func (c Charge) IsZero() bool { return c.Net == nil && c.Gross == nil }

// add returns c + o, part by part; a part is given when it is given in either.
func (c Charge) add(o Charge) Charge {
	sum := func(a, b *mews.Amount) *mews.Amount {
		switch {
		case a == nil:
			return b
		case b == nil:
			return a
		}
		s := a.Add(*b)
		return &s
	}
	return Charge{Net: sum(c.Net, o.Net), Gross: sum(c.Gross, o.Gross)}
}

// String shows the charge for logs, e.g. "gross 240 net 194.4".
func (c Charge) String() string {
	switch {
	case c.Net != nil && c.Gross != nil:
		return fmt.Sprintf("gross %s net %s", c.Gross, c.Net)
	case c.Gross != nil:
		return "gross " + c.Gross.String()
	case c.Net != nil:
		return "net " + c.Net.String()
	}
	return "no amount"
}

// GuestCount is the number of guests of one age category. Code is the age category's
// mapping code: named ("Adult", "Child", …) or numeric ("10"), depending on the property.
type GuestCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// UnmarshalJSON accepts a numeric code as a number or a string.
func (g *GuestCount) UnmarshalJSON(b []byte) error {
	var w struct {
		Code  wire.String `json:"code"`
		Count wire.Int    `json:"count"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*g = GuestCount{Code: string(w.Code), Count: int(w.Count)}
	return nil
}

// Extra is a product booked with a reservation. A negative Amount is a discount that
// Mews subtracts from the night prices.
type Extra struct {
	// Code is the product's mapping code.
	Code string `json:"code"`
	// Amount is the total for the extra (all units, all nights).
	Amount Charge `json:"amount"`
	// Count is the number of units.
	Count int `json:"count"`
	// From and To optionally limit the extra to part of the stay; they must differ.
	From mews.Date `json:"from,omitzero"`
	To   mews.Date `json:"to,omitzero"`
	// Pricing says how the extra is charged.
	Pricing ExtraPricing `json:"pricing"`
}

// State is the action a group message takes on a reservation.
type State int

// Reservation states (actions).
const (
	StateCreated  State = 1
	StateModified State = 2
	StateCanceled State = 3
)

// String names the state.
func (s State) String() string {
	return wire.Name("State", []string{"", "Created", "Modified", "Canceled"}, int(s))
}

// TimeState is where a reservation is in its lifecycle in Mews, as Mews reports it.
type TimeState int

// Time states.
const (
	TimeStateOptional   TimeState = 0 // tentative; not synchronized to channel managers by default
	TimeStateConfirmed  TimeState = 1
	TimeStateCheckedIn  TimeState = 2
	TimeStateCheckedOut TimeState = 3
	TimeStateCanceled   TimeState = 4
	TimeStateNoShow     TimeState = 5
)

// String names the time state.
func (s TimeState) String() string {
	return wire.Name("TimeState", []string{"Optional", "Confirmed", "CheckedIn", "CheckedOut", "Canceled", "NoShow"}, int(s))
}

// PaymentType says how a booking is paid.
type PaymentType int

// Payment types.
const (
	PaymentPrepaid       PaymentType = 1 // the guest already paid the channel
	PaymentPreauthorized PaymentType = 2 // guaranteed by a card or preauthorization
	PaymentOnSite        PaymentType = 3 // the guest pays at the property
)

// String names the payment type.
func (p PaymentType) String() string {
	return wire.Name("PaymentType", []string{"", "Prepaid", "Preauthorized", "OnSite"}, int(p))
}

// ExtraPricing says how an extra (a product) is charged.
type ExtraPricing int

// Extra pricing types.
const (
	PricingOncePerReservation ExtraPricing = 1
	PricingPerPerson          ExtraPricing = 2
	PricingPerNight           ExtraPricing = 3
	PricingPerPersonPerNight  ExtraPricing = 4
)

var extraPricingNames = []string{"", "OncePerReservation", "PerPerson", "PerNight", "PerPersonPerNight"}

// String names the pricing type.
func (p ExtraPricing) String() string { return wire.Name("ExtraPricing", extraPricingNames, int(p)) }

// UnmarshalJSON accepts the number (as the examples show), a numeric string, or the
// name (Mews' table calls the field a string).
func (p *ExtraPricing) UnmarshalJSON(b []byte) error {
	var n wire.Int
	if err := json.Unmarshal(b, &n); err == nil {
		*p = ExtraPricing(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("mews: extra pricing %.20s: want a number or a name", b)
	}
	for i, name := range extraPricingNames {
		if name != "" && wire.Canonical(s, name) == name {
			*p = ExtraPricing(i)
			return nil
		}
	}
	return fmt.Errorf("mews: unknown extra pricing %q", s)
}
