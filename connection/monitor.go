package connection

import (
	"cmp"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	mews "github.com/mewskit/mews-go"
)

// Defaults of a Monitor's settings, for the options that leave them out.
const (
	DefaultInterval      = 5 * time.Minute
	DefaultConcurrency   = 8
	DefaultDegradedAfter = 3
	DefaultCheckTimeout  = 30 * time.Second
	DefaultConfirmDelay  = 30 * time.Second
)

// ErrNotWatched is returned for a key the Monitor does not watch.
var ErrNotWatched = errors.New("connection: key is not watched")

// ErrClosed is returned by a Monitor after Close.
var ErrClosed = errors.New("connection: monitor is closed")

// settings are a Monitor's settings after its options; the zero value of each field
// means its default.
type settings struct {
	interval, jitter, checkTimeout, confirmDelay time.Duration
	concurrency, degradedAfter                   int
	onEvent                                      func(Event)
	onClientEvent                                func(ClientEvent)
	misconfiguredShare                           float64
}

// Option tunes a Monitor. Each is validated; NewMonitor fails with a *mews.InputError
// naming the first invalid one. Options are order-independent.
type Option func(*settings) error

// invalid is the error of an option NewMonitor refuses.
func invalid(field, reason string) error {
	return &mews.InputError{Operation: "connection.NewMonitor", Field: field, Reason: reason}
}

// positive sets *dst to v when v is above zero, and refuses it otherwise.
func positive[N int | time.Duration](field string, v N, dst *N) error {
	if v <= 0 {
		return invalid(field, "must be positive")
	}
	*dst = v
	return nil
}

// WithInterval sets the longest time between two checks of one connection (default
// DefaultInterval).
func WithInterval(d time.Duration) Option {
	return func(s *settings) error { return positive("Interval", d, &s.interval) }
}

// WithJitter makes each next check come up to d earlier than the interval, so checks of
// connections added together spread out. The default is a tenth of the interval; d must
// be shorter than the interval.
func WithJitter(d time.Duration) Option {
	return func(s *settings) error { return positive("Jitter", d, &s.jitter) }
}

// WithConcurrency sets the number of checks in flight at most, the worker pool's size
// (default DefaultConcurrency).
func WithConcurrency(n int) Option {
	return func(s *settings) error { return positive("Concurrency", n, &s.concurrency) }
}

// WithDegradedAfter sets the number of consecutive transient failures that turn a
// connection Degraded (default DefaultDegradedAfter).
func WithDegradedAfter(n int) Option {
	return func(s *settings) error { return positive("DegradedAfter", n, &s.degradedAfter) }
}

// WithCheckTimeout bounds one check, retries included (default DefaultCheckTimeout).
func WithCheckTimeout(d time.Duration) Option {
	return func(s *settings) error { return positive("CheckTimeout", d, &s.checkTimeout) }
}

// WithConfirmDelay sets the shortest gap between a check and a confirming check
// triggered by Report, so that a stream of errors from an endpoint without permission
// costs at most one configuration/get per d (default DefaultConfirmDelay).
func WithConfirmDelay(d time.Duration) Option {
	return func(s *settings) error { return positive("ConfirmDelay", d, &s.confirmDelay) }
}

// WithOnEvent has f receive every status change, one at a time, on a single goroutine
// of the Monitor. f may be slow: checks never wait for it, and events of the same
// connection that pile up meanwhile are coalesced (see Event). Without it there are no
// events.
func WithOnEvent(f func(Event)) Option {
	return func(s *settings) error {
		if f == nil {
			return invalid("OnEvent", "is nil; leave the option out for no events")
		}
		s.onEvent = f
		return nil
	}
}

// WithOnClientEvent has f receive client-level faults (see ClientEvent) on the
// goroutine that delivers OnEvent, before the connection events queued with them. The
// Monitor treats a misconfigured client the same with or without it.
func WithOnClientEvent(f func(ClientEvent)) Option {
	return func(s *settings) error {
		if f == nil {
			return invalid("OnClientEvent", "is nil; leave the option out for no client events")
		}
		s.onClientEvent = f
		return nil
	}
}

// WithMisconfiguredShare sets the share of the watched connections of one API that
// must be rejected, with none accepted in between, before the Monitor blames the client
// token instead of the connections (see ClientEvent). It must lie in (0, 1]; the
// default is DefaultMisconfiguredShare. At least two rejections are needed, so a
// Monitor watching a single connection of an API turns it Broken.
func WithMisconfiguredShare(share float64) Option {
	return func(s *settings) error {
		if !(share > 0 && share <= 1) { // also refuses NaN
			return invalid("MisconfiguredShare", "must lie in (0, 1]")
		}
		s.misconfiguredShare = share
		return nil
	}
}

