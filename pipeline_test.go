package mews_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jarcoal/httpmock"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/listfilter"
	"github.com/mewskit/mews-go/internal/paging"
)

const (
	testClientToken     = "E0D439EE522F44368DC78E1BFB03710C-D24FB11DBE31D4621C4817E028D9E1D"
	testAccessToken     = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"
	testCMClientToken   = "C66EF7B239D24632943D115EDE9CB810-JJ549OU4JF94692C940F6B5A8F9453D"
	testConnectionToken = "NF9R27B239D24632943D115EDE9CFH3-EA00F8FD8294692C940F6B5A8F9453D"

	demo             = "https://api.mews-demo.com"
	configurationURL = demo + "/api/connector/v1/configuration/get"
	addTokenURL      = demo + "/api/connector/v1/resourceAccessTokens/add"
	getConfigCMURL   = demo + "/api/channelManager/v1/getConfiguration"
)

var (
	readOp  = mews.Operation{Name: "configuration/get", Safety: mews.Read}
	writeOp = mews.Operation{Name: "resourceAccessTokens/add", Safety: mews.Write}
	cmOp    = mews.Operation{Name: "getConfiguration", Safety: mews.Read}
)

// mocked is a client whose every attempt goes to an httpmock transport.
type mocked struct {
	client *mews.Client
	hotel  *mews.Connector
	conn   *mews.ChannelManager
	mt     *httpmock.MockTransport
}

// newMocked builds a client on a fresh MockTransport; unmatched requests fail the test.
func newMocked(t *testing.T, opts ...mews.Option) *mocked {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		t.Errorf("unexpected request to %s", r.URL)
		return nil, errors.New("no responder")
	})
	base := []mews.Option{
		mews.WithTransport(mt),
		mews.WithClientToken(testClientToken),
		mews.WithClientName("Acme Doors 1.0.0"),
		mews.WithChannelManagerClientToken(testCMClientToken),
	}
	c, err := mews.NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	hotel, err := c.Connector(testAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	conn, err := c.ChannelManager(testConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	return &mocked{client: c, hotel: hotel, conn: conn, mt: mt}
}

// jsonResponder answers status with a JSON body and headers.
func jsonResponder(status int, body string, headers ...string) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		resp.Header.Set("Request-Id", "req-"+http.StatusText(status))
		for i := 0; i+1 < len(headers); i += 2 {
			resp.Header.Set(headers[i], headers[i+1])
		}
		return resp, nil
	}
}

// namedTokens replaces the test tokens in a decoded body with their constants' names,
// and any other value of a credential field with a marker, so that a failing diff
// compares credentials without printing them.
func namedTokens(body map[string]any) map[string]any {
	names := map[string]string{
		testClientToken: "testClientToken", testAccessToken: "testAccessToken",
		testCMClientToken: "testCMClientToken", testConnectionToken: "testConnectionToken",
	}
	out := make(map[string]any, len(body))
	for k, v := range body {
		if s, ok := v.(string); ok && strings.HasSuffix(strings.ToLower(k), "token") {
			if name, known := names[s]; known {
				v = name
			} else {
				v = "(another value)"
			}
		}
		out[k] = v
	}
	return out
}

func (m *mocked) calls(url string) int {
	return m.mt.GetCallCountInfo()["POST "+url]
}

