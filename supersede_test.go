package mews_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/mewskit/mews-go"
)

var pushURL = mews.Demo().ReservationPushURL

// pushLog is a fake Channel Manager push endpoint: it records the version of every push
// that reaches it, and answers each with the status its script gives for that version
// and attempt (200 when the script says nothing). A version listed in hold waits for its
// release channel before it is answered.
type pushLog struct {
	mu       sync.Mutex
	received []string
	script   map[string][]int
	hold     map[string]chan struct{}
}

func (p *pushLog) responder(r *http.Request) (*http.Response, error) {
	var body struct{ Version string }
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		return nil, err
	}
	p.mu.Lock()
	p.received = append(p.received, body.Version)
	status := http.StatusOK
	if s := p.script[body.Version]; len(s) > 0 {
		status, p.script[body.Version] = s[0], s[1:]
	}
	release := p.hold[body.Version]
	delete(p.hold, body.Version)
	p.mu.Unlock()
	if release != nil {
		<-release
	}
	return httpmock.NewStringResponse(status, `{}`), nil
}

func (p *pushLog) got() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.received...)
}

// push sends a full-state push of version under key, and delivers its outcome on the
// returned channel.
func push(ctx context.Context, conn *mews.ChannelManager, key, version string) <-chan error {
	done := make(chan error, 1)
	go func() {
		op := mews.Operation{Name: "processGroup", Safety: mews.IdempotentWrite, Supersedes: key}
		done <- conn.CallChannelManager(ctx, op, map[string]string{"version": version}, nil)
	}()
	return done
}

func TestAnOldPushWaitingToRetryNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		log := &pushLog{script: map[string][]int{"old": {503}}}
		m.mt.RegisterResponder("POST", pushURL, log.responder)

		old := push(t.Context(), m.conn, "group-1", "old")
		synctest.Wait() // the old push got its 503 and waits to retry
		newer := push(t.Context(), m.conn, "group-1", "new")

		if err := <-old; !errors.Is(err, mews.ErrSuperseded) || errors.Is(err, mews.ErrSystem) {
			t.Errorf("old push = %v; want only ErrSuperseded", err)
		}
		if err := <-newer; err != nil {
			t.Errorf("newer push = %v", err)
		}
		synctest.Wait()
		if diff := cmp.Diff([]string{"old", "new"}, log.got()); diff != "" {
			t.Errorf("pushes received (-want +got):\n%s", diff)
		}
	})
}

func TestPushesWithOtherKeysAreNotSuperseded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		log := &pushLog{script: map[string][]int{"group-1": {503}}}
		m.mt.RegisterResponder("POST", pushURL, log.responder)

		first := push(t.Context(), m.conn, "group-1", "group-1")
		synctest.Wait()
		other := push(t.Context(), m.conn, "group-2", "group-2")

		if err := <-first; err != nil {
			t.Errorf("push of group 1 = %v; want its retry to succeed", err)
		}
		if err := <-other; err != nil {
			t.Errorf("push of group 2 = %v", err)
		}
		if diff := cmp.Diff([]string{"group-1", "group-2", "group-1"}, log.got()); diff != "" {
			t.Errorf("pushes received (-want +got):\n%s", diff)
		}
	})
}

func TestThreeOverlappingPushesLandOldestInFlightThenNewest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		release := make(chan struct{})
		log := &pushLog{script: map[string][]int{"v1": {503}}, hold: map[string]chan struct{}{"v1": release}}
		m.mt.RegisterResponder("POST", pushURL, log.responder)

		v1 := push(t.Context(), m.conn, "group-1", "v1")
		synctest.Wait() // v1 is at Mews
		v2 := push(t.Context(), m.conn, "group-1", "v2")
		synctest.Wait() // v2 waits for v1
		v3 := push(t.Context(), m.conn, "group-1", "v3")
		if err := <-v2; !errors.Is(err, mews.ErrSuperseded) {
			t.Errorf("v2 = %v; want ErrSuperseded before it was sent", err)
		}
		synctest.Wait()
		if diff := cmp.Diff([]string{"v1"}, log.got()); diff != "" {
			t.Errorf("while v1 is in flight, pushes received (-want +got):\n%s", diff)
		}

		close(release) // v1 is answered 503, and must not be retried
		if err := <-v1; !errors.Is(err, mews.ErrSuperseded) {
			t.Errorf("v1 = %v; want ErrSuperseded", err)
		}
		if err := <-v3; err != nil {
			t.Errorf("v3 = %v", err)
		}
		if diff := cmp.Diff([]string{"v1", "v3"}, log.got()); diff != "" {
			t.Errorf("pushes received (-want +got):\n%s", diff)
		}
	})
}

func TestAPushWhoseContextEndsWhileWaitingForAnEarlierOneIsNotSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		release := make(chan struct{})
		log := &pushLog{hold: map[string]chan struct{}{"v1": release}}
		m.mt.RegisterResponder("POST", pushURL, log.responder)

		v1 := push(t.Context(), m.conn, "group-1", "v1")
		synctest.Wait()
		ctx, cancel := context.WithCancel(t.Context())
		v2 := push(ctx, m.conn, "group-1", "v2")
		synctest.Wait()
		cancel()
		if err := <-v2; !errors.Is(err, context.Canceled) || errors.Is(err, mews.ErrSuperseded) {
			t.Errorf("v2 = %v; want context.Canceled", err)
		}
		close(release)
		if err := <-v1; err != nil {
			t.Errorf("v1 = %v; want its answer, it was at Mews when v2 started", err)
		}
		v3 := push(t.Context(), m.conn, "group-1", "v3")
		if err := <-v3; err != nil {
			t.Errorf("v3 = %v", err)
		}
		if diff := cmp.Diff([]string{"v1", "v3"}, log.got()); diff != "" {
			t.Errorf("pushes received (-want +got):\n%s", diff)
		}
	})
}

func TestPushesGoToTheEnvironmentsPushURLsWithoutNamingThem(t *testing.T) {
	const groups, blocks = "https://push.example.com/groups", "https://push.example.com/blocks"
	m := newMocked(t, mews.WithPushURLs(groups, blocks))
	m.mt.RegisterResponder("POST", groups, jsonResponder(200, `{}`))
	m.mt.RegisterResponder("POST", blocks, jsonResponder(200, `{}`))
	for _, name := range []string{"processGroup", "processAvailabilityBlock"} {
		if err := m.conn.CallChannelManager(t.Context(), mews.Operation{Name: name, Safety: mews.IdempotentWrite}, nil, nil); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if m.calls(groups) != 1 || m.calls(blocks) != 1 {
		t.Errorf("calls = %v; want one to each push URL", m.mt.GetCallCountInfo())
	}
}

func TestAPushSupersededWhileWaitingForTheLimiterIsNeverSent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithChannelManagerRateLimit(1, time.Minute))
		log := &pushLog{}
		m.mt.RegisterResponder("POST", pushURL, log.responder)

		if err := <-push(t.Context(), m.conn, "group-0", "budget"); err != nil {
			t.Fatal(err)
		}
		old := push(t.Context(), m.conn, "group-1", "old")
		synctest.Wait() // the old push waits for the limiter
		newer := push(t.Context(), m.conn, "group-1", "new")
		if err := <-old; !errors.Is(err, mews.ErrSuperseded) {
			t.Errorf("old push = %v; want ErrSuperseded", err)
		}
		if err := <-newer; err != nil {
			t.Errorf("newer push = %v", err)
		}
		if diff := cmp.Diff([]string{"budget", "new"}, log.got()); diff != "" {
			t.Errorf("pushes received (-want +got):\n%s", diff)
		}
	})
}
