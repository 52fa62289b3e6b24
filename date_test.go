package mews_test

import (
	"encoding/json"
	"testing"
	"time"

	mews "github.com/mewskit/mews-go"
)

func mustDate(t testing.TB, s string) mews.Date {
	t.Helper()
	d, err := mews.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func TestDateJSONRoundTrip(t *testing.T) {
	in := `{"from":"2021-12-24","to":"2024-02-29","none":null}`
	var v struct {
		From mews.Date  `json:"from"`
		To   mews.Date  `json:"to"`
		None *mews.Date `json:"none"`
	}
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatal(err)
	}
	if v.From != (mews.Date{Year: 2021, Month: time.December, Day: 24}) {
		t.Errorf("From = %#v", v.From)
	}
	out, _ := json.Marshal(v)
	if string(out) != in {
		t.Errorf("got %s, want %s", out, in)
	}
}

func TestZeroDateIsNullAndOmitzero(t *testing.T) {
	var v struct {
		A mews.Date `json:"a"`
		B mews.Date `json:"b,omitzero"`
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"a":null}` {
		t.Errorf("got %s", out)
	}
	if err := json.Unmarshal([]byte(`{"a":""}`), &v); err != nil || !v.A.IsZero() {
		t.Errorf("empty string: %v %v", v.A, err)
	}
	if (mews.Date{}).String() != "" {
		t.Error("zero String not empty")
	}
}

func TestParseDateRejectsBadInput(t *testing.T) {
	for _, in := range []string{"", "2023-02-29", "2021-13-01", "21-12-24", "2021-12-24T00:00:00Z", "2021/12/24", "2021-1-2", " 2021-12-24"} {
		if _, err := mews.ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) succeeded", in)
		}
	}
	var d mews.Date
	for _, in := range []string{`20211224`, `"2021-12-32"`, `true`} {
		if err := json.Unmarshal([]byte(in), &d); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", in)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := mustDate(t, "2024-02-28")
	tests := []struct {
		name string
		got  mews.Date
		want string
	}{
		{"leap day", d.AddDays(1), "2024-02-29"},
		{"month end", d.AddDays(2), "2024-03-01"},
		{"backwards over year", mustDate(t, "2024-01-01").AddDays(-1), "2023-12-31"},
		{"normalizes", mews.NewDate(2023, time.February, 29), "2023-03-01"},
	}
	for _, tt := range tests {
		if tt.got.String() != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if n := mustDate(t, "2021-12-24").DaysUntil(mustDate(t, "2021-12-26")); n != 2 {
		t.Errorf("nights = %d, want 2", n)
	}
	if n := mustDate(t, "2024-03-30").DaysUntil(mustDate(t, "2024-03-01")); n != -29 {
		t.Errorf("DaysUntil backwards = %d, want -29", n)
	}
}

func TestDaysUntilSpansCenturies(t *testing.T) {
	// A time.Duration saturates after about 292 years; dates must not.
	if n := mews.NewDate(1, 1, 1).DaysUntil(mews.NewDate(9999, 12, 31)); n != 3652058 {
		t.Errorf("days from 0001-01-01 to 9999-12-31 = %d, want 3652058", n)
	}
	if n := mews.NewDate(2400, 1, 1).DaysUntil(mews.NewDate(1900, 1, 1)); n != -182621 {
		t.Errorf("days from 2400-01-01 back to 1900-01-01 = %d, want -182621", n)
	}
}

func TestDateOrdering(t *testing.T) {
	a, b := mustDate(t, "2021-12-24"), mustDate(t, "2022-01-01")
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) || a.Compare(a) != 0 || a.Before(a) {
		t.Error("ordering wrong")
	}
	if mustDate(t, "2022-01-02").Compare(mustDate(t, "2022-01-01")) != 1 || mustDate(t, "2022-02-01").Compare(mustDate(t, "2022-03-01")) != -1 {
		t.Error("Compare wrong")
	}
}

func TestDateIgnoresTimeZones(t *testing.T) {
	tokyo := time.FixedZone("Tokyo", 9*3600)
	instant := time.Date(2021, 12, 24, 20, 0, 0, 0, time.UTC) // already the 25th in Tokyo
	if got := mews.DateOf(instant.In(tokyo)).String(); got != "2021-12-25" {
		t.Errorf("DateOf in Tokyo = %s", got)
	}
	if got := mews.DateOf(instant).String(); got != "2021-12-24" {
		t.Errorf("DateOf in UTC = %s", got)
	}
	midnight := mustDate(t, "2021-12-25").In(tokyo)
	if midnight.Hour() != 0 || midnight.Location() != tokyo || mews.DateOf(midnight) != mustDate(t, "2021-12-25") {
		t.Errorf("In = %v", midnight)
	}
	today := mews.Today(tokyo)
	if !today.IsValid() {
		t.Errorf("Today = %v", today)
	}
	if mews.Today(nil) != mews.DateOf(time.Now().UTC()) && mews.Today(nil) != mews.DateOf(time.Now().UTC()).AddDays(-1) {
		t.Error("Today(nil) is not today in UTC")
	}
}

func TestDateValidityAndText(t *testing.T) {
	if (mews.Date{Year: 2023, Month: 2, Day: 29}).IsValid() || (mews.Date{}).IsValid() || !mustDate(t, "2024-02-29").IsValid() {
		t.Error("IsValid wrong")
	}
	m := map[mews.Date]int{mustDate(t, "2020-05-05"): 1}
	out, _ := json.Marshal(m)
	if string(out) != `{"2020-05-05":1}` {
		t.Errorf("map key: %s", out)
	}
	var back map[mews.Date]int
	if err := json.Unmarshal(out, &back); err != nil || back[mustDate(t, "2020-05-05")] != 1 {
		t.Errorf("back: %v %v", back, err)
	}
	d := mustDate(t, "2020-05-05")
	if err := d.UnmarshalText(nil); err != nil || !d.IsZero() {
		t.Errorf("UnmarshalText(empty) = %v, %v; want the zero Date", d, err)
	}
	if err := d.UnmarshalText([]byte("2023-02-29")); err == nil {
		t.Error("UnmarshalText accepted 2023-02-29")
	}
	if err := d.UnmarshalText([]byte("2024-02-29")); err != nil || d != mews.NewDate(2024, 2, 29) {
		t.Errorf("UnmarshalText(2024-02-29) = %v, %v", d, err)
	}
}

func FuzzDateUnmarshalJSONAgreesWithParseDate(f *testing.F) {
	for _, s := range []string{"2021-12-24", "2024-02-29", "2023-02-29", "0000-01-01", "2021-1a-01", "20211224xx"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, perr := mews.ParseDate(s)
		quoted, _ := json.Marshal(s)
		var u mews.Date
		uerr := u.UnmarshalJSON(quoted)
		if s == "" {
			return // "" is the zero Date for the decoder, an error for ParseDate
		}
		if (perr == nil) != (uerr == nil) || p != u {
			t.Fatalf("%q: ParseDate %v %v, UnmarshalJSON %v %v", s, p, perr, u, uerr)
		}
	})
}
