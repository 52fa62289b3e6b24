package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

// result is what one run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// cli runs the command against srv (the sandbox that --sandbox and
// MEWS_ENVIRONMENT=sandbox use) with the given variables.
type cli struct {
	t        *testing.T
	srv      *mewstest.Server
	env      map[string]string
	terminal bool
	// secrets must never appear in the output; every seeded token by default.
	secrets []string
}

func newCLI(t *testing.T) *cli {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	return &cli{t: t, srv: srv, env: map[string]string{}, secrets: seededTokens()}
}

func seededTokens() []string {
	return []string{mewstest.ClientToken, mewstest.AccessToken, mewstest.PortfolioAccessToken,
		mewstest.ChannelManagerClientToken, mewstest.ConnectionToken, mewstest.DeactivatedConnectionToken}
}

func (c *cli) run(args ...string) result {
	c.t.Helper()
	var stdout, stderr bytes.Buffer
	a := &app{
		getenv: func(k string) string { return c.env[k] },
		stdout: &stdout, stderr: &stderr,
		terminal: func(io.Writer) bool { return c.terminal },
		sandbox:  c.srv,
	}
	r := result{code: a.run(c.t.Context(), args), stdout: stdout.String(), stderr: stderr.String()}
	for _, i := range leakscan.Find(r.stdout+"\n"+r.stderr, c.secrets...) {
		c.t.Errorf("mews %s printed the token %s:\nstdout:\n%s\nstderr:\n%s", c.redact(strings.Join(args, " ")), redacted(c.secrets[i]), c.redact(r.stdout), c.redact(r.stderr))
	}
	// Failure messages quote the output; a leaked token is reported above, not echoed.
	r.stdout, r.stderr = c.redact(r.stdout), c.redact(r.stderr)
	return r
}

// redact replaces every secret in s as mews.Token prints a token.
func (c *cli) redact(s string) string {
	for _, secret := range c.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, redacted(secret))
		}
	}
	return s
}

// redacted is how mews.Token prints secret: its last four characters at most.
func redacted(secret string) string {
	if tok, err := mews.NewToken(secret); err == nil {
		return tok.String()
	}
	return "[redacted]"
}

// refused runs the command and fails t unless it exits with code, says want on stderr
// and sends nothing: a command refused before any request.
func (c *cli) refused(t *testing.T, code int, want string, args ...string) {
	t.Helper()
	r := c.run(args...).want(t, code)
	if !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if n := len(c.srv.Requests()); n != 0 {
		t.Errorf("%d requests were sent, want none", n)
	}
}

// want checks the exit code and reports the output when it differs.
func (r result) want(t *testing.T, code int) result {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
	return r
}

func TestCheck_ConnectedPrintsTheEnterprise(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("--sandbox", "check").want(t, exitOK)
	if diff := cmp.Diff("connected: "+mewstest.EnterpriseName+" ("+mewstest.EnterpriseID+")\n", r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}

func TestCheck_ChannelManagerConnectedPrintsTheProperty(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("check", "--sandbox", "--channel-manager").want(t, exitOK)
	if diff := cmp.Diff("connected: "+mewstest.PropertyName+"\n", r.stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
}

func TestCheck_RejectedCredentialsExit3WithTheReason(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		args   []string
		break_ func(*mewstest.Server)
		reason string
	}{
		{"revoked access token", []string{"check"}, func(s *mewstest.Server) { s.Revoke(mewstest.AccessToken) }, "401"},
		{"revoked connection token (code 8)", []string{"check", "--channel-manager"}, func(s *mewstest.Server) { s.Revoke(mewstest.ConnectionToken) }, "invalid authentication (8)"},
		{"deactivated connection (code 3)", []string{"check", "--channel-manager", "--connection-token", mewstest.DeactivatedConnectionToken}, func(*mewstest.Server) {}, "connection not found (3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.env["MEWS_ENVIRONMENT"] = "sandbox"
			tc.break_(c.srv)
			r := c.run(tc.args...).want(t, exitAuth)
			if !strings.HasPrefix(r.stderr, "broken: ") || !strings.Contains(r.stderr, tc.reason) {
				t.Errorf("stderr = %q, want broken: …%s…", r.stderr, tc.reason)
			}
			if r.stdout != "" {
				t.Errorf("stdout = %q, want nothing", r.stdout)
			}
		})
	}
}

func TestRevokedAccessTokenExits3ForEveryConnectorCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	id := futureStay(t, c.srv).ID
	c.srv.Revoke(mewstest.AccessToken)
	for _, args := range [][]string{
		{"rooms", "list"},
		{"reservations", "list", "--from", "2026-01-01", "--to", "2026-01-02"},
		{"reservations", "list", "--from", "2026-01-01", "--to", "2026-01-02", "--json"},
		{"pins", "list", "--reservation", id},
		{"pins", "set", "--reservation", id, "--pin", "1234"},
		{"pins", "delete", "--reservation", id},
	} {
		r := c.run(append([]string{"--sandbox"}, args...)...)
		if r.code != exitAuth || !strings.Contains(r.stderr, "401") {
			t.Errorf("mews %s: exit %d, stderr %q; want 3 and the 401", strings.Join(args, " "), r.code, r.stderr)
		}
	}
}

func TestTransientFailuresExit4(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		args  []string
		fault mewstest.Fault
	}{
		{"5xx on check", []string{"check"}, mewstest.Fault{Operation: "configuration/get", Status: http.StatusServiceUnavailable, Times: 100}},
		{"rate limited on check", []string{"check"}, mewstest.Fault{Operation: "configuration/get", Status: http.StatusTooManyRequests, RetryAfter: "1", Times: 100}},
		{"network on the Channel Manager check", []string{"check", "--channel-manager"}, mewstest.Fault{Operation: "getConfiguration", Refuse: true, Times: 100}},
		{"5xx while listing reservations", []string{"reservations", "list", "--from", "2026-01-01", "--to", "2026-02-01"}, mewstest.Fault{Operation: "reservations/getAll/2023-06-06", Status: http.StatusInternalServerError, Times: 100}},
		{"timeout on rooms", []string{"rooms", "list"}, mewstest.Fault{Operation: "resources/getAll", Status: http.StatusGatewayTimeout, Times: 100}},
		{"dropped connection on pins list", []string{"pins", "list", "--reservation", "x"}, mewstest.Fault{Operation: "resourceAccessTokens/getAll", ResetBeforeProcessing: true, Times: 100}},
		{"HTML page on properties", []string{"properties", "--email", mewstest.EmployeeEmail}, mewstest.Fault{Operation: "getProperties", HTML: true, Times: 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { // the retries' waits pass instantly
				c := newCLI(t)
				c.srv.InjectFault(tc.fault)
				r := c.run(append([]string{"--sandbox"}, tc.args...)...).want(t, exitTransient)
				if !strings.HasPrefix(r.stderr, "mews: ") {
					t.Errorf("stderr = %q, want a mews: message", r.stderr)
				}
			})
		})
	}
}

