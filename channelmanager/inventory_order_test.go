package channelmanager_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

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
		set := func(rate, space string) func() error {
			return func() error {
				return channelmanager.SetInventory(context.Background(), cm, channelmanager.SetInventoryParams{
					Mappings: []channelmanager.InventoryMapping{{RatePlanCode: rate, SpaceTypeCode: space}}})
			}
		}
		err := pushRace(t, srv, "setInventory", set(mewstest.RatePlanFlexible, mewstest.SpaceTypeDouble), set(mewstest.RatePlanNonRefundable, mewstest.SpaceTypeSingle))
		want := []mewstest.InventoryMapping{{RatePlanCode: mewstest.RatePlanNonRefundable, SpaceTypeCode: mewstest.SpaceTypeSingle}}
		if d := cmp.Diff(want, srv.InventoryMappings(mewstest.ConnectionToken)); d != "" {
			t.Errorf("Mews holds another mapping than the newer one (-want +got):\n%s", d)
		}
		if !errors.Is(err, channelmanager.ErrSuperseded) {
			t.Errorf("older push returned %v, want ErrSuperseded", err)
		}
	})
}
