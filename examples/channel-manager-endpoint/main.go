// Command channel-manager-endpoint runs a channel manager's Mews endpoint against the
// embedded mewstest sandbox: the sandbox, playing Mews, pushes availability, prices,
// restrictions, a change notification and a booking confirmation to it; the endpoint
// prints what arrived, confirms the price update asynchronously, and the program exits.
//
//	go run ./examples/channel-manager-endpoint
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/mewstest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := run(ctx, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "channel-manager-endpoint:", err)
		os.Exit(1)
	}
}

// hotel is the channel manager's Receiver: it prints every call, applies availability
// and restrictions at once, and hands price updates to a worker that confirms them.
type hotel struct {
	inbound.OptionalOperations
	mu     sync.Mutex
	out    io.Writer
	prices chan *inbound.PricesUpdate
}

func (h *hotel) printf(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	fmt.Fprintf(h.out, format+"\n", args...)
}

func (h *hotel) UpdateAvailability(_ context.Context, req *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	for _, a := range req.Availabilities {
		h.printf("availability  %s %s..%s: %d free", a.SpaceTypeCode, a.From, a.To, a.Availability)
	}
	return inbound.Done, nil
}

func (h *hotel) UpdatePrices(_ context.Context, req *inbound.PricesUpdate) (inbound.Reply, error) {
	for _, rp := range req.RatePrices {
		for _, p := range rp.Prices {
			h.printf("price         %s/%s %s..%s: %s %s for %d", rp.RatePlanCode, rp.SpaceTypeCode, rp.From, rp.To, p.GrossAmount, p.CurrencyCode, p.GuestCount)
		}
	}
	h.prices <- req // applied later; the worker confirms it
	return inbound.Async, nil
}

func (h *hotel) UpdateRestrictions(_ context.Context, req *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	for _, r := range req.Restrictions {
		h.printf("restriction   %s/%s %s..%s: state %v", r.RatePlanCode, r.SpaceTypeCode, r.From, r.To, r.State)
	}
	return inbound.Done, nil
}

func (h *hotel) ConfirmGroup(_ context.Context, req *inbound.BookingConfirmation) error {
	for _, r := range req.Reservations {
		h.printf("booking       %s: reservation %s is Mews %s", req.ChannelManagerID, r.Code, r.ConfirmationNumber)
	}
	return nil
}

func (h *hotel) ChangeNotification(_ context.Context, req *inbound.ChangeNotification) error {
	h.printf("connection    %s", req.Type)
	return nil
}

// run starts the sandbox and the endpoint, lets the sandbox push, and reports.
func run(ctx context.Context, out io.Writer) error {
	sandbox := mewstest.NewServer()
	defer sandbox.Close()
	client, err := sandbox.NewClient()
	if err != nil {
		return err
	}

	recv := &hotel{out: out, prices: make(chan *inbound.PricesUpdate, 1)}
	handler, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recv, inbound.WithDeduplication(1000))
	if err != nil {
		return err
	}
	base, stop, err := serve(handler)
	if err != nil {
		return err
	}
	defer stop()

	confirmed := make(chan error, 1)
	go func() {
		select {
		case req := <-recv.prices:
			// Confirm through the handle of the push's connection.
			cm, err := client.ChannelManager(req.ConnectionToken.Reveal())
			if err != nil {
				confirmed <- err
				return
			}
			confirmed <- inbound.Confirm(ctx, cm, req, channelmanager.Confirmation{Success: true})
		case <-ctx.Done():
			confirmed <- ctx.Err()
		}
	}()

	fakeMews := sandbox.NewEndpoint(base)
	if err := pushAll(ctx, fakeMews, recv); err != nil {
		return err
	}
	if err := <-confirmed; err != nil {
		return fmt.Errorf("confirming the prices: %w", err)
	}
	for _, c := range fakeMews.Confirmations() {
		recv.printf("mews got      %s for message %s: success %t", c.Operation, c.RelatedMessageID, c.Success)
	}
	return nil
}

// pushAll makes the sandbox call every operation once, plus one redelivery.
func pushAll(ctx context.Context, ep *mewstest.Endpoint, recv *hotel) error {
	availability := map[string]any{"messageId": "availability-1", "availabilities": []map[string]any{
		{"spaceTypeCode": "DBL", "from": "2026-12-24", "to": "2026-12-26", "availability": 4}}}
	calls := []struct {
		op   string
		body any
	}{
		{"updateAvailability", availability},
		{"updateAvailability", availability}, // Mews redelivers: acknowledged, not applied again
		{"updatePrices", map[string]any{"ratePrices": []map[string]any{{
			"spaceTypeCode": "DBL", "ratePlanCode": "FLEX", "from": "2026-12-24", "to": "2026-12-26",
			"prices": []map[string]any{{"grossAmount": 129.90, "netAmount": 118.08, "currencyCode": "EUR", "guestCount": 2}}}}}},
		{"updateRestrictions", map[string]any{"restrictions": []map[string]any{{
			"spaceTypeCode": "DBL", "ratePlanCode": "FLEX", "from": "2026-12-31", "to": "2026-12-31", "state": []int{2, 6}}}}},
		{"changeNotificaton", map[string]any{"type": 1}},
		{"confirmGroup", map[string]any{"relatedMessageId": "booking-77", "channelManagerId": "CHM-77",
			"reservations": []map[string]any{{"code": "01", "confirmationNumber": "4711"}}}},
	}
	for _, c := range calls {
		d, err := ep.Push(ctx, c.op, c.body)
		if err != nil {
			return err
		}
		if d.Err != nil || !d.Accepted {
			return fmt.Errorf("%s was not accepted: %v %v", c.op, d.Errors, d.Err)
		}
		recv.printf("answered      %s (attempt %d): success, asyncConfirmation %t", c.op, d.Attempt, d.Async)
	}
	return nil
}

// serve runs h on a loopback port and returns its base URL and a stop function.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/mews/", h)
	// Bound every phase of a connection, so that a client that stalls holds nothing for
	// long: headers within 5 s, the whole request within 15 s (the Handler's own body
	// deadline is 10 s), the answer within 30 s (Mews gives up well before), and an idle
	// keep-alive connection for 60 s.
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintln(os.Stderr, "endpoint:", err)
		}
	}()
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String() + "/mews", stop, nil
}
