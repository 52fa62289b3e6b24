package httpin_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/google/go-cmp/cmp"

	"github.com/mewskit/mews-go/internal/httpin"
)

func TestSecret_MatchesOnlyTheSameValue(t *testing.T) {
	s := httpin.NewSecret("s3cret-token")
	for got, want := range map[string]bool{
		"s3cret-token":                    true,
		"":                                false,
		"s3cret-toke":                     false,
		"s3cret-token ":                   false,
		"S3CRET-TOKEN":                    false,
		strings.Repeat("s3cret-token", 8): false,
	} {
		if s.Matches(got) != want {
			t.Errorf("Matches(%q) = %v, want %v", got, !want, want)
		}
	}
}

func TestSecret_NeverMatchesAnEmptyCandidateEvenForAnEmptySecret(t *testing.T) {
	if httpin.NewSecret("").Matches("") {
		t.Error(`NewSecret("").Matches("") = true, want false`)
	}
}

func TestReadBody_ReturnsTheBodyUpToTheLimit(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("12345678"))
	body, err := httpin.ReadBody(httptest.NewRecorder(), r, 8)
	if err != nil || string(body) != "12345678" {
		t.Errorf("ReadBody = %q, %v; want the whole body", body, err)
	}
}

func TestReadBody_RefusesABodyOverTheLimitWithErrBodyTooLarge(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("123456789"))
	body, err := httpin.ReadBody(httptest.NewRecorder(), r, 8)
	if !errors.Is(err, httpin.ErrBodyTooLarge) || body != nil {
		t.Errorf("ReadBody = %q, %v; want nil, ErrBodyTooLarge", body, err)
	}
}

func TestReadBody_PassesOnOtherReadErrors(t *testing.T) {
	broken := errors.New("connection reset")
	r := httptest.NewRequest(http.MethodPost, "/", iotest.ErrReader(broken))
	body, err := httpin.ReadBody(httptest.NewRecorder(), r, 8)
	if !errors.Is(err, broken) || errors.Is(err, httpin.ErrBodyTooLarge) || body != nil {
		t.Errorf("ReadBody = %q, %v; want nil and the reader's error", body, err)
	}
}

func TestExplainJSON_RestatesDecodingErrorsInJSONTerms(t *testing.T) {
	type inner struct {
		Count int      `json:"count"`
		Name  string   `json:"name"`
		On    bool     `json:"on"`
		Tags  []string `json:"tags"`
	}
	var target struct {
		Inner inner `json:"inner"`
	}
	for _, tc := range []struct {
		body string
		want httpin.JSONProblem
	}{
		{`{"inner": `, httpin.JSONProblem{Malformed: true, Offset: 10}},
		{`{"inner" 1}`, httpin.JSONProblem{Malformed: true, Offset: 10}},
		{`[1]`, httpin.JSONProblem{Got: "array", Want: "an object"}},
		{`{"inner": {"count": "7"}}`, httpin.JSONProblem{Field: "inner.count", Got: "string", Want: "a number"}},
		{`{"inner": {"name": 7}}`, httpin.JSONProblem{Field: "inner.name", Got: "number", Want: "a string"}},
		{`{"inner": {"on": "yes"}}`, httpin.JSONProblem{Field: "inner.on", Got: "string", Want: "true or false"}},
		{`{"inner": {"tags": {}}}`, httpin.JSONProblem{Field: "inner.tags", Got: "object", Want: "an array"}},
		{`{"inner": []}`, httpin.JSONProblem{Field: "inner", Got: "array", Want: "an object"}},
	} {
		got, ok := httpin.ExplainJSON(json.Unmarshal([]byte(tc.body), &target))
		if !ok {
			t.Errorf("%s: ExplainJSON reports no problem", tc.body)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s: problem (-want +got):\n%s", tc.body, d)
		}
	}
}

func TestExplainJSON_LeavesOtherErrorsToTheCaller(t *testing.T) {
	if p, ok := httpin.ExplainJSON(errors.New("mews: bad date")); ok {
		t.Errorf("ExplainJSON = %+v, true; want false", p)
	}
}
