package testhotel_test

import (
	"encoding/json"
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
	if err := conn.Do(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, struct{}{}, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.RequestsFor("configuration/get")); n != 1 {
		t.Errorf("the server saw %d configuration/get requests, want 1", n)
	}
}

func TestNewFor_SendsTheGivenToken(t *testing.T) {
	for _, tok := range []string{mewstest.AccessToken, mewstest.PortfolioAccessToken} {
		srv, conn := testhotel.NewFor(t, tok)
		if err := conn.Do(t.Context(), mews.Operation{Name: "configuration/get", Safety: mews.Read}, struct{}{}, nil); err != nil {
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
