package mewstest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/coder/websocket"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/wait"
)

// WebSocketPath is where the server accepts Mews' Connector WebSocket, as on Mews'
// WebSocket host. mews.CustomEnvironment(srv.URL).WebSocketURL points at it.
const WebSocketPath = "/ws/connector"

// webSocketOperation names upgrades in the request log (RequestsFor).
const webSocketOperation = "ws/connector"

// socketBuffer is how many messages may wait for one socket's writer; a socket that
// falls further behind is dropped, as a server does with a client that stopped reading.
const socketBuffer = 4096

// WebSocketEvent is one event as Mews sends it over the WebSocket; SendEvents sends
// it. The server makes them itself for reservation and room changes.
type WebSocketEvent struct {
	Type               string
	ID                 string     `json:"Id"`
	State              string     `json:",omitempty"`
	StartUtc           *time.Time `json:",omitempty"`
	EndUtc             *time.Time `json:",omitempty"`
	AssignedResourceID string     `json:"AssignedResourceId,omitempty"`
	RateID             string     `json:"RateId,omitempty"`
	ResourceCategoryID string     `json:"ResourceCategoryId,omitempty"`
}

// WebSocketFaults is trouble on the WebSocket, set with SetWebSocketFaults.
type WebSocketFaults struct {
	// RefuseStatus answers the next RefuseTimes upgrades (0 means once, -1 forever)
	// with this status instead of switching protocols, e.g. 503. Revoked tokens are
	// answered 401 regardless.
	RefuseStatus int
	RefuseTimes  int
	// Delay holds every message this long before it is sent, in order.
	Delay time.Duration
	// Duplicate sends every message twice.
	Duplicate bool
	// IgnorePings leaves the client's pings unanswered, as a dead peer or a stuck
	// proxy would.
	IgnorePings bool
}

// webSocketState is the server's open sockets and WebSocket faults, behind Server.mu.
type webSocketState struct {
	sockets  map[*socket]bool
	faults   WebSocketFaults
	refused  int
	upgrades int
	pings    int
}

// socket is one open WebSocket: the enterprises its token covers and its outbox.
type socket struct {
	scope map[string]bool
	out   chan []byte
	drop  context.CancelFunc
}

// SetWebSocketFaults replaces the WebSocket faults; the zero value clears them.
func (s *Server) SetWebSocketFaults(f WebSocketFaults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ws.faults, s.ws.refused = f, 0
}

// DropWebSockets closes every open socket without a close handshake, as a network
// failure or a Mews deploy would, and returns how many there were.
func (s *Server) DropWebSockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	for sock := range s.ws.sockets {
		sock.drop()
	}
	n := len(s.ws.sockets)
	clear(s.ws.sockets)
	return n
}

// OpenWebSockets returns how many sockets are open.
func (s *Server) OpenWebSockets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.ws.sockets)
}

// WebSocketPings returns how many pings the server's sockets received so far.
func (s *Server) WebSocketPings() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws.pings
}

// WebSocketUpgrades returns how many upgrades the server accepted so far.
func (s *Server) WebSocketUpgrades() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ws.upgrades
}

// SendEvents sends one message {"Events":[...]} to every open socket whose token
// covers enterpriseID, like Mews; use it for event types the server does not make
// itself (DeviceCommand, PriceUpdate), for stale or reordered events, or with
// json.RawMessage values for types no SDK knows.
func (s *Server) SendEvents(enterpriseID string, events ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broadcast(enterpriseID, events...)
}

// SendWebSocketMessage sends message verbatim to every open socket whose token covers
// enterpriseID, to see what a client does with a message that is not {"Events":[...]}.
func (s *Server) SendWebSocketMessage(enterpriseID string, message []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.send(enterpriseID, append([]byte(nil), message...))
}

// broadcast queues a message for the sockets covering enterpriseID without blocking.
// Caller holds s.mu.
func (s *Server) broadcast(enterpriseID string, events ...any) {
	if len(s.ws.sockets) == 0 || len(events) == 0 {
		return
	}
	msg, err := json.Marshal(struct{ Events []any }{events})
	if err != nil {
		panic(fmt.Sprintf("mewstest: SendEvents: %v", err))
	}
	s.send(enterpriseID, msg)
}

// send queues msg for the sockets covering enterpriseID without blocking. Caller
// holds s.mu.
func (s *Server) send(enterpriseID string, msg []byte) {
	for sock := range s.ws.sockets {
		if !sock.scope[enterpriseID] {
			continue
		}
		select {
		case sock.out <- msg:
		default: // the client stopped reading: drop it
			sock.drop()
			delete(s.ws.sockets, sock)
		}
	}
}

// notifyReservation sends the Reservation event of a change. Caller holds s.mu.
func (s *Server) notifyReservation(r *Reservation) {
	ev := WebSocketEvent{Type: "Reservation", ID: r.ID, State: r.State, AssignedResourceID: r.RoomID}
	ev.StartUtc, ev.EndUtc = utcPointer(r.ScheduledStartUtc), utcPointer(r.ScheduledEndUtc)
	s.broadcast(r.EnterpriseID, ev)
}

// notifyRoom sends the Resource event of a room change. Caller holds s.mu.
func (s *Server) notifyRoom(room *Room) {
	s.broadcast(room.EnterpriseID, WebSocketEvent{Type: "Resource", ID: room.ID, State: room.State})
}

