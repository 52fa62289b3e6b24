package mewstest

import (
	"bytes"
	_ "embed" // the generated spec data
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"sync"
)

// specData is written by internal/gen (go generate ./... at the repository root): the
// request checks and response example of every generated Connector operation.
//
//go:embed zz_generated_spec.json
var specData []byte

// specNode is one schema as the fake checks it: type, required properties, item
// limits. A Ref names a shared schema.
type specNode struct {
	Ref      string               `json:"ref"`
	Type     string               `json:"t"`
	Required []string             `json:"req"`
	Props    map[string]*specNode `json:"props"`
	Items    *specNode            `json:"items"`
	MinItems int                  `json:"min"`
	MaxItems int                  `json:"max"`
}

type specOperations struct {
	Operations map[string]struct {
		Request  *specNode       `json:"request"`
		Response json.RawMessage `json:"response"`
	} `json:"operations"`
	Schemas map[string]*specNode `json:"schemas"`
}

// loadSpec decodes specData once; it is read-only afterwards.
var loadSpec = sync.OnceValue(func() *specOperations {
	var s specOperations
	if err := json.Unmarshal(specData, &s); err != nil {
		panic("mewstest: zz_generated_spec.json is corrupt; run go generate ./...: " + err.Error())
	}
	return &s
})

// specHandler answers a Connector operation the server has no handler for from the
// spec: the request is checked against the operation's required fields, types and item
// limits (a failure is Mews' 400 naming the field), and the answer is the spec's
// response example. A follow-up page (a request whose Limitation has a Cursor) gets
// the example with its lists emptied and no Cursor, so that pagers end. It returns
// nil for an operation the spec does not know.
func specHandler(operation string) ConnectorHandler {
	spec := loadSpec()
	op, ok := spec.Operations[operation]
	if !ok {
		return nil
	}
	return func(r *Request) (any, error) {
		var body any
		d := json.NewDecoder(bytes.NewReader(r.Body))
		d.UseNumber()
		if err := d.Decode(&body); err != nil {
			return nil, ConnectorError(http.StatusBadRequest, "Invalid JSON: "+err.Error())
		}
		if msg := spec.check(op.Request, body, ""); msg != "" {
			return nil, ConnectorError(http.StatusBadRequest, msg)
		}
		if m, _ := body.(map[string]any); m != nil {
			if lim, _ := m["Limitation"].(map[string]any); lim != nil && lim["Cursor"] != nil {
				return lastPage(op.Response), nil
			}
		}
		return op.Response, nil
	}
}

// lastPage is a response example with every list emptied and the Cursor removed.
func lastPage(example json.RawMessage) any {
	var m map[string]any
	if err := json.Unmarshal(example, &m); err != nil {
		return example
	}
	delete(m, "Cursor")
	for k, v := range m {
		if _, ok := v.([]any); ok {
			m[k] = []any{}
		}
	}
	return m
}

// check returns Mews' message for the first way v breaks n, naming the field by its
// path (e.g. "ResourceAccessTokenParameters[0].ServiceOrderId"), or "".
func (s *specOperations) check(n *specNode, v any, path string) string {
	if n == nil {
		return ""
	}
	if n.Ref != "" {
		return s.check(s.Schemas[n.Ref], v, path)
	}
	if v == nil {
		return "" // null is "not given" to Mews; required fields are checked by the parent
	}
	name := path
	if name == "" {
		name = "request"
	}
	bad := func(format string, args ...any) string {
		return fmt.Sprintf("Invalid %s: %s.", name, fmt.Sprintf(format, args...))
	}
	switch n.Type {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			return bad("expected an object")
		}
		for _, k := range n.Required {
			if m[k] == nil {
				return fmt.Sprintf("Invalid %s: the field is required.", join(path, k))
			}
		}
		for k, pv := range m {
			if msg := s.check(n.Props[k], pv, join(path, k)); msg != "" {
				return msg
			}
		}
	case "array":
		list, ok := v.([]any)
		if !ok {
			return bad("expected an array")
		}
		if n.MaxItems > 0 && len(list) > n.MaxItems {
			return bad("has %d items, at most %d are allowed", len(list), n.MaxItems)
		}
		if len(list) < n.MinItems {
			return bad("has %d items, at least %d are required", len(list), n.MinItems)
		}
		for i, it := range list {
			if msg := s.check(n.Items, it, fmt.Sprintf("%s[%d]", path, i)); msg != "" {
				return msg
			}
		}
	case "string":
		if _, ok := v.(string); !ok {
			return bad("expected a string")
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			return bad("expected a boolean")
		}
	case "number", "integer":
		num, ok := v.(json.Number)
		if !ok {
			return bad("expected a number")
		}
		if n.Type == "integer" {
			if f, err := num.Float64(); err != nil || f != math.Trunc(f) {
				return bad("expected an integer")
			}
		}
	}
	return ""
}

func join(path, field string) string {
	if path == "" {
		return field
	}
	return path + "." + field
}
