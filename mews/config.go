package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// The configuration variables; each has a flag of the same meaning that overrides it.
const (
	envEnvironment     = "MEWS_ENVIRONMENT"
	envClientToken     = "MEWS_CLIENT_TOKEN"
	envCMClientToken   = "MEWS_CHANNEL_MANAGER_CLIENT_TOKEN"
	envAccessToken     = "MEWS_ACCESS_TOKEN"
	envConnectionToken = "MEWS_CONNECTION_TOKEN"
	envClientName      = "MEWS_CLIENT_NAME"
)

// environmentSandbox is the MEWS_ENVIRONMENT value that selects the embedded sandbox.
const environmentSandbox = "sandbox"

// config holds the configuration flags; the variables are read when they are needed.
type config struct {
	environment, clientToken, cmClientToken, accessToken, connectionToken, clientName string
	sandbox                                                                           bool
}

// flagGroup is a set of configuration flags that a command reads.
type flagGroup int

const (
	// connectorFlags: a hotel's Connector access token, the client token and name.
	connectorFlags flagGroup = 1 << iota
	// channelManagerClientFlags: the Channel Manager clientToken (or the client token).
	channelManagerClientFlags
	// connectionFlags: a Channel Manager connection token.
	connectionFlags

	allFlags = connectorFlags | channelManagerClientFlags | connectionFlags
)

// flagSet returns a flag set for a command with --environment, --sandbox and the
// configuration flags of the groups it reads, so that its help shows only those.
// Values already parsed (before the command name) stay as defaults.
func (a *app) flagSet(name string, groups flagGroup) *flag.FlagSet {
	fs := bareFlagSet(name)
	c := &a.cfg
	fs.StringVar(&c.environment, "environment", c.environment, "overrides "+envEnvironment)
	if groups&(connectorFlags|channelManagerClientFlags) != 0 {
		fs.Var(secretFlag{&c.clientToken}, "client-token", "your integration's client `token` (overrides "+envClientToken+")")
	}
	if groups&channelManagerClientFlags != 0 {
		fs.Var(secretFlag{&c.cmClientToken}, "channel-manager-client-token", "the Channel Manager client `token` (overrides "+envCMClientToken+")")
	}
	if groups&connectorFlags != 0 {
		fs.Var(secretFlag{&c.accessToken}, "access-token", "the hotel's Connector access `token` (overrides "+envAccessToken+")")
		fs.StringVar(&c.clientName, "client-name", c.clientName, "overrides "+envClientName)
	}
	if groups&connectionFlags != 0 {
		fs.Var(secretFlag{&c.connectionToken}, "connection-token", "the Channel Manager connection `token` (overrides "+envConnectionToken+")")
	}
	fs.BoolVar(&c.sandbox, "sandbox", c.sandbox, "use the embedded sandbox instead of Mews (same as "+envEnvironment+"="+environmentSandbox+")")
	return fs
}

// secretFlag is a token flag. Its String is always empty, so a token given before the
// command name is never shown as the default in a command's -h output.
type secretFlag struct{ p *string }

// String hides the value (the flag package prints it as the default).
func (f secretFlag) String() string { return "" }

// Set stores the token.
func (f secretFlag) Set(v string) error {
	*f.p = v
	return nil
}

// bareFlagSet is a quiet flag set without the configuration flags (mews demo takes none).
func bareFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// errHelpShown ends a command whose help was asked for (and printed); it exits 0. It
// is a constant, so nothing can reassign it.
const errHelpShown = constError("help shown")

// constError is an error that can be a constant.
type constError string

// Error returns the message.
func (e constError) Error() string { return string(e) }

// parse parses a command's flags, printing its help for -h and refusing stray arguments.
func (a *app) parse(fs *flag.FlagSet, synopsis string, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintf(a.stdout, "Usage: mews %s\n", strings.TrimSpace(fs.Name()+" "+synopsis))
		for _, c := range commands() {
			if c.name == fs.Name() {
				fmt.Fprintf(a.stdout, "\n%s\n", c.about)
			}
		}
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(a.stdout, "\nFlags:\n")
			fs.SetOutput(a.stdout)
			fs.PrintDefaults()
		}
		return errHelpShown
	case err != nil:
		return usagef("%s: %v", fs.Name(), err)
	case fs.NArg() > 0:
		return usagef("%s: unexpected argument %s", fs.Name(), quoteArgument(fs.Arg(0)))
	}
	return nil
}

