package mews

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// Amount is an exact decimal number for money values (prices, totals, tax values).
//
// Mews sends amounts as JSON numbers with varying precision (100, 97.2, 1.00000000);
// float64 would silently change some of them, so Amount keeps the digits it was given:
// it stores an integer coefficient and a decimal scale, and encodes back exactly the digits
// it decoded (97.2 stays 97.2, 1.00000000 keeps its eight zeros). The zero value is 0.
// Amounts are immutable values; arithmetic returns new Amounts and never rounds.
// Compare them with Equal or Cmp, not ==, which also compares the scale (1.0 != 1.00).
type Amount struct {
	coef  int64    // used when big is nil
	big   *big.Int // set only when the coefficient does not fit in an int64; never mutated
	scale int32    // number of digits after the decimal point, >= 0
}

// maxAmountScale bounds the number of fraction digits accepted, so a hostile "1e-999999999"
// cannot make us allocate huge strings.
const maxAmountScale = 64

// maxAmountDigits bounds the total number of digits accepted for the same reason.
const maxAmountDigits = 256

// errAmountSyntax is wrapped by every amount parse failure.
var errAmountSyntax = errors.New("not a decimal number")

// NewAmount returns the Amount coefficient × 10^-scale, e.g. NewAmount(9720, 2) is 97.20.
// A negative scale multiplies the coefficient by a power of ten.
func NewAmount(coefficient int64, scale int32) Amount {
	if scale >= 0 {
		return Amount{coef: coefficient, scale: scale}
	}
	b := new(big.Int).Mul(big.NewInt(coefficient), pow10(-scale))
	return fromBig(b, 0)
}

// AmountFromInt returns the whole number n as an Amount with no fraction digits.
func AmountFromInt(n int64) Amount { return Amount{coef: n} }

// ParseAmount parses a decimal such as "97.2", "-1.00000000", "100" or "1.5e2".
// It keeps every digit given (trailing zeros included); it accepts no spaces, signs other
// than a leading '-' or '+', thousands separators, NaN or infinities.
func ParseAmount(s string) (Amount, error) {
	a, err := parseAmount(s)
	if err != nil {
		return Amount{}, fmt.Errorf("mews: amount %q: %w", truncateForError(s), err)
	}
	return a, nil
}

func parseAmount(s string) (Amount, error) {
	if s == "" {
		return Amount{}, errAmountSyntax
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	mantissa, exp := s, int64(0)
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mantissa = s[:i]
		e, err := strconv.ParseInt(s[i+1:], 10, 32)
		if err != nil {
			return Amount{}, errAmountSyntax
		}
		exp = e
	}
	intPart, frac, hasDot := strings.Cut(mantissa, ".")
	if hasDot && (intPart == "" || frac == "") {
		return Amount{}, errAmountSyntax // ".5" and "5." are not JSON numbers either
	}
	digits := intPart + frac
	if len(digits) == 0 || len(digits) > maxAmountDigits {
		return Amount{}, errAmountSyntax
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Amount{}, errAmountSyntax
		}
	}
	scale := int64(len(frac)) - exp
	if scale > maxAmountScale || scale < -maxAmountDigits {
		return Amount{}, fmt.Errorf("%w: exponent out of range", errAmountSyntax)
	}
	if scale < 0 {
		if len(digits)-int(scale) > maxAmountDigits {
			return Amount{}, fmt.Errorf("%w: exponent out of range", errAmountSyntax)
		}
		digits += strings.Repeat("0", int(-scale))
		scale = 0
	}
	var a Amount
	if u, err := strconv.ParseUint(digits, 10, 63); err == nil {
		a = Amount{coef: int64(u), scale: int32(scale)}
		if neg {
			a.coef = -a.coef
		}
		return a, nil
	}
	b, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return Amount{}, errAmountSyntax
	}
	if neg {
		b.Neg(b)
	}
	return fromBig(b, int32(scale)), nil
}

