package mewstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/mewskit/mews-go"
)

const (
	connectorPrefix      = "/api/connector/v1/"
	channelManagerPrefix = "/api/channelManager/v1/"
	maxRequestBody       = 16 << 20
)

// Server is an in-process fake of Mews that speaks both APIs: Connector (PascalCase,
// HTTP status codes) and Channel Manager (lowerCamelCase, HTTP 200 envelopes). It
// checks tokens like Mews, limits each AccessToken to 200 requests in any 30 s, injects
// faults on request, and records every request. It is safe for concurrent use.
type Server struct {
	// URL is the platform address to give the SDK (mews.WithBaseURL). For an
	// in-process server it is a loopback address that only Transport reaches.
	URL string

	http *httptest.Server

	mu             sync.Mutex
	connectorOps   map[string]ConnectorHandler
	cmOps          map[string]ChannelManagerHandler
	clientTokens   map[string]bool
	cmClientTokens map[string]bool
	accessTokens   map[string]*credential
	connections    map[string]*credential
	tokenSeq       int
	requestSeq     int
	rateN          int
	ratePer        time.Duration
	rateLog        map[string][]time.Time
	faults         []*Fault
	lateCommits    map[*time.Timer]struct{} // pending CommitAfter processing
	closed         bool
	requests       []RecordedRequest

	connector      connectorState
	channelManager channelManagerState
	ws             webSocketState
	devices        deviceState
}

// ServerOption configures NewServer.
type ServerOption func(*Server)

// WithInProcess builds the server without a listener: reach it only through Transport (or
// NewClient). Use it inside testing/synctest bubbles, where sockets do not work.
func WithInProcess() ServerOption {
	return func(s *Server) { s.URL = "" }
}

// NewServer starts a fake Mews on a loopback port (or, with WithInProcess, without one),
// seeded with the credentials in this package's constants and the built-in operations.
// Close it when done.
func NewServer(opts ...ServerOption) *Server {
	s := &Server{
		URL:          "listen",
		connectorOps: make(map[string]ConnectorHandler),
		cmOps:        make(map[string]ChannelManagerHandler),
		rateN:        200,
		ratePer:      30 * time.Second,
		rateLog:      make(map[string][]time.Time),
	}
	s.seedCredentials()
	s.registerConnector()
	s.registerChannelManager()
	for _, opt := range opts {
		opt(s)
	}
	if s.URL == "" {
		s.URL = "http://127.0.0.1:9"
		return s
	}
	s.http = httptest.NewServer(s)
	s.URL = s.http.URL
	return s
}

// Close drops every WebSocket, stops the listener, if any, and drops late commits
// (Fault.CommitAfter) still pending.
func (s *Server) Close() {
	s.closeWebSockets()
	s.mu.Lock()
	s.closed = true
	s.stopLateCommits()
	s.mu.Unlock()
	if s.http != nil {
		s.http.Close()
	}
}

// ClientOptions configures a mews.Client for this server: its address and the seeded
// client tokens and client name.
func (s *Server) ClientOptions() []mews.Option {
	return []mews.Option{
		mews.WithBaseURL(s.URL),
		mews.WithClientToken(ClientToken),
		mews.WithClientName(ClientName),
		mews.WithChannelManagerClientToken(ChannelManagerClientToken),
	}
}

// NewClient is a mews.Client on this server's in-process Transport, with extra options
// applied last.
func (s *Server) NewClient(extra ...mews.Option) (*mews.Client, error) {
	opts := append(s.ClientOptions(), mews.WithTransport(s.Transport()))
	return mews.NewClient(append(opts, extra...)...)
}

// SetRateLimit changes the per-AccessToken limit: at most n requests in any sliding
// window of length per (Mews: 200 per 30 s). n <= 0 turns it off.
func (s *Server) SetRateLimit(n int, per time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateN, s.ratePer = n, per
	clear(s.rateLog)
}

// Request is one call as an operation handler sees it, after the server checked its
// credentials.
type Request struct {
	API             mews.API
	Operation       string          // e.g. "reservations/getAll/2023-06-06" or "getConfiguration"
	Body            json.RawMessage // the whole request body, credentials included
	EnterpriseID    string          // Connector: the enterprise of the AccessToken
	PropertyID      string          // Channel Manager: the property of the connectionToken
	ConnectionToken string          // Channel Manager: the connection token used
	Time            time.Time       // when the server received it
}

