// Package reservations reads a hotel's reservations through the Mews Connector API (an
// AccessToken, a *mews.Connector), for integrations such as an access-control Portal.
// Channel managers, which deliver bookings to Mews, use package channelmanager instead.
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
package reservations
