package events_test

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
)

// On a real loopback socket, outside any bubble: the goroutine count settles back to
// where it was once Close returns.
func TestOnLoopbackCloseLeavesNoGoroutineBehind(t *testing.T) {
	srv := mewstest.NewServer()
	defer srv.Close()
	client, err := mews.NewClient(srv.ClientOptions()...)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	baseline := runtime.NumGoroutine()

	c, err := events.New(conn, events.WithResync(noResync))
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan events.Event, 1)
	ended := make(chan error, 1)
	go func() {
		for ev, err := range c.Events(context.Background()) {
			if err != nil {
				ended <- err
				return
			}
			got <- ev
		}
		ended <- nil
	}()
	deadline := time.Now().Add(10 * time.Second)
	for srv.OpenWebSockets() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no socket opened on the loopback server within 10s")
		}
		time.Sleep(time.Millisecond)
	}
	srv.SendEvents(mewstest.EnterpriseID, mewstest.WebSocketEvent{Type: "Resource", ID: "room", State: "Dirty"})
	if ev := <-got; ev != (events.Resource{ID: "room", State: "Dirty"}) {
		t.Errorf("event = %#v", ev)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-ended; err != nil {
		t.Errorf("range ended with %v, want nil after Close", err)
	}
	srv.Close()
	http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	for n := runtime.NumGoroutine(); n > baseline; n = runtime.NumGoroutine() {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines after Close, %d before:\n%s", n, baseline, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(time.Millisecond)
	}
}

func TestNewRefusesWhatCannotWork(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	noWebSocket := mews.CustomEnvironment(srv.URL)
	noWebSocket.WebSocketURL = ""
	bare, err := mews.NewClient(mews.WithEnvironment(noWebSocket), mews.WithClientToken(mewstest.ClientToken))
	if err != nil {
		t.Fatal(err)
	}
	bareConn, _ := bare.Connector(mewstest.AccessToken)
	resync := events.WithResync(noResync)
	tests := []struct {
		name string
		conn events.Connector
		opts []events.Option
	}{
		{"no resync hook", conn, nil},
		{"nil resync hook", conn, []events.Option{events.WithResync(nil)}},
		{"nil connector", nil, []events.Option{resync}},
		{"nil *mews.Connector", (*mews.Connector)(nil), []events.Option{resync}},
		{"environment without WebSocketURL", bareConn, []events.Option{resync}},
		{"nil HTTP client", conn, []events.Option{resync, events.WithHTTPClient(nil)}},
		{"nil logger", conn, []events.Option{resync, events.WithLogger(nil)}},
		{"cookie header", conn, []events.Option{resync, events.WithHeader("cookie", "AccessToken=other")}},
		{"handshake header", conn, []events.Option{resync, events.WithHeader("Sec-WebSocket-Protocol", "x")}},
		{"header name with a space", conn, []events.Option{resync, events.WithHeader("X Proxy", "1")}},
		{"header value with a line break", conn, []events.Option{resync, events.WithHeader("X-Proxy", "1\r\nCookie: x")}},
		{"ping under a second", conn, []events.Option{resync, events.WithPingInterval(time.Millisecond)}},
		{"backoff min zero", conn, []events.Option{resync, events.WithBackoff(0, time.Second)}},
		{"backoff max below min", conn, []events.Option{resync, events.WithBackoff(time.Minute, time.Second)}},
		{"empty buffer", conn, []events.Option{resync, events.WithBuffer(0)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := events.New(tt.conn, tt.opts...)
			var inputErr *mews.InputError
			if !errors.As(err, &inputErr) || !errors.Is(err, mews.ErrInvalidInput) {
				t.Errorf("err = %v, want an *mews.InputError", err)
			}
		})
	}
	if _, err := events.New(conn, resync, events.WithHeader("X-Proxy-Key", "abc"), events.WithPingInterval(time.Second)); err != nil {
		t.Errorf("valid options refused: %v", err)
	}
}