func TestConnectorBodyMergesCredentialsAndClientName(t *testing.T) {
	m := newMocked(t)
	var got map[string]any
	m.mt.RegisterResponder("POST", configurationURL, func(r *http.Request) (*http.Response, error) {
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q", ct)
		}
		if err := json.NewDecoder(r.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	in := struct {
		EnterpriseId string `json:",omitempty"`
	}{"e1"}
	english, err := m.client.Connector(testAccessToken, mews.WithLanguage("en-US", "en-US"))
	if err != nil {
		t.Fatal(err)
	}
	if err := english.CallConnector(t.Context(), readOp, in, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"ClientToken": "testClientToken", "AccessToken": "testAccessToken", "Client": "Acme Doors 1.0.0",
		"LanguageCode": "en-US", "CultureCode": "en-US", "EnterpriseId": "e1",
	}
	if diff := cmp.Diff(want, namedTokens(got)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestClientNameIsAlwaysSentEvenWithoutTheOption(t *testing.T) {
	mt := httpmock.NewMockTransport()
	var got map[string]any
	mt.RegisterResponder("POST", configurationURL, func(r *http.Request) (*http.Response, error) {
		_ = json.NewDecoder(r.Body).Decode(&got)
		return httpmock.NewStringResponse(200, `{}`), nil
	})
	c, _ := mews.NewClient(mews.WithTransport(mt), mews.WithClientToken(testClientToken))
	hotel, _ := c.Connector(testAccessToken)
	if err := hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got["Client"] != "mews-go "+mews.Version {
		t.Errorf("Client = %v, want the SDK's default name", got["Client"])
	}
}

func TestChannelManagerBodyMergesClientAndConnectionToken(t *testing.T) {
	m := newMocked(t)
	var got map[string]any
	m.mt.RegisterResponder("POST", getConfigCMURL, func(r *http.Request) (*http.Response, error) {
		_ = json.NewDecoder(r.Body).Decode(&got)
		return httpmock.NewStringResponse(200, `{"success":true}`), nil
	})
	in := map[string]any{"extent": map[string]bool{"includeProducts": true}}
	if err := m.conn.CallChannelManager(t.Context(), cmOp, in, nil); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"clientToken": "testCMClientToken", "connectionToken": "testConnectionToken",
		"extent": map[string]any{"includeProducts": true},
	}
	if diff := cmp.Diff(want, namedTokens(got)); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestNewClient_RefusesAClientWithoutAClientToken(t *testing.T) {
	_, err := mews.NewClient(mews.WithBaseURL("https://api.mews.example"))
	var ie *mews.InputError
	if !errors.As(err, &ie) || ie.Field != "client token" {
		t.Errorf("err = %v, want an *InputError naming the client token", err)
	}
}

func TestAHandleForAnAPIWithoutItsClientTokenIsRefusedWhenMade(t *testing.T) {
	mt := httpmock.NewMockTransport()
	connectorOnly, err := mews.NewClient(mews.WithTransport(mt), mews.WithClientToken(testClientToken))
	if err != nil {
		t.Fatal(err)
	}
	channelManagerOnly, err := mews.NewClient(mews.WithTransport(mt), mews.WithChannelManagerClientToken(testCMClientToken))
	if err != nil {
		t.Fatal(err)
	}
	_, connectorErr := channelManagerOnly.Connector(testAccessToken)
	_, channelManagerErr := connectorOnly.ChannelManager(testConnectionToken)
	for name, err := range map[string]error{
		"Connector of a Channel Manager client":               connectorErr,
		"ChannelManager of a Connector client":                channelManagerErr,
		"client-level Channel Manager call, Connector client": connectorOnly.CallChannelManagerClient(t.Context(), mews.Operation{Name: "getChannels"}, nil, nil),
	} {
		if !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if n := mt.GetTotalCallCount(); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestNewClient_LogsTheDefaultClientNameOnce(t *testing.T) {
	var logs strings.Builder
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	if _, err := mews.NewClient(mews.WithClientToken(testClientToken), mews.WithLogger(logger)); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "WithClientName"); n != 1 || !strings.Contains(logs.String(), mews.DefaultClientName) {
		t.Errorf("logs = %q, want one line naming the default %q", logs.String(), mews.DefaultClientName)
	}
	logs.Reset()
	if _, err := mews.NewClient(mews.WithClientToken(testClientToken), mews.WithClientName("Acme Doors 2.1.0"), mews.WithLogger(logger)); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Errorf("logs = %q, want nothing when the name is given", logs.String())
	}
}

func TestNewClientRejectsPlainHTTPExceptOnLoopback(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://api.mews.com", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080/", true},
		{"http://[::1]:8080", true},
		{"http://api.mews.com", false},
		{"http://10.0.0.5", false},
		{"ftp://api.mews.com", false},
		{"api.mews.com", false},
		{"https://user:pass@api.mews.com", false},
	}
	for _, tt := range tests {
		_, err := mews.NewClient(mews.WithBaseURL(tt.url), mews.WithClientToken(testClientToken))
		if (err == nil) != tt.ok {
			t.Errorf("WithBaseURL(%q): err = %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
}

func TestEnvironmentsCarryThePushURLs(t *testing.T) {
	c, err := mews.NewClient(mews.WithEnvironment(mews.Production()), mews.WithPushURLs("", "https://blocks.example/push"), mews.WithClientToken(testClientToken))
	if err != nil {
		t.Fatal(err)
	}
	want := mews.Environment{
		Name: "production", BaseURL: "https://api.mews.com",
		ReservationPushURL:       "https://api.pci-proxy.com/v1/push/b2721c9a0351d553",
		AvailabilityBlockPushURL: "https://blocks.example/push",
		WebSocketURL:             "wss://ws.mews.com/ws/connector",
	}
	if diff := cmp.Diff(want, c.Environment()); diff != "" {
		t.Errorf("environment (-want +got):\n%s", diff)
	}
	if got := mews.CustomEnvironment("http://127.0.0.1:9/").ReservationPushURL; got != "http://127.0.0.1:9/api/channelManager/v1/processGroup" {
		t.Errorf("custom ReservationPushURL = %q", got)
	}
}

func TestReadIsRetriedAfterServerErrors(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL,
			jsonResponder(503, `{"Message":"Busy"}`).Then(jsonResponder(500, `{}`)).Then(jsonResponder(200, `{"Enterprise":{"Name":"Hotel"}}`)))
		var out struct{ Enterprise struct{ Name string } }
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, &out); err != nil {
			t.Fatal(err)
		}
		if out.Enterprise.Name != "Hotel" || m.calls(configurationURL) != 3 {
			t.Errorf("name %q after %d calls, want Hotel after 3", out.Enterprise.Name, m.calls(configurationURL))
		}
	})
}

func TestWriteIsNotRetriedAfterServerErrorAndKeepsMewsMessage(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", addTokenURL, jsonResponder(500, `{"Message":"Unexpected error.","RequestId":"r-500"}`))
		err := m.hotel.CallConnector(t.Context(), writeOp, nil, nil)
		var apiErr *mews.APIError
		if !errors.As(err, &apiErr) || !errors.Is(err, mews.ErrSystem) {
			t.Fatalf("err = %v, want an *APIError matching ErrSystem", err)
		}
		want := &mews.APIError{API: mews.ConnectorAPI, Operation: "resourceAccessTokens/add", StatusCode: 500, Message: "Unexpected error.", RequestID: "r-500"}
		if diff := cmp.Diff(want, apiErr); diff != "" {
			t.Errorf("error (-want +got):\n%s", diff)
		}
		if n := m.calls(addTokenURL); n != 1 {
			t.Errorf("write sent %d times, want once", n)
		}
	})
}