func TestRejectedByMewsExits5(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		args  []string
		fault mewstest.Fault
	}{
		{"400 on rooms", []string{"rooms", "list"}, mewstest.Fault{Operation: "resources/getAll", Status: http.StatusBadRequest, Times: -1}},
		{"403 on pins list", []string{"pins", "list", "--reservation", "x"}, mewstest.Fault{Operation: "resourceAccessTokens/getAll", Status: http.StatusForbidden, Times: -1}},
		{"404 on check", []string{"check"}, mewstest.Fault{Operation: "configuration/get", Status: http.StatusNotFound, Body: `{"Message":"Not found."}`, Times: -1}},
		{"409 on reservations", []string{"reservations", "list", "--from", "2026-01-01", "--to", "2026-01-02"}, mewstest.Fault{Operation: "reservations/getAll/2023-06-06", Status: http.StatusConflict, Times: -1}},
		{"Channel Manager code 6 on properties", []string{"properties", "--email", mewstest.EmployeeEmail}, mewstest.Fault{Operation: "getProperties", Status: http.StatusOK, Body: `{"success":false,"errors":[{"code":6,"message":"Invalid email."}]}`, Times: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c := newCLI(t)
				c.srv.InjectFault(tc.fault)
				r := c.run(append([]string{"--sandbox"}, tc.args...)...).want(t, exitRejected)
				if !strings.HasPrefix(r.stderr, "mews: ") {
					t.Errorf("stderr = %q, want a mews: message", r.stderr)
				}
				if n := len(c.srv.Requests()); tc.name != "409 on reservations" && n > 2 {
					t.Errorf("%d requests: a refusal was retried", n)
				}
			})
		})
	}
}

func TestExitCodes_READMEHelpAndCodeAgree(t *testing.T) {
	t.Parallel()
	var want []string
	for _, e := range exitCodes {
		want = append(want, fmt.Sprintf("%d %s", e.code, e.meaning))
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "| Exit code | Meaning |\n|---|---|\n")
	if !ok {
		t.Fatal("the README has no exit-code table")
	}
	var inREADME []string
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if !strings.HasPrefix(line, "|") || len(cells) != 2 {
			break
		}
		inREADME = append(inREADME, strings.TrimSpace(cells[0])+" "+strings.TrimSpace(cells[1]))
	}
	if diff := cmp.Diff(want, inREADME); diff != "" {
		t.Errorf("the README's exit codes (-code +README):\n%s", diff)
	}

	help := newCLI(t).run("help").want(t, exitOK).stdout
	_, codes, ok := strings.Cut(help, "\nExit codes:\n")
	if !ok {
		t.Fatalf("mews help has no exit codes:\n%s", help)
	}
	var inHelp []string
	for _, line := range strings.Split(codes, "\n") {
		if line == "" {
			break
		}
		inHelp = append(inHelp, strings.Join(strings.Fields(line), " "))
	}
	if diff := cmp.Diff(want, inHelp); diff != "" {
		t.Errorf("mews help's exit codes (-code +help):\n%s", diff)
	}
}

