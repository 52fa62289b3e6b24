package events_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// portal is a consumer as a door-lock Portal writes one: events are hints, so it
// re-reads each reservation through the API, and its resync hook reads the change feed.
type portal struct {
	conn *mews.Connector
	feed *reservations.ChangeFeed
	log  log

	mu    sync.Mutex
	state map[string]reservations.State
}

func newPortal(conn *mews.Connector) *portal {
	return &portal{
		conn:  conn,
		feed:  reservations.Changes(conn, reservations.NewWatermark(time.Now()), reservations.ChangesParams{Lag: -1}),
		state: make(map[string]reservations.State),
	}
}

func (p *portal) resync(ctx context.Context, r events.Resync) error {
	p.log.addResync(r)
	for res, err := range p.feed.All(ctx) {
		if err != nil {
			return err
		}
		p.set(res.ID, res.State)
	}
	return nil
}

func (p *portal) handle(ctx context.Context) func(events.Event) {
	return func(ev events.Event) {
		p.log.addEvent(ev)
		if r, ok := ev.(events.Reservation); ok {
			fresh, err := reservations.Get(ctx, p.conn, r.ID)
			if err != nil {
				panic(err)
			}
			p.set(fresh.ID, fresh.State)
		}
	}
}

func (p *portal) set(id string, s reservations.State) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.state[id] = s
}

func (p *portal) get(id string) reservations.State {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state[id]
}

// confirmed returns n seeded reservations in state Confirmed.
func confirmed(t *testing.T, srv *mewstest.Server, n int) []string {
	t.Helper()
	var ids []string
	for _, r := range srv.Reservations() {
		if r.State == "Confirmed" && r.EnterpriseID == mewstest.EnterpriseID && len(ids) < n {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) < n {
		t.Fatalf("the seed has %d confirmed reservations, want %d", len(ids), n)
	}
	return ids
}

func setState(state string) func(*mewstest.Reservation) {
	return func(r *mewstest.Reservation) { r.State = state }
}

func TestAfterADropTheClientReconnectsAndTheResyncDeliversTheChangeMadeInTheGap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		ids := confirmed(t, srv, 2)
		before, during := ids[0], ids[1]
		p := newPortal(conn)
		// The change feed reads up to the last whole second, so the reconnect must come
		// at least a second after the change for one pass to see it.
		c := newClient(t, srv, conn, events.WithResync(p.resync), events.WithBackoff(5*time.Second, 10*time.Second))
		ctx, cancel := context.WithCancel(t.Context())
		wait := consume(ctx, c, p.handle(ctx))
		synctest.Wait()

		srv.UpdateReservation(before, setState("Started"))
		synctest.Wait()
		if got := p.get(before); got != reservations.StateStarted {
			t.Fatalf("change over the socket: state %q, want Started", got)
		}

		if n := srv.DropWebSockets(); n != 1 {
			t.Fatalf("dropped %d sockets, want 1", n)
		}
		synctest.Wait() // the client noticed and waits to reconnect
		srv.UpdateReservation(during, setState("Canceled"))
		synctest.Wait()
		if got := p.get(during); got != "" {
			t.Fatalf("a change made with no socket open was seen before the reconnect (state %q); the test does not test the gap", got)
		}

		time.Sleep(10 * time.Second)
		synctest.Wait()
		if got := p.get(during); got != reservations.StateCanceled {
			t.Errorf("change made while disconnected: state %q after the reconnect, want Canceled", got)
		}
		resyncs := p.log.Resyncs()
		if len(resyncs) != 2 || resyncs[0].Connects != 1 || resyncs[0].Cause != nil || resyncs[1].Connects != 2 || resyncs[1].Cause == nil {
			t.Errorf("resyncs = %+v, want the first connect without a cause and the reconnect with the drop as cause", resyncs)
		}
		if got := srv.WebSocketUpgrades(); got != 2 {
			t.Errorf("upgrades = %d, want 2", got)
		}

		cancel()
		if err := wait(); !errors.Is(err, context.Canceled) {
			t.Errorf("range ended with %v, want context.Canceled", err)
		}
	})
}