// utcPointer is t in UTC, or nil for the zero time.
func utcPointer(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// UpdateRoom changes a room with fn (its State, typically), as housekeeping does in
// Mews, and sends its Resource event. Unless fn sets UpdatedUtc, it becomes the
// server's clock. It reports whether the room exists.
func (s *Server) UpdateRoom(id string, fn func(*Room)) (Room, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, room := range s.connectorData().rooms {
		if room.ID != id {
			continue
		}
		before := room.UpdatedUtc
		fn(room)
		room.ID = id
		if room.UpdatedUtc.Equal(before) {
			room.UpdatedUtc = time.Now().UTC()
		}
		s.notifyRoom(room)
		return *room, true
	}
	return Room{}, false
}

// serveWebSocket authenticates an upgrade by its cookies, like Mews, and then sends
// the socket its events until the client leaves, the socket is dropped or the server
// closes.
func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	req := &Request{API: mews.ConnectorAPI, Operation: webSocketOperation, Time: time.Now()}
	clientToken, _ := r.Cookie("ClientToken")
	accessToken, _ := r.Cookie("AccessToken")
	s.mu.Lock()
	var cred *credential
	if clientToken != nil && accessToken != nil && s.clientTokens[clientToken.Value] {
		cred = s.accessTokens[accessToken.Value]
	}
	status := 0
	switch f := &s.ws.faults; {
	case cred == nil || cred.revoked:
		status = http.StatusUnauthorized
	case f.RefuseStatus != 0 && (f.RefuseTimes < 0 || s.ws.refused < max(f.RefuseTimes, 1)):
		status = f.RefuseStatus
		s.ws.refused++
	}
	s.mu.Unlock()
	if status != 0 {
		s.record(req, status, nil)
		http.Error(w, http.StatusText(status), status)
		return
	}
	// Register before the 101 goes out: a client that sees it connected must get every
	// event of the changes it makes next.
	ctx, drop := context.WithCancel(context.Background())
	defer drop()
	sock := &socket{scope: set(enterpriseScope(cred.owner)), out: make(chan []byte, socketBuffer), drop: drop}
	s.mu.Lock()
	if s.ws.sockets == nil {
		s.ws.sockets = make(map[*socket]bool)
	}
	s.ws.sockets[sock] = true
	s.ws.upgrades++
	s.mu.Unlock()
	s.record(req, http.StatusSwitchingProtocols, nil)
	defer func() {
		s.mu.Lock()
		delete(s.ws.sockets, sock)
		s.mu.Unlock()
	}()
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OnPingReceived: func(context.Context, []byte) bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.ws.pings++
		return !s.ws.faults.IgnorePings
	}})
	if err != nil { // not a WebSocket handshake; Accept answered it
		return
	}
	ctx = conn.CloseRead(ctx) // answers pings; ends when the client goes
	defer conn.CloseNow()
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-sock.out:
			s.mu.Lock()
			f := s.ws.faults
			s.mu.Unlock()
			if wait.For(ctx, f.Delay) != nil {
				return
			}
			for range 1 + btoi(f.Duplicate) {
				if conn.Write(ctx, websocket.MessageText, msg) != nil {
					return
				}
			}
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// closeWebSockets drops every socket when the server closes.
func (s *Server) closeWebSockets() { s.DropWebSockets() }

// roundTripWebSocket serves an upgrade in-process: the handler runs on its own
// goroutine over one end of a net.Pipe, which becomes the socket once the handler
// hijacks it, and the client reads the response from the other end. So the WebSocket
// works through Transport, and inside testing/synctest bubbles, without a listener.
func (s *Server) roundTripWebSocket(req *http.Request) (*http.Response, error) {
	clientEnd, serverEnd := net.Pipe()
	in := req.Clone(context.Background()) // the socket outlives the dial's context
	in.RequestURI = req.URL.RequestURI()
	in.Body = http.NoBody
	w := &pipeWriter{ResponseRecorder: httptest.NewRecorder(), conn: serverEnd}
	go func() {
		defer func() {
			if p := recover(); p != nil && p != http.ErrAbortHandler {
				panic(p)
			}
			if !w.hijacked {
				res := w.Result()
				_ = res.Write(serverEnd)
				serverEnd.Close()
			}
		}()
		s.ServeHTTP(w, in)
	}()
	stop := context.AfterFunc(req.Context(), func() { clientEnd.Close() })
	defer stop()
	br := bufio.NewReader(clientEnd)
	res, err := http.ReadResponse(br, req)
	if err != nil {
		clientEnd.Close()
		return nil, err
	}
	if res.StatusCode == http.StatusSwitchingProtocols {
		res.Body = &pipeBody{Reader: br, Conn: clientEnd}
	}
	return res, nil
}

// pipeWriter is a ResponseWriter over a net.Pipe end that can be hijacked.
type pipeWriter struct {
	*httptest.ResponseRecorder
	conn     net.Conn
	hijacked bool
}

// Hijack writes the response head recorded so far (the 101) and hands over the conn.
func (w *pipeWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.hijacked = true
	bw := bufio.NewWriter(w.conn)
	status := w.Code
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	_ = w.Header().Write(bw)
	bw.WriteString("\r\n")
	if err := bw.Flush(); err != nil {
		return nil, nil, err
	}
	return w.conn, bufio.NewReadWriter(bufio.NewReader(w.conn), bw), nil
}

// pipeBody is the body of a 101 response: the socket, read through the buffer that
// read the response head.
type pipeBody struct {
	io.Reader
	net.Conn
}

func (b *pipeBody) Read(p []byte) (int, error) { return b.Reader.Read(p) }
