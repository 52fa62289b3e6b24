package mewstest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/mewstest"
)

// call sends one Connector operation with a JSON body and decodes the answer into a map.
func call(t *testing.T, conn *mews.Connector, op string, in any) (map[string]any, error) {
	t.Helper()
	var out map[string]any
	err := conn.CallConnector(context.Background(), mews.Operation{Name: op, Safety: mews.Read}, in, &out)
	return out, err
}

func TestKeyCutterCommandsMoveThroughTheirStatesWithAnEventForEveryChange(t *testing.T) {
	srv := mewstest.NewServer()
	defer srv.Close()
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	ws, _, err := dialWebSocket(ctx, srv, mewstest.ClientToken, mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()

	devices, err := call(t, conn, "devices/getAll", struct{}{})
	if err != nil {
		t.Fatal(err)
	}
	wantDevices := []any{
		map[string]any{"Id": mewstest.KeyCutterID, "Name": "Front desk key cutter", "Type": "KeyCutter", "Identifier": nil},
		map[string]any{"Id": mewstest.PrinterID, "Name": "Front desk printer", "Type": "Printer", "Identifier": nil},
	}
	if diff := cmp.Diff(wantDevices, devices["Devices"]); diff != "" {
		t.Errorf("devices/getAll (-want +got):\n%s", diff)
	}

	var res mewstest.Reservation
	for _, r := range srv.Reservations() {
		if r.RoomID != "" && r.State == "Confirmed" {
			res = r
			break
		}
	}
	added, err := call(t, conn, "commands/addKeyCutter", map[string]any{"KeyCutterId": mewstest.KeyCutterID, "ReservationId": res.ID, "KeyCount": 2})
	if err != nil {
		t.Fatal(err)
	}
	id, _ := added["CommandId"].(string)
	active, err := call(t, conn, "commands/getAllActive", struct{}{})
	if err != nil {
		t.Fatal(err)
	}
	cmds, _ := active["Commands"].([]any)
	if len(cmds) != 1 {
		t.Fatalf("getAllActive = %v, want the new command", active)
	}
	cmd := cmds[0].(map[string]any)
	data := cmd["Data"].(map[string]any)
	if cmd["Id"] != id || cmd["State"] != "Pending" || data["KeyCount"] != 2.0 || data["ReservationId"] != res.ID || len(data["LockIds"].([]any)) != 1 {
		t.Errorf("command = %v", cmd)
	}

	for _, state := range []string{"Received", "Processing", "Processed"} {
		if _, err := call(t, conn, "commands/update", map[string]any{"CommandId": id, "State": state, "Notes": "cut"}); err != nil {
			t.Fatalf("update to %s: %v", state, err)
		}
	}
	active, _ = call(t, conn, "commands/getAllActive", struct{}{})
	if cmds, _ := active["Commands"].([]any); len(cmds) != 0 {
		t.Errorf("a processed command is still active: %v", cmds)
	}
	byID, _ := call(t, conn, "commands/getAllByIds", map[string]any{"CommandIds": []string{id}})
	if cmds, _ := byID["Commands"].([]any); len(cmds) != 1 || cmds[0].(map[string]any)["State"] != "Processed" {
		t.Errorf("getAllByIds = %v", byID)
	}
	_, err = call(t, conn, "commands/update", map[string]any{"CommandId": id, "State": "Error"})
	var apiErr *mews.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusForbidden {
		t.Errorf("updating a processed command: err = %v, want 403", err)
	}

	var states []string
	for range 4 {
		_, msg, err := ws.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m struct {
			Events []struct{ Type, Id, State string }
		}
		if err := json.Unmarshal(msg, &m); err != nil {
			t.Fatal(err)
		}
		for _, ev := range m.Events {
			if ev.Type != "DeviceCommand" || ev.Id != id {
				t.Errorf("event %+v", ev)
			}
			states = append(states, ev.State)
		}
	}
	if diff := cmp.Diff([]string{"Pending", "Received", "Processing", "Processed"}, states); diff != "" {
		t.Errorf("DeviceCommand events (-want +got):\n%s", diff)
	}
	got, _ := srv.Command(id)
	if len(got.Updates) != 3 || *got.Updates[2].Notes != "cut" {
		t.Errorf("recorded updates = %+v", got.Updates)
	}
}

func TestCommandOperationsRefuseWhatMewsRefuses(t *testing.T) {
	srv := mewstest.NewServer(mewstest.WithInProcess())
	conn, err := srv.Connector(mewstest.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	res := srv.Reservations()[0]
	for name, tc := range map[string]struct {
		op string
		in any
	}{
		"getAllByIds without ids":     {"commands/getAllByIds", map[string]any{"CommandIds": []string{}}},
		"update to an unknown state":  {"commands/update", map[string]any{"CommandId": "x", "State": "Done"}},
		"update of an unknown id":     {"commands/update", map[string]any{"CommandId": "x", "State": "Received"}},
		"addKeyCutter on the printer": {"commands/addKeyCutter", map[string]any{"KeyCutterId": mewstest.PrinterID, "ReservationId": res.ID, "KeyCount": 1}},
		"addKeyCutter without keys":   {"commands/addKeyCutter", map[string]any{"KeyCutterId": mewstest.KeyCutterID, "ReservationId": res.ID, "KeyCount": 0}},
		"getAllActive with a filter":  {"commands/getAllActive", map[string]any{"States": []string{"Pending"}}},
	} {
		_, err := call(t, conn, tc.op, tc.in)
		var apiErr *mews.APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: err = %v, want 400", name, err)
		}
	}
}
