package events_test

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
)

// hotel is the seeded hotel on an in-process fake Mews.
func hotel(t *testing.T) (*mewstest.Server, *mews.Connector) {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	return srv, conn
}

// newClient is an events client for conn that reaches srv in-process.
func newClient(t *testing.T, srv *mewstest.Server, conn *mews.Connector, opts ...events.Option) *events.Client {
	t.Helper()
	opts = append([]events.Option{events.WithHTTPClient(&http.Client{Transport: srv.Transport()})}, opts...)
	c, err := events.New(conn, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// noResync is a resync hook with nothing to catch up.
func noResync(context.Context, events.Resync) error { return nil }

// log is what a consumer saw, in order: events and resyncs.
type log struct {
	mu      sync.Mutex
	events  []events.Event
	resyncs []events.Resync
}

func (l *log) addEvent(ev events.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
}

func (l *log) addResync(r events.Resync) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.resyncs = append(l.resyncs, r)
}

func (l *log) Events() []events.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]events.Event(nil), l.events...)
}

func (l *log) Resyncs() []events.Resync {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]events.Resync(nil), l.resyncs...)
}

// consume ranges over c's events on a goroutine, calling handle for each, until the
// range ends; wait returns the range's error.
func consume(ctx context.Context, c *events.Client, handle func(events.Event)) (wait func() error) {
	done := make(chan error, 1)
	go func() {
		for ev, err := range c.Events(ctx) {
			if err != nil {
				done <- err
				return
			}
			handle(ev)
		}
		done <- nil
	}()
	return func() error { return <-done }
}
