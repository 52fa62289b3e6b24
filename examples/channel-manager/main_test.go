package main

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

// runSandbox runs the example on a fresh sandbox, pushing for real or not.
func runSandbox(t *testing.T, write bool) (*mewstest.Server, string) {
	t.Helper()
	return exampleenv.Output(t, func(ctx context.Context, env *exampleenv.Env, out io.Writer) error {
		return run(ctx, env, out, write)
	})
}

func TestRun_PushesABookingAndHandlesMewsConfirmation(t *testing.T) {
	srv, out := runSandbox(t, true)
	g, ok := srv.Group("CHM-2026-0001")
	if !ok || len(g.Reservations) != 1 || g.Canceled {
		t.Fatalf("Mews stored %+v (found %t), want the booking with one live reservation", g, ok)
	}
	r := g.Reservations[0]
	if r.SpaceTypeCode != mewstest.SpaceTypeSingle || r.RatePlanCode != mewstest.RatePlanFlexible || r.From != "2026-01-31" || r.To != "2026-02-02" {
		t.Errorf("stored reservation %+v, want SGL/FF from 2026-01-31 to 2026-02-02", r)
	}
	for _, want := range []string{
		"property mewstest-grand",
		"space category DBL",
		"rate plan      FF",
		"pushed booking CHM-2026-0001: 1 reservation(s), 239.00 EUR",
		"booking CHM-2026-0001 confirmed by Mews:",
		"reservation 1 is Mews " + r.ConfirmationNumber,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	leakscan.Check(t, "the output", out, mewstest.ConnectionToken, mewstest.DeactivatedConnectionToken, mewstest.ChannelManagerClientToken)
}

func TestRun_WithoutWriteReadsButPushesNothing(t *testing.T) {
	srv, out := runSandbox(t, false)
	if !strings.Contains(out, "would push booking CHM-2026-0001") {
		t.Errorf("output lacks the dry run:\n%s", out)
	}
	if n := len(srv.RequestsFor("processGroup")); n != 0 {
		t.Errorf("%d groups were pushed without -write", n)
	}
}
