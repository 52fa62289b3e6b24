package connector_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/connector"
)

const (
	benchClientToken = "BENCHC11E47000000000000000000000-0000000000000000000000000000BEC"
	benchAccessToken = "BENCHACCE55000000000000000000000-0000000000000000000000000000BEA"
)

// customersPage is a customers/getAll page of 1000 customers made from the spec's
// example customer, with distinct ids, and no Cursor (the last page).
func customersPage(b *testing.B) []byte {
	b.Helper()
	data, err := os.ReadFile("testdata/examples.json")
	if err != nil {
		b.Fatal(err)
	}
	var ex map[string]struct{ Response connector.CustomerResult }
	if err := json.Unmarshal(data, &ex); err != nil {
		b.Fatal(err)
	}
	one := ex["customers/getAll"].Response.Customers[0]
	var page connector.CustomerResult
	for i := range 1000 {
		c := one
		c.ID = fmt.Sprintf("35d4b117-4e60-44a3-9580-%012d", i)
		page.Customers = append(page.Customers, c)
	}
	body, err := json.Marshal(page)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCustomersPage1000 decodes a 1000-customer page through GetAllCustomers (the
// pipeline and the pager) against the honest raw baseline on the same server: one POST
// with net/http, a read of exactly Content-Length bytes and json.Unmarshal into the
// same generated type. The two alternate in one loop; the ratios are SDK over raw, in
// wall time, CPU time (the process's, server included, which is the same for both) and
// allocations. Targets: CPU ≤ 1.05, allocations ≤ 1.1.
func BenchmarkCustomersPage1000(b *testing.B) {
	body := customersPage(b)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	client, err := mews.NewClient(mews.WithBaseURL(srv.URL), mews.WithClientToken(benchClientToken),
		mews.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}), mews.WithoutRateLimit())
	if err != nil {
		b.Fatal(err)
	}
	conn, err := client.Connector(benchAccessToken)
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	url := srv.URL + "/api/connector/v1/customers/getAll"
	params := connector.CustomerFilterParameters{Limitation: connector.Limitation{Count: 1000}}

	sdk := func() {
		n := 0
		for _, err := range connector.GetAllCustomers(conn, params).All(b.Context()) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 1000 {
			b.Fatalf("%d customers", n)
		}
	}
	raw := func() {
		in, _ := json.Marshal(struct {
			ClientToken, AccessToken, Client string
			connector.CustomerFilterParameters
		}{benchClientToken, benchAccessToken, "bench", params})
		resp, err := hc.Post(url, "application/json", bytes.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		buf := make([]byte, resp.ContentLength)
		_, err = io.ReadFull(resp.Body, buf)
		resp.Body.Close()
		if err != nil {
			b.Fatal(err)
		}
		var out connector.CustomerResult
		if err := json.Unmarshal(buf, &out); err != nil || len(out.Customers) != 1000 {
			b.Fatal(err)
		}
	}
	var ms runtime.MemStats
	measure := func(f func()) (wall, cpu time.Duration, allocs uint64) {
		runtime.ReadMemStats(&ms)
		m0, c0, t0 := ms.Mallocs, cpuTime(), time.Now()
		f()
		wall, cpu = time.Since(t0), cpuTime()-c0
		runtime.ReadMemStats(&ms)
		return wall, cpu, ms.Mallocs - m0
	}
	var sw, sc, rw, rc time.Duration
	var sa, ra uint64
	for b.Loop() {
		w, c, a := measure(sdk)
		sw, sc, sa = sw+w, sc+c, sa+a
		w, c, a = measure(raw)
		rw, rc, ra = rw+w, rc+c, ra+a
	}
	b.ReportMetric(float64(len(body)), "page-bytes")
	b.ReportMetric(float64(sw)/float64(rw), "time-ratio")
	b.ReportMetric(float64(sc)/float64(rc), "cpu-ratio")
	b.ReportMetric(float64(sa)/float64(ra), "allocs-ratio")
}