func TestWriteIsRetriedAfter429HonouringRetryAfterSeconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", addTokenURL,
			jsonResponder(429, `{"Message":"Too many requests."}`, "Retry-After", "7").Then(jsonResponder(200, `{}`)))
		start := time.Now()
		if err := m.hotel.CallConnector(t.Context(), writeOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 7*time.Second || waited > 8*time.Second {
			t.Errorf("waited %v, want the 7 s Mews asked for", waited)
		}
		if n := m.calls(addTokenURL); n != 2 {
			t.Errorf("%d calls, want 2", n)
		}
	})
}

func TestRetryAfterAsHTTPDateIsHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		at := time.Now().Add(12 * time.Second).UTC().Format(http.TimeFormat)
		m.mt.RegisterResponder("POST", configurationURL,
			jsonResponder(429, `{}`, "Retry-After", at).Then(jsonResponder(200, `{}`)))
		start := time.Now()
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 11*time.Second || waited > 13*time.Second {
			t.Errorf("waited %v, want about 12 s", waited)
		}
	})
}

func TestRetryAfterBeyondTheCapIsClampedToIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxRetryAfter: 30 * time.Second}))
		m.mt.RegisterResponder("POST", configurationURL,
			jsonResponder(429, `{"Message":"Too many requests."}`, "Retry-After", "3600").Then(jsonResponder(200, `{}`)))
		start := time.Now()
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 30*time.Second || waited > 31*time.Second {
			t.Errorf("waited %v, want the 30 s cap instead of Mews' hour", waited)
		}
	})
}

