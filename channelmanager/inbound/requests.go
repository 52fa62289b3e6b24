package inbound

import (
	"encoding/json"
	"errors"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// Message is what every asynchronous push from Mews carries besides its data: the
// connection it concerns, its id, and where its asynchronous confirmation goes. It is
// embedded in the push requests; Confirm reads it.
type Message struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	MessageID       string     `json:"messageId"`
	ResponseURL     string     `json:"responseUrl"`
}

// clientToken is the token the call carried, which the Handler checks.
func (m *Message) clientToken() mews.Token { return m.ClientToken }

// message lets Confirm and the handler reach the embedded Message of any push.
func (m *Message) message() *Message { return m }

// Push is one of the requests that Mews confirms asynchronously: *PricesUpdate,
// *AvailabilityUpdate, *RestrictionsUpdate, *AvailabilityBlockPush and *GroupPush.
// It is sealed so that Confirm always knows which confirmation to send (a bare
// *Message satisfies it too, and Confirm refuses it).
type Push interface {
	message() *Message
}

// PricesUpdate is the body of updatePrices: rate prices for space types and date
// ranges. Mews always sends gross and net amounts; use the one that matches the
// property's pricing mode.
type PricesUpdate struct {
	Message
	RatePrices     []RatePrice     `json:"ratePrices"`
	DependentRates []DependentRate `json:"dependentRates,omitempty"`
}

// RatePrice is the price of one rate plan and space type for every night from From
// to To, both inclusive.
type RatePrice struct {
	SpaceTypeCode string                 `json:"spaceTypeCode"`
	RatePlanCode  string                 `json:"ratePlanCode"`
	From          mews.Date              `json:"from"`
	To            mews.Date              `json:"to"`     // last night, inclusive
	Prices        []channelmanager.Price `json:"prices"` // one per guest count
	AgePrices     []AgePrice             `json:"agePrices,omitempty"`
}

// AgePrice is the price for one guest count of one age category (age-based pricing).
type AgePrice struct {
	channelmanager.Price
	AgeCategoryCode string `json:"ageCategoryCode"`
}

// DependentRate describes a rate derived from a base rate by adjustments.
type DependentRate struct {
	RateCode     string           `json:"rateCode"`
	BaseRateCode string           `json:"baseRateCode,omitempty"`
	Adjustments  []RateAdjustment `json:"adjustments"`
}

// RateAdjustment is a relative and absolute change to the base rate, optionally
// limited to a date range.
type RateAdjustment struct {
	StartDate     mews.Date   `json:"startDate"`
	EndDate       mews.Date   `json:"endDate"`
	RelativeValue mews.Amount `json:"relativeValue"`
	AbsoluteValue mews.Amount `json:"absoluteValue"`
}

// AvailabilityUpdate is the body of updateAvailability.
type AvailabilityUpdate struct {
	Message
	Availabilities []Availability `json:"availabilities"`
}

// Availability is the number of free spaces of one space type for every night from
// From to To, both inclusive.
type Availability struct {
	SpaceTypeCode string    `json:"spaceTypeCode"`
	From          mews.Date `json:"from"`
	To            mews.Date `json:"to"` // last night, inclusive
	Availability  int       `json:"availability"`
}

// UnmarshalJSON refuses an item without its availability: decoding it as 0 would stop
// the channel manager from selling the space type for those dates.
func (a *Availability) UnmarshalJSON(b []byte) error {
	type plain Availability
	var w struct {
		*plain
		Availability *int `json:"availability"`
	}
	w.plain = (*plain)(a)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Availability == nil {
		return errors.New("availability is missing")
	}
	a.Availability = *w.Availability
	return nil
}

// RestrictionsUpdate is the body of updateRestrictions. Each restriction replaces
// every earlier one with the same rate, space type and dates.
type RestrictionsUpdate struct {
	Message
	Restrictions []Restriction `json:"restrictions"`
}