// setting is the flag's value when given, otherwise the variable's.
func (a *app) setting(flagValue, variable string) string {
	if v := strings.TrimSpace(flagValue); v != "" {
		return v
	}
	return strings.TrimSpace(a.getenv(variable))
}

// useSandbox reports whether the embedded sandbox replaces Mews. --sandbox with an
// --environment that names another environment is a contradiction, refused.
func (a *app) useSandbox() (bool, error) {
	flagEnv := strings.TrimSpace(a.cfg.environment)
	if a.cfg.sandbox && flagEnv != "" && !strings.EqualFold(flagEnv, environmentSandbox) {
		return false, usagef("--sandbox and --environment %s contradict each other: give one of them", flagEnv)
	}
	return a.cfg.sandbox || strings.EqualFold(a.setting(a.cfg.environment, envEnvironment), environmentSandbox), nil
}

// session is an open client for one command: on Mews, or on the embedded sandbox.
type session struct {
	client  *mews.Client
	sandbox *mewstest.Server // nil on Mews
	close   func()
}

// open builds the client the configuration describes. Configuration that is missing or
// unusable is a usage error naming the variable.
func (a *app) open() (*session, error) {
	if sandbox, err := a.useSandbox(); err != nil {
		return nil, err
	} else if sandbox {
		return a.openSandbox()
	}
	name := a.setting(a.cfg.environment, envEnvironment)
	var env mews.Environment
	switch lower := strings.ToLower(name); {
	case lower == "":
		return nil, usagef("%s is not set: set it to demo, production or a base URL, and set %s and the hotel's token (see 'mews help'); or try the embedded sandbox with --sandbox", envEnvironment, envClientToken)
	case lower == "demo":
		env = mews.Demo()
	case lower == "production":
		env = mews.Production()
	case strings.HasPrefix(lower, "https://"), strings.HasPrefix(lower, "http://"):
		env = mews.CustomEnvironment(name)
	default:
		return nil, usagef("%s=%q: use demo, production, %s or a base URL such as https://api.mews-demo.com", envEnvironment, name, environmentSandbox)
	}
	clientToken := a.setting(a.cfg.clientToken, envClientToken)
	if clientToken == "" {
		return nil, usagef("%s is not set: it is your integration's client token from Mews (or pass --client-token)", envClientToken)
	}
	if err := checkToken(a.cfg.clientToken, envClientToken, clientToken); err != nil {
		return nil, err
	}
	cmClientToken := a.setting(a.cfg.cmClientToken, envCMClientToken)
	if cmClientToken == "" {
		cmClientToken = clientToken
	} else if err := checkToken(a.cfg.cmClientToken, envCMClientToken, cmClientToken); err != nil {
		return nil, err
	}
	clientName := a.setting(a.cfg.clientName, envClientName)
	if clientName == "" {
		clientName = "mews-go CLI " + mews.Version
	}
	client, err := mews.NewClient(
		mews.WithEnvironment(env),
		mews.WithClientToken(clientToken),
		mews.WithChannelManagerClientToken(cmClientToken),
		mews.WithClientName(clientName),
		mews.WithUserAgent("mews-cli/"+mews.Version),
	)
	if err != nil {
		return nil, usagef("%s: %s", envEnvironment, message(err))
	}
	return &session{client: client, close: func() {}}, nil
}

