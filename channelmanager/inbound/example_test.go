package inbound_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/mewstest"
)

// availabilityOnly applies availability pushes and refuses an unknown room type with
// the documented category error; it accepts prices, restrictions and booking
// confirmations without looking at them.
type availabilityOnly struct{ inbound.OptionalOperations }

func (availabilityOnly) UpdatePrices(context.Context, *inbound.PricesUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

func (availabilityOnly) UpdateRestrictions(context.Context, *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

func (availabilityOnly) ConfirmGroup(context.Context, *inbound.BookingConfirmation) error { return nil }

func (availabilityOnly) UpdateAvailability(_ context.Context, req *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	for _, a := range req.Availabilities {
		if a.SpaceTypeCode != "DBL" {
			return inbound.Done, inbound.Reject(inbound.CategoryError(a.SpaceTypeCode, "Space category "+a.SpaceTypeCode+" is not mapped in the channel manager."))
		}
		fmt.Printf("%s: %d free from %s to %s\n", a.SpaceTypeCode, a.Availability, a.From, a.To)
	}
	return inbound.Done, nil
}

func ExampleNewHandler() {
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, availabilityOnly{})
	if err != nil {
		panic(err)
	}
	// mewstest plays Mews; in production, serve h under the URL registered with Mews.
	srv := mewstest.NewServer(mewstest.WithInProcess())
	fakeMews := srv.NewEndpoint("https://chm.example/mews", mewstest.WithEndpointHandler(h))

	for _, code := range []string{"DBL", "SUITE"} {
		d, _ := fakeMews.Push(context.Background(), "updateAvailability", map[string]any{
			"availabilities": []map[string]any{{"spaceTypeCode": code, "from": "2026-12-24", "to": "2026-12-26", "availability": 3}},
		})
		if d.Accepted {
			fmt.Println("accepted")
			continue
		}
		for _, e := range d.Errors {
			fmt.Printf("refused: %v, category %s: %s\n", e.Code, e.CategoryCode, e.Message)
		}
	}
	// Output:
	// DBL: 3 free from 2026-12-24 to 2026-12-26
	// accepted
	// refused: category error (10), category SUITE: Space category SUITE is not mapped in the channel manager.
}
