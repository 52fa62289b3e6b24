package connector

import (
	"context"

	mews "github.com/mewskit/mews-go"
)

// Caller is the handle every operation takes: mews.ConnectorCaller, which sends one
// Connector operation through the SDK's pipeline (credentials merged, rate limit,
// write-safe retries, typed errors, redaction). *mews.Connector implements it; stub it
// in your own tests.
type Caller = mews.ConnectorCaller

// call sends op through h, refusing a nil handle before anything is sent.
func call(ctx context.Context, h Caller, op mews.Operation, in, out any) error {
	if h == nil {
		return &mews.InputError{Operation: op.Name, Field: "h", Reason: "is nil; pass a *mews.Connector from Client.Connector"}
	}
	return h.CallConnector(ctx, op, in, out)
}