func TestUsageErrorsExit1AndSayWhatToDo(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no command", nil, nil, "Usage: mews"},
		{"unknown command", nil, []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"group without subcommand", nil, []string{"pins"}, "pins needs a subcommand: list, set, delete"},
		{"unknown flag", nil, []string{"--sandbox", "rooms", "list", "--colour"}, "flag provided but not defined: -colour"},
		{"stray argument", nil, []string{"--sandbox", "check", "now"}, `unexpected argument "now"`},
		{"half of a token pasted with a space", nil, []string{"--sandbox", "--access-token", "7E57C0DE0000000000000000", "check", "0000AC7E55-00000000000000000000000000000B1"}, "unexpected argument (not shown: it may be part of a token"},
		{"environment not set", nil, []string{"check"}, "MEWS_ENVIRONMENT is not set"},
		{"environment unknown", map[string]string{"MEWS_ENVIRONMENT": "staging"}, []string{"check"}, `MEWS_ENVIRONMENT="staging"`},
		{"plain http off loopback", map[string]string{"MEWS_ENVIRONMENT": "http://mews.example", "MEWS_CLIENT_TOKEN": "c"}, []string{"check"}, "plain http"},
		{"client token not set", map[string]string{"MEWS_ENVIRONMENT": "demo"}, []string{"check"}, "MEWS_CLIENT_TOKEN is not set"},
		{"access token not set", map[string]string{"MEWS_ENVIRONMENT": "demo", "MEWS_CLIENT_TOKEN": "c"}, []string{"rooms", "list"}, "MEWS_ACCESS_TOKEN is not set"},
		{"connection token not set", map[string]string{"MEWS_ENVIRONMENT": "production", "MEWS_CLIENT_TOKEN": "c"}, []string{"check", "--channel-manager"}, "MEWS_CONNECTION_TOKEN is not set"},
		{"missing --from", nil, []string{"--sandbox", "reservations", "list", "--to", "2026-01-01"}, "--from is required"},
		{"missing --email", nil, []string{"--sandbox", "properties"}, "--email is required"},
		{"missing --reservation", nil, []string{"--sandbox", "pins", "list"}, "--reservation is required"},
		{"missing --pin", nil, []string{"--sandbox", "pins", "set", "--reservation", "x"}, "--pin is required"},
		{"help for an unknown command", nil, []string{"help", "frobnicate"}, `unknown command "frobnicate"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			if tc.env != nil {
				c.env = tc.env
			}
			c.refused(t, exitUsage, tc.want, tc.args...)
		})
	}
}

func TestInvalidInputExits2AndSendsNothing(t *testing.T) {
	t.Parallel()
	id := futureStay(t, newCLI(t).srv).ID
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"date that does not exist", []string{"reservations", "list", "--from", "2026-02-30", "--to", "2026-03-01"}, `--from "2026-02-30" is not a time`},
		{"end before start", []string{"reservations", "list", "--from", "2026-03-01", "--to", "2026-02-01"}, "--to must be after --from"},
		{"unknown state", []string{"reservations", "list", "--from", "2026-01-01", "--to", "2026-02-01", "--state", "Happy"}, `--state "Happy" is not a state`},
		{"token with a space inside", []string{"rooms", "list", "--access-token", "abc def"}, "token"},
		{"PIN validity that is not a time", []string{"pins", "set", "--reservation", id, "--pin", "1234", "--to", "soon"}, `--to "soon" is not a time`},
		{"an empty room id in reservations list", []string{"reservations", "list", "--from", "2026-01-01", "--to", "2026-01-02", "--room", " "}, "reservations list: --room is empty"},
		{"an empty room id in pins set", []string{"pins", "set", "--reservation", id, "--pin", "1234", "--room", " "}, "pins set: --room is empty"},
		{"an email that is not one", []string{"properties", "--email", "frontdesk"}, "properties: --email must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.secrets = append(c.secrets, "abc def") // a malformed token is not echoed either
			c.refused(t, exitInput, tc.want, append([]string{"--sandbox"}, tc.args...)...)
		})
	}
}

func TestPinsSet_InvalidPINExits2BeforeAdding(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	id := futureStay(t, c.srv).ID
	c.run("--sandbox", "pins", "set", "--reservation", id, "--pin", strings.Repeat("9", 300)).want(t, exitInput)
	if n := len(c.srv.RequestsFor("resourceAccessTokens/add")); n != 0 {
		t.Errorf("%d resourceAccessTokens/add requests were sent, want none", n)
	}
}

func TestConfigurationFromTheEnvironment_RealEndpoint(t *testing.T) {
	t.Parallel()
	srv := mewstest.NewServer() // on a loopback port: MEWS_ENVIRONMENT is its URL
	t.Cleanup(srv.Close)
	c := newCLI(t)
	c.env = map[string]string{
		"MEWS_ENVIRONMENT": srv.URL, "MEWS_CLIENT_TOKEN": mewstest.ClientToken,
		"MEWS_CHANNEL_MANAGER_CLIENT_TOKEN": mewstest.ChannelManagerClientToken,
		"MEWS_ACCESS_TOKEN":                 mewstest.AccessToken, "MEWS_CONNECTION_TOKEN": mewstest.ConnectionToken,
		"MEWS_CLIENT_NAME": "Acme Doors 2.1.0",
	}
	c.run("check").want(t, exitOK)
	c.run("check", "--channel-manager").want(t, exitOK)
	if n := len(c.srv.Requests()); n != 0 {
		t.Errorf("the embedded sandbox got %d requests, want none", n)
	}
	var body struct{ Client string }
	if err := json.Unmarshal(srv.RequestsFor("configuration/get")[0].Body, &body); err != nil || body.Client != "Acme Doors 2.1.0" {
		t.Errorf("Client = %q (%v), want MEWS_CLIENT_NAME", body.Client, err)
	}

	srv.Revoke(mewstest.AccessToken)
	c.run("check").want(t, exitAuth)
	c.run("check", "--access-token", mewstest.PortfolioAccessToken).want(t, exitOK) // the flag wins
}

func TestSandbox_IgnoresAnotherEnvironmentsVariablesAndSaysSo(t *testing.T) {
	t.Parallel()
	for _, environment := range []string{"production", ""} {
		c := newCLI(t)
		c.env = map[string]string{"MEWS_ENVIRONMENT": environment, "MEWS_ACCESS_TOKEN": "real-production-token-0000", "MEWS_CLIENT_TOKEN": "real-client-token-00000"}
		c.secrets = append(c.secrets, c.env["MEWS_ACCESS_TOKEN"], c.env["MEWS_CLIENT_TOKEN"])
		r := c.run("--sandbox", "check").want(t, exitOK)
		if !strings.Contains(r.stderr, "the sandbox ignores MEWS_CLIENT_TOKEN, MEWS_ACCESS_TOKEN") {
			t.Errorf("MEWS_ENVIRONMENT=%q: stderr = %q, want it to name the ignored variables", environment, r.stderr)
		}
		c.run("--sandbox", "check", "--access-token", "unknown-token-00000000").want(t, exitAuth)
	}
}

func TestSandbox_CountsGivenCredentialsLikeMews(t *testing.T) {
	t.Parallel()
	const garbled, unknown = "bad token", "unknown-token-0000000000"
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		code int
	}{
		{"garbled access token variable", map[string]string{"MEWS_ENVIRONMENT": "sandbox", "MEWS_ACCESS_TOKEN": garbled}, []string{"check"}, exitInput},
		{"unknown access token variable", map[string]string{"MEWS_ENVIRONMENT": "sandbox", "MEWS_ACCESS_TOKEN": unknown}, []string{"check"}, exitAuth},
		{"unknown client token variable", map[string]string{"MEWS_ENVIRONMENT": "sandbox", "MEWS_CLIENT_TOKEN": unknown}, []string{"check"}, exitAuth},
		{"unknown connection token variable", map[string]string{"MEWS_ENVIRONMENT": "SANDBOX", "MEWS_CONNECTION_TOKEN": unknown}, []string{"check", "--channel-manager"}, exitAuth},
		{"unknown client token flag", nil, []string{"--sandbox", "--client-token", "WRONG", "check"}, exitAuth},
		{"unknown client token flag, Channel Manager", nil, []string{"--sandbox", "--client-token", "WRONG", "check", "--channel-manager"}, exitAuth},
		{"unknown Channel Manager client token flag", nil, []string{"--sandbox", "properties", "--email", mewstest.EmployeeEmail, "--channel-manager-client-token", unknown}, exitAuth},
		{"garbled client token flag", nil, []string{"--sandbox", "--client-token", garbled, "rooms", "list"}, exitInput},
		{"the seeded tokens when none is given", map[string]string{"MEWS_ENVIRONMENT": "sandbox"}, []string{"check"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.secrets = append(c.secrets, garbled, unknown)
			if tc.env != nil {
				c.env = tc.env
			}
			c.run(tc.args...).want(t, tc.code)
		})
	}
}

// reservationLine is the part of a --json line the tests look at.
type reservationLine struct {
	ID                 string  `json:"Id"`
	Number             string  `json:"Number"`
	State              string  `json:"State"`
	ScheduledStartUtc  string  `json:"ScheduledStartUtc"`
	AssignedResourceID *string `json:"AssignedResourceId"`
}

func decodeLines[T any](t *testing.T, out string) []T {
	t.Helper()
	var items []T
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		items = append(items, v)
	}
	return items
}

// colliding returns the ids of the seeded reservations whose stay overlaps [from, to),
// by the rule Mews applies (actual times where they exist).
func colliding(srv *mewstest.Server, from, to time.Time, keep func(mewstest.Reservation) bool) []string {
	iv := mews.Interval(from, to)
	var ids []string
	for _, r := range srv.Reservations() {
		start, end := r.ScheduledStartUtc, r.ScheduledEndUtc
		if !r.ActualStartUtc.IsZero() && r.ActualStartUtc.Before(start) {
			start = r.ActualStartUtc
		}
		if !r.ActualEndUtc.IsZero() {
			end = r.ActualEndUtc
		}
		if r.EnterpriseID == mewstest.EnterpriseID && iv.Overlaps(start, end) && keep(r) {
			ids = append(ids, r.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestReservationsList_JSONLinesCoverAnIntervalOfAnyLengthOnce(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	from, to := mewstest.SeedEpoch().AddDate(-1, 0, 0), mewstest.SeedEpoch().AddDate(0, 7, 0) // 19 months: 7 windows
	// Canceled stays only, to keep the listing quick; they span every window boundary too.
	r := c.run("--sandbox", "reservations", "list", "--from", from.Format(time.DateOnly), "--to", to.Format(time.RFC3339),
		"--state", "Canceled", "--json").want(t, exitOK)
	lines := decodeLines[reservationLine](t, r.stdout)
	var got []string
	for _, l := range lines {
		got = append(got, l.ID)
		if l.Number == "" || l.State == "" || l.ScheduledStartUtc == "" {
			t.Fatalf("line lacks Mews' fields: %+v", l)
		}
	}
	slices.Sort(got)
	want := colliding(c.srv, from, to, func(r mewstest.Reservation) bool { return r.State == "Canceled" })
	if len(want) < 100 {
		t.Fatalf("only %d seeded reservations collide; the test needs a long listing", len(want))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reservation ids (-want +got):\n%s", diff)
	}
	if len(c.srv.RequestsFor("reservations/getAll/2023-06-06")) < 7 {
		t.Errorf("the interval was not split into three-month windows")
	}
	if r.stderr != "" {
		t.Errorf("stderr = %q, want nothing when it is not a terminal", r.stderr)
	}
}

func TestReservationsList_JSONUsesMewsFieldNames(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	r := c.run("--sandbox", "reservations", "list", "--from", "2026-01-01", "--to", "2026-01-02", "--json").want(t, exitOK)
	first, _, _ := strings.Cut(r.stdout, "\n")
	var fields map[string]json.RawMessage
	if err := json.Unmarshal([]byte(first), &fields); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Id", "Number", "State", "ScheduledStartUtc", "ScheduledEndUtc", "AssignedResourceId", "GroupId", "UpdatedUtc"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("the JSON line lacks %s: %s", name, first)
		}
	}
}

func TestReservationsList_FiltersByStateAndRoom(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	from, to := mewstest.SeedEpoch(), mewstest.SeedEpoch().AddDate(0, 6, 0)
	r := c.run("--sandbox", "reservations", "list", "--from", from.Format(time.DateOnly), "--to", to.Format(time.DateOnly),
		"--state", "confirmed", "--state", "Optional", "--room", stay.RoomID, "--json").want(t, exitOK)
	var got []string
	for _, l := range decodeLines[reservationLine](t, r.stdout) {
		got = append(got, l.ID)
	}
	slices.Sort(got)
	want := colliding(c.srv, from, to, func(r mewstest.Reservation) bool {
		return r.RoomID == stay.RoomID && (r.State == "Confirmed" || r.State == "Optional")
	})
	if len(want) == 0 {
		t.Fatal("no seeded reservation matches; pick another room")
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reservation ids (-want +got):\n%s", diff)
	}
}

func TestReservationsList_TableIsAlignedWithRoomNames(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	day := stay.ScheduledStartUtc.Truncate(24 * time.Hour)
	r := c.run("--sandbox", "reservations", "list", "--from", day.Format(time.DateOnly), "--to", day.AddDate(0, 0, 1).Format(time.DateOnly)).want(t, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"NUMBER", "STATE", "ARRIVAL", "DEPARTURE", "ROOM", "ID"}) {
		t.Errorf("header = %q", lines[0])
	}
	idCol := strings.Index(lines[0], "ID")
	found := false
	for _, l := range lines[1:] {
		if len(l) != idCol+36 || l[idCol-1] != ' ' { // every id is a 36-character GUID
			t.Errorf("row not aligned under the header: %q", l)
		}
		if strings.HasSuffix(l, stay.ID) {
			found = true
			if want := roomName(c.srv, stay.RoomID); !slices.Contains(strings.Fields(l), want) {
				t.Errorf("row %q lacks room name %s", l, want)
			}
		}
	}
	if !found {
		t.Errorf("the table lacks reservation %s:\n%s", stay.ID, r.stdout)
	}
}

func TestReservationsList_ProgressGoesToATerminalStderrOnly(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	c.terminal = true
	r := c.run("--sandbox", "reservations", "list", "--from", "2025-01-01", "--to", "2026-01-01", "--state", "Canceled", "--json").want(t, exitOK)
	if !strings.Contains(r.stderr, "reservations (window 4 of 4)") {
		t.Errorf("stderr lacks the progress:\n%q", r.stderr)
	}
	if strings.Contains(r.stdout, "\r") || strings.Contains(r.stdout, "window") {
		t.Errorf("progress leaked into stdout")
	}
}

func TestRoomsList_TableAndJSON(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	active := seededRooms(c.srv)
	r := c.run("--sandbox", "rooms", "list").want(t, exitOK)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"NAME", "FLOOR", "STATE", "ID"}) {
		t.Errorf("header = %q", lines[0])
	}
	if len(lines)-1 != active {
		t.Errorf("%d rows, want %d rooms", len(lines)-1, active)
	}
	if !slices.ContainsFunc(lines, func(l string) bool { return slices.Equal(strings.Fields(l)[:2], []string{"203", "2"}) }) {
		t.Errorf("room 203 on floor 2 is missing:\n%s", r.stdout)
	}

	r = c.run("--sandbox", "rooms", "list", "--json").want(t, exitOK)
	rooms := decodeLines[map[string]any](t, r.stdout)
	if len(rooms) != active {
		t.Errorf("%d JSON lines, want %d", len(rooms), active)
	}
	for _, k := range []string{"Id", "Name", "State", "IsActive", "Data"} {
		if _, ok := rooms[0][k]; !ok {
			t.Errorf("the JSON line lacks %s: %v", k, rooms[0])
		}
	}
}

func TestPins_SetTwiceListDelete(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	set := func(pin string) string {
		t.Helper()
		r := c.run("--sandbox", "pins", "set", "--reservation", stay.ID, "--pin", pin).want(t, exitOK)
		return strings.TrimSpace(r.stdout)
	}
	first := set("4711")
	second := set("0815")
	active := c.srv.ActiveResourceAccessTokens(stay.ID)
	if len(active) != 1 || active[0].ID != second || active[0].Value != "0815" || active[0].ResourceID != stay.RoomID {
		t.Fatalf("after two sets: active %+v, printed %q then %q; want one PIN 0815 in the room, with the printed id", active, first, second)
	}

	r := c.run("--sandbox", "pins", "list", "--reservation", stay.ID).want(t, exitOK)
	if !strings.Contains(r.stdout, second) || len(leakscan.Find(r.stdout, "0815")) != 0 {
		t.Errorf("the table should show the id %s and not the PIN:\n%s", second, r.stdout)
	}
	r = c.run("--sandbox", "pins", "list", "--reservation", stay.ID, "--json").want(t, exitOK)
	creds := decodeLines[map[string]any](t, r.stdout)
	if !slices.ContainsFunc(creds, func(m map[string]any) bool {
		return m["Id"] == second && m["ServiceOrderId"] == stay.ID && m["IsActive"] == true
	}) {
		t.Errorf("the JSON lacks the active PIN with Mews' field names:\n%s", r.stdout)
	}

	r = c.run("--sandbox", "pins", "delete", "--reservation", stay.ID).want(t, exitOK)
	if strings.TrimSpace(r.stdout) != second {
		t.Errorf("delete printed %q, want %s", r.stdout, second)
	}
	if n := len(c.srv.ActiveResourceAccessTokens(stay.ID)); n != 0 {
		t.Errorf("%d active PINs after delete, want 0", n)
	}
	r = c.run("--sandbox", "pins", "delete", "--reservation", stay.ID).want(t, exitOK)
	if r.stdout != "" || !strings.Contains(r.stderr, "no active PINs") {
		t.Errorf("a second delete: stdout %q stderr %q", r.stdout, r.stderr)
	}
}

func TestPinsSet_RoomAndValidityFlags(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	other := c.srv.Rooms()[5].ID
	c.run("--sandbox", "pins", "set", "--reservation", stay.ID, "--pin", "2468", "--room", other,
		"--from", "2026-03-01T15:00:00+01:00", "--to", "2026-03-03").want(t, exitOK)
	active := c.srv.ActiveResourceAccessTokens(stay.ID)
	if len(active) != 1 {
		t.Fatalf("%d active PINs, want 1", len(active))
	}
	want := []any{other, time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC), time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)}
	got := []any{active[0].ResourceID, active[0].ValidityStartUtc.UTC(), active[0].ValidityEndUtc.UTC()}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("room, start, end (-want +got):\n%s", diff)
	}
}

func TestPinsSet_UnknownReservationExits5WithoutAdding(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	r := c.run("--sandbox", "pins", "set", "--reservation", "00000000-0000-4000-8000-00000000dead", "--pin", "1234").want(t, exitRejected)
	if !strings.Contains(r.stderr, "not found") {
		t.Errorf("stderr = %q, want it to say the reservation was not found", r.stderr)
	}
	if n := len(c.srv.RequestsFor("resourceAccessTokens/add")); n != 0 {
		t.Errorf("%d adds were sent, want none", n)
	}
}

func TestProperties_RedactsTokensUnlessShowTokens(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	r := c.run("--sandbox", "properties", "--email", mewstest.EmployeeEmail).want(t, exitOK)
	for _, want := range []string{mewstest.PropertyID, mewstest.PropertyName, "[redacted …" + mewstest.ConnectionToken[len(mewstest.ConnectionToken)-4:] + "]"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}

	c.secrets = nil // --show-tokens prints them on purpose
	r = c.run("--sandbox", "properties", "--email", mewstest.EmployeeEmail, "--show-tokens").want(t, exitOK)
	if !strings.Contains(r.stdout, mewstest.ConnectionToken) {
		t.Error("--show-tokens did not print the connection token") // the output holds tokens: not quoted
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	r := c.run("help").want(t, exitOK)
	for _, want := range []string{"check", "properties", "reservations list", "rooms list", "pins set", "pins delete", "demo",
		"MEWS_ENVIRONMENT", "MEWS_CLIENT_TOKEN", "MEWS_ACCESS_TOKEN", "MEWS_CONNECTION_TOKEN", "MEWS_CLIENT_NAME", "--sandbox",
		"0  ok", "1  usage", "2  invalid input", "3  authentication", "4  transient", "5  rejected by Mews"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("mews help lacks %q", want)
		}
	}
	r = c.run("help", "reservations", "list").want(t, exitOK)
	for _, want := range []string{"Usage: mews reservations list", "-from", "-state", "-json"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("mews help reservations list lacks %q:\n%s", want, r.stdout)
		}
	}
	c.run("check", "-h").want(t, exitOK)
	c.run("--help").want(t, exitOK)
	if r := c.run("version").want(t, exitOK); r.stdout != "mews "+mews.Version+"\n" {
		t.Errorf("version printed %q", r.stdout)
	}
}

func TestDemo_WalksTheWholeStoryWithoutWaiting(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newCLI(t)
		start := time.Now()
		r := c.run("demo").want(t, exitOK)
		// Inside the bubble only waits (rate limits, retries, timers) advance the clock,
		// so this says the demo never waited for anything.
		if waited := time.Since(start); waited > time.Second {
			t.Errorf("the demo waited %v", waited)
		}
		for _, want := range []string{
			"Connected: " + mewstest.EnterpriseName,
			"61 rooms on 5 floors",
			"confirmed arrivals",
			"PIN set",
			"Channel Manager: properties",
			"sells rate FF in space category DBL",
			"pushed CHM-DEMO-1",
			"reservation 01 is Mews MT-",
			"watching the hotel: Unknown → Connected",
			"the hotel revokes the token: Connected → Broken",
			"Broken → Connected",
			"Done in 0.0 s",
		} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("the demo's output lacks %q:\n%s", want, r.stdout)
			}
		}
		if n := strings.Count(r.stdout, "PIN set"); n != demoPINs {
			t.Errorf("%d PINs set, want %d", n, demoPINs)
		}
		if r.stderr != "" {
			t.Errorf("stderr = %q", r.stderr)
		}
	})
}

func TestDemo_NeedsNoConfiguration(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"demo"}, func(string) string { return "" }, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
}

// futureStay returns a seeded confirmed reservation with a room, arriving after the
// seed epoch.
func futureStay(t *testing.T, srv *mewstest.Server) mewstest.Reservation {
	t.Helper()
	for _, r := range srv.Reservations() {
		if r.State == "Confirmed" && r.RoomID != "" && r.ScheduledStartUtc.After(mewstest.SeedEpoch().AddDate(0, 1, 0)) {
			return r
		}
	}
	t.Fatal("no future confirmed stay with a room is seeded")
	return mewstest.Reservation{}
}

func roomName(srv *mewstest.Server, id string) string {
	for _, r := range srv.Rooms() {
		if r.ID == id {
			return r.Name
		}
	}
	return ""
}

func TestIsTerminal_FilesAndBuffersAreNot(t *testing.T) {
	t.Parallel()
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) || isTerminal(&bytes.Buffer{}) {
		t.Error("a regular file or a buffer was taken for a terminal")
	}
}

func TestHelp_NeverShowsATokenGivenBeforeTheCommand(t *testing.T) {
	t.Parallel()
	c := newCLI(t) // run fails the test when a seeded token is printed
	for _, args := range [][]string{
		{"--access-token", mewstest.AccessToken, "--client-token", mewstest.ClientToken, "check", "-h"},
		{"--connection-token", mewstest.ConnectionToken, "--channel-manager-client-token", mewstest.ChannelManagerClientToken, "help", "check"},
	} {
		r := c.run(args...).want(t, exitOK)
		if !strings.Contains(r.stdout, "-access-token token") {
			t.Errorf("mews %s: the token flags are not documented:\n%s", args[len(args)-2], r.stdout)
		}
	}
}

func TestMalformedTokenExits2NamingItsVariableOrFlag(t *testing.T) {
	t.Parallel()
	const bad = "abc def"
	real := map[string]string{"MEWS_ENVIRONMENT": "demo", "MEWS_CLIENT_TOKEN": "client-0001", "MEWS_ACCESS_TOKEN": "access-0001", "MEWS_CONNECTION_TOKEN": "connection-0001"}
	for _, tc := range []struct {
		name     string
		variable string // set to bad; "" for none
		args     []string
		want     string
	}{
		{"client token variable", "MEWS_CLIENT_TOKEN", []string{"check"}, "MEWS_CLIENT_TOKEN "},
		{"Channel Manager client token variable", "MEWS_CHANNEL_MANAGER_CLIENT_TOKEN", []string{"check", "--channel-manager"}, "MEWS_CHANNEL_MANAGER_CLIENT_TOKEN "},
		{"access token variable", "MEWS_ACCESS_TOKEN", []string{"rooms", "list"}, "MEWS_ACCESS_TOKEN "},
		{"connection token variable", "MEWS_CONNECTION_TOKEN", []string{"check", "--channel-manager"}, "MEWS_CONNECTION_TOKEN "},
		{"client token flag", "", []string{"--client-token", bad, "check"}, "--client-token "},
		{"access token flag", "", []string{"check", "--access-token", bad}, "--access-token "},
		{"access token flag in the sandbox", "", []string{"--sandbox", "check", "--access-token", bad}, "--access-token "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.secrets = append(c.secrets, bad)
			c.env = maps.Clone(real)
			if tc.variable != "" {
				c.env[tc.variable] = bad
			}
			r := c.run(tc.args...).want(t, exitInput)
			if !strings.Contains(r.stderr, "mews: "+tc.want+"contains whitespace") || strings.Count(r.stderr, "mews:") != strings.Count(r.stderr, "\n") {
				t.Errorf("stderr = %q, want a line %q… that says what is wrong, with one mews: prefix per line", r.stderr, "mews: "+tc.want)
			}
		})
	}
}

func TestDemo_PrintsTheSameStoryEveryRun(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) { // the elapsed time it prints is 0.0 s in a bubble
		first := newCLI(t).run("demo").want(t, exitOK)
		second := newCLI(t).run("demo").want(t, exitOK)
		if diff := cmp.Diff(first.stdout, second.stdout); diff != "" {
			t.Errorf("two runs differ (-first +second):\n%s", diff)
		}
	})
}

func TestExitCode_BrokenIsAlways3(t *testing.T) {
	t.Parallel()
	// A check that Mews decided against, for a reason outside the SDK's sentinels (a
	// webhook said the integration was disabled, say).
	if got := exitCode(&brokenError{reason: errors.New("the integration was disabled in Mews")}); got != exitAuth {
		t.Errorf("exit code %d, want %d", got, exitAuth)
	}
}

func TestReservationsList_JSONLinesOnTheProgressTerminalStartOnACleanLine(t *testing.T) {
	t.Parallel()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	var tty bytes.Buffer // stdout and stderr are one terminal
	a := &app{getenv: func(string) string { return "" }, stdout: &tty, stderr: &tty,
		terminal: func(io.Writer) bool { return true }, sandbox: srv}
	if code := a.run(t.Context(), []string{"--sandbox", "reservations", "list", "--from", "2025-01-01", "--to", "2026-01-01", "--state", "Canceled", "--json"}); code != exitOK {
		t.Fatalf("exit %d:\n%s", code, tty.String())
	}
	out := tty.String()
	if !strings.Contains(out, "(window 2 of 4)") {
		t.Fatalf("no progress was shown:\n%q", out)
	}
	for i := 0; ; {
		j := strings.Index(out[i:], `{"Id"`)
		if j < 0 {
			break
		}
		i += j
		if i > 0 && out[i-1] != '\n' && !strings.HasSuffix(out[:i], "\r\x1b[K") {
			t.Fatalf("a JSON line continues the progress line: %q", out[max(0, i-60):i+10])
		}
		i++
	}
}

func TestVersion_RefusesArguments(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	if r := c.run("version", "--json").want(t, exitUsage); r.stdout != "" {
		t.Errorf("stdout = %q, want nothing", r.stdout)
	}
	if r := c.run("version", "-h").want(t, exitOK); !strings.HasPrefix(r.stdout, "Usage: mews version") {
		t.Errorf("mews version -h printed %q", r.stdout)
	}
}

func TestHelp_ForACommandGroupListsItsSubcommands(t *testing.T) {
	t.Parallel()
	r := newCLI(t).run("help", "pins").want(t, exitOK)
	for _, want := range []string{"mews pins list --reservation ID", "mews pins set --reservation ID --pin VALUE", "mews pins delete --reservation ID"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("mews help pins lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestHelp_ACommandShowsOnlyTheFlagsItReads(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	for _, tc := range []struct {
		command   []string
		want, not []string
	}{
		{[]string{"rooms", "list"}, []string{"-access-token", "-client-token", "-client-name", "-environment", "-sandbox", "-json"}, []string{"-connection-token", "-channel-manager-client-token", "-email"}},
		{[]string{"pins", "set"}, []string{"-access-token", "-reservation", "-pin"}, []string{"-connection-token", "-channel-manager-client-token"}},
		{[]string{"properties"}, []string{"-channel-manager-client-token", "-client-token", "-email"}, []string{"-access-token", "-connection-token", "-client-name"}},
		{[]string{"check"}, []string{"-access-token", "-connection-token", "-channel-manager", "-client-name"}, nil},
	} {
		r := c.run(append([]string{"help"}, tc.command...)...).want(t, exitOK)
		for _, w := range tc.want {
			if !strings.Contains(r.stdout, "  "+w+" ") && !strings.Contains(r.stdout, "  "+w+"\n") {
				t.Errorf("mews help %s lacks %s:\n%s", strings.Join(tc.command, " "), w, r.stdout)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(r.stdout, "  "+n) {
				t.Errorf("mews help %s shows %s, which it does not read:\n%s", strings.Join(tc.command, " "), n, r.stdout)
			}
		}
	}
}

func TestHelp_ACommandWithoutFlagsHasNoFlagsHeading(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	for _, command := range []string{"demo", "version"} {
		r := c.run("help", command).want(t, exitOK)
		if strings.Contains(r.stdout, "Flags:") {
			t.Errorf("mews help %s has a Flags: heading:\n%s", command, r.stdout)
		}
		if strings.Count(r.stdout, "\n") < 3 {
			t.Errorf("mews help %s does not say what the command does:\n%s", command, r.stdout)
		}
	}
}

func TestSandboxAndAnotherEnvironmentAreRefusedAsContradictory(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--environment", "demo", "--sandbox", "check"},
		{"--sandbox", "rooms", "list", "--environment", "production"},
	} {
		c := newCLI(t)
		c.refused(t, exitUsage, "contradict", args...)
	}
	newCLI(t).run("--environment", "sandbox", "--sandbox", "check").want(t, exitOK)
}

func TestREADME_CommandTableListsEveryCommand(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(string(readme), "| `mews "+c.name) {
			t.Errorf("the README's command table lacks mews %s", c.name)
		}
	}
}

