package connection_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
)

func TestExportedTypesPrintReadably(t *testing.T) {
	at := time.Date(2026, 3, 1, 14, 5, 0, 0, time.UTC)
	reason := errors.New("mews: configuration/get: HTTP 401 Unauthorized")
	const token = "7E57C0DE0000000000000000FEEDBEEF-0000000000000000000000000000C0FFEE"
	tok, err := mews.NewToken(token)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		v    any
		want string
	}{
		{"event", connection.Event{Key: "hotel-42", Previous: connection.Connected, Status: connection.Broken, Reason: reason, Time: at},
			"hotel-42: Connected → Broken at 2026-03-01T14:05:00Z (mews: configuration/get: HTTP 401 Unauthorized)"},
		{"event without a reason", connection.Event{Key: "hotel-42", Previous: connection.Unknown, Status: connection.Connected, Time: at},
			"hotel-42: Unknown → Connected at 2026-03-01T14:05:00Z"},
		{"state", connection.State{Key: "hotel-42", API: mews.ConnectorAPI, Status: connection.Degraded, Reason: reason, Failures: 2,
			Enterprise: connection.Enterprise{ID: "e-1", Name: "Grand Hotel"}, Checked: at, Changed: at.Add(-time.Hour), Next: at.Add(5 * time.Minute)},
			"hotel-42 (connector, Grand Hotel): Degraded since 2026-03-01T13:05:00Z, 2 failures in a row, checked 2026-03-01T14:05:00Z, next 2026-03-01T14:10:00Z (mews: configuration/get: HTTP 401 Unauthorized)"},
		{"client fault", connection.ClientEvent{API: mews.ChannelManagerAPI, Misconfigured: true, Reason: reason, Rejected: 950, Watched: 1000, Time: at},
			"channelManager client token misconfigured at 2026-03-01T14:05:00Z: 950 of 1000 connections rejected (mews: configuration/get: HTTP 401 Unauthorized)"},
		{"client fault cleared", connection.ClientEvent{API: mews.ConnectorAPI, Time: at},
			"connector client token works again at 2026-03-01T14:05:00Z"},
		{"connected result", connection.Result{Status: connection.Connected, Enterprise: connection.Enterprise{ID: "e-1", Name: "Grand Hotel"}},
			"Connected: Grand Hotel (e-1)"},
		{"broken result", connection.Result{Status: connection.Broken, Reason: reason}, "Broken: mews: configuration/get: HTTP 401 Unauthorized"},
		{"stats", connection.Stats{Watched: 10, Connected: 7, Degraded: 1, Broken: 1, Unknown: 1, Checks: 99, CoalescedEvents: 2},
			"10 watched: 7 Connected, 1 Degraded, 1 Broken, 1 Unknown; 99 checks, 2 events coalesced"},
		{"credentials", connection.Credentials{API: mews.ConnectorAPI, Token: tok, IntegrationID: "i-7"},
			"connector credentials " + tok.String() + ", integration i-7"},
		{"integration event", connection.IntegrationEvent{Action: connection.IntegrationAPIKeyCreated, Integration: connection.Integration{ID: "i-7", Name: "Doors"}, APIKey: tok},
			"IntegrationApiKeyCreated: integration Doors (i-7)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, verb := range []string{"%v", "%+v", "%s"} {
				if got := fmt.Sprintf(verb, tc.v); got != tc.want {
					t.Errorf("%s:\n got %s\nwant %s", verb, got, tc.want)
				}
			}
		})
	}
}

func TestEventPrintsNoMonotonicClockReading(t *testing.T) {
	ev := connection.Event{Key: "hotel-42", Status: connection.Connected, Time: time.Now()}
	if got := fmt.Sprint(ev); strings.Contains(got, "m=+") || strings.Contains(got, "{") {
		t.Errorf("fmt.Sprint(ev) = %q, want no raw struct or monotonic reading", got)
	}
}
