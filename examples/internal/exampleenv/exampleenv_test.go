package exampleenv_test

import (
	"context"
	"errors"
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
	env, err := exampleenv.Open(func(k string) string { return vars[k] })
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