// openSandbox starts the embedded sandbox (or uses the one a test provided). Given
// credentials count there as they would on Mews, so a wrong one fails; the sandbox's
// own apply only where none is given. The variables count when MEWS_ENVIRONMENT says
// sandbox; when it names another environment (or none) they belong elsewhere, and
// --sandbox says on stderr which ones it ignores.
func (a *app) openSandbox() (*session, error) {
	var opts []mews.Option
	var ignored []string
	for _, v := range []struct {
		flagValue, variable string
		option              func(string) mews.Option
	}{
		{a.cfg.clientToken, envClientToken, mews.WithClientToken},
		{a.cfg.cmClientToken, envCMClientToken, mews.WithChannelManagerClientToken},
		{a.cfg.accessToken, envAccessToken, nil},
		{a.cfg.connectionToken, envConnectionToken, nil},
		{a.cfg.clientName, envClientName, mews.WithClientName},
	} {
		value, ignoredVariable := a.sandboxSetting(v.flagValue, v.variable)
		if ignoredVariable {
			ignored = append(ignored, v.variable)
		}
		if value == "" || v.option == nil {
			continue
		}
		if v.variable != envClientName {
			if err := checkToken(v.flagValue, v.variable, value); err != nil {
				return nil, err
			}
		}
		opts = append(opts, v.option(value))
		if v.variable == envClientToken && a.setting(a.cfg.cmClientToken, envCMClientToken) == "" {
			opts = append(opts, mews.WithChannelManagerClientToken(value)) // as on Mews
		}
	}
	if len(ignored) > 0 {
		env := strings.TrimSpace(a.getenv(envEnvironment))
		if env == "" {
			env = "not set"
		}
		fmt.Fprintf(a.stderr, "mews: the sandbox ignores %s (%s is %s); set %s=%s to use them there\n",
			strings.Join(ignored, ", "), envEnvironment, env, envEnvironment, environmentSandbox)
	}
	srv, closeSrv := a.sandbox, func() {}
	if srv == nil {
		srv = mewstest.NewServer(mewstest.WithInProcess())
		closeSrv = srv.Close
	}
	client, err := srv.NewClient(opts...)
	if err != nil {
		closeSrv()
		return nil, err
	}
	return &session{client: client, sandbox: srv, close: closeSrv}, nil
}

// sandboxSetting is a setting in the sandbox: the flag, else the variable when
// MEWS_ENVIRONMENT is sandbox. ignored reports a variable that is set but belongs to
// another environment.
func (a *app) sandboxSetting(flagValue, variable string) (value string, ignored bool) {
	if v := strings.TrimSpace(flagValue); v != "" {
		return v, false
	}
	v := strings.TrimSpace(a.getenv(variable))
	if v == "" {
		return "", false
	}
	if strings.EqualFold(strings.TrimSpace(a.getenv(envEnvironment)), environmentSandbox) {
		return v, false
	}
	return "", true
}

// token returns a hotel token: the flag, else the variable. In the sandbox, a variable
// counts only when MEWS_ENVIRONMENT is sandbox, and the seeded token stands in when
// none is given. A missing token is a usage error naming the variable.
func (s *session) token(a *app, flagValue, variable, seeded, what string) (string, error) {
	if s.sandbox != nil {
		v, _ := a.sandboxSetting(flagValue, variable)
		if v == "" {
			return seeded, nil
		}
		return v, checkToken(flagValue, variable, v)
	}
	v := a.setting(flagValue, variable)
	if v == "" {
		return "", usagef("%s is not set: it is %s (or pass %s)", variable, what, flagFor(variable))
	}
	return v, checkToken(flagValue, variable, v)
}

// flagFor names the flag that overrides a variable: MEWS_ACCESS_TOKEN → --access-token.
func flagFor(variable string) string {
	return "--" + strings.ToLower(strings.ReplaceAll(strings.TrimPrefix(variable, "MEWS_"), "_", "-"))
}

// checkToken refuses a malformed token before anything is sent (exit 2), naming where
// it came from, the flag when it was given or else the variable, and never the token.
func checkToken(flagValue, variable, token string) error {
	_, err := mews.NewToken(token)
	if err == nil {
		return nil
	}
	source := variable
	if strings.TrimSpace(flagValue) != "" {
		source = flagFor(variable)
	}
	var ie *mews.InputError
	if errors.As(err, &ie) {
		return &mews.InputError{Field: source, Reason: ie.Reason}
	}
	return fmt.Errorf("%s: %w", source, err)
}

// connector opens the session and the Connector handle of the configured access token.
func (a *app) connector() (*session, *mews.Connector, error) {
	s, err := a.open()
	if err != nil {
		return nil, nil, err
	}
	tok, err := s.token(a, a.cfg.accessToken, envAccessToken, mewstest.AccessToken, "the hotel's Connector access token")
	if err != nil {
		s.close()
		return nil, nil, err
	}
	conn, err := s.client.Connector(tok)
	if err != nil {
		s.close()
		return nil, nil, err
	}
	return s, conn, nil
}

