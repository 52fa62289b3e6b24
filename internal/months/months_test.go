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

func TestWindowsCutAnIntervalIntoWindowsOfAtMostNMonths(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tt := range []struct {
		name       string
		start, end time.Time
		n          int
		want       [][2]time.Time
	}{
		{"fits", day(1, 1), day(3, 1), 3, [][2]time.Time{{day(1, 1), day(3, 1)}}},
		{"exactly n months", day(1, 1), day(4, 1), 3, [][2]time.Time{{day(1, 1), day(4, 1)}}},
		{"one month more", day(1, 31), day(5, 31), 1, [][2]time.Time{
			{day(1, 31), day(2, 28)}, {day(2, 28), day(3, 28)}, {day(3, 28), day(4, 28)}, {day(4, 28), day(5, 28)}, {day(5, 28), day(5, 31)}}},
		{"an instant", day(6, 1), day(6, 1), 3, [][2]time.Time{{day(6, 1), day(6, 1)}}},
		{"inverted", day(6, 1), day(1, 1), 3, [][2]time.Time{{day(6, 1), day(1, 1)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := months.Windows(tt.start, tt.end, tt.n)
			if len(got) != len(tt.want) {
				t.Fatalf("Windows = %v, want %v", got, tt.want)
			}
			for i := range got {
				if !got[i][0].Equal(tt.want[i][0]) || !got[i][1].Equal(tt.want[i][1]) {
					t.Errorf("window %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
