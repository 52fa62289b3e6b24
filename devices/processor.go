package devices

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
)

// Func cuts the keys of one command. Report progress with job.Progress. Return notes
// for the front desk (stored with Processed), or an error (its message is stored as
// the notes of Error). Its context ends when Mews cancels the command or the
// Processor closes.
type Func func(ctx context.Context, job *Job) (notes string, err error)

// Job is one key-cutter command handed to a Func.
type Job struct {
	Command   Command
	KeyCutter KeyCutter
	// Resumed is true when the command was interrupted in Processing by an earlier
	// process and is handed on again under ResumeInterrupted.
	Resumed bool

	p *Processor
}

// Progress reports how far the job is, as Mews' Progress of a Processing command.
func (j *Job) Progress(ctx context.Context, progress float64) error {
	if progress < 0 || progress > 1 {
		return invalid("Progress", "must be between 0 and 1")
	}
	return j.p.api.Update(ctx, Update{CommandID: j.Command.ID, State: Processing, Progress: &progress})
}

// Interrupted is the rule for a command the journal lists that Mews still has in
// Processing while this process is not working on it: the previous process stopped
// between Processing and its final state.
type Interrupted int

const (
	// FailInterrupted (the default) moves it to Error with a note, so that the front
	// desk cuts the key again: a key is never cut twice without a person deciding.
	FailInterrupted Interrupted = iota
	// ResumeInterrupted hands it to the Func again, with Job.Resumed set.
	ResumeInterrupted
)

// interruptedNote is the note of a command failed by FailInterrupted.
const interruptedNote = "Interrupted: the key cutter integration stopped while processing this command. Please cut the key again."

// phase is where a command stands in this process.
type phase int

const (
	working   phase = iota // handed to a worker
	finishing              // the Func returned; its final update has not reached Mews yet
	done                   // nothing more to do here (finished, or not a key cutter's)
)

// entry is a command this process has taken.
type entry struct {
	phase  phase
	final  Update             // when finishing
	cancel context.CancelFunc // when working: ends the Func's context
	at     time.Time          // when it became done
}

// finalTimeout bounds a final update, which is sent even while the processor closes.
const finalTimeout = 10 * time.Second

// doneRetention is how long a done command is remembered, so that a late duplicate
// event does not make this process read it again. After that, its final state in Mews
// protects it.
const doneRetention = time.Hour

// Processor takes key-cutter commands from events and polls, hands each to a Func
// once, and reports it to Mews: Received, Processing (with progress), then Processed
// or Error with notes. Create it with New and run it with Run.
type Processor struct {
	api         Commands
	fn          Func
	journal     Journal
	interrupted Interrupted
	poll        time.Duration
	workers     chan struct{}
	logger      *slog.Logger

	mu      sync.Mutex
	seen    map[string]*entry
	hinted  map[string]bool // ids from DeviceCommand events, to read
	wake    chan struct{}
	closed  bool
	cancel  context.CancelFunc
	running sync.WaitGroup // Run
	jobs    sync.WaitGroup // workers
}

