// Package chm holds what the Channel Manager packages (reservations, properties, ari)
// share and users must not depend on: tolerant JSON pieces for the inconsistencies
// Mews' documentation shows, message ids, the confirmation target rule, and the
// newest-wins ordering of full-state pushes (Latest).
package chm

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
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

// NewMessageID returns a fresh random message id (a version-4 UUID, the form Mews uses)
// for correlating an asynchronous push with its confirmation. crypto/rand makes
// collisions between concurrent pushes practically impossible.
func NewMessageID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails since Go 1.24

	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// ConfirmationTarget is the URL a confirmation is posted to: responseURL when Mews gave
// one on the client's own platform address (same scheme and host, port included, and no
// user info) that names a confirmation operation, and "" (the operation's default path)
// otherwise. responseUrl arrives in a push that anyone able to reach the channel
// manager's endpoint could forge, and the confirmation carries the client and connection
// tokens: they never go to a host the client was not configured for, and a forged
// ".../setInventory" cannot turn a confirmation into a call that changes the connection.
func ConfirmationTarget(c *mews.Client, responseURL string) string {
	responseURL = strings.TrimSpace(responseURL)
	if responseURL == "" {
		return ""
	}
	b, err1 := url.Parse(c.Environment().BaseURL)
	t, err2 := url.Parse(responseURL)
	if err1 != nil || err2 != nil || t.User != nil || !strings.EqualFold(b.Scheme, t.Scheme) || !strings.EqualFold(b.Host, t.Host) ||
		!strings.HasSuffix(path.Base(t.Path), "Confirmation") {
		return ""
	}
	return t.String()
}

// CheckConfirmation validates the fields every asynchronous confirmation shares.
func CheckConfirmation(op, relatedMessageID string, success bool, errs []mews.ErrorDetail) error {
	switch {
	case strings.TrimSpace(relatedMessageID) == "":
		return &mews.InputError{Operation: op, Field: "relatedMessageId", Reason: "is empty; set it to the messageId of the push you confirm"}
	case success && len(errs) > 0:
		return &mews.InputError{Operation: op, Field: "errors", Reason: "must be empty when success is true"}
	case !success && len(errs) == 0:
		return &mews.InputError{Operation: op, Field: "errors", Reason: "must say why when success is false (Mews emails the message to the property)"}
	}
	for _, e := range errs {
		if e.Code <= 0 {
			return &mews.InputError{Operation: op, Field: "errors.code", Reason: "must be a Channel Manager error code (1-14)"}
		}
	}
	return nil
}

// PostConfirmation sends a confirmation body to responseURL (see ConfirmationTarget) or
// to the operation's default path. A confirmation states a final outcome for one
// messageId, so sending it twice tells Mews the same thing: it is an idempotent write.
// Two different outcomes for the same messageId are ordered by Latest: the later call
// wins, and a retry of the earlier one is never sent after it.
func PostConfirmation(ctx context.Context, cm *mews.ChannelManager, op, responseURL, relatedMessageID string, body any) error {
	if cm == nil {
		return &mews.InputError{Operation: op, Field: "channel manager", Reason: "is nil; create one with client.ChannelManager(connectionToken)"}
	}
	target := ConfirmationTarget(cm.Client(), responseURL)
	return Latest(ctx, cm, op, relatedMessageID, func(ctx context.Context) error {
		return cm.Do(ctx, mews.Operation{Name: op, URL: target, Safety: mews.IdempotentWrite}, body, nil)
	})
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