func TestCancellationDuringABackoffKeepsMewsLastAnswer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(429, `{"Message":"Too many requests."}`, "Retry-After", "20"))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(5*time.Second, cancel)
		err := m.hotel.CallConnector(ctx, readOp, nil, nil)
		var apiErr *mews.APIError
		if !errors.Is(err, context.Canceled) || !errors.Is(err, mews.ErrRateLimited) || !errors.As(err, &apiErr) {
			t.Fatalf("err = %v, want both context.Canceled and the 429", err)
		}
		if apiErr.RequestID != "req-Too Many Requests" || apiErr.RetryAfter != 20*time.Second {
			t.Errorf("last answer %+v, want its RequestId and Retry-After", apiErr)
		}
	})
}

func TestRateLimitOutlastingTheRetriesIsErrRateLimited(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 3}))
		m.mt.RegisterResponder("POST", addTokenURL, jsonResponder(429, `{"Message":"Too many requests.","RequestId":"r-429"}`, "Retry-After", "2"))
		err := m.hotel.CallConnector(t.Context(), writeOp, nil, nil)
		var apiErr *mews.APIError
		if !errors.Is(err, mews.ErrRateLimited) || !errors.As(err, &apiErr) {
			t.Fatalf("err = %v, want ErrRateLimited", err)
		}
		if apiErr.Message != "Too many requests." || apiErr.RequestID != "r-429" || apiErr.RetryAfter != 2*time.Second {
			t.Errorf("got %+v, want Mews' message, RequestId and Retry-After kept", apiErr)
		}
		if n := m.calls(addTokenURL); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
	})
}

func TestWriteIsRetriedWhenTheConnectionWasRefused(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		refused := func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		}
		m.mt.RegisterResponder("POST", addTokenURL, httpmock.Responder(refused).Then(jsonResponder(200, `{}`)))
		if err := m.hotel.CallConnector(t.Context(), writeOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if n := m.calls(addTokenURL); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
	})
}

func TestAmbiguousFailuresAreRetriedForReadsOnly(t *testing.T) {
	reset := func(*http.Request) (*http.Response, error) {
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	for _, tt := range []struct {
		op        mews.Operation
		url       string
		wantCalls int
	}{
		{readOp, configurationURL, 2},
		{mews.Operation{Name: "configuration/get", Safety: mews.IdempotentWrite}, configurationURL, 2},
		{writeOp, addTokenURL, 1},
	} {
		t.Run(tt.op.Safety.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMocked(t)
				m.mt.RegisterResponder("POST", tt.url, httpmock.Responder(reset).Then(jsonResponder(200, `{}`)))
				err := m.hotel.CallConnector(t.Context(), tt.op, nil, nil)
				if n := m.calls(tt.url); n != tt.wantCalls {
					t.Errorf("%d attempts, want %d (err %v)", n, tt.wantCalls, err)
				}
				if tt.wantCalls == 1 && !errors.Is(err, syscall.ECONNRESET) {
					t.Errorf("err = %v, want the reset", err)
				}
			})
		})
	}
}

func TestCancellingTheContextEndsABackoffAtOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(503, `{}`, "Retry-After", "30"))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(time.Second, cancel)
		start := time.Now()
		err := m.hotel.CallConnector(ctx, readOp, nil, nil)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("returned after %v, want right at the cancellation (1s)", waited)
		}
	})
}

func TestAWaitLongerThanTheDeadlineReturnsMewsAnswerNow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(429, `{"Message":"Too many requests."}`, "Retry-After", "20"))
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		start := time.Now()
		err := m.hotel.CallConnector(ctx, readOp, nil, nil)
		if !errors.Is(err, mews.ErrRateLimited) || time.Since(start) != 0 {
			t.Errorf("err = %v after %v, want ErrRateLimited at once", err, time.Since(start))
		}
	})
}

func TestLimiterWaitCutShortByTheDeadlineIsDeadlineExceeded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRateLimit(1, time.Minute))
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(200, `{}`))
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		err := m.hotel.CallConnector(ctx, readOp, nil, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v, want context.DeadlineExceeded", err)
		}
		if n := m.calls(configurationURL); n != 1 {
			t.Errorf("%d requests sent, want 1 (the limiter held the second)", n)
		}
	})
}

