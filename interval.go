package mews

import (
	"encoding/json"
	"time"

	"github.com/mewskit/mews-go/internal/months"
)

// MaxIntervalMonths is the longest time-interval filter, in calendar months, that most
// Connector operations accept (CreatedUtc, UpdatedUtc, CollidingUtc, ScheduledStartUtc…).
// Longer intervals are answered with 400, so the SDK splits them into windows.
const MaxIntervalMonths = 3

// TimeInterval is the Connector's time filter: the half-open interval
// StartUtc <= t < EndUtc. When StartUtc equals EndUtc Mews matches that exact instant.
// It always encodes in UTC, whatever location the times carry.
type TimeInterval struct {
	StartUtc time.Time `json:"StartUtc"`
	EndUtc   time.Time `json:"EndUtc"`
}

// Interval returns the half-open interval [start, end).
func Interval(start, end time.Time) TimeInterval {
	return TimeInterval{StartUtc: start, EndUtc: end}
}

// wireTime is how interval ends go on the wire: UTC ISO 8601 with at most seven
// fractional digits, the precision of Mews' .NET times (Go would write nine).
const wireTime = "2006-01-02T15:04:05.9999999Z07:00"

// MarshalJSON writes both ends as UTC ISO 8601 times, truncated to 100 ns. Both ends
// are truncated alike, so consecutive windows stay contiguous.
func (iv TimeInterval) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 80)
	b = append(b, `{"StartUtc":"`...)
	b = iv.StartUtc.UTC().Truncate(100*time.Nanosecond).AppendFormat(b, wireTime)
	b = append(b, `","EndUtc":"`...)
	b = iv.EndUtc.UTC().Truncate(100*time.Nanosecond).AppendFormat(b, wireTime)
	return append(b, `"}`...), nil
}

// UnmarshalJSON reads both ends and converts them to UTC.
func (iv *TimeInterval) UnmarshalJSON(data []byte) error {
	var w struct{ StartUtc, EndUtc time.Time }
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	iv.StartUtc, iv.EndUtc = w.StartUtc.UTC(), w.EndUtc.UTC()
	return nil
}

// Contains reports whether t falls in the interval under Mews' filter rule: start
// inclusive, end exclusive, or exactly the instant when both ends are equal.
func (iv TimeInterval) Contains(t time.Time) bool {
	if iv.StartUtc.Equal(iv.EndUtc) {
		return t.Equal(iv.StartUtc)
	}
	return !t.Before(iv.StartUtc) && t.Before(iv.EndUtc)
}

// Overlaps reports whether the interval [start, end) shares an instant with iv, the
// rule of Mews' CollidingUtc filters.
func (iv TimeInterval) Overlaps(start, end time.Time) bool {
	if iv.StartUtc.Equal(iv.EndUtc) {
		return !iv.StartUtc.Before(start) && iv.StartUtc.Before(end)
	}
	return start.Before(iv.EndUtc) && end.After(iv.StartUtc)
}

// TooLong reports whether the interval is longer than MaxIntervalMonths, measured the
// way Mews measures months: in UTC, where adding three months to 30 November gives 28
// (or 29) February, not 2 March. Months are counted in UTC whatever location the times
// carry, since that is what Mews receives: three local months across a daylight-saving
// change are an hour more or less than three UTC months.
func (iv TimeInterval) TooLong() bool {
	return iv.EndUtc.After(months.Add(iv.StartUtc.UTC(), MaxIntervalMonths))
}

// Validate returns an *InputError naming field when the interval is unusable: a zero
// end or an end before the start. It does not reject long intervals; Split them.
func (iv TimeInterval) Validate(operation, field string) error {
	switch {
	case iv.StartUtc.IsZero() || iv.EndUtc.IsZero():
		return &InputError{Operation: operation, Field: field, Reason: "needs both StartUtc and EndUtc"}
	case iv.EndUtc.Before(iv.StartUtc):
		return &InputError{Operation: operation, Field: field, Reason: "ends before it starts; swap StartUtc and EndUtc"}
	}
	return nil
}

// Split cuts the interval into consecutive half-open windows of at most
// MaxIntervalMonths each, so that every instant of iv lies in exactly one window. Each
// window starts where the previous one ended; month ends and leap days are clamped the
// way Mews counts months. An interval that is short enough, or an instant (start equal
// to end), comes back as the only window.
func (iv TimeInterval) Split() []TimeInterval {
	ws := months.Windows(iv.StartUtc.UTC(), iv.EndUtc.UTC(), MaxIntervalMonths)
	out := make([]TimeInterval, len(ws))
	for i, w := range ws {
		out[i] = TimeInterval{StartUtc: w[0], EndUtc: w[1]}
	}
	return out
}
