package mewstest_test

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/mewskit/mews-go/mewstest"
)

// tokenRecorder is a channel manager endpoint that accepts every call and keeps the
// clientToken of the last one.
type tokenRecorder struct {
	mu    sync.Mutex
	token string
}

func (tr *tokenRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ClientToken string `json:"clientToken"`
	}
	_ = json.NewDecoder(r.Body).Decode(&body)
	tr.mu.Lock()
	tr.token = body.ClientToken
	tr.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{"success":true}`))
}

func (tr *tokenRecorder) last() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.token
}

func TestWithEndpointClientToken_IsTheClientTokenThePushesCarry(t *testing.T) {
	const agreed = "token-agreed-with-mews"
	for _, tc := range []struct {
		name string
		opts []mewstest.EndpointOption
		want string
	}{
		{"default", nil, mewstest.ChannelManagerClientToken},
		{"WithEndpointClientToken", []mewstest.EndpointOption{mewstest.WithEndpointClientToken(agreed)}, agreed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var rec tokenRecorder
			srv := mewstest.NewServer(mewstest.WithInProcess())
			t.Cleanup(srv.Close)
			ep := srv.NewEndpoint("https://chm.example/mews", append(tc.opts, mewstest.WithEndpointHandler(&rec))...)
			d, err := ep.Push(t.Context(), "changeNotificaton", map[string]any{})
			if err != nil || !d.Accepted {
				t.Fatalf("Push: accepted %v, err %v, delivery error %v", d.Accepted, err, d.Err)
			}
			if rec.last() != tc.want { // tokens are not printed
				t.Error("the push did not carry the expected clientToken")
			}
		})
	}
}

func TestWithEndpointHTTPClient_CallsOverTheGivenClient(t *testing.T) {
	var rec tokenRecorder
	ts := httptest.NewUnstartedServer(&rec)         // loopback; only ts.Client() trusts its certificate
	ts.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	ts.StartTLS()
	t.Cleanup(ts.Close)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)

	d, err := srv.NewEndpoint(ts.URL, mewstest.WithEndpointHTTPClient(ts.Client())).Push(t.Context(), "changeNotificaton", map[string]any{})
	if err != nil || !d.Accepted {
		t.Errorf("with the server's client: accepted %v, err %v, delivery error %v; want accepted", d.Accepted, err, d.Err)
	}
	d, err = srv.NewEndpoint(ts.URL).Push(t.Context(), "changeNotificaton", map[string]any{})
	if err != nil || d.Err == nil || d.Accepted {
		t.Errorf("with the default client: accepted %v, err %v, delivery error %v; want a certificate error", d.Accepted, err, d.Err)
	}
}
