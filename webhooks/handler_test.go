package webhooks_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/webhooks"
)

const (
	secret  = "s3cret-webhook-token"
	hookURL = "https://chm.example/mews/webhooks?Token=" + secret
)

// inbox collects processed messages.
type inbox struct {
	mu   sync.Mutex
	msgs []*webhooks.Message
}

func (b *inbox) process(_ context.Context, m *webhooks.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	return nil
}

func (b *inbox) got() []*webhooks.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]*webhooks.Message(nil), b.msgs...)
}

// start returns a Handler and an Endpoint delivering to it in-process at url; the
// Handler is shut down when the test ends.
func start(t *testing.T, url string, process webhooks.Func, opts ...webhooks.Option) (*webhooks.Handler, *mewstest.Endpoint) {
	t.Helper()
	h, err := webhooks.NewHandler(secret, process, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	srv := mewstest.NewServer(mewstest.WithInProcess())
	return h, srv.NewEndpoint(url, mewstest.WithEndpointHandler(h))
}

func send(t *testing.T, ep *mewstest.Endpoint, body any) mewstest.Delivery {
	t.Helper()
	d, err := ep.SendWebhook(t.Context(), body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// referenceExample is the General Webhook example of the Connector documentation.
const referenceExample = `{
  "EnterpriseId": "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
  "IntegrationId": "c8bee838-7fb1-4f4e-8fac-ac87008b2f90",
  "Events": [
    {"Discriminator": "ServiceOrderUpdated", "Value": {"Id": "bfee2c44-1f84-4326-a862-5289598f6e2d"}},
    {"Discriminator": "ResourceUpdated", "Value": {"Id": "7cccbdc6-73cf-4cd4-8056-6fd00f4d9699"}},
    {"Discriminator": "MessageAdded", "Value": {"Id": "4bfe4675-98a9-4428-9ea9-ae5300dbaa93"}},
    {"Discriminator": "CustomerAdded", "Value": {"Id": "c2f1d888-232e-49eb-87ac-5f75363af13b"}},
    {"Discriminator": "CustomerUpdated", "Value": {"Id": "b3ce0fd7-a715-4bfc-969e-ef7a4822963c"}},
    {"Discriminator": "PaymentUpdated", "Value": {"Id": "a41e2d45-71bc-49b4-9a05-a3ac5f75735c"}}
  ]
}`

func TestHandler_AcknowledgesAndProcessesTheReferenceExample(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var box inbox
		h, ep := start(t, hookURL, box.process)
		d := send(t, ep, []byte(referenceExample))
		if d.Status != http.StatusAccepted {
			t.Fatalf("status = %d, want 202", d.Status)
		}
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		id := func(d webhooks.Discriminator, id string) webhooks.Event {
			return webhooks.Event{Discriminator: d, Value: webhooks.EventValue{ID: id}}
		}
		want := []*webhooks.Message{{
			EnterpriseID:  "851df8c8-90f2-4c4a-8e01-a4fc46b25178",
			IntegrationID: "c8bee838-7fb1-4f4e-8fac-ac87008b2f90",
			Events: []webhooks.Event{
				id(webhooks.ServiceOrderUpdated, "bfee2c44-1f84-4326-a862-5289598f6e2d"),
				id(webhooks.ResourceUpdated, "7cccbdc6-73cf-4cd4-8056-6fd00f4d9699"),
				id(webhooks.MessageAdded, "4bfe4675-98a9-4428-9ea9-ae5300dbaa93"),
				id(webhooks.CustomerAdded, "c2f1d888-232e-49eb-87ac-5f75363af13b"),
				id(webhooks.CustomerUpdated, "b3ce0fd7-a715-4bfc-969e-ef7a4822963c"),
				id(webhooks.PaymentUpdated, "a41e2d45-71bc-49b4-9a05-a3ac5f75735c"),
			},
		}}
		if diff := cmp.Diff(want, box.got()); diff != "" {
			t.Errorf("processed (-want +got):\n%s", diff)
		}
	})
}

func TestHandler_AnswersBeforeSlowProcessingEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var deadline time.Time
		done := make(chan struct{})
		slow := func(ctx context.Context, _ *webhooks.Message) error {
			deadline, _ = ctx.Deadline()
			<-ctx.Done() // outlives Mews' 5-second limit by far
			close(done)
			return ctx.Err()
		}
		_, ep := start(t, hookURL, slow, webhooks.WithProcessTimeout(time.Minute))
		begin := time.Now()
		if d := send(t, ep, mewstest.NewGeneralWebhook(mewstest.WebhookEvent{Discriminator: "ResourceUpdated", ID: "r1"})); d.Status != http.StatusAccepted {
			t.Fatalf("status = %d, want 202", d.Status)
		}
		if waited := time.Since(begin); waited != 0 {
			t.Errorf("answer took %v, want immediate", waited)
		}
		<-done
		if got := deadline.Sub(begin); got != time.Minute {
			t.Errorf("process deadline = %v after delivery, want 1m", got)
		}
	})
}

