package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/properties"
	"github.com/mewskit/mews-go/reservations"
)

// check validates the access token (or, with --channel-manager, the connection token).
func (a *app) check(ctx context.Context, args []string) error {
	fs := a.flagSet("check", allFlags)
	cm := fs.Bool("channel-manager", false, "check the Channel Manager connection token (getConfiguration) instead of the Connector access token")
	if err := a.parse(fs, "[--channel-manager]", args); err != nil {
		return err
	}
	s, err := a.open()
	if err != nil {
		return err
	}
	defer s.close()
	flagValue, variable, seeded, what := a.cfg.accessToken, envAccessToken, mewstest.AccessToken, "the hotel's Connector access token"
	validate := func(tok string) (connection.Result, error) {
		cn, err := s.client.Connector(tok)
		if err != nil {
			return connection.Result{}, err
		}
		return connection.Validate(ctx, cn)
	}
	if *cm {
		flagValue, variable, seeded, what = a.cfg.connectionToken, envConnectionToken, mewstest.ConnectionToken, "the Channel Manager connection token"
		validate = func(tok string) (connection.Result, error) {
			h, err := s.client.ChannelManager(tok)
			if err != nil {
				return connection.Result{}, err
			}
			return connection.ValidateChannelManager(ctx, h)
		}
	}
	tok, err := s.token(a, flagValue, variable, seeded, what)
	if err != nil {
		return err
	}
	res, err := validate(tok)
	switch {
	case err != nil:
		return err
	case res.Status == connection.Broken:
		return &brokenError{reason: res.Reason}
	case res.Status != connection.Connected && res.Reason != nil:
		return res.Reason // transient: exit 4
	case res.Status != connection.Connected:
		return fmt.Errorf("the check was undecided (%s); try again", res.Status)
	case *cm:
		fmt.Fprintf(a.stdout, "connected: %s\n", res.Property)
	default:
		fmt.Fprintf(a.stdout, "connected: %s (%s)\n", res.Enterprise.Name, res.Enterprise.ID)
	}
	return nil
}

// properties lists the properties an employee can access, with their connections.
func (a *app) properties(ctx context.Context, args []string) error {
	fs := a.flagSet("properties", channelManagerClientFlags)
	email := fs.String("email", "", "a verified employee's email address (required; the sandbox's is "+mewstest.EmployeeEmail+")")
	show := fs.Bool("show-tokens", false, "print the connection tokens in full (they are credentials: keep them secret)")
	if err := a.parse(fs, "--email ADDRESS [--show-tokens]", args); err != nil {
		return err
	}
	if err := required("properties", "--email", *email); err != nil {
		return err
	}
	s, err := a.open()
	if err != nil {
		return err
	}
	defer s.close()
	props, err := channelmanager.GetProperties(ctx, s.client, channelmanager.GetPropertiesParams{Email: *email})
	if err != nil {
		return inFlags("properties", propertiesFlags, err)
	}
	tw := table(a.stdout, "PROPERTY", "NAME", "CONNECTION", "TOKEN")
	for _, p := range props {
		if len(p.Connections) == 0 {
			row(tw, p.ID, p.Name, "-", "-")
		}
		for _, c := range p.Connections {
			tok := c.Token.String()
			if *show {
				tok = c.Token.Reveal()
			}
			row(tw, p.ID, p.Name, orDash(c.Name), tok)
		}
	}
	return tw.Flush()
}

