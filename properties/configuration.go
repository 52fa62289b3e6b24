package properties

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
	"github.com/mewskit/mews-go/internal/timezone"
)

// opConfiguration is the Connector operation behind GetConfiguration.
const opConfiguration = "configuration/get"

// Configuration is what configuration/get returns: the enterprise (hotel) behind an
// AccessToken, the server's clock and a few settings. A successful call is also the
// cheapest proof that a connection's tokens still work.
type Configuration struct {
	// NowUtc is Mews' clock at the time of the call; compare it with yours to spot skew.
	NowUtc time.Time `json:"NowUtc"`
	// Enterprise is the hotel the token belongs to, or the portfolio's placeholder
	// enterprise (IsPortfolio) when a portfolio token was used without an enterprise id.
	Enterprise Enterprise `json:"Enterprise"`
	// Service is the bookable service linked to a service-scoped integration, if any.
	Service *Service `json:"Service"`
	// PaymentCardStorage holds the PCI proxy's public key, when the integration stores cards.
	PaymentCardStorage *PaymentCardStorage `json:"PaymentCardStorage"`
	// IsIdentityDocumentNumberRequired tells whether guests' identity documents need a number.
	IsIdentityDocumentNumberRequired bool `json:"IsIdentityDocumentNumberRequired"`
}

// Enterprise is a hotel (Mews "enterprise") as configuration/get and enterprises/getAll
// describe it. Fields that Mews may leave null are pointers; strings that Mews documents
// as required but sometimes sends as null are plain strings that stay empty.
type Enterprise struct {
	ID                   string    `json:"Id"`
	ExternalIdentifier   *string   `json:"ExternalIdentifier"`
	HoldingKey           *string   `json:"HoldingKey"`
	ChainID              string    `json:"ChainId"`
	ChainName            string    `json:"ChainName"`
	CreatedUtc           time.Time `json:"CreatedUtc"`
	UpdatedUtc           time.Time `json:"UpdatedUtc"`
	Name                 string    `json:"Name"`
	ShortName            *string   `json:"ShortName"`
	TimeZoneIdentifier   string    `json:"TimeZoneIdentifier"` // IANA name, e.g. "Europe/Budapest"
	LegalEnvironmentCode string    `json:"LegalEnvironmentCode"`
	// AccommodationEnvironmentCode, AccountingEnvironmentCode and TaxEnvironmentCode are
	// documented as required but often null; they are then empty.
	AccommodationEnvironmentCode string `json:"AccommodationEnvironmentCode"`
	AccountingEnvironmentCode    string `json:"AccountingEnvironmentCode"`
	TaxEnvironmentCode           string `json:"TaxEnvironmentCode"`
	DefaultLanguageCode          string `json:"DefaultLanguageCode"` // e.g. "en-US"
	// EditableHistoryInterval is deprecated by Mews; use the accounting and operational ones.
	EditableHistoryInterval string `json:"EditableHistoryInterval"`
	// AccountingEditableHistoryInterval and the other intervals are ISO 8601 durations
	// such as "P0M7DT0H0M0S", kept as Mews wrote them.
	AccountingEditableHistoryInterval  string       `json:"AccountingEditableHistoryInterval"`
	OperationalEditableHistoryInterval string       `json:"OperationalEditableHistoryInterval"`
	BusinessDayClosingOffset           *string      `json:"BusinessDayClosingOffset"`
	WebsiteURL                         *string      `json:"WebsiteUrl"`
	Email                              *string      `json:"Email"`
	Phone                              *string      `json:"Phone"`
	LogoImageID                        *string      `json:"LogoImageId"`
	CoverImageID                       *string      `json:"CoverImageId"`
	Pricing                            Pricing      `json:"Pricing"`
	TaxPrecision                       *int         `json:"TaxPrecision"`
	AddressID                          string       `json:"AddressId"`
	Address                            Address      `json:"Address"`
	GroupNames                         []string     `json:"GroupNames"`
	Subscription                       Subscription `json:"Subscription"`
	// Currencies are the enterprise's accepted currencies (configuration/get only).
	Currencies []Currency `json:"Currencies,omitempty"`
	// AccountingConfiguration is the financial setup (configuration/get only), kept raw.
	AccountingConfiguration json.RawMessage `json:"AccountingConfiguration,omitempty"`
	// IsPortfolio is true for the placeholder enterprise of a portfolio token
	// (configuration/get only).
	IsPortfolio bool `json:"IsPortfolio,omitempty"`
	// LinkedUtc is when the enterprise joined the portfolio (enterprises/getAll only).
	LinkedUtc *time.Time `json:"LinkedUtc,omitempty"`
}

