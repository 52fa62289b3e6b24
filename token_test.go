package mews_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/mewskit/mews-go"
)

const sampleToken = "C66EF7B239D24632943D115EDE9CB810-EA00F8FD8294692C940F6B5A8F9453D"

func TestNewTokenTrimsPastedWhitespace(t *testing.T) {
	for _, raw := range []string{sampleToken, " " + sampleToken, sampleToken + "\n", "\t" + sampleToken + "\r\n", "\u00a0" + sampleToken} {
		tok, err := mews.NewToken(raw)
		if err != nil {
			t.Fatalf("NewToken(%q): %v", raw, err)
		}
		if tok.Reveal() != sampleToken {
			t.Errorf("NewToken(%q).Reveal() = %q, want the trimmed token", raw, tok.Reveal())
		}
	}
}

func TestNewTokenRejectsBeforeAnythingIsSent(t *testing.T) {
	tests := []struct {
		name, raw, wantReason string
	}{
		{"empty", "", "is empty"},
		{"only whitespace", " \r\n\t ", "is empty"},
		{"inner space", "ABC DEF", "whitespace at position 4"},
		{"inner line break", "ABC\nDEF", "whitespace at position 4"},
		{"control character", "ABC\x00DEF", "control or invalid character at position 4"},
		{"invalid UTF-8", "ABC\xffDEF", "control or invalid character at position 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := mews.NewToken(tt.raw)
			if !errors.Is(err, mews.ErrInvalidInput) {
				t.Fatalf("err = %v, want ErrInvalidInput", err)
			}
			var ie *mews.InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Reason, tt.wantReason) {
				t.Errorf("err = %v, want a reason containing %q", err, tt.wantReason)
			}
		})
	}
}

func TestTokenIsRedactedInEveryTextualForm(t *testing.T) {
	tok, err := mews.NewToken(sampleToken)
	if err != nil {
		t.Fatal(err)
	}
	holder := struct {
		Name  string
		Token mews.Token
	}{"hotel", tok}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "token", tok, "holder", holder)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "token", tok)
	js, err := json.Marshal(holder)
	if err != nil {
		t.Fatal(err)
	}
	forms := map[string]string{
		"String": tok.String(), "GoString": tok.GoString(),
		"%v": fmt.Sprintf("%v", tok), "%+v": fmt.Sprintf("%+v", holder), "%#v": fmt.Sprintf("%#v", holder),
		"%s": fmt.Sprintf("%s", tok), "%q": fmt.Sprintf("%q", tok), "%x": fmt.Sprintf("%x", tok),
		"json": string(js), "slog": logs.String(),
	}
	for name, s := range forms {
		if strings.Contains(s, sampleToken[:8]) || strings.Contains(s, sampleToken[len(sampleToken)-8:]) {
			t.Errorf("%s shows the token: %s", name, s)
		}
		if !strings.Contains(s, "redacted") {
			t.Errorf("%s = %s, want a redacted form", name, s)
		}
	}
}

func TestTokenRedactionShowsOnlyTheLastFourCharactersOfLongTokens(t *testing.T) {
	long, _ := mews.NewToken(sampleToken)
	short, _ := mews.NewToken("abc123")
	if got, want := long.String(), "[redacted …453D]"; got != want {
		t.Errorf("long token String() = %q, want %q", got, want)
	}
	if got := short.String(); got != "[redacted]" {
		t.Errorf("short token String() = %q, want no characters of it", got)
	}
}

func TestTokenUnmarshalJSONKeepsTheValue(t *testing.T) {
	var v struct{ Token mews.Token }
	if err := json.Unmarshal([]byte(`{"Token":" `+sampleToken+`\n"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.Token.Reveal() != sampleToken {
		t.Errorf("Reveal() = %q, want %q", v.Token.Reveal(), sampleToken)
	}
	if err := json.Unmarshal([]byte(`{"Token":null}`), &v); err != nil || !v.Token.IsZero() {
		t.Errorf("null token: err %v, zero %v; want a zero Token", err, v.Token.IsZero())
	}
}
