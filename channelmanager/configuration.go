package channelmanager

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
	"github.com/mewskit/mews-go/internal/timezone"
)

// ConfigurationExtent chooses what GetConfiguration returns besides the property,
// its synchronized space categories and rate plans, and the inventory mappings.
type ConfigurationExtent struct {
	// IncludeUnsynchronizedRates adds rate plans Mews pushes no prices for (it still maps
	// incoming reservations to them).
	IncludeUnsynchronizedRates bool `json:"includeUnsynchronizedRates,omitempty"`
	// IncludeUnsynchronizedCategories adds space categories Mews pushes no availability for.
	IncludeUnsynchronizedCategories bool `json:"includeUnsynchronizedCategories,omitempty"`
	// IncludeProducts adds products and product mappings (mapped products are already
	// included in pushed prices).
	IncludeProducts bool `json:"includeProducts,omitempty"`
	// IncludeCompanies adds companies and travel agencies mapped to channels.
	IncludeCompanies bool `json:"includeCompanies,omitempty"`
	// IncludeAgeCategories adds the age categories.
	IncludeAgeCategories bool `json:"includeAgeCategories,omitempty"`
}

// FullExtent asks for everything getConfiguration can return.
func FullExtent() ConfigurationExtent {
	return ConfigurationExtent{true, true, true, true, true}
}

// Configuration is what Mews knows about one Channel Manager connection: the
// property, its space categories and rate plans with their mapping codes, the valid
// rate × category pairs, and (depending on the extent) products, companies, travel
// agencies and age categories.
type Configuration struct {
	// ConnectionToken is the connection this configuration belongs to (redacted in output).
	ConnectionToken   mews.Token         `json:"connectionToken"`
	Property          PropertyDetails    `json:"property"`
	SpaceCategories   []SpaceCategory    `json:"spaceCategories"`
	RatePlans         []RatePlan         `json:"ratePlans"`
	InventoryMappings []InventoryMapping `json:"inventoryMappings"`
	Products          []Product          `json:"products,omitempty"`
	ProductMappings   []ProductMapping   `json:"productMappings,omitempty"`
	Companies         []CompanyProfile   `json:"companies,omitempty"`
	TravelAgencies    []CompanyProfile   `json:"travelAgencies,omitempty"`
	AgeCategories     []AgeCategory      `json:"ageCategories,omitempty"`
}

// PropertyDetails describes the property (hotel, hostel, …) of a Channel Manager
// connection. Names and descriptions are in LanguageCode.
type PropertyDetails struct {
	Name               string      `json:"name"`
	Description        string      `json:"description,omitempty"`
	LanguageCode       string      `json:"languageCode"`
	TimeZoneIdentifier string      `json:"timeZoneIdentifier"` // IANA, e.g. "Europe/Prague"
	WebsiteURL         string      `json:"websiteUrl,omitempty"`
	Email              string      `json:"email,omitempty"`
	Telephone          string      `json:"telephone,omitempty"`
	SpaceCount         int         `json:"spaceCount"` // total spaces sold
	PricingMode        PricingMode `json:"pricingMode"`
	// Address of the property; nil when Mews has none.
	Address *Address `json:"address,omitempty"`
	// Images are the logo and photos (Mews documents an object and sends an array; both decode).
	Images []Image `json:"images,omitempty"`
}

// UnmarshalJSON accepts images as one object or an array.
func (p *PropertyDetails) UnmarshalJSON(b []byte) error {
	type plain PropertyDetails
	var w struct {
		*plain
		Images wire.List[Image] `json:"images"`
	}
	w.plain = (*plain)(p)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	p.Images = w.Images
	return nil
}

// Location loads the property's time zone, for turning a Mews date into local midnight.
// An empty identifier is an error: time.LoadLocation would quietly answer UTC (and
// "Local" the machine's zone), which shifts a hotel's dates without a word.
func (p PropertyDetails) Location() (*time.Location, error) {
	return timezone.Load(p.TimeZoneIdentifier)
}

