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

// Windows cuts [start, end) into consecutive half-open windows of at most n calendar
// months, counted as Add counts them. An interval that fits, an instant and an
// inverted interval are one window, as given.
func Windows(start, end time.Time, n int) [][2]time.Time {
	if !start.Before(end) || !end.After(Add(start, n)) {
		return [][2]time.Time{{start, end}}
	}
	var out [][2]time.Time
	for start.Before(end) {
		next := Add(start, n)
		if next.After(end) {
			next = end
		}
		out = append(out, [2]time.Time{start, next})
		start = next
	}
	return out
}