func TestHandler_RefusesAWrongOrMissingToken(t *testing.T) {
	for name, url := range map[string]string{
		"wrong":                "https://chm.example/mews/webhooks?Token=guess",
		"missing":              "https://chm.example/mews/webhooks",
		"other parameter name": "https://chm.example/mews/webhooks?token=" + secret,
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var box inbox
				h, ep := start(t, url, box.process)
				if d := send(t, ep, []byte(referenceExample)); d.Status != http.StatusUnauthorized {
					t.Errorf("status = %d, want 401", d.Status)
				}
				_ = h.Shutdown(t.Context())
				if n := len(box.got()); n != 0 {
					t.Errorf("processed %d messages, want 0", n)
				}
			})
		})
	}
}

func TestWithTokenParameter_NamesTheQueryParameterThatCarriesTheSecret(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want int
	}{
		{"https://chm.example/mews/webhooks?key=" + secret, http.StatusAccepted},
		{hookURL, http.StatusUnauthorized}, // the default name no longer counts
	} {
		synctest.Test(t, func(t *testing.T) {
			var box inbox
			h, ep := start(t, tc.url, box.process, webhooks.WithTokenParameter("key"))
			if d := send(t, ep, []byte(referenceExample)); d.Status != tc.want {
				t.Errorf("status = %d, want %d", d.Status, tc.want)
			}
			_ = h.Shutdown(t.Context())
		})
	}
}

func TestWithLogger_ReportsRefusalsAndFailuresButNeverTheSecret(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logged bytes.Buffer // written by the handler and its workers; read after Shutdown
		logger := slog.New(slog.NewTextHandler(&logged, nil))
		fail := func(context.Context, *webhooks.Message) error { return errors.New("database down") }
		h, ep := start(t, hookURL, fail, webhooks.WithLogger(logger), webhooks.WithWorkers(1))
		send(t, ep, []byte(`{"EnterpriseId": 1}`))
		send(t, ep, mewstest.NewGeneralWebhook())
		_ = h.Shutdown(t.Context())
		out := logged.String()
		for _, want := range []string{"rejected a delivery", "processing failed", "database down"} {
			if !strings.Contains(out, want) {
				t.Errorf("the log lacks %q", want)
			}
		}
		if strings.Contains(out, secret) {
			t.Error("the log contains the URL secret")
		}
	})
}

func TestHandler_RefusesBodiesThatAreNotWebhookMessages(t *testing.T) {
	for name, tc := range map[string]struct {
		body   string
		status int
	}{
		"malformed":         {`{"EnterpriseId": `, http.StatusBadRequest},
		"no enterprise":     {`{"IntegrationId": "i", "Events": []}`, http.StatusBadRequest},
		"no events":         {`{"EnterpriseId": "e", "IntegrationId": "i"}`, http.StatusBadRequest},
		"wrong event shape": {`{"EnterpriseId": "e", "IntegrationId": "i", "Events": [{"Value": "x"}]}`, http.StatusBadRequest},
		"larger than 1 KiB": {`{"EnterpriseId": "` + string(make([]byte, 2048)) + `"}`, http.StatusRequestEntityTooLarge},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var box inbox
				h, ep := start(t, hookURL, box.process, webhooks.WithMaxBodyBytes(1024))
				if d := send(t, ep, []byte(tc.body)); d.Status != tc.status {
					t.Errorf("status = %d, want %d", d.Status, tc.status)
				}
				_ = h.Shutdown(t.Context())
				if n := len(box.got()); n != 0 {
					t.Errorf("processed %d messages, want 0", n)
				}
			})
		})
	}
}