func TestUndecodableResponsesAreBadResponseWithASnippet(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		wantStatus error
		wantInText string
	}{
		{"HTML page with 200", 200, "<html><body>Maintenance</body></html>", nil, "<html><body>Maintenance"},
		{"truncated JSON", 200, `{"Enterprise":{"Name":"Ho`, nil, `{\"Enterprise\":{\"Name\":\"Ho`},
		{"empty 200", 200, "", nil, "empty response body"},
		{"HTML from a proxy on 502", 502, "<html>Bad Gateway</html>", mews.ErrSystem, "HTTP 502"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
			m.mt.RegisterResponder("POST", configurationURL, httpmock.NewStringResponder(tt.status, tt.body))
			var out struct{ Enterprise struct{ Name string } }
			err := m.hotel.CallConnector(t.Context(), readOp, nil, &out)
			var apiErr *mews.APIError
			if !errors.As(err, &apiErr) || !errors.Is(err, mews.ErrBadResponse) {
				t.Fatalf("err = %v, want an *APIError matching ErrBadResponse", err)
			}
			if apiErr.StatusCode != tt.status || !strings.Contains(err.Error(), tt.wantInText) {
				t.Errorf("err = %v, want status %d and %q in the text", err, tt.status, tt.wantInText)
			}
			if tt.wantStatus != nil && !errors.Is(err, tt.wantStatus) {
				t.Errorf("err = %v, want it to match %v too", err, tt.wantStatus)
			}
		})
	}
}

func TestBodiesOverTheCapFailCleanly(t *testing.T) {
	m := newMocked(t, mews.WithMaxResponseBytes(1024))
	big := `{"Items":["` + strings.Repeat("x", 4096) + `"]}`
	m.mt.RegisterResponder("POST", configurationURL, func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewStringResponse(200, big)
		resp.ContentLength = -1 // unknown length: the cap must hold while reading
		return resp, nil
	})
	err := m.hotel.CallConnector(t.Context(), readOp, nil, &struct{}{})
	if !errors.Is(err, mews.ErrBadResponse) || !strings.Contains(err.Error(), "WithMaxResponseBytes") {
		t.Errorf("err = %v, want ErrBadResponse naming the option", err)
	}
}

func TestChannelManagerEnvelopesAreReadTolerantly(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		wantCodes []mews.ErrorCode
		wantIs    []error
	}{
		{"errors array", `{"success":false,"errors":[{"code":3,"message":"Connection not found."}]}`, []mews.ErrorCode{3}, []error{mews.ErrConnectionNotFound}},
		{"deprecated singular error", `{"success":false,"error":{"code":8,"message":"Invalid 'clientToken' or 'connectionToken'."}}`, []mews.ErrorCode{8}, []error{mews.ErrInvalidAuthentication}},
		{"several codes", `{"success":false,"errors":[{"code":6,"message":"a"},{"code":"7","message":"b"}]}`, []mews.ErrorCode{6, 7}, []error{mews.ErrValidation, mews.ErrProcessing}},
		{"success as a string", `{"success":"false","errors":[{"code":1,"message":"Down"}]}`, []mews.ErrorCode{1}, []error{mews.ErrSystem}},
		{"failure without errors", `{"success":false}`, []mews.ErrorCode{}, nil},
		{"success without errors", `{"success":true,"channels":[{"code":1,"name":"Booking.com"}]}`, nil, nil},
		{"success missing", `{"channels":[{"code":1,"name":"Booking.com"}]}`, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
			m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, tt.body))
			var out struct {
				Channels []struct{ Code int } `json:"channels"`
			}
			err := m.conn.CallChannelManager(t.Context(), cmOp, nil, &out)
			if tt.wantCodes == nil {
				if err != nil || len(out.Channels) != 1 {
					t.Fatalf("err = %v, channels %v; want success with one channel", err, out.Channels)
				}
				return
			}
			var apiErr *mews.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *APIError", err)
			}
			if diff := cmp.Diff(tt.wantCodes, apiErr.Codes()); diff != "" {
				t.Errorf("codes (-want +got):\n%s", diff)
			}
			for _, want := range tt.wantIs {
				if !errors.Is(err, want) {
					t.Errorf("errors.Is(err, %v) = false", want)
				}
			}
		})
	}
}

