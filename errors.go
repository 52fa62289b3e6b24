package mews

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mewskit/mews-go/internal/inputerr"
)

// API names which of the two Mews APIs a call went to; the same code means different
// things in each.
type API string

// The two Mews APIs, and the channel manager's own endpoints that Mews calls.
const (
	ConnectorAPI      API = "connector"
	ChannelManagerAPI API = "channelManager"
	// ChannelManagerEndpoint marks errors that a channel manager answers to Mews
	// (the Channel Manager API's other half). Code 9 means "rate error" there.
	ChannelManagerEndpoint API = "channelManagerEndpoint"
)

// Sentinel errors. Match them with errors.Is; an *APIError matches every sentinel that
// its HTTP status and Mews codes map onto. Use errors.As with *APIError for the details
// (message, RequestID, Retry-After).
var (
	// ErrSystem: Channel Manager code 1 or an HTTP 5xx. Mews had a fault; try again later.
	ErrSystem = errors.New("mews: system error")
	// ErrReservationNotFound: Channel Manager code 2.
	ErrReservationNotFound = errors.New("mews: reservation not found")
	// ErrConnectionNotFound: Channel Manager code 3; the connection does not exist or
	// was deactivated by the property.
	ErrConnectionNotFound = errors.New("mews: connection not found")
	// ErrValidation: Channel Manager code 6 or Connector 400; the request is malformed.
	ErrValidation = errors.New("mews: validation error")
	// ErrProcessing: Channel Manager code 7 or Connector 403; a business rule rejected
	// the request and its message is meant for the property.
	ErrProcessing = errors.New("mews: processing error")
	// ErrInvalidAuthentication: Channel Manager code 8 or Connector 401; the tokens were
	// not accepted (invalid, revoked, integration disabled, or — for the Connector — no
	// permission for this endpoint).
	ErrInvalidAuthentication = errors.New("mews: invalid authentication")
	// ErrOperationDisabled: code 9 sent by Mews; the property switched this operation off.
	ErrOperationDisabled = errors.New("mews: operation disabled")
	// ErrRate: code 9 sent by a channel manager (and deprecated code 5); a rate was refused.
	ErrRate = errors.New("mews: rate error")
	// ErrCategory: code 10 (and deprecated code 4); a space category was refused.
	ErrCategory = errors.New("mews: category error")
	// ErrRateCategory: code 11; a rate and category combination was refused.
	ErrRateCategory = errors.New("mews: rate category error")
	// ErrAvailability: code 12; availability updates are blocked.
	ErrAvailability = errors.New("mews: availability error")
	// ErrPrices: code 13; price updates are blocked.
	ErrPrices = errors.New("mews: prices error")
	// ErrRestrictions: code 14; restriction updates are blocked.
	ErrRestrictions = errors.New("mews: restrictions error")
	// ErrRateLimited: HTTP 429 that outlasted the retries.
	ErrRateLimited = errors.New("mews: rate limited")
	// ErrTimeout: HTTP 408; the request was too heavy. Ask for less (smaller page, shorter interval).
	ErrTimeout = errors.New("mews: request timeout")
	// ErrConflict: HTTP 409; the data changed meanwhile. Refresh, then resubmit.
	ErrConflict = errors.New("mews: conflict")
	// ErrSuperseded: a newer call with the same Operation.Supersedes key, on the same
	// handle and operation, replaced this one before it could be sent again. Its state
	// is stale; do not repeat it. The error matches no other sentinel.
	ErrSuperseded = errors.New("mews: superseded by a newer call")
	// ErrDiscontinued: HTTP 410; the endpoint was retired by Mews.
	ErrDiscontinued = errors.New("mews: operation discontinued")
	// ErrBodyTooLarge: HTTP 413; split the request.
	ErrBodyTooLarge = errors.New("mews: request body too large")
	// ErrBadResponse: the response could not be read as the API's JSON (HTML, empty,
	// cut off by the network, or larger than the configured cap), was a redirect (never
	// followed), or was a Channel Manager status other than 200 without Mews' envelope
	// (a proxy's page).
	ErrBadResponse = errors.New("mews: bad response")
	// ErrInvalidInput: the SDK refused a request before sending it. See *InputError.
	ErrInvalidInput = inputerr.ErrInvalidInput
)

// ErrorCode is a Channel Manager error code (1–14).
type ErrorCode int

// Channel Manager error codes, as documented by Mews.
const (
	CodeSystemError           ErrorCode = 1
	CodeReservationNotFound   ErrorCode = 2
	CodeConnectionNotFound    ErrorCode = 3
	CodeSpaceNotFound         ErrorCode = 4 // Deprecated: Mews uses CodeCategoryError.
	CodeRateNotFound          ErrorCode = 5 // Deprecated: Mews uses CodeRateError.
	CodeValidation            ErrorCode = 6
	CodeProcessing            ErrorCode = 7
	CodeInvalidAuthentication ErrorCode = 8
	CodeRateError             ErrorCode = 9 // "Disabled operation" when Mews sends it.
	CodeCategoryError         ErrorCode = 10
	CodeRateCategoryError     ErrorCode = 11
	CodeAvailabilityError     ErrorCode = 12
	CodePricesError           ErrorCode = 13
	CodeRestrictionsError     ErrorCode = 14
)

