package webhooks_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/webhooks"
)

func ExampleNewHandler() {
	h, err := webhooks.NewHandler("my-webhook-secret", func(ctx context.Context, m *webhooks.Message) error {
		fmt.Println("changed reservations:", m.ReservationIDs())
		return nil // here: webhooks.FetchReservations(ctx, connectorFor(m.EnterpriseID), *m)
	})
	if err != nil {
		panic(err)
	}
	// mewstest plays Mews; in production, serve h at the URL registered with Mews.
	srv := mewstest.NewServer(mewstest.WithInProcess())
	fakeMews := srv.NewEndpoint("https://chm.example/mews/webhooks?Token=my-webhook-secret", mewstest.WithEndpointHandler(h))
	d, _ := fakeMews.SendWebhook(context.Background(), mewstest.NewGeneralWebhook(
		mewstest.WebhookEvent{Discriminator: "ServiceOrderUpdated", ID: "r-1"},
		mewstest.WebhookEvent{Discriminator: "CustomerUpdated", ID: "c-1"},
	))
	fmt.Println("answered", d.Status)
	_ = h.Shutdown(context.Background()) // waits for the queued message
	// Unordered output:
	// answered 202
	// changed reservations: [r-1]
}
