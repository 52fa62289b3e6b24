package benchcmp

import (
	"slices"
	"testing"
	"time"
)

// rounds is how many consecutive rounds the loop's calls are split into for the
// spread of the ratios.
const rounds = 10

// Ratios runs sdk and baseline alternately in b's loop, so that both see the same
// machine state, and measures each call's wall time and the process's CPU time (user
// plus system, every goroutine included, so work done for the call by a server in the
// same process counts too). It reports:
//
//   - time-ratio and cpu-ratio: the SDK's total over the baseline's;
//   - time-ratio-min, -med, -max and cpu-ratio-min, -med, -max: the spread of the same
//     ratio over up to 10 consecutive rounds of the loop;
//   - sdk-ns/op, base-ns/op, sdk-cpu-ns/op, base-cpu-ns/op: the median per call;
//   - allocs-ratio: allocations per call, each averaged over runs calls.
//
// The CPU figures are left out where the platform has no per-process CPU clock. Both
// functions fail b themselves on error.
func Ratios(b *testing.B, runs int, sdk, baseline func()) {
	b.Helper()
	var sdkWall, baseWall, sdkCPU, baseCPU []time.Duration
	b.ReportAllocs()
	for b.Loop() {
		w0, c0 := time.Now(), cpuTime()
		sdk()
		w1, c1 := time.Now(), cpuTime()
		baseline()
		w2, c2 := time.Now(), cpuTime()
		sdkWall, baseWall = append(sdkWall, w1.Sub(w0)), append(baseWall, w2.Sub(w1))
		sdkCPU, baseCPU = append(sdkCPU, c1-c0), append(baseCPU, c2-c1)
	}
	report(b, "time", "ns/op", sdkWall, baseWall)
	if sum(baseCPU) > 0 {
		report(b, "cpu", "cpu-ns/op", sdkCPU, baseCPU)
	}
	b.ReportMetric(testing.AllocsPerRun(runs, sdk)/testing.AllocsPerRun(runs, baseline), "allocs-ratio")
}

// report adds the ratio of totals, its spread over rounds and the per-call medians of
// one measure.
func report(b *testing.B, name, unit string, sdk, base []time.Duration) {
	b.ReportMetric(float64(sum(sdk))/float64(sum(base)), name+"-ratio")
	var ratios []float64
	n := min(rounds, len(sdk))
	for i := range n {
		lo, hi := i*len(sdk)/n, (i+1)*len(sdk)/n
		if s := sum(base[lo:hi]); s > 0 {
			ratios = append(ratios, float64(sum(sdk[lo:hi]))/float64(s))
		}
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(ratios[0], name+"-ratio-min")
		b.ReportMetric(ratios[len(ratios)/2], name+"-ratio-med")
		b.ReportMetric(ratios[len(ratios)-1], name+"-ratio-max")
	}
	b.ReportMetric(float64(median(sdk)), "sdk-"+unit)
	b.ReportMetric(float64(median(base)), "base-"+unit)
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
