package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mewskit/mews-go/examples/internal/exampleenv"
	"github.com/mewskit/mews-go/mewstest"
)

// runSandbox runs the example on a fresh sandbox, pushing for real or not, inside a
// synctest bubble so that the client's waits between requests pass instantly.
func runSandbox(t *testing.T, write bool) (srv *mewstest.Server, out string) {
	t.Helper()
	synctest.Test(t, func(t *testing.T) {
		srv, out = exampleenv.Output(t, func(ctx context.Context, env *exampleenv.Env, out io.Writer) error {
			return run(ctx, env, out, write, 0)
		})
	})
	return srv, out
}

func TestRun_SetsPINsForMappedArrivalsAndSkipsUnmappedRooms(t *testing.T) {
	t.Parallel()
	srv, out := runSandbox(t, true)
	initial, later, ok := strings.Cut(out, "initial sync:")
	if !ok {
		t.Fatalf("no initial sync:\n%s", out)
	}
	set := regexp.MustCompile(`PIN for reservation (\d+): room (\d+)`).FindAllStringSubmatch(initial, -1)
	skipped := regexp.MustCompile(`skipped reservation \d+: room (\d+) is not mapped to a door`).FindAllStringSubmatch(initial, -1)
	if len(set) == 0 || len(skipped) == 0 {
		t.Fatalf("want PINs set and rooms skipped in the initial sync:\n%s", out)
	}
	for _, m := range set {
		if !wiredFloor(m[2][:1]) {
			t.Errorf("a PIN was set for room %s, which has no door", m[2])
		}
	}
	for _, m := range skipped {
		if wiredFloor(m[1][:1]) {
			t.Errorf("room %s has a door but was skipped", m[1])
		}
	}

	// Every PIN printed is the reservation's one active PIN in Mews, unless its guest
	// canceled later.
	byNumber := map[string]string{}
	for _, r := range srv.Reservations() {
		byNumber[r.Number] = r.ID
	}
	canceled := regexp.MustCompile(`reservation (\d+) was canceled: 1 PIN\(s\) deleted`).FindStringSubmatch(later)
	if canceled == nil {
		t.Fatalf("no PIN of a canceled reservation was deleted:\n%s", later)
	}
	for _, m := range regexp.MustCompile(`PIN for reservation (\d+)`).FindAllStringSubmatch(out, -1) {
		want := 1
		if m[1] == canceled[1] {
			want = 0
		}
		if n := len(srv.ActiveResourceAccessTokens(byNumber[m[1]])); n != want {
			t.Errorf("reservation %s has %d active PINs, want %d", m[1], n, want)
		}
	}
	if n := strings.Count(later, "PIN for reservation"); n != 2 {
		t.Errorf("after the initial sync %d PINs were set, want 2 (the changes only):\n%s", n, later)
	}
}

func TestRun_AMoveReachesItsDoorThroughAnEventWithItsLatency(t *testing.T) {
	t.Parallel()
	_, out := runSandbox(t, true)
	_, later, _ := strings.Cut(out, "initial sync:")
	moved := regexp.MustCompile(`moves reservation (\d+) from room \d+ to room 305`).FindStringSubmatch(later)
	if moved == nil {
		t.Fatalf("the hotel moved no guest:\n%s", out)
	}
	want := regexp.MustCompile(`PIN for reservation ` + moved[1] + `: room 305, door-305, valid [^\[]+ \[event, \S+ after the change\]`)
	if !want.MatchString(later) {
		t.Errorf("the move's PIN did not come through an event with its latency:\n%s", later)
	}
}

