package webhooks_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/httpin/httpintest"
	"github.com/mewskit/mews-go/webhooks"
)

// newHandler returns a Handler that records nothing, shut down when the test ends.
func newHandler(t *testing.T, opts ...webhooks.Option) *webhooks.Handler {
	t.Helper()
	h, err := webhooks.NewHandler(secret, func(context.Context, *webhooks.Message) error { return nil }, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Shutdown(context.Background()) })
	return h
}

func TestHandler_ReleasesStalledBodiesAtTheDefaultReadDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHandler(t)
		answers := httpintest.StallBodies(t, h, "/mews/webhooks?Token="+secret, 20, time.Minute)
		if len(answers) != 20 {
			t.Fatalf("%d of 20 stalled connections were answered within a minute, want all by the 10 s deadline", len(answers))
		}
		for _, a := range answers {
			if a.After > 10*time.Second || a.Status != http.StatusRequestTimeout {
				t.Errorf("answer after %v: %d %s; want 408 within 10 s", a.After, a.Status, a.Body)
			}
		}
	})
}

func TestWithBodyReadTimeout_SetsTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		h := newHandler(t, webhooks.WithBodyReadTimeout(2*time.Second))
		for _, a := range httpintest.StallBodies(t, h, "/mews/webhooks?Token="+secret, 3, time.Minute) {
			if a.After != 2*time.Second {
				t.Errorf("answered after %v, want at the 2 s deadline", a.After)
			}
		}
	})
}

// deliver serves one delivery of body with the given declared length (-1: none).
func deliver(h http.Handler, body *httpintest.Body, length int64) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/mews/webhooks?Token="+secret, body)
	r.ContentLength = length
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHandler_RefusesAnOversizeBodyWithoutReadingIt(t *testing.T) {
	h := newHandler(t)
	// Mews batches "up to the order of hundreds" of ~100-byte events per message; a
	// body of 4 MiB is far beyond any delivery.
	declared := httpintest.NewBody(4 << 20)
	if w := deliver(h, declared, int64(declared.Len())); w.Code != http.StatusRequestEntityTooLarge || declared.Consumed() != 0 {
		t.Errorf("declared oversize body: %d after reading %d bytes; want 413 before reading any", w.Code, declared.Consumed())
	}
	chunked := httpintest.NewBody(4 << 20)
	if w := deliver(h, chunked, -1); w.Code != http.StatusRequestEntityTooLarge || chunked.Consumed() >= chunked.Len() {
		t.Errorf("chunked oversize body: %d after reading %d of %d bytes; want 413 before the end", w.Code, chunked.Consumed(), chunked.Len())
	}
}

func TestWithMaxBodyBytes_SetsTheLimit(t *testing.T) {
	h := newHandler(t, webhooks.WithMaxBodyBytes(1000))
	if w := deliver(h, httpintest.NewBody(1001), -1); w.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("status %d for 1001 bytes, want 413 over a 1000-byte limit", w.Code)
	}
}

func TestNewHandler_ValidatesTheSharedOptions(t *testing.T) {
	for name, opt := range map[string]webhooks.Option{
		"zero body cap":         webhooks.WithMaxBodyBytes(0),
		"negative body cap":     webhooks.WithMaxBodyBytes(-1),
		"zero read timeout":     webhooks.WithBodyReadTimeout(0),
		"negative read timeout": webhooks.WithBodyReadTimeout(-time.Second),
	} {
		_, err := webhooks.NewHandler(secret, func(context.Context, *webhooks.Message) error { return nil }, opt)
		if _, ok := errors.AsType[*mews.InputError](err); !ok {
			t.Errorf("%s: err = %v, want *mews.InputError", name, err)
		}
	}
}