var codeNames = [...]string{
	CodeSystemError:           "system error",
	CodeReservationNotFound:   "reservation not found",
	CodeConnectionNotFound:    "connection not found",
	CodeSpaceNotFound:         "space not found",
	CodeRateNotFound:          "rate not found",
	CodeValidation:            "validation error",
	CodeProcessing:            "processing error",
	CodeInvalidAuthentication: "invalid authentication",
	CodeRateError:             "rate error",
	CodeCategoryError:         "category error",
	CodeRateCategoryError:     "rate category error",
	CodeAvailabilityError:     "availability error",
	CodePricesError:           "prices error",
	CodeRestrictionsError:     "restrictions error",
}

// String returns the documented name of the code, e.g. "connection not found (3)".
func (c ErrorCode) String() string {
	if c > 0 && int(c) < len(codeNames) {
		return codeNames[c] + " (" + strconv.Itoa(int(c)) + ")"
	}
	return "code " + strconv.Itoa(int(c))
}

// UnmarshalJSON accepts the code as a number or as a numeric string: Mews documents
// processGroupConfirmation's code as a string and shows it as a number.
func (c *ErrorCode) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "" || s == "null" {
		*c = 0
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("mews: error code %s is not a number", b)
	}
	*c = ErrorCode(n)
	return nil
}

// ErrorDetail is one entry of a Channel Manager error envelope.
type ErrorDetail struct {
	Code         ErrorCode `json:"code"`
	Message      string    `json:"message"`
	RateCode     string    `json:"rateCode,omitempty"`
	CategoryCode string    `json:"categoryCode,omitempty"`
}

// APIError is every failure that Mews reported, or that came back from Mews in a shape
// the SDK could not read. Match it with errors.As for the details, or with errors.Is
// against the sentinels above. Its text never contains a token.
type APIError struct {
	API        API           // which API answered
	Operation  string        // the operation, e.g. "reservations/getAll/2023-06-06"
	StatusCode int           // HTTP status; 200 for a Channel Manager error envelope
	Errors     []ErrorDetail // Channel Manager errors (several codes may come at once)
	Message    string        // Connector Message, or the first Channel Manager message
	RequestID  string        // Mews' RequestId (body) or Request-Id (header); quote it to Mews support
	RetryAfter time.Duration // how long Mews asked to wait (429), after clamping
	Snippet    string        // a short, token-free excerpt of a body that could not be decoded
	Err        error         // underlying cause, e.g. a JSON syntax error
}

// NewChannelManagerError builds the error that a channel manager's endpoint answers
// Mews with, for handler code (API is ChannelManagerEndpoint).
func NewChannelManagerError(operation string, details ...ErrorDetail) *APIError {
	e := &APIError{API: ChannelManagerEndpoint, Operation: operation, StatusCode: http.StatusOK, Errors: details}
	if len(details) > 0 {
		e.Message = details[0].Message
	}
	return e
}

// Error describes the failure for a log line: API, operation, status or codes,
// message and RequestId.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("mews: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	switch {
	case len(e.Errors) > 0:
		for i, d := range e.Errors {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(d.Code.String())
			if d.Message != "" {
				b.WriteString(": ")
				b.WriteString(d.Message)
			}
			if d.RateCode != "" {
				b.WriteString(" [rate " + d.RateCode + "]")
			}
			if d.CategoryCode != "" {
				b.WriteString(" [category " + d.CategoryCode + "]")
			}
		}
	default:
		b.WriteString("HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteString(" " + t)
		}
		if e.Message != "" {
			b.WriteString(": ")
			b.WriteString(e.Message)
		}
	}
	if e.Err != nil {
		b.WriteString(" (" + e.Err.Error() + ")")
	}
	if e.Snippet != "" {
		b.WriteString(" body: " + strconv.Quote(e.Snippet))
	}
	if e.RetryAfter > 0 {
		b.WriteString(" retry after " + e.RetryAfter.String())
	}
	if e.RequestID != "" {
		b.WriteString(" [RequestId " + e.RequestID + "]")
	}
	return b.String()
}

// Hint says what to do about the most common failures, in a sentence meant for a
// person (a command's stderr, a status page), or "" when there is nothing to add. It
// is kept out of Error, so that wrapped error chains and log lines stay short.
func (e *APIError) Hint() string {
	switch {
	case e.Is(ErrInvalidAuthentication) && e.API == ConnectorAPI:
		return "replace a revoked or regenerated access token and check the client token; a 401 can also mean that the integration lacks permission for this operation"
	case e.Is(ErrInvalidAuthentication):
		return "replace a revoked or regenerated connection token and check the client token"
	case e.Is(ErrConnectionNotFound):
		return "the property's connection is missing or deactivated; ask the property to re-enable it"
	case e.Is(ErrRateLimited):
		return "too many requests for this token; slow down"
	case e.Is(ErrTimeout):
		return "ask for less at once (smaller page or shorter interval)"
	case e.Is(ErrBadResponse):
		return "the response was not the API's JSON; check the environment's base URL"
	}
	return ""
}

