package mews_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// priorityLimiter records the priority of every attempt.
type priorityLimiter struct {
	mu         sync.Mutex
	priorities []mews.Priority
}

func (l *priorityLimiter) Wait(_ context.Context, r mews.LimitRequest) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.priorities = append(l.priorities, r.Priority)
	return nil
}

func TestAHandleWithPriorityGivesItToEveryCall(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	srv.HandleChannelManager("getThing", func(*mewstest.Request) (any, error) { return nil, nil })
	lim := &priorityLimiter{}
	client, _ := srv.NewClient(mews.WithLimiter(lim))
	conn, err := client.ChannelManager(mewstest.ConnectionToken, mews.WithPriority(mews.PriorityHealthCheck))
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.CallChannelManager(t.Context(), mews.Operation{Name: "getThing"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if len(lim.priorities) != 1 || lim.priorities[0] != mews.PriorityHealthCheck {
		t.Errorf("priorities = %v, want one PriorityHealthCheck", lim.priorities)
	}
}

func TestRefusedHandleOptionsAreInputErrorsNamingTheOption(t *testing.T) {
	client, err := mews.NewClient(mews.WithClientToken(testClientToken), mews.WithChannelManagerClientToken(testCMClientToken))
	if err != nil {
		t.Fatal(err)
	}
	connector := func(opts ...mews.HandleOption) error {
		_, err := client.Connector(testAccessToken, opts...)
		return err
	}
	channelManager := func(opts ...mews.HandleOption) error {
		_, err := client.ChannelManager(testConnectionToken, opts...)
		return err
	}
	for _, tt := range []struct {
		name      string
		err       error
		wantField string
	}{
		{"language without culture", connector(mews.WithLanguage("en-US", "")), "WithLanguage"},
		{"language with a space", connector(mews.WithLanguage("en US", "en-US")), "WithLanguage"},
		{"language on a Channel Manager handle", channelManager(mews.WithLanguage("en-US", "en-US")), "WithLanguage"},
		{"unknown priority", connector(mews.WithPriority(mews.Priority(7))), "WithPriority"},
		{"nil option", channelManager(nil), "option"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var in *mews.InputError
			if !errors.As(tt.err, &in) || in.Field != tt.wantField || !errors.Is(tt.err, mews.ErrInvalidInput) {
				t.Fatalf("err = %v; want an *InputError with Field %q", tt.err, tt.wantField)
			}
		})
	}
}
