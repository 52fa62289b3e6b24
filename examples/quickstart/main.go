// Command quickstart validates a hotel's Connector access token and prints today's
// arrivals: the first thing an integration does with a new hotel.
//
//	go run ./examples/quickstart
//
// runs it against the embedded sandbox. With MEWS_ENVIRONMENT (demo, production or a
// base URL), MEWS_CLIENT_TOKEN and MEWS_ACCESS_TOKEN set, it runs against Mews.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// main runs the example on the sandbox, or on Mews when the variables are set.
func main() {
	os.Exit(exampleenv.Run("quickstart", 30*time.Second, os.Getenv, os.Stderr, func(ctx context.Context, env *exampleenv.Env) error {
		return run(ctx, env, os.Stdout)
	}))
}

// run validates env's access token and prints today's arrivals to out.
func run(ctx context.Context, env *exampleenv.Env, out io.Writer) error {
	if err := exampleenv.Require(env.AccessToken, exampleenv.VarAccessToken); err != nil {
		return err
	}

	// 1. Validate the token, as a connect form does after "Save".
	conn, err := env.Client.Connector(env.AccessToken)
	if err != nil {
		return err // empty or garbled: nothing was sent
	}
	res, err := connection.Validate(ctx, conn)
	if err != nil {
		return err
	}
	if res.Status != connection.Connected {
		return fmt.Errorf("the token is %s: %w", res.Status, res.Reason)
	}
	fmt.Fprintf(out, "Connected to %s\n", res.Enterprise.Name)

	// 2. Today's arrivals, in the hotel's time zone.
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		return err
	}
	loc, err := cfg.Enterprise.Location()
	if err != nil {
		return err
	}
	today := mews.DateOf(env.Now().In(loc))
	day := mews.Interval(today.In(loc), today.AddDays(1).In(loc))
	f := reservations.ListParams{
		ScheduledStartUtc: &day,
		States:            []reservations.State{reservations.StateConfirmed, reservations.StateStarted},
	}
	fmt.Fprintf(out, "Arrivals on %s (%s):\n", today, loc)
	n := 0
	for r, err := range reservations.List(conn, f).All(ctx) {
		if err != nil {
			return err
		}
		n++
		fmt.Fprintf(out, "  %-8s %-10s arriving %s\n", r.Number, r.State, r.ScheduledStartUtc.In(loc).Format("15:04"))
	}
	fmt.Fprintf(out, "%d arrivals\n", n)
	return nil
}