func TestChannelManagerNon200IsASystemError(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 2}))
		m.mt.RegisterResponder("POST", getConfigCMURL, httpmock.NewStringResponder(503, "<html>down</html>"))
		err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil)
		var apiErr *mews.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || !errors.Is(err, mews.ErrSystem) {
			t.Errorf("err = %v, want a 503 *APIError matching ErrSystem", err)
		}
		if n := m.calls(getConfigCMURL); n != 2 {
			t.Errorf("%d attempts, want 2 (a read is retried)", n)
		}
	})
}

func TestAbsoluteOperationURLsMustBeSafe(t *testing.T) {
	m := newMocked(t)
	err := m.conn.CallChannelManager(t.Context(), mews.Operation{Name: "processRateConfirmation", URL: "http://mews.example/confirm"}, nil, nil)
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput for a plain-http responseUrl", err)
	}
}

func TestRequestBodyMustBeAJSONObject(t *testing.T) {
	m := newMocked(t)
	err := m.hotel.CallConnector(t.Context(), readOp, []string{"not", "an", "object"}, nil)
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

func TestNoContentLeavesOutUntouched(t *testing.T) {
	m := newMocked(t)
	m.mt.RegisterResponder("POST", configurationURL, func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(""))}, nil
	})
	out := struct{ Cursor string }{"before"}
	if err := m.hotel.CallConnector(t.Context(), readOp, nil, &out); err != nil || out.Cursor != "before" {
		t.Errorf("err %v, out %+v; want success and out untouched", err, out)
	}
}

// closeCounter is a transport that counts CloseIdleConnections calls.
type closeCounter struct {
	*httpmock.MockTransport
	closed int
}

func (c *closeCounter) CloseIdleConnections() { c.closed++ }

func TestAFailedCallDoesNotCloseTheSharedConnectionPool(t *testing.T) {
	mt := &closeCounter{MockTransport: httpmock.NewMockTransport()}
	mt.RegisterResponder("POST", addTokenURL, jsonResponder(500, `{"Message":"Unexpected error."}`))
	c, _ := mews.NewClient(mews.WithTransport(mt), mews.WithClientToken(testClientToken))
	hotel, _ := c.Connector(testAccessToken)
	if err := hotel.CallConnector(t.Context(), writeOp, nil, nil); !errors.Is(err, mews.ErrSystem) {
		t.Fatalf("err = %v, want ErrSystem", err)
	}
	if mt.closed != 0 {
		t.Errorf("CloseIdleConnections called %d times; one hotel's failure must not drop every hotel's connections", mt.closed)
	}
}

func TestAPagerShrinksA408PageAtOnceInsteadOfRepeatingIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		const url = demo + "/api/connector/v1/things/getAll"
		var counts []int
		m.mt.RegisterResponder("POST", url, func(r *http.Request) (*http.Response, error) {
			var in struct{ Limitation paging.Limitation }
			_ = json.NewDecoder(r.Body).Decode(&in)
			counts = append(counts, in.Limitation.Count)
			if in.Limitation.Count > 250 {
				return jsonResponder(408, `{"Message":"Request timeout."}`)(r)
			}
			return jsonResponder(200, `{"Things":["a","b"],"Cursor":null}`)(r)
		})
		type things struct {
			Things []string
			Cursor *string
		}
		pager := listfilter.Pager(m.hotel, listfilter.GetAll[struct{}, things, string]{
			Operation: mews.Operation{Name: "things/getAll", Safety: mews.Read},
			Queries:   []struct{}{{}},
			Read:      func(p *things) ([]string, *string) { return p.Things, p.Cursor },
		})
		start := time.Now()
		got, err := pager.Collect(t.Context())
		if err != nil || len(got) != 2 {
			t.Fatalf("got %v, %v", got, err)
		}
		if diff := cmp.Diff([]int{500, 250}, counts); diff != "" || time.Since(start) != 0 {
			t.Errorf("page sizes asked (-want +got):\n%s after %v; want the 408 answered by a smaller page at once", diff, time.Since(start))
		}
	})
}

func TestA408OutsideAPagerIsRetriedForReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(408, `{}`).Then(jsonResponder(200, `{}`)))
		if err := m.hotel.CallConnector(t.Context(), readOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if n := m.calls(configurationURL); n != 2 {
			t.Errorf("%d attempts, want 2", n)
		}
	})
}

