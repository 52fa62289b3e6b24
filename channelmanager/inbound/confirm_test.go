package inbound_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/channelmanager/internal/chmtest"
	"github.com/mewskit/mews-go/mewstest"
)

// asyncReceiver accepts every inventory push with Async and hands it to a worker
// that confirms it later, as a queue-based channel manager does.
type asyncReceiver struct {
	fakeReceiver
	pushes chan inbound.Push
}

func (a *asyncReceiver) UpdatePrices(_ context.Context, r *inbound.PricesUpdate) (inbound.Reply, error) {
	a.pushes <- r
	return inbound.Async, nil
}

func (a *asyncReceiver) ProcessGroup(_ context.Context, r *inbound.GroupPush) error {
	a.pushes <- r
	return nil
}

func TestConfirm_AsyncAcceptanceIsFollowedByAConfirmationThatReachesMews(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		recv := &asyncReceiver{pushes: make(chan inbound.Push, 1)}
		srv, ep, _ := setup(t, recv)
		cm := openConnection(t, srv)
		var body map[string]any
		_ = json.Unmarshal(chmtest.Read(t, "updatePrices.json"), &body)
		delete(body, "responseUrl") // let mewstest give its own, as Mews gives its own
		delete(body, "messageId")

		d := push(t, ep, "updatePrices", body)
		if !d.Accepted || !d.Async {
			t.Fatalf("delivery = %+v, want accepted with asyncConfirmation", d)
		}
		rejected := inbound.RateError("FF", "Rate FF is not sold in the channel manager.")
		if err := inbound.Confirm(t.Context(), cm, <-recv.pushes, channelmanager.Confirmation{Errors: []mews.ErrorDetail{rejected}}); err != nil {
			t.Fatalf("Confirm: %v", err)
		}

		got := ep.Confirmations()
		want := []mewstest.Confirmation{{Operation: "processRateConfirmation", RelatedMessageID: d.MessageID,
			Errors: []mews.ErrorDetail{rejected}, Status: 200}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("confirmations at Mews (-want +got):\n%s", diff)
		}
	})
}

func TestConfirm_GroupConfirmationCarriesTheCodes(t *testing.T) {
	recv := &asyncReceiver{pushes: make(chan inbound.Push, 1)}
	srv, ep, _ := setup(t, recv)
	cm := openConnection(t, srv)
	d := push(t, ep, "processGroup", chmtest.Read(t, "processGroup.json"))
	if !d.Accepted {
		t.Fatalf("delivery = %+v, want accepted", d)
	}
	out := channelmanager.Confirmation{Success: true, Code: "G-1", Reservations: []channelmanager.ReservationConfirmation{
		{Code: "R-1", ConfirmationNumber: "Mews456"}, {Code: "R-3", ConfirmationNumber: "Mews457"}}}
	if err := inbound.Confirm(t.Context(), cm, <-recv.pushes, out); err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	// The example's responseUrl is on api.mews-demo.com, not on the client's platform:
	// the confirmation goes to the platform's own path instead, with the same content.
	got := ep.Confirmations()
	if len(got) != 1 || got[0].Operation != "processGroupConfirmation" || !got[0].Success || got[0].Code != "G-1" ||
		len(got[0].Reservations) != 2 || got[0].Reservations[1].Code != "R-3" {
		t.Errorf("confirmations at Mews = %+v", got)
	}
	for _, r := range srv.RequestsFor("processGroupConfirmation") {
		if strings.Contains(string(r.Body), "mews-demo") {
			t.Errorf("confirmation body mentions the foreign responseUrl: %s", r.RedactedBody())
		}
	}
}

func TestConfirm_RefusesIncompleteConfirmationsBeforeSending(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	cm := openConnection(t, srv)
	conn := connection(t)
	block := &inbound.AvailabilityBlockPush{ConnectionToken: conn}
	block.MessageID = "m1"
	block.AvailabilityBlock.ConfirmationNumber = "2"
	success := channelmanager.Confirmation{Success: true}
	other, err := mews.NewToken(mewstest.DeactivatedConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		push inbound.Push
		out  channelmanager.Confirmation
	}{
		"no message id":               {&inbound.AvailabilityUpdate{Message: inbound.Message{ConnectionToken: conn}}, success},
		"block without its code":      {block, success},
		"error without a code":        {&inbound.RestrictionsUpdate{Message: inbound.Message{ConnectionToken: conn, MessageID: "m2"}}, channelmanager.Confirmation{Errors: []mews.ErrorDetail{{Message: "?"}}}},
		"neither success nor errors":  {&inbound.PricesUpdate{Message: inbound.Message{ConnectionToken: conn, MessageID: "m4"}}, channelmanager.Confirmation{}},
		"another message id":          {&inbound.PricesUpdate{Message: inbound.Message{ConnectionToken: conn, MessageID: "m5"}}, channelmanager.Confirmation{Success: true, RelatedMessageID: "m6"}},
		"another block number":        {block, channelmanager.Confirmation{Success: true, Code: "B", ConfirmationNumber: "3"}},
		"a group field on prices":     {&inbound.PricesUpdate{Message: inbound.Message{ConnectionToken: conn, MessageID: "m7"}}, channelmanager.Confirmation{Success: true, Code: "G"}},
		"another connection's handle": {&inbound.PricesUpdate{Message: inbound.Message{ConnectionToken: other, MessageID: "m8"}}, success},
		"nil push":                    {nil, success},
		"typed nil push":              {(*inbound.PricesUpdate)(nil), success},
		"bare message":                {&inbound.Message{ConnectionToken: conn, MessageID: "m3"}, success},
	} {
		if err := inbound.Confirm(t.Context(), cm, tc.push, tc.out); !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests reached Mews, want 0", n)
	}
}

func TestConfirm_RefusesANilHandle(t *testing.T) {
	p := &inbound.PricesUpdate{Message: inbound.Message{ConnectionToken: connection(t), MessageID: "m1"}}
	if err := inbound.Confirm(t.Context(), nil, p, channelmanager.Confirmation{Success: true}); !errors.Is(err, mews.ErrInvalidInput) {
		t.Errorf("err = %v, want ErrInvalidInput", err)
	}
}

// openConnection returns the handle of the connection mewstest's pushes carry.
func openConnection(t *testing.T, srv *mewstest.Server) *mews.ChannelManager {
	t.Helper()
	client, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	cm, err := client.ChannelManager(mewstest.ConnectionToken)
	if err != nil {
		t.Fatal(err)
	}
	return cm
}
