package connection

import (
	"errors"
	"fmt"
	"math"
	"time"

	mews "github.com/mewskit/mews-go"
)

// DefaultMisconfiguredShare is the default of WithMisconfiguredShare.
const DefaultMisconfiguredShare = 0.9

// ErrClientRejected is matched (errors.Is) by the Reason of a Misconfigured ClientEvent:
// Mews rejected (nearly) every connection of the client at once, so the client token is
// what is wrong, not the connections' tokens.
var ErrClientRejected = errors.New("connection: Mews rejected nearly every connection at once; check the client token")

// ClientEvent reports a fault of the client rather than of its connections: Mews
// rejected (nearly) every watched connection of one API since the last connection it
// accepted. A wrong or revoked client token (mews.WithClientToken,
// mews.WithChannelManagerClientToken) looks exactly like that, while thousands of
// hotels revoking their tokens at the same moment does not happen; so instead of
// turning every connection Broken, the Monitor reports one ClientEvent, leaves each
// connection's status as it was, and re-checks with backoff until Mews accepts a
// connection again, which it reports with a second ClientEvent (Misconfigured false).
//
// To tell the two apart, a rejection turns a connection Broken only once Mews accepted
// another connection of the same API in a check sent no earlier; the Monitor re-checks
// the connection accepted last early (at most once per ConfirmDelay) to find out. Until
// then the rejected connection keeps its status. A Monitor watching a single
// connection of an API cannot tell, and turns it Broken at once.
//
// Events are delivered on the OnEvent goroutine. A fault that clears before its event
// was delivered cancels out, like a connection's change and its reversal.
type ClientEvent struct {
	// API is the API whose client token is at fault.
	API mews.API
	// Misconfigured is true when the fault was found and false when it cleared.
	Misconfigured bool
	// Reason matches ErrClientRejected and the last rejection (for example
	// mews.ErrInvalidAuthentication) with errors.Is; nil when the fault cleared.
	Reason error
	// Rejected is the number of connections of the API rejected since Mews last accepted
	// one, Watched the number of watched connections of the API, both when the fault was
	// found.
	Rejected, Watched int
	// Time is when the fault was found or cleared.
	Time time.Time
}

// Misconfigured reports whether the Monitor currently blames the client token of api,
// with the event that said so, for a status page.
func (m *Monitor) Misconfigured(api mews.API) (ClientEvent, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.clients[api]
	if c == nil || !c.misconfigured {
		return ClientEvent{}, false
	}
	return c.fault, true
}

// clientHealth is what the Monitor knows about the client token of one API. All fields
// are guarded by Monitor.mu.
//
// A rejection of one connection is only believed once Mews accepted another connection
// of the same API in a check that started no earlier: until then the connection is a
// suspect and keeps its status. Such an acceptance confirms the suspects (they turn
// Broken), and the connection accepted last is re-checked early (no earlier than
// ConfirmDelay after its last check) when a first suspect appears; when the suspects reach
// MisconfiguredShare of the watched connections first, the client is misconfigured.
// While it is, rejected connections are parked (not checked periodically) and one of
// them at a time is re-checked as a probe, with a delay that starts at ConfirmDelay and
// doubles up to Interval. The first acceptance clears the fault and puts the parked
// connections back in line, without confirming their rejections: those came from the
// client's fault.
type clientHealth struct {
	api           mews.API
	watched       int                 // watched connections of this API
	rejected      map[*entry]struct{} // rejected since the last acceptance
	witness       *entry              // the connection accepted last
	acceptedStart time.Time           // start of the latest-starting accepted check
	misconfigured bool
	fault         ClientEvent   // the event that reported the fault
	backoff       time.Duration // delay of the next probe
	probe         *entry        // the parked connection waiting to be re-checked
}

// clientOf returns the client health of e's API; m.mu is held.
func (m *Monitor) clientOf(e *entry) *clientHealth {
	c := m.clients[e.creds.API]
	if c == nil {
		c = &clientHealth{api: e.creds.API, rejected: make(map[*entry]struct{})}
		m.clients[e.creds.API] = c
	}
	return c
}

// quorum is the number of rejected connections that makes the client misconfigured.
func (m *Monitor) quorum(c *clientHealth) int {
	return max(2, int(math.Ceil(m.cfg.misconfiguredShare*float64(c.watched))))
}

// forget drops what e contributed to its client's health, before e's credentials
// change, a webhook decides its status, or it is removed; m.mu is held.
func (m *Monitor) forget(e *entry, now time.Time) {
	c := m.clientOf(e)
	delete(c.rejected, e)
	e.suspect, e.suspectReason, e.parked = false, nil, false
	if c.witness == e {
		c.witness = nil
	}
	if c.probe == e {
		c.probe = nil
		m.scheduleProbe(c, now)
	}
}

