// Package months adds calendar months the way Mews counts them, for the interval
// limits of Connector filters (a window may be at most three months long).
//
//	end := months.Add(start, 3) // 30 November + 3 months = 28 February
package months

import "time"

// Add adds n calendar months to t the way .NET's DateTime.AddMonths does, which is how
// Mews checks its interval limits: the day of the month is clamped to the last day of
// the target month (31 January + 1 month = 28 or 29 February), where Go's AddDate
// would overflow into March.
func Add(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, t.Location())
	if last := first.AddDate(0, 1, -1).Day(); d > last {
		d = last
	}
	hh, mm, ss := t.Clock()
	return time.Date(first.Year(), first.Month(), d, hh, mm, ss, t.Nanosecond(), t.Location())
}