func TestHandler_ExplainsABadBodyInJSONTermsWithoutGoTypes(t *testing.T) {
	for body, want := range map[string]string{
		`{"EnterpriseId": "e", "IntegrationId": "i", "Events": [{"Value": "x"}]}`: "Events.Value is a JSON string",
		`{"EnterpriseId": `: "malformed JSON at byte",
		`[1]`:               "want a JSON object with EnterpriseId",
	} {
		synctest.Test(t, func(t *testing.T) {
			h, ep := start(t, hookURL, (&inbox{}).process)
			d := send(t, ep, []byte(body))
			_ = h.Shutdown(t.Context())
			answer := string(d.Body)
			if d.Status != http.StatusBadRequest || !strings.Contains(answer, want) {
				t.Errorf("%s: answer %d %q, want 400 saying %q", body, d.Status, answer, want)
			}
			if strings.Contains(answer, "Go ") || strings.Contains(answer, "webhooks.") {
				t.Errorf("%s: answer %q names Go types", body, answer)
			}
		})
	}
}

func TestHandler_PassesIntegrationWebhooksOnTheSameURLToTheirHandler(t *testing.T) {
	disabled := mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID}
	for name, tc := range map[string]struct {
		passOn bool
		status int
		passed int
	}{
		"with WithIntegrationWebhooks": {true, http.StatusNoContent, 1},
		"without it":                   {false, http.StatusBadRequest, 0},
	} {
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var passed []string
				integrations := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					passed = append(passed, string(body))
					w.WriteHeader(http.StatusNoContent)
				})
				var opts []webhooks.Option
				if tc.passOn {
					opts = append(opts, webhooks.WithIntegrationWebhooks(integrations))
				}
				var box inbox
				h, ep := start(t, hookURL, box.process, opts...)
				d, err := ep.SendIntegrationEvent(t.Context(), disabled)
				if err != nil {
					t.Fatal(err)
				}
				_ = h.Shutdown(t.Context())
				if d.Status != tc.status || len(passed) != tc.passed || len(box.got()) != 0 {
					t.Errorf("status %d, %d passed on, %d processed; want %d, %d, 0", d.Status, len(passed), len(box.got()), tc.status, tc.passed)
				}
				if len(passed) == 1 && !strings.Contains(passed[0], `"Action":"IntegrationDisabled"`) {
					t.Errorf("passed on body %s, want the webhook's", passed[0])
				}
			})
		})
	}
}

func TestHandler_FullQueueAnswers503AndMewsRedeliversLater(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var box inbox
		blocking := func(ctx context.Context, m *webhooks.Message) error {
			<-release
			return box.process(ctx, m)
		}
		h, ep := start(t, hookURL, blocking, webhooks.WithWorkers(1), webhooks.WithQueueSize(1))
		msg := func(id string) mewstest.GeneralWebhook {
			return mewstest.NewGeneralWebhook(mewstest.WebhookEvent{Discriminator: "CustomerUpdated", ID: id})
		}
		send(t, ep, msg("busy")) // taken by the only worker
		synctest.Wait()
		send(t, ep, msg("queued")) // fills the queue
		full := send(t, ep, msg("late"))
		if full.Status != http.StatusServiceUnavailable {
			t.Fatalf("status with a full queue = %d, want 503", full.Status)
		}
		go func() { time.Sleep(time.Second); close(release) }()
		d, err := ep.SendWebhookUntilAccepted(t.Context(), msg("late"))
		if err != nil || d.Status != http.StatusAccepted || d.Attempt != 3 {
			t.Fatalf("redelivery = %+v, %v; want 202 on the third delivery of that message", d, err)
		}
		if err := h.Shutdown(t.Context()); err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range box.got() {
			ids = append(ids, m.IDs()...)
		}
		if diff := cmp.Diff([]string{"busy", "queued", "late"}, ids); diff != "" {
			t.Errorf("processed ids (-want +got):\n%s", diff)
		}
	})
}

