package events

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/wait"
)

// Connector is the connection a socket is opened for: its client's environment and
// ClientToken, and its AccessToken. *mews.Connector implements it.
type Connector interface {
	Client() *mews.Client
	AccessToken() mews.Token
}

// Errors of the client.
var (
	// ErrBufferFull is the Resync.Cause when the consumer fell behind by more than the
	// buffer (WithBuffer) and the waiting events were dropped.
	ErrBufferFull = errors.New("events: the consumer fell behind; waiting events were dropped")
	// ErrClosed is yielded by Events after Close.
	ErrClosed = errors.New("events: client closed")
	// ErrBusy is yielded by Events while another range over the same client runs:
	// a client holds one socket.
	ErrBusy = errors.New("events: Events is already running on this client")
)

// operation names the WebSocket endpoint in errors.
const operation = "ws/connector"

// dialTimeout bounds one upgrade request.
const dialTimeout = 30 * time.Second

// Client receives one AccessToken's events over one WebSocket. New makes no network
// call; the socket is opened by ranging over Events and lives as long as that range.
// Its methods are safe for concurrent use.
type Client struct {
	url        string
	header     http.Header // the user's headers; the token cookie is added per dial, so no field holds it
	clientTok  mews.Token  // the Connector ClientToken, for the cookie (redacting)
	httpClient *http.Client
	resync     ResyncFunc
	logger     *slog.Logger
	ping       time.Duration
	minBackoff time.Duration
	maxBackoff time.Duration
	buffer     int
	token      mews.Token // the AccessToken, for log lines (redacting)

	mu      sync.Mutex
	closed  bool
	running bool
	cancel  context.CancelFunc // ends the running range's background goroutines
	bg      sync.WaitGroup     // the running range's background goroutines
}

// New builds a client for conn's AccessToken on its client's environment
// (Environment.WebSocketURL). WithResync is required.
func New(conn Connector, opts ...Option) (*Client, error) {
	if mc, ok := conn.(*mews.Connector); conn == nil || ok && mc == nil {
		return nil, invalid("connector", "is nil")
	}
	mc := conn.Client()
	if mc == nil {
		return nil, invalid("connector", "has no client")
	}
	s := settings{ping: DefaultPingInterval, minBackoff: DefaultMinBackoff, maxBackoff: DefaultMaxBackoff, buffer: DefaultBuffer}
	for _, opt := range opts {
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if s.resync == nil {
		return nil, invalid("WithResync", "is required: what changes while no socket is open reaches you only through the resync")
	}
	url := mc.Environment().WebSocketURL
	if url == "" {
		return nil, invalid("environment", "has no WebSocketURL")
	}
	if _, err := cookie(mc.ClientToken(), conn.AccessToken()); err != nil {
		return nil, err
	}
	header := s.header.Clone()
	if header == nil {
		header = http.Header{}
	}
	if header.Get("User-Agent") == "" {
		header.Set("User-Agent", "mews-go/"+mews.Version)
	}
	hc := &http.Client{}
	if s.httpClient != nil {
		*hc = *s.httpClient
	}
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	hc.Jar = nil // the Cookie header is the tokens, and only them
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	return &Client{
		url: url, header: header, httpClient: hc, resync: s.resync, logger: s.logger,
		ping: s.ping, minBackoff: s.minBackoff, maxBackoff: s.maxBackoff, buffer: s.buffer,
		token: conn.AccessToken(), clientTok: mc.ClientToken(),
	}, nil
}

// cookie is Mews' WebSocket authentication: both tokens as cookies.
func cookie(clientToken, accessToken mews.Token) (string, error) {
	for _, t := range []struct {
		field string
		tok   mews.Token
	}{{"Connector client token", clientToken}, {"access token", accessToken}} {
		if t.tok.IsZero() {
			return "", invalid(t.field, "is not configured")
		}
		for _, r := range t.tok.Reveal() {
			if r <= ' ' || r >= 0x7f || r == '"' || r == ',' || r == ';' || r == '\\' {
				return "", invalid(t.field, "has a character a cookie cannot carry")
			}
		}
	}
	return "ClientToken=" + clientToken.Reveal() + "; AccessToken=" + accessToken.Reveal(), nil
}

// String identifies the client without its tokens.
func (c *Client) String() string { return "events.Client(" + c.token.String() + ")" }

// Events opens the socket and yields its events until ctx ends, Close is called, the
// consumer stops, or Mews refuses the tokens.
//
// Why an iterator rather than a channel: the loop body is the back-pressure. Events
// are read from the socket all the time (so pings are answered and a slow consumer
// never makes Mews or a proxy drop the socket) into a bounded buffer; the range takes
// them in order. The resync hook runs in the same goroutine, between events, so the
// consumer's state needs no locks. If the consumer falls more than the buffer behind,
// the buffer is replaced by a resync (Cause ErrBufferFull): loud, and nothing lost.
//
// After every (re)connect, the resync hook runs before the socket's first event.
// Dropped sockets, failed pings, 5xx and network errors are retried with jittered
// backoff (WithBackoff) and logged. The range ends with an error:
//   - an *mews.APIError matching mews.ErrInvalidAuthentication when Mews answers the
//     upgrade with 401 or 403 (revoked token, integration disabled): report it to a
//     connection.Monitor to mark the connection Broken;
//   - an *mews.APIError for another refusal that retrying cannot cure (other 3xx/4xx);
//   - ctx's error when ctx ends; ErrBusy or ErrClosed as documented.
//
// After Close the range ends without an error.
func (c *Client) Events(ctx context.Context) iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		runCtx, err := c.start(ctx)
		if err != nil {
			yield(nil, err)
			return
		}
		q := newQueue(c.buffer)
		go func() {
			defer c.bg.Done()
			c.run(runCtx, q)
		}()
		defer c.stop()
		for {
			it, err := q.next(runCtx)
			if err != nil {
				if ctx.Err() != nil {
					yield(nil, context.Cause(ctx))
				} else if !errors.Is(err, context.Canceled) {
					yield(nil, err)
				}
				return
			}
			if it.resync != nil {
				c.catchUp(runCtx, *it.resync)
				continue
			}
			if !yield(it.ev, nil) {
				return
			}
		}
	}
}

