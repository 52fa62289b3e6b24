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