// Unwrap returns the underlying cause, if any.
func (e *APIError) Unwrap() error { return e.Err }

// Codes returns the Channel Manager codes in the order Mews sent them.
func (e *APIError) Codes() []ErrorCode {
	codes := make([]ErrorCode, len(e.Errors))
	for i, d := range e.Errors {
		codes[i] = d.Code
	}
	return codes
}

// Is maps the error onto the sentinels: by HTTP status, and by each Channel Manager
// code it carries.
func (e *APIError) Is(target error) bool {
	if target == ErrBadResponse {
		return e.Snippet != "" || errors.Is(e.Err, errBodyTooLarge) || errors.Is(e.Err, errRedirect) ||
			e.decodeFailed() || e.proxyAnswer()
	}
	if e.statusSentinel() == target {
		return true
	}
	for _, d := range e.Errors {
		if codeSentinel(e.API, d.Code) == target {
			return true
		}
	}
	return false
}

// statusSentinel maps the HTTP status onto a sentinel, or nil. The Channel Manager API
// documents only HTTP 200, so there a status says nothing about the tokens or the
// request (a proxy's 401 is not Mews refusing the connection): only the transient ones
// (408, 429, 5xx) keep their meaning.
func (e *APIError) statusSentinel() error {
	s := statusSentinel(e.StatusCode)
	if e.API == ChannelManagerAPI && s != ErrSystem && s != ErrRateLimited && s != ErrTimeout {
		return nil
	}
	return s
}

// proxyAnswer reports a Channel Manager answer with a status other than 200 and
// without Mews' error envelope, whose status has no meaning of its own: something
// between the SDK and Mews answered.
func (e *APIError) proxyAnswer() bool {
	return e.API == ChannelManagerAPI && e.StatusCode != 0 && (e.StatusCode < 200 || e.StatusCode > 299) &&
		len(e.Errors) == 0 && e.statusSentinel() == nil
}

// decodeFailed reports whether the cause is a failure to read the body as JSON.
func (e *APIError) decodeFailed() bool {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var bad *badBody
	return errors.As(e.Err, &syn) || errors.As(e.Err, &typ) || errors.As(e.Err, &bad) || errors.Is(e.Err, errEmptyBody)
}

// statusSentinel maps an HTTP status onto a sentinel, or nil.
func statusSentinel(status int) error {
	switch status {
	case http.StatusBadRequest:
		return ErrValidation
	case http.StatusUnauthorized:
		return ErrInvalidAuthentication
	case http.StatusForbidden:
		return ErrProcessing
	case http.StatusRequestTimeout:
		return ErrTimeout
	case http.StatusConflict:
		return ErrConflict
	case http.StatusGone:
		return ErrDiscontinued
	case http.StatusRequestEntityTooLarge:
		return ErrBodyTooLarge
	case http.StatusTooManyRequests:
		return ErrRateLimited
	}
	if status >= 500 && status <= 599 {
		return ErrSystem
	}
	return nil
}

// codeSentinel maps a Channel Manager code onto a sentinel. Code 9 means "disabled
// operation" when Mews sends it and "rate error" when a channel manager does; errors
// that this SDK receives as a client come from Mews, handler errors from a channel manager.
func codeSentinel(from API, code ErrorCode) error {
	switch code {
	case CodeSystemError:
		return ErrSystem
	case CodeReservationNotFound:
		return ErrReservationNotFound
	case CodeConnectionNotFound:
		return ErrConnectionNotFound
	case CodeSpaceNotFound, CodeCategoryError:
		return ErrCategory
	case CodeRateNotFound:
		return ErrRate
	case CodeValidation:
		return ErrValidation
	case CodeProcessing:
		return ErrProcessing
	case CodeInvalidAuthentication:
		return ErrInvalidAuthentication
	case CodeRateError:
		if from == ChannelManagerAPI {
			return ErrOperationDisabled
		}
		return ErrRate
	case CodeRateCategoryError:
		return ErrRateCategory
	case CodeAvailabilityError:
		return ErrAvailability
	case CodePricesError:
		return ErrPrices
	case CodeRestrictionsError:
		return ErrRestrictions
	}
	return nil
}

// InputError reports a request that the SDK refused to send because it would fail or
// do harm: an empty token, an invalid PIN, a validity that ends before it starts.
// Nothing was sent. It matches ErrInvalidInput. Its fields are Operation (the
// operation that was not sent, if any), Field (the offending field) and Reason (what
// is wrong and what to do); Error reads "mews: <operation>: <field> <reason>".
//
// It is defined in an internal package so that the pager, which the root package
// imports from internal/paging, can return it too.
type InputError = inputerr.InputError
