package months_test

import (
	"testing"
	"time"

	"github.com/mewskit/mews-go/internal/months"
)

func utc(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

func TestAddClampsToTheEndOfTheMonthLikeMews(t *testing.T) {
	for _, tc := range []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{utc(2025, 11, 30, 0), 3, utc(2026, 2, 28, 0)},
		{utc(2023, 11, 30, 0), 3, utc(2024, 2, 29, 0)}, // leap year
		{utc(2024, 2, 29, 0), 3, utc(2024, 5, 29, 0)},
		{utc(2024, 2, 29, 0), 12, utc(2025, 2, 28, 0)},
		{utc(2025, 1, 31, 13), 1, utc(2025, 2, 28, 13)},
		{utc(2025, 5, 31, 0), 3, utc(2025, 8, 31, 0)},
		{utc(2025, 12, 15, 0), 3, utc(2026, 3, 15, 0)},
		{utc(2025, 3, 31, 0), -1, utc(2025, 2, 28, 0)},
	} {
		if got := months.Add(tc.from, tc.n); !got.Equal(tc.want) {
			t.Errorf("Add(%s, %d) = %s, want %s", tc.from, tc.n, got, tc.want)
		}
	}
}
