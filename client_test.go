package mews_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

// countingAdd installs a fake write that counts how often Mews processed it.
func countingAdd(srv *mewstest.Server) *int {
	var mu sync.Mutex
	n := new(int)
	srv.HandleConnector("things/add", func(r *mewstest.Request) (any, error) {
		mu.Lock()
		defer mu.Unlock()
		*n++
		return struct{}{}, nil
	})
	return n
}

var addThing = mews.Operation{Name: "things/add", Safety: mews.Write}

func TestWriteHitByResetAfterProcessingIsNotResent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		processed := countingAdd(srv)
		client, err := srv.NewClient()
		if err != nil {
			t.Fatal(err)
		}
		hotel, _ := client.Connector(mewstest.AccessToken)
		srv.InjectFault(mewstest.Fault{Operation: "things/add", ResetAfterProcessing: true})

		err = hotel.CallConnector(t.Context(), addThing, map[string]string{"Value": "1234"}, nil)
		if err == nil {
			t.Fatal("want the reset to surface as an error")
		}
		if *processed != 1 || len(srv.RequestsFor("things/add")) != 1 {
			t.Errorf("processed %d times over %d requests; want exactly one of each", *processed, len(srv.RequestsFor("things/add")))
		}
	})
}

func TestWriteRefusedBeforeSendingIsRetriedAndProcessedOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		processed := countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		srv.InjectFault(mewstest.Fault{Operation: "things/add", Refuse: true, Times: 2})

		if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
			t.Fatal(err)
		}
		if *processed != 1 {
			t.Errorf("processed %d times, want once", *processed)
		}
	})
}

func TestSustainedLoadAgainstMewstestNeverSees429(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		client, _ := srv.NewClient()
		hotel, _ := client.Connector(mewstest.AccessToken)
		// 8 workers hammer one AccessToken with 700 requests: 3.5× Mews' window.
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				for range 700 / 8 {
					if err := hotel.CallConnector(t.Context(), mews.Operation{Name: "things/add", Safety: mews.Read}, nil, nil); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		wg.Wait()
		for _, r := range srv.Requests() {
			if r.Status == 429 {
				t.Fatalf("mewstest answered 429 at %v", r.Time)
			}
		}
		if n := len(srv.Requests()); n != 696 {
			t.Errorf("%d requests, want 696", n)
		}
	})
}

func TestWithoutTheLimiterMewstestAnswers429AndTheClientBacksOff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		srv.SetRateLimit(5, 10*time.Second)
		countingAdd(srv)
		client, _ := srv.NewClient(mews.WithoutRateLimit())
		hotel, _ := client.Connector(mewstest.AccessToken)
		for i := range 8 {
			if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
				t.Fatalf("call %d: %v", i, err)
			}
		}
		var limited int
		for _, r := range srv.Requests() {
			if r.Status == 429 {
				limited++
			}
		}
		if limited == 0 {
			t.Error("no 429 seen: the fake's limit did not apply")
		}
	})
}

func TestLimiterIsPerAccessToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		client, _ := srv.NewClient(mews.WithRateLimit(1, time.Minute), mews.WithRateLimitMargin(0))
		a, _ := client.Connector(mewstest.AccessToken)
		b, _ := client.Connector(srv.AddAccessToken(mewstest.EnterpriseID))
		start := time.Now()
		for _, hotel := range []*mews.Connector{a, b, a, b} {
			if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
				t.Fatal(err)
			}
		}
		// Each token's second call waits a minute for its first to leave the window, both
		// at once. One window shared by both tokens would wait three minutes.
		if waited := time.Since(start); waited != time.Minute {
			t.Errorf("4 calls over 2 tokens with a 1/min limit took %v, want 1m (each token waits once, in parallel)", waited)
		}
	})
}

func TestKeyedLimiterForgetsIdleKeys(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var l mews.KeyedLimiter
		for i := range 1000 {
			if err := l.Wait(t.Context(), mews.LimitRequest{Key: fmt.Sprint("key", i)}); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(61 * time.Second)
		_ = l.Wait(t.Context(), mews.LimitRequest{Key: "fresh"})
		if n := l.Len(); n != 1 {
			t.Errorf("%d buckets after the idle period, want only the fresh one", n)
		}
	})
}

func TestNoTokenAppearsInLogsOrErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		var logs bytes.Buffer
		logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		client, _ := srv.NewClient(mews.WithLogger(logger))
		hotel, _ := client.Connector(mewstest.AccessToken)
		conn, _ := client.ChannelManager(mewstest.ConnectionToken)
		gone, _ := client.ChannelManager(mewstest.DeactivatedConnectionToken)
		// A fake Mews that echoes the request back in its error, as a dev environment might.
		srv.HandleConnector("echo/fail", func(r *mewstest.Request) (any, error) {
			return nil, mewstest.ConnectorError(400, "Invalid request: "+string(r.Body))
		})
		srv.HandleChannelManager("echoFail", func(r *mewstest.Request) (any, error) {
			return nil, mewstest.ChannelManagerError(mews.CodeValidation, "Invalid request: "+string(r.Body))
		})

		var errs []error
		record := func(err error) { errs = append(errs, err) }
		record(hotel.CallConnector(t.Context(), mews.Operation{Name: "echo/fail"}, nil, nil))
		record(conn.CallChannelManager(t.Context(), mews.Operation{Name: "echoFail"}, nil, nil))
		record(gone.CallChannelManager(t.Context(), mews.Operation{Name: "echoFail"}, nil, nil))
		srv.InjectFault(mewstest.Fault{Operation: "things/add", Status: 200, Body: "<html>" + mewstest.AccessToken + "</html>"})
		record(hotel.CallConnector(t.Context(), addThing, nil, &struct{}{}))
		srv.InjectFault(mewstest.Fault{Operation: "things/add", ResetAfterProcessing: true})
		record(hotel.CallConnector(t.Context(), addThing, nil, nil))
		const card = "4111111111111111"
		srv.InjectFault(mewstest.Fault{Operation: "things/add", Status: 400, Body: `{"Message":"Card ` + card + ` declined"}`})
		record(hotel.CallConnector(t.Context(), mews.Operation{Name: "things/add", Safety: mews.Write, Secrets: []string{card}}, nil, nil))
		srv.Revoke(mewstest.AccessToken)
		record(hotel.CallConnector(t.Context(), addThing, nil, nil))
		_, err := client.Connector(mewstest.AccessToken[:10] + " " + mewstest.AccessToken[10:])
		record(err)

		text := logs.String()
		for _, err := range errs {
			if err == nil {
				t.Fatal("every scenario should fail")
			}
			text += "\n" + err.Error() + fmt.Sprintf("\n%v\n%+v", err, err)
		}
		// The seeded tokens share their first 20 characters, so each token's distinct
		// last 20 stand for a partial leak; the card is searched whole.
		tokens := []string{mewstest.ClientToken, mewstest.AccessToken, mewstest.ChannelManagerClientToken, mewstest.ConnectionToken, mewstest.DeactivatedConnectionToken}
		secrets := []string{card}
		for _, tok := range tokens {
			secrets = append(secrets, tok, tok[len(tok)-20:])
		}
		leakscan.Check(t, "logs or errors", text, secrets...)
		if !strings.Contains(logs.String(), `"operation":"echo/fail"`) || !strings.Contains(logs.String(), `"request_id"`) {
			t.Errorf("logs lack the operation or request id:\n%s", logs.String())
		}
	})
}

func TestCallsNeedAContext(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	client, _ := srv.NewClient()
	hotel, _ := client.Connector(mewstest.AccessToken)
	//lint:ignore SA1012 the nil context is the point of the test
	err := hotel.CallConnector(nil, addThing, nil, nil) //nolint:staticcheck
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
	_ = context.Background
}

// recordingLimiter is a Limiter that records the keys it was asked for.
type recordingLimiter struct {
	mu   sync.Mutex
	keys []string
}

func (l *recordingLimiter) Wait(ctx context.Context, r mews.LimitRequest) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, r.Key)
	return nil
}

