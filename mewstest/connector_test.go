package mewstest_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/months"
	"github.com/mewskit/mews-go/mewstest"
)

func connectorFor(t *testing.T, token string) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	// A month of stays either side of SeedEpoch: the tests through here need a few
	// reservations, and the default eighteen months has its own test.
	srv := mewstest.NewServer(mewstest.WithInProcess(), mewstest.WithSeedMonths(1, 1))
	t.Cleanup(srv.Close)
	conn, err := srv.Connector(token, mews.WithoutRateLimit(), mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

func TestConnectorOperationsValidateLikeMews(t *testing.T) {
	t.Parallel()
	day := mewstest.SeedEpoch()
	interval := func(n int) map[string]string {
		return map[string]string{"StartUtc": day.Format(time.RFC3339), "EndUtc": months.Add(day, n).Add(time.Second).Format(time.RFC3339)}
	}
	lim := map[string]int{"Count": 10}
	for _, tc := range []struct {
		name, op string
		body     map[string]any
		field    string
	}{
		{"count zero", "reservations/getAll/2023-06-06", map[string]any{"Limitation": map[string]int{"Count": 0}}, "Limitation.Count"},
		{"count above 1000", "resources/getAll", map[string]any{"Extent": map[string]bool{"Resources": true}, "Limitation": map[string]int{"Count": 1001}}, "Limitation.Count"},
		{"no limitation", "reservations/getAll/2023-06-06", map[string]any{}, "Limitation"},
		{"interval over three months", "reservations/getAll/2023-06-06", map[string]any{"UpdatedUtc": interval(3), "Limitation": lim}, "UpdatedUtc"},
		{"colliding over three months", "resourceAccessTokens/getAll", map[string]any{"CollidingUtc": interval(3), "Limitation": lim}, "CollidingUtc"},
		{"scheduled and actual start", "reservations/getAll/2023-06-06", map[string]any{"ScheduledStartUtc": interval(1), "ActualStartUtc": interval(1), "Limitation": lim}, "ActualStartUtc"},
		{"misspelt filter", "reservations/getAll/2023-06-06", map[string]any{"ReservationId": []string{"x"}, "Limitation": lim}, "JSON"},
		{"unknown cursor", "reservations/getAll/2023-06-06", map[string]any{"Limitation": map[string]any{"Count": 1, "Cursor": "00000000-0000-4000-8000-000000000000"}}, "Limitation.Cursor"},
		{"tokens without a filter", "resourceAccessTokens/getAll", map[string]any{"Limitation": lim}, "ResourceAccessTokenIds"},
		{"token for an unknown reservation", "resourceAccessTokens/add", map[string]any{"ResourceAccessTokenParameters": []map[string]any{{
			"ServiceOrderId": "00000000-0000-4000-8000-00000000dead", "Type": "PinCode", "Value": "1",
			"ValidityStartUtc": "2026-01-01T00:00:00Z", "ValidityEndUtc": "2026-01-02T00:00:00Z", "Permissions": map[string]any{},
		}}}, "ServiceOrderId"},
		{"plain boolean permissions in a request", "resourceAccessTokens/add", map[string]any{"ResourceAccessTokenParameters": []map[string]any{{
			"ServiceOrderId": "x", "Type": "PinCode", "Value": "1",
			"ValidityStartUtc": "2026-01-01T00:00:00Z", "ValidityEndUtc": "2026-01-02T00:00:00Z", "Permissions": map[string]any{"Room": true},
		}}}, "JSON"},
		{"delete of an unknown token", "resourceAccessTokens/delete", map[string]any{"Ids": []string{"nope"}}, "Ids"},
		{"resources without extent", "resources/getAll", map[string]any{"Limitation": lim}, "Extent"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, conn := connectorFor(t, mewstest.AccessToken)
			err := conn.CallConnector(context.Background(), mews.Operation{Name: tc.op}, tc.body, nil)
			var apiErr *mews.APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest || !strings.Contains(apiErr.Message, "Invalid "+tc.field) {
				t.Errorf("err = %v, want a 400 whose message names %s", err, tc.field)
			}
		})
	}
}

