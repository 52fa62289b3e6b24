package channelmanager

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager/internal/wire"
)

// PaymentCard is the card that guarantees a booking or block, sent only to Mews'
// PCI-proxy push URLs. Its Number and CVV redact themselves in every textual form
// (String, %v, slog, json.Marshal); ProcessGroup and ProcessAvailabilityBlock put the real
// values on the wire through MarshalRevealedJSON.
type PaymentCard struct {
	// Type is the brand; Mews accepts only the CardType constants (CardVisa if unsure).
	Type CardType `json:"type"`
	// Number is the card number, digits only (NewCardNumber cleans one up).
	Number CardNumber `json:"number"`
	// ExpireDate is the expiry month, "MMyy" on the wire (ParseCardExpiry).
	ExpireDate CardExpiry `json:"expireDate"`
	// CVV is optional; Mews refuses "000".
	CVV CardSecret `json:"cvv,omitzero"`
	// HolderName is the name on the card, optional.
	HolderName string `json:"holderName,omitempty"`
}

// revealedCard is PaymentCard as it goes on the wire.
type revealedCard struct {
	Type       CardType   `json:"type"`
	Number     string     `json:"number"`
	ExpireDate CardExpiry `json:"expireDate"`
	CVV        string     `json:"cvv,omitempty"`
	HolderName string     `json:"holderName,omitempty"`
}

// secrets lists the card's values that must never reach an error or a log line, for
// mews.Operation.Secrets: the pipeline scrubs them even from text that Mews or the PCI
// proxy sends back. Nil-safe.
func (c *PaymentCard) secrets() []string {
	if c == nil || c.Number.IsZero() {
		return nil
	}
	return []string{c.Number.Reveal()}
}

// MarshalRevealedJSON encodes the card with its real number and CVV. Use it only to
// put the card on the wire to Mews, never for logs or storage.
func (c *PaymentCard) MarshalRevealedJSON() ([]byte, error) {
	return json.Marshal(revealedCard{Type: c.Type, Number: c.Number.Reveal(), ExpireDate: c.ExpireDate, CVV: c.CVV.Reveal(), HolderName: c.HolderName})
}

// Validate reports what Mews would refuse in the card: no number, no expiry, a type
// outside the CardType constants, or the CVV 000. ProcessGroup and
// ProcessAvailabilityBlock call it before sending; a channel manager can also use it
// on the cards its channels hand over. The error never contains the number.
func (c *PaymentCard) Validate() error {
	switch {
	case c.Number.IsZero():
		return fmt.Errorf("number is empty")
	case c.ExpireDate.IsZero():
		return fmt.Errorf("expireDate is empty; use ParseCardExpiry(\"MMyy\")")
	case c.Type < CardVisa || c.Type > CardMaestro:
		return fmt.Errorf("type %d is not one Mews accepts; use CardVisa (1) if unsure", int(c.Type))
	case c.CVV.Reveal() == "000":
		return fmt.Errorf("cvv 000 is refused by Mews")
	}
	return nil
}

// CardNumber is a payment card number, digits only. Like mews.Token it shows only a
// redacted form (the last four digits) in String, %v, %#v, slog and JSON; Reveal returns
// the digits.
type CardNumber struct{ digits hidden }

// NewCardNumber cleans a card number (spaces and dashes are removed) and checks that
// 12–19 digits remain. The error never contains the number.
func NewCardNumber(raw string) (CardNumber, error) {
	d := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(raw))
	if len(d) < 12 || len(d) > 19 || strings.Trim(d, "0123456789") != "" {
		return CardNumber{}, &mews.InputError{Field: "payment card number", Reason: "must be 12 to 19 digits"}
	}
	return CardNumber{digits: hide(d)}, nil
}

// Reveal returns the digits; only for the wire.
func (n CardNumber) Reveal() string { return n.digits.reveal() }

// IsZero reports whether no number is set.
func (n CardNumber) IsZero() bool { return n.digits.reveal() == "" }

// Last4 returns the last four digits, safe to display.
func (n CardNumber) Last4() string {
	d := n.digits.reveal()
	if len(d) < 4 {
		return ""
	}
	return d[len(d)-4:]
}

// String returns the redacted form, e.g. "[card …1111]".
func (n CardNumber) String() string {
	if n.IsZero() {
		return "[no card number]"
	}
	return "[card …" + n.Last4() + "]"
}

// GoString keeps %#v redacted.
func (n CardNumber) GoString() string { return "channelmanager.CardNumber(" + n.String() + ")" }

// Format makes every fmt verb print the redacted form.
func (n CardNumber) Format(f fmt.State, verb rune) { formatRedacted(f, verb, n.String(), n.GoString()) }

// LogValue keeps slog records redacted.
func (n CardNumber) LogValue() slog.Value { return slog.StringValue(n.String()) }

// MarshalJSON writes the redacted form; see PaymentCard.MarshalRevealedJSON.
func (n CardNumber) MarshalJSON() ([]byte, error) { return json.Marshal(n.String()) }

// UnmarshalJSON reads the digits as sent (decoding is how a card arrives; nothing to hide yet).
func (n *CardNumber) UnmarshalJSON(b []byte) error {
	return unmarshalOptional(b, n, NewCardNumber, "mews: a card number must be a JSON string")
}

// CardSecret is a card's CVV. Every textual form is "[redacted]"; Reveal returns it.
type CardSecret struct{ value hidden }

// NewCardSecret wraps a CVV (surrounding spaces trimmed).
func NewCardSecret(cvv string) CardSecret { return CardSecret{value: hide(strings.TrimSpace(cvv))} }

// Reveal returns the CVV; only for the wire.
func (s CardSecret) Reveal() string { return s.value.reveal() }

