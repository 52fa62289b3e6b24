package mewstest_test

import (
	"strings"
	"testing"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/mewstest"
)

func TestRedactedBodyHidesEveryCredential(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	srv.HandleConnector("echo/get", func(*mewstest.Request) (any, error) { return struct{}{}, nil })
	srv.HandleChannelManager("echo", func(*mewstest.Request) (any, error) { return nil, nil })
	client, _ := srv.NewClient()
	hotel, _ := client.Connector(mewstest.AccessToken)
	conn, _ := client.ChannelManager(mewstest.ConnectionToken)
	if err := hotel.CallConnector(t.Context(), mews.Operation{Name: "echo/get"}, map[string]string{"Note": "kept"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := conn.CallChannelManager(t.Context(), mews.Operation{Name: "echo"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		got := r.RedactedBody()
		leakscan.Check(t, r.Operation+": RedactedBody", got, mewstest.ClientToken, mewstest.AccessToken, mewstest.ChannelManagerClientToken, mewstest.ConnectionToken)
		if !strings.Contains(got, "[redacted]") {
			t.Errorf("%s: RedactedBody = %s, want the credentials marked", r.Operation, got)
		}
	}
	if got := srv.RequestsFor("echo/get")[0].RedactedBody(); !strings.Contains(got, `"Note":"kept"`) || !strings.Contains(got, `"Client":"`+mewstest.ClientName+`"`) {
		t.Errorf("RedactedBody = %s, want the other fields kept", got)
	}
}