func TestHandler_ShutdownRefusesNewMessagesAndCancelsStragglers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		stuck := func(ctx context.Context, _ *webhooks.Message) error { <-ctx.Done(); return ctx.Err() }
		h, ep := start(t, hookURL, stuck, webhooks.WithProcessTimeout(time.Hour))
		send(t, ep, mewstest.NewGeneralWebhook())
		synctest.Wait()
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		if err := h.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want the deadline error", err)
		}
		if d := send(t, ep, mewstest.NewGeneralWebhook()); d.Status != http.StatusServiceUnavailable {
			t.Errorf("status after Shutdown = %d, want 503", d.Status)
		}
	})
}

func TestHandler_ProcessFailuresAndPanicsDoNotStopTheWorkers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var box inbox
		calls := 0
		flaky := func(ctx context.Context, m *webhooks.Message) error {
			calls++
			switch calls {
			case 1:
				panic("bug")
			case 2:
				return errors.New("failed")
			}
			return box.process(ctx, m)
		}
		h, ep := start(t, hookURL, flaky, webhooks.WithWorkers(1))
		for range 3 {
			send(t, ep, mewstest.NewGeneralWebhook())
		}
		_ = h.Shutdown(t.Context())
		if n := len(box.got()); n != 1 {
			t.Errorf("processed %d messages after a panic and a failure, want 1", n)
		}
	})
}

func TestNewHandler_ValidatesItsSettings(t *testing.T) {
	noop := func(context.Context, *webhooks.Message) error { return nil }
	for name, build := range map[string]func() (*webhooks.Handler, error){
		"empty secret": func() (*webhooks.Handler, error) { return webhooks.NewHandler(" ", noop) },
		"nil process":  func() (*webhooks.Handler, error) { return webhooks.NewHandler(secret, nil) },
		"zero workers": func() (*webhooks.Handler, error) { return webhooks.NewHandler(secret, noop, webhooks.WithWorkers(0)) },
		"empty token parameter": func() (*webhooks.Handler, error) {
			return webhooks.NewHandler(secret, noop, webhooks.WithTokenParameter(""))
		},
		"nil integration webhook handler": func() (*webhooks.Handler, error) {
			return webhooks.NewHandler(secret, noop, webhooks.WithIntegrationWebhooks(nil))
		},
	} {
		if _, err := build(); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
}

func TestMessage_IDsAreDeduplicatedInOrder(t *testing.T) {
	ev := func(d webhooks.Discriminator, id string) webhooks.Event {
		return webhooks.Event{Discriminator: d, Value: webhooks.EventValue{ID: id}}
	}
	m := &webhooks.Message{Events: []webhooks.Event{
		ev(webhooks.CustomerAdded, "c1"), ev(webhooks.CustomerUpdated, "c1"),
		ev(webhooks.ServiceOrderUpdated, "r1"), ev(webhooks.ServiceOrderUpdated, "r2"), ev(webhooks.ServiceOrderUpdated, "r1"),
	}}
	if diff := cmp.Diff([]string{"c1", "r1", "r2"}, m.IDs()); diff != "" {
		t.Errorf("IDs() (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"c1"}, m.IDs(webhooks.CustomerAdded, webhooks.CustomerUpdated)); diff != "" {
		t.Errorf("customer IDs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"r1", "r2"}, m.ReservationIDs()); diff != "" {
		t.Errorf("ReservationIDs() (-want +got):\n%s", diff)
	}
}
