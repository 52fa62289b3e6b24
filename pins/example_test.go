package pins_test

import (
	"context"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/reservations"
)

// A Portal pushes a guest's door PIN to Mews. Set adds it, or updates the one already
// there; even when the connection drops after Mews stored it, the reservation ends
// with exactly one PIN.
func ExampleSet() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	conn, _ := srv.Connector(mewstest.AccessToken, mews.WithoutRateLimit())
	ctx := context.Background()

	id := srv.Reservations()[6000].ID
	r, err := reservations.Get(ctx, conn, id)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	srv.InjectFault(mewstest.Fault{Operation: "resourceAccessTokens/add", ResetAfterProcessing: true})
	pin, err := pins.Set(ctx, conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, "4711")})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println(pin.Type, "valid from", pin.ValidityStartUtc.Format("2006-01-02 15:04"), "to", pin.ValidityEndUtc.Format("2006-01-02 15:04"))

	pin, _ = pins.Set(ctx, conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, "0815")}) // the guest asked for a new PIN
	fmt.Println("active PINs:", len(srv.ActiveResourceAccessTokens(id)), "value:", srv.ActiveResourceAccessTokens(id)[0].Value == pin.Value)
	// Output:
	// PinCode valid from 2026-03-07 14:00 to 2026-03-08 11:00
	// active PINs: 1 value: true
}
