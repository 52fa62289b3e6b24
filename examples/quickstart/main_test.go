package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

func TestRun_ValidatesThenListsTodaysArrivals(t *testing.T) {
	srv, out := exampleenv.Output(t, run)
	loc, err := time.LoadLocation(mewstest.EnterpriseTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, r := range srv.Reservations() {
		local := r.ScheduledStartUtc.In(loc).Format(time.DateOnly)
		if local == "2026-01-01" && (r.State == "Confirmed" || r.State == "Started") {
			want++
		}
	}
	for _, line := range []string{
		"Connected to " + mewstest.EnterpriseName,
		"Arrivals on 2026-01-01 (Europe/Amsterdam):",
	} {
		if !strings.Contains(out, line) {
			t.Errorf("output lacks %q:\n%s", line, out)
		}
	}
	if want == 0 || strings.Count(out, "arriving 15:00") != want {
		t.Errorf("want %d arrivals at 15:00 local time:\n%s", want, out)
	}
}

func TestRun_RevokedTokenIsReported(t *testing.T) {
	env := exampleenv.ForTest(t)
	env.Sandbox.Revoke(mewstest.AccessToken)
	var out bytes.Buffer
	err := run(t.Context(), env, &out)
	switch {
	case strings.Contains(fmt.Sprint(err), mewstest.AccessToken):
		t.Error("the error contains the revoked token") // not quoted
	case err == nil || !strings.Contains(err.Error(), "Broken"):
		t.Errorf("err = %v, want a Broken token without the token itself", err)
	}
}
