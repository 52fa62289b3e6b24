// Command channel-manager is a channel manager's side of a booking: it finds the
// property's connection (getProperties), reads its configuration (space categories,
// rate plans, the pairs it may sell), pushes a reservation group to Mews
// (processGroup), and handles Mews' asynchronous confirmation, which arrives at the
// channel manager's own confirmGroup endpoint with Mews' confirmation numbers.
//
//	go run ./examples/channel-manager
//
// runs it against the embedded sandbox, which also plays Mews calling the endpoint.
// With MEWS_ENVIRONMENT, MEWS_CLIENT_TOKEN and MEWS_CONNECTION_TOKEN (and optionally
// MEWS_EMPLOYEE_EMAIL) set, it reads the configuration from Mews and pushes the booking
// only when run with -write; Mews then confirms to the confirmGroup endpoint you
// registered (examples/channel-manager-endpoint serves one).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

// main runs the example on the sandbox, or reads from Mews and pushes only with -write.
func main() {
	write := flag.Bool("write", false, "push the booking to Mews (always on in the sandbox)")
	flag.Parse()
	os.Exit(exampleenv.Run("channel-manager", 30*time.Second, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, os.Stdout, *write || env.Sandbox != nil)
	}))
}

// run finds the connection, prints its configuration, pushes a booking when write is
// set and, in the sandbox, handles Mews' confirmation of it.
func run(ctx context.Context, env *exampleenv.Env, out io.Writer, write bool) error {
	token, err := findConnection(ctx, env, out)
	if err != nil {
		return err
	}
	cm, err := env.Client.ChannelManager(token)
	if err != nil {
		return err
	}

	// The configuration: what the property sells, under which mapping codes.
	cfg, err := channelmanager.GetConfiguration(ctx, cm, channelmanager.FullExtent())
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\n%s (%s, %s prices):\n", cfg.Property.Name, cfg.Property.TimeZoneIdentifier, cfg.Property.PricingMode)
	for _, c := range cfg.SpaceCategories {
		fmt.Fprintf(out, "  space category %-5s %-14s %d spaces\n", c.Code, c.Name, c.SpaceCount)
	}
	for _, r := range cfg.RatePlans {
		fmt.Fprintf(out, "  rate plan      %-5s %-14s %s\n", r.Code, r.Name, r.CurrencyCode)
	}
	if len(cfg.InventoryMappings) == 0 || len(cfg.AgeCategories) == 0 {
		return errors.New("the connection sells nothing yet: map rates to space categories in Mews")
	}

	// A booking from an OTA, for the first rate and category pair the property sells.
	g := booking(cfg, mews.DateOf(env.Now()).AddDays(30))
	if !write {
		fmt.Fprintf(out, "\nwould push booking %s (run with -write)\n", g.ChannelManagerID)
		return nil
	}
	messageID, err := channelmanager.ProcessGroup(ctx, cm, channelmanager.ProcessGroupParams{Group: g})
	if err != nil {
		return err // *mews.InputError before sending, or Mews' refusal (*mews.APIError)
	}
	fmt.Fprintf(out, "\npushed booking %s: %d reservation(s), %s %s; Mews accepted message %s\n",
		g.ChannelManagerID, len(g.Reservations), g.TotalAmount.Gross, g.CurrencyCode, messageID)

	// Mews processes the booking and calls the channel manager's confirmGroup endpoint.
	if env.Sandbox == nil {
		fmt.Fprintln(out, "Mews confirms it to your confirmGroup endpoint (see examples/channel-manager-endpoint).")
		return nil
	}
	endpoint := &channelManager{confirmed: make(chan string, 1), numbers: map[string]string{}}
	// The clientToken Mews puts in its calls: agreed with Mews, often your own.
	handler, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, endpoint)
	if err != nil {
		return err
	}
	if err := mewsConfirms(ctx, env.Sandbox, handler, g.ChannelManagerID, messageID); err != nil {
		return err
	}
	select {
	case id := <-endpoint.confirmed:
		fmt.Fprintf(out, "booking %s confirmed by Mews:\n", id)
		for _, r := range g.Reservations {
			fmt.Fprintf(out, "  reservation %s is Mews %s\n", r.Code, endpoint.number(r.Code))
		}
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// findConnection lists the properties an employee can access with their connections,
// and returns the connection token to use: the configured one, or the first listed.
func findConnection(ctx context.Context, env *exampleenv.Env, out io.Writer) (string, error) {
	if env.EmployeeEmail == "" {
		fmt.Fprintf(out, "(set %s to list the properties)\n", exampleenv.VarEmployeeEmail)
		return env.ConnectionToken, exampleenv.Require(env.ConnectionToken, exampleenv.VarConnectionToken)
	}
	props, err := channelmanager.GetProperties(ctx, env.Client, channelmanager.GetPropertiesParams{Email: env.EmployeeEmail})
	if err != nil {
		return "", err
	}
	token := env.ConnectionToken
	for _, p := range props {
		for _, c := range p.Connections {
			fmt.Fprintf(out, "property %-16s %-22s connection %q, token %v\n", p.ID, p.Name, c.Name, c.Token)
			if token == "" {
				token = c.Token.Reveal() // store it encrypted; never log it
			}
		}
	}
	return token, exampleenv.Require(token, exampleenv.VarConnectionToken)
}

// booking is a two-night stay for two adults, paid at the OTA.
func booking(cfg *channelmanager.Configuration, arrival mews.Date) channelmanager.Group {
	pair := cfg.InventoryMappings[0]
	currency := mewstest.PropertyCurrency
	for _, r := range cfg.RatePlans {
		if r.Code == pair.RatePlanCode {
			currency = r.CurrencyCode
		}
	}
	night := channelmanager.GrossCharge(mews.NewAmount(11950, 2))
	total := channelmanager.GrossCharge(mews.NewAmount(11950, 2).MulInt(2))
	primary := 1 // Booking.com
	return channelmanager.Group{
		ChannelID: "BDC-5551234", ChannelManagerID: "CHM-2026-0001", CurrencyCode: currency,
		Customer:    &channelmanager.Customer{FirstName: "Grace", LastName: "Hopper", Email: "grace@example.com", LanguageCode: "en-US"},
		Sources:     []channelmanager.Source{{Code: &primary, Name: "Booking.com", Type: channelmanager.SourceOnlineTravelAgency, IsPrimary: true}},
		PaymentType: channelmanager.PaymentPrepaid,
		TotalAmount: &total,
		Reservations: []channelmanager.Reservation{{
			Code: "1", From: arrival, To: arrival.AddDays(2),
			SpaceTypeCode: pair.SpaceTypeCode, RatePlanCode: pair.RatePlanCode,
			GuestCounts: []channelmanager.GuestCount{{Code: cfg.AgeCategories[0].Code, Count: 2}},
			Amounts:     []channelmanager.Charge{night, night},
			TotalAmount: &total,
		}},
	}
}

// channelManager is the channel manager's endpoint (a Receiver): it stores Mews'
// confirmation numbers. Inventory pushes are acknowledged; the optional operations
// keep their defaults.
type channelManager struct {
	inbound.OptionalOperations
	confirmed chan string
	mu        sync.Mutex
	numbers   map[string]string // reservation code → Mews confirmation number
}

// ConfirmGroup stores Mews' confirmation numbers, or refuses a failed booking so that
// Mews reports it.
func (c *channelManager) ConfirmGroup(_ context.Context, req *inbound.BookingConfirmation) error {
	if !req.Succeeded() {
		return fmt.Errorf("booking %s refused by Mews: %v", req.ChannelManagerID, req.Errors) // alert a human
	}
	c.mu.Lock()
	for _, r := range req.Reservations {
		c.numbers[r.Code] = r.ConfirmationNumber
	}
	c.mu.Unlock()
	select {
	case c.confirmed <- req.ChannelManagerID:
	default: // a redelivery
	}
	return nil
}

// number is the Mews confirmation number of the reservation with this code.
func (c *channelManager) number(code string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.numbers[code]
}

// UpdatePrices acknowledges a price push; this example keeps no inventory.
func (c *channelManager) UpdatePrices(context.Context, *inbound.PricesUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// UpdateAvailability acknowledges an availability push.
func (c *channelManager) UpdateAvailability(context.Context, *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// UpdateRestrictions acknowledges a restrictions push.
func (c *channelManager) UpdateRestrictions(context.Context, *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// mewsConfirms plays Mews in the sandbox: it confirms the stored group to the channel
// manager's confirmGroup endpoint, in-process.
func mewsConfirms(ctx context.Context, srv *mewstest.Server, endpoint *inbound.Handler, channelManagerID, messageID string) error {
	stored, ok := srv.Group(channelManagerID)
	if !ok {
		return errors.New("the sandbox did not store the booking")
	}
	var numbers []channelmanager.ReservationConfirmation
	for _, r := range stored.Reservations {
		numbers = append(numbers, channelmanager.ReservationConfirmation{Code: r.Code, ConfirmationNumber: r.ConfirmationNumber})
	}
	fakeMews := srv.NewEndpoint("https://chm.example/mews", mewstest.WithEndpointHandler(endpoint))
	d, err := fakeMews.Push(ctx, inbound.PathConfirmGroup, map[string]any{
		"relatedMessageId": messageID, "channelManagerId": channelManagerID, "reservations": numbers})
	if err == nil && !d.Accepted {
		err = fmt.Errorf("the endpoint refused the confirmation: %v %v", d.Errors, d.Err)
	}
	return err
}
