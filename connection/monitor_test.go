package connection_test

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

const interval = time.Minute

func TestMonitorNewConnectionTurnsConnectedRightAway(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, client := newServer(t)
		m, rec := newMonitor(t, client, connection.WithInterval(interval))
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		st, _ := m.State("hotel")
		if st.Status != connection.Connected || st.Enterprise.Name != mewstest.EnterpriseName {
			t.Errorf("State = %v %+v, want Connected to %q", st.Status, st.Enterprise, mewstest.EnterpriseName)
		}
		if diff := cmp.Diff([]string{"Unknown>Connected"}, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestMonitorRevokedCredentialsTurnBrokenWithinOneInterval(t *testing.T) {
	tests := []struct {
		name   string
		api    mews.API
		add    func(*mewstest.Server) string
		revoke func(*mewstest.Server, string) bool
		reason error
	}{
		{"Connector token revoked", mews.ConnectorAPI,
			func(s *mewstest.Server) string { return s.AddAccessToken(mewstest.EnterpriseID) },
			(*mewstest.Server).Revoke, mews.ErrInvalidAuthentication},
		{"Channel Manager token revoked", mews.ChannelManagerAPI,
			func(s *mewstest.Server) string { return s.AddConnection(mewstest.PropertyID) },
			(*mewstest.Server).Revoke, mews.ErrInvalidAuthentication},
		{"Channel Manager connection deactivated", mews.ChannelManagerAPI,
			func(s *mewstest.Server) string { return s.AddConnection(mewstest.PropertyID) },
			(*mewstest.Server).Deactivate, mews.ErrConnectionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, client := newServer(t)
				m, rec := newMonitor(t, client, connection.WithInterval(interval), connection.WithJitter(10*time.Second))
				tok := tt.add(srv)
				mustAdd(t, m, "hotel", connection.Credentials{API: tt.api, Token: mustToken(t, tok)})
				synctest.Wait()
				tt.revoke(srv, tok)
				revoked := time.Now()
				for status(t, m, "hotel") != connection.Broken {
					if time.Since(revoked) > interval {
						t.Fatalf("still %v %v after the revocation", status(t, m, "hotel"), time.Since(revoked))
					}
					advance(time.Second)
				}
				st, _ := m.State("hotel")
				if !errors.Is(st.Reason, tt.reason) {
					t.Errorf("Reason = %v, want %v", st.Reason, tt.reason)
				}
				if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken"}, rec.transitions("hotel")); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestMonitorTransientFaultsGiveDegradedNeverBroken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
		m, rec := newMonitor(t, client, connection.WithInterval(interval), connection.WithDegradedAfter(2))
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		faults := []mewstest.Fault{
			{Status: http.StatusServiceUnavailable}, {Status: http.StatusTooManyRequests, RetryAfter: "5"},
			{Status: http.StatusRequestTimeout}, {Refuse: true}, {ResetBeforeProcessing: true},
		}
		for _, f := range faults {
			f.Operation = "configuration/get"
			srv.InjectFault(f)
		}
		advance(6 * interval)
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get"}) // a no-op fault keeps the order readable
		advance(2 * interval)
		want := []string{"Unknown>Connected", "Connected>Degraded", "Degraded>Connected"}
		if diff := cmp.Diff(want, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestMonitorDegradedConnectionReportsTheLastError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
		m, _ := newMonitor(t, client, connection.WithInterval(interval), connection.WithDegradedAfter(3))
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Times: -1, Status: http.StatusInternalServerError})
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		advance(interval)
		if got := status(t, m, "hotel"); got != connection.Unknown {
			t.Fatalf("after 2 failures: %v, want Unknown", got)
		}
		advance(interval)
		st, _ := m.State("hotel")
		if st.Status != connection.Degraded || st.Failures != 3 || !errors.Is(st.Reason, mews.ErrSystem) {
			t.Errorf("after 3 failures: %v, %d failures, reason %v; want Degraded, 3, ErrSystem", st.Status, st.Failures, st.Reason)
		}
	})
}

func TestMonitorBrokenStaysBrokenOnTransientFailures(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
		m, _ := newMonitor(t, client, connection.WithInterval(interval), connection.WithDegradedAfter(1))
		tok := srv.AddAccessToken(mewstest.EnterpriseID)
		srv.Revoke(tok)
		mustAdd(t, m, "hotel", connector(t, tok))
		synctest.Wait()
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Times: 3, Status: http.StatusBadGateway})
		advance(3 * interval)
		st, _ := m.State("hotel")
		if st.Status != connection.Broken || !errors.Is(st.Reason, mews.ErrInvalidAuthentication) {
			t.Errorf("State = %v (%v), want Broken with the rejection as reason", st.Status, st.Reason)
		}
	})
}