// Decode reads the body into v. On malformed JSON it returns the error Mews would
// answer with (Connector 400, Channel Manager code 6), ready to return from a handler.
func (r *Request) Decode(v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		if r.API == mews.ConnectorAPI {
			return ConnectorError(http.StatusBadRequest, "Invalid JSON: "+err.Error())
		}
		return ChannelManagerError(mews.CodeValidation, "Invalid JSON: "+err.Error())
	}
	return nil
}

// ConnectorHandler serves one Connector operation. Its value is encoded as the 200
// body; an error from ConnectorError chooses the status, any other error is a 500.
type ConnectorHandler func(r *Request) (any, error)

// ChannelManagerHandler serves one Channel Manager operation. Its value's JSON fields
// are placed next to "success": true; an error from ChannelManagerError becomes the
// error envelope, any other error code 1.
type ChannelManagerHandler func(r *Request) (any, error)

// HandleConnector installs (or replaces) a Connector operation, e.g.
// "resourceAccessTokens/add". Use it in your own tests for operations the server does
// not serve yet.
func (s *Server) HandleConnector(operation string, h ConnectorHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.connectorOps[strings.Trim(operation, "/")] = h
}

// HandleChannelManager installs (or replaces) a Channel Manager operation, e.g.
// "getChannels". The push operations live at "processGroup" and
// "processAvailabilityBlock".
func (s *Server) HandleChannelManager(operation string, h ChannelManagerHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cmOps[strings.Trim(operation, "/")] = h
}

// httpError is a Connector failure with its status.
type httpError struct {
	status  int
	message string
}

func (e *httpError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.status, e.message) }

// ConnectorError is a handler error that the server answers with status and Mews'
// error body {Message, RequestId, Details}.
func ConnectorError(status int, message string) error {
	return &httpError{status: status, message: message}
}

// cmError is a Channel Manager failure envelope.
type cmError struct{ details []mews.ErrorDetail }

func (e *cmError) Error() string { return fmt.Sprintf("channel manager errors %v", e.details) }

// ChannelManagerError is a handler error that the server answers with an HTTP 200
// envelope {success: false, errors: [{code, message}]}.
func ChannelManagerError(code mews.ErrorCode, message string) error {
	return &cmError{details: []mews.ErrorDetail{{Code: code, Message: message}}}
}

// ChannelManagerErrors is ChannelManagerError with several errors, e.g. with rate or
// category codes.
func ChannelManagerErrors(details ...mews.ErrorDetail) error {
	return &cmError{details: details}
}

// ServeHTTP routes a request to the Connector or Channel Manager dialect.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	now := time.Now()
	rid := s.nextRequestID()
	w.Header().Set("Request-Id", rid)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBody))
	switch {
	case r.URL.Path == WebSocketPath:
		s.serveWebSocket(w, r)
	case strings.HasPrefix(r.URL.Path, connectorPrefix):
		op := strings.TrimPrefix(r.URL.Path, connectorPrefix)
		if err != nil {
			writeConnectorError(w, rid, http.StatusRequestEntityTooLarge, "Request body too large.")
			return
		}
		s.serve(w, r, &Request{API: mews.ConnectorAPI, Operation: op, Body: body, Time: now}, rid)
	case strings.HasPrefix(r.URL.Path, channelManagerPrefix):
		op := strings.TrimPrefix(r.URL.Path, channelManagerPrefix)
		if err != nil {
			writeEnvelope(w, nil, []mews.ErrorDetail{{Code: mews.CodeValidation, Message: "Request body too large."}})
			return
		}
		s.serve(w, r, &Request{API: mews.ChannelManagerAPI, Operation: op, Body: body, Time: now}, rid)
	default:
		writeConnectorError(w, rid, http.StatusNotFound, "Not found: "+r.URL.Path)
	}
}

// nextRequestID makes a GUID-shaped request id.
func (s *Server) nextRequestID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requestSeq++
	return fmt.Sprintf("00000000-0000-4000-8000-%012d", s.requestSeq)
}

// reply is what the server answers to one request.
type reply struct {
	status        int
	body          []byte
	retryAfter    time.Duration
	retryAfterRaw string // a Retry-After header given verbatim by a fault
}

