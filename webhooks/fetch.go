package webhooks

import (
	"context"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// FetchReservations returns the reservations that m reports as changed
// (ServiceOrderUpdated events), fetched through the Connector in any state, since a
// webhook carries only ids. h must be the Connector of m.EnterpriseID (route by
// EnterpriseId to the AccessToken of that hotel). Ids that Mews no longer returns are
// left out; a message without reservation events costs no request.
func FetchReservations(ctx context.Context, h mews.ConnectorCaller, m Message) ([]reservations.Reservation, error) {
	if h == nil {
		return nil, &mews.InputError{Operation: "webhooks.FetchReservations", Field: "handle", Reason: "is nil; pass the *mews.Connector of the message's enterprise"}
	}
	return reservations.GetMany(ctx, h, m.ReservationIDs())
}
