package mews_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/webhooks"
)

// Distinctive test secrets: long, and unlike any id, time or other test data.
const (
	redactClientToken   = "REDACT-CLIENT-TOKEN-5b1f0c3e9d7a4e21"
	redactCMClientToken = "REDACT-CHM-CLIENT-TOKEN-8e2d6a4c1f9b3d57"
	redactAccessToken   = "REDACT-ACCESS-TOKEN-3c7e9a1d5f2b8c64"
	redactConnToken     = "REDACT-CONNECTION-TOKEN-9a4f2e7c1b6d3e80"
	redactWebhookSecret = "REDACT-WEBHOOK-SECRET-6d1b8f3a9c2e7d45"
)

var redactSecrets = []string{redactClientToken, redactCMClientToken, redactAccessToken, redactConnToken, redactWebhookSecret}

// printedEveryWay renders v under every fmt verb and through slog's JSON and text
// handlers (without the record time), joined with the verb that produced each part.
func printedEveryWay(v any) string {
	var out bytes.Buffer
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		fmt.Fprintf(&out, "%s: "+verb+"\n", verb, v)
	}
	fmt.Fprintln(&out, v)
	opts := &slog.HandlerOptions{ReplaceAttr: leakscan.DropTime}
	slog.New(slog.NewJSONHandler(&out, opts)).Info("value", "v", v)
	slog.New(slog.NewTextHandler(&out, opts)).Info("value", "v", v)
	return out.String()
}

func TestClientAndHandlesPrintNoTokenUnderAnyVerb(t *testing.T) {
	client, err := mews.NewClient(mews.WithClientToken(redactClientToken), mews.WithChannelManagerClientToken(redactCMClientToken))
	if err != nil {
		t.Fatal(err)
	}
	hotel, err := client.Connector(redactAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	english, err := client.Connector(redactAccessToken, mews.WithLanguage("en-US", "en-US"))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.ChannelManager(redactConnToken)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{
		"*Client":    client, // a Client holds a sync.Pool and is never copied
		"*Connector": hotel, "Connector": *hotel, "*Connector with language": english,
		"*ChannelManager": conn, "ChannelManager": *conn,
		"a struct holding them": struct {
			c  *mews.Client
			cn mews.Connector
			cm []*mews.ChannelManager
		}{client, *hotel, []*mews.ChannelManager{conn}},
	} {
		leakscan.Check(t, name, printedEveryWay(v), redactSecrets...)
	}
}

func TestHandlersPrintNoSecretUnderAnyVerb(t *testing.T) {
	client, err := mews.NewClient(mews.WithClientToken(redactClientToken))
	if err != nil {
		t.Fatal(err)
	}
	m, err := connection.NewMonitor(client)
	if err != nil {
		t.Fatal(err)
	}
	integration, err := m.WebhookHandler(mustToken(t, redactWebhookSecret))
	if err != nil {
		t.Fatal(err)
	}
	general, err := webhooks.NewHandler(redactWebhookSecret, func(context.Context, *webhooks.Message) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = general.Shutdown(context.Background()) })
	// fmt reads a Monitor's fields by reflection, racing with its workers while it
	// runs; it is printed stopped.
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	chm, err := inbound.NewHandler(redactCMClientToken, struct{ inbound.Receiver }{})
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range map[string]any{
		"Monitor.WebhookHandler": integration, "webhooks.Handler": general, "inbound.Handler": chm, "Monitor": m,
	} {
		leakscan.Check(t, name, printedEveryWay(v), append(redactSecrets, digestForms(redactWebhookSecret, redactCMClientToken)...)...)
	}
}

func mustToken(t *testing.T, raw string) mews.Token {
	t.Helper()
	tok, err := mews.NewToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// digestForms are the ways a handler could print the SHA-256 digest it keeps of each
// secret (raw bytes, fmt's decimal array); leakscan adds the hex forms. An unsalted
// digest of a guessable secret is as good as the secret.
func digestForms(secrets ...string) []string {
	var forms []string
	for _, s := range secrets {
		sum := sha256.Sum256([]byte(s))
		forms = append(forms, string(sum[:]), strings.Trim(fmt.Sprint(sum), "[]"))
	}
	return forms
}

// The events client holds both tokens for its cookie; printing it must show neither.
func TestEventsClientPrintsNoTokenUnderAnyVerb(t *testing.T) {
	client, err := mews.NewClient(mews.WithClientToken(redactClientToken))
	if err != nil {
		t.Fatal(err)
	}
	hotel, err := client.Connector(redactAccessToken)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := events.New(hotel, events.WithResync(func(context.Context, events.Resync) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	defer ev.Close()
	leakscan.Check(t, "*events.Client", printedEveryWay(ev), redactSecrets...)
}
