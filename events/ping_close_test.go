package events_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
)

// A ping still waiting for its pong when the range ends must not leave the socket's
// read blocked: the range would never return, and Close would wait for ever.
func TestTheRangeEndsWhileAPingWaitsForItsPong(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, conn := hotel(t)
		srv.SetWebSocketFaults(mewstest.WebSocketFaults{IgnorePings: true})
		c := newClient(t, srv, conn, events.WithResync(noResync), events.WithPingInterval(10*time.Second))
		ctx, cancel := context.WithCancel(t.Context())
		wait := consume(ctx, c, func(events.Event) {})
		time.Sleep(15 * time.Second) // the first ping went out at 10 s and has no pong
		cancel()
		if err := wait(); !errors.Is(err, context.Canceled) {
			t.Errorf("the range ended with %v, want context.Canceled", err)
		}
	})
}
