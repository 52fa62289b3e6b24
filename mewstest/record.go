package mewstest

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/mewskit/mews-go"
)

// RecordedRequest is one request the server received, for assertions in tests.
type RecordedRequest struct {
	API       mews.API
	Operation string
	Body      json.RawMessage // as sent, credentials included: keep it out of logs
	Status    int             // the status answered; 0 when the connection was dropped
	Fault     string          // the injected fault, if any
	Time      time.Time
}

// record appends a request to the log.
func (s *Server) record(req *Request, status int, f *Fault) {
	r := RecordedRequest{API: req.API, Operation: req.Operation, Body: req.Body, Status: status, Time: req.Time}
	if f != nil {
		r.Fault = f.String()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

// Requests returns a copy of every request received so far, oldest first.
func (s *Server) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RecordedRequest(nil), s.requests...)
}

// RequestsFor returns the recorded requests of one operation.
func (s *Server) RequestsFor(operation string) []RecordedRequest {
	var out []RecordedRequest
	for _, r := range s.Requests() {
		if r.Operation == operation {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// RedactedBody is the body with its credential values (ClientToken, AccessToken,
// clientToken, connectionToken) replaced, for test failure messages and logs: print
// this, never Body.
func (r RecordedRequest) RedactedBody() string {
	var fields map[string]json.RawMessage
	if json.Unmarshal(r.Body, &fields) != nil {
		return "(not a JSON object)"
	}
	for name := range fields {
		if strings.HasSuffix(name, "Token") || strings.HasSuffix(name, "token") {
			fields[name] = json.RawMessage(`"[redacted]"`)
		}
	}
	b, _ := json.Marshal(fields)
	return string(b)
}