// PricingMode says whether the property works with gross or net prices; Mews pushes both,
// and a channel manager uses the one this names.
type PricingMode int

// Pricing modes.
const (
	PricingModeGross PricingMode = 0
	PricingModeNet   PricingMode = 1
)

// String names the pricing mode.
func (m PricingMode) String() string {
	return wire.Name("PricingMode", []string{"Gross", "Net"}, int(m))
}

// Image is a picture of the property or a space category.
type Image struct {
	Type ImageType `json:"type"`
	URL  string    `json:"url"`
}

// ImageType says what an image shows.
type ImageType int

// Image types.
const (
	ImageLogo  ImageType = 1
	ImagePhoto ImageType = 2
)

// String names the image type.
func (t ImageType) String() string {
	return wire.Name("ImageType", []string{"", "Logo", "Photo"}, int(t))
}

// SpaceCategory is a room type (Mews' space category) of a connection. Code is its
// mapping code, the spaceTypeCode of every other message.
type SpaceCategory struct {
	Code           string              `json:"code"`
	Name           string              `json:"name"`
	Description    string              `json:"description,omitempty"`
	IsSynchronized bool                `json:"isSynchronized"`
	Classification SpaceClassification `json:"classification"`
	BedType        BedType             `json:"bedType,omitzero"`
	// BedCount is the default occupancy; nil when absent.
	BedCount      *int    `json:"bedCount,omitempty"`
	ExtraBedCount *int    `json:"extraBedCount,omitempty"`
	SpaceCount    int     `json:"spaceCount"`
	Images        []Image `json:"images,omitempty"`
}

// UnmarshalJSON accepts images as one object or an array.
func (c *SpaceCategory) UnmarshalJSON(b []byte) error {
	type plain SpaceCategory
	var w struct {
		*plain
		Images wire.List[Image] `json:"images"`
	}
	w.plain = (*plain)(c)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	c.Images = w.Images
	return nil
}

// SpaceClassification is the kind of space (what Mews Operations calls a space type).
type SpaceClassification int

// Space classifications. The struck-out values of Mews' list (2, 3, 5, 6, 7) are
// deprecated but still decode.
const (
	ClassificationApartment          SpaceClassification = 1
	ClassificationDoubleRoom         SpaceClassification = 4
	ClassificationDormitoryBed       SpaceClassification = 8
	ClassificationSingleRoom         SpaceClassification = 9
	ClassificationStudio             SpaceClassification = 10
	ClassificationSuite              SpaceClassification = 11
	ClassificationTent               SpaceClassification = 12
	ClassificationTripleRoom         SpaceClassification = 13
	ClassificationTwinRoom           SpaceClassification = 14
	ClassificationVilla              SpaceClassification = 15
	ClassificationDormitory          SpaceClassification = 16
	ClassificationSite               SpaceClassification = 17
	ClassificationOffice             SpaceClassification = 18
	ClassificationMeetingRoom        SpaceClassification = 19
	ClassificationParkingSpot        SpaceClassification = 20
	ClassificationDesk               SpaceClassification = 21
	ClassificationTeamArea           SpaceClassification = 22
	ClassificationCaravanOrRv        SpaceClassification = 24
	ClassificationUnequippedCampsite SpaceClassification = 25
)

var classificationNames = []string{"", "Apartment", "Bungalow", "Chalet", "DoubleRoom", "HolidayHome",
	"MobileHome", "QuadrupleRoom", "DormitoryBed", "SingleRoom", "Studio", "Suite", "Tent",
	"TripleRoom", "TwinRoom", "Villa", "Dormitory", "Site", "Office", "MeetingRoom", "ParkingSpot",
	"Desk", "TeamArea", "", "CaravanOrRv", "UnequippedCampsite"}

// String names the classification.
func (c SpaceClassification) String() string {
	return wire.Name("SpaceClassification", classificationNames, int(c))
}

// BedType is the main bed of a space category; zero means not given.
type BedType int

