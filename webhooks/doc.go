// Package webhooks receives Mews Connector General Webhooks: messages saying which
// entities of an enterprise changed (ServiceOrderUpdated for reservations,
// ResourceUpdated, CustomerUpdated, …), by id only.
//
// Mews posts each message to the one URL registered for the integration, with a secret
// token of your choice in the query string (there is no signature), and wants an
// answer within 5 seconds. Handler checks the token in constant time, queues the
// message and answers 202 at once; a bounded pool of workers runs your function with
// its own deadline. When the queue is full it answers 503 and Mews re-sends later.
// FetchReservations turns a message's reservation events into reservations; like every
// Connector operation it takes a context, a mews.ConnectorCaller and its input (the
// message, by value), and returns several results as a slice. When Mews
// also sends Integration Webhooks to this URL, WithIntegrationWebhooks passes them on
// (for example to connection.Monitor.WebhookHandler). A body must arrive within
// DefaultBodyReadTimeout and fit in DefaultMaxBodyBytes (WithBodyReadTimeout,
// WithMaxBodyBytes); serve the Handler with an http.Server that sets ReadHeaderTimeout,
// ReadTimeout and IdleTimeout as well.
//
//	h, err := webhooks.NewHandler(os.Getenv("MEWS_WEBHOOK_TOKEN"), func(ctx context.Context, m *webhooks.Message) error {
//		conn := connectorFor(m.EnterpriseID) // the *mews.Connector of that hotel
//		changed, err := webhooks.FetchReservations(ctx, conn, *m)
//		if err != nil {
//			return err
//		}
//		return store(ctx, changed)
//	})
//	http.Handle("/mews/webhooks", h) // registered as https://example.com/mews/webhooks?Token=…
//	defer h.Shutdown(context.Background())
package webhooks
