// Package connector is every operation of Mews' Connector API, typed and generated
// from Mews' OpenAPI spec (internal/gen/spec) over the SDK's one request pipeline:
// credentials merged, rate limit, write-safe retries, typed errors and redaction.
//
// Each operation is a function named verb first after its path
// (resourceAccessTokens/add is AddResourceAccessTokens) taking the handle and a params
// struct. A getAll that pages returns a *mews.Pager whose All ranges over every item,
// splitting long time filters into the windows Mews accepts:
//
//	conn := client.Connector(accessToken)
//	cfg, err := connector.GetConfiguration(ctx, conn, connector.ConfigurationFilterParameters{})
//	for t, err := range connector.GetAllResourceAccessTokens(conn, params).All(ctx) { … }
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
