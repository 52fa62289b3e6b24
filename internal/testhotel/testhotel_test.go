package testhotel_test

import (
	"encoding/json"
	"fmt"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/testhotel"
	"github.com/mewskit/mews-go/mewstest"
)

func TestNew_ConnectsToItsOwnSeededHotel(t *testing.T) {
	srv, conn := testhotel.New(t)
	var out struct {
		Enterprise struct{ ID string } `json:"Enterprise"`
	}
	if err := conn.CallConnector(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, struct{}{}, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.RequestsFor("configuration/get")); n != 1 {
		t.Errorf("the server saw %d configuration/get requests, want 1", n)
	}
}

func TestNewFor_SendsTheGivenToken(t *testing.T) {
	for _, tok := range []string{mewstest.AccessToken, mewstest.PortfolioAccessToken} {
		srv, conn := testhotel.NewFor(t, tok)
		if err := conn.CallConnector(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, struct{}{}, nil); err != nil {
			t.Fatalf("configuration/get: %v", err)
		}
		var sent struct{ AccessToken string }
		reqs := srv.RequestsFor("configuration/get")
		if len(reqs) != 1 {
			t.Fatalf("the server saw %d requests, want 1", len(reqs))
		}
		if err := json.Unmarshal(reqs[0].Body, &sent); err != nil {
			t.Fatal(err)
		}
		if sent.AccessToken != tok {
			t.Error("the Connector did not send the token it was given")
		}
	}
}

// recorder is a testing.TB that records failures instead of failing the test.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func TestRefusedBeforeSending(t *testing.T) {
	fieldErr := &mews.InputError{Field: "Value"}
	for _, tc := range []struct {
		name  string
		send  bool
		field string
		errs  []error
		fails int
	}{
		{"input error naming the field, nothing sent", false, "Value", []error{fieldErr, fieldErr}, 0},
		{"any input error, nothing sent", false, "", []error{fieldErr}, 0},
		{"input error naming another field", false, "Type", []error{fieldErr}, 1},
		{"no error", false, "", []error{nil}, 1},
		{"a request was sent", true, "Value", []error{fieldErr}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, conn := testhotel.New(t)
			if tc.send {
				if err := conn.CallConnector(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, struct{}{}, nil); err != nil {
					t.Fatal(err)
				}
			}
			rec := &recorder{TB: t}
			testhotel.RefusedBeforeSending(rec, srv, tc.field, tc.errs...)
			if len(rec.failures) != tc.fails {
				t.Errorf("failures = %q, want %d", rec.failures, tc.fails)
			}
		})
	}
}
