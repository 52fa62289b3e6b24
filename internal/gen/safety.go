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
