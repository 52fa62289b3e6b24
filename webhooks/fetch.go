package webhooks

import (
	"context"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// FetchReservations returns the reservations that m reports as changed
// (ServiceOrderUpdated events), fetched through the Connector in any state, since a
// webhook carries only ids. conn must be a Connector for m.EnterpriseID (route by
// EnterpriseId to the AccessToken of that hotel). Ids that Mews no longer returns are
// left out; a message without reservation events costs no request.
func FetchReservations(ctx context.Context, conn *mews.Connector, m *Message) ([]reservations.Reservation, error) {
	if conn == nil || m == nil {
		return nil, &mews.InputError{Operation: "webhooks.FetchReservations", Field: "connector and message", Reason: "must not be nil"}
	}
	return reservations.GetMany(ctx, conn, m.ReservationIDs())
}
