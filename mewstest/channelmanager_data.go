package mewstest

import "encoding/json"

// The seeded Channel Manager configuration of PropertyID: mapping codes that tests can
// put into groups, blocks and inventory mappings.
const (
	// SpaceTypeSingle, SpaceTypeDouble and SpaceTypeDorm are space category codes;
	// the dormitory is not synchronized (getConfiguration lists it only on request).
	SpaceTypeSingle = "SGL"
	SpaceTypeDouble = "DBL"
	SpaceTypeDorm   = "DORM"
	// RatePlanFlexible and RatePlanNonRefundable are synchronized rate plans;
	// RatePlanCorporate is not.
	RatePlanFlexible      = "FF"
	RatePlanNonRefundable = "NR"
	RatePlanCorporate     = "CORP"
	// ProductBreakfast is a product mapped to RatePlanFlexible.
	ProductBreakfast = "BRK"
	// PropertyCurrency is the currency of every seeded rate.
	PropertyCurrency = "EUR"
)

// cmItem is a configuration entry with the fields the server filters on; Raw is what
// getConfiguration returns for it.
type cmItem struct {
	Code           string
	IsSynchronized bool
	Raw            json.RawMessage
}

// cmConfiguration is the seeded configuration shared by every property.
type cmConfiguration struct {
	property        json.RawMessage
	spaceCategories []cmItem
	ratePlans       []cmItem
	products        json.RawMessage
	productMappings json.RawMessage
	companies       json.RawMessage
	travelAgencies  json.RawMessage
	ageCategories   json.RawMessage
	channels        []channelWire
}

// channelWire is a sales channel as getChannels returns it.
type channelWire struct {
	Code int    `json:"code"`
	Name string `json:"name"`
}

// seedConfiguration builds the configuration. Amounts are written as Mews writes them
// (20.0, 1.00000000) so clients are tested against exact decimals.
func seedConfiguration() cmConfiguration {
	item := func(code string, synced bool, raw string) cmItem {
		return cmItem{Code: code, IsSynchronized: synced, Raw: json.RawMessage(raw)}
	}
	return cmConfiguration{
		property: json.RawMessage(`{"name":"` + PropertyName + `","description":"A seeded hotel for tests.",` +
			`"languageCode":"en-US","timeZoneIdentifier":"Europe/Amsterdam","websiteUrl":"https://mewstest.example",` +
			`"email":"frontdesk@mewstest.example","telephone":"+31 20 000 0000","spaceCount":21,"pricingMode":0,` +
			`"address":{"addressLine1":"Damrak 1","addressLine2":null,"city":"Amsterdam","country":"NL",` +
			`"latitude":52.3731,"longitude":4.8926,"region":null,"zip":"1012 LG"},` +
			`"images":[{"type":1,"url":"https://mewstest.example/logo.png"}]}`),
		spaceCategories: []cmItem{
			item(SpaceTypeSingle, true, `{"code":"SGL","name":"Single room","isSynchronized":true,"description":"One bed.","classification":9,"bedType":1,"bedCount":1,"extraBedCount":0,"spaceCount":8,"images":[{"url":"https://mewstest.example/sgl.jpg","type":2}]}`),
			item(SpaceTypeDouble, true, `{"code":"DBL","name":"Double room","isSynchronized":true,"description":"A queen bed.","classification":4,"bedType":4,"bedCount":2,"extraBedCount":1,"spaceCount":10,"images":[]}`),
			item(SpaceTypeDorm, false, `{"code":"DORM","name":"Dormitory","isSynchronized":false,"classification":16,"bedCount":6,"spaceCount":3}`),
		},
		ratePlans: []cmItem{
			item(RatePlanFlexible, true, `{"code":"FF","name":"Flexible","description":"Free cancellation until the day before.","currencyCode":"EUR","isSynchronized":true,"rateType":1,"cancellationPolicies":[{"offset":"-1DT0H0M","applicability":3,"penalty":{"relative":{"value":1.0,"nights":1},"absolute":{"amount":0.00,"currencyCode":"EUR"}}}]}`),
			item(RatePlanNonRefundable, true, `{"code":"NR","name":"Non-refundable","currencyCode":"EUR","isSynchronized":true,"rateType":1,"cancellationPolicies":[{"offset":"-100DT0H0M","applicability":2,"penalty":{"relative":{"value":1.00000000,"nights":null},"absolute":{"amount":0.00,"currencyCode":"EUR"}}}]}`),
			item(RatePlanCorporate, false, `{"code":"CORP","name":"Corporate","currencyCode":"EUR","isSynchronized":false,"rateType":0}`),
		},
		products:        json.RawMessage(`[{"code":"BRK","name":"Breakfast","description":"","pricing":4,"unitAmount":{"currencyCode":"EUR","netValue":16.53,"grossValue":20.0,"taxValues":[{"code":"NL-L","value":3.47}]}}]`),
		productMappings: json.RawMessage(`[{"ratePlanCode":"FF","productCode":"BRK"}]`),
		companies:       json.RawMessage(`[{"id":"","iata":"","name":"Mewstest Corp","email":null,"contact":"Jane Doe","phone":"","addresses":[{"addressLine1":"Main St 1","addressLine2":"","city":"Utrecht","zip":"3511 AA","region":null,"country":null,"longitude":null,"latitude":null}],"channel":{"code":438,"name":"Corporate direct"}}]`),
		travelAgencies:  json.RawMessage(`[{"id":"","iata":"11111111","name":"Expedia","email":null,"contact":"Partner desk","phone":"","addresses":[],"channel":{"code":2,"name":"Expedia"}}]`),
		ageCategories:   json.RawMessage(`[{"code":"10","name":"Adult","minimumAge":null,"maximumAge":null},{"code":"8","name":"Child","minimumAge":0,"maximumAge":18}]`),
		channels: []channelWire{
			{1, "Booking.com"}, {2, "Expedia"}, {4, "Airbnb"}, {7, "HRS"}, {438, "Corporate direct"}, {925, "Mewstest Channel"},
		},
	}
}

// defaultInventory is the mapping every new connection starts with.
func defaultInventory() []InventoryMapping {
	return []InventoryMapping{
		{RatePlanCode: RatePlanFlexible, SpaceTypeCode: SpaceTypeSingle},
		{RatePlanCode: RatePlanFlexible, SpaceTypeCode: SpaceTypeDouble},
		{RatePlanCode: RatePlanNonRefundable, SpaceTypeCode: SpaceTypeDouble},
	}
}

// InventoryMapping is one rate plan × space category pair of a connection.
type InventoryMapping struct {
	RatePlanCode  string `json:"ratePlanCode"`
	SpaceTypeCode string `json:"spaceTypeCode"`
}

// hasCode reports whether items holds code.
func hasCode(items []cmItem, code string) bool {
	for _, it := range items {
		if it.Code == code {
			return true
		}
	}
	return false
}