func TestAPluggedLimiterIsAskedOnEveryAttemptWithKeysThatHideTheToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := mewstest.NewServer(mewstest.WithInProcess())
		countingAdd(srv)
		srv.HandleChannelManager("getThing", func(*mewstest.Request) (any, error) { return nil, nil })
		lim := &recordingLimiter{}
		client, _ := srv.NewClient(mews.WithLimiter(lim))
		hotel, _ := client.Connector(mewstest.AccessToken)
		conn, _ := client.ChannelManager(mewstest.ConnectionToken)
		srv.InjectFault(mewstest.Fault{Operation: "things/add", Status: 429, RetryAfter: "1"})

		if err := hotel.CallConnector(t.Context(), addThing, nil, nil); err != nil {
			t.Fatal(err)
		}
		if err := conn.CallChannelManager(t.Context(), mews.Operation{Name: "getThing"}, nil, nil); err != nil {
			t.Fatal(err)
		}
		if len(lim.keys) != 3 {
			t.Fatalf("limiter asked %d times, want 3 (the 429, its retry, the Channel Manager call)", len(lim.keys))
		}
		if lim.keys[0] != lim.keys[1] || !strings.HasPrefix(lim.keys[0], "connector:") || !strings.HasPrefix(lim.keys[2], "channelManager:") {
			t.Errorf("keys = %q, want one stable connector key and a channelManager key", lim.keys)
		}
		for _, k := range lim.keys {
			for _, tok := range []string{mewstest.AccessToken, mewstest.ConnectionToken} {
				if strings.Contains(k, tok[:16]) || strings.Contains(k, tok[len(tok)-16:]) {
					t.Errorf("key %q carries part of a token", k)
				}
			}
		}
	})
}

func TestChannelManagerCallsAreUnlimitedUnlessConfigured(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts []mews.Option
		want time.Duration
	}{
		{"default", nil, 0},
		// 2 per minute: two at once, the third when the first has left the window.
		{"WithChannelManagerRateLimit(2, time.Minute)", []mews.Option{mews.WithChannelManagerRateLimit(2, time.Minute)}, time.Minute + mews.DefaultRateMargin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := mewstest.NewServer(mewstest.WithInProcess())
				srv.HandleChannelManager("getThing", func(*mewstest.Request) (any, error) { return nil, nil })
				client, _ := srv.NewClient(tt.opts...)
				conn, _ := client.ChannelManager(mewstest.ConnectionToken)
				start := time.Now()
				for range 3 {
					if err := conn.CallChannelManager(t.Context(), mews.Operation{Name: "getThing"}, nil, nil); err != nil {
						t.Fatal(err)
					}
				}
				if waited := time.Since(start); waited != tt.want {
					t.Errorf("3 calls took %v, want %v", waited, tt.want)
				}
			})
		})
	}
}

func TestMewstestAnswersSeveralChannelManagerErrorsAtOnce(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	srv.HandleChannelManager("updateThing", func(*mewstest.Request) (any, error) {
		return nil, mewstest.ChannelManagerErrors(
			mews.ErrorDetail{Code: mews.CodeRateError, Message: "Invalid rate code", RateCode: "ABC"},
			mews.ErrorDetail{Code: mews.CodeCategoryError, Message: "Invalid category code", CategoryCode: "XYZ"})
	})
	client, _ := srv.NewClient()
	conn, _ := client.ChannelManager(mewstest.ConnectionToken)
	err := conn.CallChannelManager(t.Context(), mews.Operation{Name: "updateThing"}, nil, nil)
	var apiErr *mews.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v, want *APIError", err)
	}
	want := []mews.ErrorDetail{
		{Code: mews.CodeRateError, Message: "Invalid rate code", RateCode: "ABC"},
		{Code: mews.CodeCategoryError, Message: "Invalid category code", CategoryCode: "XYZ"},
	}
	if diff := cmp.Diff(want, apiErr.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
}

func TestCallsOnNilHandlesFailCleanlyBeforeSending(t *testing.T) {
	var (
		client *mews.Client
		hotel  *mews.Connector
		conn   *mews.ChannelManager
	)
	for name, err := range map[string]error{
		"Connector.CallConnector":           hotel.CallConnector(t.Context(), addThing, nil, nil),
		"ChannelManager.CallChannelManager": conn.CallChannelManager(t.Context(), mews.Operation{Name: "getConfiguration"}, nil, nil),
		"Client.CallChannelManagerClient":   client.CallChannelManagerClient(t.Context(), mews.Operation{Name: "getChannels"}, nil, nil),
		"Client.Connector":                  second(client.Connector(mewstest.AccessToken)),
		"Client.ChannelManager":             second(client.ChannelManager(mewstest.ConnectionToken)),
	} {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s on a nil handle: err = %v, want ErrInvalidInput", name, err)
		}
	}
}

// second returns the error of a (value, error) pair.
func second[T any](_ T, err error) error { return err }
