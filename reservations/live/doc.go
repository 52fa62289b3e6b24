// Package live keeps a Portal's view of reservations and their rooms current in real
// time: from Mews' WebSocket events, with the change feed as the fallback and a
// periodic full reconciliation.
//
// Events carry ids and states only, may come twice or out of order, and are lost while
// no socket is open. So a Sync never trusts one: a Reservation event makes it read
// the reservation through the API, a Resource event makes it read the reservations it
// holds in that room, and only a read that is newer than the view's entry and changes
// the stay (state, room, dates) calls your Handler. Duplicates and stale events cost a
// read and change nothing. What events miss, the change feed (reservations.Changes)
// picks up: Resync runs a pass after every (re)connect and a follow-up pass once the
// feed's lag has passed (a pass reads only changes older than the lag), and Run runs a
// pass every minute and reconciles the next week of stays every hour.
//
// The package lives beside reservations and calls only its public functions (List,
// GetMany, Changes), through one adapter (source.go).
//
// Example, a Portal moving PINs with the guests:
//
//	sync, err := live.New(hotel, func(ctx context.Context, c live.Change) error {
//		return movePIN(ctx, c.Reservation, c.Before, c.After) // your door logic
//	})
//	if err != nil {
//		return err
//	}
//	defer sync.Close()
//	ev, err := events.New(hotel, events.WithResync(sync.Resync))
//	if err != nil {
//		return err
//	}
//	defer ev.Close()
//	go sync.Run(ctx) // feed fallback, follow-ups and reconciliation
//	for e, err := range ev.Events(ctx) {
//		if err != nil {
//			return err
//		}
//		if err := sync.Handle(ctx, e); err != nil {
//			log.Print(err) // the feed reads the reservation again
//		}
//	}
package live
