// Package channelmanager is the Mews Channel Manager API as a channel manager calls
// it: everything it sends to Mews, and the types Mews and the channel manager
// exchange. The endpoints Mews calls on the channel manager are in package
// channelmanager/inbound, which shares these types.
//
// Every operation takes a handle first: a *mews.ChannelManager (one connection,
// client.ChannelManager(connectionToken)) as a mews.ChannelManagerCaller, or, for
// getProperties and getChannels, which concern no single connection, the *mews.Client
// as a mews.ChannelManagerClientCaller. Stub either interface in unit tests. A wrapper
// (for metrics, say) should embed the *mews.ChannelManager: the operations learn the
// environment's PCI-proxy push URLs and the connection (for ordering pushes) from it,
// and refuse to send a payment card without the push URL. Inputs are params structs
// passed by value; one object comes back as *T, many as []T.
//
//   - Discovery and configuration: GetProperties, GetChannels, GetConfiguration.
//   - Inventory: SetInventory (REPLACES every rate plan × space category mapping; an
//     empty list needs DeleteAllMappings) and RequestAriUpdate (Mews pushes
//     availability, prices and restrictions again, later, to the inbound endpoints).
//   - Bookings: ProcessGroup sends a reservation Group, the full state of a booking,
//     to Mews' reservation push URL; CancelGroup, Group.CancelAll and
//     Group.CancelReservations build cancellations.
//   - Availability blocks: ProcessAvailabilityBlock creates, updates or cancels one.
//   - Confirmations of Mews' pushes, one Confirmation type for all of them:
//     ConfirmPriceUpdate, ConfirmAvailabilityUpdate, ConfirmRestrictionUpdate,
//     ConfirmAvailabilityBlock and ConfirmGroup (inbound.Confirm picks the right one).
//
// Full-state pushes (ProcessGroup per booking, ProcessAvailabilityBlock per block,
// SetInventory per connection, a confirmation per confirmed message) are retried after a
// lost answer and ordered newest-wins: a push that starts while an older one for the
// same key is still being retried stops the older one, which returns ErrSuperseded.
//
// Blocks sent to Mews have exclusive end dates (like a departure date). Mews documents
// the end dates of the blocks it pushes as exclusive too, but its examples write one
// night as start = end; check with Mews which reading your connection gets. A block's
// status is spelled Created/Updated/Canceled towards Mews and Create/Update/Cancel in
// Mews' pushes; BlockStatus.IsCreate and friends accept both.
//
// Payment cards (PaymentCard) redact their number and CVV in every textual form; only
// ProcessGroup and ProcessAvailabilityBlock put them on the wire, to Mews' PCI proxy.
// Dates are mews.Date and money mews.Amount, so nothing is lost in a round trip; Mews'
// inconsistent spellings (numbers as strings, "phone" or "telephone", one object or a
// list) all decode.
//
// A channel manager pushes a booking:
//
//	cm, err := client.ChannelManager(connectionToken)
//	if err != nil {
//		return err
//	}
//	cfg, err := channelmanager.GetConfiguration(ctx, cm, channelmanager.ConfigurationExtent{IncludeAgeCategories: true})
//	if err != nil {
//		return err // errors.Is(err, mews.ErrConnectionNotFound): the connection was removed
//	}
//	messageID, err := channelmanager.ProcessGroup(ctx, cm, channelmanager.ProcessGroupParams{Group: booking(cfg)})
//	if err != nil {
//		return err // errors.Is(err, mews.ErrOperationDisabled): the property switched reservations off
//	}
//	log.Printf("booking sent as message %s; Mews confirms it later", messageID)
package channelmanager
