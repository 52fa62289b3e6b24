package properties_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/properties"
)

// fixtureServer answers every Connector call with a file from testdata and records
// the request bodies it got.
type fixtureServer struct {
	mu     sync.Mutex
	bodies []map[string]any
	paths  []string
}

func newFixtureConnector(t *testing.T, file string) (*mews.Connector, *fixtureServer) {
	t.Helper()
	body, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	fs := &fixtureServer{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		fs.mu.Lock()
		fs.bodies = append(fs.bodies, m)
		fs.paths = append(fs.paths, r.URL.Path)
		fs.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	client, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken("CT-fixture"), mews.WithoutRateLimit())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector("AT-fixture")
	if err != nil {
		t.Fatal(err)
	}
	return conn, fs
}

func (fs *fixtureServer) requests() []map[string]any {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return append([]map[string]any(nil), fs.bodies...)
}

func ptr[T any](v T) *T { return &v }

func TestGetConfigurationDecodesTheDocumentedExample(t *testing.T) {
	conn, fs := newFixtureConnector(t, "configuration_get.json")
	cfg, err := properties.GetConfiguration(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	if fs.paths[0] != "/api/connector/v1/configuration/get" {
		t.Errorf("path = %s", fs.paths[0])
	}
	if _, sent := fs.requests()[0]["EnterpriseId"]; sent {
		t.Error("EnterpriseId was sent without being asked for")
	}
	cfg.Enterprise.AccountingConfiguration = nil
	cfg.Service.Data = nil
	want := &properties.Configuration{
		NowUtc: time.Date(2018, 1, 1, 14, 58, 2, 0, time.UTC),
		Enterprise: properties.Enterprise{
			ID:                                 "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
			HoldingKey:                         ptr("CA123"),
			ChainID:                            "8ddea57b-6a5c-4eec-8c4c-24467dce118e",
			ChainName:                          "Connector API Chain",
			CreatedUtc:                         time.Date(2015, 7, 7, 13, 33, 17, 0, time.UTC),
			UpdatedUtc:                         time.Date(2015, 7, 7, 13, 33, 17, 0, time.UTC),
			Name:                               "Connector API Hotel",
			TimeZoneIdentifier:                 "Europe/Budapest",
			LegalEnvironmentCode:               "UK",
			DefaultLanguageCode:                "en-US",
			EditableHistoryInterval:            "P0M7DT0H0M0S",
			AccountingEditableHistoryInterval:  "P0M7DT0H0M0S",
			OperationalEditableHistoryInterval: "P0M5DT0H0M0S",
			WebsiteURL:                         ptr("https://en.wikipedia.org/wiki/St._Vitus_Cathedral"),
			Email:                              ptr("charging-api@mews.li"),
			Phone:                              ptr("00000 123 456 789"),
			Pricing:                            properties.PricingGross,
			AddressID:                          "c556f56e-713e-4102-9de5-0e853b5a8586",
			Address: properties.Address{
				ID: "8c2c4371-5d42-40a9-b551-ab0b00d75076", Line1: ptr("I.P. Pavlova 5"), City: ptr("Prague"),
				PostalCode: ptr("1200"), CountryCode: ptr("CZ"), Latitude: ptr(14.429645), Longitude: ptr(50.075181),
			},
			GroupNames:   []string{"Connector API Group"},
			Subscription: properties.Subscription{TaxIdentifier: ptr("123456789 RC 0001")},
			Currencies: []properties.Currency{
				{Currency: "GBP", IsDefault: true, IsEnabled: true},
				{Currency: "USD", IsEnabled: true},
			},
		},
		Service: &properties.Service{
			ID: "bd26d8db-86da-4f96-9efc-e5a4654a4a94", EnterpriseID: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
			IsActive: true, Names: map[string]string{"en-GB": "Accommodation"},
			CreatedUtc: time.Date(2023, 10, 1, 11, 48, 57, 0, time.UTC), UpdatedUtc: time.Date(2023, 10, 28, 11, 48, 57, 0, time.UTC),
		},
		IsIdentityDocumentNumberRequired: true,
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("configuration (-want +got):\n%s", diff)
	}
	if got := cfg.Enterprise.DefaultCurrency(); got != "GBP" {
		t.Errorf("DefaultCurrency = %q, want GBP", got)
	}
	if loc, err := cfg.Enterprise.Location(); err != nil || loc.String() != "Europe/Budapest" {
		t.Errorf("Location = %v, %v", loc, err)
	}
}

func TestGetEnterpriseConfigurationSendsTheEnterpriseID(t *testing.T) {
	conn, fs := newFixtureConnector(t, "configuration_get.json")
	if _, err := properties.GetEnterpriseConfiguration(context.Background(), conn, "3fa85f64-5717-4562-b3fc-2c963f66afa6"); err != nil {
		t.Fatal(err)
	}
	if got := fs.requests()[0]["EnterpriseId"]; got != "3fa85f64-5717-4562-b3fc-2c963f66afa6" {
		t.Errorf("EnterpriseId = %v", got)
	}
}

func TestGetEnterpriseConfigurationRejectsAnEmptyIDWithoutSending(t *testing.T) {
	conn, fs := newFixtureConnector(t, "configuration_get.json")
	_, err := properties.GetEnterpriseConfiguration(context.Background(), conn, "  ")
	if !errors.Is(err, mews.ErrInvalidInput) || !strings.Contains(err.Error(), "EnterpriseId") {
		t.Errorf("err = %v, want an input error naming EnterpriseId", err)
	}
	if n := len(fs.requests()); n != 0 {
		t.Errorf("%d requests sent, want 0", n)
	}
}

func TestEnterpriseLocationRefusesNamesThatAreNotATimeZone(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"", "Local", "Mars/Olympus"} {
		if loc, err := (properties.Enterprise{TimeZoneIdentifier: id}).Location(); err == nil {
			t.Errorf("Location() of %q = %v, want an error", id, loc)
		}
	}
	loc, err := (properties.Enterprise{TimeZoneIdentifier: "Europe/Prague"}).Location()
	if err != nil || loc.String() != "Europe/Prague" {
		t.Errorf("Location() of Europe/Prague = %v, %v", loc, err)
	}
}
