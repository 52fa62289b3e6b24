package connector

import mews "github.com/mewskit/mews-go"

// operationInfo describes one generated operation.
type operationInfo struct {
	Name         string // path below /api/connector/v1/
	Func         string // the Go function
	Safety       mews.Safety
	SafetyReason string // set when the generator's reviewed table decided Safety
	Paged        bool   // the function returns a *mews.Pager
	Restricted   bool   // Mews grants it to selected partners only
}
