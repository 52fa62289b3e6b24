package mews_test

import (
	"context"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
)

// BenchmarkRateUse drives the built-in limiter flat out against windowFake in real time
// and reports the share of the limit used and the 429s. A benchmark cannot run in a
// synctest bubble, so Mews' 200 per 30 s is scaled down to 200 per 3 s, with the margin
// (50 ms) and the in-flight delay (15 ms) scaled alike;
// TestRateUseOfMewsBudgetWithoutA429 runs the real window in a bubble.
//
//	go test -run '^$' -bench RateUse -benchtime 1x -count 5
func BenchmarkRateUse(b *testing.B) {
	scaledDelay := func(worker, i int) time.Duration { return tlsDelay(worker, i) / 10 }
	for _, bc := range []struct {
		name   string
		tokens int
		delay  func(worker, i int) time.Duration
	}{
		{"tokens=1", 1, nil},
		{"tokens=100", 100, nil},
		{"tokens=1/in-flight-delay", 1, scaledDelay},
		{"tokens=100/in-flight-delay", 100, scaledDelay},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var used float64
			var rejected, runs int
			for b.Loop() {
				l, err := mews.NewKeyedLimiter(mews.RateRule{Limit: 200, Per: 3 * time.Second, Margin: 50 * time.Millisecond, HealthCheckShare: mews.DefaultHealthCheckShare})
				if err != nil {
					b.Fatal(err)
				}
				run := rateRun{n: 200, per: 3 * time.Second, tokens: bc.tokens, goroutines: 8, windows: 3, delay: bc.delay}
				use := run.measure(func(ctx context.Context, key string) error {
					return l.Wait(ctx, mews.LimitRequest{Key: key})
				})
				used += use.used
				rejected += use.rejected
				runs++
			}
			b.ReportMetric(100*used/float64(runs), "%used")
			b.ReportMetric(float64(rejected)/float64(runs), "429s/run")
		})
	}
}
