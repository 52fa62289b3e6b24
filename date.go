package mews

import (
	"fmt"
	"strconv"
	"time"
)

// Date is a civil (calendar) date with no time of day and no time zone, written "yyyy-MM-dd".
//
// The Channel Manager API exchanges only dates (arrival, departure, price intervals), and a
// time.Time would invite time-zone shifts that move a stay by a day. Dates compare with ==,
// Before, After and Compare; the zero value is "no date" and encodes as JSON null.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// dateLayout is the wire format of Date.
const dateLayout = "2006-01-02"

// NewDate returns the date year-month-day, normalizing out-of-range values the way
// time.Date does (NewDate(2024, 2, 30) is 2024-03-01).
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// Today returns the current date in loc (a hotel's time zone, for instance); nil means UTC.
func Today(loc *time.Location) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(time.Now().In(loc))
}

// ParseDate parses "yyyy-MM-dd" and rejects dates that do not exist (2023-02-29).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || len(s) != len(dateLayout) {
		return Date{}, fmt.Errorf("mews: date %q: want yyyy-MM-dd, a real calendar date", truncateForError(s))
	}
	return DateOf(t), nil
}

// parseDateBytes is ParseDate without allocations, for the decoder's common case.
func parseDateBytes(b []byte) (Date, bool) {
	if len(b) != len(dateLayout) || b[4] != '-' || b[7] != '-' {
		return Date{}, false
	}
	num := func(part []byte) int {
		n := 0
		for _, c := range part {
			if c < '0' || c > '9' {
				return -1
			}
			n = n*10 + int(c-'0')
		}
		return n
	}
	d := Date{Year: num(b[:4]), Month: time.Month(num(b[5:7])), Day: num(b[8:])}
	return d, d.Year >= 0 && d.IsValid()
}

// IsZero reports whether d is the zero Date (no date); `omitzero` uses it.
func (d Date) IsZero() bool { return d == Date{} }

// IsValid reports whether d names a real calendar date.
func (d Date) IsValid() bool { return !d.IsZero() && NewDate(d.Year, d.Month, d.Day) == d }

// In returns midnight at the start of d in loc (nil means UTC).
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days after d (n may be negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// DaysUntil returns the number of days from d to later; for an arrival and a departure date
// this is the number of nights. It is negative when later is before d. It counts in Unix
// seconds rather than a time.Duration, which saturates at about 292 years.
func (d Date) DaysUntil(later Date) int {
	const day = 24 * 60 * 60
	return int((later.In(time.UTC).Unix() - d.In(time.UTC).Unix()) / day)
}

// Compare returns -1 if d is before other, +1 if it is after, and 0 if they are equal.
func (d Date) Compare(other Date) int {
	switch {
	case d.Year != other.Year:
		return cmpInt(d.Year, other.Year)
	case d.Month != other.Month:
		return cmpInt(int(d.Month), int(other.Month))
	}
	return cmpInt(d.Day, other.Day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before other.
func (d Date) Before(other Date) bool { return d.Compare(other) < 0 }

// After reports whether d is strictly after other.
func (d Date) After(other Date) bool { return d.Compare(other) > 0 }

// String returns "yyyy-MM-dd", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendTo(make([]byte, 0, 10)))
}

func (d Date) appendTo(b []byte) []byte {
	y := d.Year
	if y < 0 {
		b = append(b, '-')
		y = -y
	}
	b = appendPadded(b, y, 4)
	b = append(b, '-')
	b = appendPadded(b, int(d.Month), 2)
	b = append(b, '-')
	return appendPadded(b, d.Day, 2)
}

func appendPadded(b []byte, n, width int) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// MarshalJSON writes "yyyy-MM-dd", or null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	b := append(make([]byte, 0, 12), '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "yyyy-MM-dd"; null and "" give the zero Date.
func (d *Date) UnmarshalJSON(data []byte) error {
	if string(data) == "null" || string(data) == `""` {
		*d = Date{}
		return nil
	}
	if len(data) == len(dateLayout)+2 && data[0] == '"' {
		if v, ok := parseDateBytes(data[1 : len(data)-1]); ok && data[len(data)-1] == '"' {
			*d = v
			return nil
		}
	}
	s := string(data)
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return fmt.Errorf("mews: date %s: want a JSON string yyyy-MM-dd", truncateForError(s))
	}
	v, err := ParseDate(s[1 : len(s)-1])
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalText writes "yyyy-MM-dd" ("" for the zero Date).
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses "yyyy-MM-dd"; "" gives the zero Date.
func (d *Date) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
