package mewstest_test

import (
	"fmt"
	"testing"

	"github.com/mewskit/mews-go/mewstest"
)

func TestWithSeedMonthsSeedsEveryRoomAndStateOverTheChosenSpanOnly(t *testing.T) {
	t.Parallel()
	full := mewstest.NewServer(mewstest.WithInProcess())
	defer full.Close()
	small := mewstest.NewServer(mewstest.WithInProcess(), mewstest.WithSeedMonths(1, 1))
	defer small.Close()
	if len(small.Rooms()) != len(full.Rooms()) {
		t.Errorf("%d rooms, want every one of the %d the default seed has", len(small.Rooms()), len(full.Rooms()))
	}
	first, last := mewstest.SeedEpoch().AddDate(0, -1, 0), mewstest.SeedEpoch().AddDate(0, 1, 0)
	states := map[string]int{}
	roomless := 0
	for _, r := range small.Reservations() {
		states[r.State]++
		if r.RoomID == "" {
			roomless++
		}
		if r.ScheduledStartUtc.Before(first) || !r.ScheduledStartUtc.Before(last) {
			t.Errorf("reservation %s arrives %s, outside the month either side of SeedEpoch", r.ID, r.ScheduledStartUtc)
		}
	}
	for _, s := range []string{"Inquired", "Confirmed", "Started", "Processed", "Canceled", "Optional", "Requested"} {
		if states[s] == 0 {
			t.Errorf("no reservation in state %s", s)
		}
	}
	if roomless == 0 {
		t.Error("no booking without a room")
	}
	if n, all := len(small.Reservations()), len(full.Reservations()); n == 0 || n > all/6 {
		t.Errorf("%d reservations, want some, and at most a sixth of the default seed's %d", n, all)
	}
	again := mewstest.NewServer(mewstest.WithInProcess(), mewstest.WithSeedMonths(1, 1))
	defer again.Close()
	if a, b := small.Reservations()[10], again.Reservations()[10]; a != b {
		t.Errorf("two servers with the same span hold different seeds: %+v vs %+v", a, b)
	}
}

func TestWithSeedMonthsRefusesASpanOutOfRange(t *testing.T) {
	t.Parallel()
	for _, span := range [][2]int{{-1, 1}, {1, -1}, {121, 0}, {0, 121}} {
		t.Run(fmt.Sprint(span), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("WithSeedMonths(%d, %d) did not panic", span[0], span[1])
				}
			}()
			mewstest.WithSeedMonths(span[0], span[1])
		})
	}
}