func TestDuplicatedAndOutOfOrderEventsLeaveAReReadingConsumerCurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		id := confirmed(t, srv, 1)[0]
		stale, _ := srv.Reservation(id)
		p := newPortal(conn)
		c := newClient(t, srv, conn, events.WithResync(p.resync))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, p.handle(ctx))
		synctest.Wait()

		srv.SetWebSocketFaults(mewstest.WebSocketFaults{Duplicate: true, Delay: time.Second})
		srv.UpdateReservation(id, setState("Started"))
		srv.UpdateReservation(id, setState("Processed"))
		// An old event arriving last, as a reordering network or Mews' own retries may.
		start, end := stale.ScheduledStartUtc, stale.ScheduledEndUtc
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Reservation", ID: id, State: stale.State, StartUtc: &start, EndUtc: &end})
		time.Sleep(10 * time.Second)
		synctest.Wait()

		var states []string
		for _, ev := range p.log.Events() {
			if r, ok := ev.(events.Reservation); ok && r.ID == id {
				states = append(states, r.State)
			}
		}
		if diff := cmp.Diff([]string{"Started", "Started", "Processed", "Processed", "Confirmed", "Confirmed"}, states); diff != "" {
			t.Errorf("events received (-want +got):\n%s", diff)
		}
		if got := p.get(id); got != reservations.StateProcessed {
			t.Errorf("state after duplicates and a stale event = %q, want Processed (what Mews holds)", got)
		}
	})
}

func TestRefusedTokensEndTheRangeWithErrInvalidAuthenticationAndStopReconnecting(t *testing.T) {
	tests := []struct {
		name   string
		refuse func(*mewstest.Server)
		status int
	}{
		{"revoked token answered 401", func(s *mewstest.Server) { s.Revoke(mewstest.AccessToken) }, http.StatusUnauthorized},
		{"upgrade answered 403", func(s *mewstest.Server) {
			s.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusForbidden, RefuseTimes: -1})
		}, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, conn := hotel(t)
				c := newClient(t, srv, conn, events.WithResync(noResync))
				wait := consume(t.Context(), c, func(events.Event) {})
				synctest.Wait()

				tt.refuse(srv)
				srv.DropWebSockets()
				time.Sleep(events.DefaultMaxBackoff)
				err := wait()
				if !errors.Is(err, mews.ErrInvalidAuthentication) {
					t.Fatalf("err = %v, want one matching mews.ErrInvalidAuthentication", err)
				}
				var apiErr *mews.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != tt.status {
					t.Errorf("err = %#v, want an *mews.APIError with status %d", err, tt.status)
				}
				for _, secret := range []string{mewstest.AccessToken, mewstest.ClientToken} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("the error shows a token: %v", err)
					}
				}
				attempts := len(srv.RequestsFor("ws/connector"))
				time.Sleep(time.Hour)
				if got := len(srv.RequestsFor("ws/connector")); got != attempts {
					t.Errorf("%d more upgrade attempts after the refusal, want none", got-attempts)
				}
			})
		})
	}
}

