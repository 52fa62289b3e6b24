package connector

import (
	"context"

	mews "github.com/mewskit/mews-go"
)

// Caller sends one Connector operation through the SDK's pipeline (credentials merged,
// rate limit, write-safe retries, typed errors, redaction). *mews.Connector implements
// it; stub it in your own tests.
//
// This file is the one place that names the handle's method: after the redesign it
// becomes mews.ConnectorCaller and its CallConnector method.
type Caller interface {
	Do(ctx context.Context, op mews.Operation, in, out any) error
}

// call sends op through h, refusing a nil handle before anything is sent.
func call(ctx context.Context, h Caller, op mews.Operation, in, out any) error {
	if h == nil {
		return &mews.InputError{Operation: op.Name, Field: "h", Reason: "is nil; pass a *mews.Connector from Client.Connector"}
	}
	return h.Do(ctx, op, in, out)
}
