package channelmanager

import (
	"fmt"
	"strconv"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// BlockMessage is the body of processAvailabilityBlock in both directions: a message id
// and the block. A channel manager sends it with ProcessAvailabilityBlock; Mews pushes
// the same shape (with ResponseURL) to the channel manager's own endpoint.
type BlockMessage struct {
	// MessageID identifies the message for its asynchronous confirmation;
	// ProcessAvailabilityBlock generates one when it is empty.
	MessageID string `json:"messageId,omitempty"`
	// ResponseURL is where the confirmation of a Mews push goes (Mews → CHM only).
	ResponseURL string `json:"responseUrl,omitempty"`
	// AvailabilityBlock is the block to create, update or cancel.
	AvailabilityBlock AvailabilityBlock `json:"availabilityBlock"`
}

// AvailabilityBlock is inventory set aside for a group (a wedding, a tour): allocated
// spaces per category and dates, block rates, a release strategy and a pickup type.
// Status chooses the action. The payment card is redacted when the block is printed,
// logged or marshalled; ProcessAvailabilityBlock alone puts it on the wire.
type AvailabilityBlock struct {
	// Code is the channel manager's reference of the block; Mews sends it back with every
	// change. Null in Mews' pushes until the channel manager has confirmed the block.
	Code string `json:"code,omitempty"`
	// ConfirmationNumber is Mews' number of the block; required to update or cancel.
	ConfirmationNumber string `json:"confirmationNumber,omitempty"`
	// Status is the action: BlockCreated/Updated/Canceled to Mews, BlockCreate/Update/
	// Cancel from Mews.
	Status BlockStatus `json:"status"`
	// Name of the block.
	Name string `json:"name"`
	// Dates is when the block can be booked.
	Dates BlockDates `json:"dates"`
	// ReleaseStrategy says when unsold spaces go back to general availability.
	ReleaseStrategy *ReleaseStrategy `json:"releaseStrategy,omitempty"`
	// OriginalRateCode is the rate the block prices derive from (CHM → Mews, required).
	OriginalRateCode string `json:"originalRateCode,omitempty"`
	// SpaceCategories are the allocations and rates per space category.
	SpaceCategories []BlockSpaceCategory `json:"spaceCategories"`
	// Booker is the block's main booker (LastName required).
	Booker *Customer `json:"booker,omitempty"`
	// PaymentCard guarantees the block (CHM → Mews only).
	PaymentCard *PaymentCard `json:"paymentCard,omitempty"`
	// Company the block is for.
	Company *Company `json:"company,omitempty"`
	// Notes for the property.
	Notes string `json:"notes,omitempty"`
	// PickupType decides how reservations in the block are picked up.
	PickupType PickupType `json:"pickupType,omitempty"`
}

// BlockDates is the bookable interval of a block: Start is the first bookable day and End
// is exclusive, like a departure date, in blocks sent to Mews. (In Mews' pushes the docs
// contradict themselves on End; see the package documentation.)
type BlockDates struct {
	Start mews.Date `json:"start"`
	End   mews.Date `json:"end"`
	// ReleasedDate is when the block was released.
	//
	// Deprecated: Mews uses ReleaseStrategy.FixedDate since 11 Oct 2024.
	ReleasedDate mews.Date `json:"releasedDate,omitzero"`
}

// ReleaseStrategy says when unsold block spaces are released: on a fixed date, or a
// rolling offset before each day.
type ReleaseStrategy struct {
	Type ReleaseType `json:"type"`
	// FixedDate is required when Type is ReleaseFixed.
	FixedDate mews.Date `json:"fixedDate,omitzero"`
	// Offset is required when Type is ReleaseRolling.
	Offset ReleaseOffset `json:"offset,omitempty"`
}

// BlockSpaceCategory is the part of a block for one space category.
type BlockSpaceCategory struct {
	// Start and End bound the category's part of the block (Mews → CHM only).
	Start mews.Date `json:"start,omitzero"`
	End   mews.Date `json:"end,omitzero"`
	// SpaceTypeCode is the category's mapping code.
	SpaceTypeCode string `json:"spaceTypeCode"`
	// AllocatedSpaces is how many spaces are set aside, per interval.
	AllocatedSpaces []SpaceCount `json:"allocatedSpaces"`
	// OccupiedSpaces is how many are already picked up, per interval (Mews → CHM only).
	OccupiedSpaces []SpaceCount `json:"occupiedSpaces,omitempty"`
	// Rates are the block's prices for the category.
	Rates []BlockRate `json:"rates,omitempty"`
}

// SpaceCount is a number of spaces over an interval (End exclusive in blocks sent to Mews).
type SpaceCount struct {
	Start mews.Date `json:"start"`
	End   mews.Date `json:"end"`
	// Count is the number of spaces on each night of the interval.
	Count int `json:"count"`
}

// BlockRate is a block price over an interval (End exclusive in blocks sent to Mews), one
// Price per guest count.
type BlockRate struct {
	Start mews.Date `json:"start"`
	End   mews.Date `json:"end"`
	// CurrencyCode of the rate (Mews → CHM only; each Price carries its own too).
	CurrencyCode string  `json:"currencyCode,omitempty"`
	Prices       []Price `json:"prices"`
	// OccupancyAdjustments add an amount per person above the space's capacity, per age
	// category (CHM → Mews only).
	OccupancyAdjustments []OccupancyAdjustment `json:"occupancyAdjustments,omitempty"`
	// GrossAmount is the price before per-guest-count prices existed.
	//
	// Deprecated: use Prices (since 12 Mar 2025).
	GrossAmount *mews.Amount `json:"grossAmount,omitempty"`
}

// Price is a price for one guest count, gross and net.
type Price struct {
	GrossAmount  mews.Amount `json:"grossAmount"`
	NetAmount    mews.Amount `json:"netAmount"`
	CurrencyCode string      `json:"currencyCode"`
	// GuestCount is the number of guests this price is for.
	GuestCount int `json:"guestCount"`
}

// OccupancyAdjustment is the amount added for each extra person of an age category.
type OccupancyAdjustment struct {
	Value           mews.Amount `json:"value"`
	AgeCategoryCode string      `json:"ageCategoryCode"`
}

// BlockStatus is the action of a block message. Mews spells it differently in each
// direction; decoding matches case-insensitively, and IsCreate/IsUpdate/IsCancel accept
// both spellings.
type BlockStatus string

// Block statuses.
const (
	BlockCreated  BlockStatus = "Created"  // to Mews
	BlockUpdated  BlockStatus = "Updated"  // to Mews
	BlockCanceled BlockStatus = "Canceled" // to Mews
	BlockCreate   BlockStatus = "Create"   // from Mews
	BlockUpdate   BlockStatus = "Update"   // from Mews
	BlockCancel   BlockStatus = "Cancel"   // from Mews
)

// UnmarshalJSON reads the status, canonicalizing the known spellings' case.
func (s *BlockStatus) UnmarshalJSON(b []byte) error {
	return wire.UnmarshalEnum(b, s, BlockCreated, BlockUpdated, BlockCanceled, BlockCreate, BlockUpdate, BlockCancel)
}

// IsCreate reports whether the status creates a block (in either spelling).
func (s BlockStatus) IsCreate() bool { return s == BlockCreated || s == BlockCreate }

// IsUpdate reports whether the status updates a block (in either spelling).
func (s BlockStatus) IsUpdate() bool { return s == BlockUpdated || s == BlockUpdate }

// IsCancel reports whether the status cancels a block (in either spelling).
func (s BlockStatus) IsCancel() bool { return s == BlockCanceled || s == BlockCancel }

// ReleaseType is the kind of release strategy.
type ReleaseType string

// Release types.
const (
	ReleaseFixed   ReleaseType = "Fixed"
	ReleaseRolling ReleaseType = "Rolling"
)

// UnmarshalJSON reads the type case-insensitively (Mews' example sends "fixed").
func (t *ReleaseType) UnmarshalJSON(b []byte) error {
	return wire.UnmarshalEnum(b, t, ReleaseFixed, ReleaseRolling)
}

// PickupType decides how new reservations in a block are picked up.
type PickupType string

// Pickup types.
const (
	PickupAllInOneGroup    PickupType = "AllInOneGroup"
	PickupIndividualGroups PickupType = "IndividualGroups"
)

// UnmarshalJSON reads the pickup type case-insensitively.
func (p *PickupType) UnmarshalJSON(b []byte) error {
	return wire.UnmarshalEnum(b, p, PickupAllInOneGroup, PickupIndividualGroups)
}

// ReleaseOffset is a rolling release offset, an ISO 8601 duration in days that Mews
// writes "P[days]DT" ("P3DT": three days before each day).
type ReleaseOffset string

// ReleaseOffsetDays returns the offset of n days in Mews' documented form.
func ReleaseOffsetDays(n int) ReleaseOffset { return ReleaseOffset("P" + strconv.Itoa(n) + "DT") }

// Days returns the number of days of the offset. It accepts "P3DT", "P3D" and
// "P3DT0H0M" (a time part must be zero).
func (o ReleaseOffset) Days() (int, error) {
	s := strings.ToUpper(strings.TrimSpace(string(o)))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	days, rest, ok := strings.Cut(strings.TrimPrefix(s, "P"), "D")
	n, err := strconv.Atoi(days)
	if !strings.HasPrefix(s, "P") || !ok || err != nil || n < 0 || strings.Trim(rest, "T0HMS") != "" {
		return 0, fmt.Errorf("mews: release offset %q: want P[days]DT, e.g. P3DT", string(o))
	}
	if neg {
		n = -n
	}
	return n, nil
}

// BlockProcessingConfirmation is what Mews sends a channel manager after processing a
// block it pushed ("availability block processing confirmation"). Mews does not document
// which endpoint receives it. MessageID is the id of the channel manager's message.
type BlockProcessingConfirmation struct {
	// MessageID is the messageId the channel manager sent the block with (Mews calls it
	// messageId here, not relatedMessageId).
	MessageID string `json:"messageId"`
	// Code is the channel manager's block code, as sent.
	Code string `json:"code"`
	// ConfirmationNumber is Mews' number of the block; keep it to update or cancel it.
	ConfirmationNumber string `json:"confirmationNumber"`
	// Success says whether Mews applied the block.
	Success bool `json:"success"`
	// Errors say why not.
	Errors []mews.ErrorDetail `json:"errors,omitempty"`
}

// UnmarshalJSON accepts success as a boolean or a string (Mews' example sends "true"),
// codes as numbers, and the singular "error".
func (c *BlockProcessingConfirmation) UnmarshalJSON(b []byte) error {
	type plain BlockProcessingConfirmation
	return wire.UnmarshalConfirmation(b, (*plain)(c))
}
