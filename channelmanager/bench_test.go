package channelmanager_test

import (
	"encoding/json"
	"testing"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/internal/benchcmp"
)

// BenchmarkDecodeConfiguration decodes the reference getConfiguration response into the
// typed Configuration (exact amounts, redacted tokens, tolerant decoders) and, in the
// same run, into plainConfiguration, a struct of the same shape in plain Go types with
// no custom decoder: the fair baseline of the same work. It reports the ratios.
func BenchmarkDecodeConfiguration(b *testing.B) {
	data := chmtest.Read(b, "cm_getconfiguration_response.json")
	typed := func() {
		var cfg channelmanager.Configuration
		if err := json.Unmarshal(data, &cfg); err != nil {
			b.Fatal(err)
		}
	}
	raw := func() {
		var cfg plainConfiguration
		if err := json.Unmarshal(data, &cfg); err != nil {
			b.Fatal(err)
		}
	}
	benchcmp.Ratios(b, 50, typed, raw)
}

// plainConfiguration is the getConfiguration response in plain types: the same fields
// as channelmanager.Configuration, decoded by encoding/json alone.
type plainConfiguration struct {
	ConnectionToken string `json:"connectionToken"`
	Property        struct {
		Name               string        `json:"name"`
		Description        string        `json:"description"`
		LanguageCode       string        `json:"languageCode"`
		TimeZoneIdentifier string        `json:"timeZoneIdentifier"`
		WebsiteURL         string        `json:"websiteUrl"`
		Email              string        `json:"email"`
		Telephone          string        `json:"telephone"`
		SpaceCount         int           `json:"spaceCount"`
		PricingMode        int           `json:"pricingMode"`
		Address            *plainAddress `json:"address"`
		Images             []plainImage  `json:"images"`
	} `json:"property"`
	SpaceCategories []struct {
		Code           string       `json:"code"`
		Name           string       `json:"name"`
		IsSynchronized bool         `json:"isSynchronized"`
		Description    string       `json:"description"`
		Classification int          `json:"classification"`
		BedType        int          `json:"bedType"`
		BedCount       int          `json:"bedCount"`
		ExtraBedCount  int          `json:"extraBedCount"`
		SpaceCount     int          `json:"spaceCount"`
		Images         []plainImage `json:"images"`
	} `json:"spaceCategories"`
	RatePlans []struct {
		Code                 string `json:"code"`
		Name                 string `json:"name"`
		Description          string `json:"description"`
		CurrencyCode         string `json:"currencyCode"`
		IsSynchronized       bool   `json:"isSynchronized"`
		RateType             int    `json:"rateType"`
		CancellationPolicies []struct {
			Offset        string `json:"offset"`
			Applicability int    `json:"applicability"`
			Penalty       struct {
				Relative *struct {
					Value  float64 `json:"value"`
					Nights *int    `json:"nights"`
				} `json:"relative"`
				Absolute *struct {
					Amount       float64 `json:"amount"`
					CurrencyCode string  `json:"currencyCode"`
				} `json:"absolute"`
			} `json:"penalty"`
		} `json:"cancellationPolicies"`
	} `json:"ratePlans"`
	InventoryMappings []struct {
		RatePlanCode  string `json:"ratePlanCode"`
		SpaceTypeCode string `json:"spaceTypeCode"`
	} `json:"inventoryMappings"`
	Products []struct {
		Code        string `json:"code"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Pricing     int    `json:"pricing"`
		UnitAmount  struct {
			CurrencyCode string  `json:"currencyCode"`
			NetValue     float64 `json:"netValue"`
			GrossValue   float64 `json:"grossValue"`
			TaxValues    []struct {
				Code  string  `json:"code"`
				Value float64 `json:"value"`
			} `json:"taxValues"`
		} `json:"unitAmount"`
	} `json:"products"`
	ProductMappings []struct {
		RatePlanCode string `json:"ratePlanCode"`
		ProductCode  string `json:"productCode"`
	} `json:"productMappings"`
	Companies      []plainCompany `json:"companies"`
	TravelAgencies []plainCompany `json:"travelAgencies"`
	AgeCategories  []struct {
		Code       string `json:"code"`
		Name       string `json:"name"`
		MinimumAge *int   `json:"minimumAge"`
		MaximumAge *int   `json:"maximumAge"`
	} `json:"ageCategories"`
}

type plainAddress struct {
	AddressLine1 string   `json:"addressLine1"`
	AddressLine2 string   `json:"addressLine2"`
	City         string   `json:"city"`
	Country      *string  `json:"country"`
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
	Region       *string  `json:"region"`
	Zip          string   `json:"zip"`
}

type plainImage struct {
	Type int    `json:"type"`
	URL  string `json:"url"`
}

type plainCompany struct {
	ID        string         `json:"id"`
	IATA      string         `json:"iata"`
	Name      string         `json:"name"`
	Email     *string        `json:"email"`
	Contact   string         `json:"contact"`
	Phone     string         `json:"phone"`
	Addresses []plainAddress `json:"addresses"`
	Channel   struct {
		Code int    `json:"code"`
		Name string `json:"name"`
	} `json:"channel"`
}
