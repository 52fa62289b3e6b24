package main

import (
	"regexp"
	"strings"
	"unicode"
)

var idWord = regexp.MustCompile(`Id(s?)([A-Z0-9]|$)`)

// ident turns a schema, property or enum name into an exported Go identifier: words are
// capitalised and joined, and Id/Ids become ID/IDs as Go style wants.
func ident(s string) string {
	var b strings.Builder
	upper := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			upper = true
			continue
		}
		if upper {
			r = unicode.ToUpper(r)
			upper = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if out == "" {
		return "X"
	}
	if unicode.IsDigit(rune(out[0])) {
		out = "V" + out
	}
	for {
		n := idWord.ReplaceAllString(out, "ID$1$2")
		if n == out {
			break
		}
		out = n
	}
	return out
}

// funcName names an operation's Go function verb first: "resourceAccessTokens/add" is
// AddResourceAccessTokens, "configuration/get" GetConfiguration.
func funcName(op string) string {
	parts := strings.Split(op, "/")
	name := ident(parts[1]) + ident(parts[0])
	return name
}

// comment renders text as Go comment lines with the given indent, one paragraph per
// blank-line-separated block, without trailing spaces.
func comment(indent, text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r", ""))
	if text == "" {
		return ""
	}
	var b strings.Builder
	blank := false
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			blank = true
			continue
		}
		if blank && b.Len() > 0 {
			b.WriteString(indent + "//\n")
		}
		blank = false
		b.WriteString(indent + "// " + line + "\n")
	}
	return b.String()
}
