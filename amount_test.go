package mews_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/internal/benchcmp"
)

func mustAmount(t testing.TB, s string) mews.Amount {
	t.Helper()
	a, err := mews.ParseAmount(s)
	if err != nil {
		t.Fatalf("ParseAmount(%q): %v", s, err)
	}
	return a
}

func TestAmountJSONRoundTripKeepsEveryDigit(t *testing.T) {
	for _, in := range []string{
		"97.2", "1.00000000", "100", "0", "0.00", "93.46", "-0.5", "16.53",
		"123456789012345678901234567890.123456789", "0.000000000000000000000001",
		"9223372036854775807", "-9223372036854775808", "9223372036854775808",
	} {
		t.Run(in, func(t *testing.T) {
			var a mews.Amount
			if err := json.Unmarshal([]byte(in), &a); err != nil {
				t.Fatalf("Unmarshal: %v", err)
			}
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatalf("Marshal: %v", err)
			}
			if string(out) != in {
				t.Errorf("round trip of %s gave %s", in, out)
			}
			if a.String() != in {
				t.Errorf("String() = %s, want %s", a.String(), in)
			}
		})
	}
}

func TestAmountInsideStructRoundTrips(t *testing.T) {
	in := `{"net":81,"gross":100.10,"tax":[1.00000000,97.2]}`
	var v struct {
		Net   mews.Amount   `json:"net"`
		Gross *mews.Amount  `json:"gross"`
		Tax   []mews.Amount `json:"tax"`
	}
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	if string(out) != in {
		t.Errorf("got %s, want %s", out, in)
	}
}

func TestAmountUnmarshalAcceptsQuotedNumbersAndNull(t *testing.T) {
	var v struct {
		A mews.Amount  `json:"a"`
		B *mews.Amount `json:"b"`
	}
	if err := json.Unmarshal([]byte(`{"a":"12.50","b":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "12.50" || v.B != nil {
		t.Errorf("got a=%v b=%v, want a=12.50 b=nil", v.A, v.B)
	}
}

func TestParseAmountRejectsNonNumbers(t *testing.T) {
	for _, in := range []string{"", "-", "abc", "1,5", "1.2.3", "NaN", "Inf", " 1", "1 ", "1e", "0x10", ".5", "5.", "1e-999999", strings.Repeat("9", 300)} {
		if _, err := mews.ParseAmount(in); err == nil {
			t.Errorf("ParseAmount(%q) succeeded, want an error", in)
		}
	}
	var a mews.Amount
	if err := json.Unmarshal([]byte(`true`), &a); err == nil {
		t.Error("Unmarshal(true) succeeded, want an error")
	}
}

func TestParseAmountExponentGivesExactValue(t *testing.T) {
	for in, want := range map[string]string{"1.5e2": "150", "15e-1": "1.5", "1E+3": "1000", "-2.50e1": "-25.0"} {
		if got := mustAmount(t, in).String(); got != want {
			t.Errorf("ParseAmount(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestAmountArithmeticIsExact(t *testing.T) {
	tests := []struct {
		name string
		got  mews.Amount
		want string
	}{
		{"add keeps larger scale", mustAmount(t, "81").Add(mustAmount(t, "97.2")), "178.2"},
		{"float-hostile sum", mustAmount(t, "0.1").Add(mustAmount(t, "0.2")), "0.3"},
		{"sub", mustAmount(t, "100").Sub(mustAmount(t, "0.01")), "99.99"},
		{"neg", mustAmount(t, "1.50").Neg(), "-1.50"},
		{"mul int", mustAmount(t, "16.53").MulInt(3), "49.59"},
		{"mul negative", mustAmount(t, "2.5").MulInt(-2), "-5.0"},
		{"overflow to big", mustAmount(t, "9223372036854775807").Add(mustAmount(t, "1")), "9223372036854775808"},
		{"overflow on rescale", mustAmount(t, "9223372036854775807").Add(mustAmount(t, "0.1")), "9223372036854775807.1"},
		{"big back to small", mustAmount(t, "9223372036854775808").Sub(mustAmount(t, "1")), "9223372036854775807"},
		{"mul overflow", mustAmount(t, "9223372036854775807").MulInt(10), "92233720368547758070"},
		{"neg of min int64", mustAmount(t, "-9223372036854775808").Neg(), "9223372036854775808"},
		{"new amount", mews.NewAmount(9720, 2), "97.20"},
		{"new amount negative scale", mews.NewAmount(12, -3), "12000"},
		{"from int", mews.AmountFromInt(-7), "-7"},
		{"zero value", mews.Amount{}, "0"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
}

func TestAmountCmpIgnoresScale(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1.0", "1.00", 0},
		{"1", "1.00000000", 0},
		{"97.2", "97.19", 1},
		{"-1", "0", -1},
		{"9223372036854775808", "9223372036854775807.9", 1},
		{"0.000000000000000000001", "0", 1},
	}
	for _, tt := range tests {
		a, b := mustAmount(t, tt.a), mustAmount(t, tt.b)
		if got := a.Cmp(b); got != tt.want {
			t.Errorf("Cmp(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := a.Equal(b); got != (tt.want == 0) {
			t.Errorf("Equal(%s, %s) = %v", tt.a, tt.b, got)
		}
	}
}

func TestAmountSignAndZero(t *testing.T) {
	if !mustAmount(t, "0.000").IsZero() || mustAmount(t, "0.001").IsZero() {
		t.Error("IsZero wrong")
	}
	if mustAmount(t, "-3").Sign() != -1 || mustAmount(t, "3").Sign() != 1 || mustAmount(t, "-99999999999999999999").Sign() != -1 {
		t.Error("Sign wrong")
	}
	if mustAmount(t, "1.00000000").Scale() != 8 {
		t.Error("Scale wrong")
	}
	if got := mustAmount(t, "93.46").Float64(); got != 93.46 {
		t.Errorf("Float64 = %v", got)
	}
}

func TestAmountWorksWithCmp(t *testing.T) {
	type price struct{ Gross mews.Amount }
	if d := cmp.Diff(price{mustAmount(t, "1.0")}, price{mustAmount(t, "1.00")}); d != "" {
		t.Errorf("equal values differ:\n%s", d)
	}
	if cmp.Equal(price{mustAmount(t, "1")}, price{mustAmount(t, "2")}) {
		t.Error("different values compare equal")
	}
}

func TestAmountTextRoundTrip(t *testing.T) {
	m := map[mews.Amount]int{mustAmount(t, "1.50"): 1}
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != `{"1.50":1}` {
		t.Errorf("got %s", out)
	}
	var back map[mews.Amount]int
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || back[mustAmount(t, "1.50")] != 1 {
		t.Errorf("got %v, want the key 1.50 with its two fraction digits", back)
	}
	var a mews.Amount
	if err := a.UnmarshalText([]byte("-97.20")); err != nil || a.String() != "-97.20" {
		t.Errorf("UnmarshalText(-97.20) = %s, %v", a, err)
	}
	if err := a.UnmarshalText([]byte("97,20")); err == nil {
		t.Error("UnmarshalText accepted a decimal comma")
	}
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"97.2", "1.00000000", "100", "-0.5", "1e3", "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := mews.ParseAmount(s)
		if err != nil {
			return
		}
		b, err := mews.ParseAmount(a.String())
		if err != nil {
			t.Fatalf("String() of %q = %q does not parse: %v", s, a.String(), err)
		}
		if !a.Equal(b) || a.String() != b.String() {
			t.Fatalf("%q -> %q -> %q", s, a, b)
		}
	})
}

func FuzzAmountUnmarshalJSONAgreesWithParseAmount(f *testing.F) {
	for _, s := range []string{"97.2", "-0", "1.", ".5", "9223372036854775807", "92233720368547758070", "-1.00000000", "1e3", "--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if strings.HasPrefix(s, `"`) || s == "null" {
			return // quoted and null input are UnmarshalJSON extensions
		}
		p, perr := mews.ParseAmount(s)
		var u mews.Amount
		uerr := u.UnmarshalJSON([]byte(s))
		switch {
		case (perr == nil) != (uerr == nil):
			t.Fatalf("%.60q: ParseAmount err %v, UnmarshalJSON err %v", s, perr, uerr)
		case perr == nil && p.String() != u.String():
			t.Fatalf("%q: ParseAmount %s, UnmarshalJSON %s", s, p, u)
		case uerr == nil && (u.Scale() > 64 || len(u.String()) > 260):
			t.Fatalf("%.40q: accepted with scale %d and %d characters, beyond the documented limits", s, u.Scale(), len(u.String()))
		}
	})
}

