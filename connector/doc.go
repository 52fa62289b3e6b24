// Package connector is every operation of Mews' Connector API, typed and generated
// from Mews' OpenAPI spec (internal/gen/spec) over the SDK's one request pipeline:
// credentials merged, rate limit, write-safe retries, typed errors and redaction.
//
// Each operation is a function named verb first after its path
// (resourceAccessTokens/add is AddResourceAccessTokens) taking the handle and a params
// struct. A getAll that pages returns a *mews.Pager whose All ranges over every item,
// splitting long time filters into the windows Mews accepts; as in the hand-written
// lists, its params set PageSize (and Cursor to resume), and the pager fills Limitation.
// The six listings whose responses hold several lists (GetAllAvailabilityBlocks,
// GetAllCompanionships, GetAllOutletItems, GetAllProducts, GetAllRules, GetAllVouchers)
// yield whole responses, one per page:
//
//	conn := client.Connector(accessToken)
//	cfg, err := connector.GetConfiguration(ctx, conn, connector.ConfigurationFilterParameters{})
//	params := connector.ResourceAccessTokenFilterParameters{ServiceOrderIDs: ids, PageSize: 200}
//	for cred, err := range connector.GetAllResourceAccessTokens(conn, params).All(ctx) { … } // cred is a pins.Credential
//
// One Go type per Mews schema: a schema that a hand-written package describes is not
// generated again. Operations use reservations.Reservation, pins.Credential (whose PIN
// is redacted when printed or logged), properties.Configuration, properties.Service,
// properties.Enterprise, properties.Resource and the enums those types use; the table
// is ownedBy in internal/gen/owned.go. connector imports those packages, never the
// reverse, so a program that uses only them does not link the generated operations.
//
// Types follow the spec: nullable and optional values are pointers, times are
// time.Time (sent in UTC), money is mews.Amount, dates mews.Date, enums string types
// with constants that accept values Mews adds later, and Mews' tagged unions
// (coproducts) a Discriminator with an As method per variant. Deprecated operations
// are left out; restricted ones say so in their documentation.
//
// The hand-written packages (reservations, pins, properties, connection) remain the
// easier way for what they cover. Do not edit the zz_ files: change the generator in
// internal/gen and run go generate ./... at the repository root.
package connector

//go:generate sh -c "cd ../internal/gen && go run . -out ../../connector -notes INCONSISTENCIES.txt"
