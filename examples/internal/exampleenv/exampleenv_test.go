package exampleenv_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

func TestRun_ReturnsTheExitCodeInsteadOfExiting(t *testing.T) {
	for _, tc := range []struct {
		name   string
		env    map[string]string
		fnErr  error
		code   int
		stderr string
	}{
		{"success on the sandbox", nil, nil, 0, ""},
		{"the example fails", nil, errors.New("no arrivals"), 1, "quickstart: no arrivals\n"},
		{"configuration missing", map[string]string{exampleenv.VarEnvironment: "demo"}, nil, 1, "quickstart: MEWS_CLIENT_TOKEN is not set"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			ran := false
			code := exampleenv.Run("quickstart", time.Minute, func(k string) string { return tc.env[k] }, &stderr,
				func(_ context.Context, env *exampleenv.Env) error {
					ran = true
					if env.Sandbox == nil || env.AccessToken != mewstest.AccessToken {
						t.Errorf("the example did not get the sandbox: %+v", env)
					}
					return tc.fnErr
				})
			if code != tc.code || !strings.HasPrefix(stderr.String(), tc.stderr) || (tc.stderr == "") != (stderr.Len() == 0) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr.String(), tc.code, tc.stderr)
			}
			if ran != (tc.env == nil) {
				t.Errorf("the example ran: %t", ran)
			}
		})
	}
}

func TestOpen_ReadsTheChannelManagerClientTokenLikeTheMewsCommand(t *testing.T) {
	srv := mewstest.NewServer() // on a loopback port: MEWS_ENVIRONMENT is its URL
	t.Cleanup(srv.Close)
	vars := map[string]string{
		exampleenv.VarEnvironment: srv.URL, exampleenv.VarClientToken: mewstest.ClientToken,
		exampleenv.VarCMClientToken: mewstest.ChannelManagerClientToken, exampleenv.VarConnectionToken: mewstest.ConnectionToken,
	}
	env, err := exampleenv.Open(func(k string) string { return vars[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	cm, err := env.Client.ChannelManager(env.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	res, err := connection.ValidateChannelManager(t.Context(), cm)
	if err != nil || res.Status != connection.Connected {
		t.Errorf("the Channel Manager check: %v %v, want Connected", res.Status, err)
	}
}

func TestOpen_TheSandboxCountsTheGivenTokens(t *testing.T) {
	const unknown = "unknown-access-token-0000000000"
	for _, tc := range []struct {
		name string
		vars map[string]string
		want connection.Status
	}{
		{"an unknown access token", map[string]string{exampleenv.VarEnvironment: "sandbox", exampleenv.VarAccessToken: unknown}, connection.Broken},
		{"an unknown client token", map[string]string{exampleenv.VarEnvironment: "sandbox", exampleenv.VarClientToken: unknown}, connection.Broken},
		{"none given: the seeded ones", map[string]string{exampleenv.VarEnvironment: "sandbox"}, connection.Connected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr strings.Builder
			env, err := exampleenv.Open(func(k string) string { return tc.vars[k] }, &stderr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(env.Close)
			hotel, err := env.Client.Connector(env.AccessToken)
			if err != nil {
				t.Fatal(err)
			}
			res, err := connection.Validate(t.Context(), hotel)
			if err != nil || res.Status != tc.want {
				t.Errorf("Validate: %v %v, want %v", res.Status, err, tc.want)
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q, want nothing", stderr.String())
			}
		})
	}
}

func TestOpen_AGarbledTokenInTheSandboxIsRefusedNamingItsVariable(t *testing.T) {
	vars := map[string]string{exampleenv.VarEnvironment: "sandbox", exampleenv.VarAccessToken: "bad token"}
	_, err := exampleenv.Open(func(k string) string { return vars[k] }, io.Discard)
	if err == nil || !strings.HasPrefix(err.Error(), "MEWS_ACCESS_TOKEN contains whitespace") {
		t.Errorf("err = %v, want MEWS_ACCESS_TOKEN named", err)
	}
}

func TestOpen_WithoutAnEnvironmentTheSandboxSaysWhichVariablesItIgnores(t *testing.T) {
	vars := map[string]string{exampleenv.VarAccessToken: "real-demo-access-token-000000", exampleenv.VarClientToken: "real-demo-client-token-000000"}
	var stderr strings.Builder
	env, err := exampleenv.Open(func(k string) string { return vars[k] }, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if env.Sandbox == nil || env.AccessToken != mewstest.AccessToken {
		t.Errorf("want the sandbox with its own token")
	}
	if !strings.Contains(stderr.String(), "ignores MEWS_CLIENT_TOKEN, MEWS_ACCESS_TOKEN because MEWS_ENVIRONMENT is not set") {
		t.Errorf("stderr = %q, want the ignored variables named", stderr.String())
	}
}