// parsePlainDecimal is the allocation-free path for the common case: an optional '-',
// digits, and optionally '.' and more digits, fitting in an int64 and within
// maxAmountDigits and maxAmountScale. Anything else
// (exponents, quotes, huge values, bad syntax) reports !ok and takes the general path.
func parsePlainDecimal(b []byte) (Amount, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var coef uint64
	digits, scale, dot := 0, int32(0), false
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if coef > (math.MaxInt64-9)/10 {
				return Amount{}, false
			}
			coef = coef*10 + uint64(c-'0')
			digits++
			if dot {
				scale++
			}
			if digits > maxAmountDigits || scale > maxAmountScale {
				// Leading zeros keep coef small however many there are, so the
				// limits are checked on the digits seen, not on the value; the
				// general path reports the error.
				return Amount{}, false
			}
		case c == '.' && !dot && i > 0 && i < len(b)-1:
			dot = true
		default:
			return Amount{}, false
		}
	}
	if digits == 0 {
		return Amount{}, false
	}
	v := int64(coef)
	if neg {
		v = -v
	}
	return Amount{coef: v, scale: scale}, true
}

// truncateForError keeps error messages short when the input is huge.
func truncateForError(s string) string {
	const limit = 40
	if len(s) <= limit {
		return s
	}
	return s[:limit] + "..."
}

// fromBig builds an Amount from a big coefficient, using the int64 form when it fits.
func fromBig(b *big.Int, scale int32) Amount {
	if b.IsInt64() {
		return Amount{coef: b.Int64(), scale: scale}
	}
	return Amount{big: b, scale: scale}
}

// bigCoef returns the coefficient as a new big.Int the caller may modify.
func (a Amount) bigCoef() *big.Int {
	if a.big != nil {
		return new(big.Int).Set(a.big)
	}
	return big.NewInt(a.coef)
}

