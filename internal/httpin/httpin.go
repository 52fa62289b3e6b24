package httpin

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
)

// Secret is a shared secret kept as its SHA-256 digest, so that Matches takes the
// same time whatever the candidate's length and content, and the raw secret is not
// held by the handler. The digest sits in a closure behind a pointer: fmt prints a
// handler's unexported fields by reflection, and an unsalted digest of a guessable
// secret must not reach a log line any more than the secret.
type Secret struct{ match *matcher }

// matcher reports whether a candidate is the secret.
type matcher func(got string) bool

// NewSecret keeps the digest of secret. The caller makes sure it is not empty
// (mews.NewToken does).
func NewSecret(secret string) Secret {
	sum := sha256.Sum256([]byte(secret))
	m := matcher(func(got string) bool {
		g := sha256.Sum256([]byte(got))
		return subtle.ConstantTimeCompare(g[:], sum[:]) == 1
	})
	return Secret{match: &m}
}

// Matches reports, in constant time, whether got is the secret. An empty got never
// matches, so a missing parameter or field is always refused; neither does anything
// match the zero Secret.
func (s Secret) Matches(got string) bool {
	if got == "" || s.match == nil {
		return false
	}
	return (*s.match)(got)
}

// ErrBodyTooLarge is ReadBody's error for a body longer than the limit, so that a
// handler can answer 413 (or its protocol's equivalent) rather than a generic refusal.
var ErrBodyTooLarge = errors.New("request body is larger than the limit")

// ReadBody reads the whole request body, but at most limit bytes, without a read
// deadline: a longer body gives ErrBodyTooLarge (and the server closes the connection
// after the answer). Any other error is the reader's, meaning the body could not be
// read completely. Handlers with Settings use Settings.ReadBody, which adds the deadline.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	return (&Settings{}).ReadBody(w, r, limit)
}

// JSONProblem restates an encoding/json decoding error in terms of the JSON that was
// sent, never of Go types, so that a handler can put it in its answer and its logs.
type JSONProblem struct {
	// Malformed is true when the body is not well-formed JSON; Offset is then the
	// number of bytes read before the problem.
	Malformed bool
	Offset    int64
	// Otherwise a value has the wrong kind: Field is its dotted path ("" for the
	// whole body), Got its JSON kind ("string", "number", "array", "object", "bool"),
	// and Want what that place takes, in JSON words ("a number", "a string",
	// "true or false", "an array" or "an object").
	Field string
	Got   string
	Want  string
}

// ExplainJSON returns the problem behind err, or false when err is neither a syntax
// nor a type error of encoding/json (for example an error of an UnmarshalJSON method),
// which the caller words itself.
func ExplainJSON(err error) (JSONProblem, bool) {
	if syn, ok := errors.AsType[*json.SyntaxError](err); ok {
		return JSONProblem{Malformed: true, Offset: syn.Offset}, true
	}
	if typ, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		want := "an object"
		if typ.Type != nil {
			want = jsonKind(typ.Type.Kind().String())
		}
		return JSONProblem{Field: typ.Field, Got: typ.Value, Want: want}, true
	}
	return JSONProblem{}, false
}

// jsonKind names a Go kind the way a JSON reader would.
func jsonKind(kind string) string {
	switch {
	case strings.HasPrefix(kind, "int"), strings.HasPrefix(kind, "uint"), strings.HasPrefix(kind, "float"):
		return "a number"
	case kind == "string":
		return "a string"
	case kind == "bool":
		return "true or false"
	case kind == "slice", kind == "array":
		return "an array"
	}
	return "an object"
}
