package properties_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/properties"
)

// noSeededStays seeds the hotel's rooms without stays: these tests read rooms, and the
// rooms are the same whatever span of stays is seeded.
var noSeededStays = mewstest.WithSeedMonths(0, 0)

func TestListResourcesDecodesTheDocumentedExample(t *testing.T) {
	t.Parallel()
	conn, fs := newFixtureConnector(t, "resources_getall.json")
	got, err := properties.ListResources(conn, properties.ListResourcesParams{PageSize: 10}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got %d resources, want 3", len(got))
	}
	got[0].Data.Value, got[0].Data.Space.LocationNotes = nil, nil
	want := properties.Resource{
		ID: "20e00c32-d561-4008-8609-82d8aa525714", EnterpriseID: "3fa85f64-5717-4562-b3fc-2c963f66afa6",
		IsActive: true, Name: "101", State: properties.ResourceClean,
		Descriptions: map[string]string{"en-US": "Standard room with city view"},
		CreatedUtc:   time.Date(2023, 1, 15, 10, 30, 0, 0, time.UTC), UpdatedUtc: time.Date(2023, 6, 15, 14, 20, 0, 0, time.UTC),
		Data:          properties.ResourceData{Discriminator: properties.KindSpace, Space: &properties.SpaceData{FloorNumber: "1"}},
		ExternalNames: map[string]string{"en-US": "Room 101"},
		Directions:    map[string]string{"en-US": "Take elevator to first floor, turn right"},
	}
	if diff := cmp.Diff(want, got[0]); diff != "" {
		t.Errorf("room (-want +got):\n%s", diff)
	}
	bed := got[1]
	if bed.Floor() != "" || bed.Data.Discriminator != properties.KindObject || *bed.ParentResourceID != got[0].ID {
		t.Errorf("bed = %+v, want an object inside room 101", bed)
	}
	if got[2].Floor() != "5" {
		t.Errorf("suite floor = %q, want 5", got[2].Floor())
	}
	ext := fs.requests()[0]["Extent"]
	if diff := cmp.Diff(map[string]any{"Resources": true, "Inactive": false}, ext); diff != "" {
		t.Errorf("Extent (-want +got):\n%s", diff)
	}
}

func TestListResourcesReturnsTheRoomsOnEveryFloor(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, noSeededStays)
	rooms, err := properties.ListResources(conn, properties.ListResourcesParams{PageSize: 10}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	floors := map[string]int{}
	for _, r := range rooms {
		if !r.IsActive {
			t.Errorf("inactive room %s listed without IncludeInactive", r.Name)
		}
		floors[r.Floor()]++
	}
	if len(floors) < mewstest.Floors {
		t.Errorf("rooms on floors %v, want %d floors", floors, mewstest.Floors)
	}
	all, err := properties.ListResources(conn, properties.ListResourcesParams{IncludeInactive: true}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(srv.Rooms()) || len(all) <= len(rooms) {
		t.Errorf("with inactive: %d of %d seeded (active only: %d)", len(all), len(srv.Rooms()), len(rooms))
	}
}

func TestListResourcesByNameFindsOneRoom(t *testing.T) {
	t.Parallel()
	_, conn := testhotel.New(t, noSeededStays)
	got, err := properties.ListResources(conn, properties.ListResourcesParams{Names: []string{"203"}}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Name != "203" || got[0].Floor() != "2" {
		t.Errorf("got %+v", got)
	}
}

func TestListResourcesSplitsALongUpdatedUtcIntoWindows(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, noSeededStays)
	iv := mews.Interval(mewstest.SeedEpoch().AddDate(-1, 0, 0), mewstest.SeedEpoch())
	got, err := properties.ListResources(conn, properties.ListResourcesParams{UpdatedUtc: &iv}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Error("no room was updated in the last year of the seed")
	}
	if n := len(srv.RequestsFor("resources/getAll")); n != 4 {
		t.Errorf("%d requests, want 4 three-month windows", n)
	}
}

func TestListResourcesRejectsTooManyIDsWithoutSending(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, noSeededStays)
	_, err := properties.ListResources(conn, properties.ListResourcesParams{ResourceIDs: make([]string, 1001)}).Collect(context.Background())
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v", err)
	}
	if len(srv.Requests()) != 0 {
		t.Error("a request was sent")
	}
}

