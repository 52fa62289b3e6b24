package main

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// pathPrefix is where every Connector operation lives; the rest of the path is the
// operation's name in the pipeline ("reservations/getAll/2023-06-06").
const pathPrefix = "/api/connector/v1/"

// spec is the merged content of all per-tag files: the files repeat shared schemas, and
// load checks that every repetition is identical before merging them.
type spec struct {
	schemas map[string]*openapi3.Schema
	ops     []*operation // sorted by name
}

// operation is one POST of the spec.
type operation struct {
	name          string // path below pathPrefix
	file          string // the per-tag file it came from
	summary, desc string
	deprecated    bool
	deprecatedMsg string
	restricted    bool
	req, resp     *openapi3.SchemaRef
	reqExample    any
	respExample   any
}

// load reads every *.yml of dir.
func load(dir string) (*spec, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no *.yml in %s", dir)
	}
	slices.Sort(files)
	s := &spec{schemas: map[string]*openapi3.Schema{}}
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		l := openapi3.NewLoader()
		doc, err := l.LoadFromData(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		base := filepath.Base(f)
		for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
			sc := doc.Components.Schemas[name].Value
			if prev, ok := s.schemas[name]; ok {
				a, _ := prev.MarshalJSON()
				b, _ := sc.MarshalJSON()
				if string(a) != string(b) {
					return nil, fmt.Errorf("schema %s differs between %s and %s", name, seen[name], base)
				}
				continue
			}
			s.schemas[name], seen[name] = sc, base
		}
		for _, p := range doc.Paths.InMatchingOrder() {
			item := doc.Paths.Value(p)
			if len(item.Operations()) != 1 || item.Post == nil {
				return nil, fmt.Errorf("%s: %s: only one POST per path is expected", base, p)
			}
			if !strings.HasPrefix(p, pathPrefix) {
				return nil, fmt.Errorf("%s: %s is not below %s", base, p, pathPrefix)
			}
			o := item.Post
			op := &operation{
				name: strings.TrimPrefix(p, pathPrefix), file: base,
				summary: o.Summary, desc: o.Description, deprecated: o.Deprecated,
				restricted: o.Extensions["x-restricted"] == true,
			}
			if m, ok := o.Extensions["x-deprecatedMessage"].(string); ok {
				op.deprecatedMsg = m
			}
			if o.RequestBody != nil {
				if mt := o.RequestBody.Value.Content.Get("application/json"); mt != nil {
					op.req, op.reqExample = mt.Schema, mt.Example
				}
			}
			if r := o.Responses.Status(200); r != nil {
				if mt := r.Value.Content.Get("application/json"); mt != nil {
					op.resp, op.respExample = mt.Schema, mt.Example
				}
			}
			if op.req == nil || op.resp == nil {
				return nil, fmt.Errorf("%s: %s lacks a JSON request or 200 response schema", base, p)
			}
			s.ops = append(s.ops, op)
		}
	}
	slices.SortFunc(s.ops, func(a, b *operation) int { return strings.Compare(a.name, b.name) })
	return s, nil
}

// refName is the component name a $ref points at, or "".
func refName(r *openapi3.SchemaRef) string {
	if r == nil || r.Ref == "" {
		return ""
	}
	return r.Ref[strings.LastIndex(r.Ref, "/")+1:]
}
