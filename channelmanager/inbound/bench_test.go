package inbound_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/internal/benchcmp"
	"github.com/mewskit/mews-go/mewstest"
)

// nopReceiver accepts everything without looking at it.
type nopReceiver struct{ inbound.OptionalOperations }

func (nopReceiver) UpdatePrices(context.Context, *inbound.PricesUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}
func (nopReceiver) UpdateAvailability(context.Context, *inbound.AvailabilityUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}
func (nopReceiver) UpdateRestrictions(context.Context, *inbound.RestrictionsUpdate) (inbound.Reply, error) {
	return inbound.Done, nil
}
func (nopReceiver) ConfirmGroup(context.Context, *inbound.BookingConfirmation) error { return nil }

// pricesBody is an updatePrices push of n rate prices with two guest counts each.
func pricesBody(n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"spaceTypeCode":"S%d","ratePlanCode":"FF","from":"2026-01-01","to":"2026-12-31",`+
			`"prices":[{"grossAmount":100.00,"netAmount":93.46,"currencyCode":"EUR","guestCount":1},`+
			`{"grossAmount":120.50,"netAmount":112.62,"currencyCode":"EUR","guestCount":2}],`+
			`"agePrices":[{"grossAmount":20.0,"netAmount":18.69,"currencyCode":"EUR","guestCount":1,"ageCategoryCode":"Child"}]}`, i)
	}
	return `{"clientToken":"` + mewstest.ChannelManagerClientToken + `","connectionToken":"` + mewstest.ConnectionToken +
		`","messageId":"m","responseUrl":"https://api.mews-demo.com/x","ratePrices":[` + strings.Join(items, ",") + `]}`
}

// rawPrices is what a hand-written endpoint would decode with encoding/json alone:
// float amounts, string dates, no validation.
type rawPrices struct {
	ClientToken, ConnectionToken, MessageID, ResponseURL string
	RatePrices                                           []struct {
		SpaceTypeCode, RatePlanCode, From, To string
		Prices                                []struct {
			GrossAmount, NetAmount float64
			CurrencyCode           string
			GuestCount             int
		}
		AgePrices []struct {
			GrossAmount, NetAmount float64
			CurrencyCode           string
			GuestCount             int
			AgeCategoryCode        string
		}
	}
}

// rawHandler is the baseline: net/http plus encoding/json, nothing else. It reads
// exactly Content-Length bytes, the cheapest honest read, so that the SDK's buffer
// handling is measured too.
func rawHandler(w http.ResponseWriter, r *http.Request) {
	body := make([]byte, r.ContentLength)
	if _, err := io.ReadFull(r.Body, body); err != nil {
		_, _ = io.WriteString(w, `{"success":false}`)
		return
	}
	var p rawPrices
	if err := json.Unmarshal(body, &p); err != nil || p.ClientToken != mewstest.ChannelManagerClientToken {
		_, _ = io.WriteString(w, `{"success":false}`)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"success":true,"asyncConfirmation":false}`)
}

// serveOnce posts body to h in-process and checks the answer is a success.
func serveOnce(b *testing.B, h http.Handler, body string) {
	req := httptest.NewRequest(http.MethodPost, "/updatePrices", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if !strings.HasPrefix(rec.Body.String(), `{"success":true`) {
		b.Fatalf("answer %s", rec.Body)
	}
}

// BenchmarkHandler_UpdatePrices serves an updatePrices push of 100 rate prices through
// the Handler (token check, exact decimals, civil dates, validation, de-duplication,
// envelope) and reports its time and allocations as ratios to a raw net/http +
// encoding/json handler decoding the same body into floats and strings in the same run.
func BenchmarkHandler_UpdatePrices(b *testing.B) {
	body := pricesBody(100)
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, nopReceiver{}, inbound.WithDeduplication(1024))
	if err != nil {
		b.Fatal(err)
	}
	sdk := func() { serveOnce(b, h, body) }
	raw := func() { serveOnce(b, http.HandlerFunc(rawHandler), body) }
	var sdkCPU, rawCPU time.Duration
	benchcmp.Ratios(b, 20,
		func() { sdkCPU += cpuTime(sdk) },
		func() { rawCPU += cpuTime(raw) })
	b.ReportMetric(float64(sdkCPU)/float64(rawCPU), "cpu-ratio")
}

// cpuTime runs f and returns the CPU time the process spent meanwhile, user and
// system, garbage collection included: unlike wall time, it does not count the
// moments another process on a shared machine held the core.
func cpuTime(f func()) time.Duration {
	before := processCPU()
	f()
	return processCPU() - before
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
