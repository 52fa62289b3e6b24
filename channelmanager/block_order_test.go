package channelmanager_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// pushRace sends older, whose first attempt fails with a 503 so that it waits to be
// retried, then newer, and returns what older returned once every retry had time to run.
func pushRace(t *testing.T, srv *mewstest.Server, op string, older, newer func() error) error {
	t.Helper()
	srv.InjectFault(mewstest.Fault{Operation: op, Status: http.StatusServiceUnavailable})
	olderErr := make(chan error, 1)
	go func() { olderErr <- older() }()
	synctest.Wait() // the older push got its 503 and waits to retry
	if err := newer(); err != nil {
		t.Fatalf("newer push: %v", err)
	}
	time.Sleep(5 * time.Minute) // far beyond any retry of the older push
	synctest.Wait()
	select {
	case err := <-olderErr:
		return err
	default:
		t.Fatal("the older push is still running")
		return nil
	}
}

func TestBlockUpdateRetryOfAnOlderStateNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		m, _ := exampleBlock(t)
		m.AvailabilityBlock.ConfirmationNumber = ""
		if _, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, *m); err != nil {
			t.Fatal(err)
		}
		created, _ := srv.Block(m.AvailabilityBlock.Code)
		update := func(name string) func() error {
			u := *m
			u.MessageID = ""
			u.AvailabilityBlock.Status = channelmanager.BlockUpdated
			u.AvailabilityBlock.ConfirmationNumber = created.ConfirmationNumber
			u.AvailabilityBlock.Name = name
			return func() error {
				_, err := channelmanager.ProcessAvailabilityBlock(context.Background(), cm, u)
				return err
			}
		}
		err := pushRace(t, srv, "processAvailabilityBlock", update("older name"), update("newer name"))
		if b, _ := srv.Block(m.AvailabilityBlock.Code); b.Name != "newer name" {
			t.Errorf("Mews holds the block named %q, want the newer state", b.Name)
		}
		if !errors.Is(err, channelmanager.ErrSuperseded) {
			t.Errorf("older push returned %v, want ErrSuperseded", err)
		}
	})
}

func TestConfirmationRetryOfAnOlderOutcomeNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		const op = "processAvailabilityConfirmation"
		confirm := func(c channelmanager.Confirmation) func() error {
			return func() error { return channelmanager.ConfirmAvailabilityUpdate(context.Background(), cm, c) }
		}
		failed := channelmanager.Confirmation{RelatedMessageID: "mews-push-of-availability", Success: false,
			Errors: []mews.ErrorDetail{{Code: mews.CodeProcessing, Message: "space type unknown"}}}
		succeeded := channelmanager.Confirmation{RelatedMessageID: "mews-push-of-availability", Success: true}
		err := pushRace(t, srv, op, confirm(failed), confirm(succeeded))
		var last struct{ Success bool }
		delivered := 0
		for _, r := range srv.RequestsFor(op) {
			if r.Status == http.StatusOK {
				delivered++
				if err := json.Unmarshal(r.Body, &last); err != nil {
					t.Fatal(err)
				}
			}
		}
		if delivered == 0 || !last.Success {
			t.Errorf("the last confirmation Mews accepted says success=%v (of %d), want the newer success", last.Success, delivered)
		}
		if !errors.Is(err, channelmanager.ErrSuperseded) {
			t.Errorf("older confirmation returned %v, want ErrSuperseded", err)
		}
	})
}
