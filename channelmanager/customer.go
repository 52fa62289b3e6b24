package channelmanager

import (
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// Customer is a person in the Channel Manager API: a group's customer or booker, a
// reservation's guest, an availability block's booker. LastName is required.
type Customer struct {
	Title     CustomerTitle `json:"title,omitempty"`
	FirstName string        `json:"firstName,omitempty"`
	LastName  string        `json:"lastName"`
	Email     string        `json:"email,omitempty"`
	// Telephone is the phone number; "phone" is accepted when decoding.
	Telephone       string `json:"telephone,omitempty"`
	NationalityCode string `json:"nationalityCode,omitempty"` // ISO 3166-1 alpha-2 or alpha-3
	LanguageCode    string `json:"languageCode,omitempty"`    // culture code such as "en-US"
	// LoyaltyCode is the membership id.
	//
	// Deprecated: use LoyaltyInfo (since 4 Nov 2024).
	LoyaltyCode string `json:"loyaltyCode,omitempty"`
	// LoyaltyInfo is processed only for the main customer or a block's booker.
	LoyaltyInfo *LoyaltyInfo `json:"loyaltyInfo,omitempty"`
	Address     *Address     `json:"address,omitempty"`
}

// UnmarshalJSON accepts "phone" as well as "telephone" (§11: the docs use both).
func (c *Customer) UnmarshalJSON(b []byte) error {
	type plain Customer
	return wire.UnmarshalWithPhone(b, (*plain)(c), &c.Telephone)
}

// CustomerTitle is a customer's form of address.
type CustomerTitle string

// Customer titles, spelled as Mews spells them.
const (
	TitleMister CustomerTitle = "Mister"
	TitleMisses CustomerTitle = "Misses"
	TitleMiss   CustomerTitle = "Miss"
)

// UnmarshalJSON reads the title, matching the known titles case-insensitively.
func (t *CustomerTitle) UnmarshalJSON(b []byte) error {
	return wire.UnmarshalEnum(b, t, TitleMister, TitleMisses, TitleMiss)
}

// LoyaltyInfo is a customer's membership of a loyalty program.
type LoyaltyInfo struct {
	MembershipID string `json:"membershipId"`
	ProgramCode  string `json:"programCode,omitempty"`
	TierCode     string `json:"tierCode,omitempty"`
}

// Address is a postal address with optional coordinates. Every field is optional.
// Country is ISO 3166-1 alpha-2 or alpha-3 (some senders put a country name here).
type Address struct {
	AddressLine1 string `json:"addressLine1,omitempty"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	City         string `json:"city,omitempty"`
	Region       string `json:"region,omitempty"`
	Zip          string `json:"zip,omitempty"`
	Country      string `json:"country,omitempty"`
	// Latitude (−90…90) and Longitude (−180…180) are exact decimals, nil when absent.
	Latitude  *mews.Amount `json:"latitude,omitempty"`
	Longitude *mews.Amount `json:"longitude,omitempty"`
}

// Company is the company a booking or block is for.
type Company struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
	// IATA is the agency code.
	//
	// Deprecated: use TravelAgency.IATA (since 26 Sep 2022).
	IATA    string   `json:"iata,omitempty"`
	Contact *Contact `json:"contact,omitempty"`
}

// TravelAgency is the agency that made a booking.
type TravelAgency struct {
	IATA    string   `json:"iata,omitempty"`
	Name    string   `json:"name,omitempty"`
	Contact *Contact `json:"contact,omitempty"`
}

// Contact is how to reach a company or agency.
//
// Mews' table names the phone field "telephone" while every example uses "phone"; both
// are accepted when decoding, and "telephone" (the documented field) is sent.
type Contact struct {
	Email     string   `json:"email,omitempty"`
	Telephone string   `json:"telephone,omitempty"`
	Address   *Address `json:"address,omitempty"`
}

// UnmarshalJSON accepts "phone" as well as "telephone".
func (c *Contact) UnmarshalJSON(b []byte) error {
	type plain Contact
	return wire.UnmarshalWithPhone(b, (*plain)(c), &c.Telephone)
}

// Source is a sales channel of a booking. Code is nil for a channel Mews does not know
// yet: a certified channel manager may send a new source with its Name and Type, and
// Mews creates it (it then appears in GetChannels).
type Source struct {
	// Code is the channel's code from GetChannels; nil introduces a new channel.
	Code *int       `json:"code"`
	Name string     `json:"name"`
	Type SourceType `json:"type"`
	// IsPrimary marks the channel the booking came from; at most one source has it.
	IsPrimary bool `json:"isPrimary"`
}

// SourceType is the kind of sales channel.
type SourceType int

// Source types.
const (
	SourceOnlineTravelAgency            SourceType = 0
	SourceCentralReservationSystem      SourceType = 1
	SourceGlobalDistributionSystem      SourceType = 2
	SourceAlternativeDistributionSystem SourceType = 3
	SourceSalesAndCateringSystem        SourceType = 4
	SourcePropertyManagementSystem      SourceType = 5
	SourceTourOperatorSystem            SourceType = 6
	SourceOnlineBookingEngine           SourceType = 7
	SourceKiosk                         SourceType = 8
	SourceAgent                         SourceType = 9
)

// String names the source type.
func (t SourceType) String() string {
	return wire.Name("SourceType", []string{"OnlineTravelAgency", "CentralReservationSystem",
		"GlobalDistributionSystem", "AlternativeDistributionSystem", "SalesAndCateringSystem",
		"PropertyManagementSystem", "TourOperatorSystem", "OnlineBookingEngine", "Kiosk", "Agent"}, int(t))
}
