package connection_test

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

// newServer is an in-process fake Mews and a client on it, usable inside synctest.
func newServer(t *testing.T, opts ...mews.Option) (*mewstest.Server, *mews.Client) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return srv, client
}

// connector builds Connector credentials or fails the test.
func connector(t *testing.T, token string) connection.Credentials {
	t.Helper()
	c, err := connection.ConnectorCredentials(token)
	if err != nil {
		t.Fatalf("ConnectorCredentials: %v", err)
	}
	return c
}

// recorder collects monitor events.
type recorder struct {
	mu     sync.Mutex
	events []connection.Event
}

func (r *recorder) record(ev connection.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

// transitions returns "Prev>New" for each event of key.
func (r *recorder) transitions(key string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, ev := range r.events {
		if ev.Key == key {
			out = append(out, ev.Previous.String()+">"+ev.Status.String())
		}
	}
	return out
}

// newMonitor starts a monitor whose events go to a recorder and closes it at cleanup.
// Options given replace the recorder's WithOnEvent.
func newMonitor(t *testing.T, client *mews.Client, opts ...connection.Option) (*connection.Monitor, *recorder) {
	t.Helper()
	rec := &recorder{}
	m, err := connection.NewMonitor(client, append([]connection.Option{connection.WithOnEvent(rec.record)}, opts...)...)
	if err != nil {
		t.Fatalf("NewMonitor: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m, rec
}

// status is the monitor's current status of key.
func status(t *testing.T, m *connection.Monitor, key string) connection.Status {
	t.Helper()
	st, ok := m.State(key)
	if !ok {
		t.Fatalf("State(%q): not watched", key)
	}
	return st.Status
}

// configChecks counts configuration/get requests made with token.
func configChecks(srv *mewstest.Server, token string) int {
	n := 0
	for _, r := range srv.RequestsFor("configuration/get") {
		if strings.Contains(string(r.Body), token) {
			n++
		}
	}
	return n
}

// advance moves the bubble's clock by d and waits until every goroutine is idle.
func advance(d time.Duration) {
	time.Sleep(d)
	synctest.Wait()
}

// monitorGoroutines counts the goroutines running code of the connection package.
func monitorGoroutines() int {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	count := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, "mews-go/connection.(") || strings.Contains(g, "mews-go/connection.newMonitor") {
			count++
		}
	}
	return count
}

// mustAdd watches a connection or fails the test.
func mustAdd(t *testing.T, m *connection.Monitor, key string, creds connection.Credentials) {
	t.Helper()
	if err := m.Add(key, creds); err != nil {
		t.Fatalf("Add(%q): %v", key, err)
	}
}

// validate validates creds through the handle client makes for them, the way a connect
// form does.
func validate(ctx context.Context, client *mews.Client, creds connection.Credentials) (connection.Result, error) {
	if creds.API == mews.ChannelManagerAPI {
		cm, err := client.ChannelManager(creds.Token.Reveal())
		if err != nil {
			return connection.Result{}, err
		}
		return connection.ValidateChannelManager(ctx, cm)
	}
	cn, err := client.Connector(creds.Token.Reveal())
	if err != nil {
		return connection.Result{}, err
	}
	return connection.Validate(ctx, cn)
}