// IsZero reports whether no CVV is set; `omitzero` uses it.
func (s CardSecret) IsZero() bool { return s.value.reveal() == "" }

// String returns "[redacted]" (or "[no cvv]").
func (s CardSecret) String() string {
	if s.IsZero() {
		return "[no cvv]"
	}
	return "[redacted]"
}

// GoString keeps %#v redacted.
func (s CardSecret) GoString() string { return "channelmanager.CardSecret(" + s.String() + ")" }

// Format makes every fmt verb print the redacted form.
func (s CardSecret) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.String(), s.GoString()) }

// LogValue keeps slog records redacted.
func (s CardSecret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the redacted form.
func (s CardSecret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the CVV as sent.
func (s *CardSecret) UnmarshalJSON(b []byte) error {
	var v wire.String
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("mews: a cvv must be a JSON string")
	}
	*s = NewCardSecret(string(v))
	return nil
}

// formatRedacted prints a redacted value for any fmt verb.
func formatRedacted(f fmt.State, verb rune, s, gos string) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", s)
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, gos)
	default:
		fmt.Fprint(f, s)
	}
}

// CardExpiry is a card's expiry month, written "MMyy" on the wire ("0222" is
// February 2022).
type CardExpiry struct {
	Month time.Month
	Year  int // four digits
}

// ParseCardExpiry parses "MMyy"; "MM/yy" is accepted too.
func ParseCardExpiry(s string) (CardExpiry, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "/", "")
	bad := &mews.InputError{Field: "card expiry", Reason: "must be MMyy, e.g. 0222 for February 2022"}
	if len(s) != 4 {
		return CardExpiry{}, bad
	}
	m, err1 := strconv.Atoi(s[:2])
	y, err2 := strconv.Atoi(s[2:])
	if err1 != nil || err2 != nil || m < 1 || m > 12 || strings.ContainsAny(s, "+-") {
		return CardExpiry{}, bad
	}
	return CardExpiry{Month: time.Month(m), Year: 2000 + y}, nil
}

// IsZero reports whether no expiry is set.
func (e CardExpiry) IsZero() bool { return e == CardExpiry{} }

// ExpiredOn reports whether the card is no longer valid on d (it is valid through the
// last day of its expiry month).
func (e CardExpiry) ExpiredOn(d mews.Date) bool {
	return d.Year > e.Year || d.Year == e.Year && d.Month > e.Month
}

// String returns "MMyy".
func (e CardExpiry) String() string {
	if e.IsZero() {
		return ""
	}
	return fmt.Sprintf("%02d%02d", int(e.Month), e.Year%100)
}

// MarshalJSON writes "MMyy" (null when unset).
func (e CardExpiry) MarshalJSON() ([]byte, error) {
	if e.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(e.String())
}

// UnmarshalJSON reads "MMyy"; null or "" give the zero value.
func (e *CardExpiry) UnmarshalJSON(b []byte) error {
	return unmarshalOptional(b, e, ParseCardExpiry, "mews: card expiry must be a JSON string MMyy")
}

// unmarshalOptional decodes a JSON string into *dst with parse; null and "" give the
// zero value, anything but a string the error notString (which never quotes the input:
// it may be card data).
func unmarshalOptional[T any](b []byte, dst *T, parse func(string) (T, error), notString string) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(notString)
	}
	if s == nil || *s == "" {
		var zero T
		*dst = zero
		return nil
	}
	v, err := parse(*s)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// CardType is a payment card brand. Mews accepts only these values; use CardVisa if unsure.
type CardType int

// Card types.
const (
	CardVisa                 CardType = 1
	CardMasterCard           CardType = 2
	CardAmericanExpress      CardType = 3
	CardBankCard             CardType = 4
	CardCarteBleu            CardType = 5
	CardCarteBlanche         CardType = 6
	CardDinersClub           CardType = 7
	CardDiscover             CardType = 8
	CardEurocard             CardType = 9
	CardJapaneseCreditBureau CardType = 10
	CardUniversalAirTravel   CardType = 11
	CardChinaUnionPay        CardType = 12
	CardMaestro              CardType = 13
)

// String names the card type.
func (t CardType) String() string {
	return wire.Name("CardType", []string{"", "Visa", "MasterCard", "AmericanExpress", "BankCard",
		"CarteBleu", "CarteBlanche", "DinersClub", "Discover", "Eurocard", "JapaneseCreditBureau",
		"UniversalAirTravel", "ChinaUnionPay", "Maestro"}, int(t))
}

// PaymentCardData describes a reservation's card as Mews pushes it to a channel
// manager: never the number, only an obfuscated form and Mews' card id.
type PaymentCardData struct {
	Type             CardType   `json:"type"`
	ObfuscatedNumber string     `json:"obfuscatedNumber,omitempty"` // e.g. "41111*******1111"
	ExpireDate       CardExpiry `json:"expireDate,omitzero"`
	Identifier       string     `json:"identifier,omitempty"` // Mews' card id (a GUID)
	HolderName       string     `json:"holderName,omitempty"`
}

// hidden holds a card secret where fmt cannot print it: fmt shows the unexported
// fields of a struct by reflection, without calling String or Format (for example a
// *PaymentCard inside a Group printed with %s), and it prints a func as an address
// under every verb. The pointer keeps the types that hold it comparable.
type hidden struct{ value *func() string }

// hide wraps s; the empty string gives the zero hidden.
func hide(s string) hidden {
	if s == "" {
		return hidden{}
	}
	f := func() string { return s }
	return hidden{value: &f}
}

// reveal returns the wrapped string.
func (h hidden) reveal() string {
	if h.value == nil {
		return ""
	}
	return (*h.value)()
}
