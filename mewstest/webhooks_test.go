package mewstest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go/mewstest"
)

func TestIntegrationEventMarshalsMewsShapePerAction(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	integration := map[string]any{"Id": mewstest.IntegrationID, "Name": mewstest.IntegrationName}
	tests := []struct {
		ev   mewstest.IntegrationEvent
		want map[string]any
	}{
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID},
			map[string]any{"Integration": integration}},
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDeleted, IntegrationID: mewstest.IntegrationID, Time: at},
			map[string]any{"Integration": integration, "DeletedUtc": "2026-03-01T12:00:00Z"}},
		{mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationAPIKeyCreated, IntegrationID: mewstest.IntegrationID, APIKey: "NEW"},
			map[string]any{"Integration": integration, "ApiKey": "NEW"}},
		{mewstest.IntegrationEvent{
			Action: mewstest.ActionIntegrationCreated, IntegrationID: mewstest.IntegrationID, Time: at,
			EnterpriseID: mewstest.EnterpriseID, EnterpriseName: mewstest.EnterpriseName, AccessToken: mewstest.AccessToken,
		}, map[string]any{
			"Integration": integration, "Enterprise": map[string]any{"Id": mewstest.EnterpriseID, "Name": mewstest.EnterpriseName},
			"Service": nil, "Requestor": nil, "AccessToken": mewstest.AccessToken, "CreatedUtc": "2026-03-01T12:00:00Z", "IsEnabled": true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.ev.Action, func(t *testing.T) {
			b, err := json.Marshal(tt.ev)
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{"Action": tt.ev.Action, "Data": tt.want}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
		})
	}
}
