// Package wire holds the tolerant JSON pieces that package channelmanager and its
// inbound endpoint share and users must not depend on: Mews' documentation is
// inconsistent about the shape of some fields (a string or a number, one object or a
// list, "phone" or "telephone", "error" or "errors"), and every such quirk is handled
// here once.
package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	mews "github.com/mewskit/mews-go"
)

// List decodes a JSON array, a single object (as a one-element list) or null: Mews'
// tables call images and addresses "object" while its examples send arrays.
type List[T any] []T

// UnmarshalJSON accepts an array, one value, or null.
func (l *List[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = nil
		return nil
	case b[0] == '[':
		var many []T
		if err := json.Unmarshal(b, &many); err != nil {
			return err
		}
		*l = many
		return nil
	}
	var one T
	if err := json.Unmarshal(b, &one); err != nil {
		return err
	}
	*l = List[T]{one}
	return nil
}

// String decodes a JSON string, number or boolean as text; null gives "". Mews documents
// some codes as strings and shows them as numbers.
type String string

// UnmarshalJSON accepts a string, a number, a boolean or null.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*s = ""
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9' || b[0] == 't' || b[0] == 'f'):
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(b)
	default:
		return fmt.Errorf("want a string, got %.20s", b)
	}
	return nil
}

// Bool decodes true, false, "true" and "false" (any case); null gives false. Mews'
// block processing confirmation example writes success as a string.
type Bool bool

// UnmarshalJSON accepts a boolean, a boolean in a string, or null.
func (v *Bool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	switch s {
	case "true":
		*v = true
	case "false", "null", "":
		*v = false
	default:
		return fmt.Errorf("want true or false, got %.20s", b)
	}
	return nil
}

// Int decodes a JSON number or a number inside a string; null gives 0.
type Int int

// UnmarshalJSON accepts a number, a numeric string, or null.
func (v *Int) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(strings.Trim(string(bytes.TrimSpace(b)), `"`))
	if s == "null" || s == "" {
		*v = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want an integer, got %.20s", b)
	}
	*v = Int(n)
	return nil
}

// Canonical returns the element of known that equals s ignoring case, or s unchanged,
// so "fixed" decodes as "Fixed" and unknown values survive a round trip.
func Canonical(s string, known ...string) string {
	for _, k := range known {
		if strings.EqualFold(s, k) {
			return k
		}
	}
	return s
}

// UnmarshalEnum decodes a JSON string into *dst, canonicalizing its case against known.
func UnmarshalEnum[E ~string](b []byte, dst *E, known ...E) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil {
		*dst = ""
		return nil
	}
	*dst = E(*s)
	for _, k := range known {
		if strings.EqualFold(*s, string(k)) {
			*dst = k
		}
	}
	return nil
}

// Name returns names[v] when v indexes a non-empty name, and "<kind>(v)" otherwise; it
// backs the String methods of the integer enums.
func Name(kind string, names []string, v int) string {
	if v >= 0 && v < len(names) && names[v] != "" {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(v) + ")"
}

// MergeErrors returns the errors of a body that may carry the deprecated singular
// "error" object, the "errors" array, or both.
func MergeErrors(single *mews.ErrorDetail, many []mews.ErrorDetail) []mews.ErrorDetail {
	if single == nil {
		return many
	}
	return append([]mews.ErrorDetail{*single}, many...)
}

// UnmarshalConfirmation decodes a confirmation body into v (a pointer to a struct type
// without its own UnmarshalJSON) after normalizing what Mews writes inconsistently:
// "success" as a string, "code", "confirmationNumber" and the message ids as numbers,
// the deprecated singular "error" beside or instead of "errors", and "errors" as one
// object. Every
// confirmation type of the Channel Manager packages decodes through it, so each quirk is
// handled in one place.
func UnmarshalConfirmation(b []byte, v any) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	if raw, ok := m["success"]; ok {
		var success Bool
		if err := json.Unmarshal(raw, &success); err != nil {
			return fmt.Errorf("success: %w", err)
		}
		m["success"] = json.RawMessage(strconv.FormatBool(bool(success)))
	}
	for _, key := range []string{"code", "confirmationNumber", "messageId", "relatedMessageId"} {
		if raw, ok := m[key]; ok {
			var text String
			if err := json.Unmarshal(raw, &text); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			m[key], _ = json.Marshal(string(text)) // a string always marshals
		}
	}
	var single *mews.ErrorDetail
	var many List[mews.ErrorDetail]
	if raw, ok := m["error"]; ok {
		if err := json.Unmarshal(raw, &single); err != nil {
			return fmt.Errorf("error: %w", err)
		}
		delete(m, "error")
	}
	if raw, ok := m["errors"]; ok {
		if err := json.Unmarshal(raw, &many); err != nil {
			return fmt.Errorf("errors: %w", err)
		}
	}
	if merged := MergeErrors(single, many); merged != nil {
		m["errors"], _ = json.Marshal(merged) // plain structs always marshal
	}
	normalized, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return json.Unmarshal(normalized, v)
}

// UnmarshalWithPhone decodes b into plain (a pointer to a type without its own
// UnmarshalJSON) and, when *telephone stayed empty, fills it from a "phone" field: the
// docs' tables say "telephone" while their examples say "phone".
func UnmarshalWithPhone(b []byte, plain any, telephone *string) error {
	if err := json.Unmarshal(b, plain); err != nil {
		return err
	}
	if *telephone != "" {
		return nil
	}
	var alias struct {
		Phone string `json:"phone"`
	}
	if err := json.Unmarshal(b, &alias); err != nil {
		return err
	}
	*telephone = alias.Phone
	return nil
}
