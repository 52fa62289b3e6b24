package inbound_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/mewstest"
)

// queued accepts price pushes with Async and hands them to a worker.
type queued struct {
	availabilityOnly
	prices chan *inbound.PricesUpdate
}

func (q queued) UpdatePrices(_ context.Context, req *inbound.PricesUpdate) (inbound.Reply, error) {
	q.prices <- req
	return inbound.Async, nil
}

// A worker confirms a price push it applied, through the handle of the push's
// connection.
func ExampleConfirm() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	recv := queued{prices: make(chan *inbound.PricesUpdate, 1)}
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recv)
	if err != nil {
		panic(err)
	}
	fakeMews := srv.NewEndpoint("https://chm.example/mews", mewstest.WithEndpointHandler(h))
	d, _ := fakeMews.Push(context.Background(), "updatePrices", map[string]any{"ratePrices": []any{}})
	fmt.Println("accepted, confirmation follows:", d.Async)

	req := <-recv.prices // in the worker, once the prices are applied
	cm, err := client.ChannelManager(req.ConnectionToken.Reveal())
	if err != nil {
		panic(err)
	}
	if err := inbound.Confirm(context.Background(), cm, req, channelmanager.Confirmation{Success: true}); err != nil {
		panic(err)
	}
	for _, c := range fakeMews.Confirmations() {
		fmt.Println(c.Operation, c.Success)
	}
	// Output:
	// accepted, confirmation follows: true
	// processRateConfirmation true
}
