package properties_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/properties"
)

// A door-lock Portal checks a new connection, then loads the hotel's rooms by floor.
func ExampleListResources() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	conn, _ := srv.Connector(mewstest.AccessToken)
	ctx := context.Background()

	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		fmt.Println("error:", err) // a 401 here means the token was revoked
		return
	}
	fmt.Println(cfg.Enterprise.Name, "in", cfg.Enterprise.TimeZoneIdentifier)

	perFloor := map[string]int{}
	for room, err := range properties.ListResources(conn, properties.ListResourcesParams{}).All(ctx) {
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		if room.ParentResourceID == nil {
			perFloor[room.Floor()]++
		}
	}
	fmt.Println("rooms on floor 1:", perFloor["1"], "floor 5:", perFloor["5"])
	// Output:
	// Mewstest Grand Hotel in Europe/Amsterdam
	// rooms on floor 1: 13 floor 5: 12
}
