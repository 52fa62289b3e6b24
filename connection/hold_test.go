package connection_test

import (
	"errors"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

func TestHoldBreaksAConnectionAndStopsItsChecksUntilCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, client := newServer(t)
		m, rec := newMonitor(t, client, connection.WithInterval(interval))
		if err := m.Add("hotel", connector(t, mewstest.AccessToken)); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if err := m.Hold("hotel", connection.ErrIntegrationDisabled); err != nil {
			t.Fatal(err)
		}
		if st, _ := m.State("hotel"); st.Status != connection.Broken || !errors.Is(st.Reason, connection.ErrIntegrationDisabled) {
			t.Errorf("State = %v (%v), want Broken for the disabled integration", st.Status, st.Reason)
		}
		advance(5 * interval)
		if n := configChecks(srv, mewstest.AccessToken); n != 1 {
			t.Errorf("%d checks while held, want only the first", n)
		}
		if err := m.Check("hotel"); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken", "Broken>Connected"}, rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestHoldRefusesANilReasonAndAnUnwatchedKey(t *testing.T) {
	_, client := newServer(t)
	m, _ := newMonitor(t, client)
	if err := m.Hold("hotel", nil); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("nil reason: err = %v, want ErrInvalidInput", err)
	}
	if err := m.Hold("hotel", connection.ErrIntegrationDisabled); !errors.Is(err, connection.ErrNotWatched) {
		t.Errorf("unwatched key: err = %v, want ErrNotWatched", err)
	}
}