func TestErrors_AdviceOnItsOwnLineAndOneMewsPrefix(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		args      []string
		break_    func(*mewstest.Server)
		hint, not string
	}{
		{"Connector 401", []string{"check"}, func(s *mewstest.Server) { s.Revoke(mewstest.AccessToken) }, "permission", ""},
		{"Channel Manager code 8", []string{"check", "--channel-manager"}, func(s *mewstest.Server) { s.Revoke(mewstest.ConnectionToken) }, "connection token", "permission"},
		{"unknown reservation", []string{"pins", "set", "--reservation", "00000000-0000-4000-8000-00000000dead", "--pin", "1234"}, func(*mewstest.Server) {}, "", ""},
		{"revoked token on rooms list", []string{"rooms", "list"}, func(s *mewstest.Server) { s.Revoke(mewstest.AccessToken) }, "permission", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			tc.break_(c.srv)
			r := c.run(append([]string{"--sandbox"}, tc.args...)...)
			lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
			if strings.Count(r.stderr, "mews:") > 1 {
				t.Errorf("stderr repeats the mews: prefix:\n%s", r.stderr)
			}
			if tc.hint == "" {
				if len(lines) != 1 {
					t.Errorf("stderr has %d lines, want one:\n%s", len(lines), r.stderr)
				}
				return
			}
			if len(lines) != 2 || !strings.HasPrefix(lines[1], "hint: ") || !strings.Contains(lines[1], tc.hint) || strings.Contains(lines[0], tc.hint) {
				t.Errorf("stderr = %q, want the error, then a hint: line with %q", r.stderr, tc.hint)
			}
			if tc.not != "" && strings.Contains(r.stderr, tc.not) {
				t.Errorf("stderr = %q carries %q, advice for the other API", r.stderr, tc.not)
			}
		})
	}
}

