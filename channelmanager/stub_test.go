package channelmanager_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
)

// stub answers every operation with a canned JSON document and records what it was
// asked, as a user's unit test stubs the handle.
type stub struct {
	answer string
	ops    []mews.Operation
}

func (s *stub) call(op mews.Operation, out any) error {
	s.ops = append(s.ops, op)
	if out == nil {
		return nil
	}
	return json.Unmarshal([]byte(s.answer), out)
}

func (s *stub) CallChannelManager(_ context.Context, op mews.Operation, _, out any) error {
	return s.call(op, out)
}

func (s *stub) CallChannelManagerClient(_ context.Context, op mews.Operation, _, out any) error {
	return s.call(op, out)
}

func TestOperationsRunOnAStubbedHandle(t *testing.T) {
	ctx := context.Background()
	s := &stub{answer: `{"properties":[{"id":"p1","name":"Hotel"}],"property":{"name":"Hotel"}}`}
	props, err := channelmanager.GetProperties(ctx, s, channelmanager.GetPropertiesParams{Email: "frontdesk@hotel.example"})
	if err != nil || len(props) != 1 || props[0].Name != "Hotel" {
		t.Errorf("GetProperties = %+v, %v", props, err)
	}
	cfg, err := channelmanager.GetConfiguration(ctx, s, channelmanager.ConfigurationExtent{})
	if err != nil || cfg.Property.Name != "Hotel" {
		t.Errorf("GetConfiguration = %+v, %v", cfg, err)
	}
	mappings := []channelmanager.InventoryMapping{{RatePlanCode: "FF", SpaceTypeCode: "DBL"}}
	if err := channelmanager.SetInventory(ctx, s, channelmanager.SetInventoryParams{Mappings: mappings}); err != nil {
		t.Errorf("SetInventory: %v", err)
	}
	g := channelmanager.CancelGroup("BDC-1", "CHM-1")
	if _, err := channelmanager.ProcessGroup(ctx, s, channelmanager.ProcessGroupParams{Group: g}); err != nil {
		t.Errorf("ProcessGroup: %v", err)
	}
	// A stub tells no environment: a confirmation goes to its default path, never to a
	// responseUrl it cannot check. (Pushes name no URL at all: the pipeline sends them
	// to the environment's PCI-proxy push URLs.)
	c := channelmanager.Confirmation{RelatedMessageID: "m1", Success: true, ResponseURL: "https://evil.example/processRateConfirmation"}
	if err := channelmanager.ConfirmPriceUpdate(ctx, s, c); err != nil {
		t.Errorf("ConfirmPriceUpdate: %v", err)
	}
	want := []mews.Operation{
		{Name: "getProperties", Safety: mews.Read},
		{Name: "getConfiguration", Safety: mews.Read},
		{Name: "setInventory", Safety: mews.IdempotentWrite, Supersedes: "setInventory"},
		{Name: "processGroup", Safety: mews.IdempotentWrite, Supersedes: "CHM-1"},
		{Name: "processRateConfirmation", Safety: mews.IdempotentWrite, Supersedes: "m1"},
	}
	if d := cmp.Diff(want, s.ops); d != "" {
		t.Errorf("operations sent (-want +got):\n%s", d)
	}
}

func TestOperationsRefuseANilHandle(t *testing.T) {
	ctx := context.Background()
	errs := map[string]error{
		"GetProperties": func() error {
			_, err := channelmanager.GetProperties(ctx, nil, channelmanager.GetPropertiesParams{Email: "a@b.c"})
			return err
		}(),
		"GetChannels": func() error { _, err := channelmanager.GetChannels(ctx, nil); return err }(),
		"GetConfiguration": func() error {
			_, err := channelmanager.GetConfiguration(ctx, nil, channelmanager.FullExtent())
			return err
		}(),
		"SetInventory":     channelmanager.SetInventory(ctx, nil, channelmanager.SetInventoryParams{DeleteAllMappings: true}),
		"RequestAriUpdate": channelmanager.RequestAriUpdate(ctx, nil, channelmanager.AriUpdateRequest{From: mews.NewDate(2025, 1, 1), To: mews.NewDate(2025, 1, 2)}),
		"ProcessGroup": func() error {
			_, err := channelmanager.ProcessGroup(ctx, nil, channelmanager.ProcessGroupParams{})
			return err
		}(),
		"ConfirmGroup": channelmanager.ConfirmGroup(ctx, nil, channelmanager.Confirmation{}),
	}
	for name, err := range errs {
		if _, ok := err.(*mews.InputError); !ok {
			t.Errorf("%s(nil handle) = %v, want *mews.InputError", name, err)
		}
	}
}
