// Package mewstest is an in-process fake Mews for tests, examples and demos. It speaks
// both APIs as Mews documents them: Connector (PascalCase bodies, HTTP status codes,
// 401 for rejected tokens, 429 with Retry-After past 200 requests per AccessToken in
// any 30 s) and Channel Manager (lowerCamelCase bodies, HTTP 200 envelopes, code 8 for
// rejected tokens, code 3 for deactivated connections).
//
// It is seeded with the credentials in this package's constants, a hotel (rooms on
// several floors, months of reservations in every state, see SeedEpoch) and a Channel
// Manager property with rate plans, space categories and channels. It serves the
// Connector operations the SDK wraps (configuration, enterprises, resources,
// reservations, resource access tokens) and all twelve Mews-side Channel Manager
// operations, validating requests the way Mews does.
//
//	srv := mewstest.NewServer(mewstest.WithInProcess()) // no sockets; works in synctest
//	client, _ := srv.NewClient()                    // seeded client tokens, in-process transport
//	hotel, _ := client.Connector(mewstest.AccessToken)
//	srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", ResetAfterProcessing: true})
//	srv.Revoke(mewstest.AccessToken) // the next call gets 401
//
// What tests can do with it:
//   - tokens: Revoke, Restore, Rotate, Deactivate, AddAccessToken, AddConnection;
//   - data: AddReservation, UpdateReservation, AddRoom and readers such as Reservations,
//     ActiveResourceAccessTokens, Group, Groups, Block and InventoryMappings;
//   - faults: InjectFault (statuses with Retry-After, delays, refused connections,
//     connections dropped before or after processing, truncated, HTML or empty bodies,
//     and CommitAfter: an error at once and the write stored later anyway) and
//     SetRateLimit;
//   - WebSocket events: /ws/connector (WebSocketPath) checks the cookie tokens (401 for
//     revoked ones), sends a Reservation event for every AddReservation and
//     UpdateReservation and a Resource event for AddRoom and UpdateRoom; SendEvents sends
//     any other; SetWebSocketFaults refuses upgrades, delays or duplicates messages;
//     DropWebSockets drops every socket. It works through Transport (over net.Pipe, so
//     inside synctest bubbles) and on the listener;
//   - devices and commands: a key cutter (KeyCutterID) and a printer (devices/getAll);
//     AddKeyCutterCommand queues a key as the front desk does, AddCommand and
//     UpdateCommand steer commands in any state, and commands/getAllActive (Pending
//     and Received only, like Mews), getAllByIds, update and addKeyCutter are served;
//     every command change sends a DeviceCommand event, and Command().Updates records
//     each accepted commands/update;
//   - recording: Requests and RequestsFor;
//   - extension: HandleConnector and HandleChannelManager serve operations it does not
//     know yet;
//   - Mews calling you: NewEndpoint pushes inventory updates, groups, blocks,
//     confirmations, General Webhooks and integration webhooks to your handler,
//     redelivers until accepted like Mews, and records every answer.
package mewstest
