package mews_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/mewskit/mews-go"
)

func TestAnOperationWithoutSafetyIsTreatedAsAWrite(t *testing.T) {
	for name, op := range map[string]mews.Operation{
		"unset":   {Name: "resourceAccessTokens/add"},
		"unknown": {Name: "resourceAccessTokens/add", Safety: mews.Safety(42)},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMocked(t)
				m.mt.RegisterResponder("POST", addTokenURL, jsonResponder(503, `{"Message":"Down."}`).Then(jsonResponder(200, `{}`)))
				err := m.hotel.CallConnector(t.Context(), op, nil, nil)
				if !errors.Is(err, mews.ErrSystem) || m.calls(addTokenURL) != 1 {
					t.Errorf("err = %v after %d calls; want the 503 after one call (a write may have been stored)", err, m.calls(addTokenURL))
				}
			})
		})
	}
}

func TestTheZeroSafetyIsWrite(t *testing.T) {
	var s mews.Safety
	if s != mews.Write || s.String() != "write" {
		t.Errorf("zero Safety = %v, want write", s)
	}
}

// redirectPair is an API host that redirects every call to a second host, which counts
// whatever reaches it.
func redirectPair(t *testing.T, status int) (api string, reached *atomic.Int32) {
	t.Helper()
	reached = new(atomic.Int32)
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = io.WriteString(w, `{}`)
	}))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", other.URL+r.URL.Path+"?signature=SIGNATURE-7f3a9c2e41d84b0f")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, `<a href="`+other.URL+`?signature=SIGNATURE-7f3a9c2e41d84b0f">moved</a>`)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, reached
}

func TestAPICallsNeverFollowRedirects(t *testing.T) {
	following := func(*http.Request, []*http.Request) error { return nil }
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect, http.StatusFound} {
		for name, opt := range map[string]func() mews.Option{
			"default client":        func() mews.Option { return mews.WithUserAgent("test") },
			"client that follows":   func() mews.Option { return mews.WithHTTPClient(&http.Client{CheckRedirect: following}) },
			"transport of its own":  func() mews.Option { return mews.WithTransport(&http.Transport{}) },
			"client with a timeout": func() mews.Option { return mews.WithHTTPClient(&http.Client{Timeout: time.Minute}) },
		} {
			t.Run(fmt.Sprintf("%d %s", status, name), func(t *testing.T) {
				api, reached := redirectPair(t, status)
				client, err := mews.NewClient(mews.WithBaseURL(api), mews.WithClientToken(testClientToken),
					mews.WithChannelManagerClientToken(testCMClientToken), opt())
				if err != nil {
					t.Fatal(err)
				}
				hotel, _ := client.Connector(testAccessToken)
				conn, _ := client.ChannelManager(testConnectionToken)
				for _, err := range []error{
					hotel.CallConnector(t.Context(), readOp, nil, &struct{}{}),
					conn.CallChannelManager(t.Context(), cmOp, nil, &struct{}{}),
				} {
					var apiErr *mews.APIError
					if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
						t.Fatalf("err = %v, want an *APIError with status %d", err, status)
					}
					for _, secret := range []string{testClientToken, testAccessToken, testCMClientToken, testConnectionToken, "SIGNATURE-7f3a9c2e41d84b0f"} {
						if strings.Contains(err.Error(), secret) {
							t.Errorf("error text quotes a secret or the Location: %s", strings.ReplaceAll(err.Error(), secret, "<SECRET>"))
						}
					}
					if !strings.Contains(err.Error(), "redirect") {
						t.Errorf("error %q does not say that Mews redirected", err)
					}
				}
				if n := reached.Load(); n != 0 {
					t.Errorf("%d requests reached the redirect's target", n)
				}
			})
		}
	}
}

func TestDecodeErrorsNeverQuoteASecret(t *testing.T) {
	m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	m.mt.RegisterResponder("POST", getConfigCMURL,
		jsonResponder(200, `{"success":false,"errors":[{"code":"`+testConnectionToken+`","message":"bad"}]}`))
	err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil)
	if err == nil {
		t.Fatal("want an error")
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), testConnectionToken) {
			t.Errorf("error text quotes the connection token: %s", strings.ReplaceAll(e.Error(), testConnectionToken, "<TOKEN>"))
		}
	}
	if !errors.Is(err, mews.ErrBadResponse) {
		t.Errorf("err = %v, want ErrBadResponse", err)
	}
}

