package mews_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam without the system's zone database

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
)

func utc(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func TestSplitCutsConsecutiveWindowsOfAtMostThreeMonths(t *testing.T) {
	for _, tc := range []struct {
		name string
		iv   mews.TimeInterval
		want []mews.TimeInterval
	}{
		{
			name: "short interval stays whole",
			iv:   mews.Interval(utc(2025, 1, 1, 0), utc(2025, 2, 1, 0)),
			want: []mews.TimeInterval{mews.Interval(utc(2025, 1, 1, 0), utc(2025, 2, 1, 0))},
		},
		{
			name: "exactly three months stays whole",
			iv:   mews.Interval(utc(2025, 1, 1, 0), utc(2025, 4, 1, 0)),
			want: []mews.TimeInterval{mews.Interval(utc(2025, 1, 1, 0), utc(2025, 4, 1, 0))},
		},
		{
			name: "one instant more is split",
			iv:   mews.Interval(utc(2025, 1, 1, 0), utc(2025, 4, 1, 0).Add(time.Second)),
			want: []mews.TimeInterval{
				mews.Interval(utc(2025, 1, 1, 0), utc(2025, 4, 1, 0)),
				mews.Interval(utc(2025, 4, 1, 0), utc(2025, 4, 1, 0).Add(time.Second)),
			},
		},
		{
			name: "month end chains from the clamped day",
			iv:   mews.Interval(utc(2025, 11, 30, 0), utc(2026, 9, 1, 0)),
			want: []mews.TimeInterval{
				mews.Interval(utc(2025, 11, 30, 0), utc(2026, 2, 28, 0)),
				mews.Interval(utc(2026, 2, 28, 0), utc(2026, 5, 28, 0)),
				mews.Interval(utc(2026, 5, 28, 0), utc(2026, 8, 28, 0)),
				mews.Interval(utc(2026, 8, 28, 0), utc(2026, 9, 1, 0)),
			},
		},
		{
			name: "leap day",
			iv:   mews.Interval(utc(2023, 11, 30, 6), utc(2024, 6, 1, 0)),
			want: []mews.TimeInterval{
				mews.Interval(utc(2023, 11, 30, 6), utc(2024, 2, 29, 6)),
				mews.Interval(utc(2024, 2, 29, 6), utc(2024, 5, 29, 6)),
				mews.Interval(utc(2024, 5, 29, 6), utc(2024, 6, 1, 0)),
			},
		},
		{
			name: "an instant is not split",
			iv:   mews.Interval(utc(2025, 1, 1, 0), utc(2025, 1, 1, 0)),
			want: []mews.TimeInterval{mews.Interval(utc(2025, 1, 1, 0), utc(2025, 1, 1, 0))},
		},
		{
			name: "other locations come back in UTC",
			iv:   mews.Interval(time.Date(2025, 1, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600)), utc(2025, 2, 1, 0)),
			want: []mews.TimeInterval{mews.Interval(utc(2025, 1, 1, 0), utc(2025, 2, 1, 0))},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.iv.Split()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("windows (-want +got):\n%s", diff)
			}
			for i, w := range got {
				if w.TooLong() {
					t.Errorf("window %d %v is longer than Mews accepts", i, w)
				}
				if i > 0 && !w.StartUtc.Equal(got[i-1].EndUtc) {
					t.Errorf("window %d does not start where window %d ends", i, i-1)
				}
			}
		})
	}
}

func TestTooLongCountsMonthsInUTCWhateverTheLocation(t *testing.T) {
	// Three wall-clock months in Amsterdam from summer to winter time are three months
	// and an hour in UTC, which Mews refuses; the reverse is an hour short.
	ams, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	summerToWinter := mews.Interval(time.Date(2025, 8, 15, 12, 0, 0, 0, ams), time.Date(2025, 11, 15, 12, 0, 0, 0, ams))
	if !summerToWinter.TooLong() {
		t.Errorf("%v is three months and an hour in UTC; TooLong = false", summerToWinter)
	}
	if got := summerToWinter.Split(); len(got) != 2 || got[0].TooLong() {
		t.Errorf("Split = %v, want two windows Mews accepts", got)
	}
	winterToSummer := mews.Interval(time.Date(2025, 1, 15, 12, 0, 0, 0, ams), time.Date(2025, 4, 15, 12, 0, 0, 0, ams))
	if winterToSummer.TooLong() {
		t.Errorf("%v is three months minus an hour in UTC; TooLong = true", winterToSummer)
	}
}