func TestMonitorRestoredTokenComesBackConnected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, rec := newMonitor(t, client, connection.WithInterval(interval))
		tok := srv.AddAccessToken(mewstest.EnterpriseID)
		srv.Revoke(tok)
		mustAdd(t, m, "hotel", connector(t, tok))
		synctest.Wait()
		srv.Restore(tok)
		advance(interval)
		if diff := cmp.Diff([]string{"Unknown>Broken", "Broken>Connected"}, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestMonitorEndpointPermission401DoesNotBreakAHealthyConnection(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		srv.HandleConnector("resourceAccessTokens/add", func(*mewstest.Request) (any, error) {
			return nil, mewstest.ConnectorError(http.StatusUnauthorized, "You are not authorized to use this operation.")
		})
		m, rec := newMonitor(t, client, connection.WithInterval(time.Hour), connection.WithConfirmDelay(time.Minute))
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		cn, err := client.Connector(mewstest.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		callErr := cn.CallConnector(t.Context(), mews.Operation{Name: "resourceAccessTokens/add", Safety: mews.Write}, map[string]any{}, nil)
		if !errors.Is(callErr, mews.ErrInvalidAuthentication) {
			t.Fatalf("own call: %v, want a 401", callErr)
		}
		if !m.Report("hotel", callErr) {
			t.Fatal("Report did not schedule a confirming check")
		}
		advance(2 * time.Minute)
		if n := configChecks(srv, mewstest.AccessToken); n != 2 {
			t.Errorf("%d configuration/get calls, want 2 (the first check and the confirmation)", n)
		}
		if diff := cmp.Diff([]string{"Unknown>Connected"}, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestMonitorReportConfirmsARevocationBeforeTheInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, _ := newMonitor(t, client, connection.WithInterval(time.Hour), connection.WithConfirmDelay(time.Minute))
		tok := srv.AddAccessToken(mewstest.EnterpriseID)
		mustAdd(t, m, "hotel", connector(t, tok))
		synctest.Wait()
		srv.Revoke(tok)
		m.Report("hotel", &mews.APIError{API: mews.ConnectorAPI, Operation: "reservations/getAll/2023-06-06", StatusCode: http.StatusUnauthorized})
		if got := status(t, m, "hotel"); got != connection.Connected {
			t.Fatalf("right after Report: %v, want Connected until confirmed", got)
		}
		advance(time.Minute)
		if got := status(t, m, "hotel"); got != connection.Broken {
			t.Errorf("a ConfirmDelay after Report: %v, want Broken", got)
		}
	})
}

func TestMonitorReportIgnoresTransientErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, _ := newMonitor(t, client, connection.WithInterval(time.Hour))
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		for _, err := range []error{nil, mews.ErrRateLimited, mews.ErrSystem, errors.New("boom")} {
			if m.Report("hotel", err) {
				t.Errorf("Report(%v) scheduled a check", err)
			}
		}
		advance(time.Minute)
		if n := configChecks(srv, mewstest.AccessToken); n != 1 {
			t.Errorf("%d configuration/get calls, want 1", n)
		}
	})
}

func TestMonitorCheckJumpsAheadOfDueChecks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: time.Second})
		m, _ := newMonitor(t, client, connection.WithInterval(time.Hour), connection.WithConcurrency(1))
		tokens := make([]string, 20)
		for i := range tokens {
			tokens[i] = srv.AddAccessToken(mewstest.EnterpriseID)
			mustAdd(t, m, tokens[i], connector(t, tokens[i]))
		}
		last := tokens[len(tokens)-1]
		if err := m.Check(last); err != nil {
			t.Fatal(err)
		}
		advance(time.Minute)
		var order []string
		for _, r := range srv.RequestsFor("configuration/get") {
			for _, tok := range tokens {
				if strings.Contains(string(r.Body), tok) {
					order = append(order, tok)
				}
			}
		}
		if len(order) != len(tokens) || !slices.Contains(order[:2], last) {
			t.Errorf("the forced check ran at position %d of %d, want among the first two", slices.Index(order, last)+1, len(order))
		}
	})
}