// reservationsList prints every reservation colliding with [--from, --to).
func (a *app) reservationsList(ctx context.Context, args []string) error {
	fs := a.flagSet("reservations list", connectorFlags)
	from := fs.String("from", "", "start of the interval, inclusive (required)")
	to := fs.String("to", "", "end of the interval, exclusive (required)")
	var states, rooms listFlag
	fs.Var(&states, "state", "only this state (repeatable): "+stateNames())
	fs.Var(&rooms, "room", "only reservations in this room id (repeatable)")
	asJSON := fs.Bool("json", false, "one JSON object per line, with Mews' field names")
	if err := a.parse(fs, "--from T --to T [--state S]... [--room ID]... [--json]", args); err != nil {
		return err
	}
	const op = "reservations list"
	iv, err := interval(op, *from, *to)
	if err != nil {
		return err
	}
	if err := checkIDs(op, "--room", rooms); err != nil {
		return err
	}
	f := reservations.ListParams{CollidingUtc: iv, AssignedResourceIDs: rooms, States: reservations.AllStates()}
	if len(states) > 0 {
		if f.States, err = parseStates(op, states); err != nil {
			return err
		}
	}
	return a.withConnector(func(conn *mews.Connector) error {
		var names map[string]string
		loc := time.UTC // JSON lines keep Mews' UTC times
		if !*asJSON {
			if loc, err = hotelZone(ctx, conn); err != nil {
				return err
			}
			if names, err = roomNames(ctx, conn); err != nil {
				return err
			}
		}
		out := a.listing(*asJSON, "NUMBER", "STATE", "ARRIVAL", "DEPARTURE", "ROOM", "ID")
		prog := a.progress(len(iv.Split()))
		defer prog.done()
		n := 0
		for page, err := range reservations.List(conn, f).Pages(ctx) {
			if err != nil {
				return inFlags(op, reservationsListFlags, err)
			}
			prog.clear() // JSON lines may go to the same terminal
			for _, r := range page.Items {
				room := "-"
				if r.AssignedResourceID != nil {
					room = orDefault(names[*r.AssignedResourceID], *r.AssignedResourceID)
				}
				if err := out.add(r, r.Number, string(r.State), stamp(r.ScheduledStartUtc, loc), stamp(r.ScheduledEndUtc, loc), room, r.ID); err != nil {
					return err
				}
			}
			n += len(page.Items)
			prog.report(page.Query, n)
		}
		prog.done()
		return out.flush()
	})
}

// roomsList prints the hotel's active rooms and other spaces.
func (a *app) roomsList(ctx context.Context, args []string) error {
	fs := a.flagSet("rooms list", connectorFlags)
	asJSON := fs.Bool("json", false, "one JSON object per line, with Mews' field names")
	if err := a.parse(fs, "[--json]", args); err != nil {
		return err
	}
	return a.withConnector(func(conn *mews.Connector) error {
		out := a.listing(*asJSON, "NAME", "FLOOR", "STATE", "ID")
		rooms := func(yield func(properties.Resource, error) bool) {
			for r, err := range properties.ListResources(conn, properties.ListResourcesParams{}).All(ctx) {
				if (err != nil || r.IsRoom()) && !yield(r, err) {
					return
				}
			}
		}
		return listAll(out, rooms, func(r properties.Resource) []string {
			return []string{r.Name, orDash(r.Floor()), string(r.State), r.ID}
		})
	})
}

// pinsList prints a reservation's door PINs and tags, deleted ones included.
func (a *app) pinsList(ctx context.Context, args []string) error {
	fs := a.flagSet("pins list", connectorFlags)
	id := fs.String("reservation", "", "the reservation id (required)")
	asJSON := fs.Bool("json", false, "one JSON object per line, with Mews' field names (values included)")
	if err := a.parse(fs, "--reservation ID [--json]", args); err != nil {
		return err
	}
	if err := required("pins list", "--reservation", *id); err != nil {
		return err
	}
	return a.withConnector(func(conn *mews.Connector) error {
		loc := time.UTC // JSON lines keep Mews' UTC times
		if !*asJSON {
			var err error
			if loc, err = hotelZone(ctx, conn); err != nil {
				return err
			}
		}
		out := a.listing(*asJSON, "ID", "TYPE", "ROOM", "VALID FROM", "VALID TO", "ACTIVE")
		return listAll(out, pins.List(conn, pins.ListParams{ReservationIDs: []string{*id}}).All(ctx), func(c pins.Credential) []string {
			return []string{c.ID, string(c.Type), orDash(c.ResourceID), stamp(c.ValidityStartUtc, loc), stamp(c.ValidityEndUtc, loc), fmt.Sprint(c.IsActive)}
		})
	})
}