func TestTimeIntervalContainsIsHalfOpen(t *testing.T) {
	iv := mews.Interval(utc(2025, 1, 1, 0), utc(2025, 1, 2, 0))
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{
		{utc(2025, 1, 1, 0), true},
		{utc(2025, 1, 1, 23), true},
		{utc(2025, 1, 2, 0), false},
		{utc(2024, 12, 31, 23), false},
	} {
		if got := iv.Contains(tc.at); got != tc.want {
			t.Errorf("Contains(%s) = %v, want %v", tc.at, got, tc.want)
		}
	}
	instant := mews.Interval(utc(2025, 1, 1, 0), utc(2025, 1, 1, 0))
	if !instant.Contains(utc(2025, 1, 1, 0)) || instant.Contains(utc(2025, 1, 1, 1)) {
		t.Error("an instant interval must match exactly that instant")
	}
}

func TestTimeIntervalOverlapsLikeCollidingUtc(t *testing.T) {
	iv := mews.Interval(utc(2025, 1, 10, 0), utc(2025, 1, 20, 0))
	for _, tc := range []struct {
		start, end time.Time
		want       bool
	}{
		{utc(2025, 1, 5, 0), utc(2025, 1, 10, 0), false}, // ends where the filter starts
		{utc(2025, 1, 5, 0), utc(2025, 1, 11, 0), true},
		{utc(2025, 1, 19, 0), utc(2025, 1, 25, 0), true},
		{utc(2025, 1, 20, 0), utc(2025, 1, 25, 0), false}, // starts where the filter ends
		{utc(2025, 1, 1, 0), utc(2025, 2, 1, 0), true},
	} {
		if got := iv.Overlaps(tc.start, tc.end); got != tc.want {
			t.Errorf("Overlaps(%s, %s) = %v, want %v", tc.start, tc.end, got, tc.want)
		}
	}
}

func TestTimeIntervalEncodesInUTC(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	b, err := json.Marshal(mews.Interval(time.Date(2025, 3, 1, 1, 0, 0, 0, cet), time.Date(2025, 3, 2, 0, 0, 0, 500_000_000, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"StartUtc":"2025-03-01T00:00:00Z","EndUtc":"2025-03-02T00:00:00.5Z"}`; string(b) != want {
		t.Errorf("got %s, want %s", b, want)
	}
	var back mews.TimeInterval
	if err := json.Unmarshal([]byte(`{"StartUtc":"2025-03-01T01:00:00+01:00","EndUtc":"2025-03-02T00:00:00Z"}`), &back); err != nil {
		t.Fatal(err)
	}
	if back.StartUtc.Location() != time.UTC || !back.StartUtc.Equal(utc(2025, 3, 1, 0)) {
		t.Errorf("decoded start %v, want 2025-03-01T00:00:00Z in UTC", back.StartUtc)
	}
}

func TestTimeIntervalValidateNamesTheField(t *testing.T) {
	for _, iv := range []mews.TimeInterval{
		{},
		mews.Interval(utc(2025, 1, 2, 0), utc(2025, 1, 1, 0)),
	} {
		err := iv.Validate("reservations/getAll/2023-06-06", "UpdatedUtc")
		var ie *mews.InputError
		if !errors.As(err, &ie) || ie.Field != "UpdatedUtc" {
			t.Errorf("Validate(%v) = %v, want an InputError for UpdatedUtc", iv, err)
		}
	}
	if err := mews.Interval(utc(2025, 1, 1, 0), utc(2026, 1, 1, 0)).Validate("op", "f"); err != nil {
		t.Errorf("a long interval is valid (it gets split): %v", err)
	}
}

func TestTimeIntervalSendsAtMostSevenFractionalDigits(t *testing.T) {
	b, err := json.Marshal(mews.Interval(time.Date(2025, 3, 1, 0, 0, 0, 123_456_789, time.UTC), time.Date(2025, 3, 2, 0, 0, 0, 99, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"StartUtc":"2025-03-01T00:00:00.1234567Z","EndUtc":"2025-03-02T00:00:00Z"}`; string(b) != want {
		t.Errorf("got %s, want %s (Mews' .NET times hold 100 ns)", b, want)
	}
}