func TestMonitorUpdateSwitchesToTheNewTokenAndChecksAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, rec := newMonitor(t, client, connection.WithInterval(time.Hour))
		old := srv.AddAccessToken(mewstest.EnterpriseID)
		mustAdd(t, m, "hotel", connector(t, old))
		synctest.Wait()
		fresh := srv.Rotate(old)
		if err := m.Check("hotel"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := m.Update("hotel", connector(t, fresh)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		want := []string{"Unknown>Connected", "Connected>Broken", "Broken>Connected"}
		if diff := cmp.Diff(want, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestMonitorAddUpdateRemoveErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, client := newServer(t)
		m, _ := newMonitor(t, client)
		creds := connector(t, mewstest.AccessToken)
		if err := m.Add("", creds); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("Add with an empty key: %v, want ErrInvalidInput", err)
		}
		if err := m.Add("hotel", connection.Credentials{API: mews.ConnectorAPI}); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("Add with a zero token: %v, want ErrInvalidInput", err)
		}
		chm := connection.Credentials{API: mews.ChannelManagerAPI, Token: mustToken(t, mewstest.ConnectionToken), IntegrationID: mewstest.IntegrationID}
		if err := m.Add("chm", chm); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("Add of a Channel Manager connection with an IntegrationID: %v, want ErrInvalidInput", err)
		}
		mustAdd(t, m, "hotel", creds)
		if err := m.Add("hotel", creds); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("Add twice: %v, want ErrInvalidInput", err)
		}
		if err := m.Update("other", creds); !errors.Is(err, connection.ErrNotWatched) {
			t.Errorf("Update of an unknown key: %v, want ErrNotWatched", err)
		}
		if err := m.Check("other"); !errors.Is(err, connection.ErrNotWatched) {
			t.Errorf("Check of an unknown key: %v, want ErrNotWatched", err)
		}
		if !m.Remove("hotel") || m.Remove("hotel") {
			t.Error("Remove should report true once, then false")
		}
		m.Close()
		if err := m.Add("late", creds); !errors.Is(err, connection.ErrClosed) {
			t.Errorf("Add after Close: %v, want ErrClosed", err)
		}
	})
}

func TestMonitorRemovedConnectionIsNoLongerChecked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, _ := newMonitor(t, client, connection.WithInterval(interval))
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		m.Remove("hotel")
		advance(5 * interval)
		if n := configChecks(srv, mewstest.AccessToken); n != 1 {
			t.Errorf("%d checks, want only the first one", n)
		}
		if s := m.Snapshot(); len(s) != 0 {
			t.Errorf("Snapshot = %v, want empty", s)
		}
	})
}

func TestMonitorSnapshotListsEveryConnectionByKey(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, _ := newMonitor(t, client, connection.WithInterval(interval))
		revoked := srv.AddAccessToken(mewstest.EnterpriseID)
		srv.Revoke(revoked)
		cm, err := connection.ChannelManagerCredentials(mewstest.ConnectionToken)
		if err != nil {
			t.Fatal(err)
		}
		for key, creds := range map[string]connection.Credentials{
			"c-hotel": connector(t, mewstest.AccessToken), "a-revoked": connector(t, revoked), "b-chm": cm,
		} {
			mustAdd(t, m, key, creds)
		}
		synctest.Wait()
		type row struct {
			Key    string
			Status connection.Status
			Name   string
		}
		var got []row
		for _, s := range m.Snapshot() {
			got = append(got, row{s.Key, s.Status, s.Enterprise.Name + s.Property})
		}
		want := []row{
			{"a-revoked", connection.Broken, ""},
			{"b-chm", connection.Connected, mewstest.PropertyName},
			{"c-hotel", connection.Connected, mewstest.EnterpriseName},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Snapshot (-want +got):\n%s", diff)
		}
		stats := m.Stats()
		if stats.Watched != 3 || stats.Connected != 2 || stats.Broken != 1 || stats.Checks != 3 {
			t.Errorf("Stats = %+v", stats)
		}
	})
}

func TestMonitorSlowConsumerDoesNotBlockChecksAndGetsCoalescedEvents(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		release := make(chan struct{})
		var delivered []connection.Event
		var blocked atomic.Bool
		blocked.Store(true)
		m, _ := newMonitor(t, client, connection.WithInterval(interval), connection.WithJitter(time.Nanosecond), connection.WithOnEvent(func(ev connection.Event) {
			if blocked.Load() {
				<-release
			}
			delivered = append(delivered, ev)
		}))
		tok := srv.AddAccessToken(mewstest.EnterpriseID)
		mustAdd(t, m, "hotel", connector(t, tok))
		synctest.Wait() // Unknown>Connected is being delivered and blocks the consumer
		for range 3 {
			srv.Revoke(tok)
			advance(interval)
			srv.Restore(tok)
			advance(interval)
		}
		srv.Revoke(tok)
		advance(interval)
		if got := m.Stats().Checks; got != 8 {
			t.Errorf("%d checks ran while the consumer was stuck, want 8", got)
		}
		blocked.Store(false)
		close(release)
		synctest.Wait()
		var got []string
		for _, ev := range delivered {
			got = append(got, ev.Previous.String()+">"+ev.Status.String())
		}
		if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken"}, got); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
		if c := m.Stats().CoalescedEvents; c != 6 {
			t.Errorf("CoalescedEvents = %d, want 6", c)
		}
	})
}

