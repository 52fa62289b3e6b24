package mews_test

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

// waitOf is a KeyedLimiter with rule as a wait function for rateRun.
func waitOf(t *testing.T, rule mews.RateRule) func(ctx context.Context, key string) error {
	l, err := mews.NewKeyedLimiter(rule)
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, key string) error { return l.Wait(ctx, mews.LimitRequest{Key: key}) }
}

func TestRateUseOfMewsBudgetWithoutA429(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tokens  int
		windows int
		delay   func(worker, i int) time.Duration
	}{
		{"1 token", 1, 3, nil},
		{"100 tokens", 100, 3, nil},
		{"1 token, some requests 150ms in flight", 1, 3, tlsDelay},
		{"100 tokens, some requests 150ms in flight", 100, 3, tlsDelay},
		{"1 token, 20 windows, some requests 150ms in flight", 1, 20, tlsDelay},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				run := rateRun{n: 200, per: 30 * time.Second, tokens: tc.tokens, goroutines: 8, windows: tc.windows, delay: tc.delay}
				use := run.measure(waitOf(t, mews.MewsRateRule()))
				t.Logf("%s, %d windows of 200/30s, 8 goroutines per token: %v", tc.name, tc.windows, use)
				if use.used < 0.97 || use.rejected != 0 {
					t.Errorf("%v; want at least 97%% and no 429", use)
				}
			})
		})
	}
}

func TestWithoutMarginOrReserveRequestsLateInFlightMeet429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// The check on the margin above: the same delays overdraw Mews' window when the
		// limiter counts each request for exactly Mews' period and reserves nothing.
		run := rateRun{n: 200, per: 30 * time.Second, tokens: 1, goroutines: 8, windows: 3, delay: tlsDelay}
		use := run.measure(waitOf(t, mews.RateRule{Limit: 200, Per: 30 * time.Second}))
		t.Logf("no margin, no reserve: %v", use)
		if use.rejected == 0 {
			t.Errorf("%v; want some 429s, or the in-flight delay tests nothing", use)
		}
	})
}

func TestALimitOfOneRequestPerPeriodSpacesCallsByThePeriod(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.InProcess())
		countingAdd(srv)
		client, err := srv.NewClient(mews.WithRateLimit(1, time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		hotel, _ := client.Connector(mewstest.AccessToken)
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		start := time.Now()
		for i := range 3 {
			if err := hotel.Do(ctx, addThing, nil, nil); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if took := time.Since(start); took < 2*time.Minute || took > 3*time.Minute {
			t.Errorf("3 calls at 1 per minute took %v, want two waits of about a minute", took)
		}
	})
}

func TestTheZeroKeyedLimiterAdmitsRequests(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l mews.KeyedLimiter
		if err := l.Wait(t.Context(), mews.LimitRequest{Key: "connector:somekey"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAFreshTokenSends138RequestsWithoutWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.InProcess())
		countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		start := time.Now()
		// A Portal setting PINs for 46 arrivals: three calls each.
		for i := range 138 {
			if err := hotel.Do(t.Context(), addThing, nil, nil); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		if waited := time.Since(start); waited != 0 {
			t.Errorf("138 calls on a fresh token waited %v, want none: they fit in Mews' window of 200", waited)
		}
	})
}

func TestAHealthCheckIsNotHeldUpByABusyApplication(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.InProcess())
		countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		// The application spends the token's window and queues more calls behind it.
		appCtx, stopApp := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				for appCtx.Err() == nil {
					_ = hotel.Do(appCtx, addThing, nil, nil)
				}
			})
		}
		time.Sleep(time.Second)
		creds, _ := connection.ConnectorCredentials(mewstest.AccessToken)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		res, err := connection.Validate(ctx, client, creds)
		cancel()
		stopApp()
		wg.Wait()
		if err != nil || res.Status != connection.Connected {
			t.Errorf("health check on a busy token = %v, %v; want Connected at once", res.Status, res.Reason)
		}
	})
}