// seeded returns a seeded reservation of the hotel that keep accepts.
func seeded(t *testing.T, srv *mewstest.Server, keep func(mewstest.Reservation) bool) mewstest.Reservation {
	t.Helper()
	for _, r := range srv.Reservations() {
		if r.EnterpriseID == mewstest.EnterpriseID && keep(r) {
			return r
		}
	}
	t.Fatal("no such reservation is seeded")
	return mewstest.Reservation{}
}

func TestPinsSet_EveryFlagIsJudgedBeforeTheFirstRequest(t *testing.T) {
	t.Parallel()
	id := futureStay(t, newCLI(t).srv).ID
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a blank PIN", []string{"--pin", " "}, "--pin contains whitespace at position 1"},
		{"a PIN of 256 characters", []string{"--pin", strings.Repeat("9", 256)}, "--pin is 256 characters long"},
		{"a leading space", []string{"--pin", " 1234"}, "--pin contains whitespace at position 1"},
		{"an inner space", []string{"--pin", "12 34"}, "--pin contains whitespace at position 3"},
		{"a control character", []string{"--pin", "12\x0734"}, "--pin contains a control character at position 3"},
		{"--to before --from", []string{"--pin", "1234", "--from", "2026-03-02", "--to", "2026-03-01"}, "--to must be after --from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCLI(t)
			c.refused(t, exitInput, tc.want, append([]string{"--sandbox", "pins", "set", "--reservation", id}, tc.args...)...)
		})
	}
}