// pinsSet makes a PIN the reservation's one active PIN and prints its id.
func (a *app) pinsSet(ctx context.Context, args []string) error {
	fs := a.flagSet("pins set", connectorFlags)
	id := fs.String("reservation", "", "the reservation id (required)")
	pin := fs.String("pin", "", "the PIN (required)")
	room := fs.String("room", "", "the room id the PIN opens (default: the reservation's room)")
	from := fs.String("from", "", "valid from (default: the arrival, or the check-in)")
	to := fs.String("to", "", "valid until (default: the departure)")
	if err := a.parse(fs, "--reservation ID --pin VALUE [--room ID] [--from T] [--to T]", args); err != nil {
		return err
	}
	const op = "pins set"
	if err := required(op, "--reservation", *id); err != nil {
		return err
	}
	if *pin == "" {
		return usagef("%s: --pin is required", op)
	}
	if err := pins.CheckValue(*pin); err != nil {
		return inFlags(op, pinsSetFlags, err)
	}
	if *room != "" {
		if err := checkIDs(op, "--room", []string{*room}); err != nil {
			return err
		}
	}
	var start, end time.Time
	var err error
	if *from != "" {
		if start, err = parseTime(op, "--from", *from); err != nil {
			return err
		}
	}
	if *to != "" {
		if end, err = parseTime(op, "--to", *to); err != nil {
			return err
		}
	}
	if !start.IsZero() && !end.IsZero() && !end.After(start) {
		return &mews.InputError{Operation: op, Field: "--to", Reason: "must be after --from"}
	}
	return a.withConnector(func(conn *mews.Connector) error {
		r, err := reservations.Get(ctx, conn, *id)
		if err != nil {
			return err
		}
		switch r.State {
		case reservations.StateCanceled, reservations.StateProcessed:
			what := map[reservations.State]string{reservations.StateCanceled: "canceled", reservations.StateProcessed: "checked out"}[r.State]
			return &rejectedError{msg: fmt.Sprintf("%s: reservation %s is %s (%s): a PIN for it would open a door for a guest who is not staying; nothing was set", op, r.Number, what, r.State)}
		}
		want := pins.ForReservation(r, pins.PinCode, *pin)
		if *room != "" {
			want.ResourceID = *room
		}
		if !start.IsZero() {
			want.ValidityStartUtc = start
		}
		if !end.IsZero() {
			want.ValidityEndUtc = end
		}
		if !want.ValidityEndUtc.After(want.ValidityStartUtc) {
			switch {
			case end.IsZero():
				return &mews.InputError{Operation: op, Field: "--from", Reason: "must be before the departure (" + stamp(want.ValidityEndUtc, time.UTC) + ")"}
			case start.IsZero():
				return &mews.InputError{Operation: op, Field: "--to", Reason: "must be after the arrival (" + stamp(want.ValidityStartUtc, time.UTC) + ")"}
			}
		}
		got, err := pins.Set(ctx, conn, pins.SetParams{Credential: want})
		if err != nil {
			return inFlags(op, pinsSetFlags, err)
		}
		fmt.Fprintln(a.stdout, got.ID)
		if want.ResourceID == "" {
			fmt.Fprintf(a.stderr, "warning: reservation %s has no room assigned yet: the PIN is stored, but no door opens with it until a room is assigned (or pass --room)\n", r.Number)
		}
		return nil
	})
}

