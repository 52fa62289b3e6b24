// Command health-monitor keeps a status page of Mews connections: a connection.Monitor
// re-checks each token periodically, and its integration-webhook handler turns a
// disabled integration Broken at once and picks up a regenerated key without a restart.
// Every status change is printed.
//
//	go run ./examples/health-monitor
//
// plays a day in the embedded sandbox: the property disables and re-enables the
// integration, regenerates its key, and deactivates the Channel Manager connection.
// With MEWS_ENVIRONMENT, MEWS_CLIENT_TOKEN and MEWS_ACCESS_TOKEN (and optionally
// MEWS_CONNECTION_TOKEN) set, it checks those connections on Mews and prints their
// status; serve the webhook handler on a public URL to receive Mews' webhooks.
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

// main runs the example on the sandbox, or checks the configured connections on Mews.
func main() {
	os.Exit(exampleenv.Run("health-monitor", 30*time.Second, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, os.Stdout)
	}))
}

// The keys the connections are watched under: your own ids, e.g. property ids.
const (
	hotelKey = "grand-hotel/doors"
	chmKey   = "grand-hotel/channel-manager"
)

// statusPage prints lines from the Monitor's and the webhook handler's goroutines.
type statusPage struct {
	mu  sync.Mutex
	out io.Writer
}

// printf prints one line, whichever goroutine calls it.
func (p *statusPage) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.out, format+"\n", args...)
}

// run watches env's connections with a Monitor and its webhook handler, printing
// every status change to out, and in the sandbox plays a day at the hotel.
func run(ctx context.Context, env *exampleenv.Env, out io.Writer) error {
	if err := exampleenv.Require(env.AccessToken, exampleenv.VarAccessToken); err != nil {
		return err
	}
	page := &statusPage{out: out}
	changes := make(chan connection.Event, 16)
	m, err := connection.NewMonitor(env.Client, connection.WithInterval(5*time.Minute), connection.WithOnEvent(func(ev connection.Event) {
		line := fmt.Sprintf("%-28s %s → %s", ev.Key, ev.Previous, ev.Status)
		if ev.Reason != nil {
			line += ": " + ev.Reason.Error()
		}
		page.printf("%s", line)
		changes <- ev
	}))
	if err != nil {
		return err
	}
	defer m.Close()

	// Integration webhooks carry the integration id; the Monitor routes them by it.
	hotel, err := connection.ConnectorCredentials(env.AccessToken)
	if err != nil {
		return err
	}
	if env.Sandbox != nil {
		hotel.IntegrationID = mewstest.IntegrationID
	}
	if err := m.Add(hotelKey, hotel); err != nil {
		return err
	}
	watched := 1
	if env.ConnectionToken != "" {
		chm, err := connection.ChannelManagerCredentials(env.ConnectionToken)
		if err != nil {
			return err
		}
		if err := m.Add(chmKey, chm); err != nil {
			return err
		}
		watched++
	}
	for range watched {
		if err := next(ctx, changes); err != nil {
			return err
		}
	}

	// The handler for the webhook URL registered with Mews: https://…/mews/integrations?Token=<secret>.
	secret, err := mews.NewToken(rand.Text())
	if err != nil {
		return err
	}
	webhooks, err := m.WebhookHandler(secret, connection.WithOnIntegrationEvent(func(ev connection.IntegrationEvent, key string) error {
		page.printf("webhook %-24s for %s", ev.Action, orNone(key))
		if ev.Action == connection.IntegrationAPIKeyCreated {
			// Persist ev.APIKey.Reveal() here (Mews sends it only in this webhook); an
			// error makes Mews send the webhook again. The Monitor already uses it.
			page.printf("        new access token %v stored", ev.APIKey)
		}
		return nil
	}))
	if err != nil {
		return err
	}
	if env.Sandbox != nil {
		if err := aDayAtTheHotel(ctx, env.Sandbox, m, webhooks, secret, changes); err != nil {
			return err
		}
	}

	page.printf("\nstatus page:")
	for _, st := range m.Snapshot() {
		page.printf("  %-28s %-9s %s", st.Key, st.Status, orNone(st.Enterprise.Name+st.Property))
	}
	return nil
}

// aDayAtTheHotel plays the property in the sandbox: Mews sends integration webhooks to
// the handler, and a connection is deactivated between two checks.
func aDayAtTheHotel(ctx context.Context, srv *mewstest.Server, m *connection.Monitor, webhooks http.Handler, secret mews.Token, changes <-chan connection.Event) error {
	fakeMews := srv.NewEndpoint("https://portal.example/mews/integrations?Token="+secret.Reveal(), mewstest.WithEndpointHandler(webhooks))
	send := func(ev mewstest.IntegrationEvent) error {
		ev.IntegrationID = mewstest.IntegrationID
		d, err := fakeMews.SendWebhook(ctx, ev)
		if err == nil && !d.Accepted {
			err = fmt.Errorf("the webhook handler answered %d", d.Status)
		}
		return err
	}

	// The property switches the integration off, then on again.
	if err := send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled}); err != nil {
		return err
	}
	if err := next(ctx, changes); err != nil {
		return err
	}
	if err := send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationEnabled}); err != nil {
		return err
	}
	if err := next(ctx, changes); err != nil {
		return err
	}

	// It regenerates the API key: the old token stops working, the webhook brings the new
	// one, and the connection stays Connected (no status change to report).
	if err := send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationAPIKeyCreated, APIKey: srv.Rotate(mewstest.AccessToken)}); err != nil {
		return err
	}

	// It deactivates the Channel Manager connection; the next check finds out.
	srv.Deactivate(mewstest.ConnectionToken)
	if err := m.Check(chmKey); err != nil {
		return err
	}
	return next(ctx, changes)
}

// next waits for the Monitor's next status change (printed by OnEvent).
func next(ctx context.Context, changes <-chan connection.Event) error {
	select {
	case <-changes:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for a status change: %w", ctx.Err())
	}
}

// orNone shows an empty value as "-".
func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