// withConnector runs fn with the Connector handle, closing the session afterwards.
func (a *app) withConnector(fn func(conn *mews.Connector) error) error {
	s, conn, err := a.connector()
	if err != nil {
		return err
	}
	defer s.close()
	return fn(conn)
}

// help prints the overview, or one command's flags (mews help reservations list).
func (a *app) help(ctx context.Context, args []string) error {
	if len(args) == 0 {
		a.usage(a.stdout)
		return nil
	}
	topic := strings.Join(args, " ")
	for _, c := range commands() {
		if c.name == topic && c.name != "help" {
			return c.run(a, ctx, []string{"-h"})
		}
	}
	if len(subcommands(topic)) > 0 { // a group: mews help pins
		for _, c := range commands() {
			if strings.HasPrefix(c.name, topic+" ") {
				writeEntry(a.stdout, c)
			}
		}
		return nil
	}
	return usagef("help: unknown command %q", topic)
}

// writeEntry writes a command's synopsis and what it does, as the overview lists it.
func writeEntry(w io.Writer, c command) {
	fmt.Fprintf(w, "  mews %s\n      %s\n", strings.TrimSpace(c.name+" "+c.synopsis), strings.ReplaceAll(c.about, "\n", "\n      "))
}

// usage writes the overview of commands, configuration and exit codes.
func (a *app) usage(w io.Writer) {
	fmt.Fprintf(w, "mews %s: the Mews Connector and Channel Manager APIs from a shell.\n\nUsage: mews [configuration flags] COMMAND [flags]\n\nCommands:\n", mews.Version)
	for _, c := range commands() {
		writeEntry(w, c)
	}
	fmt.Fprint(w, usageText)
	fmt.Fprint(w, "\nExit codes:\n")
	for _, e := range exitCodes {
		fmt.Fprintf(w, "  %d  %s\n", e.code, e.meaning)
	}
	fmt.Fprint(w, usageExamples)
}

const usageText = `
Configuration (environment variables; each flag overrides its variable):
  MEWS_ENVIRONMENT      --environment       demo, production, sandbox, or a base URL
                                            (https://...; plain http:// only on loopback)
  MEWS_CLIENT_TOKEN     --client-token      your integration's client token
  MEWS_CHANNEL_MANAGER_CLIENT_TOKEN         the Channel Manager clientToken, when it differs
                        --channel-manager-client-token     from MEWS_CLIENT_TOKEN
  MEWS_ACCESS_TOKEN     --access-token      a hotel's Connector access token
  MEWS_CONNECTION_TOKEN --connection-token  a Channel Manager connection token
  MEWS_CLIENT_NAME      --client-name       the name Mews sees, e.g. "Acme Doors 2.1.0"
                                            (default "mews-go CLI VERSION")
  --sandbox             same as MEWS_ENVIRONMENT=sandbox: an embedded fake Mews with one
                        seeded hotel, inside this process, that forgets every change when the
                        command ends. Given tokens count there as on Mews (a wrong one fails);
                        its own apply where none is given. The variables count only with
                        MEWS_ENVIRONMENT=sandbox; --sandbox names those it ignores on stderr.

Tokens are never printed. Prefer the variables to the token flags, which other users of
the machine can see in the process list.

Times: give them as yyyy-mm-dd (midnight UTC) or RFC 3339 (2026-01-31T14:00:00Z).
Tables show times in the hotel's time zone (configuration/get), labelled (CET);
--json lines keep Mews' UTC times.
`

const usageExamples = `
Examples:
  mews demo
  MEWS_ENVIRONMENT=demo MEWS_CLIENT_TOKEN=... MEWS_ACCESS_TOKEN=... mews check
  mews --sandbox reservations list --from 2026-01-01 --to 2027-01-01 --json
`

// quoteArgument shows a stray argument in a usage error unless it could be part of a
// token: a token pasted with a space in it leaves its second half as an argument, and
// that half must not reach the terminal or a CI log.
func quoteArgument(arg string) string {
	if len(arg) >= 16 {
		return "(not shown: it may be part of a token; quote values that contain spaces)"
	}
	return strconv.Quote(arg)
}
