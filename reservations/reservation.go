package reservations

import "time"

// Reservation is a reservation as reservations/getAll (version 2023-06-06) returns it:
// Mews' schema Reservation, whose one Go type it is (package connector's operations
// return it too). Every time is in UTC; fields that Mews may send as null are pointers.
type Reservation struct {
	ID               string      `json:"Id"`
	ServiceID        string      `json:"ServiceId"`
	AccountID        string      `json:"AccountId"` // the owner: a customer or a company
	AccountType      AccountType `json:"AccountType"`
	CreatorProfileID string      `json:"CreatorProfileId"`
	UpdaterProfileID string      `json:"UpdaterProfileId"`
	BookerID         *string     `json:"BookerId"`
	// Number is the confirmation number Mews shows to the hotel and the guest.
	Number          string           `json:"Number"`
	State           State            `json:"State"`
	Origin          Origin           `json:"Origin"`
	CommanderOrigin *CommanderOrigin `json:"CommanderOrigin"`
	OriginDetails   *string          `json:"OriginDetails"`
	CreatedUtc      time.Time        `json:"CreatedUtc"`
	// UpdatedUtc is when anything about the reservation last changed; Sync follows it.
	UpdatedUtc        time.Time  `json:"UpdatedUtc"`
	CancelledUtc      *time.Time `json:"CancelledUtc"`
	VoucherID         *string    `json:"VoucherId"`
	BusinessSegmentID *string    `json:"BusinessSegmentId"`
	Options           Options    `json:"Options"`
	RateID            string     `json:"RateId"`
	CreditCardID      *string    `json:"CreditCardId"`
	// GroupID is the reservation group the reservation belongs to.
	GroupID                     string `json:"GroupId"`
	RequestedResourceCategoryID string `json:"RequestedResourceCategoryId"`
	// AssignedResourceID is the room (resource), or nil while no room is assigned.
	AssignedResourceID     *string             `json:"AssignedResourceId"`
	AvailabilityBlockID    *string             `json:"AvailabilityBlockId"`
	PartnerCompanyID       *string             `json:"PartnerCompanyId"`
	TravelAgencyID         *string             `json:"TravelAgencyId"`
	AssignedResourceLocked bool                `json:"AssignedResourceLocked"`
	ChannelNumber          *string             `json:"ChannelNumber"`
	ChannelManagerNumber   *string             `json:"ChannelManagerNumber"`
	CancellationReason     *CancellationReason `json:"CancellationReason"`
	ReleasedUtc            *time.Time          `json:"ReleasedUtc"`
	// ScheduledStartUtc is the planned arrival; ActualStartUtc the check-in, once it happened.
	ScheduledStartUtc time.Time  `json:"ScheduledStartUtc"`
	ActualStartUtc    *time.Time `json:"ActualStartUtc"`
	// ScheduledEndUtc is the planned departure; ActualEndUtc the check-out, once it happened.
	ScheduledEndUtc time.Time  `json:"ScheduledEndUtc"`
	ActualEndUtc    *time.Time `json:"ActualEndUtc"`
	Purpose         *Purpose   `json:"Purpose"`
	// QrCodeData is a JSON document Mews renders as a QR code, kept as the string it is.
	QrCodeData   *string       `json:"QrCodeData"`
	PersonCounts []PersonCount `json:"PersonCounts"`
	// StartUtc is deprecated by Mews: use ScheduledStartUtc and ActualStartUtc.
	StartUtc time.Time `json:"StartUtc"`
	// EndUtc is deprecated by Mews: use ScheduledEndUtc and ActualEndUtc.
	EndUtc time.Time `json:"EndUtc"`
}

// Options are the reservation's check-in flags.
type Options struct {
	OwnerCheckedIn         bool `json:"OwnerCheckedIn"`
	AllCompanionsCheckedIn bool `json:"AllCompanionsCheckedIn"`
	AnyCompanionCheckedIn  bool `json:"AnyCompanionCheckedIn"`
	ConnectorCheckIn       bool `json:"ConnectorCheckIn"`
}

// PersonCount is how many guests of one age category the reservation is for.
type PersonCount struct {
	AgeCategoryID string `json:"AgeCategoryId"`
	Count         int    `json:"Count"`
}

// Start returns when the stay starts in practice: the check-in if it happened,
// otherwise the planned arrival.
func (r *Reservation) Start() time.Time {
	if r.ActualStartUtc != nil {
		return *r.ActualStartUtc
	}
	return r.ScheduledStartUtc
}

// End returns when the stay ends in practice: the check-out if it happened, otherwise
// the planned departure.
func (r *Reservation) End() time.Time {
	if r.ActualEndUtc != nil {
		return *r.ActualEndUtc
	}
	return r.ScheduledEndUtc
}

// latestEnd is the latest instant any of the reservation's intervals reaches; a
// reservation cannot collide with a window that starts at or after it.
func (r *Reservation) latestEnd() time.Time {
	end := r.ScheduledEndUtc
	for _, t := range []*time.Time{r.ActualEndUtc, &r.EndUtc} {
		if t != nil && t.After(end) {
			end = *t
		}
	}
	return end
}