func TestReadsAreRetriedAfterAnUnreadableSuccessBody(t *testing.T) {
	for _, tt := range []struct {
		name, body string
	}{
		{"cut off", `{"Enterprise":{"Name":"Ho`},
		{"proxy page", `<html>Bad Gateway</html>`},
		{"empty", ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMocked(t)
				m.mt.RegisterResponder("POST", configurationURL,
					httpmock.NewStringResponder(200, tt.body).Then(jsonResponder(200, `{"Enterprise":{"Id":"e1"}}`)))
				var out struct{ Enterprise struct{ Id, Name string } }
				if err := m.hotel.CallConnector(t.Context(), readOp, nil, &out); err != nil {
					t.Fatal(err)
				}
				want := struct{ Id, Name string }{Id: "e1"} // nothing left over from the cut-off body
				if diff := cmp.Diff(want, out.Enterprise); diff != "" || m.calls(configurationURL) != 2 {
					t.Errorf("after %d calls (-want +got):\n%s", m.calls(configurationURL), diff)
				}
			})
		})
	}
}

func TestWritesAreNotRetriedAfterAnUnreadableSuccessBody(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", addTokenURL, httpmock.NewStringResponder(200, `{"ResourceAccessTokens":[{"Id":"a`))
		err := m.hotel.CallConnector(t.Context(), writeOp, nil, &struct{}{})
		if !errors.Is(err, mews.ErrBadResponse) || m.calls(addTokenURL) != 1 {
			t.Errorf("err = %v after %d calls; want ErrBadResponse after one (Mews stored it)", err, m.calls(addTokenURL))
		}
	})
}

func TestOversizedBodiesAreNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithMaxResponseBytes(16))
		m.mt.RegisterResponder("POST", configurationURL, jsonResponder(200, `{"Enterprise":{"Name":"A long hotel name"}}`))
		err := m.hotel.CallConnector(t.Context(), readOp, nil, &struct{}{})
		if !errors.Is(err, mews.ErrBadResponse) || m.calls(configurationURL) != 1 {
			t.Errorf("err = %v after %d calls; want one (the next answer would be as large)", err, m.calls(configurationURL))
		}
	})
}

func TestChannelManagerSystemErrorIsRetriedForReads(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 3}))
		down := `{"success":false,"errors":[{"code":1,"message":"Maintenance."}]}`
		m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, down).Then(jsonResponder(200, `{"success":true}`)))
		if err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil); err != nil {
			t.Fatal(err)
		}
		if n := m.calls(getConfigCMURL); n != 2 {
			t.Errorf("%d calls, want 2", n)
		}
		always := newMocked(t, mews.WithRetry(mews.RetryPolicy{MaxAttempts: 3}))
		always.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, down))
		err := always.conn.CallChannelManager(t.Context(), cmOp, nil, nil)
		if !errors.Is(err, mews.ErrSystem) || always.calls(getConfigCMURL) != 3 {
			t.Errorf("err = %v after %d calls; want ErrSystem after 3", err, always.calls(getConfigCMURL))
		}
	})
}

func TestChannelManagerErrorsOtherThanSystemAreNotRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, `{"success":false,"errors":[{"code":1,"message":"a"},{"code":6,"message":"b"}]}`))
		if err := m.conn.CallChannelManager(t.Context(), cmOp, nil, nil); !errors.Is(err, mews.ErrValidation) || m.calls(getConfigCMURL) != 1 {
			t.Errorf("err = %v after %d calls; want one", err, m.calls(getConfigCMURL))
		}
	})
}

func TestCancellationWhileRetryingAnAnswerKeepsIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMocked(t)
		m.mt.RegisterResponder("POST", getConfigCMURL, jsonResponder(200, `{"success":false,"errors":[{"code":1,"message":"Maintenance."}]}`))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(100*time.Millisecond, cancel)
		err := m.conn.CallChannelManager(ctx, cmOp, nil, nil)
		if !errors.Is(err, context.Canceled) || !errors.Is(err, mews.ErrSystem) || !strings.Contains(err.Error(), "Maintenance.") {
			t.Errorf("err = %v, want the cancellation and Mews' answer", err)
		}
	})
}
