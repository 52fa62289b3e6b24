// Package mews is a Go client for the two Mews property-management APIs: the Connector
// API (hotel data for integrations such as door locks) and the Channel Manager API
// (availability, rates and bookings between Mews and a channel manager).
//
// One Client holds what is the same for every hotel — the ClientTokens, the client
// name, the environment, retries, rate limits and logging. Each hotel connection is a
// cheap handle on it: Connector for an AccessToken, ChannelManager for a
// connectionToken. Every call goes through one pipeline that merges the credentials
// into the JSON body, limits the rate per AccessToken (200 requests per 30 s by
// default), retries only what is safe to repeat, and turns Mews' answers into
// *APIError values that match sentinels such as ErrInvalidAuthentication.
//
// The operations live in sub-packages (reservations, pins, properties, ari,
// connection); Connector.Do and ChannelManager.Do reach any other operation through
// the same pipeline. Package mewstest is an in-process fake Mews for tests and demos.
//
//	client, err := mews.NewClient(
//		mews.WithEnvironment(mews.Demo()),
//		mews.WithClientToken(os.Getenv("MEWS_CLIENT_TOKEN")),
//		mews.WithClientName("Acme Doors 1.0.0"),
//	)
//	if err != nil {
//		return err
//	}
//	hotel, err := client.Connector(pastedAccessToken) // trims stray spaces and line breaks
//	if err != nil {
//		return err // empty or malformed: nothing was sent
//	}
//	var out struct{ Enterprise struct{ Name string } }
//	err = hotel.Do(ctx, mews.Operation{Name: "configuration/get", Safety: mews.Read}, nil, &out)
//	if errors.Is(err, mews.ErrInvalidAuthentication) {
//		// the token was revoked: show the connection as Broken
//	}
package mews