func TestPinsSet_ValidityAgainstTheStayNamesTheFlag(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	before := stay.ScheduledStartUtc.AddDate(0, 0, -3).Format(time.DateOnly)
	r := c.run("--sandbox", "pins", "set", "--reservation", stay.ID, "--pin", "1234", "--to", before).want(t, exitInput)
	if !strings.Contains(r.stderr, "--to must be after the arrival") || strings.Contains(r.stderr, "Utc") {
		t.Errorf("stderr = %q, want --to named, no wire field", r.stderr)
	}
	if n := len(c.srv.RequestsFor("resourceAccessTokens/add")); n != 0 {
		t.Errorf("%d adds were sent, want none", n)
	}
}

func TestPinsSet_ACanceledOrCheckedOutReservationIsRefusedWithExit5(t *testing.T) {
	t.Parallel()
	for _, state := range []string{"Canceled", "Processed"} {
		t.Run(state, func(t *testing.T) {
			c := newCLI(t)
			res := seeded(t, c.srv, func(r mewstest.Reservation) bool { return r.State == state && r.RoomID != "" })
			r := c.run("--sandbox", "pins", "set", "--reservation", res.ID, "--pin", "1234").want(t, exitRejected)
			if !strings.Contains(r.stderr, "reservation "+res.Number+" is") || !strings.Contains(r.stderr, state) {
				t.Errorf("stderr = %q, want the reason", r.stderr)
			}
			if n := len(c.srv.RequestsFor("resourceAccessTokens/add")) + len(c.srv.RequestsFor("resourceAccessTokens/update")); n != 0 {
				t.Errorf("%d writes were sent, want none", n)
			}
		})
	}
}

