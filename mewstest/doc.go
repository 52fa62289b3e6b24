// Package mewstest is an in-process fake Mews for tests, examples and demos. It speaks
// both APIs as Mews documents them: Connector (PascalCase bodies, HTTP status codes,
// 401 for rejected tokens, 429 with Retry-After past 200 requests per AccessToken in
// any 30 s) and Channel Manager (lowerCamelCase bodies, HTTP 200 envelopes, code 8 for
// rejected tokens, code 3 for deactivated connections). It is seeded with a hotel and
// the credentials in this package's constants, can revoke, restore and rotate tokens,
// injects faults (statuses, delays, dropped connections before or after processing,
// truncated, HTML or empty bodies) and records every request.
//
//	srv := mewstest.NewServer()
//	defer srv.Close()
//	client, _ := srv.NewClient() // in-process transport, seeded client tokens
//	hotel, _ := client.Connector(mewstest.AccessToken)
//	srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", ResetAfterProcessing: true})
//
// Use NewServer(InProcess()) inside testing/synctest bubbles; HandleConnector and
// HandleChannelManager add operations the server does not serve yet.
package mewstest
