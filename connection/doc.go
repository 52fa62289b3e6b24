// Package connection tells whether Mews connections work, and keeps telling.
//
// A hotel system such as a door-lock Portal holds one Mews token per property: a
// Connector AccessToken or a Channel Manager connectionToken. Staff paste it once and
// expect the integration to show Connected, and to show Broken as soon as the property
// revokes or regenerates it. This package provides the three pieces for that:
//
//   - Validate (a Connector handle) and ValidateChannelManager (a Channel Manager
//     handle) check one connection now, for the connect form: Connected with the
//     enterprise (configuration/get) or property (getConfiguration); Broken when Mews
//     rejects the token (Connector 401, Channel Manager code 8 or 3); undecided, with
//     the error, when Mews could not be asked (rate limit, timeout, 5xx, network).
//     They take the handle interfaces, so a stub answers them in your tests.
//   - Monitor re-checks thousands of connections (Credentials) periodically with a
//     fixed pool of workers, one scheduler goroutine and one timer, and reports status
//     changes (Unknown, Connected, Degraded, Broken) as events and snapshots. NewMonitor
//     takes functional options (WithInterval, WithOnEvent, …), each validated.
//   - Monitor.WebhookHandler receives Mews integration webhooks, so a disabled, canceled
//     or deleted integration turns Broken at once and a regenerated key is picked up
//     without a restart.
//
// A Connector 401 can also mean "no permission for this endpoint"; so only
// configuration/get decides Broken. Report an error from your own calls to have it
// confirmed. A wrong or revoked client token makes every token look rejected: when
// Mews rejects (nearly) all connections of an API and accepts none, the Monitor reports
// one ClientEvent instead of thousands of Broken connections, keeps their statuses, and
// re-checks with backoff until the client token works again.
//
// Example, the connect form and the status page:
//
//	conn, err := client.Connector(pasted)
//	if err != nil {
//		return err // show inline: the paste was empty
//	}
//	res, err := connection.Validate(ctx, conn)
//	switch {
//	case err != nil:
//		return err
//	case res.Status == connection.Connected:
//		fmt.Println("Connected to", res.Enterprise.Name)
//	case res.Status == connection.Broken:
//		fmt.Println("Mews rejected the token:", res.Reason)
//	default:
//		fmt.Println("Mews could not be reached, try again:", res.Reason)
//	}
//
//	m, err := connection.NewMonitor(client, connection.WithInterval(time.Minute),
//		connection.WithOnEvent(func(ev connection.Event) { log.Println(ev.Key, ev.Status) }))
package connection
