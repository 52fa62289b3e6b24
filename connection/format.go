package connection

import (
	"fmt"
	"strings"
	"time"
)

// The String methods below make the package's events and statuses print as one
// readable line with fmt and log, in UTC to the second, without the monotonic clock
// reading that a raw time.Time carries, and never with a token.

// stamp shows t in UTC to the second, or "never" when it is zero.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// because appends " (reason)" when there is one.
func because(reason error) string {
	if reason == nil {
		return ""
	}
	return " (" + reason.Error() + ")"
}

// String reads "KEY: Previous → Status at TIME (reason)".
func (ev Event) String() string {
	return fmt.Sprintf("%s: %s → %s at %s%s", ev.Key, ev.Previous, ev.Status, stamp(ev.Time), because(ev.Reason))
}

// String reads "KEY (API, NAME): Status since TIME, …, checked TIME, next TIME (reason)".
func (s State) String() string {
	var b strings.Builder
	b.WriteString(s.Key + " (" + string(s.API))
	switch {
	case s.Enterprise.Name != "":
		b.WriteString(", " + s.Enterprise.Name)
	case s.Property != "":
		b.WriteString(", " + s.Property)
	}
	fmt.Fprintf(&b, "): %s since %s", s.Status, stamp(s.Changed))
	if s.Failures > 0 {
		fmt.Fprintf(&b, ", %d failures in a row", s.Failures)
	}
	fmt.Fprintf(&b, ", checked %s", stamp(s.Checked))
	if !s.Next.IsZero() {
		fmt.Fprintf(&b, ", next %s", stamp(s.Next))
	}
	b.WriteString(because(s.Reason))
	return b.String()
}

// String says whether the API's client token is blamed, when, and for how many
// connections.
func (ev ClientEvent) String() string {
	if !ev.Misconfigured {
		return fmt.Sprintf("%s client token works again at %s", ev.API, stamp(ev.Time))
	}
	return fmt.Sprintf("%s client token misconfigured at %s: %d of %d connections rejected%s",
		ev.API, stamp(ev.Time), ev.Rejected, ev.Watched, because(ev.Reason))
}

// String reads "Connected: NAME (ID)", "Broken: reason" or "Unknown: reason".
func (r Result) String() string {
	switch {
	case r.Status == Connected && r.Enterprise.ID != "":
		return fmt.Sprintf("%s: %s", r.Status, r.Enterprise)
	case r.Status == Connected && r.Property != "":
		return fmt.Sprintf("%s: %s", r.Status, r.Property)
	case r.Reason != nil:
		return fmt.Sprintf("%s: %s", r.Status, r.Reason.Error())
	}
	return r.Status.String()
}

// String reads "NAME (ID)".
func (e Enterprise) String() string { return e.Name + " (" + e.ID + ")" }

// String counts the connections per status and the work done.
func (s Stats) String() string {
	return fmt.Sprintf("%d watched: %d Connected, %d Degraded, %d Broken, %d Unknown; %d checks, %d events coalesced",
		s.Watched, s.Connected, s.Degraded, s.Broken, s.Unknown, s.Checks, s.CoalescedEvents)
}

// String names the API and shows the token redacted.
func (c Credentials) String() string {
	s := fmt.Sprintf("%s credentials %s", c.API, c.Token)
	if c.IntegrationID != "" {
		s += ", integration " + c.IntegrationID
	}
	return s
}

// String names the action, the integration and, when known, the enterprise; never a
// token.
func (ev IntegrationEvent) String() string {
	s := fmt.Sprintf("%s: integration %s (%s)", ev.Action, ev.Integration.Name, ev.Integration.ID)
	if ev.Enterprise.ID != "" {
		s += ", enterprise " + ev.Enterprise.String()
	}
	return s
}