// Bed types.
const (
	BedSingle  BedType = 1
	BedTwin    BedType = 2
	BedDouble  BedType = 3
	BedQueen   BedType = 4
	BedKing    BedType = 5
	BedSofaBed BedType = 6
)

// String names the bed type.
func (t BedType) String() string {
	return wire.Name("BedType", []string{"", "Single", "Twin", "Double", "Queen", "King", "SofaBed"}, int(t))
}

// RatePlan is a rate of a connection. Code is its mapping code, the ratePlanCode of
// every other message.
type RatePlan struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	Description  string `json:"description,omitempty"`
	CurrencyCode string `json:"currencyCode"`
	// IsSynchronized says whether Mews pushes prices and restrictions for the rate.
	IsSynchronized       bool                 `json:"isSynchronized"`
	RateType             RateType             `json:"rateType"`
	CancellationPolicies []CancellationPolicy `json:"cancellationPolicies,omitempty"`
	// PaymentType of the rate.
	//
	// Deprecated: settlement moved to the enterprise and the value may be wrong (16 May 2024).
	PaymentType PaymentType `json:"paymentType,omitzero"`
}

// RateType says who may book a rate.
type RateType int

// Rate types.
const (
	RatePrivate RateType = 0 // channel reservations only
	RatePublic  RateType = 1 // also the Mews booking engine
)

// String names the rate type.
func (t RateType) String() string {
	return wire.Name("RateType", []string{"Private", "Public"}, int(t))
}

// CancellationPolicy is a fee charged when a booking of the rate is cancelled after
// Offset relative to the Applicability moment.
type CancellationPolicy struct {
	Offset        CancellationOffset        `json:"offset,omitempty"`
	Applicability CancellationApplicability `json:"applicability"`
	Penalty       Penalty                   `json:"penalty"`
}

// CancellationApplicability is the moment a cancellation offset counts from.
type CancellationApplicability int

// Cancellation applicabilities.
const (
	ApplicableFromCreation  CancellationApplicability = 1 // the booking's creation
	ApplicableFromStart     CancellationApplicability = 2 // the stay's start, time included
	ApplicableFromStartDate CancellationApplicability = 3 // 00:00 on the start day
)

// String names the applicability.
func (a CancellationApplicability) String() string {
	return wire.Name("CancellationApplicability", []string{"", "Creation", "Start", "StartDate"}, int(a))
}

// Penalty is a cancellation fee: a share of the nights plus a fixed amount.
type Penalty struct {
	Relative RelativePenalty `json:"relative"`
	Absolute AbsolutePenalty `json:"absolute"`
}

// RelativePenalty is a share of the booking: Value 0.3 is 30 % of at most Nights nights
// (nil: all nights).
type RelativePenalty struct {
	Value  mews.Amount  `json:"value"`
	Nights *mews.Amount `json:"nights,omitempty"`
}

// AbsolutePenalty is a fixed gross amount.
type AbsolutePenalty struct {
	Amount       mews.Amount `json:"amount"`
	CurrencyCode string      `json:"currencyCode"`
}

// CancellationOffset is Mews' cancellation offset, "[days]DT[hours]H[minutes]M" and
// possibly negative ("-1DT2H0M", "0DT2H0M"). It keeps the text Mews sent; Duration
// interprets it.
type CancellationOffset string

// NewCancellationOffset writes d in Mews' offset format (whole minutes).
func NewCancellationOffset(d time.Duration) CancellationOffset {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	m := int64(d / time.Minute)
	return CancellationOffset(fmt.Sprintf("%s%dDT%dH%dM", sign, m/(24*60), m/60%24, m%60))
}

