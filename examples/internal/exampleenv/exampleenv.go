package exampleenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// Env is where an example runs.
type Env struct {
	// Client talks to Mews or to the sandbox.
	Client *mews.Client
	// Sandbox is the embedded fake Mews, or nil on real Mews.
	Sandbox *mewstest.Server
	// AccessToken and ConnectionToken are the hotel's tokens ("" when not configured).
	AccessToken, ConnectionToken string
	// EmployeeEmail is a verified employee of the property, for getProperties.
	EmployeeEmail string
	// Now is the current time: the clock on Mews, the seeded "today" in the sandbox.
	Now func() time.Time
	// Close releases the sandbox, if any.
	Close func()
}

// The variables the examples read; they mean what they mean for the mews command.
const (
	VarEnvironment     = "MEWS_ENVIRONMENT"
	VarClientToken     = "MEWS_CLIENT_TOKEN"
	VarCMClientToken   = "MEWS_CHANNEL_MANAGER_CLIENT_TOKEN" // when it differs from MEWS_CLIENT_TOKEN
	VarAccessToken     = "MEWS_ACCESS_TOKEN"
	VarConnectionToken = "MEWS_CONNECTION_TOKEN"
	VarClientName      = "MEWS_CLIENT_NAME"
	VarEmployeeEmail   = "MEWS_EMPLOYEE_EMAIL"
)

// Open returns the sandbox when MEWS_ENVIRONMENT is unset or "sandbox", and real Mews
// ("demo", "production" or a base URL) otherwise. With MEWS_ENVIRONMENT=sandbox, the
// tokens and client name given in the variables count as they would on Mews (a wrong
// one fails) and the sandbox's own stand in for those not given. With it unset, the
// variables are meant for another environment: the sandbox ignores them, and Open says
// which on stderr.
func Open(getenv func(string) string, stderr io.Writer) (*Env, error) {
	name := strings.TrimSpace(getenv(VarEnvironment))
	var env mews.Environment
	switch strings.ToLower(name) {
	case "", "sandbox":
		srv := mewstest.NewServer(mewstest.WithInProcess())
		env, err := sandbox(srv, getenv, name != "", stderr)
		if err != nil {
			srv.Close()
			return nil, err
		}
		env.Close = srv.Close
		return env, nil
	case "demo":
		env = mews.Demo()
	case "production":
		env = mews.Production()
	default:
		env = mews.CustomEnvironment(name)
	}
	clientName := getenv(VarClientName)
	if clientName == "" {
		clientName = "mews-go example " + mews.Version
	}
	clientToken := getenv(VarClientToken)
	if clientToken == "" {
		return nil, errors.New(VarClientToken + " is not set (or unset " + VarEnvironment + " to use the embedded sandbox)")
	}
	cmClientToken := getenv(VarCMClientToken)
	if strings.TrimSpace(cmClientToken) == "" {
		cmClientToken = clientToken
	}
	client, err := mews.NewClient(mews.WithEnvironment(env), mews.WithClientName(clientName),
		mews.WithClientToken(clientToken), mews.WithChannelManagerClientToken(cmClientToken))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", VarEnvironment, err)
	}
	return &Env{
		Client:          client,
		AccessToken:     getenv(VarAccessToken),
		ConnectionToken: getenv(VarConnectionToken),
		EmployeeEmail:   getenv(VarEmployeeEmail),
		Now:             time.Now,
		Close:           func() {},
	}, nil
}

// sandbox returns the Env of a mewstest server, whose clock is mewstest.SeedEpoch()
// (the seeded reservations are built around it). With useVariables, the credentials
// set in the variables replace the seeded ones; without, the variables that are set
// are named on stderr as ignored.
func sandbox(srv *mewstest.Server, getenv func(string) string, useVariables bool, stderr io.Writer) (*Env, error) {
	env := &Env{
		Sandbox:         srv,
		AccessToken:     mewstest.AccessToken,
		ConnectionToken: mewstest.ConnectionToken,
		EmployeeEmail:   mewstest.EmployeeEmail,
		Now:             mewstest.SeedEpoch,
		Close:           func() {},
	}
	var opts []mews.Option
	var ignored []string
	for _, v := range []struct {
		variable string
		use      func(string)
	}{
		{VarClientToken, func(t string) {
			opts = append(opts, mews.WithClientToken(t))
			if strings.TrimSpace(getenv(VarCMClientToken)) == "" {
				opts = append(opts, mews.WithChannelManagerClientToken(t)) // as on Mews
			}
		}},
		{VarCMClientToken, func(t string) { opts = append(opts, mews.WithChannelManagerClientToken(t)) }},
		{VarClientName, func(n string) { opts = append(opts, mews.WithClientName(n)) }},
		{VarAccessToken, func(t string) { env.AccessToken = t }},
		{VarConnectionToken, func(t string) { env.ConnectionToken = t }},
	} {
		value := strings.TrimSpace(getenv(v.variable))
		switch {
		case value == "":
		case useVariables:
			if v.variable != VarClientName {
				if _, err := mews.NewToken(value); err != nil {
					var ie *mews.InputError
					if errors.As(err, &ie) {
						return nil, errors.New(v.variable + " " + ie.Reason)
					}
					return nil, fmt.Errorf("%s: %w", v.variable, err)
				}
			}
			v.use(value)
		default:
			ignored = append(ignored, v.variable)
		}
	}
	if len(ignored) > 0 && stderr != nil {
		fmt.Fprintf(stderr, "the embedded sandbox ignores %s because %s is not set; set %s=demo (or production) to use them on Mews, or %s=sandbox to try them here\n",
			strings.Join(ignored, ", "), VarEnvironment, VarEnvironment, VarEnvironment)
	}
	client, err := srv.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	env.Client = client
	return env, nil
}

// ForTest returns the sandbox Env for an example's test; the sandbox closes when the
// test ends.
func ForTest(t testing.TB) *Env {
	t.Helper()
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	env, err := sandbox(srv, func(string) string { return "" }, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// Output runs an example's run function on a fresh sandbox, failing the test when it
// fails, and returns the sandbox and what run wrote.
func Output(t testing.TB, run func(ctx context.Context, env *Env, out io.Writer) error) (*mewstest.Server, string) {
	t.Helper()
	env := ForTest(t)
	var out strings.Builder
	if err := run(t.Context(), env, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	return env.Sandbox, out.String()
}

// Run runs an example's fn with a deadline on the Env that getenv describes and returns
// the process's exit code: 0, or 1 after writing the error to stderr. The example's main
// passes it to os.Exit, the only place that exits.
func Run(name string, timeout time.Duration, getenv func(string) string, stderr io.Writer, fn func(ctx context.Context, env *Env) error) int {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	env, err := Open(getenv, stderr)
	if err == nil {
		err = fn(ctx, env)
		env.Close()
	}
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", name, err)
		return 1
	}
	return 0
}

// Require returns an error naming the variable when value is empty.
func Require(value, variable string) error {
	if strings.TrimSpace(value) == "" {
		return errors.New(variable + " is not set")
	}
	return nil
}
