package reservations_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/internal/chm/chmtest"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// An older full state whose first attempt failed with a 503 waits to be retried when the
// booking changes again. Its retry must not land after the newer state: Mews would be
// left with the older booking.
func TestProcessGroupRetryOfAnOlderStateNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		srv.InjectFault(mewstest.Fault{Operation: "processGroup", Status: http.StatusServiceUnavailable})
		older, _ := exampleGroup(t)
		older.MessageID = "older-state-of-the-booking"
		newer, _ := exampleGroup(t)
		newer.MessageID = "newer-state-of-the-booking"

		olderErr := make(chan error, 1)
		go func() {
			_, err := reservations.ProcessGroup(context.Background(), cm, older)
			olderErr <- err
		}()
		synctest.Wait() // the older push got its 503 and waits to retry
		if _, err := reservations.ProcessGroup(context.Background(), cm, newer); err != nil {
			t.Fatalf("newer push: %v", err)
		}
		time.Sleep(5 * time.Minute) // far beyond any retry of the older push
		synctest.Wait()

		stored, _ := srv.Group(newer.ChannelManagerID)
		if stored.MessageID != newer.MessageID {
			t.Errorf("Mews holds the state of message %q, want the newer %q", stored.MessageID, newer.MessageID)
		}
		select {
		case err := <-olderErr:
			if !errors.Is(err, reservations.ErrSuperseded) {
				t.Errorf("older push returned %v, want ErrSuperseded", err)
			}
		default:
			t.Error("the older push is still running")
		}
	})
}