func TestTheSnippetIsScrubbedBeforeItIsCut(t *testing.T) {
	for _, lead := range []int{0, 100, 460, 470, 479} {
		t.Run(fmt.Sprint(lead), func(t *testing.T) {
			m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
			body := strings.Repeat(" ", lead) + "<p>" + testAccessToken + "</p>"
			m.mt.RegisterResponder("POST", configurationURL, httpmock.NewStringResponder(200, body))
			err := m.hotel.CallConnector(t.Context(), readOp, nil, &struct{}{})
			if !errors.Is(err, mews.ErrBadResponse) {
				t.Fatalf("err = %v, want ErrBadResponse", err)
			}
			if strings.Contains(err.Error(), testAccessToken[:12]) {
				t.Errorf("part of the access token survives in %s", strings.ReplaceAll(err.Error(), testAccessToken[:12], "<TOKEN PART>"))
			}
		})
	}
}

// cutOffServer answers each connection with a 200 that promises 100 bytes, sends
// 14 and closes, for the first cut calls; later calls get the whole body.
func cutOffServer(t *testing.T, cut int32) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	calls := new(atomic.Int32)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				if calls.Add(1) <= cut {
					_, _ = io.WriteString(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"Enterprise\":")
					return
				}
				const body = `{"Enterprise":{"Name":"Whole"}}`
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body)
			}()
		}
	}()
	return "http://" + ln.Addr().String(), calls
}

func TestACutOffSuccessBodyIsRetriedForReads(t *testing.T) {
	url, calls := cutOffServer(t, 1)
	client, err := mews.NewClient(mews.WithBaseURL(url), mews.WithClientToken(testClientToken),
		mews.WithRetry(mews.RetryPolicy{MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	hotel, _ := client.Connector(testAccessToken)
	var out struct{ Enterprise struct{ Name string } }
	if err := hotel.CallConnector(t.Context(), readOp, nil, &out); err != nil || out.Enterprise.Name != "Whole" || calls.Load() != 2 {
		t.Errorf("err = %v, out = %+v after %d calls; want the whole answer of the second", err, out, calls.Load())
	}
}

func TestACutOffSuccessBodyThatOutlastsTheRetriesIsBadResponse(t *testing.T) {
	for _, tt := range []struct {
		op        mews.Operation
		wantCalls int32
	}{
		{readOp, 3},
		{mews.Operation{Name: "things/update", Safety: mews.IdempotentWrite}, 3},
		{writeOp, 1},
	} {
		t.Run(tt.op.Safety.String(), func(t *testing.T) {
			url, calls := cutOffServer(t, 100)
			client, err := mews.NewClient(mews.WithBaseURL(url), mews.WithClientToken(testClientToken),
				mews.WithRetry(mews.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
			if err != nil {
				t.Fatal(err)
			}
			hotel, _ := client.Connector(testAccessToken)
			err = hotel.CallConnector(t.Context(), tt.op, nil, &struct{}{})
			if !errors.Is(err, mews.ErrBadResponse) || calls.Load() != tt.wantCalls {
				t.Errorf("err = %v after %d calls; want ErrBadResponse after %d", err, calls.Load(), tt.wantCalls)
			}
		})
	}
}

func TestAnOverflowingRetryAfterIsClampedToTheCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxRetryAfter: 30 * time.Second}))
		m.mt.RegisterResponder("POST", configurationURL,
			jsonResponder(429, `{"Message":"Too many requests."}`, "Retry-After", "99999999999999999999").Then(jsonResponder(200, `{}`)))
		start := time.Now()
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 30*time.Second || waited > 31*time.Second {
			t.Errorf("waited %v, want the 30 s cap", waited)
		}
	})
}

func TestAChannelManagerAnswerWithoutTheEnvelopeIsNeverAnAuthenticationFailure(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"proxy 401 page", 401, `<html><body>401 Authorization Required</body></html>`, mews.ErrBadResponse},
		{"proxy 401 JSON", 401, `{"message":"Unauthorized"}`, mews.ErrBadResponse},
		{"proxy 403", 403, `Forbidden`, mews.ErrBadResponse},
		{"gateway 502", 502, `<html>Bad Gateway</html>`, mews.ErrSystem},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
			m.mt.RegisterResponder("POST", getConfigCMURL, httpmock.NewStringResponder(tt.status, tt.body))
			err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil)
			if errors.Is(err, mews.ErrInvalidAuthentication) || errors.Is(err, mews.ErrProcessing) || !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v and not ErrInvalidAuthentication", err, tt.want)
			}
		})
	}
}