// rejectedCheck handles a check in which Mews rejected e's credentials; m.mu is held.
func (m *Monitor) rejectedCheck(e *entry, reason error, now time.Time) {
	c := m.clientOf(e)
	e.failures = 0
	if c.watched < 2 {
		m.setStatus(e, Broken, reason, now) // one connection cannot tell its token from the client's
		return
	}
	if c.misconfigured {
		e.parked = true
		c.rejected[e] = struct{}{}
		return
	}
	if !c.acceptedStart.IsZero() && !e.started.After(c.acceptedStart) {
		m.setStatus(e, Broken, reason, now) // a check sent no earlier was accepted
		return
	}
	if e.status == Broken {
		e.reason = reason
	} else {
		e.suspect, e.suspectReason = true, reason
	}
	c.rejected[e] = struct{}{}
	if len(c.rejected) == 1 {
		m.askWitness(c, e, now)
	}
	if len(c.rejected) >= m.quorum(c) {
		m.misconfigure(c, reason, now)
	}
}

// askWitness pulls the check of the connection accepted last forward, so that a single
// rejection is confirmed (or joined by others) without waiting a whole Interval.
func (m *Monitor) askWitness(c *clientHealth, suspect *entry, now time.Time) {
	w := c.witness
	if w == nil || w == suspect || w.removed || w.where != waiting {
		return
	}
	at := w.checked.Add(m.cfg.confirmDelay)
	if at.Before(now) {
		at = now
	}
	if !at.Before(w.next) {
		return
	}
	w.next = at
	m.heap.fix(w)
	if w.hidx == 0 {
		m.nudge()
	}
}

// acceptedCheck handles a check in which Mews accepted e's credentials: the client
// token works; m.mu is held.
func (m *Monitor) acceptedCheck(e *entry, now time.Time) {
	c := m.clientOf(e)
	c.witness = e
	if e.started.After(c.acceptedStart) {
		c.acceptedStart = e.started
	}
	delete(c.rejected, e)
	e.suspect, e.suspectReason, e.parked = false, nil, false
	if c.misconfigured {
		m.recover(c, now)
		return
	}
	for r := range c.rejected {
		if r.started.After(e.started) {
			continue // rejected in a check sent later: not answered by this acceptance
		}
		if r.suspect {
			m.setStatus(r, Broken, r.suspectReason, now)
		}
		r.suspect, r.suspectReason = false, nil
		delete(c.rejected, r)
	}
}

// misconfigure blames the client token: one event, the rejected connections parked.
func (m *Monitor) misconfigure(c *clientHealth, reason error, now time.Time) {
	c.misconfigured = true
	c.fault = ClientEvent{API: c.api, Misconfigured: true, Reason: fmt.Errorf("%w: %w", ErrClientRejected, reason),
		Rejected: len(c.rejected), Watched: c.watched, Time: now}
	m.pushClient(c.fault)
	for r := range c.rejected {
		r.parked = true
		if r.where == waiting {
			m.heap.remove(r)
			r.where = idle
		}
	}
	c.backoff = m.cfg.confirmDelay
	m.scheduleProbe(c, now)
}

// recover clears the fault and puts every parked connection back in line.
func (m *Monitor) recover(c *clientHealth, now time.Time) {
	c.misconfigured, c.fault, c.probe = false, ClientEvent{}, nil
	m.pushClient(ClientEvent{API: c.api, Watched: c.watched, Time: now})
	for r := range c.rejected {
		r.suspect, r.suspectReason = false, nil
		if r.parked && r.where == idle {
			m.enqueue(r, false)
		}
		r.parked = false
	}
	clear(c.rejected)
}

// scheduleProbe puts the parked connection checked longest ago back in the heap, due
// after the current backoff, which then doubles up to Interval; m.mu is held.
func (m *Monitor) scheduleProbe(c *clientHealth, now time.Time) {
	if !c.misconfigured || c.probe != nil {
		return
	}
	var p *entry
	for r := range c.rejected {
		if r.parked && r.where == idle && (p == nil || r.checked.Before(p.checked)) {
			p = r
		}
	}
	if p == nil {
		return // every rejected connection is being checked; the next rejection parks one
	}
	p.parked = false
	p.where = waiting
	p.next = now.Add(c.backoff)
	m.heap.push(p)
	if p.hidx == 0 {
		m.nudge()
	}
	c.probe = p
	c.backoff = min(2*c.backoff, m.cfg.interval)
}

// pushClient queues a client event; m.mu is held.
func (m *Monitor) pushClient(ev ClientEvent) {
	if m.events != nil && m.cfg.onClientEvent != nil {
		m.events.pushClient(ev)
	}
}