// newSettings applies opts, then fills in the defaults and checks what depends on
// several options, so that their order does not matter.
func newSettings(opts []Option) (settings, error) {
	var s settings
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&s); err != nil {
			return s, err
		}
	}
	s.interval = cmp.Or(s.interval, DefaultInterval)
	s.concurrency = cmp.Or(s.concurrency, DefaultConcurrency)
	s.degradedAfter = cmp.Or(s.degradedAfter, DefaultDegradedAfter)
	s.checkTimeout = cmp.Or(s.checkTimeout, DefaultCheckTimeout)
	s.confirmDelay = cmp.Or(s.confirmDelay, DefaultConfirmDelay)
	s.misconfiguredShare = cmp.Or(s.misconfiguredShare, DefaultMisconfiguredShare)
	if s.jitter == 0 {
		s.jitter = s.interval / 10
	}
	if s.jitter >= s.interval {
		return s, invalid("Jitter", "must be shorter than the interval")
	}
	return s, nil
}

// State is what the Monitor knows about one connection.
type State struct {
	Key string
	API mews.API
	// IntegrationID is the Mews integration id, when known.
	IntegrationID string
	Status        Status
	// Reason is why the connection is Broken (matches mews.ErrInvalidAuthentication,
	// mews.ErrConnectionNotFound, ErrIntegrationDisabled, ErrIntegrationCanceled or
	// ErrIntegrationDeleted) or Degraded (the last transient error); nil otherwise.
	Reason error
	// Enterprise (Connector) or Property (Channel Manager) from the last successful check.
	Enterprise Enterprise
	Property   string
	// Failures counts consecutive transient failures.
	Failures int
	// Checked is when the last check finished, Changed when Status last changed.
	Checked time.Time
	Changed time.Time
	// Next is when the next periodic check is due; zero while a check is queued or
	// running, while a webhook holds the connection Broken, or while its check waits
	// for a misconfigured client to be fixed (see ClientEvent).
	Next time.Time
}

// entry is one watched connection. All fields are guarded by Monitor.mu.
type entry struct {
	key        string
	creds      Credentials
	status     Status
	reason     error
	enterprise Enterprise
	property   string
	failures   int
	checked    time.Time
	changed    time.Time
	next       time.Time
	hidx       int    // index in the heap while waiting
	seq        uint32 // the ticket that may run it while queued
	gen        uint32 // bumped whenever credentials or status change outside a check
	where      place
	urgent     bool // queued in the urgent lane
	again      bool // check again as soon as the running check ends
	held       bool // a webhook made it Broken while a check was running
	removed    bool
	// Client-level health (see clientHealth): suspect means Mews rejected the
	// credentials but accepted no other connection since, so the status waits;
	// parked means the client is misconfigured and the entry waits for it, unscheduled.
	started       time.Time // when its last check was taken by a worker
	suspect       bool
	suspectReason error
	parked        bool
}

// Monitor watches many connections: it checks each one periodically with a fixed pool of
// workers, keeps their statuses, and reports changes. One goroutine schedules every
// connection from a heap of due times with a single timer; nothing runs per connection.
type Monitor struct {
	cfg    settings
	client *mews.Client

	mu            sync.Mutex
	work          *sync.Cond // signalled when a lane gets a ticket or on close
	entries       map[string]*entry
	byIntegration map[string]*entry
	clients       map[mews.API]*clientHealth
	heap          timeHeap
	urgent, ready lane
	closed        bool
	checks        uint64

	wake    chan struct{} // capacity 1: the heap's first entry changed
	done    chan struct{}
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	events  *eventQueue
	closing sync.Once
}

