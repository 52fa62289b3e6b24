package mewstest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"time"

	"github.com/mewskit/mews-go"
)

// Transport reaches the server in-process, without sockets: each request runs the
// server's handler directly. It works inside testing/synctest bubbles, where time is
// virtual and sockets cannot be used. Dropped connections (reset faults) surface as
// ECONNRESET, refused ones as a dial error with ECONNREFUSED, as on a real network.
func (s *Server) Transport() http.RoundTripper { return inProcess{s} }

// inProcess is the socket-less RoundTripper.
type inProcess struct{ s *Server }

// RoundTrip serves req with the server's handler.
func (t inProcess) RoundTrip(req *http.Request) (resp *http.Response, err error) {
	if req.URL.Path == WebSocketPath {
		return t.s.roundTripWebSocket(req)
	}
	if t.s.takeRefusal(req.URL.Path) {
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	rec := httptest.NewRecorder()
	srvReq := req.Clone(req.Context())
	srvReq.RequestURI = req.URL.RequestURI()
	if req.Body == nil {
		srvReq.Body = http.NoBody
	}
	defer func() {
		if r := recover(); r != nil {
			if r != http.ErrAbortHandler {
				panic(r)
			}
			resp, err = nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
		}
	}()
	t.s.ServeHTTP(rec, srvReq)
	res := rec.Result()
	body := rec.Body.Bytes()
	res.Body = io.NopCloser(bytes.NewReader(body))
	res.ContentLength = int64(len(body))
	res.Request = req
	return res, nil
}

// takeRefusal reports whether the next fault for this path refuses the connection,
// and takes it if so. Refusal happens before any byte is sent, so it is decided here.
func (s *Server) takeRefusal(path string) bool {
	op := operationOf(path)
	f := s.takeFaultIf(op, func(f *Fault) bool { return f.Refuse })
	if f != nil {
		s.record(&Request{Operation: op, API: apiOf(path), Time: time.Now()}, 0, f)
	}
	return f != nil
}

// operationOf extracts the operation name from a request path.
func operationOf(path string) string {
	if op, ok := strings.CutPrefix(path, connectorPrefix); ok {
		return op
	}
	op, _ := strings.CutPrefix(path, channelManagerPrefix)
	return op
}

// apiOf tells which API a request path belongs to.
func apiOf(path string) mews.API {
	if strings.HasPrefix(path, connectorPrefix) {
		return mews.ConnectorAPI
	}
	return mews.ChannelManagerAPI
}