// serve checks, records and answers one request, injecting any matching fault.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, req *Request, rid string) {
	var fault *Fault
	var rep reply
	if r.Method != http.MethodPost {
		rep = reject(req, rid, http.StatusNotFound, "Only POST is supported.")
	} else {
		fault = s.takeFault(req.Operation)
		rep = s.process(r, req, rid, fault)
	}
	if fault != nil {
		rep.body = fault.mangle(rep.body)
		if fault.ResetAfterProcessing {
			s.record(req, 0, fault)
			panic(http.ErrAbortHandler)
		}
		if fault.HTML {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	switch {
	case rep.retryAfterRaw != "":
		w.Header().Set("Retry-After", rep.retryAfterRaw)
	case rep.retryAfter > 0:
		w.Header().Set("Retry-After", retryAfterSeconds(rep.retryAfter))
	}
	s.record(req, rep.status, fault)
	w.WriteHeader(rep.status)
	_, _ = w.Write(rep.body)
}

// process applies the fault's early effects, then the checks and the handler.
func (s *Server) process(r *http.Request, req *Request, rid string, fault *Fault) reply {
	if fault != nil {
		if fault.Refuse || fault.ResetBeforeProcessing {
			s.record(req, 0, fault)
			panic(http.ErrAbortHandler)
		}
		if fault.CommitAfter > 0 {
			s.commitLater(req, rid, fault.CommitAfter)
		}
		if err := fault.wait(r.Context()); err != nil {
			panic(http.ErrAbortHandler)
		}
		if fault.answersEarly() {
			return fault.reply(req, rid)
		}
	}
	return s.processNow(req, rid)
}

// processNow checks the request and runs its handler.
func (s *Server) processNow(req *Request, rid string) reply {
	if !json.Valid(req.Body) {
		return reject(req, rid, http.StatusBadRequest, "Invalid JSON.")
	}
	if req.API == mews.ConnectorAPI {
		return s.serveConnector(req, rid)
	}
	return s.serveChannelManager(req)
}

// reject answers in the request's dialect without running a handler: the status for
// the Connector, a code-6 envelope for the Channel Manager.
func reject(req *Request, rid string, status int, msg string) reply {
	if req.API == mews.ConnectorAPI {
		return reply{status: status, body: connectorErrorBody(rid, msg)}
	}
	return reply{status: http.StatusOK, body: envelopeBody(nil, []mews.ErrorDetail{{Code: mews.CodeValidation, Message: msg}})}
}

// serveConnector authenticates, rate-limits and dispatches a Connector request.
func (s *Server) serveConnector(req *Request, rid string) reply {
	var auth struct {
		ClientToken, AccessToken string
		Client                   *string
	}
	_ = json.Unmarshal(req.Body, &auth)
	s.mu.Lock()
	h := s.connectorOps[req.Operation]
	if h == nil { // every other operation of the spec: see spec.go
		h = specHandler(req.Operation)
	}
	cred := s.accessTokens[auth.AccessToken]
	okClient := s.clientTokens[auth.ClientToken]
	// Read under the lock: Revoke and Restore change a credential while requests run.
	valid := cred != nil && !cred.revoked
	retryAfter := time.Duration(0)
	if okClient && valid {
		req.EnterpriseID = cred.owner
		retryAfter = s.admit(auth.AccessToken, req.Time)
	}
	s.mu.Unlock()
	fail := func(status int, msg string) reply {
		return reply{status: status, body: connectorErrorBody(rid, msg)}
	}
	switch {
	case h == nil:
		return fail(http.StatusNotFound, "Operation "+req.Operation+" not found.")
	case !okClient || !valid:
		return fail(http.StatusUnauthorized, "Invalid ClientToken or AccessToken, or the integration is disabled.")
	case auth.Client == nil || strings.TrimSpace(*auth.Client) == "":
		return fail(http.StatusBadRequest, "Invalid Client.")
	case retryAfter > 0:
		r := fail(http.StatusTooManyRequests, "Too many requests.")
		r.retryAfter = retryAfter
		return r
	}
	v, err := h(req)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			return fail(he.status, he.message)
		}
		return fail(http.StatusInternalServerError, "Unexpected error.")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fail(http.StatusInternalServerError, "Unexpected error.")
	}
	return reply{status: http.StatusOK, body: b}
}

// admit records a request in the AccessToken's sliding window and returns how long the
// caller must wait when the window is full (0 when admitted). Caller holds s.mu.
func (s *Server) admit(token string, now time.Time) time.Duration {
	if s.rateN <= 0 {
		return 0
	}
	log := s.rateLog[token]
	cut := 0
	for cut < len(log) && now.Sub(log[cut]) >= s.ratePer {
		cut++
	}
	log = log[cut:]
	if len(log) >= s.rateN {
		s.rateLog[token] = log
		return log[0].Add(s.ratePer).Sub(now)
	}
	s.rateLog[token] = append(log, now)
	return 0
}