// BenchmarkAmountUnmarshal decodes Mews-style money values into Amount and, in the same
// run, into float64 (the lossy baseline), and reports the time and allocation ratios.
func BenchmarkAmountUnmarshal(b *testing.B) {
	data := []byte(`[100,97.2,1.00000000,93.46,16.53,20.0,3.47,0.00,-1.5,469.8,580,194.4]`)
	decodeAmounts := func() {
		var v []mews.Amount
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
	decodeFloats := func() {
		var v []float64
		if err := json.Unmarshal(data, &v); err != nil {
			b.Fatal(err)
		}
	}
	benchcmp.Ratios(b, 100, decodeAmounts, decodeFloats)
}

// TestAmountDecodingEnforcesTheDigitAndScaleLimitsOnEveryPath feeds each decoding path
// (the plain-number fast path, quoted JSON, text, ParseAmount) a number whose
// coefficient is small but whose scale or length is huge: "0." + many zeros + "1" once
// slipped through the fast path and made later arithmetic take about a second.
func TestAmountDecodingEnforcesTheDigitAndScaleLimitsOnEveryPath(t *testing.T) {
	inputs := map[string]string{
		"two million fraction zeros": "0." + strings.Repeat("0", 2_000_000) + "1",
		"65 fraction digits":         "0." + strings.Repeat("0", 64) + "1",
		"300 leading zeros":          strings.Repeat("0", 300) + "1",
		"negative, long fraction":    "-1." + strings.Repeat("0", 100),
	}
	for name, s := range inputs {
		t.Run(name, func(t *testing.T) {
			var a mews.Amount
			if err := a.UnmarshalJSON([]byte(s)); err == nil {
				t.Errorf("UnmarshalJSON accepted it (scale %d)", a.Scale())
			}
			if err := a.UnmarshalJSON([]byte(`"` + s + `"`)); err == nil {
				t.Errorf("UnmarshalJSON of the quoted number accepted it (scale %d)", a.Scale())
			}
			if err := a.UnmarshalText([]byte(s)); err == nil {
				t.Errorf("UnmarshalText accepted it (scale %d)", a.Scale())
			}
			if _, err := mews.ParseAmount(s); err == nil {
				t.Error("ParseAmount accepted it")
			}
		})
	}
	for _, ok := range []string{"0." + strings.Repeat("0", 63) + "1", "-" + strings.Repeat("9", 18) + ".5"} {
		var a mews.Amount
		if err := a.UnmarshalJSON([]byte(ok)); err != nil {
			t.Errorf("UnmarshalJSON(%.20s…) = %v, want it accepted: it is within the limits", ok, err)
		}
	}
}
