package connection_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

// wrongClientToken stands for a ClientToken that Mews does not know: a typo in the
// deployment, or one Mews revoked.
const wrongClientToken = "7E57C0DE00000000000000000BADC11E-0000000000000000000000000000BAD"

// clientTokenSwitch sends requests to the fake with the seeded ClientToken, or, while
// wrong is set, with one Mews rejects: the whole integration is misconfigured at once.
type clientTokenSwitch struct {
	next  http.RoundTripper
	wrong atomic.Bool
}

func (s *clientTokenSwitch) RoundTrip(req *http.Request) (*http.Response, error) {
	if !s.wrong.Load() || req.Body == nil {
		return s.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	body = bytes.ReplaceAll(body, []byte(mewstest.ClientToken), []byte(wrongClientToken))
	out := req.Clone(req.Context())
	out.Body, out.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return s.next.RoundTrip(out)
}

// clientRecorder collects client-level events.
type clientRecorder struct {
	mu     sync.Mutex
	events []connection.ClientEvent
}

func (r *clientRecorder) record(ev connection.ClientEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *clientRecorder) all() []connection.ClientEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]connection.ClientEvent(nil), r.events...)
}

// count is the number of events recorded so far.
func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}

// fleetSize is the number of connections of a hotel group's Monitor in these tests:
// enough that one rejected connection is far below the misconfiguration quorum, and
// that one sweep costs far more requests than the few backed-off probes. (It was
// 1,000; 200 shows the same under the race detector at a fifth of the cost.)
const fleetSize = 200

// fleet watches n fresh Connector connections and waits until the first checks ran.
func fleet(t *testing.T, srv *mewstest.Server, m *connection.Monitor, n int) []string {
	t.Helper()
	keys := make([]string, n)
	for i := range keys {
		keys[i] = srv.AddAccessToken(mewstest.EnterpriseID)
		mustAdd(t, m, keys[i], connector(t, keys[i]))
	}
	synctest.Wait()
	return keys
}

func TestMonitorWrongClientTokenIsOneClientEventAndLeavesConnectionsAlone(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		t.Cleanup(srv.Close)
		sw := &clientTokenSwitch{next: srv.Transport()}
		client, err := srv.NewClient(mews.WithTransport(sw))
		if err != nil {
			t.Fatal(err)
		}
		rec, clients := &recorder{}, &clientRecorder{}
		m, err := connection.NewMonitor(client, connection.WithInterval(interval), connection.WithConcurrency(16), connection.WithOnEvent(rec.record), connection.WithOnClientEvent(clients.record))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { m.Close() })
		const n = fleetSize
		keys := fleet(t, srv, m, n)
		if s := m.Stats(); s.Connected != n {
			t.Fatalf("before the switch: %+v, want all %d Connected", s, n)
		}
		connectedEvents := rec.count()

		sw.wrong.Store(true)
		start := len(srv.RequestsFor("configuration/get"))
		advance(10 * interval)
		if s := m.Stats(); s.Connected != n {
			t.Errorf("with a wrong ClientToken: %d Connected, %d Broken; want all %d left Connected", s.Connected, s.Broken, n)
		}
		if got := rec.count() - connectedEvents; got != 0 {
			t.Errorf("%d connection events for a client-level fault, want none", got)
		}
		evs := clients.all()
		if len(evs) != 1 || !evs[0].Misconfigured || evs[0].API != mews.ConnectorAPI || !errors.Is(evs[0].Reason, mews.ErrInvalidAuthentication) {
			t.Fatalf("client events = %+v, want one Connector Misconfigured event with the rejection as reason", evs)
		}
		if ev := evs[0]; ev.Watched != n || ev.Rejected < n*9/10 || ev.Rejected > n {
			t.Errorf("event counts Rejected=%d Watched=%d, want nearly all of %d", ev.Rejected, ev.Watched, n)
		}
		if got, ok := m.Misconfigured(mews.ConnectorAPI); !ok || got.Time != evs[0].Time {
			t.Errorf("Misconfigured(Connector) = %+v, %v; want the event", got, ok)
		}
		// One sweep finds the fault; after it, re-checks back off instead of costing one
		// request per connection per interval.
		if spent := len(srv.RequestsFor("configuration/get")) - start; spent > n+20 {
			t.Errorf("%d checks in 10 intervals of misconfiguration, want about one sweep (%d) and a few backed-off probes", spent, n)
		}

		sw.wrong.Store(false)
		advance(2 * interval)
		evs = clients.all()
		if len(evs) != 2 || evs[1].Misconfigured {
			t.Fatalf("after the fix: client events = %+v, want a second one that clears the fault", evs)
		}
		if _, ok := m.Misconfigured(mews.ConnectorAPI); ok {
			t.Error("Misconfigured(Connector) still reports the fault after a connection was accepted")
		}
		if s := m.Stats(); s.Connected != n {
			t.Errorf("after the fix: %+v, want all %d Connected", s, n)
		}
		if got := rec.count() - connectedEvents; got != 0 {
			t.Errorf("%d connection events over the whole episode, want none", got)
		}
		for _, k := range keys[:3] {
			if st, _ := m.State(k); st.Next.IsZero() {
				t.Errorf("%s is not scheduled for periodic checks again", k)
			}
		}
	})
}

