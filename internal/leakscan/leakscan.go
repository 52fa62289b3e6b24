package leakscan

import (
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"unicode"
)

// MinLen is the length from which a secret is searched as a substring. Shorter ones
// are searched as whole tokens only.
const MinLen = 12

// Find returns the indexes (into secrets) of the secrets that occur in text in any
// form that Forms lists.
func Find(text string, secrets ...string) []int {
	var found []int
	for i, s := range secrets {
		for _, form := range Forms(s) {
			if contains(text, form, len(s) < MinLen) {
				found = append(found, i)
				break
			}
		}
	}
	return found
}

// Forms returns the spellings of secret that a leak may take: raw (which %v, %s,
// %q and JSON of plain ASCII keep), hex as fmt's %x and %X write strings inside
// structs, and URL query escaping.
func Forms(secret string) []string {
	forms := []string{secret, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret)))}
	if q := url.QueryEscape(secret); q != secret {
		forms = append(forms, q)
	}
	return forms
}

// contains reports whether form occurs in text; with whole, only where it is not
// part of a longer run of letters and digits.
func contains(text, form string, whole bool) bool {
	if form == "" {
		return false
	}
	for from := 0; ; {
		i := strings.Index(text[from:], form)
		if i < 0 {
			return false
		}
		i += from
		if !whole || (!alnumBefore(text, i) && !alnumAfter(text, i+len(form))) {
			return true
		}
		from = i + 1
	}
}

func alnumBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	r := rune(text[i-1])
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func alnumAfter(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r := rune(text[i])
	return r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// Check fails t when any of secrets occurs in text (see Find). what names the text
// ("logs", "%+v of *Client") in the message. The message quotes the text with every
// secret replaced by "[secret #i]", never the secret itself. An empty secret is a
// mistake in the test and fails it.
func Check(t testing.TB, what, text string, secrets ...string) {
	t.Helper()
	for i, s := range secrets {
		if s == "" {
			t.Fatalf("leakscan: secret #%d is empty, so a scan for it could never fail", i)
		}
	}
	for _, i := range Find(text, secrets...) {
		t.Errorf("%s leaks secret #%d:\n%s", what, i, Mask(text, secrets...))
	}
}

// Mask returns text with every form of every secret replaced by "[secret #i]", for
// failure messages.
func Mask(text string, secrets ...string) string {
	for i, s := range secrets {
		for _, form := range Forms(s) {
			if form != "" {
				text = strings.ReplaceAll(text, form, fmt.Sprintf("[secret #%d]", i))
			}
		}
	}
	return text
}

// DropTime is a slog.HandlerOptions.ReplaceAttr that removes the record's time, so
// that its digits cannot be mistaken for a short secret.
func DropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
