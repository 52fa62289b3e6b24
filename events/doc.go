// Package events receives Mews' real-time Connector events over its WebSocket: device
// commands (a key to cut), reservation, resource and price changes.
//
// Mews pushes events to wss://ws.mews.com/ws/connector (the environment's
// WebSocketURL), one socket per AccessToken, authenticated by the ClientToken and
// AccessToken as cookies. Events carry ids and states only, and Mews calls its
// WebSocket support limited: it documents no keep-alive and leaves reconnecting to the
// client. So a Client:
//
//   - pings every 30 s (WithPingInterval) so that proxies keep an idle socket open,
//     and treats a ping without a pong as a lost socket;
//   - reconnects after any loss with jittered, capped backoff (WithBackoff);
//   - calls your resync hook after every (re)connect, before the new socket's first
//     event, so that you catch up through the API on what happened without a socket
//     (reservations changed since your watermark, commands/getAllActive);
//   - never lets a slow consumer drop the socket: events wait in a bounded buffer, and
//     when it overflows they are replaced by a resync (Cause ErrBufferFull);
//   - passes event types it does not know on as Unknown, with their JSON;
//   - stops, with an error matching mews.ErrInvalidAuthentication, when Mews refuses
//     the tokens (401 or 403 on the upgrade); hand it to connection.Monitor.Report.
//
// A change feed with a lag (reservations.SyncOptions.Lag) reads only what is older than
// the lag, so a change made just before a reconnect is read by its next pass: keep
// running the feed periodically as well, not only from the hook.
//
// Tokens never appear in an error or a log line. Treat every event as a hint that may
// come twice or out of order: read the entity through the API before acting on it.
//
// Example, a Portal keeping door locks in step with reservations:
//
//	feed := reservations.Changes(hotel, watermark, reservations.SyncOptions{})
//	ev, err := events.New(hotel, events.WithResync(func(ctx context.Context, r events.Resync) error {
//		for res, err := range feed.All(ctx) { // what changed while no socket was open
//			if err != nil {
//				return err // the client calls the hook again after a backoff
//			}
//			updateLocks(res)
//		}
//		return nil
//	}))
//	if err != nil {
//		return err
//	}
//	defer ev.Close()
//	for e, err := range ev.Events(ctx) {
//		if err != nil {
//			return err // revoked token: errors.Is(err, mews.ErrInvalidAuthentication)
//		}
//		if r, ok := e.(events.Reservation); ok {
//			res, err := reservations.Get(ctx, hotel, r.ID) // the event is a hint: read it
//			if err != nil {
//				return err
//			}
//			updateLocks(*res)
//		}
//	}
package events
