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
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/benchcmp"
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
type pageTransport struct {
	items   []byte
	perPage int
	total   int
	served  int
	pages   int
}

func (t *pageTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
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
// with the fair raw call: net/http, a read of exactly Content-Length bytes, and
// json.Unmarshal into the same struct. benchcmp interleaves the two and reports wall
// and CPU time ratios with their spread over rounds.
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
		body := make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, body)
		_ = resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var page struct {
			Reservations []reservations.Reservation
			Cursor       *string
		}
		if err := json.Unmarshal(body, &page); err != nil || len(page.Reservations) != 1000 {
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
	b.ReportMetric(float64(len(items)), "page-bytes")
	benchcmp.Ratios(b, 5, sdk, raw)
}

// BenchmarkAllPeakHeap iterates 10 000 and 100 000 reservations through All in pages
// of 1000 and reports the runtime's largest live heap during the walk: the maximum of
// /gc/heap/live:bytes (what the last GC found live) sampled by a goroutine while the
// walk runs, with no forced collection. peak-over-start-MiB subtracts the live heap
// before the walk (the fixture); it should stay at about one page whatever the number
// of reservations.
func BenchmarkAllPeakHeap(b *testing.B) {
	items := benchPageItems(b, 1000)
	for _, total := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(total), func(b *testing.B) {
			var peak, start uint64
			for b.Loop() {
				rt := &pageTransport{items: items, perPage: 1000, total: total}
				conn := benchConnector(b, rt)
				n := 0
				s, p := liveHeapDuring(func() {
					for _, err := range reservations.List(conn, reservations.ListParams{PageSize: 1000}).All(context.Background()) {
						if err != nil {
							b.Fatal(err)
						}
						n++
					}
				})
				if n != total {
					b.Fatalf("iterated %d, want %d", n, total)
				}
				if p > peak {
					peak, start = p, s
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-live-MiB")
			b.ReportMetric(float64(peak-min(start, peak))/(1<<20), "peak-over-start-MiB")
			b.ReportMetric(float64(peak-min(start, peak))/float64(len(items)), "peak-over-start/page-bytes")
		})
	}
}

// liveHeapDuring runs walk and returns the live heap before it (after a collection)
// and the largest live heap any collection during it found.
func liveHeapDuring(walk func()) (start, peak uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	start = sample[0].Value.Uint64()
	var max atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Microsecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > max.Load() {
				max.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	walk()
	close(done)
	wg.Wait()
	return start, max.Load()
}
