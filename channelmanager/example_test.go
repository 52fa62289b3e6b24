package channelmanager_test

import (
	"context"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/mewstest"
)

// A channel manager sets aside ten double rooms for a wedding, then cancels the block
// with the confirmation number Mews gave it. The example runs against the in-process
// fake Mews, which serves the availability block push URL of a custom environment.
func ExampleProcessAvailabilityBlock() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	start := mews.NewDate(2025, 6, 20)
	end := start.AddDays(3) // exclusive, like a departure date: three nights
	price, _ := mews.ParseAmount("129.00")
	net, _ := mews.ParseAmount("118.35")
	m := channelmanager.BlockMessage{AvailabilityBlock: channelmanager.AvailabilityBlock{
		Code:             "WEDDING-7",
		Status:           channelmanager.BlockCreated,
		Name:             "Smith wedding",
		Dates:            channelmanager.BlockDates{Start: start, End: end},
		ReleaseStrategy:  &channelmanager.ReleaseStrategy{Type: channelmanager.ReleaseRolling, Offset: channelmanager.ReleaseOffsetDays(14)},
		OriginalRateCode: mewstest.RatePlanFlexible,
		SpaceCategories: []channelmanager.BlockSpaceCategory{{
			SpaceTypeCode:   mewstest.SpaceTypeDouble,
			AllocatedSpaces: []channelmanager.SpaceCount{{Start: start, End: end, Count: 10}},
			Rates: []channelmanager.BlockRate{{Start: start, End: end, Prices: []channelmanager.Price{
				{GrossAmount: price, NetAmount: net, CurrencyCode: mewstest.PropertyCurrency, GuestCount: 2},
			}}},
		}},
		Booker:     &channelmanager.Customer{FirstName: "Jane", LastName: "Smith"},
		PickupType: channelmanager.PickupAllInOneGroup,
	}}
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, m); err != nil {
		fmt.Println("error:", err)
		return
	}
	// Mews confirms the block later with its number; the fake stores it at once.
	stored, _ := srv.Block("WEDDING-7")
	fmt.Println(stored.Status, stored.Name, "as", stored.ConfirmationNumber)

	m.AvailabilityBlock.Status = channelmanager.BlockCanceled
	m.AvailabilityBlock.ConfirmationNumber = stored.ConfirmationNumber
	if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, m); err != nil {
		fmt.Println("error:", err)
		return
	}
	stored, _ = srv.Block("WEDDING-7")
	fmt.Println(stored.Status, "after", stored.Messages, "messages")
	// Output:
	// Created Smith wedding as B-000001
	// Canceled after 2 messages
}

// A channel manager that answered Mews' updatePrices push with asyncConfirmation: true
// reports the outcome later, naming the rate it could not accept so that Mews
// unsynchronizes it.
func ExampleConfirmPriceUpdate() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	err = channelmanager.ConfirmPriceUpdate(context.Background(), cm, channelmanager.Confirmation{
		ResponseURL:      srv.URL + "/api/channelManager/v1/processRateConfirmation", // from the push
		RelatedMessageID: "66511e1d-2405-4e49-914b-b0c800d802c9",                     // the push's messageId
		Errors:           []mews.ErrorDetail{{Code: mews.CodeRateError, Message: "Rate NR is not sold on this channel.", RateCode: "NR"}},
	})
	fmt.Println("confirmed:", err == nil, "requests:", len(srv.RequestsFor("processRateConfirmation")))
	// Output:
	// confirmed: true requests: 1
}
