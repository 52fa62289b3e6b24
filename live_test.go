//go:build live

// The live check talks to the real, public Mews demo environment. It never runs in the
// ordinary test suite; run it by hand with
//
//	go test -tags live -run Live -v .
//
// It uses the demo credentials that Mews publishes for everyone (override them with
// MEWS_CLIENT_TOKEN and MEWS_ACCESS_TOKEN). The shared demo may answer 429 when many
// developers test at once.

package mews_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// envOr returns the variable's value, or def when it is unset.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func TestLiveDemoConnectorConfigurationAndReservations(t *testing.T) {
	client, err := mews.NewClient(
		mews.WithEnvironment(mews.Demo()),
		// Mews' published demo credentials (gross pricing enterprise).
		mews.WithClientToken(envOr("MEWS_CLIENT_TOKEN", "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D")),
		mews.WithClientName("mews-go live check "+mews.Version),
	)
	if err != nil {
		t.Fatal(err)
	}
	hotel, err := client.Connector(envOr("MEWS_ACCESS_TOKEN", "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	cfg, err := properties.GetConfiguration(ctx, hotel)
	if err != nil {
		t.Fatalf("configuration/get: %v", err)
	}
	if cfg.Enterprise.ID == "" || cfg.Enterprise.Name == "" {
		t.Fatalf("enterprise without id or name: %+v", cfg.Enterprise)
	}
	t.Logf("connected: %s (%s)", cfg.Enterprise.Name, cfg.Enterprise.ID)

	week := mews.Interval(time.Now(), time.Now().Add(7*24*time.Hour))
	n := 0
	for r, err := range reservations.List(hotel, reservations.Filter{CollidingUtc: &week}).PageSize(100).All(ctx) {
		if err != nil {
			t.Fatalf("reservations/getAll: %v", err)
		}
		if r.ID == "" {
			t.Fatalf("reservation without id: %+v", r)
		}
		if n++; n == 100 {
			break
		}
	}
	t.Logf("%d reservations this week (first 100 at most)", n)
}
