package mews

import (
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
// The zero Token is empty; NewToken never returns one without an error.
type Token struct {
	value string
}

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
	return Token{value: v}, nil
}

// Reveal returns the raw token. Use it only to put the token on the wire or into
// secure storage, never to log or display it.
func (t Token) Reveal() string { return t.value }

// IsZero reports whether t holds no token.
func (t Token) IsZero() bool { return t.value == "" }

// String returns the redacted form: the last four characters of a long token, or
// nothing at all of a short one, so that operators can tell tokens apart.
func (t Token) String() string {
	switch {
	case t.value == "":
		return "[no token]"
	case len(t.value) < redactedSuffixMin:
		return "[redacted]"
	default:
		return "[redacted …" + t.value[len(t.value)-4:] + "]"
	}
}

// GoString keeps %#v redacted.
func (t Token) GoString() string { return "mews.Token(" + t.String() + ")" }

// Format makes every fmt verb (%v, %+v, %s, %q, %x, …) print the redacted form.
func (t Token) Format(f fmt.State, verb rune) {
	switch verb {
	case 'q':
		fmt.Fprintf(f, "%q", t.String())
	case 'v':
		if f.Flag('#') {
			fmt.Fprint(f, t.GoString())
			return
		}
		fmt.Fprint(f, t.String())
	default:
		fmt.Fprint(f, t.String())
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