// start marks the client running, counts the background goroutine the range is about
// to start (under the lock, so that Close waits for it) and returns its context.
func (c *Client) start(ctx context.Context) (context.Context, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, ErrClosed
	case c.running:
		return nil, ErrBusy
	}
	runCtx, cancel := context.WithCancel(ctx)
	c.running, c.cancel = true, cancel
	c.bg.Add(1)
	return runCtx, nil
}

// stop ends the range's background goroutines and waits for them.
func (c *Client) stop() {
	c.mu.Lock()
	cancel := c.cancel
	c.mu.Unlock()
	cancel()
	c.bg.Wait()
	c.mu.Lock()
	c.running, c.cancel = false, nil
	c.mu.Unlock()
}

// Close ends the running range, if any, closes its socket and returns once every
// goroutine the client started has ended. It may be called from the loop body. Later
// ranges yield ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	c.closed = true
	cancel := c.cancel
	c.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	c.bg.Wait()
	return nil
}

// catchUp runs the resync hook until it succeeds or ctx ends.
func (c *Client) catchUp(ctx context.Context, r Resync) {
	for attempt := 1; ; attempt++ {
		err := c.resync(ctx, r)
		if err == nil || ctx.Err() != nil {
			return
		}
		pause := c.backoff(attempt)
		c.logger.Warn("mews events: resync failed", "access_token", c.token, "error", err, "retry_in", pause)
		if wait.For(ctx, pause) != nil {
			return
		}
	}
}

// run keeps a socket open until ctx ends or Mews refuses for good, queueing a resync
// after every connect and the events in between.
func (c *Client) run(ctx context.Context, q *queue) {
	var cause error
	attempt, connects := 0, 0
	for {
		conn, err := c.dial(ctx)
		if ctx.Err() != nil {
			if conn != nil {
				conn.CloseNow()
			}
			return
		}
		if err != nil {
			var apiErr *mews.APIError
			if errors.As(err, &apiErr) && !retryable(apiErr.StatusCode) {
				q.fail(err)
				return
			}
			attempt++
			pause := c.backoff(attempt)
			c.logger.Warn("mews events: connect failed", "access_token", c.token, "error", err, "retry_in", pause)
			cause = err
			if wait.For(ctx, pause) != nil {
				return
			}
			continue
		}
		connects++
		c.logger.Info("mews events: connected", "access_token", c.token, "connects", connects)
		q.resync(Resync{Connects: connects, Cause: cause})
		opened := time.Now()
		err = c.serve(ctx, conn, q)
		if ctx.Err() != nil {
			return
		}
		if time.Since(opened) >= c.ping {
			attempt = 0 // the socket was healthy for a while: start the backoff over
		}
		attempt++
		pause := c.backoff(attempt)
		c.logger.Warn("mews events: socket lost", "access_token", c.token, "error", err, "reconnect_in", pause)
		cause = err
		if wait.For(ctx, pause) != nil {
			return
		}
	}
}