func TestMonitorKeepsAFixedNumberOfGoroutines(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, err := connection.NewMonitor(client, connection.WithInterval(interval), connection.WithConcurrency(4), connection.WithOnEvent(func(connection.Event) {}))
		if err != nil {
			t.Fatal(err)
		}
		for i := range 500 {
			tok := srv.AddAccessToken(mewstest.EnterpriseID)
			if err := m.Add(tok, connector(t, tok)); err != nil {
				t.Fatalf("Add %d: %v", i, err)
			}
		}
		advance(interval / 2)
		if got, want := monitorGoroutines(), 4+2; got != want {
			t.Errorf("%d goroutines at rest for 500 connections, want %d (workers, scheduler, delivery)", got, want)
		}
		m.Close()
		if got := monitorGoroutines(); got != 0 {
			t.Errorf("%d goroutines after Close, want 0", got)
		}
	})
}

func TestMonitorCloseCancelsChecksInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: time.Hour})
		m, _ := newMonitor(t, client)
		mustAdd(t, m, "hotel", connector(t, mewstest.AccessToken))
		synctest.Wait()
		start := time.Now()
		m.Close()
		if d := time.Since(start); d > 0 {
			t.Errorf("Close took %v of fake time, want it to cancel the check at once", d)
		}
	})
}

func TestNewMonitorOptionsDoNotDependOnTheirOrder(t *testing.T) {
	_, client := newServer(t)
	for name, opts := range map[string][]connection.Option{
		"interval first": {connection.WithInterval(time.Hour), connection.WithJitter(10 * time.Minute)},
		"jitter first":   {connection.WithJitter(10 * time.Minute), connection.WithInterval(time.Hour)},
	} {
		m, err := connection.NewMonitor(client, opts...)
		if err != nil {
			t.Errorf("%s: %v, want a jitter below the interval accepted", name, err)
			continue
		}
		m.Close()
	}
}

func TestNewMonitorRejectsBadConfig(t *testing.T) {
	_, client := newServer(t)
	for name, opts := range map[string][]connection.Option{
		"negative interval":             {connection.WithInterval(-time.Second)},
		"zero check timeout":            {connection.WithCheckTimeout(0)},
		"jitter not below interval":     {connection.WithInterval(time.Minute), connection.WithJitter(time.Minute)},
		"jitter given before interval":  {connection.WithJitter(time.Minute), connection.WithInterval(time.Minute)},
		"negative concurrency":          {connection.WithConcurrency(-1)},
		"misconfigured share above one": {connection.WithMisconfiguredShare(1.5)},
		"negative misconfigured share":  {connection.WithMisconfiguredShare(-0.1)},
		"NaN misconfigured share":       {connection.WithMisconfiguredShare(math.NaN())},
		"nil event handler":             {connection.WithOnEvent(nil)},
	} {
		if _, err := connection.NewMonitor(client, opts...); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: %v, want ErrInvalidInput", name, err)
		}
	}
	if _, err := connection.NewMonitor(nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil client: %v, want ErrInvalidInput", err)
	}
}

func TestMonitorIgnoresTheResultOfACheckWithReplacedCredentials(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: 10 * time.Second})
		m, rec := newMonitor(t, client, connection.WithInterval(interval))
		old := srv.AddAccessToken(mewstest.EnterpriseID)
		mustAdd(t, m, "hotel", connector(t, old))
		synctest.Wait() // the first check is waiting for its slow answer
		fresh := srv.Rotate(old)
		if err := m.Update("hotel", connector(t, fresh)); err != nil {
			t.Fatal(err)
		}
		advance(time.Minute / 2)
		if diff := cmp.Diff([]string{"Unknown>Connected"}, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if n := configChecks(srv, fresh); n != 1 {
			t.Errorf("%d checks with the new token, want 1 right after the old check", n)
		}
	})
}

func TestMonitorWebhookWinsOverACheckInFlight(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: 10 * time.Second})
		if err := r.m.Check("hotel"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the forced check is waiting for its slow answer
		r.send(t, mewstest.ActionIntegrationDisabled)
		advance(5 * interval)
		st, _ := r.m.State("hotel")
		if st.Status != connection.Broken || !errors.Is(st.Reason, connection.ErrIntegrationDisabled) {
			t.Errorf("State = %v (%v), want Broken by the webhook", st.Status, st.Reason)
		}
		if n := configChecks(r.srv, r.token); n != 2 {
			t.Errorf("%d checks, want 2: none after the webhook held the connection", n)
		}
	})
}
