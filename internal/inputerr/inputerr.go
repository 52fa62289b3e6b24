// Package inputerr defines the error for a request the SDK refused to send. It is a
// leaf so that internal/paging, which the root package imports for its Pager, can
// build the same *mews.InputError the root and every operation package return; the
// root re-exports both names (mews.InputError, mews.ErrInvalidInput).
package inputerr

import (
	"errors"
	"strings"
)

// ErrInvalidInput is mews.ErrInvalidInput: the SDK refused a request before sending it.
var ErrInvalidInput = errors.New("mews: invalid input")

// InputError is mews.InputError: a request the SDK refused to send because it would
// fail or do harm. Nothing was sent. It matches ErrInvalidInput.
type InputError struct {
	Operation string // the operation that was not sent, if any
	Field     string // the offending field
	Reason    string // what is wrong and what to do
}

// Error reads "mews: <operation>: <field> <reason>".
func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString("mews: ")
	if e.Operation != "" {
		b.WriteString(e.Operation + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + " ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Is makes every InputError match ErrInvalidInput.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }
