package mews_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

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
		srv := mewstest.NewServer(mewstest.WithInProcess())
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
			if err := hotel.CallConnector(ctx, addThing, nil, nil); err != nil {
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

func TestANilKeyedLimiterFailsCleanly(t *testing.T) {
	var l *mews.KeyedLimiter
	if err := l.Wait(t.Context(), mews.LimitRequest{Key: "k"}); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("Wait on a nil KeyedLimiter = %v, want ErrInvalidInput", err)
	}
	if n := l.Len(); n != 0 {
		t.Errorf("Len = %d, want 0", n)
	}
}

func TestAFreshTokenSends138RequestsWithoutWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		start := time.Now()
		// A Portal setting PINs for 46 arrivals: three calls each.
		for i := range 138 {
			if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
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
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		// The application spends the token's window and queues more calls behind it.
		appCtx, stopApp := context.WithCancel(t.Context())
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				for appCtx.Err() == nil {
					_ = hotel.CallConnector(appCtx, addThing, nil, nil)
				}
			})
		}
		time.Sleep(time.Second)
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		start := time.Now()
		res, err := connection.Validate(ctx, hotel)
		took := time.Since(start)
		cancel()
		stopApp()
		wg.Wait()
		if err != nil || res.Status != connection.Connected || took != 0 {
			t.Errorf("health check on a busy token = %v, %v after %v; want Connected at once", res.Status, res.Reason, took)
		}
	})
}

// admitAtOnce admits n requests for key at once and fails t if any of them waits.
func admitAtOnce(t *testing.T, l *mews.KeyedLimiter, key string, n int) {
	t.Helper()
	start := time.Now()
	for range n {
		if err := l.Wait(t.Context(), mews.LimitRequest{Key: key}); err != nil {
			t.Fatal(err)
		}
	}
	if waited := time.Since(start); waited != 0 {
		t.Fatalf("%d requests on a fresh key waited %v", n, waited)
	}
}

func TestKeyedLimiterServesWaitersInArrivalOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := mews.NewKeyedLimiter(mews.RateRule{Limit: 2, Per: time.Minute})
		admitAtOnce(t, l, "k", 2)
		start := time.Now()
		admitted := make([]time.Duration, 6)
		var wg sync.WaitGroup
		for i := range 6 {
			wg.Go(func() {
				if err := l.Wait(t.Context(), mews.LimitRequest{Key: "k"}); err != nil {
					t.Error(err)
				}
				admitted[i] = time.Since(start)
			})
			synctest.Wait() // waiter i is queued before waiter i+1 arrives
		}
		wg.Wait()
		// Two places free up each minute; they go to the two earliest waiters.
		want := []time.Duration{time.Minute, time.Minute, 2 * time.Minute, 2 * time.Minute, 3 * time.Minute, 3 * time.Minute}
		if diff := cmp.Diff(want, admitted); diff != "" {
			t.Errorf("admission time per waiter in arrival order (-want +got):\n%s", diff)
		}
	})
}

func TestKeyedLimiterFailsAtOnceWhenTheWaitWouldPassTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := mews.NewKeyedLimiter(mews.RateRule{Limit: 3, Per: time.Minute})
		admitAtOnce(t, l, "k", 3)
		ctx, cancel := context.WithTimeout(t.Context(), 59*time.Second)
		defer cancel()
		start := time.Now()
		err := l.Wait(ctx, mews.LimitRequest{Key: "k"})
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != 0 {
			t.Errorf("Wait = %v after %v; want context.DeadlineExceeded at once", err, time.Since(start))
		}
		ctx, cancel = context.WithTimeout(t.Context(), 61*time.Second)
		defer cancel()
		if err := l.Wait(ctx, mews.LimitRequest{Key: "k"}); err != nil || time.Since(start) != time.Minute {
			t.Errorf("Wait = %v after %v; want admission after 1m, within the deadline", err, time.Since(start))
		}
	})
}

func TestKeyedLimiterReturnsWhenTheContextIsCanceled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := mews.NewKeyedLimiter(mews.RateRule{Limit: 1, Per: time.Minute})
		admitAtOnce(t, l, "k", 1)
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		if err := l.Wait(ctx, mews.LimitRequest{Key: "k"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Wait = %v, want context.Canceled", err)
		}
		// The canceled waiter gave up its place: the next caller gets the first free one.
		start := time.Now()
		if err := l.Wait(t.Context(), mews.LimitRequest{Key: "k"}); err != nil || time.Since(start) != 59*time.Second {
			t.Errorf("Wait = %v after %v, want admission when the first request leaves the window", err, time.Since(start))
		}
	})
}

func TestKeyedLimiterKeepsAShareOfEachWindowForHealthChecks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := mews.NewKeyedLimiter(mews.RateRule{Limit: 200, Per: 30 * time.Second, HealthCheckShare: 0.05})
		admitAtOnce(t, l, "k", 190)
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if err := l.Wait(ctx, mews.LimitRequest{Key: "k"}); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("the 191st application request = %v, want it refused: 10 of 200 are reserved", err)
		}
		for i := range 10 {
			if err := l.Wait(ctx, mews.LimitRequest{Key: "k", Priority: mews.PriorityHealthCheck}); err != nil {
				t.Fatalf("health check %d: %v, want admission from the reserved share", i, err)
			}
		}
	})
}