// Restriction is the state of one rate plan and space type from From to To, both
// inclusive. The state applies when the length of stay is within MinLos..MaxLos
// (nil means unbounded); State [RestrictionOpen] with nil bounds clears earlier ones.
type Restriction struct {
	SpaceTypeCode string             `json:"spaceTypeCode"`
	RatePlanCode  string             `json:"ratePlanCode"`
	From          mews.Date          `json:"from"`
	To            mews.Date          `json:"to"` // inclusive
	State         []RestrictionState `json:"state"`
	MinLos        *int               `json:"minLos"`
	MaxLos        *int               `json:"maxLos"`
}

// RestrictionState is one code of a restriction's state; closed variants come as
// RestrictionClosed plus a specific code, e.g. [2, 6] for closed to arrival.
type RestrictionState int

// The restriction states Mews sends.
const (
	RestrictionOpen              RestrictionState = 1
	RestrictionClosed            RestrictionState = 2
	RestrictionClosedToArrival   RestrictionState = 6
	RestrictionClosedToDeparture RestrictionState = 7
	RestrictionClosedToStay      RestrictionState = 8
)

// ChangeNotification is the body of changeNotificaton: the connection's
// configuration changed, so a channel manager may call getConfiguration again.
type ChangeNotification struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	Type            ChangeType `json:"type"`
}

// UnmarshalJSON refuses a notification without its type: type 0 means Created, so a
// missing one must not pass for a creation.
func (n *ChangeNotification) UnmarshalJSON(b []byte) error {
	type plain ChangeNotification
	var w struct {
		*plain
		Type *ChangeType `json:"type"`
	}
	w.plain = (*plain)(n)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if w.Type == nil {
		return errors.New("type is missing")
	}
	n.Type = *w.Type
	return nil
}

// ChangeType says what happened to the connection.
type ChangeType int

// The change notification types.
const (
	ChangeCreated     ChangeType = 0
	ChangeUpdated     ChangeType = 1
	ChangeActivated   ChangeType = 2
	ChangeDeactivated ChangeType = 3
	ChangeDeleted     ChangeType = 4
)

// String names the change, for logs.
func (t ChangeType) String() string {
	switch t {
	case ChangeCreated:
		return "created"
	case ChangeUpdated:
		return "updated"
	case ChangeActivated:
		return "activated"
	case ChangeDeactivated:
		return "deactivated"
	case ChangeDeleted:
		return "deleted"
	}
	return "unknown change type"
}

// BookingConfirmation is the body of confirmGroup: the asynchronous result of a
// reservation group that the channel manager pushed to Mews (processGroup). It
// carries either the Mews confirmation numbers or the errors.
type BookingConfirmation struct {
	// ClientToken is the token Mews authenticated the call with; the Handler has
	// checked it before the Receiver sees the request.
	ClientToken     mews.Token `json:"clientToken,omitzero"`
	ConnectionToken mews.Token `json:"connectionToken"`
	// RelatedMessageID is the messageId of the processGroup call; older Mews messages
	// leave it out.
	RelatedMessageID string `json:"relatedMessageId"`
	// ChannelManagerID is the booking's id in the channel manager.
	ChannelManagerID string `json:"channelManagerId"`
	// Reservations pairs the reservation codes with Mews' numbers, on success.
	Reservations []channelmanager.ReservationConfirmation `json:"reservations,omitempty"`
	// Errors is empty when Mews accepted the group. Mews sends a single "error"
	// object here; the plural form is accepted as well.
	Errors []mews.ErrorDetail `json:"errors,omitempty"`
}

// Succeeded reports whether Mews accepted the group.
func (c *BookingConfirmation) Succeeded() bool { return len(c.Errors) == 0 }

// UnmarshalJSON accepts the failure as the documented singular "error" object or as
// an "errors" array.
func (c *BookingConfirmation) UnmarshalJSON(b []byte) error {
	type plain BookingConfirmation
	var w struct {
		*plain
		Error *mews.ErrorDetail `json:"error"`
	}
	w.plain = (*plain)(c)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	c.Errors = wire.MergeErrors(w.Error, c.Errors)
	return nil
}
