package mewstest

import "fmt"

// seedSpan is the months of stays WithSeedMonths asked for.
type seedSpan struct{ before, after int }

// maxSeedMonths bounds WithSeedMonths: ten years of stays is already some 36 000
// reservations.
const maxSeedMonths = 120

// WithSeedMonths seeds the hotel's stays over a span other than the default eighteen
// months: arrivals from before months ahead of SeedEpoch to after months past it (the
// default is 12 and 6, some 6,500 reservations). Every room, and every state the span
// allows, is still there: Started needs before > 0, the future states need after > 0,
// and the bookings without a room scale with after (40 for six months). A test that
// needs a few reservations of each kind rather than eighteen months of them seeds one
// month either side, about a ninth of the data, and starts that much faster, above all
// under the race detector.
//
// Each value must be from 0 to 120 months; WithSeedMonths panics otherwise, as the
// server has no error to return and a test built on a span it did not get proves
// nothing.
func WithSeedMonths(before, after int) ServerOption {
	if before < 0 || after < 0 || before > maxSeedMonths || after > maxSeedMonths {
		panic(fmt.Sprintf("mewstest: WithSeedMonths(%d, %d): each span must be 0 to %d months", before, after, maxSeedMonths))
	}
	return func(s *Server) { s.connector.span = &seedSpan{before: before, after: after} }
}

// seedMonths returns the months of stays to seed before and after SeedEpoch.
func (c *connectorState) seedMonths() (before, after int) {
	if c.span == nil {
		return 12, 6
	}
	return c.span.before, c.span.after
}
