package mewstest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go/mewstest"
)

// dialWebSocket opens the server's WebSocket on its loopback listener with the cookies.
func dialWebSocket(ctx context.Context, srv *mewstest.Server, clientToken, accessToken string) (*websocket.Conn, *http.Response, error) {
	h := http.Header{}
	h.Set("Cookie", "ClientToken="+clientToken+"; AccessToken="+accessToken)
	return websocket.Dial(ctx, "ws"+srv.URL[len("http"):]+mewstest.WebSocketPath, &websocket.DialOptions{HTTPHeader: h})
}

func TestTheWebSocketOnTheListenerChecksTheCookiesAndSendsReservationChanges(t *testing.T) {
	srv := mewstest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()

	srv.Revoke(mewstest.PortfolioAccessToken)
	for name, token := range map[string]string{"unknown": "not-a-token-at-all-0000000000000000", "revoked": mewstest.PortfolioAccessToken} {
		_, res, err := dialWebSocket(ctx, srv, mewstest.ClientToken, token)
		if err == nil || res == nil || res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s access token: err = %v, want the upgrade answered 401", name, err)
		}
	}

	conn, _, err := dialWebSocket(ctx, srv, mewstest.ClientToken, mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	start := time.Date(2026, 5, 1, 14, 0, 0, 0, time.UTC)
	added := srv.AddReservation(mewstest.Reservation{ScheduledStartUtc: start, ScheduledEndUtc: start.Add(45 * time.Hour)})
	_, msg, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Events []map[string]any }
	if err := json.Unmarshal(msg, &got); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"Type": "Reservation", "Id": added.ID, "State": "Confirmed", "StartUtc": "2026-05-01T14:00:00Z", "EndUtc": "2026-05-03T11:00:00Z"}}
	if diff := cmp.Diff(want, got.Events); diff != "" {
		t.Errorf("message (-want +got):\n%s", diff)
	}
	if n := srv.DropWebSockets(); n != 1 {
		t.Errorf("dropped %d sockets, want 1", n)
	}
	if _, _, err := conn.Read(ctx); err == nil {
		t.Error("the socket still reads after DropWebSockets")
	}
}
