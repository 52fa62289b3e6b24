package main

// Every call into the SDK lives in this file, so that renames in the SDK touch only it.

import (
	"context"
	"net/http"
	"slices"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// credentialsFromPaste cleans a pasted access token: whitespace around it is trimmed,
// and an empty token or one with whitespace inside gives a *mews.InputError whose
// Reason says where, never what.
func credentialsFromPaste(pasted string) (connection.Credentials, error) {
	return connection.ConnectorCredentials(pasted)
}

// validate asks Mews about the credentials (configuration/get). Every answer from Mews,
// or the lack of one, is in the Result; err means nothing could be sent.
func validate(ctx context.Context, client *mews.Client, creds connection.Credentials) (connection.Result, error) {
	hotel, err := client.Connector(creds.Token.Reveal())
	if err != nil {
		return connection.Result{}, err
	}
	return connection.Validate(ctx, hotel)
}

// watcher is the part of a connection.Monitor the Portal uses.
type watcher interface {
	Add(key string, creds connection.Credentials) error
	Update(key string, creds connection.Credentials) error
	State(key string) (connection.State, bool)
	Report(key string, err error) bool
	Close() error
}

// startMonitor starts the Monitor that re-checks the saved token every interval, and
// the handler of the integration webhooks that feed it. onEvent sees every status change.
func startMonitor(client *mews.Client, interval time.Duration, secret mews.Token, onEvent func(connection.Event)) (watcher, http.Handler, error) {
	m, err := connection.NewMonitor(client, connection.WithInterval(interval), connection.WithOnEvent(onEvent))
	if err != nil {
		return nil, nil, err
	}
	webhooks, err := m.WebhookHandler(secret)
	if err != nil {
		m.Close()
		return nil, nil, err
	}
	return m, webhooks, nil
}

// watch starts or goes on watching key with new credentials.
func watch(m watcher, key string, creds connection.Credentials) error {
	if _, ok := m.State(key); ok {
		return m.Update(key, creds)
	}
	return m.Add(key, creds)
}

// hotelData is what the reservations view needs from Mews.
type hotelData struct {
	Location     *time.Location
	Rooms        map[string]properties.Resource // by id
	Reservations []reservations.Reservation
	PINs         map[string]pins.Credential // the active credential by reservation id
}

// loadHotel reads the hotel's time zone (configuration/get), rooms, the reservations
// staying between from and to that a door system acts on, and their active door PINs.
func loadHotel(ctx context.Context, client *mews.Client, token mews.Token, from, to time.Time) (*hotelData, error) {
	conn, err := client.Connector(token.Reveal())
	if err != nil {
		return nil, err
	}
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		return nil, err
	}
	loc, err := cfg.Enterprise.Location()
	if err != nil {
		return nil, err
	}
	d := &hotelData{Location: loc, Rooms: map[string]properties.Resource{}, PINs: map[string]pins.Credential{}}
	for room, err := range properties.ListResources(conn, properties.ListResourcesParams{}).All(ctx) {
		if err != nil {
			return nil, err
		}
		d.Rooms[room.ID] = room
	}
	stay := mews.Interval(from, to)
	p := reservations.ListParams{CollidingUtc: &stay, States: []reservations.State{reservations.StateConfirmed, reservations.StateStarted}}
	for r, err := range reservations.List(conn, p).All(ctx) {
		if err != nil {
			return nil, err
		}
		d.Reservations = append(d.Reservations, r)
	}
	slices.SortFunc(d.Reservations, func(a, b reservations.Reservation) int {
		return a.ScheduledStartUtc.Compare(b.ScheduledStartUtc)
	})
	if len(d.Reservations) == 0 {
		return d, nil
	}
	ids := make([]string, len(d.Reservations))
	for i, r := range d.Reservations {
		ids[i] = r.ID
	}
	for c, err := range pins.List(conn, pins.ListParams{ReservationIDs: ids, States: []pins.ActivityState{pins.Active}}).All(ctx) {
		if err != nil {
			return nil, err
		}
		if c.Type == pins.PinCode {
			d.PINs[c.ReservationID] = c
		}
	}
	return d, nil
}

// sendPIN stores a door PIN on a reservation in Mews (a resource access token valid for
// the stay), updating the one already there instead of adding a second.
func sendPIN(ctx context.Context, client *mews.Client, token mews.Token, reservationID, pin string) error {
	conn, err := client.Connector(token.Reveal())
	if err != nil {
		return err
	}
	r, err := reservations.Get(ctx, conn, reservationID)
	if err != nil {
		return err
	}
	_, err = pins.Set(ctx, conn, pins.SetParams{Credential: pins.ForReservation(r, pins.PinCode, pin)})
	return err
}
