package httpin_test

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/httpin"
	"github.com/mewskit/mews-go/internal/httpin/httpintest"
)

func TestNewSettings_DefaultsToTheReadDeadlineAndADiscardingLogger(t *testing.T) {
	s, err := httpin.NewSettings()
	if err != nil {
		t.Fatal(err)
	}
	if s.BodyReadTimeout != httpin.DefaultBodyReadTimeout || s.BodyReadTimeout > 10*time.Second || s.Logger == nil || s.Limit(42) != 42 {
		t.Errorf("defaults = %+v, limit %d; want a deadline of at most 10 s, a logger, and the caller's cap", s, s.Limit(42))
	}
}

func TestNewSettings_OptionsDoNotDependOnTheirOrder(t *testing.T) {
	l := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := []httpin.Option{httpin.WithMaxBodyBytes(7), httpin.WithBodyReadTimeout(time.Second), httpin.WithLogger(l)}
	forward, err1 := httpin.NewSettings(opts...)
	backward, err2 := httpin.NewSettings(opts[2], opts[1], opts[0])
	if err1 != nil || err2 != nil || forward != backward || forward.Limit(42) != 7 || forward.Logger != l {
		t.Errorf("forward %+v (%v), backward %+v (%v); want the same settings", forward, err1, backward, err2)
	}
}

func TestNewSettings_RefusesNonPositiveLimitsWithInputError(t *testing.T) {
	for name, opt := range map[string]httpin.Option{
		"zero cap":         httpin.WithMaxBodyBytes(0),
		"negative cap":     httpin.WithMaxBodyBytes(-1),
		"zero timeout":     httpin.WithBodyReadTimeout(0),
		"negative timeout": httpin.WithBodyReadTimeout(-time.Nanosecond),
	} {
		_, err := httpin.NewSettings(opt)
		if _, ok := errors.AsType[*mews.InputError](err); !ok || !errors.Is(err, mews.ErrInvalidInput) {
			t.Errorf("%s: err = %v, want *mews.InputError", name, err)
		}
	}
}

func TestWithLogger_NilDiscards(t *testing.T) {
	s, err := httpin.NewSettings(httpin.WithLogger(nil))
	if err != nil || s.Logger == nil {
		t.Errorf("NewSettings(WithLogger(nil)) = %+v, %v; want a discarding logger", s, err)
	}
}

func TestSettingsReadBody_RefusesADeclaredOversizeBodyUnread(t *testing.T) {
	body := httpintest.NewBody(100)
	r := httptest.NewRequest(http.MethodPost, "/", body)
	r.ContentLength = 100
	w := httptest.NewRecorder()
	var s httpin.Settings
	if _, err := s.ReadBody(w, r, 99); !errors.Is(err, httpin.ErrBodyTooLarge) || body.Consumed() != 0 {
		t.Errorf("err = %v after reading %d bytes; want ErrBodyTooLarge before reading", err, body.Consumed())
	}
	if w.Header().Get("Connection") != "close" {
		t.Error("the connection is kept open although its body was not read")
	}
}

func TestSettingsReadBody_ReadsAKnownLengthBodyExactly(t *testing.T) {
	body := httpintest.NewBody(100)
	r := httptest.NewRequest(http.MethodPost, "/", body)
	got, err := new(httpin.Settings).ReadBody(httptest.NewRecorder(), r, 100)
	if err != nil || len(got) != 100 || got[0] != '{' || got[99] != '}' {
		t.Errorf("ReadBody = %d bytes, %v; want the 100-byte body", len(got), err)
	}
}

func TestSettingsReadBody_GivesErrBodyTimeoutAtTheDeadline(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := httpin.NewSettings(httpin.WithBodyReadTimeout(3 * time.Second))
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 1)
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, err := s.ReadBody(w, r, 1<<20)
			errs <- err
			w.WriteHeader(http.StatusRequestTimeout)
		})
		answers := httpintest.StallBodies(t, h, "/", 1, time.Minute)
		if len(answers) != 1 || answers[0].After != 3*time.Second {
			t.Fatalf("answers %+v; want one at the 3 s deadline", answers)
		}
		if err := <-errs; !errors.Is(err, httpin.ErrBodyTimeout) {
			t.Errorf("err = %v, want ErrBodyTimeout", err)
		}
	})
}
