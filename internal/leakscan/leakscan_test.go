package leakscan_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"slices"
	"testing"

	"github.com/mewskit/mews-go/internal/leakscan"
)

func TestFindMatchesALongSecretAnywhereAndInItsEncodedForms(t *testing.T) {
	const secret = "LEAKSCAN-long-secret-9f3c1a"
	for name, text := range map[string]string{
		"raw":          "token=" + secret + "xyz",
		"hex of %x":    fmt.Sprintf("%x", struct{ s string }{secret}),
		"upper hex":    fmt.Sprintf("%X", secret),
		"query escape": "?Token=LEAKSCAN-long-secret-9f3c1a&x=1",
	} {
		if got := leakscan.Find(text, "unrelated-but-long-value", secret); !slices.Equal(got, []int{1}) {
			t.Errorf("%s: Find = %v, want [1]", name, got)
		}
	}
}

func TestFindMatchesAShortSecretOnlyAsAWholeToken(t *testing.T) {
	for text, want := range map[string]bool{
		`"cvv":"739"`:                          true,
		"cvv 739.":                             true,
		`"time":"2026-12-03T19:08:34.17394Z"`:  false,
		"request 8739 took 7391ms on port 739": true,
		"request 8739 took 7391ms":             false,
	} {
		if got := len(leakscan.Find(text, "739")) == 1; got != want {
			t.Errorf("Find(%q, 739) = %v, want %v", text, got, want)
		}
	}
}

func TestMaskHidesEverySecretForm(t *testing.T) {
	const secret = "LEAKSCAN-long-secret-9f3c1a"
	text := leakscan.Mask(fmt.Sprintf("%s %x", secret, secret), secret)
	if len(leakscan.Find(text, secret)) != 0 || text != "[secret #0] [secret #0]" {
		t.Errorf("Mask = %q", text)
	}
}

func TestDropTimeRemovesTheRecordTime(t *testing.T) {
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{ReplaceAttr: leakscan.DropTime})).Info("m", "n", 1)
	if got := buf.String(); got != `{"level":"INFO","msg":"m","n":1}`+"\n" {
		t.Errorf("got %s", got)
	}
}
