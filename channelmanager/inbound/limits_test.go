package inbound_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/internal/httpin/httpintest"
	"github.com/mewskit/mews-go/mewstest"
)

func TestHandler_ReleasesStalledBodiesAtTheDefaultReadDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		recv := new(fakeReceiver)
		h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, recv)
		if err != nil {
			t.Fatal(err)
		}
		answers := httpintest.StallBodies(t, h, "/mews/updatePrices", 20, time.Minute)
		if len(answers) != 20 {
			t.Fatalf("%d of 20 stalled connections were answered within a minute, want all by the 10 s deadline", len(answers))
		}
		for _, a := range answers {
			if a.After > 10*time.Second || a.Status != http.StatusOK || !strings.Contains(a.Body, `"code":6`) {
				t.Errorf("answer after %v: %d %s; want code 6 within 10 s", a.After, a.Status, a.Body)
			}
		}
		if calls := recv.got(); len(calls) != 0 {
			t.Errorf("the Receiver was called %d times for bodies that never arrived", len(calls))
		}
	})
}

func TestWithBodyReadTimeout_SetsTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, new(fakeReceiver), inbound.WithBodyReadTimeout(2*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range httpintest.StallBodies(t, h, "/mews/updatePrices", 3, time.Minute) {
			if a.After != 2*time.Second {
				t.Errorf("answered after %v, want at the 2 s deadline", a.After)
			}
		}
	})
}

// post serves one request with body and the given declared length (-1: none) and
// returns the answer's body.
func post(t *testing.T, h http.Handler, path string, body *httpintest.Body, length int64) string {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, path, body)
	r.ContentLength = length
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Body.String()
}

func TestHandler_RefusesAnOversizeNotificationWithoutReadingIt(t *testing.T) {
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, new(fakeReceiver))
	if err != nil {
		t.Fatal(err)
	}
	// Over the largest of these operations' caps (processGroup's 4 MiB) by enough that a
	// chunked body is refused before its end.
	const oversize = 5 << 20
	for _, path := range []string{"/mews/changeNotificaton", "/mews/confirmGroup", "/mews/processGroup", "/mews/processAvailabilityBlock"} {
		t.Run("declared "+path, func(t *testing.T) {
			body := httpintest.NewBody(oversize)
			answer := post(t, h, path, body, int64(body.Len()))
			if !strings.Contains(answer, `"code":6`) || !strings.Contains(answer, "larger than") {
				t.Errorf("answer %s; want code 6 saying the body is too large", answer)
			}
			if body.Consumed() != 0 {
				t.Errorf("read %d bytes of a body whose declared length is over the limit, want none", body.Consumed())
			}
		})
		t.Run("chunked "+path, func(t *testing.T) {
			body := httpintest.NewBody(oversize)
			answer := post(t, h, path, body, -1)
			if !strings.Contains(answer, "larger than") || body.Consumed() >= body.Len() {
				t.Errorf("answer %s after reading %d of %d bytes; want a refusal before the end", answer, body.Consumed(), body.Len())
			}
		})
	}
}

func TestHandler_AcceptsLargeInventoryPushesByDefault(t *testing.T) {
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, new(fakeReceiver))
	if err != nil {
		t.Fatal(err)
	}
	// A padded empty object over every other operation's cap (4 MiB), but within the
	// inventory limit.
	body := httpintest.NewBody(4<<20 + 1)
	if answer := post(t, h, "/mews/updatePrices", body, int64(body.Len())); strings.Contains(answer, "larger than") {
		t.Errorf("answer %s; a price push over 4 MiB is within the default limit", answer)
	}
}

func TestWithMaxBodyBytes_SetsOneLimitForEveryOperation(t *testing.T) {
	h, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, new(fakeReceiver), inbound.WithMaxBodyBytes(1000))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/mews/updatePrices", "/mews/changeNotificaton"} {
		body := httpintest.NewBody(1001)
		if answer := post(t, h, path, body, -1); !strings.Contains(answer, "larger than 1000 bytes") {
			t.Errorf("%s: answer %s; want a refusal over 1000 bytes", path, answer)
		}
	}
}

func TestNewHandler_ValidatesTheSharedOptions(t *testing.T) {
	for name, opt := range map[string]inbound.Option{
		"zero body cap":         inbound.WithMaxBodyBytes(0),
		"negative body cap":     inbound.WithMaxBodyBytes(-1),
		"zero read timeout":     inbound.WithBodyReadTimeout(0),
		"negative read timeout": inbound.WithBodyReadTimeout(-time.Second),
	} {
		_, err := inbound.NewHandler(mewstest.ChannelManagerClientToken, new(fakeReceiver), opt)
		if _, ok := errors.AsType[*mews.InputError](err); !ok {
			t.Errorf("%s: err = %v, want *mews.InputError", name, err)
		}
	}
}