// The flags behind the request fields that the SDK may refuse, per command.
var (
	pinsSetFlags = map[string]string{
		"Value": "--pin", "ValidityStartUtc": "--from", "ValidityEndUtc": "--to", "ResourceId": "--room", "ServiceOrderId": "--reservation",
	}
	reservationsListFlags = map[string]string{"AssignedResourceIds": "--room", "States": "--state", "CollidingUtc": "--from"}
	propertiesFlags       = map[string]string{"email": "--email", "Email": "--email"}
)

// inFlags restates an *mews.InputError about a request field in the command's terms:
// the flag (from flags, field → flag) and the command, not the wire field or the
// operation's name.
func inFlags(op string, flags map[string]string, err error) error {
	var ie *mews.InputError
	if !errors.As(err, &ie) {
		return err
	}
	if flag, ok := flags[ie.Field]; ok {
		return &mews.InputError{Operation: op, Field: flag, Reason: ie.Reason}
	}
	return err
}

// checkIDs refuses empty ids in a repeatable flag before anything is sent.
func checkIDs(op, flag string, ids []string) error {
	for _, id := range ids {
		if strings.TrimSpace(id) == "" {
			return &mews.InputError{Operation: op, Field: flag, Reason: "is empty; give an id (mews rooms list shows the rooms' ids)"}
		}
	}
	if len(ids) > 1000 {
		return &mews.InputError{Operation: op, Field: flag, Reason: fmt.Sprintf("is given %d times; Mews takes at most 1000", len(ids))}
	}
	return nil
}

// pinsDelete deletes a reservation's active PINs and tags and prints their ids.
func (a *app) pinsDelete(ctx context.Context, args []string) error {
	fs := a.flagSet("pins delete", connectorFlags)
	id := fs.String("reservation", "", "the reservation id (required)")
	if err := a.parse(fs, "--reservation ID", args); err != nil {
		return err
	}
	if err := required("pins delete", "--reservation", *id); err != nil {
		return err
	}
	return a.withConnector(func(conn *mews.Connector) error {
		deleted, err := pins.Clear(ctx, conn, *id)
		if err != nil {
			return err
		}
		if len(deleted) == 0 {
			fmt.Fprintln(a.stderr, "no active PINs on reservation", *id)
		}
		for _, c := range deleted {
			fmt.Fprintln(a.stdout, c.ID)
		}
		return nil
	})
}

// listFlag is a repeatable string flag.
type listFlag []string

// String joins the values, as the flag package shows them.
func (l *listFlag) String() string { return strings.Join(*l, ",") }

// Set adds one more value; the flag may be repeated.
func (l *listFlag) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// required refuses an empty required flag as a usage error.
func required(op, name, value string) error {
	if strings.TrimSpace(value) == "" {
		return usagef("%s: %s is required", op, name)
	}
	return nil
}

// parseTime reads yyyy-mm-dd (midnight UTC) or RFC 3339.
func parseTime(op, field, s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Time{}, &mews.InputError{Operation: op, Field: field, Reason: fmt.Sprintf("%q is not a time: use yyyy-mm-dd or RFC 3339 (2026-01-31T14:00:00Z)", s)}
}

// interval reads the required --from and --to.
func interval(op, from, to string) (*mews.TimeInterval, error) {
	if err := required(op, "--from", from); err != nil {
		return nil, err
	}
	if err := required(op, "--to", to); err != nil {
		return nil, err
	}
	start, err := parseTime(op, "--from", from)
	if err != nil {
		return nil, err
	}
	end, err := parseTime(op, "--to", to)
	if err != nil {
		return nil, err
	}
	if !end.After(start) {
		return nil, &mews.InputError{Operation: op, Field: "--to", Reason: "must be after --from"}
	}
	iv := mews.Interval(start, end)
	return &iv, nil
}

// parseStates reads --state values case-insensitively.
func parseStates(op string, names []string) ([]reservations.State, error) {
	var states []reservations.State
	all := reservations.AllStates()
	for _, n := range names {
		i := slices.IndexFunc(all, func(s reservations.State) bool { return strings.EqualFold(string(s), n) })
		if i < 0 {
			return nil, &mews.InputError{Operation: op, Field: "--state", Reason: fmt.Sprintf("%q is not a state: use %s", n, stateNames())}
		}
		states = append(states, all[i])
	}
	return states, nil
}

