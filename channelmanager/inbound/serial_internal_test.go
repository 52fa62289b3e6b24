package inbound

import (
	"context"
	"testing"
)

func TestSerializerHoldsNoConnectionToken(t *testing.T) {
	const token = "SERIAL-CONNECTION-TOKEN-7d3e1a9c"
	var s serializer
	release, err := s.acquire(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.slots) != 1 {
		t.Fatalf("%d slots, want 1", len(s.slots))
	}
	if _, raw := s.slots[token]; raw {
		t.Error("the serializer keys its map by the raw connection token")
	}
}