func TestAChannelManagerEnvelopeOnANon200StillCounts(t *testing.T) {
	m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(401, `{"success":false,"errors":[{"code":8,"message":"Invalid token."}]}`))
	if err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil); !errors.Is(err, mews.ErrInvalidAuthentication) {
		t.Errorf("err = %v, want code 8 to mean ErrInvalidAuthentication", err)
	}
}

func TestAByteOrderMarkBeforeValidJSONIsAccepted(t *testing.T) {
	m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	m.mt.RegisterResponder("POST", configurationURL, jsonResponder(200, "\uFEFF{\"Enterprise\":{\"Name\":\"Grand\"}}"))
	m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, "\uFEFF{\"success\":true,\"property\":{\"name\":\"Grand\"}}"))
	var cn struct{ Enterprise struct{ Name string } }
	if err := m.hotel.CallConnector(t.Context(), readOp, nil, &cn); err != nil || cn.Enterprise.Name != "Grand" {
		t.Errorf("Connector: %+v, %v", cn, err)
	}
	var cm struct {
		Property struct{ Name string } `json:"property"`
	}
	if err := m.conn.CallChannelManager(t.Context(), cmOp, nil, &cm); err != nil || cm.Property.Name != "Grand" {
		t.Errorf("Channel Manager: %+v, %v", cm, err)
	}
	if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
		t.Errorf("Connector without out: %v", err)
	}
}

func TestAnOperationThatShrinksOnTimeoutGetsA408AtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(408, `{"Message":"Request timeout."}`).Then(jsonResponder(200, `{}`)))
		start := time.Now()
		err := m.hotel.CallConnector(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read, ShrinkOnTimeout: true}, nil, nil)
		if !errors.Is(err, mews.ErrTimeout) || m.calls(configurationURL) != 1 || time.Since(start) != 0 {
			t.Errorf("err = %v after %d calls and %v; want the 408 at once", err, m.calls(configurationURL), time.Since(start))
		}
	})
}

// refusingLimiter lets the first request through and refuses every later one, as a
// limiter does whose wait would outlast the deadline.
type refusingLimiter struct{ waits int }

func (l *refusingLimiter) Wait(ctx context.Context, _ mews.LimitRequest) error {
	if l.waits++; l.waits > 1 {
		return errors.New("rate: Wait(n=1) would exceed context deadline")
	}
	return nil
}

func TestALimiterThatEndsTheRetryKeepsMewsLastAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithLimiter(&refusingLimiter{}))
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(503, `{"Message":"Down."}`))
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		err := m.hotel.CallConnector(ctx, readOp, nil, nil)
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, mews.ErrSystem) {
			t.Errorf("err = %v, want DeadlineExceeded and the 503 it was retrying", err)
		}
	})
}

func TestTheUserClientsJarAndTimeoutStillApply(t *testing.T) {
	var sawCookie atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("affinity"); err == nil && c.Value == "node-7" {
			sawCookie.Store(true)
		}
		if strings.HasSuffix(r.URL.Path, "/slow") {
			_, _ = io.Copy(io.Discard, r.Body) // then net/http notices the client hanging up
			<-r.Context().Done()
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "affinity", Value: "node-7", Path: "/"})
		_, _ = io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(testClientToken),
		mews.WithHTTPClient(&http.Client{Jar: jar, Timeout: 50 * time.Millisecond}),
		mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	hotel, _ := client.Connector(testAccessToken)
	for range 2 {
		if err := hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	if !sawCookie.Load() {
		t.Error("the second call did not carry the cookie the jar stored")
	}
	slow := mews.Operation{Name: "configuration/get", URL: srv.URL + "/slow", Safety: mews.Read}
	err = hotel.CallConnector(t.Context(), slow, nil, nil)
	var netErr net.Error
	if !errors.As(err, &netErr) || !netErr.Timeout() {
		t.Errorf("err = %v, want the client's timeout", err)
	}
}
