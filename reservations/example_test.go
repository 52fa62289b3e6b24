package reservations_test

import (
	"context"
	"fmt"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/reservations"
)

// A Portal lists the guests in house and arriving during a period; the SDK pages
// through the results and splits the period into three-month windows.
func ExampleList() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	conn, _ := srv.Connector(mewstest.AccessToken)

	stay := mews.Interval(mewstest.SeedEpoch(), mewstest.SeedEpoch().AddDate(0, 6, 0))
	f := reservations.ListParams{
		CollidingUtc: &stay,
		States:       []reservations.State{reservations.StateConfirmed, reservations.StateStarted},
	}
	byState := map[reservations.State]int{}
	for r, err := range reservations.List(conn, f).All(context.Background()) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		byState[r.State]++
	}
	fmt.Println("in house:", byState[reservations.StateStarted])
	fmt.Println("confirmed:", byState[reservations.StateConfirmed])
	fmt.Println("requests:", len(srv.RequestsFor("reservations/getAll/2023-06-06")))
	// Output:
	// in house: 31
	// confirmed: 1115
	// requests: 4
}

// A long-running service keeps its reservations up to date with a change feed, and
// persists the watermark after every pass so that it resumes where it stopped.
func ExampleChanges() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	conn, _ := srv.Connector(mewstest.AccessToken)

	now := mewstest.SeedEpoch() // stands in for Mews' clock, fixed for the example; leave Now nil in a service
	clock := func() time.Time { return now }
	saved := []byte("2025-12-31T00:00:00Z") // loaded from the service's database

	var wm reservations.Watermark
	_ = wm.UnmarshalText(saved)
	feed := reservations.Changes(conn, wm, reservations.ChangesParams{Now: clock})
	for pass := 1; pass <= 2; pass++ {
		changed := 0
		for _, err := range feed.All(context.Background()) {
			if err != nil {
				fmt.Println("error:", err) // the watermark still marks what was delivered
				break
			}
			changed++ // update the Portal's copy of the reservation here
		}
		saved, _ = feed.Watermark().MarshalText()
		fmt.Printf("pass %d: %d changes, resume from %s\n", pass, changed, saved)
		now = now.Add(time.Hour)
	}
	// Output:
	// pass 1: 514 changes, resume from 2025-12-31T23:59:00Z
	// pass 2: 7 changes, resume from 2026-01-01T00:59:00Z
}
