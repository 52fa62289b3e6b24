// Package mews is a Go client for the two Mews property-management APIs: the Connector
// API (hotel data for integrations such as door locks) and the Channel Manager API
// (availability, rates and bookings between Mews and a channel manager).
//
// One Client holds what is the same for every hotel — the ClientTokens, the client
// name, the environment, retries, rate limits and logging — configured by validated
// options whose order does not matter. Each hotel connection is a cheap handle on it:
// Connector for an AccessToken, ChannelManager for a connectionToken, each with its
// own HandleOptions (WithLanguage, WithPriority). Every call goes through one pipeline
// that merges the credentials into the JSON body, limits the rate per AccessToken (200
// requests per 30 s by default), retries only what is safe to repeat (see Safety), and
// turns Mews' answers into *APIError values that match sentinels such as
// ErrInvalidAuthentication.
//
// The operations live in sub-packages (reservations, pins, properties, connection,
// and the Channel Manager's own tree). They take the handle interfaces
// ConnectorCaller, ChannelManagerCaller and ChannelManagerClientCaller, so that your
// unit tests can stub them; CallConnector and CallChannelManager also reach any
// operation the SDK does not wrap yet. Package mewstest is an in-process fake Mews
// for tests and demos.
//
//	client, err := mews.NewClient(
//		mews.WithEnvironment(mews.Demo()),
//		mews.WithClientToken(os.Getenv("MEWS_CLIENT_TOKEN")),
//		mews.WithClientName("Acme Doors 1.0.0"),
//	)
//	if err != nil {
//		return err // an *InputError naming the refused option
//	}
//	hotel, err := client.Connector(pastedAccessToken, mews.WithLanguage("en-US", "en-US"))
//	if err != nil {
//		return err // empty or malformed: nothing was sent
//	}
//	var out struct{ Enterprise struct{ Name string } }
//	err = hotel.CallConnector(ctx, mews.Operation{Name: "configuration/get", Safety: mews.Read}, nil, &out)
//	if errors.Is(err, mews.ErrInvalidAuthentication) {
//		// the token was revoked: show the connection as Broken
//	}
//
// The command in the repository's mews/ folder has the same name as this package, so
// inside the repository "go doc mews.Client" finds the command; name the package by
// its import path instead: go doc github.com/mewskit/mews-go.Client.
package mews
