package chm_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/internal/chm"
	"github.com/mewskit/mews-go/internal/chm/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// pusher records the order in which pushes were sent. A push takes hold to be
// delivered; when its context ends first it returns, after stop (an attempt in flight
// that takes a while to abandon).
type pusher struct {
	mu   sync.Mutex
	sent []string
}

func (p *pusher) send(name string, hold, stop time.Duration) func(context.Context) error {
	return func(ctx context.Context) error {
		p.mu.Lock()
		p.sent = append(p.sent, name)
		p.mu.Unlock()
		select {
		case <-ctx.Done():
			time.Sleep(stop)
			return ctx.Err()
		case <-time.After(hold):
			return nil
		}
	}
}

func TestLatestLetsTheNewestPushWinAndSendsNothingOlderAfterIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		p := &pusher{}
		errs := make(map[string]error)
		var mu sync.Mutex
		run := func(name, key string, hold, stop time.Duration) {
			err := chm.Latest(context.Background(), cm, "setInventory", key, p.send(name, hold, stop))
			mu.Lock()
			errs[name] = err
			mu.Unlock()
		}
		go run("first", "k", time.Hour, 10*time.Second)
		synctest.Wait()
		go run("second", "k", time.Hour, 0) // waits for the first to stop
		go run("other key", "other", time.Second, 0)
		synctest.Wait()
		go run("third", "k", time.Second, 0) // supersedes the second before it is sent
		time.Sleep(time.Minute)
		synctest.Wait()
		if !sameOrderOnKey(p.sent) {
			t.Errorf("sent %q, want first then third on the key (the second superseded before sending) and the other key once", p.sent)
		}
		want := map[string]error{"first": chm.ErrSuperseded, "second": chm.ErrSuperseded, "third": nil, "other key": nil}
		for name, w := range want {
			if got := errs[name]; !errors.Is(got, w) || (w == nil && got != nil) {
				t.Errorf("%s returned %v, want %v", name, got, w)
			}
		}
	})
}

// sameOrderOnKey reports whether the pushes of key "k" went out as first, third (the
// second was superseded before it was sent).
func sameOrderOnKey(sent []string) bool {
	var k []string
	for _, s := range sent {
		if s != "other key" {
			k = append(k, s)
		}
	}
	return len(k) == 2 && k[0] == "first" && k[1] == "third" && len(sent) == 3
}

func TestLatestReturnsTheCallersCancellationNotSuperseded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- chm.Latest(ctx, cm, "setInventory", "k", (&pusher{}).send("only", time.Hour, 0)) }()
		synctest.Wait()
		cancel()
		if err := <-done; !errors.Is(err, context.Canceled) || errors.Is(err, chm.ErrSuperseded) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
}