func TestKeyedLimiterNeverAdmitsMoreThanTheLimitInAnyWindow(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 20} {
		t.Run(fmt.Sprint("n=", n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rule := mews.RateRule{Limit: n, Per: 10 * time.Second, Margin: 300 * time.Millisecond, HealthCheckShare: 0.2}
				l, _ := mews.NewKeyedLimiter(rule)
				rng := rand.New(rand.NewPCG(uint64(n), 1))
				type admission struct {
					at     time.Time
					health bool
				}
				var mu sync.Mutex
				var got []admission
				var wg sync.WaitGroup
				for w := range 6 {
					pauses := make([]time.Duration, 30)
					for i := range pauses {
						pauses[i] = time.Duration(rng.IntN(3000)) * time.Millisecond
					}
					timeouts := rng.Perm(30)
					wg.Go(func() {
						for i, p := range pauses {
							time.Sleep(p)
							// Some callers give up at a deadline, some are canceled, the
							// rest wait as long as it takes: a waiter nobody wakes would
							// leave the bubble deadlocked.
							var ctx context.Context
							var cancel context.CancelFunc
							switch i % 3 {
							case 0:
								ctx, cancel = context.WithTimeout(t.Context(), time.Duration(timeouts[i])*time.Second)
							case 1:
								ctx, cancel = context.WithCancel(t.Context())
								time.AfterFunc(time.Duration(timeouts[i])*time.Second, cancel)
							default:
								ctx, cancel = context.WithCancel(t.Context())
							}
							r := mews.LimitRequest{Key: "k"}
							if w == 0 {
								r.Priority = mews.PriorityHealthCheck
							}
							if l.Wait(ctx, r) == nil {
								mu.Lock()
								got = append(got, admission{time.Now(), w == 0})
								mu.Unlock()
							}
							cancel()
						}
					})
				}
				wg.Wait()
				window := rule.Window()
				for _, last := range got {
					var all, app int
					for _, a := range got {
						if a.at.After(last.at.Add(-window)) && !a.at.After(last.at) {
							all++
							if !a.health {
								app++
							}
						}
					}
					if all > n || app > rule.Capacity(mews.PriorityNormal) {
						t.Fatalf("window ending %v holds %d admissions (%d by the application); limit %d, application %d",
							last.at, all, app, n, rule.Capacity(mews.PriorityNormal))
					}
				}
				if len(got) < n {
					t.Errorf("only %d admissions", len(got))
				}
			})
		})
	}
}

func TestInvalidRateRulesAreRefused(t *testing.T) {
	for _, rule := range []mews.RateRule{
		{},
		{Limit: 0, Per: time.Second},
		{Limit: 1},
		{Limit: 1, Per: time.Second, Margin: -1},
		{Limit: 1, Per: time.Second, HealthCheckShare: 0.6},
		{Limit: 1, Per: time.Second, HealthCheckShare: math.NaN()},
	} {
		if _, err := mews.NewKeyedLimiter(rule); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("NewKeyedLimiter(%+v) = %v, want ErrInvalidInput", rule, err)
		}
	}
	for _, opt := range []mews.Option{
		mews.WithRateLimit(0, time.Second),
		mews.WithRateLimitMargin(-time.Second),
		mews.WithHealthCheckShare(-0.1),
		mews.WithHealthCheckShare(0.51),
	} {
		if _, err := mews.NewClient(opt); err == nil {
			t.Error("NewClient accepted an invalid rate option")
		}
	}
}

func TestForgettingIdleKeysNeverDropsAKeyInUse(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		l, _ := mews.NewKeyedLimiter(mews.RateRule{Limit: 1, Per: time.Minute})
		admitAtOnce(t, l, "busy", 1)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { _ = l.Wait(t.Context(), mews.LimitRequest{Key: "busy"}) })
		}
		time.Sleep(90 * time.Second)
		admitAtOnce(t, l, "other", 1) // a minute has passed: this sweeps the idle keys
		start := time.Now()
		if err := l.Wait(t.Context(), mews.LimitRequest{Key: "busy"}); err != nil {
			t.Fatal(err)
		}
		// Still queued behind the two waiters left, at 2m and 3m: admitted at 4m.
		if waited := time.Since(start); waited != 150*time.Second {
			t.Errorf("a request on the busy key waited %v, want 2m30s: its window was forgotten", waited)
		}
		wg.Wait()
	})
}

func TestTheMarginOptionLengthensEachRequestsStayInTheWindow(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []mews.Option
		want time.Duration
	}{
		{"default margin", nil, time.Minute + mews.DefaultRateMargin},
		{"WithRateLimitMargin(2s)", []mews.Option{mews.WithRateLimitMargin(2 * time.Second)}, time.Minute + 2*time.Second},
		{"WithRateLimitMargin(0)", []mews.Option{mews.WithRateLimitMargin(0)}, time.Minute},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := mewstest.NewServer(mewstest.WithInProcess())
				countingAdd(srv)
				client, err := srv.NewClient(append(tt.opts, mews.WithRateLimit(1, time.Minute))...)
				if err != nil {
					t.Fatal(err)
				}
				hotel, _ := client.Connector(mewstest.AccessToken)
				start := time.Now()
				for range 2 {
					if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
						t.Fatal(err)
					}
				}
				if took := time.Since(start); took != tt.want {
					t.Errorf("2 calls at 1 per minute took %v, want %v", took, tt.want)
				}
			})
		})
	}
}

func TestWithoutAHealthCheckShareABusyTokenHoldsUpItsCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		client, _ := srv.NewClient(mews.WithHealthCheckShare(0))
		hotel, _ := client.Connector(mewstest.AccessToken)
		for i := range 200 {
			if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		res, _ := connection.Validate(ctx, hotel)
		if res.Status != connection.Unknown || !errors.Is(res.Reason, context.DeadlineExceeded) {
			t.Errorf("check with no reserve on a spent token = %v, %v; want Unknown, deadline exceeded", res.Status, res.Reason)
		}
	})
}
