package mews

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"unicode"
)

// Token is a Mews credential: a Connector ClientToken or AccessToken, or a Channel
// Manager clientToken or connectionToken. It exists so that a credential cannot reach
// a log line, an error or a terminal by accident: every textual form (String,
// GoString, any fmt verb, slog, JSON) shows only a redacted form. Call Reveal to get
// the raw value, for the wire or for storage.
//
// The zero Token is empty; NewToken never returns one without an error. Compare
// Tokens with Equal, not ==, which compares where they are stored.
type Token struct {
	// secret is what fmt sees when it prints a Token held in an unexported field of a
	// struct (a Client, a handle, a user's own type): fmt then uses reflection and
	// never calls String or Format. A pointer keeps Token comparable, and the func it
	// points to prints as an address under every verb, including the bad-verb form
	// (%!s(…)) that follows pointers.
	secret *secretValue
}

// secretValue returns a Token's raw value.
type secretValue func() string

// redactedSuffixMin is the shortest token whose last four characters are shown in the
// redacted form; shorter tokens are hidden completely.
const redactedSuffixMin = 16

// NewToken cleans a pasted credential and validates it before anything is sent.
// Surrounding whitespace and line breaks are trimmed (a token pasted from an email or a
// form often carries them). An empty token, or one with whitespace or control
// characters inside, is rejected with an *InputError that names the problem but not
// the token.
func NewToken(raw string) (Token, error) {
	return newToken("token", raw)
}

// newToken is NewToken with the field name the error should mention.
func newToken(field, raw string) (Token, error) {
	v := strings.TrimSpace(raw)
	if v == "" {
		return Token{}, &InputError{Field: field, Reason: "is empty; paste the token you were given"}
	}
	for i, r := range v {
		switch {
		case unicode.IsSpace(r):
			return Token{}, &InputError{Field: field, Reason: fmt.Sprintf("contains whitespace at position %d; paste it again without spaces or line breaks", i+1)}
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			return Token{}, &InputError{Field: field, Reason: fmt.Sprintf("contains a control or invalid character at position %d; paste it again as plain text", i+1)}
		}
	}
	reveal := secretValue(func() string { return v })
	return Token{secret: &reveal}, nil
}

// Reveal returns the raw token. Use it only to put the token on the wire or into
// secure storage, never to log or display it.
func (t Token) Reveal() string {
	if t.secret == nil {
		return ""
	}
	return (*t.secret)()
}

// IsZero reports whether t holds no token.
func (t Token) IsZero() bool { return t.Reveal() == "" }

// Equal reports whether t and u hold the same token, in constant time. go-cmp uses it
// too, so structs holding Tokens can be compared in tests.
func (t Token) Equal(u Token) bool {
	return subtle.ConstantTimeCompare([]byte(t.Reveal()), []byte(u.Reveal())) == 1
}

// String returns the redacted form: the last four characters of a long token, or
// nothing at all of a short one, so that operators can tell tokens apart.
func (t Token) String() string {
	v := t.Reveal()
	switch {
	case v == "":
		return "[no token]"
	case len(v) < redactedSuffixMin:
		return "[redacted]"
	default:
		return "[redacted …" + v[len(v)-4:] + "]"
	}
}

// GoString keeps %#v redacted.
func (t Token) GoString() string { return "mews.Token(" + t.String() + ")" }

// Format makes every fmt verb (%v, %+v, %s, %q, %x, …) print the redacted form.
func (t Token) Format(f fmt.State, verb rune) { formatRedacted(f, verb, t.String(), t.GoString()) }

// formatRedacted is the Format of every type that holds a secret: %q quotes the
// redacted text, %#v prints goSyntax, and every other verb (%x and %d included)
// prints text as it is, so that no verb falls through to fmt's reflection.
func formatRedacted(f fmt.State, verb rune, text, goSyntax string) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", text)
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, goSyntax)
	default:
		fmt.Fprint(f, text)
	}
}

// LogValue keeps slog records redacted, whatever the handler.
func (t Token) LogValue() slog.Value { return slog.StringValue(t.String()) }

// MarshalJSON writes the redacted form, so a struct holding a Token can be logged or
// dumped as JSON safely. To persist a token, store Reveal() explicitly.
func (t Token) MarshalJSON() ([]byte, error) { return json.Marshal(t.String()) }

// UnmarshalJSON reads a token that Mews returned (for example from getProperties). A
// JSON null or empty string gives the zero Token.
func (t *Token) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("mews: a token must be a JSON string")
	}
	if s == nil || strings.TrimSpace(*s) == "" {
		*t = Token{}
		return nil
	}
	tok, err := NewToken(*s)
	if err != nil {
		return err
	}
	*t = tok
	return nil
}