func TestPinsSet_WithoutAnAssignedRoomSetsThePINAndWarns(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	res := seeded(t, c.srv, func(r mewstest.Reservation) bool {
		return r.State == "Confirmed" && r.RoomID == "" && r.ScheduledStartUtc.After(mewstest.SeedEpoch())
	})
	r := c.run("--sandbox", "pins", "set", "--reservation", res.ID, "--pin", "1234").want(t, exitOK)
	if len(c.srv.ActiveResourceAccessTokens(res.ID)) != 1 {
		t.Errorf("no PIN was stored")
	}
	if !strings.HasPrefix(r.stderr, "warning: ") || !strings.Contains(r.stderr, "no room assigned") {
		t.Errorf("stderr = %q, want a warning that no door opens yet", r.stderr)
	}
}

// seededRooms counts the seeded hotel's rooms: active, beds excluded.
func seededRooms(srv *mewstest.Server) int {
	n := 0
	for _, room := range srv.Rooms() {
		if room.IsActive && room.ParentID == "" && room.EnterpriseID == mewstest.EnterpriseID {
			n++
		}
	}
	return n
}

func TestRoomCounts_TheDemoAndRoomsListAgree(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c := newCLI(t)
		want := seededRooms(c.srv)
		var beds int
		for _, room := range c.srv.Rooms() {
			if room.ParentID != "" {
				beds++
			}
		}
		if beds == 0 {
			t.Fatal("the seeded hotel has no beds; the test needs some")
		}
		list := c.run("--sandbox", "rooms", "list", "--json").want(t, exitOK)
		demo := newCLI(t).run("demo").want(t, exitOK)
		if got := strings.Count(list.stdout, "\n"); got != want {
			t.Errorf("rooms list: %d rooms, want %d", got, want)
		}
		if !strings.Contains(demo.stdout, fmt.Sprintf("\n%d rooms on", want)) {
			t.Errorf("the demo does not say %d rooms:\n%s", want, demo.stdout)
		}
	})
}

