package mews_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
)

// stubLimiter admits everything; it stands for a user's own limiter.
type stubLimiter struct{}

func (stubLimiter) Wait(context.Context, mews.LimitRequest) error { return nil }

func TestPushURLsSurviveTheEnvironmentWhateverTheOrder(t *testing.T) {
	const groups, blocks = "https://push.example.com/groups", "https://push.example.com/blocks"
	push := mews.WithPushURLs(groups, blocks)
	for name, opts := range map[string][]mews.Option{
		"push URLs before base URL":   {push, mews.WithBaseURL("https://api.example.com")},
		"push URLs after base URL":    {mews.WithBaseURL("https://api.example.com"), push},
		"push URLs before production": {push, mews.WithEnvironment(mews.Production())},
		"push URLs after production":  {mews.WithEnvironment(mews.Production()), push},
	} {
		t.Run(name, func(t *testing.T) {
			c, err := mews.NewClient(append(opts, mews.WithClientToken(testClientToken))...)
			if err != nil {
				t.Fatal(err)
			}
			env := c.Environment()
			if env.ReservationPushURL != groups || env.AvailabilityBlockPushURL != blocks {
				t.Errorf("push URLs = %q, %q; want the overrides %q, %q", env.ReservationPushURL, env.AvailabilityBlockPushURL, groups, blocks)
			}
		})
	}
}

func TestOnePushURLOverrideKeepsTheEnvironmentsOther(t *testing.T) {
	c, err := mews.NewClient(mews.WithPushURLs("", "https://push.example.com/blocks"), mews.WithEnvironment(mews.Production()), mews.WithClientToken(testClientToken))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Environment().ReservationPushURL, mews.Production().ReservationPushURL; got != want {
		t.Errorf("reservation push URL = %q, want the environment's %q", got, want)
	}
}

func TestOptionsThatWouldUndoEachOtherAreRefusedInEitherOrder(t *testing.T) {
	withTransport := &http.Client{Transport: http.DefaultTransport}
	for _, tt := range []struct {
		name      string
		a, b      mews.Option
		wantField string
	}{
		{"environment and base URL", mews.WithEnvironment(mews.Production()), mews.WithBaseURL("https://api.example.com"), "WithBaseURL"},
		{"limiter and no limit", mews.WithLimiter(stubLimiter{}), mews.WithoutRateLimit(), "WithoutRateLimit"},
		{"limiter and rate limit", mews.WithLimiter(stubLimiter{}), mews.WithRateLimit(10, time.Second), "WithRateLimit"},
		{"limiter and Channel Manager rate limit", mews.WithLimiter(stubLimiter{}), mews.WithChannelManagerRateLimit(10, time.Second), "WithChannelManagerRateLimit"},
		{"limiter and margin", mews.WithLimiter(stubLimiter{}), mews.WithRateLimitMargin(time.Second), "WithRateLimitMargin"},
		{"limiter and health-check share", mews.WithLimiter(stubLimiter{}), mews.WithHealthCheckShare(0.1), "WithHealthCheckShare"},
		{"no limit and rate limit", mews.WithoutRateLimit(), mews.WithRateLimit(10, time.Second), "WithRateLimit"},
		{"no limit and margin", mews.WithoutRateLimit(), mews.WithRateLimitMargin(time.Second), "WithRateLimitMargin"},
		{"HTTP client with a transport and a transport", mews.WithHTTPClient(withTransport), mews.WithTransport(http.DefaultTransport), "WithTransport"},
	} {
		for order, opts := range map[string][]mews.Option{"in order": {tt.a, tt.b}, "reversed": {tt.b, tt.a}} {
			t.Run(tt.name+" "+order, func(t *testing.T) {
				_, err := mews.NewClient(opts...)
				var in *mews.InputError
				if !errors.As(err, &in) || in.Field != tt.wantField {
					t.Fatalf("NewClient = %v; want an *InputError with Field %q", err, tt.wantField)
				}
			})
		}
	}
}

func TestAnHTTPClientWithoutTransportCombinesWithATransport(t *testing.T) {
	if _, err := mews.NewClient(mews.WithHTTPClient(&http.Client{Timeout: time.Second}), mews.WithTransport(http.DefaultTransport), mews.WithClientToken(testClientToken)); err != nil {
		t.Fatal(err)
	}
}

func TestRefusedOptionsAreInputErrorsNamingTheOption(t *testing.T) {
	for _, tt := range []struct {
		opt       mews.Option
		wantField string
	}{
		{mews.WithBaseURL("http://api.example.com"), "WithBaseURL"},
		{mews.WithEnvironment(mews.Environment{}), "WithEnvironment"},
		{mews.WithPushURLs("ftp://push.example.com", ""), "WithPushURLs"},
		{mews.WithPushURLs("", ""), "WithPushURLs"},
		{mews.WithClientToken(" "), "WithClientToken"},
		{mews.WithChannelManagerClientToken("two words"), "WithChannelManagerClientToken"},
		{mews.WithClientName(""), "WithClientName"},
		{mews.WithUserAgent("acme\r\nX-Injected: 1"), "WithUserAgent"},
		{mews.WithHTTPClient(nil), "WithHTTPClient"},
		{mews.WithTransport(nil), "WithTransport"},
		{mews.WithLogger(nil), "WithLogger"},
		{mews.WithRetry(mews.RetryPolicy{MaxAttempts: -1}), "WithRetry"},
		{mews.WithRateLimit(0, time.Second), "WithRateLimit"},
		{mews.WithChannelManagerRateLimit(1, 0), "WithChannelManagerRateLimit"},
		{mews.WithRateLimitMargin(-time.Second), "WithRateLimitMargin"},
		{mews.WithHealthCheckShare(0.9), "WithHealthCheckShare"},
		{mews.WithLimiter(nil), "WithLimiter"},
		{mews.WithMaxResponseBytes(0), "WithMaxResponseBytes"},
		{nil, "option"},
	} {
		t.Run(tt.wantField, func(t *testing.T) {
			_, err := mews.NewClient(tt.opt)
			var in *mews.InputError
			if !errors.As(err, &in) || in.Field != tt.wantField || !errors.Is(err, mews.ErrInvalidInput) {
				t.Fatalf("NewClient = %v; want an *InputError with Field %q", err, tt.wantField)
			}
		})
	}
}

func TestTheSameOptionGivenTwiceKeepsTheLastOne(t *testing.T) {
	c, err := mews.NewClient(mews.WithClientName("Defaults 1.0"), mews.WithClientName("Override 2.0"), mews.WithClientToken(testClientToken))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.String(); !strings.Contains(got, `"Override 2.0"`) {
		t.Errorf("client = %s; want the last client name", got)
	}
}
