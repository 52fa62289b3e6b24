// Package inbound is the channel manager's own half of the Mews Channel Manager API:
// the endpoints that Mews calls.
//
// Mews pushes inventory (updatePrices, updateAvailability, updateRestrictions),
// reservation groups and availability blocks created in Mews (processGroup,
// processAvailabilityBlock), the results of the channel manager's own group pushes
// (confirmGroup) and configuration changes (changeNotificaton, spelled as Mews spells
// it). Handler serves all of them as one http.Handler: it authenticates the clientToken
// in constant time, decodes each call into a typed request with exact amounts and civil
// dates, refuses malformed calls with code 6 before your code runs, and always answers
// HTTP 200 with the documented envelope. You implement Receiver, one method per
// operation.
//
// A method may process a push inline and return Done, or accept it with Async and
// send the result later with Confirm, which posts the matching confirmation
// (processRateConfirmation, …, processGroupConfirmation) as a channelmanager.Confirmation
// through the handle of the push's connection, with relatedMessageId set. Mews redelivers inventory pushes until they are accepted;
// WithDeduplication acknowledges a redelivery of an accepted message without applying
// it twice, and WithSerialConnections processes one connection's calls one at a time,
// in arrival order, since later values replace earlier ones.
//
// The clientToken travels in the body, so the Handler reads a body before it knows
// who sent it. It therefore reads each body under a deadline (DefaultBodyReadTimeout,
// WithBodyReadTimeout) and a cap per operation (DefaultMaxBodyBytes, WithMaxBodyBytes),
// refusing a declared length over the cap without reading it. Serve it with an
// http.Server that bounds headers and idle connections too (ReadHeaderTimeout,
// ReadTimeout, IdleTimeout), as examples/channel-manager-endpoint does.
//
// The mewstest package plays Mews against a Handler (mewstest.Server.NewEndpoint), for
// tests and for the example in examples/channel-manager-endpoint.
//
// A minimal endpoint:
//
//	type hotelInventory struct {
//		inbound.OptionalOperations // change notifications, blocks and groups: defaults
//		client *mews.Client
//	}
//
//	// confirm is what a worker calls once it applied (or refused) a queued push.
//	func (h *hotelInventory) confirm(ctx context.Context, req *inbound.PricesUpdate, applyErr error) error {
//		cm, err := h.client.ChannelManager(req.ConnectionToken.Reveal())
//		if err != nil {
//			return err
//		}
//		c := channelmanager.Confirmation{Success: applyErr == nil}
//		if applyErr != nil {
//			c.Errors = []mews.ErrorDetail{{Code: mews.CodeProcessing, Message: applyErr.Error()}}
//		}
//		return inbound.Confirm(ctx, cm, req, c)
//	}
//
//	func (h *hotelInventory) UpdatePrices(ctx context.Context, req *inbound.PricesUpdate) (inbound.Reply, error) {
//		for _, p := range req.RatePrices {
//			if !known(p.RatePlanCode) {
//				return inbound.Done, inbound.Reject(inbound.RateError(p.RatePlanCode, "Rate "+p.RatePlanCode+" is not mapped in the channel manager."))
//			}
//		}
//		queue(req) // a worker applies it, then calls h.confirm
//		return inbound.Async, nil
//	}
//	// … UpdateAvailability, UpdateRestrictions, ConfirmGroup
//
//	h, err := inbound.NewHandler(os.Getenv("MEWS_CLIENT_TOKEN"), &hotelInventory{client: client},
//		inbound.WithDeduplication(10_000))
//	mux := http.NewServeMux()
//	mux.Handle("/mews/", h) // Mews calls https://chm.example.com/mews/updatePrices, …
//	srv := &http.Server{Addr: ":8443", Handler: mux,
//		ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 15 * time.Second, IdleTimeout: time.Minute}
package inbound
