package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// demoPINs is how many arriving guests get a PIN in the demo.
const demoPINs = 5

// demoMessageID is the messageId of the demo's booking, fixed (instead of the SDK's
// random default) so that the demo prints the same story on every run.
const demoMessageID = "6d657773-6465-4d6f-8000-000000000001"

// demo walks the SDK's story against the embedded sandbox: connect, rooms, the coming
// days' reservations, PINs for arrivals, the Channel Manager side, and a token revoked
// and rotated under a Monitor.
func (a *app) demo(ctx context.Context, args []string) error {
	fs := bareFlagSet("demo")
	if err := a.parse(fs, "", args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	started := time.Now()
	a.cfg = config{sandbox: true} // the demo reads no configuration
	s, err := a.open()
	if err != nil {
		return err
	}
	defer s.close()
	d := &demoRun{w: a.stdout, srv: s.sandbox, client: s.client, today: mewstest.SeedEpoch()}
	fmt.Fprintf(d.w, "mews demo: the embedded sandbox plays Mews (a fake hotel inside this process; nothing\nleaves your machine). Its \"today\" is %s.\n", d.today.Format(time.DateOnly))
	for _, step := range []func(context.Context) error{d.connect, d.rooms, d.reservations, d.pins, d.channelManager, d.health} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	fmt.Fprintf(d.w, "\nDone in %.1f s. Next: go test -race ./... and the examples in examples/.\n", time.Since(started).Seconds())
	return nil
}

// demoRun is the state the demo's steps share.
type demoRun struct {
	w         io.Writer
	srv       *mewstest.Server
	client    *mews.Client
	conn      *mews.Connector
	today     time.Time
	loc       *time.Location // the hotel's time zone: every time shown is in it
	arrivals  []reservations.Reservation
	roomNames map[string]string
}

// step prints the heading of a demo step and the SDK calls it makes.
func (d *demoRun) step(title, calls string) {
	fmt.Fprintf(d.w, "\n== %s  (%s)\n", title, calls)
}

// connect validates the seeded access token, as a connect form does, and opens the
// hotel's Connector handle.
func (d *demoRun) connect(ctx context.Context) error {
	d.step("Connect a hotel", "connection.Validate, properties.GetConfiguration → configuration/get")
	conn, err := d.client.Connector(mewstest.AccessToken)
	if err != nil {
		return err
	}
	res, err := connection.Validate(ctx, conn)
	if err != nil {
		return err
	}
	if res.Status != connection.Connected {
		return fmt.Errorf("demo: the sandbox hotel is %s: %w", res.Status, res.Reason)
	}
	token, err := mews.NewToken(mewstest.AccessToken)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "%s: %s (%s), access token %v\n", res.Status, res.Enterprise.Name, res.Enterprise.ID, token)
	d.conn = conn
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		return err
	}
	if d.loc, err = cfg.Enterprise.Location(); err != nil {
		return err
	}
	fmt.Fprintf(d.w, "Times below are in the hotel's time zone, %s.\n", d.loc)
	return nil
}

// rooms lists the hotel's rooms by floor and remembers their names.
func (d *demoRun) rooms(ctx context.Context) error {
	d.step("Rooms", "properties.ListResources → resources/getAll")
	d.roomNames = make(map[string]string)
	perFloor := map[string][]string{}
	var floors []string
	n := 0
	for r, err := range properties.ListResources(d.conn, properties.ListResourcesParams{}).All(ctx) {
		if err != nil {
			return err
		}
		d.roomNames[r.ID] = r.Name
		if !r.IsRoom() {
			continue // a bed of a dormitory, say: properties.Resource.IsRoom is the one definition
		}
		f := r.Floor()
		if perFloor[f] == nil {
			floors = append(floors, f)
		}
		perFloor[f] = append(perFloor[f], r.Name)
		n++
	}
	fmt.Fprintf(d.w, "%d rooms on %d floors:\n", n, len(floors))
	for _, f := range floors {
		fmt.Fprintf(d.w, "  floor %s: %s\n", f, strings.Join(perFloor[f], " "))
	}
	return nil
}

