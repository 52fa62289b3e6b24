// Package reservations reads hotel reservations through the Mews Connector API (an
// AccessToken, a *mews.Connector), for integrations such as an access-control Portal:
//
//   - List (reservations/getAll, version 2023-06-06) with every filter Mews offers in
//     ListParams, returning a *mews.Pager. The SDK follows the cursor, splits intervals
//     longer than Mews' three-month limit into windows (yielding a stay that spans two
//     windows once), asks for ids in chunks of 1000, and asks again with fewer items
//     when a page timed out (408).
//   - Get and GetMany by id.
//   - Changes, an incremental sync by UpdatedUtc with a persistable Watermark: no
//     change is skipped, and passes that complete never deliver one twice.
//
// Reservation is the full 2023-06-06 shape, with times in UTC and nullable fields as
// pointers; State tolerates the older spelling Enquired.
//
// Every operation takes a context, a mews.ConnectorCaller (a *mews.Connector, or a stub
// in your tests), then its input: a params struct when it has settings, otherwise the
// ids it reads. One reservation comes back as *Reservation, several as []Reservation,
// a listing as a *mews.Pager[Reservation].
//
// Example, the reservations staying in the hotel during the next year:
//
//	next := mews.Interval(time.Now(), time.Now().AddDate(1, 0, 0))
//	p := reservations.ListParams{CollidingUtc: &next, States: []reservations.State{reservations.StateConfirmed, reservations.StateStarted}}
//	for r, err := range reservations.List(conn, p).All(ctx) {
//		if err != nil {
//			return err
//		}
//		fmt.Println(r.Number, r.ScheduledStartUtc, r.State)
//	}
//
// Example, a change feed resumed from a stored watermark:
//
//	feed := reservations.Changes(conn, saved, reservations.ChangesParams{Filter: reservations.ListParams{PageSize: 1000}})
//	for r, err := range feed.All(ctx) { … }
//	saved = feed.Watermark()
package reservations
