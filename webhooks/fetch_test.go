package webhooks_test

import (
	"context"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
	"github.com/mewskit/mews-go/webhooks"
)

func TestFetchReservations_FetchesTheReservationsAWebhookNames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		client, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		conn, err := client.Connector(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		seeded := srv.Reservations()
		first, second := seeded[0].ID, seeded[len(seeded)-1].ID

		fetched := make(chan []reservations.Reservation, 1)
		process := func(ctx context.Context, m *webhooks.Message) error {
			rs, err := webhooks.FetchReservations(ctx, conn, *m)
			fetched <- rs
			return err
		}
		h, ep := start(t, hookURL, process)
		send(t, ep, mewstest.NewGeneralWebhook(
			mewstest.WebhookEvent{Discriminator: "ServiceOrderUpdated", ID: first},
			mewstest.WebhookEvent{Discriminator: "CustomerUpdated", ID: "not-a-reservation"},
			mewstest.WebhookEvent{Discriminator: "ServiceOrderUpdated", ID: second},
			mewstest.WebhookEvent{Discriminator: "ServiceOrderUpdated", ID: first},
		))
		_ = h.Shutdown(t.Context())

		var ids []string
		for _, r := range <-fetched {
			ids = append(ids, r.ID)
		}
		if diff := cmp.Diff([]string{first, second}, ids, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
			t.Errorf("fetched reservation ids (-want +got):\n%s", diff)
		}
		if n := len(srv.RequestsFor("reservations/getAll/2023-06-06")); n != 1 {
			t.Errorf("%d reservations/getAll requests, want 1", n)
		}
	})
}

func TestFetchReservations_SkipsTheRequestWithoutReservationEvents(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	client, _ := srv.NewClient()
	conn, _ := client.Connector(mewstest.AccessToken)
	m := &webhooks.Message{Events: []webhooks.Event{{Discriminator: webhooks.ResourceUpdated, Value: webhooks.EventValue{ID: "r"}}}}
	rs, err := webhooks.FetchReservations(t.Context(), conn, *m)
	if err != nil || len(rs) != 0 || len(srv.Requests()) != 0 {
		t.Errorf("got %v, %v after %d requests; want nothing and no request", rs, err, len(srv.Requests()))
	}
}