func TestConnectorTokenValueLengthIsCheckedByTheServer(t *testing.T) {
	t.Parallel()
	srv, conn := connectorFor(t, mewstest.AccessToken)
	res := srv.Reservations()[0]
	add := func(value string) error {
		return conn.CallConnector(context.Background(), mews.Operation{Name: "resourceAccessTokens/add", Safety: mews.Write}, map[string]any{
			"ResourceAccessTokenParameters": []map[string]any{{
				"ServiceOrderId": res.ID, "Type": "RfidTag", "Value": value,
				"ValidityStartUtc": "2026-01-01T00:00:00Z", "ValidityEndUtc": "2026-01-02T00:00:00Z", "Permissions": map[string]any{},
			}},
		}, nil)
	}
	if err := add(strings.Repeat("x", 256)); !errors.Is(err, mews.ErrValidation) {
		t.Errorf("256 characters: err = %v, want a 400", err)
	}
	if err := add(strings.Repeat("x", 255)); err != nil {
		t.Errorf("255 characters: %v", err)
	}
	if err := add(strings.Repeat("x", 255)); err != nil { // no idempotency: stored again
		t.Errorf("255 characters again: %v", err)
	}
	if n := len(srv.ActiveResourceAccessTokens(res.ID)); n != 2 {
		t.Errorf("%d tokens stored, want 2: add is not idempotent", n)
	}
}

func TestSeededHotelHasRoomsOnEveryFloorAndReservationsInEveryState(t *testing.T) {
	t.Parallel()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	floors := map[string]bool{}
	for _, r := range srv.Rooms() {
		floors[r.Floor] = true
	}
	if len(floors) != mewstest.Floors {
		t.Errorf("floors %v", floors)
	}
	states := map[string]int{}
	first, last := srv.Reservations()[0].ScheduledStartUtc, srv.Reservations()[0].ScheduledStartUtc
	for _, r := range srv.Reservations() {
		states[r.State]++
		first, last = minTime(first, r.ScheduledStartUtc), maxTime(last, r.ScheduledStartUtc)
	}
	for _, s := range []string{"Inquired", "Confirmed", "Started", "Processed", "Canceled", "Optional", "Requested"} {
		if states[s] == 0 {
			t.Errorf("no reservation in state %s", s)
		}
	}
	if months := last.Sub(first).Hours() / 24 / 30; months < 12 {
		t.Errorf("reservations span %.0f months, want many", months)
	}
	again := mewstest.NewServer(mewstest.WithInProcess())
	defer again.Close()
	if a, b := srv.Reservations()[100], again.Reservations()[100]; a != b {
		t.Errorf("two servers hold different seeds: %+v vs %+v", a, b)
	}
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func TestAddedRoomsAndReservationsAreServed(t *testing.T) {
	t.Parallel()
	srv, conn := connectorFor(t, mewstest.AccessToken)
	room := srv.AddRoom(mewstest.Room{Name: "601", Floor: "6", IsActive: true})
	res := srv.AddReservation(mewstest.Reservation{
		RoomID: room.ID, State: "Started",
		ScheduledStartUtc: mewstest.SeedEpoch(), ScheduledEndUtc: mewstest.SeedEpoch().AddDate(0, 0, 2),
		CreatedUtc: mewstest.SeedEpoch().AddDate(0, 0, -10),
	})
	var rooms struct{ Resources []struct{ Id, Name string } }
	err := conn.CallConnector(context.Background(), mews.Operation{Name: "resources/getAll"}, map[string]any{
		"Extent": map[string]bool{"Resources": true}, "Names": []string{"601"}, "Limitation": map[string]int{"Count": 10},
	}, &rooms)
	if err != nil || len(rooms.Resources) != 1 || rooms.Resources[0].Id != room.ID {
		t.Errorf("rooms = %+v, %v", rooms, err)
	}
	var got struct {
		Reservations []struct{ Id, State, AssignedResourceId string }
	}
	err = conn.CallConnector(context.Background(), mews.Operation{Name: "reservations/getAll/2023-06-06"}, map[string]any{
		"ReservationIds": []string{res.ID}, "Limitation": map[string]int{"Count": 10},
	}, &got)
	if err != nil || len(got.Reservations) != 1 || got.Reservations[0].State != "Started" || got.Reservations[0].AssignedResourceId != room.ID {
		t.Errorf("reservations = %+v, %v", got, err)
	}
	if res.Number == "" || res.UpdatedUtc != res.CreatedUtc {
		t.Errorf("defaults not filled: %+v", res)
	}
}
