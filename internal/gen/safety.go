package main

import "strings"

// safetyException is one reviewed departure from the default rule (get… is Read,
// everything else Write), with the reason a reviewer accepted.
type safetyException struct {
	safety string // "Read" or "IdempotentWrite"
	reason string
}

// safetyTable is the one reviewed list of exceptions. Add an operation only with a
// reason that holds when the request reached Mews and the answer was lost: the retry
// must not store anything twice.
var safetyTable = map[string]safetyException{
	"customers/search":               {"Read", "searches customers; stores nothing"},
	"reservations/price":             {"Read", "prices a hypothetical reservation; stores nothing"},
	"serviceOverbookingLimits/clear": {"IdempotentWrite", "clears the limits of the given intervals; clearing twice leaves them cleared"},
}

// safetyOf returns the Safety constant name of an operation and the reason when the
// table decided it.
func safetyOf(name string) (safety, reason string) {
	if e, ok := safetyTable[name]; ok {
		return e.safety, e.reason
	}
	parts := strings.Split(name, "/")
	if len(parts) >= 2 && strings.HasPrefix(parts[1], "get") {
		return "Read", ""
	}
	return "Write", ""
}

// secretsTable lists, per operation, Go statements that add the request's secret
// values (besides the tokens) to op.Secrets, so that the pipeline scrubs them from
// errors and logs even when Mews quotes them back. params is the call's params.
var secretsTable = map[string]string{
	"resourceAccessTokens/add": `for _, t := range params.ResourceAccessTokenParameters {
		op.Secrets = append(op.Secrets, t.Value) // a door PIN or tag value
	}`,
	"resourceAccessTokens/update": `for _, t := range params.ResourceAccessTokenUpdates {
		if t.Value != nil && t.Value.Value != nil {
			op.Secrets = append(op.Secrets, *t.Value.Value) // a door PIN or tag value
		}
	}`,
}

// redactTable lists the generated types that carry a secret in a plain field (a door
// PIN or tag value in a request), with the Go statement that blanks it in r, a copy
// being printed (hidden holds "[redacted]"). Such a type prints redacted under every
// fmt verb and in slog; its JSON form stays the wire's. Hand-written types that hold a
// secret (pins.Credential) redact themselves.
var redactTable = map[string]string{
	"ResourceAccessTokenParameters":       `r.Value = hidden`,
	"ResourceAccessTokenUpdateParameters": `if r.Value != nil { r.Value = &StringUpdateValue{Value: &hidden} }`,
}
