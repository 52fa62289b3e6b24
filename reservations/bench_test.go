package reservations_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// benchPageItems builds the JSON of n reservations shaped like the documented example,
// each with its own id and number.
func benchPageItems(b *testing.B, n int) []byte {
	b.Helper()
	raw, err := os.ReadFile("testdata/reservations_getall_2023-06-06.json")
	if err != nil {
		b.Fatal(err)
	}
	var doc struct{ Reservations []map[string]any }
	if err := json.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	items := make([]map[string]any, n)
	for i := range items {
		r := make(map[string]any, len(doc.Reservations[0]))
		for k, v := range doc.Reservations[0] {
			r[k] = v
		}
		r["Id"] = fmt.Sprintf("0f515589-99b4-423d-b83a-%012d", i)
		r["Number"] = strconv.Itoa(10000 + i)
		items[i] = r
	}
	out, err := json.Marshal(items)
	if err != nil {
		b.Fatal(err)
	}
	return out
}

// pageTransport answers every request with pages of the same items: a Cursor after each
// full page until total items were served, then an empty page with a null Cursor.
// When sample is set it records the live heap (after a GC) at every request, which is
// what the SDK holds between pages.
type pageTransport struct {
	items   []byte
	perPage int
	total   int
	served  int
	pages   int
	sample  bool
	peak    uint64
}

func (t *pageTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	if t.sample {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		t.peak = max(t.peak, ms.HeapAlloc)
	}
	var body []byte
	switch {
	case t.total == 0: // a single page with a null cursor
		body = append(append([]byte(`{"Reservations":`), t.items...), `,"Cursor":null}`...)
	case t.served < t.total:
		t.pages++
		t.served += t.perPage
		body = append(append([]byte(`{"Reservations":`), t.items...), fmt.Sprintf(`,"Cursor":"0f515589-99b4-423d-b83a-%012d"}`, t.pages)...)
	default:
		body = []byte(`{"Reservations":[],"Cursor":null}`)
	}
	return &http.Response{
		StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req,
	}, nil
}

// benchConnector is an SDK Connector over rt, with the limiter on but never blocking.
func benchConnector(b *testing.B, rt http.RoundTripper) *mews.Connector {
	b.Helper()
	client, err := mews.NewClient(mews.WithBaseURL("https://bench.mews.invalid"), mews.WithClientToken("bench-client-token"),
		mews.WithTransport(rt), mews.WithRateLimit(1_000_000_000, time.Second))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := client.Connector("bench-access-token")
	if err != nil {
		b.Fatal(err)
	}
	return conn
}

// BenchmarkDecodePage1000 compares reading one page of 1000 reservations through List
// with a raw net/http + encoding/json call decoding the same bytes into the same struct.
// Both run in every iteration, in alternating order, each timed and its allocations
// counted, and the ratios are reported (targets: time-ratio ≤ 1.05, allocs-ratio ≤ 1.1).
// (testing.Benchmark cannot be nested inside a running benchmark: it deadlocks.)
func BenchmarkDecodePage1000(b *testing.B) {
	items := benchPageItems(b, 1000)
	hc := &http.Client{Transport: &pageTransport{items: items}}
	conn := benchConnector(b, &pageTransport{items: items})
	ctx := context.Background()
	raw := func() {
		in, _ := json.Marshal(map[string]any{"ClientToken": "bench-client-token", "AccessToken": "bench-access-token",
			"Client": "bench", "Limitation": map[string]int{"Count": 1000}})
		resp, err := hc.Post("https://bench.mews.invalid/api/connector/v1/reservations/getAll/2023-06-06", "application/json", bytes.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Reservations []reservations.Reservation
			Cursor       *string
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		_ = resp.Body.Close()
		if err != nil || len(page.Reservations) != 1000 {
			b.Fatal(err, len(page.Reservations))
		}
	}
	sdk := func() {
		n := 0
		for page, err := range reservations.List(conn, reservations.ListParams{PageSize: 1000}).Pages(ctx) {
			if err != nil {
				b.Fatal(err)
			}
			n += len(page.Items)
		}
		if n != 1000 {
			b.Fatal(n)
		}
	}
	var rawM, sdkM measure
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			rawM.run(raw)
			sdkM.run(sdk)
		} else {
			sdkM.run(sdk)
			rawM.run(raw)
		}
		i++
	}
	b.ReportMetric(float64(len(items)), "page-bytes")
	b.ReportMetric(rawM.nsPerOp(i), "raw-ns/page")
	b.ReportMetric(sdkM.nsPerOp(i), "sdk-ns/page")
	b.ReportMetric(rawM.allocsPerOp(i), "raw-allocs/page")
	b.ReportMetric(sdkM.allocsPerOp(i), "sdk-allocs/page")
	b.ReportMetric(sdkM.nsPerOp(i)/rawM.nsPerOp(i), "time-ratio")
	b.ReportMetric(sdkM.allocsPerOp(i)/rawM.allocsPerOp(i), "allocs-ratio")
}

// measure accumulates the time and allocations of repeated runs of a function.
type measure struct {
	elapsed time.Duration
	allocs  uint64
}

func (m *measure) run(f func()) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.Mallocs
	start := time.Now()
	f()
	m.elapsed += time.Since(start)
	runtime.ReadMemStats(&ms)
	m.allocs += ms.Mallocs - before
}

func (m *measure) nsPerOp(n int) float64     { return float64(m.elapsed.Nanoseconds()) / float64(n) }
func (m *measure) allocsPerOp(n int) float64 { return float64(m.allocs) / float64(n) }

// BenchmarkAllPeakHeap iterates 10 000 and 100 000 reservations through All in pages
// of 1000 and reports the largest live heap seen between pages, side by side: it
// should stay at about one page whatever the number of reservations.
func BenchmarkAllPeakHeap(b *testing.B) {
	items := benchPageItems(b, 1000)
	for _, total := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(total), func(b *testing.B) {
			var peak uint64
			for b.Loop() {
				rt := &pageTransport{items: items, perPage: 1000, total: total, sample: true}
				conn := benchConnector(b, rt)
				n := 0
				for _, err := range reservations.List(conn, reservations.ListParams{PageSize: 1000}).All(context.Background()) {
					if err != nil {
						b.Fatal(err)
					}
					n++
				}
				if n != total {
					b.Fatalf("iterated %d, want %d", n, total)
				}
				peak = max(peak, rt.peak)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MiB")
			b.ReportMetric(float64(peak)/float64(len(items)), "peak/page-bytes")
		})
	}
}