func TestRun_SurvivesASocketDropAndCatchesUpOnWhatChangedMeanwhile(t *testing.T) {
	t.Parallel()
	srv, out := runSandbox(t, true)
	_, dropped, ok := strings.Cut(out, "(the socket drops: 1 closed")
	if !ok {
		t.Fatalf("the socket was not dropped:\n%s", out)
	}
	canceled := regexp.MustCompile(`reservation (\d+) was canceled: 1 PIN\(s\) deleted \[resync, `).FindStringSubmatch(dropped)
	walkIn := regexp.MustCompile(`walk-in books room 112: reservation (\d+)`).FindStringSubmatch(dropped)
	if canceled == nil || walkIn == nil {
		t.Fatalf("the cancellation and the walk-in made while disconnected were not caught up:\n%s", dropped)
	}
	if !regexp.MustCompile(`PIN for reservation ` + walkIn[1] + `: room 112, door-112, .*\[resync, `).MatchString(dropped) {
		t.Errorf("the walk-in got no PIN through the resync:\n%s", dropped)
	}
	for _, want := range []string{"reconnected (socket 2)", "every change reached its door"} {
		if !strings.Contains(dropped, want) {
			t.Errorf("output lacks %q:\n%s", want, dropped)
		}
	}
	if n := srv.WebSocketUpgrades(); n != 2 {
		t.Errorf("%d sockets were opened, want 2 (the first and the reconnect)", n)
	}
}

func TestRun_WithoutWriteOnlySaysWhatItWouldDo(t *testing.T) {
	t.Parallel()
	srv, out := runSandbox(t, false)
	if !strings.Contains(out, "would set a PIN for reservation") {
		t.Errorf("output lacks the dry run:\n%s", out)
	}
	if n := len(srv.RequestsFor("resourceAccessTokens/add")); n != 0 {
		t.Errorf("%d PINs were added without -write", n)
	}
}

func TestRun_SkipsAnArrivalInARoomMissingFromTheMapNamingTheRoom(t *testing.T) {
	t.Parallel()
	synctest.Test(t, skipsAnArrivalInARoomMissingFromTheMap)
}

// skipsAnArrivalInARoomMissingFromTheMap is the test above, in a synctest bubble.
func skipsAnArrivalInARoomMissingFromTheMap(t *testing.T) {
	env := exampleenv.ForTest(t)
	var inactive mewstest.Room
	for _, room := range env.Sandbox.Rooms() {
		if !room.IsActive && room.EnterpriseID == mewstest.EnterpriseID {
			inactive = room
		}
	}
	if inactive.ID == "" {
		t.Fatal("the sandbox has no inactive room")
	}
	now := env.Now()
	r := env.Sandbox.AddReservation(mewstest.Reservation{
		RoomID: inactive.ID, State: "Confirmed", Adults: 1, CreatedUtc: now.Add(-time.Hour),
		ScheduledStartUtc: now.Add(2 * time.Hour), ScheduledEndUtc: now.Add(26 * time.Hour),
	})
	var out strings.Builder
	if err := run(t.Context(), env, &out, true, 0); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	want := "skipped reservation " + r.Number + ": room " + inactive.ID + " (not an active room) is not mapped to a door\n"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, out.String())
	}
	if n := len(env.Sandbox.ActiveResourceAccessTokens(r.ID)); n != 0 {
		t.Errorf("%d PINs were set for a room without a door", n)
	}
}

func TestRun_CountsRoomsAsTheRestOfTheSDKDoes(t *testing.T) {
	t.Parallel()
	srv, out := runSandbox(t, true)
	rooms := 0
	for _, r := range srv.Rooms() {
		if r.IsActive && r.ParentID == "" && r.EnterpriseID == mewstest.EnterpriseID {
			rooms++
		}
	}
	if want := fmt.Sprintf(" of %d rooms have a door", rooms); !strings.Contains(out, want) {
		t.Errorf("the door map does not say %q (active rooms, beds excluded):\n%s", want, out)
	}
}

func TestRun_ShowsPINValidityInTheHotelsZone(t *testing.T) {
	t.Parallel()
	srv, out := runSandbox(t, true)
	m := regexp.MustCompile(`PIN for reservation (\d+): .*, valid (.+) to (.+?)( \[|\n)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no PIN was set:\n%s", out)
	}
	loc, err := time.LoadLocation(mewstest.EnterpriseTimeZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Reservations() {
		if r.Number != m[1] {
			continue
		}
		if want := r.ScheduledStartUtc.In(loc).Format("Jan 2 15:04 MST"); m[2] != want {
			t.Errorf("valid from %q, want the arrival in the hotel's zone, %q", m[2], want)
		}
	}
	if !strings.Contains(out, "times in the hotel's time zone, "+mewstest.EnterpriseTimeZone) {
		t.Errorf("the output does not name the hotel's zone:\n%s", out)
	}
}