func TestMonitorWrongClientTokenFromTheStartLeavesConnectionsUnknown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t, mews.WithClientToken(wrongClientToken))
		clients := &clientRecorder{}
		m, rec := newMonitor(t, client, connection.WithInterval(interval), connection.WithOnClientEvent(clients.record))
		const n = 1000
		// The premise is a Monitor watching all n connections when the answers come. A
		// check that came back before the second Add would find a lone connection, which
		// is Broken at once by design; so the first sweep's answers wait until every
		// connection is added (no fake time passes while the test adds them).
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: time.Second, Times: n})
		fleet(t, srv, m, n)
		advance(3 * interval)
		if s := m.Stats(); s.Unknown != n {
			t.Errorf("%+v, want all %d left Unknown", s, n)
		}
		if n := rec.count(); n != 0 {
			t.Errorf("%d connection events, want none", n)
		}
		if evs := clients.all(); len(evs) != 1 || !evs[0].Misconfigured {
			t.Errorf("client events = %+v, want one Misconfigured", evs)
		}
	})
}

func TestMonitorOneRevokedTokenAmongManyHealthyStillTurnsBroken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		clients := &clientRecorder{}
		m, rec := newMonitor(t, client, connection.WithInterval(interval), connection.WithOnClientEvent(clients.record))
		keys := fleet(t, srv, m, fleetSize)
		revoked := keys[fleetSize/2]
		srv.Revoke(revoked)
		advance(interval)
		if got := status(t, m, revoked); got != connection.Broken {
			t.Errorf("the revoked connection is %v, want Broken", got)
		}
		if s := m.Stats(); s.Connected != fleetSize-1 || s.Broken != 1 {
			t.Errorf("%+v, want %d Connected and 1 Broken", s, fleetSize-1)
		}
		if got := rec.transitions(revoked); len(got) != 2 || got[1] != "Connected>Broken" {
			t.Errorf("events of the revoked connection = %v", got)
		}
		if evs := clients.all(); len(evs) != 0 {
			t.Errorf("client events = %+v, want none", evs)
		}
	})
}

func TestMonitorRevokedTokenFirstInLineTurnsBrokenOnceAnotherIsAccepted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, _ := newMonitor(t, client, connection.WithInterval(time.Hour), connection.WithConcurrency(1))
		revoked := srv.AddAccessToken(mewstest.EnterpriseID)
		srv.Revoke(revoked)
		mustAdd(t, m, revoked, connector(t, revoked))
		fleet(t, srv, m, 5)
		if got := status(t, m, revoked); got != connection.Broken {
			t.Errorf("revoked connection checked first is %v, want Broken once the others were accepted", got)
		}
	})
}

func TestMonitorMisconfiguredClientSurvivesRemoveUpdateAndCheckOfParkedConnections(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		t.Cleanup(srv.Close)
		sw := &clientTokenSwitch{next: srv.Transport()}
		client, err := srv.NewClient(mews.WithTransport(sw))
		if err != nil {
			t.Fatal(err)
		}
		m, _ := newMonitor(t, client, connection.WithInterval(interval))
		keys := fleet(t, srv, m, 20)
		sw.wrong.Store(true)
		advance(2 * interval)
		if _, ok := m.Misconfigured(mews.ConnectorAPI); !ok {
			t.Fatal("the wrong ClientToken was not reported")
		}
		probes := scheduled(m)
		if len(probes) != 1 {
			t.Fatalf("%d connections scheduled while misconfigured (%v), want the one probe", len(probes), probes)
		}
		m.Remove(probes[0]) // the next probe must take its place
		var rest []string
		for _, k := range keys {
			if k != probes[0] {
				rest = append(rest, k)
			}
		}
		if next := scheduled(m); len(next) != 1 {
			t.Fatalf("after removing the probe, %d connections are scheduled (%v), want a new probe", len(next), next)
		}
		if err := m.Update(rest[0], connector(t, srv.Rotate(rest[0]))); err != nil {
			t.Fatal(err)
		}
		if err := m.Check(rest[1]); err != nil {
			t.Fatal(err)
		}
		advance(3 * interval)
		if s := m.Stats(); s.Connected != len(rest) {
			t.Errorf("while misconfigured: %+v, want all %d left Connected", s, len(rest))
		}
		sw.wrong.Store(false)
		advance(2 * interval)
		if _, ok := m.Misconfigured(mews.ConnectorAPI); ok {
			t.Fatal("the fault did not clear once the ClientToken was right again")
		}
		for _, s := range m.Snapshot() {
			if s.Status != connection.Connected || s.Next.IsZero() {
				t.Errorf("%s: %v, next check %v; want Connected and scheduled", s.Key, s.Status, s.Next)
			}
		}
	})
}

// scheduled lists the connections with a periodic check due.
func scheduled(m *connection.Monitor) []string {
	var out []string
	for _, s := range m.Snapshot() {
		if !s.Next.IsZero() {
			out = append(out, s.Key)
		}
	}
	return out
}
