package mewstest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

func TestIntegrationEventMarshalsMewsShapePerAction(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	integration := map[string]any{"Id": mewstest.IntegrationID, "Name": mewstest.IntegrationName}
	tests := []struct {
		ev   mewstest.IntegrationEvent
		want map[string]any
	}{
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID},
			map[string]any{"Integration": integration}},
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDeleted, IntegrationID: mewstest.IntegrationID, Time: at},
			map[string]any{"Integration": integration, "DeletedUtc": "2026-03-01T12:00:00Z"}},
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationAPIKeyCreated, IntegrationID: mewstest.IntegrationID, APIKey: "NEW"},
			map[string]any{"Integration": integration, "ApiKey": "NEW"}},
		{mewstest.IntegrationEvent{
			Action: mewstest.ActionIntegrationCreated, IntegrationID: mewstest.IntegrationID, Time: at,
			// The encoding is under test, not a credential: a placeholder keeps any failing
			// diff free of real-looking tokens.
			EnterpriseID: mewstest.EnterpriseID, EnterpriseName: mewstest.EnterpriseName, AccessToken: "placeholder-access-token",
		}, map[string]any{
			"Integration": integration, "Enterprise": map[string]any{"Id": mewstest.EnterpriseID, "Name": mewstest.EnterpriseName},
			"Service": nil, "Requestor": nil, "AccessToken": "placeholder-access-token", "CreatedUtc": "2026-03-01T12:00:00Z", "IsEnabled": true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.ev.Action, func(t *testing.T) {
			b, err := json.Marshal(tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"Action": tt.ev.Action, "Data": tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSendWebhookStopsWaitingAfterFiveSecondsInProcess(t *testing.T) {
	for _, tt := range []struct {
		answerAfter time.Duration
		accepted    bool
	}{{4 * time.Second, true}, {6 * time.Second, false}} {
		synctest.Test(t, func(t *testing.T) {
			slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-time.After(tt.answerAfter):
					w.WriteHeader(http.StatusAccepted)
				case <-r.Context().Done(): // Mews hung up
				}
			})
			srv := mewstest.NewServer(mewstest.WithInProcess())
			ep := srv.NewEndpoint("https://portal.example/hooks?Token=secret", mewstest.WithEndpointHandler(slow))
			start := time.Now()
			d, err := ep.SendWebhook(t.Context(), mewstest.NewGeneralWebhook())
			if err != nil {
				t.Fatal(err)
			}
			waited := time.Since(start)
			if d.Accepted != tt.accepted || waited > 5*time.Second || (d.Err != nil) == tt.accepted {
				t.Errorf("answer after %v: accepted %t (err %v) after waiting %v; want accepted %t, no wait beyond 5s",
					tt.answerAfter, d.Accepted, d.Err, waited, tt.accepted)
			}
		})
	}
}

func TestDeliveryErrorsDoNotQuoteTheWebhookSecret(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		silent := http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
		srv := mewstest.NewServer(mewstest.WithInProcess())
		const secret = "endpoint-secret-Qm4sV8xZ"
		ep := srv.NewEndpoint("https://portal.example/hooks?Token="+secret, mewstest.WithEndpointHandler(silent),
			mewstest.WithEndpointRedelivery(2, time.Minute))
		d, err := ep.SendWebhookUntilAccepted(t.Context(), mewstest.NewGeneralWebhook())
		if d.Err == nil || err == nil {
			t.Fatalf("delivery error %v, redelivery error %v; want both set", d.Err, err)
		}
		for _, text := range []string{d.Err.Error(), err.Error()} {
			leakscan.Check(t, "the delivery error", text, secret)
		}
	})
}

func TestAnUnparsableWebhookURLIsNotQuotedWithItsSecret(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	const secret = "endpoint-secret-Wc7nP2rD"
	ep := srv.NewEndpoint("https://portal example/hooks?Token=" + secret) // a space in the host
	d, err := ep.SendWebhook(t.Context(), mewstest.NewGeneralWebhook())
	if err == nil && d.Err == nil {
		t.Fatal("delivery to an unparsable URL succeeded")
	}
	for _, e := range []error{err, d.Err} {
		if e != nil {
			leakscan.Check(t, "the delivery error", e.Error(), secret)
		}
	}
}

func TestSendWebhookSendsAStringBodyAsRawJSON(t *testing.T) {
	var got string
	record := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = string(b)
		w.WriteHeader(http.StatusAccepted)
	})
	srv := mewstest.NewServer(mewstest.WithInProcess())
	ep := srv.NewEndpoint("https://portal.example/hooks?Token=t", mewstest.WithEndpointHandler(record))
	const body = `{"EnterpriseId":"e","IntegrationId":"i","Events":[]}`
	if _, err := ep.SendWebhook(t.Context(), body); err != nil {
		t.Fatal(err)
	}
	if got != body {
		t.Errorf("sent %s, want %s as it is, like Push does", got, body)
	}
}
