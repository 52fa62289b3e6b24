package channelmanager_test

import (
	"context"
	"fmt"

	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/mewstest"
)

// A channel manager discovers the properties an employee can access and the connection
// tokens of its integration. The example runs against the in-process fake Mews; use
// mews.NewClient with your environment and clientToken in production.
func ExampleGetProperties() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	props, err := channelmanager.GetProperties(context.Background(), client, channelmanager.GetPropertiesParams{Email: mewstest.EmployeeEmail})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	for _, p := range props {
		fmt.Printf("%s (%s): %d connection(s)\n", p.Name, p.ID, len(p.Connections))
		for _, c := range p.Connections {
			fmt.Printf("  %q token %v\n", c.Name, c.Token) // tokens print redacted
		}
	}
	// Output:
	// Mewstest Grand Hotel (mewstest-grand): 2 connection(s)
	//   "Main connection" token [redacted …00D1]
	//   "Old connection (deactivated)" token [redacted …00D2]
	// White House Hotel (whh): 0 connection(s)
}

// Reading a connection's configuration gives the mapping codes to use in reservation
// groups and the property's pricing mode.
func ExampleGetConfiguration() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		fmt.Println("error:", err)
		return
	}

	cfg, err := channelmanager.GetConfiguration(context.Background(), cm, channelmanager.ConfigurationExtent{IncludeProducts: true})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Printf("%s, %s prices, time zone %s\n", cfg.Property.Name, cfg.Property.PricingMode, cfg.Property.TimeZoneIdentifier)
	for _, r := range cfg.RatePlans {
		fmt.Printf("rate %s %q in %s\n", r.Code, r.Name, r.CurrencyCode)
	}
	for _, c := range cfg.SpaceCategories {
		fmt.Printf("space category %s %q (%s, %d spaces)\n", c.Code, c.Name, c.Classification, c.SpaceCount)
	}
	for _, p := range cfg.Products {
		fmt.Printf("product %s %q %s gross, %s\n", p.Code, p.Name, p.UnitAmount.GrossValue, p.Pricing)
	}
	// Output:
	// Mewstest Grand Hotel, Gross prices, time zone Europe/Amsterdam
	// rate FF "Flexible" in EUR
	// rate NR "Non-refundable" in EUR
	// space category SGL "Single room" (SingleRoom, 8 spaces)
	// space category DBL "Double room" (DoubleRoom, 10 spaces)
	// product BRK "Breakfast" 20.0 gross, PerPersonPerNight
}

// A channel manager maps the flexible rate to double rooms only, replacing whatever
// the connection had.
func ExampleSetInventory() {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	client, err := srv.NewClient()
	if err != nil {
		panic(err)
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		panic(err)
	}
	p := channelmanager.SetInventoryParams{Mappings: []channelmanager.InventoryMapping{
		{RatePlanCode: mewstest.RatePlanFlexible, SpaceTypeCode: mewstest.SpaceTypeDouble},
	}}
	if err := channelmanager.SetInventory(context.Background(), cm, p); err != nil {
		panic(err)
	}
	fmt.Println(srv.InventoryMappings(mewstest.ConnectionToken))
	// Output:
	// [{FF DBL}]
}
