package events_test

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/mewstest"
)

// burstServer is a loopback WebSocket server that writes prebuilt frames: each socket
// sends one burst (one write of many frames) per signal, so that the server's share of
// the process's CPU is small and the same for the client under test and the baseline.
type burstServer struct {
	*httptest.Server
	burst []byte

	mu      sync.Mutex
	signals map[string]chan struct{} // by path
}

// frames builds count unmasked text frames, each carrying msg.
func frames(msg []byte, count int) []byte {
	var out []byte
	for range count {
		out = append(out, 0x81)
		switch n := len(msg); {
		case n < 126:
			out = append(out, byte(n))
		case n < 1<<16:
			out = append(out, 126)
			out = binary.BigEndian.AppendUint16(out, uint16(n))
		default:
			out = append(out, 127)
			out = binary.BigEndian.AppendUint64(out, uint64(n))
		}
		out = append(out, msg...)
	}
	return out
}

func newBurstServer(b *testing.B, burst []byte) *burstServer {
	s := &burstServer{burst: burst, signals: make(map[string]chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	b.Cleanup(s.Close)
	return s
}

// signal returns the burst trigger of the socket at path.
func (s *burstServer) signal(path string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.signals[path] == nil {
		s.signals[path] = make(chan struct{})
	}
	return s.signals[path]
}

// serve does the handshake by hand and then writes a burst per signal until the
// client goes.
func (s *burstServer) serve(w http.ResponseWriter, r *http.Request) {
	sum := sha1.Sum([]byte(r.Header.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		base64.StdEncoding.EncodeToString(sum[:]) + "\r\n\r\n")
	if brw.Flush() != nil {
		return
	}
	gone := make(chan struct{})
	go func() { // the client's pings and close: read and ignore
		defer close(gone)
		_, _ = bufio.NewReader(conn).WriteTo(discard{})
	}()
	sig := s.signal(r.URL.Path)
	for {
		select {
		case <-gone:
			return
		case <-sig:
			if _, err := conn.Write(s.burst); err != nil {
				return
			}
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// cpu returns the process's CPU time so far (user and system).
func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchMessage is a typical Mews message: one reservation event.
const benchMessage = `{"Events":[{"Type":"Reservation","Id":"bfee2c44-1f84-4326-a862-5289598f6e2d","State":"Started","StartUtc":"2026-02-20T13:00:00Z","EndUtc":"2026-02-22T11:00:00Z","AssignedResourceId":"5ee074b1-6c86-48e8-915f-c7aa4702086f"}]}`

// rawEvent is what a hand-written read loop decodes: the same fields as the client.
type rawEvent struct {
	Type               string
	ID                 string `json:"Id"`
	State              string
	StartUtc, EndUtc   time.Time
	AssignedResourceID string `json:"AssignedResourceId"`
	RateID             string `json:"RateId"`
	ResourceCategoryID string `json:"ResourceCategoryId"`
}

// BenchmarkEventsVersusRawReadLoop receives bursts of messages over loopback through the
// events client (decode, buffer, range) and through a bare coder/websocket read loop with
// json.Unmarshal into the same fields, alternately, and reports the process CPU per
// event of each and their ratio.
func BenchmarkEventsVersusRawReadLoop(b *testing.B) {
	for _, perMessage := range []int{1, 10} {
		b.Run(map[int]string{1: "1-event-messages", 10: "10-event-messages"}[perMessage], func(b *testing.B) {
			benchVersusRaw(b, perMessage)
		})
	}
}

func benchVersusRaw(b *testing.B, perMessage int) {
	const messages = 1000
	evs := make([]json.RawMessage, perMessage)
	var one struct{ Events []json.RawMessage }
	_ = json.Unmarshal([]byte(benchMessage), &one)
	for i := range evs {
		evs[i] = one.Events[0]
	}
	msg, _ := json.Marshal(struct{ Events []json.RawMessage }{evs})
	srv := newBurstServer(b, frames(msg, messages))
	perBurst := messages * perMessage

	// The client under test, ranging on its own goroutine and counting.
	mc, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(mewstest.ClientToken))
	if err != nil {
		b.Fatal(err)
	}
	conn, _ := mc.Connector(mewstest.AccessToken)
	c, err := events.New(conn, events.WithResync(noResync), events.WithBuffer(4*perBurst))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	received := make(chan struct{}, 1)
	go func() {
		n := 0
		for ev, err := range c.Events(context.Background()) {
			if err != nil {
				return
			}
			if _, ok := ev.(events.Reservation); ok {
				n++
			}
			if n == perBurst {
				n = 0
				received <- struct{}{}
			}
		}
	}()

	// The baseline.
	ctx := context.Background()
	raw, _, err := websocket.Dial(ctx, "ws"+srv.URL[len("http"):]+"/raw", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer raw.CloseNow()
	sdkSig, rawSig := srv.signal("/ws/connector"), srv.signal("/raw")
	rawBurst := func() {
		rawSig <- struct{}{}
		n := 0
		for n < perBurst {
			_, data, err := raw.Read(ctx)
			if err != nil {
				b.Fatal(err)
			}
			var m struct{ Events []rawEvent }
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
			for i := range m.Events {
				if m.Events[i].Type == "Reservation" {
					n++
				}
			}
		}
	}
	sdkBurst := func() {
		sdkSig <- struct{}{}
		<-received
	}
	sdkBurst() // both sockets open and warm
	rawBurst()

	var sdkCPU, rawCPU, sdkWall, rawWall time.Duration
	var ratios []float64
	measure := func(run func()) (time.Duration, time.Duration) {
		c0, t0 := cpu(), time.Now()
		run()
		return cpu() - c0, time.Since(t0)
	}
	odd := false
	for b.Loop() {
		var sc, sw, rc, rw time.Duration
		if odd = !odd; odd { // alternate the order, so neither always runs on a warm cache
			sc, sw = measure(sdkBurst)
			rc, rw = measure(rawBurst)
		} else {
			rc, rw = measure(rawBurst)
			sc, sw = measure(sdkBurst)
		}
		sdkCPU, rawCPU, sdkWall, rawWall = sdkCPU+sc, rawCPU+rc, sdkWall+sw, rawWall+rw
		if rc > 0 {
			ratios = append(ratios, float64(sc)/float64(rc))
		}
	}
	events := float64(b.N * perBurst)
	b.ReportMetric(float64(sdkCPU.Nanoseconds())/events, "sdk-cpu-ns/event")
	b.ReportMetric(float64(rawCPU.Nanoseconds())/events, "raw-cpu-ns/event")
	b.ReportMetric(float64(sdkCPU)/float64(rawCPU), "cpu-ratio")
	b.ReportMetric(float64(sdkWall)/float64(rawWall), "wall-ratio")
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(ratios[len(ratios)/2], "median-burst-cpu-ratio")
	}
	b.ReportMetric(events/(sdkWall.Seconds()), "sdk-events/s")
}

// BenchmarkIdleSocketMemory opens many idle sockets to a loopback server in the same
// process and reports the Go memory (live heap and stacks) per socket: through the
// events client (ranging), through bare coder/websocket conns with a read loop, and
// with no client at all (a net.Conn after a hand-made handshake), which is the
// server's share. Client memory is each of the first two minus the last.
func BenchmarkIdleSocketMemory(b *testing.B) {
	const sockets = 200
	srv := newBurstServer(b, nil)
	mc, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(mewstest.ClientToken))
	if err != nil {
		b.Fatal(err)
	}
	conn, _ := mc.Connector(mewstest.AccessToken)
	ctx := context.Background()
	var clientPer, rawPer, serverPer float64
	for b.Loop() {
		before := liveMemory()
		var clients []*events.Client
		var connected sync.WaitGroup
		for range sockets {
			c, err := events.New(conn, events.WithResync(func(context.Context, events.Resync) error { connected.Done(); return nil }))
			if err != nil {
				b.Fatal(err)
			}
			connected.Add(1)
			go func() {
				for range c.Events(ctx) {
				}
			}()
			clients = append(clients, c)
		}
		connected.Wait()
		clientPer = float64(liveMemory()-before) / sockets
		for _, c := range clients {
			c.Close()
		}

		before = liveMemory()
		var raws []*websocket.Conn
		for range sockets {
			r, _, err := websocket.Dial(ctx, "ws"+srv.URL[len("http"):]+"/raw", nil)
			if err != nil {
				b.Fatal(err)
			}
			go func() {
				for {
					if _, _, err := r.Read(ctx); err != nil {
						return
					}
				}
			}()
			raws = append(raws, r)
		}
		rawPer = float64(liveMemory()-before) / sockets
		for _, r := range raws {
			r.CloseNow()
		}

		before = liveMemory()
		var bare []net.Conn
		for range sockets {
			bare = append(bare, handshake(b, srv.Listener.Addr().String()))
		}
		serverPer = float64(liveMemory()-before) / sockets
		for _, c := range bare {
			c.Close()
		}
	}
	b.ReportMetric((clientPer-serverPer)/1024, "client-KiB/socket")
	b.ReportMetric((rawPer-serverPer)/1024, "raw-KiB/socket")
	b.ReportMetric(serverPer/1024, "server-KiB/socket")
}

// liveMemory is the live heap and goroutine stacks after a collection.
func liveMemory() int64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc + ms.StackInuse)
}

// handshake opens a WebSocket by hand and keeps nothing but the net.Conn.
func handshake(b *testing.B, addr string) net.Conn {
	c, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	_, err = c.Write([]byte("GET /bare HTTP/1.1\r\nHost: " + addr + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"))
	if err != nil {
		b.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil || res.StatusCode != http.StatusSwitchingProtocols {
		b.Fatalf("bare handshake: %v", err)
	}
	return c
}