// serveChannelManager authenticates and dispatches a Channel Manager request.
func (s *Server) serveChannelManager(req *Request) reply {
	var auth struct {
		ClientToken     string  `json:"clientToken"`
		ConnectionToken *string `json:"connectionToken"`
	}
	_ = json.Unmarshal(req.Body, &auth)
	s.mu.Lock()
	h := s.cmOps[req.Operation]
	okClient := s.cmClientTokens[auth.ClientToken]
	var cred *credential
	if auth.ConnectionToken != nil {
		cred = s.connections[*auth.ConnectionToken]
	}
	// Read under the lock: Revoke, Restore and Deactivate change a credential while
	// requests run.
	revoked, inactive, owner := true, false, ""
	if cred != nil {
		revoked, inactive, owner = cred.revoked, cred.inactive, cred.owner
	}
	s.mu.Unlock()
	fail := func(code mews.ErrorCode, msg string) reply {
		return reply{status: http.StatusOK, body: envelopeBody(nil, []mews.ErrorDetail{{Code: code, Message: msg}})}
	}
	switch {
	case h == nil:
		return fail(mews.CodeValidation, "Unknown operation "+req.Operation+".")
	case !okClient:
		return fail(mews.CodeInvalidAuthentication, "Invalid 'clientToken' or 'connectionToken'.")
	case auth.ConnectionToken == nil && !clientLevelOperation(req.Operation):
		return fail(mews.CodeInvalidAuthentication, "Missing 'connectionToken'.")
	case auth.ConnectionToken != nil && revoked:
		return fail(mews.CodeInvalidAuthentication, "Invalid 'clientToken' or 'connectionToken'.")
	case cred != nil && inactive:
		return fail(mews.CodeConnectionNotFound, "Connection not found.")
	}
	if cred != nil {
		req.PropertyID, req.ConnectionToken = owner, *auth.ConnectionToken
	}
	v, err := h(req)
	if err != nil {
		var ce *cmError
		if errors.As(err, &ce) {
			return reply{status: http.StatusOK, body: envelopeBody(nil, ce.details)}
		}
		return fail(mews.CodeSystemError, "Unexpected error.")
	}
	return reply{status: http.StatusOK, body: envelopeBody(v, nil)}
}

// clientLevelOperation reports whether a Channel Manager operation takes no connectionToken.
func clientLevelOperation(op string) bool {
	return op == "getProperties" || op == "getChannels"
}

// connectorErrorBody is Mews' Connector error body.
func connectorErrorBody(rid, msg string) []byte {
	b, _ := json.Marshal(struct {
		Message   string
		RequestId string
		Details   any
	}{msg, rid, nil})
	return b
}

// writeConnectorError answers a Connector error directly.
func writeConnectorError(w http.ResponseWriter, rid string, status int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(connectorErrorBody(rid, msg))
}

// envelopeBody is a Channel Manager envelope: success with v's fields, or the errors.
func envelopeBody(v any, errs []mews.ErrorDetail) []byte {
	if len(errs) > 0 {
		b, _ := json.Marshal(struct {
			Success bool               `json:"success"`
			Errors  []mews.ErrorDetail `json:"errors"`
		}{false, errs})
		return b
	}
	head := []byte(`{"success":true`)
	if v == nil {
		return append(head, '}')
	}
	b, err := json.Marshal(v)
	if err != nil || len(b) < 2 || b[0] != '{' {
		return envelopeBody(nil, []mews.ErrorDetail{{Code: mews.CodeSystemError, Message: "Unexpected error."}})
	}
	if inner := bytes.TrimSpace(b[1 : len(b)-1]); len(inner) > 0 {
		head = append(append(head, ','), inner...)
	}
	return append(head, '}')
}

// writeEnvelope answers a Channel Manager envelope directly.
func writeEnvelope(w http.ResponseWriter, v any, errs []mews.ErrorDetail) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(envelopeBody(v, errs))
}

// retryAfterSeconds renders a wait as Retry-After delta-seconds, rounded up.
func retryAfterSeconds(d time.Duration) string {
	return fmt.Sprint(int(math.Ceil(d.Seconds())))
}