// stateNames lists the reservation states --state accepts, for help and errors.
func stateNames() string {
	all := reservations.AllStates()
	names := make([]string, len(all))
	for i, s := range all {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}

// roomNames maps resource ids to names, for tables that show rooms.
func roomNames(ctx context.Context, conn *mews.Connector) (map[string]string, error) {
	names := make(map[string]string)
	for r, err := range properties.ListResources(conn, properties.ListResourcesParams{IncludeInactive: true}).All(ctx) {
		if err != nil {
			return nil, err
		}
		names[r.ID] = r.Name
	}
	return names, nil
}

// listing writes items as JSON lines (Mews' field names) or as an aligned table.
type listing struct {
	w  io.Writer
	tw *tabwriter.Writer // nil for JSON
}

// listing starts the output of a list command on stdout: JSON lines, or a table with
// header.
func (a *app) listing(asJSON bool, header ...string) *listing {
	if asJSON {
		return &listing{w: a.stdout}
	}
	return &listing{w: a.stdout, tw: table(a.stdout, header...)}
}

// add writes item as one JSON line, or cells as a table row.
func (l *listing) add(item any, cells ...string) error {
	if l.tw == nil {
		return json.NewEncoder(l.w).Encode(item)
	}
	row(l.tw, cells...)
	return nil
}

// flush writes the table's aligned rows; JSON lines are already written.
func (l *listing) flush() error {
	if l.tw == nil {
		return nil
	}
	return l.tw.Flush()
}

// listAll writes every item of seq; cells gives an item's table row.
func listAll[T any](l *listing, seq iter.Seq2[T, error], cells func(T) []string) error {
	for item, err := range seq {
		if err != nil {
			return err
		}
		if err := l.add(item, cells(item)...); err != nil {
			return err
		}
	}
	return l.flush()
}

// table starts an aligned table with a header row.
func table(w io.Writer, header ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row(tw, header...)
	return tw
}

// row adds one table row of cells.
func row(tw *tabwriter.Writer, cells ...string) {
	fmt.Fprintln(tw, strings.Join(cells, "\t"))
}

// stamp shows a time to a person: in loc (the hotel's time zone) to the minute,
// labelled with the zone's abbreviation, or "-" when it is unset.
func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// hotelZone is the hotel's time zone from configuration/get: every time a table shows
// is in it, so that an arrival reads as the front desk sees it.
func hotelZone(ctx context.Context, conn mews.ConnectorCaller) (*time.Location, error) {
	cfg, err := properties.GetConfiguration(ctx, conn)
	if err != nil {
		return nil, err
	}
	return cfg.Enterprise.Location()
}

// orDash shows an empty cell as "-", so that table columns never collapse.
func orDash(s string) string { return orDefault(s, "-") }

// orDefault returns s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// progress reports long work on stderr when stderr is a terminal; otherwise it is silent.
type progress struct {
	w       io.Writer // nil when silent
	windows int
	shown   bool
}

// progress starts the progress of a listing split into windows: on stderr when it is
// a terminal, silent otherwise so that logs and pipes stay clean.
func (a *app) progress(windows int) *progress {
	p := &progress{windows: windows}
	if a.terminal(a.stderr) {
		p.w = a.stderr
	}
	return p
}

// report rewrites the progress line: n items so far, in the query'th window.
func (p *progress) report(query, n int) {
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, "\r%d reservations (window %d of %d)", n, query+1, p.windows)
	p.shown = true
}

// clear erases the progress line, so that output written to the same terminal starts
// on a clean line; the next report draws it again.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// done ends the progress line, if one was shown; calling it again does nothing.
func (p *progress) done() {
	if p.shown {
		fmt.Fprintln(p.w)
		p.shown = false
	}
}