// Location loads the enterprise's time zone, needed to turn Mews' UTC times into the
// hotel's local dates and back. An empty identifier or "Local" is an error rather than
// UTC or this machine's zone, which would silently shift every local date.
func (e Enterprise) Location() (*time.Location, error) {
	return timezone.Load(e.TimeZoneIdentifier)
}

// DefaultCurrency returns the enterprise's default currency code ("" if none is marked).
func (e Enterprise) DefaultCurrency() string {
	for _, c := range e.Currencies {
		if c.IsDefault {
			return c.Currency
		}
	}
	return ""
}

// Pricing says whether the enterprise's prices include tax (Gross) or not (Net).
type Pricing string

// Pricing modes. Mews may add values; unknown ones are kept as they came.
const (
	PricingGross Pricing = "Gross"
	PricingNet   Pricing = "Net"
)

// Currency is one currency the enterprise accepts.
type Currency struct {
	Currency  string `json:"Currency"` // ISO 4217 code
	IsDefault bool   `json:"IsDefault"`
	IsEnabled bool   `json:"IsEnabled"`
}

// Address is the enterprise's postal address.
type Address struct {
	ID                     string   `json:"Id"`
	Line1                  *string  `json:"Line1"`
	Line2                  *string  `json:"Line2"`
	City                   *string  `json:"City"`
	PostalCode             *string  `json:"PostalCode"`
	CountryCode            *string  `json:"CountryCode"`
	CountrySubdivisionCode *string  `json:"CountrySubdivisionCode"`
	Latitude               *float64 `json:"Latitude"`
	Longitude              *float64 `json:"Longitude"`
}

// Subscription carries the enterprise's tax identifier.
type Subscription struct {
	TaxIdentifier *string `json:"TaxIdentifier"`
}

// PaymentCardStorage is the PCI proxy configuration of an integration that stores cards.
type PaymentCardStorage struct {
	PublicKey string `json:"PublicKey"`
}

// Service is the bookable service linked to a service-scoped integration. Only the
// fields a door-lock or reservation integration uses are typed; Data stays raw.
type Service struct {
	ID                 string            `json:"Id"`
	EnterpriseID       string            `json:"EnterpriseId"`
	IsActive           bool              `json:"IsActive"`
	Names              map[string]string `json:"Names"` // by language code
	Ordering           int               `json:"Ordering"`
	ExternalIdentifier *string           `json:"ExternalIdentifier"`
	CreatedUtc         time.Time         `json:"CreatedUtc"`
	UpdatedUtc         time.Time         `json:"UpdatedUtc"`
	Data               json.RawMessage   `json:"Data"`
}

// GetConfiguration calls configuration/get for the connection's enterprise. It is the
// call to make first with a new AccessToken: 200 means the tokens work, and a 401
// (errors.Is(err, mews.ErrInvalidAuthentication)) means they were revoked or are wrong.
// With a portfolio token it describes the portfolio itself (Enterprise.IsPortfolio);
// use GetEnterpriseConfiguration for one of its hotels.
func GetConfiguration(ctx context.Context, h mews.ConnectorCaller) (*Configuration, error) {
	return getConfiguration(ctx, h, "")
}

// GetEnterpriseConfiguration calls configuration/get for one enterprise of a portfolio
// token (enterprises/getAll lists them). Single-hotel tokens ignore the id.
func GetEnterpriseConfiguration(ctx context.Context, h mews.ConnectorCaller, enterpriseID string) (*Configuration, error) {
	if strings.TrimSpace(enterpriseID) == "" {
		return nil, &mews.InputError{Operation: opConfiguration, Field: "EnterpriseId", Reason: "is empty; use GetConfiguration for the token's own enterprise"}
	}
	return getConfiguration(ctx, h, enterpriseID)
}

func getConfiguration(ctx context.Context, h mews.ConnectorCaller, enterpriseID string) (*Configuration, error) {
	in := struct {
		EnterpriseID string `json:"EnterpriseId,omitempty"`
	}{enterpriseID}
	var cfg Configuration
	if err := listfilter.Call(ctx, h, mews.Operation{Name: opConfiguration, Safety: mews.Read}, in, &cfg); err != nil {
		return nil, err
	}
	cfg.NowUtc = cfg.NowUtc.UTC()
	cfg.Enterprise.normalize()
	return &cfg, nil
}

// normalize puts the enterprise's times in UTC.
func (e *Enterprise) normalize() {
	e.CreatedUtc, e.UpdatedUtc = e.CreatedUtc.UTC(), e.UpdatedUtc.UTC()
	if e.LinkedUtc != nil {
		t := e.LinkedUtc.UTC()
		e.LinkedUtc = &t
	}
}
