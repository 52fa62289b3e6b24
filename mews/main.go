package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// Exit codes: a contract with the scripts and monitors that call mews. A script may
// repeat a command that exited 4; repeating one that exited 5 changes nothing.
const (
	exitOK        = 0 // done
	exitUsage     = 1 // unknown command or flag, a missing flag, missing configuration
	exitInput     = 2 // a value refused before anything was sent
	exitAuth      = 3 // Mews rejected the credentials, or the connection does not exist
	exitTransient = 4 // may pass on a retry: rate limit, timeout, 5xx, network trouble
	exitRejected  = 5 // Mews refused the request: repeating it unchanged will not help
)

// exitCodes documents every exit code; 'mews help' prints this table and a test holds
// the README's table to it.
var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "ok"},
	{exitUsage, "usage: unknown command or flag, a missing flag, missing configuration"},
	{exitInput, "invalid input: a value was refused before anything was sent"},
	{exitAuth, "authentication: Mews rejected the credentials (broken), or the connection was not found"},
	{exitTransient, "transient: may pass on a retry (rate limited, timeout, 5xx, network trouble, an unreadable answer)"},
	{exitRejected, "rejected by Mews: not found, 400, 403, 409 and every other answer that repeating will not change"},
}

// main runs the command with the process's arguments, environment and streams, and
// exits with its code; Ctrl-C cancels the work in progress.
func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command: it parses args, reads the configuration through getenv,
// writes results to stdout and diagnostics to stderr, and returns the exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	a := &app{getenv: getenv, stdout: stdout, stderr: stderr, terminal: isTerminal}
	return a.run(ctx, args)
}

// app is one invocation of the command.
type app struct {
	getenv         func(string) string
	stdout, stderr io.Writer
	// terminal reports whether w is an interactive terminal (progress goes there only).
	terminal func(w io.Writer) bool
	// sandbox, when set, is the fake Mews that --sandbox and MEWS_ENVIRONMENT=sandbox use
	// instead of starting their own; tests set it to revoke tokens and inject faults.
	sandbox *mewstest.Server
	cfg     config
}

// command is one (sub)command: its name path, its flags in brief, what it does, and
// its action.
type command struct {
	name     string // "reservations list"
	synopsis string
	about    string
	run      func(a *app, ctx context.Context, args []string) error
}

// commands lists every command in the order "mews help" shows them.
func commands() []command {
	return []command{
		{"check", "[--channel-manager]",
			`validates the Connector access token: "connected: NAME (ID)"; with
--channel-manager, the Channel Manager connection token: "connected: NAME".`, (*app).check},
		{"properties", "--email ADDRESS [--show-tokens]",
			`properties a verified employee can access, with their Channel Manager
connections (getProperties); tokens are redacted unless --show-tokens.`, (*app).properties},
		{"reservations list", "--from T --to T [--state S]... [--room ID]... [--json]",
			`every reservation colliding with [from, to), for an interval of any length
(all states unless --state); --json prints one object per line with Mews' field names.`, (*app).reservationsList},
		{"rooms list", "[--json]", "the hotel's rooms: active spaces that no other space contains (beds excluded).", (*app).roomsList},
		{"pins list", "--reservation ID [--json]", "a reservation's door PINs and tags, deleted ones included.", (*app).pinsList},
		{"pins set", "--reservation ID --pin VALUE [--room ID] [--from T] [--to T]",
			`makes VALUE the reservation's one active PIN (valid for the stay unless --from/--to)
and prints its id; running it again never leaves a second PIN.`, (*app).pinsSet},
		{"pins delete", "--reservation ID", "deletes the reservation's active PINs and tags and prints their ids.", (*app).pinsDelete},
		{"demo", "", "the whole story against the embedded sandbox, in a few seconds; needs no configuration.", (*app).demo},
		{"version", "", "prints the version.", (*app).version},
		{"help", "[COMMAND]", "this text, or a command's flags.", (*app).help},
	}
}

// run parses the configuration flags before the command name, finds the command and
// runs it, and returns the exit code after reporting any error on stderr.
func (a *app) run(ctx context.Context, args []string) int {
	// Configuration flags may come before the command too: mews --sandbox rooms list.
	fs := a.flagSet("mews", allFlags)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		a.usage(a.stdout)
		return exitOK
	} else if err != nil {
		return a.fail(usagef("%v", err))
	}
	args = fs.Args()
	if len(args) == 0 {
		a.usage(a.stderr)
		return exitUsage
	}
	for _, c := range commands() {
		words := strings.Fields(c.name)
		if len(args) < len(words) || !equalWords(args[:len(words)], words) {
			continue
		}
		return a.fail(c.run(a, ctx, args[len(words):]))
	}
	if subs := subcommands(args[0]); len(subs) > 0 {
		return a.fail(usagef("%s needs a subcommand: %s", args[0], strings.Join(subs, ", ")))
	}
	return a.fail(usagef("unknown command %q", strings.Join(args, " ")))
}