func TestEventsOfEveryTypeAreDecodedAndUnknownOnesPassedOnWithTheirJSON(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		c := newClient(t, srv, conn, events.WithResync(noResync))
		var l log
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, l.addEvent)
		synctest.Wait()

		start, end := time.Date(2026, 2, 20, 13, 0, 0, 0, time.UTC), time.Date(2026, 2, 22, 11, 0, 0, 0, time.UTC)
		space := json.RawMessage(`{"Type":"Space","Id":"5ee074b1-6c86-48e8-915f-c7aa4702086f","State":"Dirty"}`)
		broken := json.RawMessage(`{"Type":"Reservation","Id":42}`)
		untyped := json.RawMessage(`{"Id":"x"}`)
		srv.SendEvents(mewstest.EnterpriseID,
			mewstest.WebSocketEvent{Type: "DeviceCommand", ID: "2391a3df-1c61-4131-b6f8-c85b4234adcb", State: "Pending"},
			mewstest.WebSocketEvent{Type: "Reservation", ID: "bfee2c44-1f84-4326-a862-5289598f6e2d", State: "Processed", StartUtc: &start, EndUtc: &end, AssignedResourceID: "room-1"},
			mewstest.WebSocketEvent{Type: "Resource", ID: "5ee074b1-6c86-48e8-915f-c7aa4702086f", State: "Dirty"},
			mewstest.WebSocketEvent{Type: "PriceUpdate", ID: "price-1", RateID: "rate-1", ResourceCategoryID: "category-1", StartUtc: &start},
			space, broken, untyped,
		)
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "second-message", State: "Clean"})
		synctest.Wait()

		want := []events.Event{
			events.DeviceCommand{ID: "2391a3df-1c61-4131-b6f8-c85b4234adcb", State: "Pending"},
			events.Reservation{ID: "bfee2c44-1f84-4326-a862-5289598f6e2d", State: "Processed", StartUtc: start, EndUtc: end, AssignedResourceID: "room-1"},
			events.Resource{ID: "5ee074b1-6c86-48e8-915f-c7aa4702086f", State: "Dirty"},
			events.PriceUpdate{ID: "price-1", StartUtc: start, RateID: "rate-1", ResourceCategoryID: "category-1"},
			events.Unknown{Type: "Space", Raw: space},
			events.Unknown{Type: "Reservation", Raw: broken},
			events.Unknown{Raw: untyped},
			events.Resource{ID: "second-message", State: "Clean"},
		}
		if diff := cmp.Diff(want, l.Events()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestTheFakeSendsReservationAndResourceEventsForItsChanges(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		c := newClient(t, srv, conn, events.WithResync(noResync))
		var l log
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, l.addEvent)
		synctest.Wait()

		room := srv.Rooms()[0]
		start := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
		added := srv.AddReservation(mewstest.Reservation{RoomID: room.ID, ScheduledStartUtc: start, ScheduledEndUtc: start.AddDate(0, 0, 2)})
		srv.UpdateReservation(added.ID, setState("Started"))
		srv.UpdateRoom(room.ID, func(r *mewstest.Room) { r.State = "Dirty" })
		srv.AddReservation(mewstest.Reservation{EnterpriseID: mewstest.SecondEnterpriseID}) // another hotel: not this token's
		synctest.Wait()

		want := []events.Event{
			events.Reservation{ID: added.ID, State: "Confirmed", StartUtc: start, EndUtc: start.AddDate(0, 0, 2), AssignedResourceID: room.ID},
			events.Reservation{ID: added.ID, State: "Started", StartUtc: start, EndUtc: start.AddDate(0, 0, 2), AssignedResourceID: room.ID},
			events.Resource{ID: room.ID, State: "Dirty"},
		}
		if diff := cmp.Diff(want, l.Events()); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestASlowConsumerGetsAResyncInsteadOfTheEventsItCouldNotTakeAndTheSocketStaysUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var l log
		c := newClient(t, srv, conn, events.WithBuffer(3), events.WithResync(func(_ context.Context, r events.Resync) error {
			l.addResync(r)
			return nil
		}))
		release := make(chan struct{})
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, func(ev events.Event) {
			l.addEvent(ev)
			if ev.(events.Resource).ID == "first" {
				<-release // busy with the first event while more arrive
			}
		})
		synctest.Wait()

		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "first"})
		synctest.Wait()
		for range 4 { // one more than the buffer holds
			srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "lost"})
		}
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "after"})
		synctest.Wait()
		close(release)
		synctest.Wait()

		var ids []string
		for _, ev := range l.Events() {
			ids = append(ids, ev.(events.Resource).ID)
		}
		if diff := cmp.Diff([]string{"first", "after"}, ids); diff != "" { // the resync ran between them
			t.Errorf("events taken (-want +got):\n%s", diff)
		}
		want := []events.Resync{{Connects: 1}, {Connects: 1, Cause: events.ErrBufferFull}}
		if diff := cmp.Diff(want, l.Resyncs(), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("resyncs (-want +got):\n%s", diff)
		}
		if got := srv.WebSocketUpgrades(); got != 1 || srv.OpenWebSockets() != 1 {
			t.Errorf("upgrades = %d, open = %d; want the one socket still open", got, srv.OpenWebSockets())
		}
	})
}

