package channelmanager_test

import (
	"context"
	"fmt"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/mewstest"
)

// A channel manager pushes a two-night booking to Mews as a reservation group, then
// cancels it. The example runs against the in-process fake Mews, which serves the
// reservation push URL of a custom environment.
func ExampleProcessGroup() {
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

	night1, _ := mews.ParseAmount("100")
	night2, _ := mews.ParseAmount("97.20")
	arrival := mews.NewDate(2025, 12, 24)
	room := channelmanager.Reservation{
		Code:          "01",
		State:         channelmanager.StateCreated,
		From:          arrival,
		To:            arrival.AddDays(2), // departure, exclusive: two nights
		SpaceTypeCode: mewstest.SpaceTypeDouble,
		RatePlanCode:  mewstest.RatePlanFlexible,
		GuestCounts:   []channelmanager.GuestCount{{Code: "Adult", Count: 2}},
		Amounts:       []channelmanager.Charge{channelmanager.GrossCharge(night1), channelmanager.GrossCharge(night2)},
	}
	total := channelmanager.GrossCharge(night1.Add(night2))
	room.TotalAmount = &total
	number, _ := channelmanager.NewCardNumber("4111 1111 1111 1111")
	expiry, _ := channelmanager.ParseCardExpiry("1230")
	group := &channelmanager.Group{
		ChannelID:        "BDC-998877",
		ChannelManagerID: "CHM-2025-0001",
		CurrencyCode:     "EUR",
		PaymentType:      channelmanager.PaymentPreauthorized,
		Customer:         &channelmanager.Customer{FirstName: "John", LastName: "Smith", Email: "john@smith.example"},
		PaymentCard:      &channelmanager.PaymentCard{Type: channelmanager.CardVisa, Number: number, ExpireDate: expiry, HolderName: "John Smith"},
		Reservations:     []channelmanager.Reservation{room},
	}
	sum := group.ReservationsTotal()
	group.TotalAmount = &sum

	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *group}); err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("sent", sum, "paid by", group.PaymentCard.Number) // the card prints redacted
	stored, _ := srv.Group("CHM-2025-0001")
	fmt.Println("Mews holds", len(stored.Reservations), "reservation, canceled:", stored.Canceled)

	if _, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: channelmanager.CancelGroup("BDC-998877", "CHM-2025-0001")}); err != nil {
		fmt.Println("error:", err)
		return
	}
	stored, _ = srv.Group("CHM-2025-0001")
	fmt.Println("after cancelling, canceled:", stored.Canceled)
	// Output:
	// sent gross 197.20 paid by [card …1111]
	// Mews holds 1 reservation, canceled: false
	// after cancelling, canceled: true
}
