package pins

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/reservations"
)

// Type is the kind of credential.
type Type string

// Credential types.
const (
	PinCode Type = "PinCode" // a code typed on a keypad
	RfidTag Type = "RfidTag" // a card or wristband
)

// MaxValueLength is the longest credential value Mews stores, in UTF-16 code units
// (characters, for PINs and tag ids).
const MaxValueLength = 255

// Permissions say which doors a credential opens besides the reservation's own.
type Permissions struct {
	Bed      bool `json:"Bed"`
	Room     bool `json:"Room"`
	Floor    bool `json:"Floor"`
	Building bool `json:"Building"`
}

// Credential is a door PIN code or RFID tag stored on a reservation (Mews "resource
// access token"; unrelated to the API's AccessToken). The same type describes what to
// store (for Add and Set, where the Mews-assigned fields are ignored) and what is
// stored (from List, Add, Update and Set). Its JSON form is Mews' response shape.
//
// Value is a secret: String and the log value show it redacted.
type Credential struct {
	// ID, EnterpriseID, CreatedUtc, UpdatedUtc and IsActive are set by Mews.
	ID           string `json:"Id,omitempty"`
	EnterpriseID string `json:"EnterpriseId,omitempty"`
	// ReservationID is the reservation the credential belongs to (Mews "ServiceOrderId").
	ReservationID string `json:"ServiceOrderId"`
	// CompanionshipID ties the credential to one guest of the reservation; "" for none.
	CompanionshipID string `json:"CompanionshipId,omitempty"`
	// ResourceID is the room the credential opens; "" for none.
	ResourceID string `json:"ResourceId,omitempty"`
	Type       Type   `json:"Type"`
	// Value is the PIN or tag id: 1–255 characters, no whitespace or control
	// characters (see CheckValue).
	Value string `json:"Value"`
	// SerialNumber identifies a physical carrier (key card, wristband); "" for none.
	SerialNumber     string      `json:"SerialNumber,omitempty"`
	ValidityStartUtc time.Time   `json:"ValidityStartUtc"`
	ValidityEndUtc   time.Time   `json:"ValidityEndUtc"`
	Permissions      Permissions `json:"Permissions"`
	CreatedUtc       time.Time   `json:"CreatedUtc,omitzero"`
	UpdatedUtc       time.Time   `json:"UpdatedUtc,omitzero"`
	// IsActive is false once the credential was deleted (Mews deletes softly).
	IsActive bool `json:"IsActive"`
}

// ForReservation describes a credential of type t with value for a reservation: valid
// for the stay (from check-in, or the planned arrival, to the planned departure, or the
// check-out), for the assigned room if any, with room permission.
func ForReservation(r *reservations.Reservation, t Type, value string) Credential {
	c := Credential{
		ReservationID: r.ID, Type: t, Value: value,
		ValidityStartUtc: r.Start(), ValidityEndUtc: r.End(),
		Permissions: Permissions{Room: true},
	}
	if r.AssignedResourceID != nil {
		c.ResourceID = *r.AssignedResourceID
	}
	return c
}

// String describes the credential without its value.
func (c Credential) String() string {
	return fmt.Sprintf("%s %s for reservation %s, room %q, valid %s–%s, active %v",
		c.Type, redacted, c.ReservationID, c.ResourceID,
		c.ValidityStartUtc.Format(time.RFC3339), c.ValidityEndUtc.Format(time.RFC3339), c.IsActive)
}

// GoString is String, so that %#v does not print the value either.
func (c Credential) GoString() string { return "pins.Credential{" + c.String() + "}" }

// Format prints String under every verb (%#v: GoString), so that no verb, %d or %x
// included, falls back to printing the fields and the value with them.
func (c Credential) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'q':
		fmt.Fprintf(f, "%q", c.String())
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, c.GoString())
	default:
		fmt.Fprint(f, c.String())
	}
}

// LogValue logs the credential without its value.
func (c Credential) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("id", c.ID), slog.String("reservation", c.ReservationID), slog.String("type", string(c.Type)),
		slog.String("value", redacted), slog.String("resource", c.ResourceID), slog.Bool("active", c.IsActive),
	)
}

const redacted = "[redacted]"

// normalize puts the credential's times in UTC.
func (c *Credential) normalize() {
	c.ValidityStartUtc, c.ValidityEndUtc = c.ValidityStartUtc.UTC(), c.ValidityEndUtc.UTC()
	c.CreatedUtc, c.UpdatedUtc = c.CreatedUtc.UTC(), c.UpdatedUtc.UTC()
}

