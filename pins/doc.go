// Package pins stores guests' door credentials — PIN codes and RFID tags — on Mews
// reservations, where Mews calls them "resource access tokens"
// (resourceAccessTokens/getAll, add, update, delete).
//
// One type, Credential, describes a credential both ways; the wire differences
// (permissions and updated values wrapped as {"Value": x} in requests, plain in
// responses) stay inside the package. Every credential is validated before anything is
// sent, and invalid input fails with a *mews.InputError.
//
// Set is the call an access-control Portal makes for each reservation: it updates the
// reservation's credential in place, or adds one, and removes stale ones and twins.
// Mews has no idempotency keys, so after an add that may or may not have reached Mews,
// Set keeps looking for the credential for a settle period (SetParams.Settle, default
// DefaultSettle) before it adds again, since a gateway may time out on an add that Mews
// stores a moment later. A commit later than that can still leave a twin; the next Set
// removes it, keeping the oldest, so calling Set again converges to exactly one active
// credential.
//
//	r, _ := reservations.Get(ctx, conn, reservationID)
//	pin, err := pins.Set(ctx, conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, "4711")})
//
// Clear deletes a reservation's credentials when it is canceled or checked out. List
// pages through credentials by reservation, id or validity interval (ListParams); Add,
// Update and Delete send batches of any size in chunks of 1000.
//
// Every operation takes a context, a mews.ConnectorCaller (a *mews.Connector, or a stub
// in your tests), then its input: a params struct when it has settings (List, Set),
// otherwise the credentials or ids it works on. One credential comes back as
// *Credential, several as []Credential, a listing as a *mews.Pager[Credential].
package pins