// NewMonitor starts a Monitor that checks connections through client (so the client's
// per-token rate limiter, retry policy and timeouts apply). Close it when done.
func NewMonitor(client *mews.Client, opts ...Option) (*Monitor, error) {
	if client == nil {
		return nil, invalid("client", "is nil; create one with mews.NewClient")
	}
	cfg, err := newSettings(opts)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Monitor{
		cfg:           cfg,
		client:        client,
		entries:       make(map[string]*entry),
		byIntegration: make(map[string]*entry),
		clients:       make(map[mews.API]*clientHealth),
		wake:          make(chan struct{}, 1),
		done:          make(chan struct{}),
		ctx:           ctx,
		cancel:        cancel,
	}
	m.work = sync.NewCond(&m.mu)
	m.wg.Add(1 + cfg.concurrency)
	go m.schedule()
	for range cfg.concurrency {
		go m.worker()
	}
	if cfg.onEvent != nil || cfg.onClientEvent != nil {
		m.events = newEventQueue()
		m.wg.Add(1)
		go func() {
			defer m.wg.Done()
			m.events.deliver(m.done, cfg.onEvent, cfg.onClientEvent)
		}()
	}
	return m, nil
}

// Close stops the scheduler, the workers and the event delivery, cancels checks in
// flight, and waits for all of them. Undelivered events are discarded. Close is safe to
// call more than once, but not from OnEvent (it waits for OnEvent to return).
func (m *Monitor) Close() error {
	m.closing.Do(func() {
		m.mu.Lock()
		m.closed = true
		m.work.Broadcast()
		m.mu.Unlock()
		m.cancel()
		close(m.done)
		m.wg.Wait()
		if m.events != nil {
			m.events.close()
		}
	})
	return nil
}

// Add starts watching a connection under key (your own id, e.g. a property id) and
// checks it right away. Adding a key twice is an error; use Update to change credentials.
func (m *Monitor) Add(key string, creds Credentials) error {
	if err := validKey("Add", key); err != nil {
		return err
	}
	if err := creds.Validate("connection.Monitor.Add"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return ErrClosed
	}
	if _, ok := m.entries[key]; ok {
		return &mews.InputError{Operation: "connection.Monitor.Add", Field: "key", Reason: "is already watched; use Update to change its credentials"}
	}
	e := &entry{key: key, creds: creds, hidx: -1}
	m.entries[key] = e
	m.index(e)
	m.clientOf(e).watched++
	m.enqueue(e, false)
	return nil
}

// Update replaces the credentials of a watched connection (a user pasted a new token,
// Mews rotated the key) and checks it right away. The status stays until that check
// decides; a result of a check that was running with the old credentials is ignored.
func (m *Monitor) Update(key string, creds Credentials) error {
	if err := creds.Validate("connection.Monitor.Update"); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.lookup(key)
	if err != nil {
		return err
	}
	m.replace(e, creds)
	return nil
}

// replace switches e to new credentials and checks it at once; m.mu is held.
func (m *Monitor) replace(e *entry, creds Credentials) {
	m.unindex(e)
	m.forget(e, time.Now())
	m.clientOf(e).watched--
	e.creds = creds
	m.clientOf(e).watched++
	e.gen++
	e.failures = 0
	m.index(e)
	m.force(e)
}

// Remove stops watching key. A check in flight finishes but its result is dropped.
// It reports whether the key was watched.
func (m *Monitor) Remove(key string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return false
	}
	delete(m.entries, key)
	m.unindex(e)
	m.forget(e, time.Now())
	m.clientOf(e).watched--
	if e.where == waiting {
		m.heap.remove(e)
	}
	e.removed = true
	e.where = idle
	e.seq++
	return true
}

// Check forces a check of key now, ahead of every periodic check that is due. If a check
// is running, another one follows it. It also resumes a connection a webhook held Broken.
func (m *Monitor) Check(key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.lookup(key)
	if err != nil {
		return err
	}
	m.force(e)
	return nil
}