func pow10(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// small10 holds the powers of ten that fit in an int64.
var small10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// rescaled returns a's coefficient at the larger scale s (s >= a.scale) as int64 when that
// fits without overflow.
func (a Amount) rescaled(s int32) (int64, bool) {
	if a.big != nil {
		return 0, false
	}
	d := s - a.scale
	if d == 0 {
		return a.coef, true
	}
	if int(d) >= len(small10) {
		return 0, a.coef == 0
	}
	hi, lo := bits.Mul64(absU64(a.coef), uint64(small10[d]))
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	if a.coef < 0 {
		return -int64(lo), true
	}
	return int64(lo), true
}

func absU64(n int64) uint64 {
	if n < 0 {
		return uint64(-n)
	}
	return uint64(n)
}

// bigRescaled returns a's coefficient at scale s (s >= a.scale) as a new big.Int.
func (a Amount) bigRescaled(s int32) *big.Int {
	b := a.bigCoef()
	if d := s - a.scale; d > 0 {
		b.Mul(b, pow10(d))
	}
	return b
}

// Add returns a + b exactly, with the larger of the two scales (1.5 + 2.25 = 3.75, 1.0 + 2 = 3.0).
func (a Amount) Add(b Amount) Amount {
	s := max(a.scale, b.scale)
	x, ok1 := a.rescaled(s)
	y, ok2 := b.rescaled(s)
	if ok1 && ok2 {
		if sum, overflow := addInt64(x, y); !overflow {
			return Amount{coef: sum, scale: s}
		}
	}
	return fromBig(new(big.Int).Add(a.bigRescaled(s), b.bigRescaled(s)), s)
}

func addInt64(x, y int64) (int64, bool) {
	sum := x + y
	return sum, (x > 0 && y > 0 && sum < 0) || (x < 0 && y < 0 && sum >= 0)
}

// Sub returns a - b exactly.
func (a Amount) Sub(b Amount) Amount { return a.Add(b.Neg()) }

// Neg returns -a.
func (a Amount) Neg() Amount {
	if a.big != nil || a.coef == math.MinInt64 {
		b := a.bigCoef()
		return fromBig(b.Neg(b), a.scale)
	}
	return Amount{coef: -a.coef, scale: a.scale}
}

// MulInt returns a × n exactly, e.g. a unit price times a count.
func (a Amount) MulInt(n int64) Amount {
	if a.big == nil {
		hi, lo := bits.Mul64(absU64(a.coef), absU64(n))
		if hi == 0 && lo <= math.MaxInt64 {
			p := int64(lo)
			if (a.coef < 0) != (n < 0) {
				p = -p
			}
			return Amount{coef: p, scale: a.scale}
		}
	}
	return fromBig(new(big.Int).Mul(a.bigCoef(), big.NewInt(n)), a.scale)
}

// Cmp compares the values of a and b and returns -1, 0 or +1; the scale does not matter,
// so 1.0 and 1.00 compare equal.
func (a Amount) Cmp(b Amount) int {
	s := max(a.scale, b.scale)
	x, ok1 := a.rescaled(s)
	y, ok2 := b.rescaled(s)
	if ok1 && ok2 {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return a.bigRescaled(s).Cmp(b.bigRescaled(s))
}

// Equal reports whether a and b have the same value (1.0 equals 1.00).
func (a Amount) Equal(b Amount) bool { return a.Cmp(b) == 0 }

// Sign returns -1, 0 or +1 depending on the sign of a.
func (a Amount) Sign() int {
	if a.big != nil {
		return a.big.Sign()
	}
	switch {
	case a.coef < 0:
		return -1
	case a.coef > 0:
		return 1
	}
	return 0
}

// IsZero reports whether a is zero (at any scale); it also lets `omitzero` drop zero amounts.
func (a Amount) IsZero() bool { return a.Sign() == 0 }

// Scale returns the number of digits after the decimal point that a carries.
func (a Amount) Scale() int32 { return a.scale }

// Float64 returns the nearest float64. It is for display and statistics only: it may lose
// precision, which is why Amount exists.
func (a Amount) Float64() float64 {
	f, _ := strconv.ParseFloat(a.String(), 64)
	return f
}

// String returns the decimal with exactly Scale() fraction digits ("97.2", "1.00000000", "-0.5").
func (a Amount) String() string {
	return string(a.appendTo(make([]byte, 0, 24)))
}

func (a Amount) appendTo(dst []byte) []byte {
	var digits []byte
	var buf [24]byte
	neg := false
	if a.big != nil {
		digits = a.big.Append(buf[:0], 10)
	} else {
		digits = strconv.AppendInt(buf[:0], a.coef, 10)
	}
	if len(digits) > 0 && digits[0] == '-' {
		neg = true
		digits = digits[1:]
	}
	if neg {
		dst = append(dst, '-')
	}
	if a.scale == 0 {
		return append(dst, digits...)
	}
	s := int(a.scale)
	if len(digits) <= s {
		dst = append(dst, '0', '.')
		for i := len(digits); i < s; i++ {
			dst = append(dst, '0')
		}
		return append(dst, digits...)
	}
	dst = append(dst, digits[:len(digits)-s]...)
	dst = append(dst, '.')
	return append(dst, digits[len(digits)-s:]...)
}

// MarshalJSON writes a as a JSON number with exactly the digits it holds.
func (a Amount) MarshalJSON() ([]byte, error) { return a.appendTo(nil), nil }

// UnmarshalJSON reads a JSON number, or a number inside a JSON string (some Mews payloads
// quote amounts). null leaves a unchanged, like encoding/json does for other types.
func (a *Amount) UnmarshalJSON(data []byte) error {
	if v, ok := parsePlainDecimal(data); ok {
		*a = v
		return nil
	}
	s := string(data)
	if s == "null" {
		return nil
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		unq, err := strconv.Unquote(s)
		if err != nil {
			return fmt.Errorf("mews: amount: %w", errAmountSyntax)
		}
		s = strings.TrimSpace(unq)
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// MarshalText writes the decimal string, so amounts work as map keys and in text formats.
func (a Amount) MarshalText() ([]byte, error) { return a.appendTo(nil), nil }

// UnmarshalText parses a decimal string.
func (a *Amount) UnmarshalText(text []byte) error {
	v, err := ParseAmount(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
