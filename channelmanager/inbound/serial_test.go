package inbound_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/mewstest"
)

// gateReceiver records the order in which availability pushes enter and holds each
// until its gate opens.
type gateReceiver struct {
	fakeReceiver
	mu      sync.Mutex
	entered []string
	gates   map[string]chan struct{}
}

func (g *gateReceiver) UpdateAvailability(_ context.Context, r *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	g.mu.Lock()
	g.entered = append(g.entered, r.MessageID)
	gate := g.gates[r.MessageID]
	g.mu.Unlock()
	<-gate
	return inbound.Done, nil
}

func (g *gateReceiver) order() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.entered...)
}

func TestHandler_SerialConnectionsProcessOneConnectionAtATimeInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		recv := &gateReceiver{gates: map[string]chan struct{}{"a1": make(chan struct{}), "a2": make(chan struct{}), "b1": make(chan struct{})}}
		srv, ep, _ := setup(t, recv, inbound.WithSerialConnections())
		other := srv.AddConnection(mewstest.PropertyID)
		send := func(id, conn string) {
			go func() {
				_, _ = ep.Push(context.Background(), "updateAvailability", map[string]any{"messageId": id, "connectionToken": conn, "availabilities": []any{}})
			}()
			synctest.Wait()
		}
		send("a1", mewstest.ConnectionToken)
		send("a2", mewstest.ConnectionToken) // same connection: waits for a1
		send("b1", other)                    // another connection: runs at once
		if got := recv.order(); len(got) != 2 || got[0] != "a1" || got[1] != "b1" {
			t.Fatalf("entered %v while a1 runs, want [a1 b1]", got)
		}
		close(recv.gates["a1"])
		synctest.Wait()
		if got := recv.order(); len(got) != 3 || got[2] != "a2" {
			t.Errorf("entered %v after a1 finished, want a2 next", got)
		}
		close(recv.gates["a2"])
		close(recv.gates["b1"])
		synctest.Wait()
	})
}