// Report tells the Monitor about an error your own call with this connection's token got.
// A 401 from an arbitrary Connector endpoint may only mean "no permission for this
// endpoint", so Report never changes the status; if err says the credentials were
// rejected, it brings the next check forward (to no sooner than ConfirmDelay after the
// last one) so configuration/get can confirm. It reports whether it did.
func (m *Monitor) Report(key string, err error) bool {
	if err == nil || !rejected(err) {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || m.closed || e.status == Broken {
		return false
	}
	switch e.where {
	case queued, running:
		return true
	case waiting:
		at := e.checked.Add(m.cfg.confirmDelay)
		if now := time.Now(); at.Before(now) {
			at = now
		}
		if at.Before(e.next) {
			e.next = at
			m.heap.fix(e)
			if e.hidx == 0 {
				m.nudge()
			}
		}
		return true
	}
	return false
}

// Hold marks key Broken for reason without a check and stops its periodic checks until
// Check or Update resumes it, as an integration webhook about a disabled, canceled or
// deleted integration does. It lets such news received elsewhere (another replica of a
// fleet, your own webhook route) reach the Monitor that runs the checks.
func (m *Monitor) Hold(key string, reason error) error {
	if reason == nil {
		return &mews.InputError{Operation: "connection.Monitor.Hold", Field: "reason", Reason: "is nil"}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	e, err := m.lookup(key)
	if err != nil {
		return err
	}
	m.hold(e, reason, time.Now())
	return nil
}

// State returns what the Monitor knows about key.
func (m *Monitor) State(key string) (State, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok {
		return State{}, false
	}
	return e.state(), true
}

// Snapshot returns the state of every watched connection, sorted by key, for a status page.
func (m *Monitor) Snapshot() []State {
	m.mu.Lock()
	out := make([]State, 0, len(m.entries))
	for _, e := range m.entries {
		out = append(out, e.state())
	}
	m.mu.Unlock()
	slices.SortFunc(out, func(a, b State) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// Stats counts connections per status and the work done so far.
type Stats struct {
	Watched                              int
	Unknown, Connected, Degraded, Broken int
	// Checks is the number of checks finished since the Monitor started.
	Checks uint64
	// CoalescedEvents counts events merged because the consumer was behind.
	CoalescedEvents uint64
}

// Stats returns current counts, cheaper than Snapshot for dashboards and metrics.
func (m *Monitor) Stats() Stats {
	m.mu.Lock()
	s := Stats{Watched: len(m.entries), Checks: m.checks}
	for _, e := range m.entries {
		switch e.status {
		case Unknown:
			s.Unknown++
		case Connected:
			s.Connected++
		case Degraded:
			s.Degraded++
		case Broken:
			s.Broken++
		}
	}
	m.mu.Unlock()
	if m.events != nil {
		s.CoalescedEvents = m.events.coalescedCount()
	}
	return s
}

func (e *entry) state() State {
	s := State{
		Key: e.key, API: e.creds.API, IntegrationID: e.creds.IntegrationID,
		Status: e.status, Reason: e.reason, Enterprise: e.enterprise, Property: e.property,
		Failures: e.failures, Checked: e.checked, Changed: e.changed,
	}
	if e.where == waiting {
		s.Next = e.next
	}
	return s
}

func validKey(op, key string) error {
	if key == "" {
		return &mews.InputError{Operation: "connection.Monitor." + op, Field: "key", Reason: "is empty"}
	}
	return nil
}

// lookup finds a watched entry; m.mu is held.
func (m *Monitor) lookup(key string) (*entry, error) {
	if m.closed {
		return nil, ErrClosed
	}
	e, ok := m.entries[key]
	if !ok {
		return nil, ErrNotWatched
	}
	return e, nil
}

func (m *Monitor) index(e *entry) {
	if id := e.creds.IntegrationID; id != "" {
		m.byIntegration[strings.ToLower(id)] = e
	}
}

func (m *Monitor) unindex(e *entry) {
	if id := e.creds.IntegrationID; id != "" && m.byIntegration[strings.ToLower(id)] == e {
		delete(m.byIntegration, strings.ToLower(id))
	}
}

// enqueue puts an entry that is not waiting, queued or running into a ready lane.
func (m *Monitor) enqueue(e *entry, urgent bool) {
	e.seq++
	e.where, e.urgent = queued, urgent
	t := ticket{e: e, seq: e.seq}
	if urgent {
		m.urgent.push(t)
	} else {
		m.ready.push(t)
	}
	m.work.Signal()
}

// force makes e the next thing a worker checks.
func (m *Monitor) force(e *entry) {
	switch e.where {
	case waiting:
		m.heap.remove(e)
		m.enqueue(e, true)
	case idle:
		m.enqueue(e, true)
	case queued:
		if !e.urgent {
			m.enqueue(e, true) // the ticket in the ready lane goes stale
		}
	case running:
		e.again, e.held = true, false
	}
}

// hold marks e Broken for reason without a check (a webhook said so) and stops its
// periodic checks until Check, Update or a webhook resumes it.
func (m *Monitor) hold(e *entry, reason error, now time.Time) {
	switch e.where {
	case waiting:
		m.heap.remove(e)
	case queued:
		e.seq++
	}
	if e.where == running {
		e.held = true
	} else {
		e.where = idle
	}
	e.again = false
	e.gen++
	e.failures = 0
	m.forget(e, now)
	m.setStatus(e, Broken, reason, now)
}

// setStatus records a status and queues an event if it changed; m.mu is held.
func (m *Monitor) setStatus(e *entry, s Status, reason error, now time.Time) {
	prev := e.status
	e.reason = reason
	if prev == s {
		return
	}
	e.status, e.changed = s, now
	if m.events != nil && m.cfg.onEvent != nil {
		m.events.push(Event{Key: e.key, Previous: prev, Status: s, Reason: reason, Time: now})
	}
}

// nudge wakes the scheduler to look at the heap again; m.mu is held.
func (m *Monitor) nudge() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// schedule moves due entries from the heap to the ready lane, sleeping on one timer until
// the earliest next check.
func (m *Monitor) schedule() {
	defer m.wg.Done()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		m.mu.Lock()
		now := time.Now()
		for e := m.heap.peek(); e != nil && !e.next.After(now); e = m.heap.peek() {
			m.heap.remove(e)
			m.enqueue(e, false)
		}
		var wait time.Duration = -1
		if e := m.heap.peek(); e != nil {
			wait = e.next.Sub(now)
		}
		m.mu.Unlock()
		if wait >= 0 {
			timer.Reset(wait)
		} else {
			timer.Stop()
		}
		select {
		case <-m.done:
			return
		case <-m.wake:
		case <-timer.C:
		}
	}
}

// worker runs checks from the ready lanes, urgent ones first.
func (m *Monitor) worker() {
	defer m.wg.Done()
	for {
		m.mu.Lock()
		e, creds, gen, ok := m.take()
		m.mu.Unlock()
		if !ok {
			return
		}
		ctx, cancel := context.WithTimeout(m.ctx, m.cfg.checkTimeout)
		res := check(ctx, m.client, creds)
		cancel()
		m.mu.Lock()
		m.finish(e, gen, res, time.Now())
		m.mu.Unlock()
	}
}

// take waits for a live ticket and marks its entry running; m.mu is held. It returns
// ok=false when the Monitor closes.
func (m *Monitor) take() (e *entry, creds Credentials, gen uint32, ok bool) {
	for {
		for m.urgent.len() == 0 && m.ready.len() == 0 && !m.closed {
			m.work.Wait()
		}
		if m.closed {
			return nil, Credentials{}, 0, false
		}
		var t ticket
		if m.urgent.len() > 0 {
			t = m.urgent.pop()
		} else {
			t = m.ready.pop()
		}
		if t.seq != t.e.seq || t.e.where != queued {
			continue
		}
		t.e.where, t.e.urgent = running, false
		t.e.started = time.Now()
		return t.e, t.e.creds, t.e.gen, true
	}
}

// finish applies a check result and schedules the next check; m.mu is held.
func (m *Monitor) finish(e *entry, gen uint32, res Result, now time.Time) {
	m.checks++
	if e.removed || m.closed {
		return
	}
	c := m.clientOf(e)
	wasProbe := c.probe == e
	if wasProbe {
		c.probe = nil
	}
	if e.gen == gen {
		e.checked = now
		m.apply(e, res, now)
		if wasProbe && c.misconfigured {
			e.parked = true // a probe that failed for any reason waits for the next turn
			c.rejected[e] = struct{}{}
		}
	}
	switch {
	case e.again || (e.gen != gen && !e.held):
		e.again = false
		m.enqueue(e, true)
		m.scheduleProbe(c, now)
		return
	case e.held:
		e.held, e.where = false, idle
		return
	case e.parked:
		e.where = idle
		m.scheduleProbe(c, now)
		return
	}
	e.where = waiting
	e.next = nextCheck(now, m.cfg.interval, m.cfg.jitter, rand.N[time.Duration])
	m.heap.push(e)
	if e.hidx == 0 {
		m.nudge()
	}
}

// apply is the state machine: a success means Connected, a rejection Broken (once the
// client token is known to work, see clientHealth), and a transient failure Degraded
// once DegradedAfter of them happen in a row. A transient failure never ends Broken:
// only a successful check does.
func (m *Monitor) apply(e *entry, res Result, now time.Time) {
	switch res.Status {
	case Connected:
		e.failures = 0
		e.enterprise, e.property = res.Enterprise, res.Property
		m.setStatus(e, Connected, nil, now)
		m.acceptedCheck(e, now)
	case Broken:
		m.rejectedCheck(e, res.Reason, now)
	default:
		e.failures++
		if e.status != Broken && e.failures >= m.cfg.degradedAfter {
			m.setStatus(e, Degraded, res.Reason, now)
		}
	}
}
