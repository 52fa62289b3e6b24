package connection_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

func TestValidateConnectorTokenIsConnectedWithItsEnterprise(t *testing.T) {
	_, client := newServer(t)
	res, err := validate(t.Context(), client, connector(t, "  "+mewstest.AccessToken+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := connection.Result{Status: connection.Connected, Enterprise: connection.Enterprise{ID: mewstest.EnterpriseID, Name: mewstest.EnterpriseName}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestValidateChannelManagerConnectionIsConnectedWithItsProperty(t *testing.T) {
	_, client := newServer(t)
	creds, err := connection.ChannelManagerCredentials(mewstest.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	res, err := validate(t.Context(), client, creds)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(connection.Result{Status: connection.Connected, Property: mewstest.PropertyName}, res); diff != "" {
		t.Errorf("Validate (-want +got):\n%s", diff)
	}
}

func TestValidateRejectedCredentialsAreBrokenWithTheSentinel(t *testing.T) {
	tests := []struct {
		name  string
		creds func(*mewstest.Server) connection.Credentials
		want  error
	}{
		{"revoked access token", func(s *mewstest.Server) connection.Credentials {
			tok := s.AddAccessToken(mewstest.EnterpriseID)
			s.Revoke(tok)
			return connection.Credentials{API: mews.ConnectorAPI, Token: mustToken(t, tok)}
		}, mews.ErrInvalidAuthentication},
		{"unknown access token", func(*mewstest.Server) connection.Credentials {
			return connection.Credentials{API: mews.ConnectorAPI, Token: mustToken(t, "NOT-A-REAL-TOKEN")}
		}, mews.ErrInvalidAuthentication},
		{"revoked connection token (code 8)", func(s *mewstest.Server) connection.Credentials {
			tok := s.AddConnection(mewstest.PropertyID)
			s.Revoke(tok)
			return connection.Credentials{API: mews.ChannelManagerAPI, Token: mustToken(t, tok)}
		}, mews.ErrInvalidAuthentication},
		{"deactivated connection (code 3)", func(*mewstest.Server) connection.Credentials {
			return connection.Credentials{API: mews.ChannelManagerAPI, Token: mustToken(t, mewstest.DeactivatedConnectionToken)}
		}, mews.ErrConnectionNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, client := newServer(t)
			res, err := validate(t.Context(), client, tt.creds(srv))
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != connection.Broken || !errors.Is(res.Reason, tt.want) {
				t.Errorf("Validate = %v (%v), want Broken matching %v", res.Status, res.Reason, tt.want)
			}
		})
	}
}

func TestValidateTransientFailuresAreUndecided(t *testing.T) {
	tests := []struct {
		name  string
		fault mewstest.Fault
		want  error // nil: any error
	}{
		{"rate limited", mewstest.Fault{Status: http.StatusTooManyRequests, RetryAfter: "1"}, mews.ErrRateLimited},
		{"server timeout", mewstest.Fault{Status: http.StatusRequestTimeout}, mews.ErrTimeout},
		{"internal error", mewstest.Fault{Status: http.StatusInternalServerError}, mews.ErrSystem},
		{"unavailable", mewstest.Fault{Status: http.StatusServiceUnavailable}, mews.ErrSystem},
		{"connection refused", mewstest.Fault{Refuse: true}, nil},
		{"connection reset", mewstest.Fault{ResetBeforeProcessing: true}, nil},
		{"HTML from a proxy", mewstest.Fault{HTML: true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, client := newServer(t)
				tt.fault.Operation, tt.fault.Times = "configuration/get", -1
				srv.InjectFault(tt.fault)
				res, err := validate(t.Context(), client, connector(t, mewstest.AccessToken))
				if err != nil {
					t.Fatal(err)
				}
				if !res.Undecided() || res.Reason == nil {
					t.Fatalf("Validate = %v (%v), want undecided with an error", res.Status, res.Reason)
				}
				if tt.want != nil && !errors.Is(res.Reason, tt.want) {
					t.Errorf("Reason = %v, want %v", res.Reason, tt.want)
				}
			})
		})
	}
}

func TestValidateCanceledContextIsUndecided(t *testing.T) {
	_, client := newServer(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	res, err := validate(ctx, client, connector(t, mewstest.AccessToken))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Undecided() || !errors.Is(res.Reason, context.Canceled) {
		t.Errorf("Validate = %v (%v), want undecided with context.Canceled", res.Status, res.Reason)
	}
}

func TestValidateRejectsUnusableInputBeforeSending(t *testing.T) {
	srv, client := newServer(t)
	for name, call := range map[string]func() (connection.Result, error){
		"nil Connector handle":      func() (connection.Result, error) { return connection.Validate(t.Context(), nil) },
		"nil ChannelManager handle": func() (connection.Result, error) { return connection.ValidateChannelManager(t.Context(), nil) },
		"zero token": func() (connection.Result, error) {
			return validate(t.Context(), client, connection.Credentials{API: mews.ConnectorAPI})
		},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := call(); !errors.Is(err, mews.ErrInvalidInput) {
				t.Errorf("err = %v, want ErrInvalidInput", err)
			}
		})
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestConnectorCredentialsRejectsAnEmptyPaste(t *testing.T) {
	_, err := connection.ConnectorCredentials(" \n")
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

func mustToken(t *testing.T, raw string) mews.Token {
	t.Helper()
	tok, err := mews.NewToken(raw)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestValidateWithAClientLackingTheClientTokenIsAnErrorNotUndecided(t *testing.T) {
	srv, _ := newServer(t)
	client, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(mewstest.ClientToken), mews.WithTransport(srv.Transport()))
	if err != nil {
		t.Fatal(err)
	}
	creds, err := connection.ChannelManagerCredentials(mewstest.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	res, err := validate(t.Context(), client, creds)
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("Validate = %v (%v), %v; want ErrInvalidInput: no retry fixes a missing client token", res.Status, res.Reason, err)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}