func TestListEnterprisesDecodesTheDocumentedExample(t *testing.T) {
	t.Parallel()
	conn, _ := newFixtureConnector(t, "enterprises_getall.json")
	got, err := properties.ListEnterprises(conn, properties.ListEnterprisesParams{}).Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	linked := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	if len(got) != 1 || got[0].Name != "Sample Portfolio Hotel" || got[0].LinkedUtc == nil || !got[0].LinkedUtc.Equal(linked) ||
		*got[0].TaxPrecision != 2 || got[0].EditableHistoryInterval != "" {
		b, _ := json.Marshal(got)
		t.Errorf("got %s", b)
	}
}

func TestAPortfolioTokenListsItsHotelsAndConfiguresEach(t *testing.T) {
	t.Parallel()
	_, conn := testhotel.NewFor(t, mewstest.PortfolioAccessToken, noSeededStays)
	ctx := context.Background()
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Enterprise.IsPortfolio {
		t.Error("a portfolio token's own configuration is not marked IsPortfolio")
	}
	hotels, err := properties.ListEnterprises(conn, properties.ListEnterprisesParams{}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, h := range hotels {
		c, err := properties.GetEnterpriseConfiguration(ctx, conn, h.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Enterprise.ID != h.ID || c.Enterprise.IsPortfolio {
			t.Errorf("configuration of %s describes %s", h.ID, c.Enterprise.ID)
		}
		names = append(names, c.Enterprise.Name)
	}
	if diff := cmp.Diff([]string{mewstest.EnterpriseName, mewstest.SecondEnterpriseName}, names); diff != "" {
		t.Errorf("hotels (-want +got):\n%s", diff)
	}
}

func TestGetConfigurationOfTheSeededHotel(t *testing.T) {
	t.Parallel()
	_, conn := testhotel.New(t, noSeededStays)
	cfg, err := properties.GetConfiguration(context.Background(), conn)
	if err != nil {
		t.Fatal(err)
	}
	e := cfg.Enterprise
	if e.ID != mewstest.EnterpriseID || e.Name != mewstest.EnterpriseName || e.TimeZoneIdentifier != mewstest.EnterpriseTimeZone ||
		e.DefaultCurrency() != "EUR" || e.IsPortfolio {
		t.Errorf("enterprise = %+v", e)
	}
}

func TestGetConfigurationOfARevokedTokenIsAnAuthenticationError(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t, noSeededStays)
	srv.Revoke(mewstest.AccessToken)
	if _, err := properties.GetConfiguration(context.Background(), conn); !errors.Is(err, mews.ErrInvalidAuthentication) {
		t.Errorf("err = %v, want ErrInvalidAuthentication", err)
	}
}

func TestIsRoom_ActiveSpacesWithoutAParent(t *testing.T) {
	t.Parallel()
	parent := "room-1"
	space := properties.ResourceData{Discriminator: properties.KindSpace}
	for _, tc := range []struct {
		name string
		r    properties.Resource
		want bool
	}{
		{"an active room", properties.Resource{IsActive: true, Data: space}, true},
		{"a deactivated room", properties.Resource{IsActive: false, Data: space}, false},
		{"a bed in a dormitory", properties.Resource{IsActive: true, ParentResourceID: &parent, Data: properties.ResourceData{Discriminator: properties.KindObject}}, false},
		{"a space inside another space", properties.Resource{IsActive: true, ParentResourceID: &parent, Data: space}, false},
		{"an object", properties.Resource{IsActive: true, Data: properties.ResourceData{Discriminator: properties.KindObject}}, false},
		{"a person", properties.Resource{IsActive: true, Data: properties.ResourceData{Discriminator: properties.KindPerson}}, false},
	} {
		if got := tc.r.IsRoom(); got != tc.want {
			t.Errorf("%s: IsRoom() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIsRoom_CountsTheSeededHotelsRooms(t *testing.T) {
	t.Parallel()
	srv, conn := testhotel.New(t)
	want := 0
	for _, r := range srv.Rooms() {
		if r.EnterpriseID == mewstest.EnterpriseID && r.IsActive && r.ParentID == "" {
			want++
		}
	}
	got := 0
	for r, err := range properties.ListResources(conn, properties.ListResourcesParams{IncludeInactive: true}).All(t.Context()) {
		if err != nil {
			t.Fatal(err)
		}
		if r.IsRoom() {
			got++
		}
	}
	if got != want {
		t.Errorf("%d rooms, want %d (active, beds excluded)", got, want)
	}
}
