package main

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// fakeNode is the part of a schema the fake Mews (mewstest) checks requests against:
// types, required properties and item limits. Enums stay open and formats unchecked,
// as the SDK's own decoding does.
type fakeNode struct {
	Ref      string               `json:"ref,omitempty"`
	Type     string               `json:"t,omitempty"`
	Required []string             `json:"req,omitempty"`
	Props    map[string]*fakeNode `json:"props,omitempty"`
	Items    *fakeNode            `json:"items,omitempty"`
	MinItems int                  `json:"min,omitempty"`
	MaxItems int                  `json:"max,omitempty"`
}

type fakeSpec struct {
	Operations map[string]fakeOp    `json:"operations"`
	Schemas    map[string]*fakeNode `json:"schemas"`
	seen       map[string]bool
	g          *gen
}

type fakeOp struct {
	Request  *fakeNode `json:"request"`
	Response any       `json:"response"`
}

// emitFake writes what mewstest needs to answer every generated operation: each
// request's checks and each response example (the same examples the SDK's tests
// replay).
func emitFake(g *gen, plans []*plan) ([]byte, error) {
	f := &fakeSpec{Operations: map[string]fakeOp{}, Schemas: map[string]*fakeNode{}, seen: map[string]bool{}, g: g}
	for _, p := range plans {
		req := f.node(p.op.req)
		if req.Ref != "" {
			// The request root is checked without the credentials, which the fake checks
			// itself: copy it so that a nested use of the schema keeps them.
			cp := *f.Schemas[req.Ref]
			req = &cp
		}
		req.Required = slices.DeleteFunc(slices.Clone(req.Required), func(k string) bool { return slices.Contains(authFields, k) })
		resp := p.op.respExample
		if resp == nil {
			resp = map[string]any{}
		}
		f.Operations[p.op.name] = fakeOp{Request: req, Response: resp}
	}
	out, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

func (f *fakeSpec) node(r *openapi3.SchemaRef) *fakeNode {
	r, _ = unwrap(r)
	if n := refName(r); n != "" {
		if !f.seen[n] {
			f.seen[n] = true
			f.Schemas[n] = f.inline(f.g.schemaOf(r))
		}
		return &fakeNode{Ref: n}
	}
	if r.Value == nil {
		return &fakeNode{}
	}
	return f.inline(f.g.schemaOf(r))
}

func (f *fakeSpec) inline(s *openapi3.Schema) *fakeNode {
	switch {
	case s == nil, len(s.OneOf) > 0, len(s.AnyOf) > 0, s.Type == nil:
		return &fakeNode{}
	case s.Extensions["x-coproduct"] == true:
		return &fakeNode{Type: "object", Required: []string{"Discriminator"}}
	case isType(s, "array"):
		n := &fakeNode{Type: "array", MinItems: int(s.MinItems)}
		if s.MaxItems != nil {
			n.MaxItems = int(*s.MaxItems)
		}
		if s.Items != nil {
			n.Items = f.node(s.Items)
		}
		return n
	case isType(s, "object"):
		n := &fakeNode{Type: "object", Required: slices.Clone(s.Required)}
		if len(s.Properties) > 0 {
			n.Props = map[string]*fakeNode{}
			for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
				n.Props[k] = f.node(s.Properties[k])
			}
		}
		return n
	}
	return &fakeNode{Type: s.Type.Slice()[0]}
}