// reservations lists the confirmed arrivals of today and tomorrow.
func (d *demoRun) reservations(ctx context.Context) error {
	d.step("Arrivals today and tomorrow", "reservations.List → reservations/getAll, any interval length")
	next := mews.Interval(d.today, d.today.AddDate(0, 0, 2))
	f := reservations.ListParams{ScheduledStartUtc: &next, States: []reservations.State{reservations.StateConfirmed}}
	all, err := reservations.List(d.conn, f).Collect(ctx)
	if err != nil {
		return err
	}
	slices.SortStableFunc(all, func(a, b reservations.Reservation) int { return a.ScheduledStartUtc.Compare(b.ScheduledStartUtc) })
	d.arrivals = all
	tw := table(d.w, "  NUMBER", "ARRIVAL", "DEPARTURE", "ROOM")
	for _, r := range all {
		row(tw, "  "+r.Number, stamp(r.ScheduledStartUtc, d.loc), stamp(r.ScheduledEndUtc, d.loc), d.room(r))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(d.w, "%d confirmed arrivals.\n", len(d.arrivals))
	return nil
}

// room names a reservation's room.
func (d *demoRun) room(r reservations.Reservation) string {
	if r.AssignedResourceID == nil {
		return "(not assigned yet)"
	}
	return d.roomNames[*r.AssignedResourceID]
}

// pins sets a door PIN for the first of today's arrivals that have a room.
func (d *demoRun) pins(ctx context.Context) error {
	d.step("Door PINs for today's first arrivals", "pins.Set → resourceAccessTokens/getAll, add; exactly one PIN each")
	set := 0
	for i, r := range d.arrivals {
		if set == demoPINs || !r.ScheduledStartUtc.Before(d.today.AddDate(0, 0, 1)) {
			break
		}
		if r.AssignedResourceID == nil {
			fmt.Fprintf(d.w, "reservation %s: skipped, no room assigned yet\n", r.Number)
			continue
		}
		pin := fmt.Sprintf("%04d", (i*7919+4711)%10000)
		got, err := pins.Set(ctx, d.conn, pins.SetParams{Credential: pins.ForReservation(&r, pins.PinCode, pin)})
		if err != nil {
			return err
		}
		set++
		fmt.Fprintf(d.w, "reservation %s, room %s: PIN set, valid %s to %s (id %s)\n",
			r.Number, d.room(r), stamp(got.ValidityStartUtc, d.loc), stamp(got.ValidityEndUtc, d.loc), got.ID)
	}
	return nil
}

// channelManager plays the Channel Manager side: the property's connection, its
// configuration, and a booking pushed and confirmed.
func (d *demoRun) channelManager(ctx context.Context) error {
	d.step("Channel Manager: properties", "channelmanager.GetProperties → getProperties")
	props, err := channelmanager.GetProperties(ctx, d.client, channelmanager.GetPropertiesParams{Email: mewstest.EmployeeEmail})
	if err != nil {
		return err
	}
	var token mews.Token
	for _, p := range props {
		for _, c := range p.Connections {
			fmt.Fprintf(d.w, "%s (%s): connection %q, token %v\n", p.Name, p.ID, c.Name, c.Token)
			if p.ID == mewstest.PropertyID && token.IsZero() {
				token = c.Token
			}
		}
	}
	if token.IsZero() {
		return errors.New("demo: the sandbox property has no connection")
	}
	cm, err := d.client.ChannelManager(token.Reveal())
	if err != nil {
		return err
	}

	d.step("Channel Manager: configuration", "channelmanager.GetConfiguration → getConfiguration")
	cfg, err := channelmanager.GetConfiguration(ctx, cm, channelmanager.ConfigurationExtent{IncludeAgeCategories: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "%s, %d spaces, time zone %s\n", cfg.Property.Name, cfg.Property.SpaceCount, cfg.Property.TimeZoneIdentifier)
	for _, m := range cfg.InventoryMappings {
		fmt.Fprintf(d.w, "  sells rate %s in space category %s\n", m.RatePlanCode, m.SpaceTypeCode)
	}
	if len(cfg.InventoryMappings) == 0 || len(cfg.AgeCategories) == 0 {
		return errors.New("demo: the sandbox configuration has no inventory mapping or age category")
	}

	d.step("Channel Manager: a booking pushed and confirmed", "channelmanager.ProcessGroup → processGroup; Mews → confirmGroup")
	arrival := mews.DateOf(d.today).AddDays(14)
	night := mews.NewAmount(12900, 2)
	total := channelmanager.GrossCharge(night.MulInt(2))
	g := channelmanager.Group{
		MessageID: demoMessageID, ChannelID: "BDC-4815162342", ChannelManagerID: "CHM-DEMO-1", CurrencyCode: mewstest.PropertyCurrency,
		Customer:    &channelmanager.Customer{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com"},
		PaymentType: channelmanager.PaymentPrepaid, TotalAmount: &total,
		Reservations: []channelmanager.Reservation{{
			Code: "01", From: arrival, To: arrival.AddDays(2),
			SpaceTypeCode: cfg.InventoryMappings[0].SpaceTypeCode, RatePlanCode: cfg.InventoryMappings[0].RatePlanCode,
			GuestCounts: []channelmanager.GuestCount{{Code: cfg.AgeCategories[0].Code, Count: 2}},
			Amounts:     []channelmanager.Charge{channelmanager.GrossCharge(night), channelmanager.GrossCharge(night)},
			TotalAmount: &total,
		}},
	}
	messageID, err := channelmanager.ProcessGroup(ctx, cm, channelmanager.ProcessGroupParams{Group: g})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "pushed %s: 1 reservation, %s to %s, %s %s (message %s)\n", g.ChannelManagerID, arrival, arrival.AddDays(2), total.Gross, g.CurrencyCode, messageID)
	return d.confirm(ctx, g.ChannelManagerID, messageID)
}

// confirm plays Mews' asynchronous answer to a pushed group: the sandbox calls the
// channel manager's confirmGroup endpoint (an inbound.Handler, in-process).
func (d *demoRun) confirm(ctx context.Context, channelManagerID, messageID string) error {
	stored, ok := d.srv.Group(channelManagerID)
	if !ok {
		return errors.New("demo: the sandbox did not store the group")
	}
	got := make(chan *inbound.BookingConfirmation, 1)
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, confirmations{got: got})
	if err != nil {
		return err
	}
	var numbers []map[string]string
	for _, r := range stored.Reservations {
		numbers = append(numbers, map[string]string{"code": r.Code, "confirmationNumber": r.ConfirmationNumber})
	}
	fakeMews := d.srv.NewEndpoint("https://chm.example/mews", mewstest.WithEndpointHandler(h))
	delivery, err := fakeMews.Push(ctx, inbound.PathConfirmGroup, map[string]any{
		"relatedMessageId": messageID, "channelManagerId": channelManagerID, "reservations": numbers})
	if err != nil {
		return err
	}
	if !delivery.Accepted {
		return fmt.Errorf("demo: the confirmation was refused: %v %v", delivery.Errors, delivery.Err)
	}
	c := <-got
	for _, r := range c.Reservations {
		fmt.Fprintf(d.w, "Mews confirmed %s (message %s): reservation %s is Mews %s\n", c.ChannelManagerID, c.RelatedMessageID, r.Code, r.ConfirmationNumber)
	}
	return nil
}

// confirmations is a channel manager's Receiver that takes booking confirmations;
// the optional operations keep their defaults and inventory pushes are acknowledged.
type confirmations struct {
	inbound.OptionalOperations
	got chan *inbound.BookingConfirmation
}

// UpdatePrices acknowledges a price push; the demo sells nothing.
func (c confirmations) UpdatePrices(context.Context, *inbound.PricesUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// UpdateAvailability acknowledges an availability push.
func (c confirmations) UpdateAvailability(context.Context, *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// UpdateRestrictions acknowledges a restrictions push.
func (c confirmations) UpdateRestrictions(context.Context, *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}

// ConfirmGroup passes Mews' confirmation of the pushed booking to the demo.
func (c confirmations) ConfirmGroup(_ context.Context, req *inbound.BookingConfirmation) error {
	select {
	case c.got <- req:
	default: // a redelivery; the first copy is being shown
	}
	return nil
}

// health watches the hotel with a Monitor while the sandbox revokes its token and
// the hotel rotates it: Connected, Broken, Connected again.
func (d *demoRun) health(ctx context.Context) error {
	d.step("Health", "connection.Monitor: Connected → Broken when revoked → Connected after rotation")
	events := make(chan connection.Event, 4)
	m, err := connection.NewMonitor(d.client, connection.WithOnEvent(func(ev connection.Event) { events <- ev }))
	if err != nil {
		return err
	}
	defer m.Close()
	next := func(what string) error {
		select {
		case ev := <-events:
			line := fmt.Sprintf("%s: %s → %s", what, ev.Previous, ev.Status)
			if ev.Reason != nil {
				line += " (" + message(ev.Reason) + ")"
			}
			fmt.Fprintln(d.w, line)
			return nil
		case <-ctx.Done():
			return fmt.Errorf("demo: waiting for the monitor: %w", ctx.Err())
		}
	}
	creds, err := connection.ConnectorCredentials(mewstest.AccessToken)
	if err != nil {
		return err
	}
	if err := m.Add("grand-hotel", creds); err != nil {
		return err
	}
	if err := next("watching the hotel"); err != nil {
		return err
	}
	d.srv.Revoke(mewstest.AccessToken)
	if err := m.Check("grand-hotel"); err != nil {
		return err
	}
	if err := next("the hotel revokes the token"); err != nil {
		return err
	}
	rotated, err := connection.ConnectorCredentials(d.srv.Rotate(mewstest.AccessToken))
	if err != nil {
		return err
	}
	if err := m.Update("grand-hotel", rotated); err != nil {
		return err
	}
	return next("the hotel issues a new token " + rotated.Token.String())
}
