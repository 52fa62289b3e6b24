package connection_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

const (
	secret = "s3cret-webhook-token-0123456789"
	// exampleIntegration is the integration id of the examples in testdata.
	exampleIntegration = "9e5e84e9-974d-4f16-9662-ab2200f27cb1"
)

var tokenEq = cmp.Comparer(func(a, b mews.Token) bool { return a.Reveal() == b.Reveal() })

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseIntegrationEventDecodesTheReferenceExamples(t *testing.T) {
	integration := connection.Integration{ID: exampleIntegration, Name: "WebhookTEST"}
	tests := []struct {
		file string
		want connection.IntegrationEvent
	}{
		{"integration_created.json", connection.IntegrationEvent{
			Action: connection.IntegrationCreated, Integration: integration,
			Enterprise:  connection.Enterprise{ID: "8865aa96-f62d-4f9b-a912-ab2100f60f42", Name: "Sample Chain Hotel 1"},
			Service:     &connection.Service{ID: "9745ce3a-8dbb-4cc0-a550-55f9ff67b242", Name: "Accommodation"},
			AccessToken: mustToken(t, "9E5E84E9974D4F169662AB2200F27CB1-00B343A0DDA725CACAC028E38E3EABF"),
			IsEnabled:   true, CreatedUTC: time.Date(2019, 12, 13, 14, 42, 52, 0, time.UTC),
		}},
		{"integration_disabled.json", connection.IntegrationEvent{Action: connection.IntegrationDisabled, Integration: integration}},
		{"integration_deleted.json", connection.IntegrationEvent{
			Action: connection.IntegrationDeleted, Integration: integration, DeletedUTC: time.Date(2020, 1, 2, 10, 0, 0, 0, time.UTC),
		}},
		{"integration_api_key_created.json", connection.IntegrationEvent{
			Action: connection.IntegrationAPIKeyCreated, Integration: integration,
			APIKey: mustToken(t, "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := connection.ParseIntegrationEvent(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, tokenEq); diff != "" {
				t.Errorf("ParseIntegrationEvent (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseIntegrationEventRejectsMalformedBodies(t *testing.T) {
	tests := map[string]string{
		"not JSON":                      `{"Action": `,
		"no action":                     `{"Data": {}}`,
		"no data":                       `{"Action": "IntegrationDisabled"}`,
		"null data":                     `{"Action": "IntegrationDisabled", "Data": null}`,
		"no integration id":             `{"Action": "IntegrationEnabled", "Data": {"Integration": {"Name": "x"}}}`,
		"api key missing":               `{"Action": "IntegrationApiKeyCreated", "Data": {"Integration": {"Id": "i"}}}`,
		"created without access token":  `{"Action": "IntegrationCreated", "Data": {"Integration": {"Id": "i"}, "Enterprise": {"Id": "e"}}}`,
		"wrong type in data":            `{"Action": "IntegrationDisabled", "Data": {"Integration": "i"}}`,
		"created without an enterprise": `{"Action": "IntegrationCreated", "Data": {"Integration": {"Id": "i"}, "AccessToken": "t"}}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := connection.ParseIntegrationEvent([]byte(body))
			if _, ok := errors.AsType[*connection.WebhookError](err); !ok || !errors.Is(err, connection.ErrBadWebhook) {
				t.Errorf("err = %v, want a *WebhookError", err)
			}
		})
	}
}

func TestParseIntegrationEventReturnsUnknownActionsWithoutError(t *testing.T) {
	ev, err := connection.ParseIntegrationEvent([]byte(`{"Action": "IntegrationRenamed", "Data": 42}`))
	if err != nil || ev.Action != "IntegrationRenamed" || ev.Action.Known() {
		t.Errorf("got %+v, %v; want the unknown action and no error", ev, err)
	}
}

func TestWebhookHandlerAnswers(t *testing.T) {
	_, client := newServer(t)
	m, _ := newMonitor(t, client, connection.WithInterval(time.Hour))
	creds := connector(t, mewstest.AccessToken)
	creds.IntegrationID = exampleIntegration
	mustAdd(t, m, "hotel", creds)
	h, err := m.WebhookHandler(mustToken(t, secret), connection.WithWebhookMaxBodyBytes(1024))
	if err != nil {
		t.Fatal(err)
	}
	disabled := string(readTestdata(t, "integration_disabled.json"))
	tests := []struct {
		name, method, query, body string
		want                      int
	}{
		{"handled event", http.MethodPost, "?Token=" + secret, disabled, http.StatusNoContent},
		{"GET", http.MethodGet, "?Token=" + secret, "", http.StatusMethodNotAllowed},
		{"no token", http.MethodPost, "", disabled, http.StatusUnauthorized},
		{"wrong token", http.MethodPost, "?Token=" + secret + "x", disabled, http.StatusUnauthorized},
		{"token in another parameter", http.MethodPost, "?token=" + secret, disabled, http.StatusUnauthorized},
		{"body too large", http.MethodPost, "?Token=" + secret, `{"Action":"` + strings.Repeat("A", 2000) + `"}`, http.StatusRequestEntityTooLarge},
		{"not JSON", http.MethodPost, "?Token=" + secret, `<xml secret="do-not-echo"/>`, http.StatusBadRequest},
		{"missing integration", http.MethodPost, "?Token=" + secret, `{"Action":"IntegrationDisabled","Data":{}}`, http.StatusBadRequest},
		{"unknown action", http.MethodPost, "?Token=" + secret, `{"Action":"IntegrationRenamed","Data":{}}`, http.StatusAccepted},
		{"unknown integration", http.MethodPost, "?Token=" + secret, strings.ReplaceAll(disabled, exampleIntegration, "other"), http.StatusAccepted},
		{"general webhook on the same URL", http.MethodPost, "?Token=" + secret, string(readTestdata(t, "general_webhook.json")), http.StatusAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tt.method, "/mews/integrations"+tt.query, strings.NewReader(tt.body)))
			if rec.Code != tt.want {
				t.Errorf("status %d (%q), want %d", rec.Code, rec.Body.String(), tt.want)
			}
			if rec.Code >= 400 && (len(rec.Body.String()) > 100 || strings.Contains(rec.Body.String(), "do-not-echo")) {
				t.Errorf("error answer %q should be short and not quote the body", rec.Body.String())
			}
		})
	}
}

func TestWebhookHandlerNeedsASecret(t *testing.T) {
	_, client := newServer(t)
	m, _ := newMonitor(t, client)
	if _, err := m.WebhookHandler(mews.Token{}); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

func TestWebhookHandlerRefusesInvalidOptions(t *testing.T) {
	_, client := newServer(t)
	m, _ := newMonitor(t, client)
	for name, opt := range map[string]connection.WebhookOption{
		"zero body limit":    connection.WithWebhookMaxBodyBytes(0),
		"nil event function": connection.WithOnIntegrationEvent(nil),
	} {
		if _, err := m.WebhookHandler(mustToken(t, secret), opt); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
}

// webhookRig is a monitor watching one Connector connection of the seeded integration,
// its webhook handler, and a mewstest Endpoint that delivers webhooks to it in-process.
type webhookRig struct {
	srv      *mewstest.Server
	m        *connection.Monitor
	rec      *recorder
	ep       *mewstest.Endpoint
	token    string
	seen     []connection.IntegrationEvent
	routed   []string
	storeErr error // what OnEvent returns
}

func newWebhookRig(t *testing.T, withIntegrationID bool) *webhookRig {
	t.Helper()
	srv, client := newServer(t)
	r := &webhookRig{srv: srv, token: srv.AddAccessToken(mewstest.EnterpriseID)}
	r.m, r.rec = newMonitor(t, client, connection.WithInterval(interval))
	creds := connector(t, r.token)
	if withIntegrationID {
		creds.IntegrationID = mewstest.IntegrationID
	}
	mustAdd(t, r.m, "hotel", creds)
	h, err := r.m.WebhookHandler(mustToken(t, secret), connection.WithOnIntegrationEvent(func(ev connection.IntegrationEvent, key string) error {
		r.seen = append(r.seen, ev)
		r.routed = append(r.routed, key)
		return r.storeErr
	}))
	if err != nil {
		t.Fatal(err)
	}
	r.ep = srv.NewEndpoint("https://portal.example/mews/integrations?Token="+secret, mewstest.WithEndpointHandler(h))
	synctest.Wait()
	return r
}

func (r *webhookRig) send(t *testing.T, action string) mewstest.Delivery {
	t.Helper()
	d, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{Action: action, IntegrationID: mewstest.IntegrationID})
	if err != nil || !d.Accepted {
		t.Fatalf("%s webhook: %v, status %d %s", action, err, d.Status, d.Body)
	}
	return d
}

func TestWebhookBreaksAConnectionWithoutWaitingForTheInterval(t *testing.T) {
	tests := []struct {
		action string
		reason error
	}{
		{mewstest.ActionIntegrationDisabled, connection.ErrIntegrationDisabled},
		{mewstest.ActionIntegrationCanceled, connection.ErrIntegrationCanceled},
		{mewstest.ActionIntegrationDeleted, connection.ErrIntegrationDeleted},
	}
	for _, tt := range tests {
		t.Run(tt.action, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r := newWebhookRig(t, true)
				sent := time.Now()
				r.send(t, tt.action)
				st, _ := r.m.State("hotel")
				if st.Status != connection.Broken || !errors.Is(st.Reason, tt.reason) || time.Since(sent) != 0 {
					t.Errorf("right after the webhook: %v (%v) after %v, want Broken (%v) at once", st.Status, st.Reason, time.Since(sent), tt.reason)
				}
				synctest.Wait()
				if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken"}, r.rec.transitions("hotel")); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff([]string{"hotel"}, r.routed); diff != "" {
					t.Errorf("OnEvent keys (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestWebhookHeldConnectionIsNotCheckedUntilReenabled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.send(t, mewstest.ActionIntegrationDisabled)
		advance(5 * interval)
		if n := configChecks(r.srv, r.token); n != 1 {
			t.Errorf("%d checks while disabled, want only the first", n)
		}
		r.send(t, mewstest.ActionIntegrationEnabled)
		synctest.Wait()
		if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken", "Broken>Connected"}, r.rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestWebhookReinstatedRechecksAndFindsTheTruth(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.send(t, mewstest.ActionIntegrationCanceled)
		r.srv.Revoke(r.token) // Mews has not restored the token yet
		r.send(t, mewstest.ActionIntegrationReinstated)
		synctest.Wait()
		st, _ := r.m.State("hotel")
		if st.Status != connection.Broken || !errors.Is(st.Reason, mews.ErrInvalidAuthentication) {
			t.Errorf("State = %v (%v), want Broken as configuration/get says", st.Status, st.Reason)
		}
	})
}

func TestWebhookAnswersWithoutWaitingForTheCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Delay: time.Hour})
		start := time.Now()
		r.send(t, mewstest.ActionIntegrationEnabled)
		if d := time.Since(start); d != 0 {
			t.Errorf("the webhook took %v, want an answer before the check ends", d)
		}
		r.m.Close()
	})
}

func TestWebhookRotationBringsABrokenConnectionBackToConnected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		fresh := r.srv.Rotate(r.token)
		advance(interval)
		if got := status(t, r.m, "hotel"); got != connection.Broken {
			t.Fatalf("after the old key stopped working: %v, want Broken", got)
		}
		d, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{
			Action: mewstest.ActionIntegrationAPIKeyCreated, IntegrationID: mewstest.IntegrationID, APIKey: fresh,
		})
		if err != nil || d.Status != http.StatusNoContent {
			t.Fatalf("ApiKeyCreated: %v, status %d", err, d.Status)
		}
		synctest.Wait()
		if diff := cmp.Diff([]string{"Unknown>Connected", "Connected>Broken", "Broken>Connected"}, r.rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if n := configChecks(r.srv, fresh); n != 1 {
			t.Errorf("%d checks with the new key, want 1", n)
		}
		if len(r.seen) != 1 || r.seen[0].APIKey.Reveal() != fresh {
			t.Errorf("OnEvent should hand the new key over for storage; got %d events", len(r.seen))
		}
	})
}

func TestWebhookRotateAndNotifyKeepsTheConnectionConnected(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		fresh, d, err := r.ep.RotateAndNotify(t.Context(), r.token, mewstest.IntegrationID)
		if err != nil || !d.Accepted {
			t.Fatalf("RotateAndNotify: %v, status %d", err, d.Status)
		}
		advance(3 * interval)
		if diff := cmp.Diff([]string{"Unknown>Connected"}, r.rec.transitions("hotel")); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
		if n := configChecks(r.srv, fresh); n < 4 {
			t.Errorf("%d checks with the new key, want the forced one and one per interval", n)
		}
	})
}

func TestWebhookIntegrationCreatedLinksTheWatchedToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, false)
		r.send(t, mewstest.ActionIntegrationDisabled) // not linked yet: ignored
		if got := status(t, r.m, "hotel"); got != connection.Connected {
			t.Fatalf("an unlinked Disabled changed the status to %v", got)
		}
		_, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{
			Action: mewstest.ActionIntegrationCreated, IntegrationID: mewstest.IntegrationID,
			EnterpriseID: mewstest.EnterpriseID, EnterpriseName: mewstest.EnterpriseName, AccessToken: r.token,
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := r.m.State("hotel"); st.IntegrationID != mewstest.IntegrationID {
			t.Fatalf("IntegrationID = %q, want it learnt from IntegrationCreated", st.IntegrationID)
		}
		r.send(t, mewstest.ActionIntegrationDisabled)
		if got := status(t, r.m, "hotel"); got != connection.Broken {
			t.Errorf("after Disabled: %v, want Broken", got)
		}
		if diff := cmp.Diff([]string{"", "hotel", "hotel"}, r.routed); diff != "" {
			t.Errorf("OnEvent keys (-want +got):\n%s", diff)
		}
	})
}

func TestWebhookWhoseEventCannotBeStoredIsDeliveredAgain(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.storeErr = errors.New("database unavailable")
		ev := mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationAPIKeyCreated, IntegrationID: mewstest.IntegrationID, APIKey: r.srv.Rotate(r.token)}
		d, err := r.ep.SendIntegrationEvent(t.Context(), ev)
		if err != nil || d.Status != http.StatusServiceUnavailable {
			t.Fatalf("status %d (%v), want 503 so that Mews sends the new key again", d.Status, err)
		}
		r.storeErr = nil
		if d, err := r.ep.SendIntegrationEvent(t.Context(), ev); err != nil || d.Status != http.StatusNoContent {
			t.Errorf("redelivery: status %d (%v), want 204", d.Status, err)
		}
		synctest.Wait()
		if got := status(t, r.m, "hotel"); got != connection.Connected {
			t.Errorf("after the redelivered rotation: %v, want Connected", got)
		}
	})
}

func TestWebhookIntegrationCreatedReplacesAWrongIntegrationID(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, false)
		wrong := connector(t, r.token)
		wrong.IntegrationID = "0ld00000-0000-4000-8000-000000000000"
		if err := r.m.Update("hotel", wrong); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		_, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{
			Action: mewstest.ActionIntegrationCreated, IntegrationID: mewstest.IntegrationID,
			EnterpriseID: mewstest.EnterpriseID, EnterpriseName: mewstest.EnterpriseName, AccessToken: r.token,
		})
		if err != nil {
			t.Fatal(err)
		}
		d, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: wrong.IntegrationID})
		if err != nil || d.Status != http.StatusAccepted {
			t.Errorf("Disabled for the wrong id: status %d (%v), want 202 (no longer routed)", d.Status, err)
		}
		if got := status(t, r.m, "hotel"); got != connection.Connected {
			t.Errorf("after a webhook about the wrong id: %v, want Connected", got)
		}
	})
}

func TestWebhookAfterCloseAsksMewsToRetry(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := newWebhookRig(t, true)
		r.m.Close()
		d, err := r.ep.SendIntegrationEvent(t.Context(), mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID})
		if err != nil || d.Status != http.StatusServiceUnavailable {
			t.Errorf("status %d (%v), want 503", d.Status, err)
		}
	})
}
