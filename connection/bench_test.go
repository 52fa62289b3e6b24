package connection_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/mewstest"
)

// BenchmarkMonitorSweep watches 10 000 Connector connections on mewstest, whose
// configuration/get answers after a simulated network latency, and measures one full
// sweep (every connection checked once) against the ideal: connections ÷ concurrency ×
// one round trip made with raw net/http + encoding/json. It also reports the heap per
// watched connection and the goroutines at rest.
func BenchmarkMonitorSweep(b *testing.B) {
	const (
		conns       = 10000
		concurrency = 50
		latency     = 5 * time.Millisecond
	)
	srv := mewstest.NewServer(mewstest.WithInProcess())
	defer srv.Close()
	srv.SetRateLimit(0, 0)
	srv.InjectFault(mewstest.Fault{Operation: "configuration/get", Times: -1, Delay: latency})
	client, err := srv.NewClient()
	if err != nil {
		b.Fatal(err)
	}
	creds := make([]connection.Credentials, conns)
	keys := make([]string, conns)
	for i := range creds {
		keys[i] = fmt.Sprintf("property-%05d", i)
		tok, err := mews.NewToken(srv.AddAccessToken(mewstest.EnterpriseID))
		if err != nil {
			b.Fatal(err)
		}
		creds[i] = connection.Credentials{API: mews.ConnectorAPI, Token: tok}
	}
	roundTrip := rawRoundTrip(b, srv, 20)
	ideal := time.Duration(conns/concurrency) * roundTrip

	var sweep time.Duration
	var heapPerConn, heapAfterSweep float64
	var resting int
	for b.Loop() {
		var connected atomic.Int64
		done := make(chan struct{})
		m, err := connection.NewMonitor(client, connection.WithInterval(time.Hour), connection.WithConcurrency(concurrency), connection.WithOnEvent(func(ev connection.Event) {
			if ev.Status == connection.Connected && connected.Add(1) == conns {
				close(done)
			}
		}))
		if err != nil {
			b.Fatal(err)
		}
		before := heapInUse()
		start := time.Now()
		for i, c := range creds {
			if err := m.Add(keys[i], c); err != nil {
				b.Fatalf("Add %d: %v", i, err)
			}
		}
		heapPerConn = float64(heapInUse()-before) / conns // its GC runs inside the sweep: a conservative figure
		<-done
		sweep = time.Since(start)
		heapAfterSweep = float64(heapInUse()-before) / conns
		resting = monitorGoroutines()
		if s := m.Stats(); s.Connected != conns {
			b.Fatalf("after the sweep: %+v", s)
		}
		m.Close()
	}
	b.ReportMetric(float64(sweep.Milliseconds()), "sweep-ms")
	b.ReportMetric(float64(ideal.Milliseconds()), "ideal-ms")
	b.ReportMetric(float64(sweep)/float64(ideal), "sweep/ideal")
	b.ReportMetric(float64(roundTrip.Microseconds()), "raw-rtt-µs")
	b.ReportMetric(heapPerConn, "heap-B/conn")
	b.ReportMetric(heapAfterSweep, "heap-after-sweep-B/conn")
	b.ReportMetric(float64(resting), "goroutines-at-rest")
}

// rawRoundTrip is the mean time of n configuration/get calls made with plain net/http
// and encoding/json over the same in-process transport: the baseline round trip.
func rawRoundTrip(b *testing.B, srv *mewstest.Server, n int) time.Duration {
	b.Helper()
	hc := &http.Client{Transport: srv.Transport()}
	body, err := json.Marshal(map[string]string{
		"ClientToken": mewstest.ClientToken, "AccessToken": mewstest.AccessToken, "Client": mewstest.ClientName,
	})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for range n {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+"/api/connector/v1/configuration/get", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := hc.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var out struct{ Enterprise struct{ ID, Name string } }
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("raw configuration/get: %v, status %d", err, resp.StatusCode)
		}
	}
	return time.Since(start) / time.Duration(n)
}

// heapInUse is the live heap after a collection.
func heapInUse() int64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return int64(ms.HeapAlloc)
}