// CheckValue applies the rule for a PIN or tag value that Add, Update and Set apply
// before sending, so that a form or a command can refuse a value before it does
// anything else: 1 to MaxValueLength characters (UTF-16 code units), with no
// whitespace anywhere (a guest could not type it, and a pasted value often carries
// some) and no control characters. A refused value is an *mews.InputError whose Field
// is "Value" and whose Reason names the position, never the value.
func CheckValue(value string) error {
	bad := func(reason string) error { return &mews.InputError{Field: "Value", Reason: reason} }
	if value == "" {
		return bad("is empty; a credential needs a PIN or tag value")
	}
	if n := len(utf16.Encode([]rune(value))); n > MaxValueLength {
		return bad(fmt.Sprintf("is %d characters long; Mews stores at most %d", n, MaxValueLength))
	}
	for i, r := range []rune(value) {
		switch {
		case unicode.IsSpace(r):
			return bad(fmt.Sprintf("contains whitespace at position %d; a guest could not type it", i+1))
		case unicode.IsControl(r) || r == unicode.ReplacementChar:
			return bad(fmt.Sprintf("contains a control character at position %d; a guest could not type it", i+1))
		}
	}
	return nil
}

// validate checks what Mews would reject, before anything is sent.
func (c *Credential) validate(op string, forUpdate bool) error {
	bad := func(field, reason string) error { return &mews.InputError{Operation: op, Field: field, Reason: reason} }
	if forUpdate {
		if strings.TrimSpace(c.ID) == "" {
			return bad("ResourceAccessTokenId", "is empty; update a credential that List, Add or Set returned")
		}
	} else {
		if strings.TrimSpace(c.ReservationID) == "" {
			return bad("ServiceOrderId", "is empty; set ReservationID to the reservation's id")
		}
		if c.Type != PinCode && c.Type != RfidTag {
			return bad("Type", fmt.Sprintf("is %q; use pins.PinCode or pins.RfidTag", c.Type))
		}
	}
	if err := CheckValue(c.Value); err != nil {
		ie := err.(*mews.InputError)
		ie.Operation = op
		return ie
	}
	switch {
	case c.ValidityStartUtc.IsZero() || c.ValidityEndUtc.IsZero():
		return bad("ValidityStartUtc", "and ValidityEndUtc are both required")
	case !c.ValidityStartUtc.Before(c.ValidityEndUtc):
		return bad("ValidityEndUtc", "is not after ValidityStartUtc; the credential would never open a door")
	}
	return nil
}

// Wire forms of requests: Mews wraps permissions and updated values as {"Value": x}.
type (
	boolValue   struct{ Value bool }
	stringValue struct{ Value string }

	permissionParams struct{ Bed, Room, Floor, Building boolValue }

	addParams struct {
		ServiceOrderId   string
		CompanionshipId  string `json:",omitempty"`
		ResourceId       string `json:",omitempty"`
		Value            string
		Type             Type
		SerialNumber     string `json:",omitempty"`
		ValidityStartUtc string
		ValidityEndUtc   string
		Permissions      permissionParams
	}

	updateParams struct {
		ResourceAccessTokenId string
		ValidityStartUtc      stringValue
		ValidityEndUtc        stringValue
		Value                 stringValue
		Permissions           permissionParams
	}
)

func (p Permissions) params() permissionParams {
	return permissionParams{Bed: boolValue{p.Bed}, Room: boolValue{p.Room}, Floor: boolValue{p.Floor}, Building: boolValue{p.Building}}
}

func utcText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func (c *Credential) addParams() addParams {
	return addParams{
		ServiceOrderId: c.ReservationID, CompanionshipId: c.CompanionshipID, ResourceId: c.ResourceID,
		Value: c.Value, Type: c.Type, SerialNumber: c.SerialNumber,
		ValidityStartUtc: utcText(c.ValidityStartUtc), ValidityEndUtc: utcText(c.ValidityEndUtc),
		Permissions: c.Permissions.params(),
	}
}

func (c *Credential) updateParams() updateParams {
	return updateParams{
		ResourceAccessTokenId: c.ID,
		ValidityStartUtc:      stringValue{utcText(c.ValidityStartUtc)}, ValidityEndUtc: stringValue{utcText(c.ValidityEndUtc)},
		Value: stringValue{c.Value}, Permissions: c.Permissions.params(),
	}
}
