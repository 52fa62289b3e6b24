package mewstest

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/wait"
)

// Fault is trouble the server injects into matching requests, to test what a client
// does when Mews or the network misbehaves. Fields combine: Delay, then either an early
// effect (Refuse, ResetBeforeProcessing, Status) or processing followed by a late one
// (ResetAfterProcessing, Truncate, HTML, Empty). CommitAfter splits the answer from the
// processing: the client gets an error, and the request is processed later anyway.
type Fault struct {
	// Operation limits the fault to one operation ("resourceAccessTokens/add",
	// "getConfiguration"); empty matches every request.
	Operation string
	// Times is how many matching requests the fault hits; 0 means once, -1 forever.
	Times int

	// Delay holds the request before anything else happens (a slow Mews).
	Delay time.Duration
	// Refuse: the connection is refused; nothing reaches Mews. Through Transport the
	// client sees a dial error (ECONNREFUSED); through a real socket, a reset.
	Refuse bool
	// ResetBeforeProcessing drops the connection before the request is processed.
	ResetBeforeProcessing bool
	// Status answers with this status (and RetryAfter, Body) without processing.
	Status int
	// RetryAfter is the Retry-After header sent with Status, verbatim.
	RetryAfter string
	// Body replaces the default Mews-shaped error body sent with Status.
	Body string
	// ResetAfterProcessing processes the request (a write is stored) and then drops
	// the connection before answering: the ambiguous failure.
	ResetAfterProcessing bool
	// Truncate cuts the processed answer in half.
	Truncate bool
	// HTML replaces the processed answer with an HTML error page (a proxy in the way).
	HTML bool
	// Empty replaces the processed answer with an empty body.
	Empty bool
	// CommitAfter models a gateway that gives up while Mews goes on: the server answers
	// without processing (with Status, 504 Gateway Timeout when Status is 0, or a
	// dropped connection with ResetAfterProcessing), and processes the request
	// CommitAfter after it arrived, on the server's own timer, whether or not the client
	// is still waiting or ever asks again. A write is then stored although its client
	// saw it fail. Delay still holds the answer; the commit is timed from the arrival,
	// independently. Refuse and ResetBeforeProcessing win over it (nothing arrives).
	// Inside a testing/synctest bubble the commit runs on the bubble's clock. The
	// server's log records the request once, with the early answer; the handler's
	// answer to the late processing goes nowhere. Close drops commits still pending.
	CommitAfter time.Duration

	hits int
}

// InjectFault arms f. Faults are taken in the order they were injected.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := f
	s.faults = append(s.faults, &cp)
}

// ClearFaults disarms every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// takeFault returns the first armed fault for operation, using one of its hits.
func (s *Server) takeFault(operation string) *Fault {
	return s.takeFaultIf(operation, nil)
}

// takeFaultIf is takeFault, but takes the first armed fault only when cond accepts
// it (nil accepts any), checking and taking under one lock.
func (s *Server) takeFaultIf(operation string, cond func(*Fault) bool) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.Operation != "" && f.Operation != operation {
			continue
		}
		if cond != nil && !cond(f) {
			return nil
		}
		f.hits++
		limit := max(f.Times, 1)
		if f.Times >= 0 && f.hits >= limit {
			s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
		}
		cp := *f
		return &cp
	}
	return nil
}

// wait applies Delay, ending early when the client gives up.
func (f *Fault) wait(ctx context.Context) error {
	if f.Delay <= 0 {
		return nil
	}
	return wait.For(ctx, f.Delay)
}

// answersEarly reports whether the fault answers without processing the request now.
func (f *Fault) answersEarly() bool { return f.Status != 0 || f.CommitAfter > 0 }

// earlyStatus is the status of an early answer: Status, or a gateway's 504 for a
// late commit that names none.
func (f *Fault) earlyStatus() int {
	if f.Status == 0 && f.CommitAfter > 0 {
		return http.StatusGatewayTimeout
	}
	return f.Status
}

// commitLater processes req after d on the server's own timer, as Mews does with a
// request whose gateway already answered. Close stops the timers still pending.
func (s *Server) commitLater(req *Request, rid string, d time.Duration) {
	late := *req
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	if s.lateCommits == nil {
		s.lateCommits = make(map[*time.Timer]struct{})
	}
	var t *time.Timer
	t = time.AfterFunc(d, func() {
		s.mu.Lock()
		delete(s.lateCommits, t) // t is set: the map entry was made under this lock
		s.mu.Unlock()
		late.Time = time.Now() // Mews stamps what it stores when it stores it
		s.processNow(&late, rid)
	})
	s.lateCommits[t] = struct{}{}
}

// stopLateCommits drops the commits still pending. Caller holds s.mu.
func (s *Server) stopLateCommits() {
	for t := range s.lateCommits {
		t.Stop()
	}
	clear(s.lateCommits)
}

// reply is the early answer of a Status or CommitAfter fault, in the request's dialect.
func (f *Fault) reply(req *Request, rid string) reply {
	status := f.earlyStatus()
	r := reply{status: status}
	switch {
	case f.Body != "":
		r.body = []byte(f.Body)
	case req.API == mews.ConnectorAPI:
		r.body = connectorErrorBody(rid, http.StatusText(status))
	default:
		r.body = []byte(`<html><body><h1>` + http.StatusText(status) + `</h1></body></html>`)
	}
	if f.RetryAfter != "" {
		r.retryAfterRaw = f.RetryAfter
	}
	return r
}

// mangle applies the late body effects.
func (f *Fault) mangle(body []byte) []byte {
	switch {
	case f.Empty:
		return nil
	case f.HTML:
		return []byte("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>")
	case f.Truncate:
		return body[:len(body)/2]
	}
	return body
}

// String describes the fault for recordings.
func (f *Fault) String() string {
	var parts []string
	add := func(on bool, name string) {
		if on {
			parts = append(parts, name)
		}
	}
	add(f.Delay > 0, "delay "+f.Delay.String())
	add(f.Refuse, "refuse")
	add(f.ResetBeforeProcessing, "reset before processing")
	add(f.answersEarly(), "status "+http.StatusText(f.earlyStatus()))
	add(f.CommitAfter > 0, "commit after "+f.CommitAfter.String())
	add(f.ResetAfterProcessing, "reset after processing")
	add(f.Truncate, "truncate")
	add(f.HTML, "html")
	add(f.Empty, "empty")
	return strings.Join(parts, ", ")
}
