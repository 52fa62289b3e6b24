package benchcmp_test

import (
	"flag"
	"strings"
	"testing"

	"github.com/mewskit/mews-go/internal/benchcmp"
)

func TestRatios_ReportsBothRatiosOfTheSDKOverTheBaseline(t *testing.T) {
	if err := flag.Set("test.benchtime", "200x"); err != nil { // keep the run short
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
	if r := res.Extra["time-ratio"]; r <= 1 {
		t.Errorf("time-ratio = %v, want above 1: the first function splits 1000 times as much", r)
	}
	if r := res.Extra["allocs-ratio"]; r != 1 {
		t.Errorf("allocs-ratio = %v, want 1: each Split allocates once", r)
	}
}

func TestRatios_ReportsTheSpreadOverRoundsAndTheMediansPerCall(t *testing.T) {
	if err := flag.Set("test.benchtime", "200x"); err != nil {
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
	for _, m := range []string{"time", "cpu"} {
		lo, med, hi := res.Extra[m+"-ratio-min"], res.Extra[m+"-ratio-med"], res.Extra[m+"-ratio-max"]
		if !(lo <= med && med <= hi) || hi == 0 {
			t.Errorf("%s ratio spread min %v, median %v, max %v; want ordered and measured", m, lo, med, hi)
		}
	}
	if sdk, base := res.Extra["sdk-ns/op"], res.Extra["base-ns/op"]; sdk <= base || base <= 0 {
		t.Errorf("median per call: sdk %v ns, baseline %v ns; want the longer split slower", sdk, base)
	}
	if _, has := res.Extra["sdk-cpu-ns/op"]; !has {
		t.Error("no CPU time per call reported")
	}
}