// Duration interprets the offset. A leading '-' negates the whole offset. An offset
// too long for a time.Duration (about 292 years) is an error rather than a wrapped value.
func (o CancellationOffset) Duration() (time.Duration, error) {
	s := strings.TrimSpace(string(o))
	bad := fmt.Errorf("mews: cancellation offset %q: want [days]DT[hours]H[minutes]M", string(o))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	days, rest, ok1 := strings.Cut(s, "DT")
	hours, rest, ok2 := strings.Cut(rest, "H")
	minutes, rest, ok3 := strings.Cut(rest, "M")
	if !ok1 || !ok2 || !ok3 || rest != "" {
		return 0, bad
	}
	var total time.Duration
	for _, part := range []struct {
		text string
		unit time.Duration
	}{{days, 24 * time.Hour}, {hours, time.Hour}, {minutes, time.Minute}} {
		n, err := strconv.ParseUint(part.text, 10, 63)
		if err != nil || n > uint64((math.MaxInt64-total)/part.unit) {
			return 0, bad // not a number, or beyond the ±292 years a Duration holds
		}
		total += time.Duration(n) * part.unit
	}
	if neg {
		total = -total
	}
	return total, nil
}

// InventoryMapping is one valid pair of a rate plan and a space category.
type InventoryMapping struct {
	RatePlanCode  string `json:"ratePlanCode"`
	SpaceTypeCode string `json:"spaceTypeCode"`
}

// Product is a service (breakfast, parking, …) that reservations reference by Code in
// their extras.
type Product struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Pricing     ExtraPricing `json:"pricing"`
	UnitAmount  UnitAmount   `json:"unitAmount"`
}

// UnitAmount is the price of one unit of a product.
type UnitAmount struct {
	CurrencyCode string      `json:"currencyCode"`
	NetValue     mews.Amount `json:"netValue"`
	GrossValue   mews.Amount `json:"grossValue"`
	TaxValues    []TaxValue  `json:"taxValues,omitempty"`
}

// TaxValue is the tax of one rate; Code is specific to the legal environment ("CZ-S").
type TaxValue struct {
	Code  string      `json:"code"`
	Value mews.Amount `json:"value"`
}

// ProductMapping says a product is included in a rate plan's pushed prices.
type ProductMapping struct {
	RatePlanCode string `json:"ratePlanCode"`
	ProductCode  string `json:"productCode"`
}

// CompanyProfile is a company or travel agency mapped to a channel in the configuration
// (a different shape from a reservation's company).
type CompanyProfile struct {
	ID        string    `json:"id,omitempty"` // not supported by Mews yet
	IATA      string    `json:"iata,omitempty"`
	Name      string    `json:"name"`
	Email     string    `json:"email,omitempty"`
	Contact   string    `json:"contact,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	Addresses []Address `json:"addresses,omitempty"`
	Channel   *Channel  `json:"channel,omitempty"`
}

// UnmarshalJSON accepts addresses as one object or an array, and "telephone" for phone.
func (c *CompanyProfile) UnmarshalJSON(b []byte) error {
	type plain CompanyProfile
	var w struct {
		*plain
		Addresses wire.List[Address] `json:"addresses"`
		Telephone string             `json:"telephone"`
	}
	w.plain = (*plain)(c)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	c.Addresses = w.Addresses
	if c.Phone == "" {
		c.Phone = w.Telephone
	}
	return nil
}

// AgeCategory is an age category of the property; Code is its mapping code (numeric
// strings like "10" in Mews' example; numbers decode too).
type AgeCategory struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	MinimumAge *int   `json:"minimumAge,omitempty"`
	MaximumAge *int   `json:"maximumAge,omitempty"`
}

// UnmarshalJSON accepts a numeric code.
func (a *AgeCategory) UnmarshalJSON(b []byte) error {
	type plain AgeCategory
	var w struct {
		*plain
		Code wire.String `json:"code"`
	}
	w.plain = (*plain)(a)
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	a.Code = string(w.Code)
	return nil
}

// Channel is a sales channel (Booking.com, Expedia, …). Codes have gaps and new channels
// are appended, so refresh the list with GetChannels now and then.
type Channel struct {
	Code int    `json:"code"`
	Name string `json:"name"`
}
