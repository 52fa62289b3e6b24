// Command portal is the staff side of an access-control Portal's Mews integration, as
// the Portal staff guide describes it, in a browser:
//
//   - Apps › Mews: paste the hotel's Mews access token and Save. Stray spaces and line
//     breaks around it are trimmed; the page shows Connected with the hotel's name once
//     Mews accepts the token (connection.Validate), or an inline error that says what to
//     check.
//   - The status turns Broken by itself, without a reload, when the token is revoked:
//     a connection.Monitor re-checks the token and receives Mews' integration webhooks
//     (at /mews/integrations?Token=<secret>), and the page follows it through
//     server-sent events. Pasting a new token turns it Connected again.
//   - Reservations: who stays in the next days, in the hotel's time zone, with room and
//     door PIN state, and why a reservation in an unmapped room or without a room is not
//     in Portal.
//
// The token is never sent back to the browser, never logged and stored only on the
// server; this example keeps it in memory, so it is gone when the program stops.
//
//	go run ./examples/portal
//
// serves http://127.0.0.1:8080 on the embedded sandbox, whose stand-in for the Mews
// dashboard (/sandbox/mews) hands out the token to paste and revokes or regenerates it.
// With MEWS_ENVIRONMENT and MEWS_CLIENT_TOKEN set it connects to Mews instead; set
// PORTAL_WEBHOOK_SECRET to the ?Token= value of the webhook URL you register with Mews.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
)

// varWebhookSecret holds the ?Token= value of the integration webhook URL.
const varWebhookSecret = "PORTAL_WEBHOOK_SECRET"

// main serves the Portal until interrupted.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stderr))
}

// run parses the flags, opens Mews or the sandbox and serves until ctx ends. It returns
// the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer) int {
	fs := flag.NewFlagSet("portal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve on")
	interval := fs.Duration("check-interval", 0, "how often to re-check the token (default 5s on the sandbox, 5m on Mews)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(ctx, *addr, *interval, getenv, logger, stderr); err != nil {
		fmt.Fprintf(stderr, "portal: %v\n", err)
		return 1
	}
	return 0
}

// serve runs the Portal on addr until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, addr string, interval time.Duration, getenv func(string) string, logger *slog.Logger, stderr io.Writer) error {
	env, err := exampleenv.Open(func(k string) string {
		if k == exampleenv.VarAccessToken {
			return "" // said below
		}
		return getenv(k)
	}, stderr)
	if err != nil {
		return err
	}
	defer env.Close()
	if strings.TrimSpace(getenv(exampleenv.VarAccessToken)) != "" {
		fmt.Fprintf(stderr, "portal: %s is ignored: staff paste the token on the Apps › Mews page\n", exampleenv.VarAccessToken)
	}
	secret, err := webhookSecret(getenv, env.Sandbox != nil, stderr)
	if err != nil {
		return err
	}
	if interval <= 0 {
		interval = 5 * time.Minute
		if env.Sandbox != nil {
			interval = 5 * time.Second
		}
	}
	app, err := NewApp(Settings{Client: env.Client, Sandbox: env.Sandbox, Now: env.Now, CheckInterval: interval, WebhookSecret: secret, Logger: logger})
	if err != nil {
		return err
	}
	defer app.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := newServer(app)
	srv.RegisterOnShutdown(app.Close) // ends the status streams, which Shutdown would wait for
	where := "Mews"
	if env.Sandbox != nil {
		where = "the embedded sandbox"
	}
	fmt.Fprintf(stderr, "portal: on %s; open http://%s/apps/mews\n", where, ln.Addr())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newServer bounds how long a client may take to send a request and how long an idle
// connection stays open. There is no WriteTimeout, since the status stream is long-lived;
// every handler sets its own write deadline instead.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}
}

// webhookSecret returns the secret of the webhook URL: PORTAL_WEBHOOK_SECRET, or a
// random one, which only the sandbox can use since nobody else learns it.
func webhookSecret(getenv func(string) string, sandbox bool, stderr io.Writer) (mews.Token, error) {
	if v := getenv(varWebhookSecret); strings.TrimSpace(v) != "" {
		t, err := mews.NewToken(v)
		if err != nil {
			return mews.Token{}, fmt.Errorf("%s: %w", varWebhookSecret, err)
		}
		return t, nil
	}
	if !sandbox {
		fmt.Fprintf(stderr, "portal: %s is not set; integration webhooks from Mews will be refused, and the token is re-checked periodically only\n", varWebhookSecret)
	}
	return mews.NewToken(rand.Text())
}
