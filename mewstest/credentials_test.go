package mewstest_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/properties"
)

// Run with -race: Revoke, Restore and Deactivate change a credential while requests
// that use it are being authenticated.
func TestRevoke_WhileRequestsAreAuthenticated_IsRaceFree(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	t.Cleanup(srv.Close)
	client, err := srv.NewClient(mews.WithoutRateLimit(), mews.WithRetry(mews.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	conn, err := client.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	wg.Go(func() {
		for range 200 {
			properties.GetConfiguration(ctx, conn)
		}
	})
	wg.Go(func() {
		for range 200 {
			channelmanager.GetConfiguration(ctx, cm, channelmanager.ConfigurationExtent{})
		}
	})
	for range 200 {
		srv.Revoke(mewstest.AccessToken)
		srv.Revoke(mewstest.ConnectionToken)
		srv.Restore(mewstest.AccessToken)
		srv.Deactivate(mewstest.ConnectionToken)
		srv.Restore(mewstest.ConnectionToken)
	}
	wg.Wait()

	srv.Revoke(mewstest.AccessToken)
	if _, err := properties.GetConfiguration(ctx, conn); !errors.Is(err, mews.ErrInvalidAuthentication) {
		t.Errorf("configuration/get with a revoked token: %v, want ErrInvalidAuthentication", err)
	}
	srv.Deactivate(mewstest.ConnectionToken)
	if _, err := channelmanager.GetConfiguration(ctx, cm, channelmanager.ConfigurationExtent{}); !errors.Is(err, mews.ErrConnectionNotFound) {
		t.Errorf("getConfiguration with a deactivated connection: %v, want ErrConnectionNotFound", err)
	}
}
