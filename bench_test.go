package mews_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/benchcmp"
)

// benchItem is a reservation-sized record; 3 200 of them make a ~1 MB page.
type benchItem struct {
	Id                 string
	Number             string
	State              string
	ScheduledStartUtc  time.Time
	ScheduledEndUtc    time.Time
	AssignedResourceId *string
	Notes              string
	Counts             []int
}

type benchPage struct {
	Items  []benchItem
	Cursor *string
}

// benchServer serves the same ~1 MB JSON page to every POST, with its Content-Length,
// or chunked in 32 KiB writes without one.
func benchServer(b *testing.B, chunked bool) (*httptest.Server, int) {
	room := "a1b2c3d4-0000-4000-8000-000000000001"
	var page benchPage
	for i := range 3200 {
		page.Items = append(page.Items, benchItem{
			Id: fmt.Sprintf("3fa85f64-5717-4562-b3fc-%012d", i), Number: strconv.Itoa(10000 + i), State: "Confirmed",
			ScheduledStartUtc: time.Date(2026, 1, 1, 14, 0, 0, 0, time.UTC), ScheduledEndUtc: time.Date(2026, 1, 3, 10, 0, 0, 0, time.UTC),
			AssignedResourceId: &room, Notes: "Late arrival, needs a cot and a quiet room away from the lift please.", Counts: []int{2, 1},
		})
	}
	body, _ := json.Marshal(page)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if !chunked {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			_, _ = w.Write(body)
			return
		}
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 32<<10)
			_, _ = w.Write(rest[:n])
			w.(http.Flusher).Flush()
			rest = rest[n:]
		}
	}))
	b.Cleanup(srv.Close)
	return srv, len(body)
}

// rawCall is the baseline: the same request with net/http and encoding/json only, done
// the fair way: the body read whole (exactly Content-Length when the server gives it),
// then json.Unmarshal into the same struct.
func rawCall(b *testing.B, hc *http.Client, url string) {
	in, _ := json.Marshal(map[string]any{"ClientToken": testClientToken, "AccessToken": testAccessToken, "Client": "bench", "Limitation": map[string]int{"Count": 1000}})
	resp, err := hc.Post(url, "application/json", bytes.NewReader(in))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var body []byte
	if resp.ContentLength >= 0 {
		body = make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, body)
	} else {
		body, err = io.ReadAll(resp.Body)
	}
	if err != nil {
		b.Fatal(err)
	}
	var out benchPage
	if err := json.Unmarshal(body, &out); err != nil || len(out.Items) != 3200 {
		b.Fatal(err)
	}
}

// sdkCall is the same request through the SDK's pipeline (limiter on, never blocking).
func sdkCall(b *testing.B, hotel *mews.Connector) {
	var out benchPage
	in := map[string]any{"Limitation": map[string]int{"Count": 1000}}
	if err := hotel.CallConnector(b.Context(), mews.Operation{Name: "reservations/getAll/2023-06-06", Safety: mews.Read}, in, &out); err != nil || len(out.Items) != 3200 {
		b.Fatal(err)
	}
}

// BenchmarkPipeline1MB compares one ~1 MB Connector call through the SDK with the raw
// baseline on the same server, interleaved (see internal/benchcmp), with the body's
// length declared or chunked. Targets: time and CPU ratios ≤ 1.05, allocs ≤ 1.1.
func BenchmarkPipeline1MB(b *testing.B) {
	for _, chunked := range []bool{false, true} {
		name := "content-length"
		if chunked {
			name = "chunked"
		}
		b.Run(name, func(b *testing.B) {
			srv, size := benchServer(b, chunked)
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
			client, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(testClientToken),
				mews.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}),
				mews.WithRateLimit(1_000_000_000, time.Second))
			if err != nil {
				b.Fatal(err)
			}
			hotel, _ := client.Connector(testAccessToken)
			url := srv.URL + "/api/connector/v1/reservations/getAll/2023-06-06"
			b.ReportMetric(float64(size), "resp-bytes")
			benchcmp.Ratios(b, 5, func() { sdkCall(b, hotel) }, func() { rawCall(b, hc, url) })
		})
	}
}
