package channelmanager_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// An older mapping whose first attempt failed with a 503 waits to be retried when the
// channel manager sets a newer one. The older retry must not land after the newer
// mapping: setInventory replaces the whole mapping, so Mews would be left with the
// older one.
func TestSetInventoryRetryOfAnOlderMappingNeverLandsAfterANewerOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, cm := chmtest.NewChannelManager(t, mewstest.ConnectionToken)
		srv.InjectFault(mewstest.Fault{Operation: "setInventory", Status: http.StatusServiceUnavailable})
		older := []channelmanager.InventoryMapping{{RatePlanCode: mewstest.RatePlanFlexible, SpaceTypeCode: mewstest.SpaceTypeDouble}}
		newer := []channelmanager.InventoryMapping{{RatePlanCode: mewstest.RatePlanNonRefundable, SpaceTypeCode: mewstest.SpaceTypeSingle}}

		olderErr := make(chan error, 1)
		go func() {
			olderErr <- channelmanager.SetInventory(context.Background(), cm, channelmanager.SetInventoryParams{Mappings: older})
		}()
		synctest.Wait() // the older push got its 503 and waits to retry
		if err := channelmanager.SetInventory(context.Background(), cm, channelmanager.SetInventoryParams{Mappings: newer}); err != nil {
			t.Fatalf("newer push: %v", err)
		}
		time.Sleep(5 * time.Minute) // far beyond any retry of the older push
		synctest.Wait()

		want := []mewstest.InventoryMapping{{RatePlanCode: mewstest.RatePlanNonRefundable, SpaceTypeCode: mewstest.SpaceTypeSingle}}
		if d := cmp.Diff(want, srv.InventoryMappings(mewstest.ConnectionToken)); d != "" {
			t.Errorf("Mews holds another mapping than the newer one (-want +got):\n%s", d)
		}
		select {
		case err := <-olderErr:
			if !errors.Is(err, channelmanager.ErrSuperseded) {
				t.Errorf("older push returned %v, want ErrSuperseded", err)
			}
		default:
			t.Error("the older push is still running")
		}
	})
}