// equalWords reports whether a starts with the words of b; a has at least len(b)
// elements.
func equalWords(a, b []string) bool {
	for i := range b {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// subcommands names the subcommands of a command group ("list", "set"…).
func subcommands(group string) []string {
	var subs []string
	for _, c := range commands() {
		if g, sub, ok := strings.Cut(c.name, " "); ok && g == group {
			subs = append(subs, sub)
		}
	}
	return subs
}

// usageError is a mistake in how mews was called; it exits 1.
type usageError struct{ msg string }

// Error returns the message, which says what to do.
func (e *usageError) Error() string { return e.msg }

// usagef returns a usage error (exit 1) with a formatted message.
func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps an error onto the documented exit codes; it is the only such mapping.
func exitCode(err error) int {
	var ue *usageError
	var broken *brokenError
	var rejected *rejectedError
	var apiErr *mews.APIError
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &broken):
		return exitAuth // "broken: …" always exits 3, whatever the reason's type
	case errors.Is(err, mews.ErrInvalidInput):
		return exitInput
	case errors.Is(err, mews.ErrInvalidAuthentication), errors.Is(err, mews.ErrConnectionNotFound):
		return exitAuth
	case errors.As(err, &rejected), slices.ContainsFunc(rejections, func(s error) bool { return errors.Is(err, s) }):
		return exitRejected
	case slices.ContainsFunc(transients, func(s error) bool { return errors.Is(err, s) }):
		return exitTransient
	case errors.As(err, &apiErr):
		return exitRejected // another answer from Mews, such as a 404: it will not change
	default:
		return exitTransient // network trouble, a deadline: the request may not have arrived
	}
}

// rejections are the SDK's sentinels for answers that repeating will not change.
var rejections = []error{
	mews.ErrReservationNotFound, mews.ErrValidation, mews.ErrProcessing, mews.ErrConflict,
	mews.ErrDiscontinued, mews.ErrBodyTooLarge, mews.ErrOperationDisabled, mews.ErrRate,
	mews.ErrCategory, mews.ErrRateCategory, mews.ErrAvailability, mews.ErrPrices,
	mews.ErrRestrictions, mews.ErrSuperseded,
}

// transients are the SDK's sentinels for failures that may pass on a retry.
var transients = []error{mews.ErrRateLimited, mews.ErrTimeout, mews.ErrSystem, mews.ErrBadResponse}

// rejectedError is a request the command refuses for a reason Mews would also hold
// against it, such as a PIN for a canceled reservation; it exits 5.
type rejectedError struct{ msg string }

// Error returns the reason.
func (e *rejectedError) Error() string { return e.msg }

// brokenError is a check that Mews decided against: stderr reads "broken: <reason>".
type brokenError struct{ reason error }

// Error is the line printed on stderr: "broken: <reason>".
func (e *brokenError) Error() string { return "broken: " + message(e.reason) }

// Unwrap returns Mews' reason, so errors.Is finds the SDK's sentinels.
func (e *brokenError) Unwrap() error { return e.reason }

// fail reports err on stderr, in a form that names what to do, and returns its exit
// code. Mews' advice, if any, goes on a line of its own after the error.
func (a *app) fail(err error) int {
	code := exitCode(err)
	var broken *brokenError
	switch {
	case code == exitOK:
		return code
	case errors.As(err, &broken):
		fmt.Fprintln(a.stderr, broken.Error())
	case code == exitUsage:
		fmt.Fprintf(a.stderr, "mews: %v\nRun 'mews help' for usage.\n", err)
	default:
		fmt.Fprintf(a.stderr, "mews: %s\n", message(err))
	}
	var apiErr *mews.APIError
	if errors.As(err, &apiErr) && apiErr.Hint() != "" {
		fmt.Fprintf(a.stderr, "hint: %s\n", apiErr.Hint())
	}
	return code
}

// message is err's text without the SDK's "mews: " prefixes: the command prints its
// own once, and a wrapped SDK error must not repeat it in the middle of the line.
func message(err error) string {
	return strings.ReplaceAll(strings.TrimPrefix(err.Error(), "mews: "), ": mews: ", ": ")
}

// isTerminal reports whether w is a character device, such as an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// version prints the SDK version the command was built with.
func (a *app) version(_ context.Context, args []string) error {
	if err := a.parse(bareFlagSet("version"), "", args); err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, "mews", mews.Version)
	return nil
}
