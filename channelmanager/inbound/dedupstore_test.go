package inbound_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// sharedStore is a DedupStore two Handlers share, as replicas share one in Redis.
type sharedStore struct {
	mu       sync.Mutex
	accepted map[string]inbound.Reply
	busy     map[string]bool
	fail     error
}

func newSharedStore() *sharedStore {
	return &sharedStore{accepted: map[string]inbound.Reply{}, busy: map[string]bool{}}
}

func (s *sharedStore) Begin(_ context.Context, id string) (inbound.DedupState, inbound.Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return inbound.DedupNew, inbound.Done, s.fail
	}
	if r, ok := s.accepted[id]; ok {
		return inbound.DedupAccepted, r, nil
	}
	if s.busy[id] {
		return inbound.DedupBusy, inbound.Done, nil
	}
	s.busy[id] = true
	return inbound.DedupNew, inbound.Done, nil
}

func (s *sharedStore) Finish(_ context.Context, id string, accepted bool, r inbound.Reply) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.busy, id)
	if accepted {
		s.accepted[id] = r
	}
	return nil
}

func TestHandler_RedeliveryToAnotherReplicaSharingTheStoreIsAppliedOnce(t *testing.T) {
	store := newSharedStore()
	recvA, recvB := &fakeReceiver{reply: inbound.Async}, &fakeReceiver{reply: inbound.Async}
	srv, epA, _ := setup(t, recvA, inbound.WithDedupStore(store))
	hB, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recvB, inbound.WithDedupStore(store))
	if err != nil {
		t.Fatal(err)
	}
	epB := srv.NewEndpoint(chmURL, mewstest.WithEndpointHandler(hB))

	first := push(t, epA, "updateRestrictions", chmtest.Read(t, "updateRestrictions.json"))
	again := push(t, epB, "updateRestrictions", chmtest.Read(t, "updateRestrictions.json"))

	if !first.Accepted || !again.Accepted || !again.Async {
		t.Fatalf("deliveries = %+v, %+v; want both accepted, the second with the first's async answer", first, again)
	}
	if a, b := len(recvA.got()), len(recvB.got()); a != 1 || b != 0 {
		t.Errorf("receivers called %d and %d times, want 1 and 0", a, b)
	}
}

func TestHandler_AFailingDedupStoreAnswersCode1WithoutProcessing(t *testing.T) {
	store := newSharedStore()
	store.fail = errors.New("store unreachable")
	recv := &fakeReceiver{}
	_, ep, _ := setup(t, recv, inbound.WithDedupStore(store))

	d := push(t, ep, "updateRestrictions", chmtest.Read(t, "updateRestrictions.json"))
	if d.Accepted || len(d.Errors) != 1 || d.Errors[0].Code != mews.CodeSystemError {
		t.Errorf("delivery = %+v, want refused with code 1 so Mews redelivers", d)
	}
	if n := len(recv.got()); n != 0 {
		t.Errorf("receiver called %d times, want 0 while the store cannot tell", n)
	}
}

func TestWithDedupStore_RefusesNil(t *testing.T) {
	_, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, &fakeReceiver{}, inbound.WithDedupStore(nil))
	if !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}
