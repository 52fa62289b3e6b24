package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

func TestTolerantScalars(t *testing.T) {
	var v struct {
		S1, S2, S3, S4 wire.String
		B1, B2, B3, B4 wire.Bool
		I1, I2, I3     wire.Int
	}
	doc := `{"S1":"a","S2":123,"S3":null,"S4":true,"B1":true,"B2":"TRUE","B3":"false","B4":null,"I1":3,"I2":"4","I3":null}`
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		t.Fatal(err)
	}
	got := []any{v.S1, v.S2, v.S3, v.S4, v.B1, v.B2, v.B3, v.B4, v.I1, v.I2, v.I3}
	want := []any{wire.String("a"), wire.String("123"), wire.String(""), wire.String("true"), wire.Bool(true), wire.Bool(true), wire.Bool(false), wire.Bool(false), wire.Int(3), wire.Int(4), wire.Int(0)}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	for _, bad := range []string{`{"S1":{}}`, `{"B1":"yes"}`, `{"I1":"x"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s decoded", bad)
		}
	}
}

func TestListAcceptsOneOrMany(t *testing.T) {
	for doc, want := range map[string]wire.List[int]{`[1,2]`: {1, 2}, `7`: {7}, `null`: nil, `[]`: {}} {
		var l wire.List[int]
		if err := json.Unmarshal([]byte(doc), &l); err != nil || !cmp.Equal(want, l) {
			t.Errorf("%s: %v, %v", doc, l, err)
		}
	}
}

func TestCanonicalAndName(t *testing.T) {
	if wire.Canonical("fixed", "Fixed", "Rolling") != "Fixed" || wire.Canonical("other", "Fixed") != "other" {
		t.Error("Canonical")
	}
	if wire.Name("K", []string{"", "A"}, 1) != "A" || wire.Name("K", []string{"", "A"}, 0) != "K(0)" || wire.Name("K", nil, -1) != "K(-1)" {
		t.Error("Name")
	}
}

func TestUnmarshalConfirmationNormalizesTheDocsInconsistencies(t *testing.T) {
	type body struct {
		RelatedMessageID   string             `json:"relatedMessageId"`
		Success            bool               `json:"success"`
		Code               string             `json:"code"`
		ConfirmationNumber string             `json:"confirmationNumber"`
		Errors             []mews.ErrorDetail `json:"errors"`
	}
	tests := []struct {
		name, doc string
		want      body
	}{
		{"string success and numeric codes", `{"relatedMessageId":13620420,"success":"True","code":123,"confirmationNumber":55}`,
			body{RelatedMessageID: "13620420", Success: true, Code: "123", ConfirmationNumber: "55"}},
		{"singular error only", `{"success":false,"error":{"code":"4","message":"no space type"}}`,
			body{Errors: []mews.ErrorDetail{{Code: mews.CodeSpaceNotFound, Message: "no space type"}}}},
		{"singular error first, then errors", `{"success":false,"errors":[{"code":9,"message":"b","rateCode":"R"}],"error":{"code":10,"message":"a","categoryCode":"C"}}`,
			body{Errors: []mews.ErrorDetail{{Code: mews.CodeCategoryError, Message: "a", CategoryCode: "C"}, {Code: mews.CodeRateError, Message: "b", RateCode: "R"}}}},
		{"errors as one object", `{"success":false,"errors":{"code":6,"message":"bad"}}`,
			body{Errors: []mews.ErrorDetail{{Code: mews.CodeValidation, Message: "bad"}}}},
		{"null error and errors", `{"success":true,"error":null,"errors":null,"code":"a\u0001b"}`,
			body{Success: true, Code: "a\x01b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got body
			if err := wire.UnmarshalConfirmation([]byte(tt.doc), &got); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
	for _, bad := range []string{`{"success":"maybe"}`, `{"code":{}}`, `{"error":[1]}`, `{"error":{"code":1},"errors":"x"}`, `[]`} {
		var got body
		if err := wire.UnmarshalConfirmation([]byte(bad), &got); err == nil {
			t.Errorf("%s decoded as %+v", bad, got)
		}
	}
}