// New builds a processor that makes its calls through api (Over(conn) for a
// connection) and hands key-cutter commands to fn. It makes no call until Run.
func New(api Commands, fn Func, opts ...Option) (*Processor, error) {
	if api == nil {
		return nil, invalid("api", "is nil; pass devices.Over(conn)")
	}
	if fn == nil {
		return nil, invalid("fn", "is nil")
	}
	s := settings{poll: DefaultPollInterval, workers: DefaultWorkers}
	for _, opt := range opts {
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if s.journal == nil {
		s.journal = MemoryJournal()
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return &Processor{
		api: api, fn: fn, journal: s.journal, interrupted: s.interrupted, poll: s.poll,
		workers: make(chan struct{}, s.workers), logger: s.logger,
		seen: make(map[string]*entry), hinted: make(map[string]bool), wake: make(chan struct{}, 1),
	}, nil
}

// Notify takes an event from the socket: a DeviceCommand in Pending or Received is read
// and processed by Run; Mews canceling a command this process works on ends its
// Func's context. Other events are ignored. It never blocks.
func (p *Processor) Notify(ev events.Event) {
	dc, ok := ev.(events.DeviceCommand)
	if !ok {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch e := p.seen[dc.ID]; {
	case e != nil && e.phase == working && State(dc.State) == Cancelled:
		e.cancel()
	case e == nil && (State(dc.State) == Pending || State(dc.State) == Received):
		p.hinted[dc.ID] = true
		p.signal()
	}
}

// Resync is an events.ResyncFunc: it makes Run poll now, for the commands created
// while no socket was open. Combine it with your other hooks in events.WithResync.
func (p *Processor) Resync(context.Context, events.Resync) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hinted[""] = true // "" asks for a poll
	p.signal()
	return nil
}

// signal wakes Run. Caller holds p.mu.
func (p *Processor) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// Run polls at once and then every poll interval (commands/getAllActive and the
// journal's unfinished commands), reads the commands that events point at, and starts
// a worker for each new key-cutter command, until ctx ends or Close is called. It
// returns after every worker has ended: nil after Close, ctx's error, or an error
// matching mews.ErrInvalidAuthentication when Mews refuses the tokens.
func (p *Processor) Run(ctx context.Context) error {
	ctx, err := p.begin(ctx)
	if err != nil {
		return err
	}
	defer p.running.Done()
	result := func(err error) error {
		p.mu.Lock()
		closed := p.closed
		p.cancel()
		p.mu.Unlock()
		p.jobs.Wait()
		switch {
		case closed:
			return nil
		case err != nil:
			return err
		}
		return context.Cause(ctx)
	}
	next := time.Now()
	for {
		poll := !time.Now().Before(next)
		p.mu.Lock()
		if p.hinted[""] {
			poll = true
		}
		hinted := make([]string, 0, len(p.hinted))
		for id := range p.hinted {
			if id != "" {
				hinted = append(hinted, id)
			}
		}
		clear(p.hinted)
		p.mu.Unlock()
		var err error
		if poll {
			err = p.pollOnce(ctx)
			next = time.Now().Add(p.poll)
		}
		if err == nil && len(hinted) > 0 {
			err = p.read(ctx, hinted)
		}
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, mews.ErrInvalidAuthentication) {
				return result(err)
			}
			p.logger.Warn("mews devices: poll failed", "error", err)
		}
		t := time.NewTimer(time.Until(next))
		select {
		case <-ctx.Done():
			t.Stop()
			return result(nil)
		case <-p.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// begin marks Run as running under a context Close can cancel.
func (p *Processor) begin(ctx context.Context) (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.closed:
		return nil, ErrClosed
	case p.cancel != nil:
		return nil, ErrBusy
	}
	ctx, p.cancel = context.WithCancel(ctx)
	p.running.Add(1)
	return ctx, nil
}

// Close ends Run and every worker and returns once they have ended. A Func still
// running sees its context end; its command stays in Processing, in the journal, for
// the next Processor's Interrupted rule, exactly as after a crash.
func (p *Processor) Close() error {
	p.mu.Lock()
	p.closed = true
	cancel := p.cancel
	p.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	p.running.Wait()
	return nil
}

// pollOnce finishes what is finishing, takes the active commands, and recovers the
// journal's unfinished ones.
func (p *Processor) pollOnce(ctx context.Context) error {
	p.forgetOld()
	p.finishPending(ctx)
	active, err := p.api.Active(ctx)
	if err != nil {
		return err
	}
	for _, c := range active {
		p.dispatch(ctx, c, false)
	}
	ids, err := p.journal.Unfinished(ctx)
	if err != nil {
		return err
	}
	p.mu.Lock()
	var orphans []string
	for _, id := range ids {
		if p.seen[id] == nil {
			orphans = append(orphans, id)
		}
	}
	p.mu.Unlock()
	return p.read(ctx, orphans)
}

// read fetches commands by id and handles each by its state.
func (p *Processor) read(ctx context.Context, ids []string) error {
	for len(ids) > 0 {
		n := min(len(ids), 1000)
		cmds, err := p.api.ByIDs(ctx, ids[:n])
		if err != nil {
			return err
		}
		ids = ids[n:]
		for _, c := range cmds {
			switch {
			case c.State == Pending || c.State == Received:
				p.dispatch(ctx, c, false)
			case c.State == Processing:
				p.recover(ctx, c)
			case c.State.final(): // nothing to do but forget it
				if err := p.journal.End(ctx, c.ID); err != nil {
					return err
				}
			default:
				p.logger.Warn("mews devices: command in a state this package does not know; left alone", "command", c.ID, "state", c.State)
			}
		}
	}
	return nil
}

// recover applies the Interrupted rule to a Processing command from the journal that
// this process is not working on; one it is working on is left alone.
func (p *Processor) recover(ctx context.Context, c Command) {
	p.mu.Lock()
	_, ours := p.seen[c.ID]
	p.mu.Unlock()
	if ours {
		return
	}
	if p.interrupted == ResumeInterrupted {
		p.dispatch(ctx, c, true)
		return
	}
	if !p.take(c.ID) {
		return
	}
	note := interruptedNote
	p.finish(ctx, c.ID, Update{CommandID: c.ID, State: Error, Notes: &note})
	p.logger.Warn("mews devices: command interrupted in Processing; failed it", "command", c.ID)
}

// take claims a command for this process; false when it was claimed before.
func (p *Processor) take(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[id] != nil {
		return false
	}
	p.seen[id] = &entry{phase: working, cancel: func() {}}
	return true
}

// dispatch starts a worker for a key-cutter command this process has not taken yet.
// Commands for other devices are left untouched: another integration may drive them.
func (p *Processor) dispatch(ctx context.Context, c Command, resumed bool) {
	if c.Device.Type != KeyCutterType {
		p.mu.Lock()
		if p.seen[c.ID] == nil {
			p.seen[c.ID] = &entry{phase: done, at: time.Now()}
		}
		p.mu.Unlock()
		return
	}
	if !p.take(c.ID) {
		return
	}
	jobCtx, cancel := context.WithCancel(ctx)
	p.mu.Lock()
	p.seen[c.ID].cancel = cancel
	p.mu.Unlock()
	p.jobs.Add(1)
	go func() {
		defer p.jobs.Done()
		defer cancel()
		select {
		case p.workers <- struct{}{}:
		case <-jobCtx.Done():
			p.release(c.ID)
			return
		}
		defer func() { <-p.workers }()
		p.process(ctx, jobCtx, c, resumed)
	}()
}

// release forgets a command whose processing did not start, so that a later poll
// offers it again.
func (p *Processor) release(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.seen, id)
}

// process moves one command through its states around the Func. runCtx ends with the
// Processor; jobCtx also ends when Mews cancels the command.
func (p *Processor) process(runCtx, jobCtx context.Context, c Command, resumed bool) {
	job := &Job{Command: c, Resumed: resumed, p: p}
	if err := json.Unmarshal(c.Data, &job.KeyCutter); err != nil {
		note := "The key cutter command's data could not be read."
		p.finish(runCtx, c.ID, Update{CommandID: c.ID, State: Error, Notes: &note})
		return
	}
	if err := p.journal.Begin(runCtx, c.ID); err != nil {
		p.logger.Warn("mews devices: journal failed; command left for later", "command", c.ID, "error", err)
		p.release(c.ID)
		return
	}
	steps := []State{Received, Processing}
	if c.State == Received || resumed {
		steps = steps[1:]
	}
	for _, st := range steps {
		u := Update{CommandID: c.ID, State: st}
		if st == Processing {
			zero := 0.0
			u.Progress = &zero
		}
		if err := p.api.Update(jobCtx, u); err != nil {
			// Not handed on yet: a later poll offers it again, unless Mews moved it on.
			p.logger.Warn("mews devices: could not take the command", "command", c.ID, "state", st, "error", err)
			_ = p.journal.End(runCtx, c.ID)
			p.release(c.ID)
			return
		}
	}
	notes, err := p.fn(jobCtx, job)
	switch {
	case err != nil && runCtx.Err() != nil:
		return // closing: the command stays in Processing and in the journal, as after a crash
	case err != nil && jobCtx.Err() != nil:
		p.done(runCtx, c.ID) // Mews canceled it: Cancelled is final
		return
	}
	final := Update{CommandID: c.ID, State: Processed}
	if err != nil {
		final.State, notes = Error, err.Error()
	}
	if notes != "" {
		final.Notes = &notes
	}
	p.finish(runCtx, c.ID, final)
}

// finish sends a command's final update; when it fails the command is finishing, and
// every poll tries again.
func (p *Processor) finish(ctx context.Context, id string, u Update) {
	// The key is cut: report it even when the processor is closing meanwhile.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalTimeout)
	defer cancel()
	if err := p.api.Update(ctx, u); err != nil {
		var apiErr *mews.APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusForbidden {
			p.done(ctx, id) // Mews has it in a final state already (canceled meanwhile)
			return
		}
		p.logger.Warn("mews devices: final update failed; trying again at the next poll", "command", id, "state", u.State, "error", err)
		p.mu.Lock()
		p.seen[id] = &entry{phase: finishing, final: u}
		p.mu.Unlock()
		return
	}
	p.done(ctx, id)
}

// done marks a command finished here and ends its journal entry.
func (p *Processor) done(ctx context.Context, id string) {
	if err := p.journal.End(ctx, id); err != nil {
		p.logger.Warn("mews devices: journal failed", "command", id, "error", err)
	}
	p.mu.Lock()
	p.seen[id] = &entry{phase: done, at: time.Now()}
	p.mu.Unlock()
}

// finishPending tries the final updates that failed before again.
func (p *Processor) finishPending(ctx context.Context) {
	p.mu.Lock()
	var pending []Update
	for _, e := range p.seen {
		if e.phase == finishing {
			pending = append(pending, e.final)
		}
	}
	p.mu.Unlock()
	for _, u := range pending {
		p.finish(ctx, u.CommandID, u)
	}
}

// forgetOld drops done commands older than doneRetention.
func (p *Processor) forgetOld() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for id, e := range p.seen {
		if e.phase == done && time.Since(e.at) > doneRetention {
			delete(p.seen, id)
		}
	}
}

// String names the processor for logs.
func (p *Processor) String() string {
	return fmt.Sprintf("devices.Processor(%d workers)", cap(p.workers))
}
