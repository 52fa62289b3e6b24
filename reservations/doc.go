// Package reservations reads and writes hotel reservations on both Mews APIs.
//
// Connector API side (an AccessToken, a *mews.Connector), for integrations that read
// a hotel's bookings, such as an access-control Portal:
//
//   - List (reservations/getAll, version 2023-06-06) with every filter Mews offers,
//     returning a *mews.Pager. The SDK follows the cursor, splits intervals longer than
//     Mews' three-month limit into windows (yielding a stay that spans two windows
//     once), asks for ids in chunks of 1000, and retries a page that timed out (408)
//     with fewer items.
//   - Get and GetMany by id.
//   - Changes, an incremental sync by UpdatedUtc with a persistable Watermark: no
//     change is skipped, and passes that complete never deliver one twice.
//
// Reservation is the full 2023-06-06 shape, with times in UTC and nullable fields as
// pointers; State tolerates the older spelling Enquired.
//
// Channel Manager API side (a connectionToken, a *mews.ChannelManager), for channel
// managers that deliver bookings to Mews:
//
//   - ProcessGroup (processGroup): sends a booking as a reservation Group — the full
//     state of every reservation, not a diff — to Mews' reservation push URL, and
//     returns the messageId that Mews' asynchronous confirmation refers to.
//   - CancelGroup builds the message that cancels a whole booking; Group.CancelAll and
//     Group.CancelReservations mark all or some of a group's reservations canceled
//     while keeping them in the message.
//   - ConfirmGroup (processGroupConfirmation): the channel manager's answer to a group
//     that Mews pushed to it, pairing its reservation codes with Mews' numbers.
//
// Example, the reservations staying in the hotel during the next year:
//
//	next := mews.Interval(time.Now(), time.Now().AddDate(1, 0, 0))
//	f := reservations.Filter{CollidingUtc: &next, States: []reservations.State{reservations.StateConfirmed, reservations.StateStarted}}
//	for r, err := range reservations.List(conn, f).All(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(r.Number, r.ScheduledStartUtc, r.State)
//	}
//
// Example, a channel manager cancels a booking it had sent:
//
//	cm, _ := client.ChannelManager(connectionToken)
//	msgID, err := reservations.ProcessGroup(ctx, cm, reservations.CancelGroup("BK-4711", "CM-4711"))
//	if err != nil {
//		return err // errors.Is(err, mews.ErrOperationDisabled): the property switched reservations off
//	}
//	log.Printf("cancellation sent as message %s; Mews confirms it later", msgID)
package reservations