// amsterdam is the seeded hotel's time zone.
func amsterdam(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(mewstest.EnterpriseTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestTimeZones_TablesShowTheHotelsZoneLabelledAndJSONStaysUTC(t *testing.T) {
	t.Parallel()
	c := newCLI(t)
	stay := futureStay(t, c.srv)
	day := stay.ScheduledStartUtc.Truncate(24 * time.Hour)
	args := []string{"--sandbox", "reservations", "list", "--from", day.Format(time.DateOnly), "--to", day.AddDate(0, 0, 1).Format(time.DateOnly)}
	arrival := stay.ScheduledStartUtc.In(amsterdam(t)).Format("2006-01-02 15:04 MST")
	if !strings.HasSuffix(arrival, "CET") && !strings.HasSuffix(arrival, "CEST") {
		t.Fatalf("arrival %q is not labelled with the zone", arrival)
	}
	table := c.run(args...).want(t, exitOK).stdout
	if !slices.ContainsFunc(strings.Split(table, "\n"), func(l string) bool { return strings.HasSuffix(l, stay.ID) && strings.Contains(l, arrival) }) {
		t.Errorf("the row of %s lacks the arrival %q in the hotel's zone:\n%s", stay.ID, arrival, table)
	}
	for _, l := range decodeLines[reservationLine](t, c.run(append(args, "--json")...).want(t, exitOK).stdout) {
		if l.ID == stay.ID && l.ScheduledStartUtc != stay.ScheduledStartUtc.UTC().Format(time.RFC3339) {
			t.Errorf("JSON ScheduledStartUtc = %q, want UTC %s", l.ScheduledStartUtc, stay.ScheduledStartUtc.UTC().Format(time.RFC3339))
		}
	}

	c.run("--sandbox", "pins", "set", "--reservation", stay.ID, "--pin", "4711").want(t, exitOK)
	pinsTable := c.run("--sandbox", "pins", "list", "--reservation", stay.ID).want(t, exitOK).stdout
	from := c.srv.ActiveResourceAccessTokens(stay.ID)[0].ValidityStartUtc.In(amsterdam(t)).Format("2006-01-02 15:04 MST")
	if !strings.Contains(pinsTable, from) {
		t.Errorf("pins list lacks the validity start %q in the hotel's zone:\n%s", from, pinsTable)
	}
}

func TestDemo_ShowsTimesInTheHotelsZone(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		out := newCLI(t).run("demo").want(t, exitOK).stdout
		if !strings.Contains(out, "in the hotel's time zone, "+mewstest.EnterpriseTimeZone) {
			t.Errorf("the demo does not name the hotel's zone:\n%s", out)
		}
		_, arrivals, _ := strings.Cut(out, "== Arrivals")
		arrivals, _, _ = strings.Cut(arrivals, "== Door PINs")
		if n := strings.Count(arrivals, " CET") + strings.Count(arrivals, " CEST"); n == 0 || strings.Contains(arrivals, "UTC") {
			t.Errorf("the arrivals are not in the hotel's zone, labelled:\n%s", arrivals)
		}
	})
}
