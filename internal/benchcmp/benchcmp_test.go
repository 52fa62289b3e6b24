package benchcmp_test

import (
	"flag"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/internal/benchcmp"
)

// sleepers runs Ratios over two functions that take 2 ms and 1 ms of the bubble's fake
// clock, so that every wall-time figure is exact and no assertion depends on the load
// of the machine.
func sleepers(t *testing.T) testing.BenchmarkResult {
	t.Helper()
	if err := flag.Set("test.benchtime", "50x"); err != nil { // keep the run short
		t.Fatal(err)
	}
	var res testing.BenchmarkResult
	synctest.Test(t, func(t *testing.T) {
		res = testing.Benchmark(func(b *testing.B) {
			benchcmp.Ratios(b, 1,
				func() { time.Sleep(2 * time.Millisecond) },
				func() { time.Sleep(time.Millisecond) })
		})
	})
	return res
}

func TestRatios_ReportsTheTimeRatioOfTheSDKOverTheBaseline(t *testing.T) {
	if r := sleepers(t).Extra["time-ratio"]; r != 2 {
		t.Errorf("time-ratio = %v, want 2: the first function takes twice as long", r)
	}
}

func TestRatios_ReportsTheSpreadOverRoundsAndTheMediansPerCall(t *testing.T) {
	res := sleepers(t)
	for _, m := range []string{"time-ratio-min", "time-ratio-med", "time-ratio-max"} {
		if r := res.Extra[m]; r != 2 {
			t.Errorf("%s = %v, want 2 in every round", m, r)
		}
	}
	if sdk, base := res.Extra["sdk-ns/op"], res.Extra["base-ns/op"]; sdk != 2e6 || base != 1e6 {
		t.Errorf("median per call: sdk %v ns, baseline %v ns; want 2e6 and 1e6", sdk, base)
	}
}

// TestRatios_ReportsCPUTimePerCall only checks that the CPU figures are there: both
// functions spin for a while, so each has CPU time to report, whatever the load.
func TestRatios_ReportsCPUTimePerCall(t *testing.T) {
	if err := flag.Set("test.benchtime", "5x"); err != nil {
		t.Fatal(err)
	}
	spin := func() {
		for start := time.Now(); time.Since(start) < 2*time.Millisecond; {
		}
	}
	res := testing.Benchmark(func(b *testing.B) { benchcmp.Ratios(b, 1, spin, spin) })
	for _, m := range []string{"sdk-cpu-ns/op", "base-cpu-ns/op", "cpu-ratio"} {
		if _, has := res.Extra[m]; !has {
			t.Errorf("no %s reported", m)
		}
	}
}

func TestRatios_ReportsTheAllocationsRatio(t *testing.T) {
	if err := flag.Set("test.benchtime", "20x"); err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("a,", 1000)
	var sink []string
	res := testing.Benchmark(func(b *testing.B) {
		benchcmp.Ratios(b, 10,
			func() { sink = strings.Split(long, ",") },
			func() { sink = strings.Split("a,b", ",") })
	})
	_ = sink
	if r := res.Extra["allocs-ratio"]; r != 1 {
		t.Errorf("allocs-ratio = %v, want 1: each Split allocates once", r)
	}
}
