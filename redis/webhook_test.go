package redis_test

import (
	"slices"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

const webhookSecret = "fleet-webhook-secret-7f3a9c2e5b8d41f6a0c3e9b7d2f5a8c1"

func TestWebhook_ReceivedByAnyReplicaReachesTheLeader(t *testing.T) {
	_, prefix := testRedis(t)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	tokens := hotels(srv, 5)
	tokens = append(tokens, mewstest.AccessToken) // hotel-5 is the seeded integration's
	a := startReplica(t, srv, prefix, "a", tokens, nil)
	b := startReplica(t, srv, prefix, "b", tokens, nil)
	eventually(t, 5*time.Second, "the replicas do not share the shards", func() bool { return balanced(a, b) && len(a.Leading()) == 3 })
	eventually(t, 5*time.Second, "hotels not stored Connected", allStored(t, a, len(tokens), connection.Connected))
	// The webhook reaches the replica that does not lead hotel-5.
	receiver := a
	if slices.Contains(a.Leading(), a.Shard(hotelKey(5))) {
		receiver = b
	}
	secret, err := mews.NewToken(webhookSecret)
	if err != nil {
		t.Fatal(err)
	}
	h, err := receiver.WebhookHandler(secret)
	if err != nil {
		t.Fatal(err)
	}
	ep := srv.NewEndpoint("https://portal.example/mews/integrations?Token="+webhookSecret, mewstest.WithEndpointHandler(h))

	send := func(ev mewstest.IntegrationEvent) {
		t.Helper()
		d, err := ep.SendIntegrationEvent(t.Context(), ev)
		if err != nil || d.Status != 204 {
			t.Fatalf("%s webhook: %v, status %d %s", ev.Action, err, d.Status, d.Body)
		}
	}
	// IntegrationCreated matches hotel-5 by its token and teaches this replica the id.
	send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationCreated, IntegrationID: mewstest.IntegrationID,
		EnterpriseID: mewstest.EnterpriseID, AccessToken: mewstest.AccessToken})
	send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationDisabled, IntegrationID: mewstest.IntegrationID})
	eventually(t, 3*time.Second, "the disabled integration is not stored Broken", func() bool {
		st, _ := stored(t, a, hotelKey(5))
		return st.Status == connection.Broken && st.Reason == connection.ErrIntegrationDisabled.Error() && st.Replica != receiver.Name()
	})
	send(mewstest.IntegrationEvent{Action: mewstest.ActionIntegrationEnabled, IntegrationID: mewstest.IntegrationID})
	eventually(t, 3*time.Second, "the enabled integration is not checked Connected again", func() bool {
		st, _ := stored(t, a, hotelKey(5))
		return st.Status == connection.Connected
	})
}
