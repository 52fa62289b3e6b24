package channelmanager_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// An older full state whose first attempt failed with a 503 waits to be retried when the
// booking changes again. Its retry must not land after the newer state: Mews would be
// left with the older booking.
func TestProcessGroupRetryOfAnOlderStateNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		send := func(messageID string) func() error {
			g, _ := exampleGroup(t)
			g.MessageID = messageID
			return func() error {
				_, err := channelmanager.ProcessGroup(context.Background(), cm, channelmanager.ProcessGroupParams{Group: *g})
				return err
			}
		}
		err := pushRace(t, srv, "processGroup", send("older-state-of-the-booking"), send("newer-state-of-the-booking"))
		g, _ := exampleGroup(t)
		if stored, _ := srv.Group(g.ChannelManagerID); stored.MessageID != "newer-state-of-the-booking" {
			t.Errorf("Mews holds the state of message %q, want the newer one", stored.MessageID)
		}
		if !errors.Is(err, channelmanager.ErrSuperseded) {
			t.Errorf("older push returned %v, want ErrSuperseded", err)
		}
	})
}
