package benchcmp

import (
	"testing"
	"time"
)

// Ratios runs sdk and baseline alternately in b's loop and reports "time-ratio" (the
// time sdk took over the time baseline took) and "allocs-ratio" (their allocations per
// call, each averaged over runs calls). Both functions fail b themselves on error.
func Ratios(b *testing.B, runs int, sdk, baseline func()) {
	b.Helper()
	var sdkTime, baseTime time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		sdk()
		mid := time.Now()
		baseline()
		sdkTime += mid.Sub(start)
		baseTime += time.Since(mid)
	}
	b.ReportMetric(float64(sdkTime)/float64(baseTime), "time-ratio")
	b.ReportMetric(testing.AllocsPerRun(runs, sdk)/testing.AllocsPerRun(runs, baseline), "allocs-ratio")
}