func TestAFailedResyncIsRetriedBeforeTheNextEvent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var calls atomic.Int32
		var l log
		c := newClient(t, srv, conn, events.WithResync(func(context.Context, events.Resync) error {
			if calls.Add(1) < 3 {
				return errors.New("Mews is busy")
			}
			return nil
		}))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, l.addEvent)
		synctest.Wait()
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "room"})
		synctest.Wait()
		if n := calls.Load(); n != 1 || len(l.Events()) != 0 {
			t.Fatalf("after one failed resync: %d calls, %d events; want the event held back", n, len(l.Events()))
		}
		time.Sleep(events.DefaultMaxBackoff)
		synctest.Wait()
		if n := calls.Load(); n != 3 || len(l.Events()) != 1 {
			t.Errorf("after the backoff: %d calls, %d events; want 3 calls, then the event", n, len(l.Events()))
		}
	})
}

func TestReconnectsBackOffWithJitterUpToTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusServiceUnavailable, RefuseTimes: 6})
		c := newClient(t, srv, conn, events.WithResync(noResync), events.WithBackoff(time.Second, 4*time.Second))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, func(events.Event) {})
		time.Sleep(time.Minute)
		synctest.Wait()

		attempts := srv.RequestsFor("ws/connector")
		if len(attempts) != 7 || attempts[6].Status != http.StatusSwitchingProtocols {
			t.Fatalf("%d upgrade attempts, want 6 refused and one accepted", len(attempts))
		}
		caps := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second, 4 * time.Second}
		for i, cap := range caps {
			gap := attempts[i+1].Time.Sub(attempts[i].Time)
			if gap < cap/2 || gap > cap {
				t.Errorf("wait before attempt %d = %v, want within [%v, %v]", i+2, gap, cap/2, cap)
			}
		}
	})
}

func TestAnIdleSocketIsPingedAndStaysOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		c := newClient(t, srv, conn, events.WithResync(noResync))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, func(events.Event) {})
		time.Sleep(time.Hour + time.Second)
		synctest.Wait()
		if got, want := srv.WebSocketPings(), int(time.Hour/events.DefaultPingInterval); got != want {
			t.Errorf("pings in an idle hour = %d, want %d", got, want)
		}
		if got := srv.WebSocketUpgrades(); got != 1 {
			t.Errorf("upgrades = %d, want the first socket still open", got)
		}
	})
}

func TestCloseEndsTheRangeAndEveryGoroutine(t *testing.T) {
	// synctest.Test fails if a goroutine the test started is still blocked when it
	// returns, so this passes only if Close ended the client's goroutines.
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		c := newClient(t, srv, conn, events.WithResync(noResync))
		var closeErr error
		wait := consume(context.Background(), c, func(events.Event) { closeErr = c.Close() })
		synctest.Wait()
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "room"})
		if err := wait(); err != nil || closeErr != nil {
			t.Errorf("range ended with %v, Close with %v; want both nil", err, closeErr)
		}
		for _, err := range c.Events(context.Background()) {
			if !errors.Is(err, events.ErrClosed) {
				t.Errorf("a range after Close yields %v, want ErrClosed", err)
			}
		}
		synctest.Wait()
		if n := srv.OpenWebSockets(); n != 0 {
			t.Errorf("%d sockets open after Close", n)
		}
	})
}

func TestASecondRangeOverTheSameClientIsRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		c := newClient(t, srv, conn, events.WithResync(noResync))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, func(events.Event) {})
		synctest.Wait()
		for _, err := range c.Events(ctx) {
			if !errors.Is(err, events.ErrBusy) {
				t.Errorf("second range yields %v, want ErrBusy", err)
			}
		}
	})
}

func TestNoTokenAppearsInTheLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var buf bytes.Buffer
		var mu sync.Mutex
		logger := slog.New(slog.NewTextHandler(&lockedWriter{&mu, &buf}, &slog.HandlerOptions{Level: slog.LevelDebug}))
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusBadGateway})
		c := newClient(t, srv, conn, events.WithResync(func(context.Context, events.Resync) error { return errors.New("resync failed") }), events.WithLogger(logger))
		ctx, cancel := context.WithCancel(t.Context())
		consume(ctx, c, func(events.Event) {})
		time.Sleep(time.Minute)
		srv.DropWebSockets()
		time.Sleep(time.Minute)
		cancel()
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		out := buf.String()
		if !strings.Contains(out, "connect failed") || !strings.Contains(out, "socket lost") || !strings.Contains(out, "resync failed") {
			t.Fatalf("the log misses the connect failure, the drop or the failed resync; the test does not test much")
		}
		for _, secret := range []string{mewstest.AccessToken, mewstest.ClientToken} {
			if strings.Contains(out, secret) {
				t.Errorf("the log shows a token")
			}
		}
	})
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestAPeerThatStopsAnsweringPingsIsDroppedAndReconnected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var l log
		c := newClient(t, srv, conn, events.WithResync(func(_ context.Context, r events.Resync) error {
			l.addResync(r)
			return nil
		}))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, func(events.Event) {})
		synctest.Wait()

		srv.SetWebSocketFaults(mewstest.WebSocketFaults{IgnorePings: true})
		time.Sleep(2 * events.DefaultPingInterval) // a ping, and no pong within the interval
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{})
		time.Sleep(events.DefaultMaxBackoff)
		synctest.Wait()

		resyncs := l.Resyncs()
		if len(resyncs) != 2 || resyncs[1].Cause == nil || !strings.Contains(resyncs[1].Cause.Error(), "no pong") {
			t.Fatalf("resyncs = %+v, want a reconnect caused by the missing pong", resyncs)
		}
		if got := srv.WebSocketUpgrades(); got != 2 {
			t.Errorf("upgrades = %d, want 2", got)
		}
	})
}

func TestAMessageThatIsNotAnEventListIsCaughtUpByAResync(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		var l log
		c := newClient(t, srv, conn, events.WithResync(func(_ context.Context, r events.Resync) error {
			l.addResync(r)
			return nil
		}))
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		consume(ctx, c, l.addEvent)
		synctest.Wait()

		srv.SendWebSocketMessage(mewstest.EnterpriseID, []byte(`<html>Bad Gateway</html>`))
		srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "room", State: "Clean"})
		synctest.Wait()

		want := []events.Resync{{Connects: 1}, {Connects: 1, Cause: events.ErrMalformed}}
		if diff := cmp.Diff(want, l.Resyncs(), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
			t.Errorf("resyncs (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]events.Event{events.Resource{ID: "room", State: "Clean"}}, l.Events()); diff != "" {
			t.Errorf("events after the bad message (-want +got):\n%s", diff)
		}
		if got := srv.WebSocketUpgrades(); got != 1 {
			t.Errorf("upgrades = %d, want the socket kept", got)
		}
	})
}

func TestARefusalThatRetryingCannotCureEndsTheRangeWithTheAPIError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{RefuseStatus: http.StatusNotFound, RefuseTimes: -1})
		c := newClient(t, srv, conn, events.WithResync(noResync))
		err := consume(t.Context(), c, func(events.Event) {})()
		var apiErr *mews.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound || errors.Is(err, mews.ErrInvalidAuthentication) {
			t.Errorf("err = %v, want an *mews.APIError with status 404 that is not an authentication failure", err)
		}
		if n := len(srv.RequestsFor("ws/connector")); n != 1 {
			t.Errorf("%d upgrade attempts, want 1", n)
		}
	})
}

func TestTheRangesAuthenticationErrorTurnsTheConnectionBrokenInAMonitor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		m, err := connection.NewMonitor(conn.Client())
		if err != nil {
			t.Fatal(err)
		}
		defer m.Close()
		creds, err := connection.ConnectorCredentials(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if err := m.Add("hotel", creds); err != nil {
			t.Fatal(err)
		}
		c := newClient(t, srv, conn, events.WithResync(noResync))
		wait := consume(t.Context(), c, func(events.Event) {})
		synctest.Wait()

		srv.Revoke(mewstest.AccessToken)
		srv.DropWebSockets()
		err = wait()
		if !m.Report("hotel", err) {
			t.Fatalf("the Monitor did not take the range's error (%v) as a rejection", err)
		}
		time.Sleep(connection.DefaultConfirmDelay)
		synctest.Wait()
		if st, _ := m.State("hotel"); st.Status != connection.Broken {
			t.Errorf("status = %v after the report, want Broken", st.Status)
		}
	})
}
