package connector_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/connector"
	"github.com/mewskit/mews-go/mewstest"
)

// A typed call and a typed listing against the fake Mews.
func Example() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, _ := srv.NewClient()
	conn, _ := client.Connector(mewstest.AccessToken)
	ctx := context.Background()

	cfg, err := connector.GetConfiguration(ctx, conn, connector.ConfigurationFilterParameters{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(cfg.Enterprise.Name)

	// The fake answers companies/getAll from the spec's example; the pager follows
	// the Cursor until Mews has no more.
	for company, err := range connector.GetAllCompanies(conn, connector.CompanyFilterParameters{PageSize: 100}).All(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(company.Name)
	}
	// Output:
	// Mewstest Grand Hotel
	// Sample Company 1
	// Sample Company 2
}