// retryable reports whether an upgrade refused with status may succeed later.
func retryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// dial opens one socket. A refused upgrade is an *mews.APIError; 401 and 403 also
// match mews.ErrInvalidAuthentication. No error carries the cookie.
func (c *Client) dial(ctx context.Context) (*websocket.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	header := c.header.Clone()
	cookie, err := cookie(c.clientTok, c.token)
	if err != nil {
		return nil, err
	}
	header.Set("Cookie", cookie)
	conn, resp, err := websocket.Dial(ctx, c.url, &websocket.DialOptions{HTTPClient: c.httpClient, HTTPHeader: header})
	if err == nil {
		conn.SetReadLimit(MaxMessageSize)
		return conn, nil
	}
	if resp == nil || resp.StatusCode == http.StatusSwitchingProtocols {
		return nil, fmt.Errorf("events: connect to %s: %w", c.url, err)
	}
	apiErr := &mews.APIError{
		API: mews.ConnectorAPI, Operation: operation, StatusCode: resp.StatusCode,
		Message: "the WebSocket upgrade was refused", RequestID: resp.Header.Get("Request-Id"),
	}
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		// 403 maps to ErrProcessing by status; for the upgrade it means the tokens.
		apiErr.Err = mews.ErrInvalidAuthentication
	}
	return nil, apiErr
}

// serve reads conn until it fails, queueing its events, while a second goroutine
// pings. It returns why the socket ended.
func (c *Client) serve(ctx context.Context, conn *websocket.Conn, q *queue) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	pingErr := make(chan error, 1)
	go func() { pingErr <- c.pingLoop(ctx, conn) }()
	defer func() {
		cancel()
		conn.CloseNow()
		if perr := <-pingErr; perr != nil {
			err = perr // the read failed because the ping closed the socket
		}
	}()
	var buf bytes.Buffer
	var batch []Event
	for {
		// Read without a context: a cancellable one costs a registration per message.
		// The ping loop closes conn when ctx ends, which ends the read.
		_, r, err := conn.Reader(context.Background())
		if err != nil {
			return err
		}
		buf.Reset()
		if _, err := buf.ReadFrom(r); err != nil {
			return err
		}
		batch, err = decode(batch[:0], buf.Bytes())
		if err != nil {
			c.logger.Warn("mews events: message not understood; resyncing", "access_token", c.token, "error", err)
			q.resync(Resync{Cause: err})
			continue
		}
		if n := q.push(batch); n > 0 {
			c.logger.Warn("mews events: consumer fell behind; dropped waiting events and scheduled a resync", "access_token", c.token, "dropped", n)
		}
		clear(batch)
	}
}

// pingLoop pings every interval until ctx ends, and then closes conn. A ping not
// answered within the interval closes conn and is returned.
func (c *Client) pingLoop(ctx context.Context, conn *websocket.Conn) error {
	t := time.NewTicker(c.ping)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			conn.CloseNow()
			return nil
		case <-t.C:
		}
		pctx, cancel := context.WithTimeout(ctx, c.ping)
		err := conn.Ping(pctx)
		cancel()
		if err != nil {
			ended := ctx.Err() != nil // before closing: closing ends serve, which cancels ctx
			conn.CloseNow()           // also when ctx ended during the ping: the read waits on conn only
			if ended {
				return nil
			}
			return fmt.Errorf("events: no pong within %v: %w", c.ping, err)
		}
	}
}

// backoff is the wait before try number attempt (from 1): min doubled per attempt up
// to max, randomized between half and all of it.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.minBackoff
	for i := 1; i < attempt && d < c.maxBackoff; i++ {
		d *= 2
	}
	d = min(d, c.maxBackoff)
	return d/2 + rand.N(d/2+1)
}