// normalize puts every time in UTC and the state in its current spelling, so that
// reservations compare and sort the same whatever offsets Mews sent.
func (r *Reservation) normalize() {
	r.State = r.State.Normalize()
	r.CreatedUtc = r.CreatedUtc.UTC()
	r.UpdatedUtc = r.UpdatedUtc.UTC()
	r.ScheduledStartUtc = r.ScheduledStartUtc.UTC()
	r.ScheduledEndUtc = r.ScheduledEndUtc.UTC()
	r.StartUtc = r.StartUtc.UTC()
	r.EndUtc = r.EndUtc.UTC()
	for _, p := range []**time.Time{&r.CancelledUtc, &r.ReleasedUtc, &r.ActualStartUtc, &r.ActualEndUtc} {
		if *p != nil && (*p).Location() != time.UTC {
			t := (*p).UTC()
			*p = &t
		}
	}
}

// State is a reservation's (Mews "service order") state. Mews may add states; unknown
// values are kept as they came.
type State string

// Reservation states.
const (
	// StateInquired: confirmed neither by the guest nor the hotel.
	StateInquired State = "Inquired"
	// StateEnquired is the older spelling of StateInquired, still used by
	// reservations/add and the deprecated 2017 API. The SDK reads it as StateInquired.
	StateEnquired State = "Enquired"
	// StateConfirmed: confirmed by both, before check-in.
	StateConfirmed State = "Confirmed"
	// StateStarted: checked in.
	StateStarted State = "Started"
	// StateProcessed: checked out.
	StateProcessed State = "Processed"
	// StateCanceled: canceled.
	StateCanceled State = "Canceled"
	// StateOptional: the hotel holds the room; the guest has not confirmed.
	StateOptional State = "Optional"
	// StateRequested: the guest confirmed; the hotel has not (waitlist).
	StateRequested State = "Requested"
)

// AllStates returns every documented state, for a States filter that wants them all
// (Mews does not say which states an empty filter returns). The list is new on every
// call, so callers may change it.
func AllStates() []State {
	return []State{StateInquired, StateConfirmed, StateStarted, StateProcessed, StateCanceled, StateOptional, StateRequested}
}

// Normalize returns the current spelling of s: StateEnquired becomes StateInquired.
func (s State) Normalize() State {
	if s == StateEnquired {
		return StateInquired
	}
	return s
}

// IsActive reports whether a guest holding this reservation may be in, or about to
// arrive at, the hotel: confirmed, checked in, optional or requested.
func (s State) IsActive() bool {
	switch s.Normalize() {
	case StateConfirmed, StateStarted, StateOptional, StateRequested:
		return true
	}
	return false
}

// AccountType says whether a reservation's owner is a customer or a company.
type AccountType string

// Account types.
const (
	AccountCustomer AccountType = "Customer"
	AccountCompany  AccountType = "Company"
)

// Origin is where a reservation came from.
type Origin string

// Reservation origins.
const (
	OriginDistributor    Origin = "Distributor"
	OriginChannelManager Origin = "ChannelManager"
	OriginCommander      Origin = "Commander"
	OriginImport         Origin = "Import"
	OriginConnector      Origin = "Connector"
	OriginNavigator      Origin = "Navigator"
)

// CommanderOrigin is how a reservation made in Mews Operations reached the hotel.
type CommanderOrigin string

// Commander origins.
const (
	CommanderInPerson    CommanderOrigin = "InPerson"
	CommanderChannel     CommanderOrigin = "Channel"
	CommanderPhone       CommanderOrigin = "Phone"
	CommanderEmail       CommanderOrigin = "Email"
	CommanderWebsite     CommanderOrigin = "Website"
	CommanderMessage     CommanderOrigin = "Message"
	CommanderCallCenter  CommanderOrigin = "CallCenter"
	CommanderRoomingList CommanderOrigin = "RoomingList"
)

// CancellationReason is why a reservation was canceled.
type CancellationReason string

// Cancellation reasons.
const (
	CancellationOther               CancellationReason = "Other"
	CancellationConfirmationMissed  CancellationReason = "ConfirmationMissed"
	CancellationBookedElsewhere     CancellationReason = "BookedElsewhere"
	CancellationForceMajeure        CancellationReason = "ForceMajeure"
	CancellationGuestComplaint      CancellationReason = "GuestComplaint"
	CancellationNoShow              CancellationReason = "NoShow"
	CancellationPriceTooHigh        CancellationReason = "PriceTooHigh"
	CancellationServiceNotAvailable CancellationReason = "ServiceNotAvailable"
	CancellationInputError          CancellationReason = "InputError"
	CancellationInvalidPayment      CancellationReason = "InvalidPayment"
	CancellationTravelAgency        CancellationReason = "TravelAgency"
	CancellationRequestedByGuest    CancellationReason = "RequestedByGuest"
	CancellationUpdate              CancellationReason = "Update"
	CancellationBookingAbandoned    CancellationReason = "BookingAbandoned"
	CancellationRequestedByBooker   CancellationReason = "RequestedByBooker"
)

// Purpose is the purpose of the stay.
type Purpose string

// Purposes of a stay.
const (
	PurposeLeisure  Purpose = "Leisure"
	PurposeBusiness Purpose = "Business"
	PurposeStudent  Purpose = "Student"
)
