package connector

import "time"

// wireTime is how a time goes to Mews: in UTC, truncated to 100 ns (seven fractional
// digits, the precision of Mews' .NET times; Go would write nine).
func wireTime(t time.Time) time.Time { return t.UTC().Truncate(100 * time.Nanosecond) }

func wireTimePtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	w := wireTime(*t)
	return &w
}
