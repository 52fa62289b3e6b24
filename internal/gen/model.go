package main

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// authFields are merged into every request by the SDK's pipeline (the handle's
// credentials, client name and language), so request types never expose them.
var authFields = []string{"ClientToken", "AccessToken", "Client", "LanguageCode", "CultureCode"}

// builtin maps schemas onto the SDK's own types, which already carry Mews' wire rules.
var builtin = map[string]string{
	"TimeFilterInterval": "mews.TimeInterval",
	"Limitation":         "Limitation",
}

// moneyName matches number properties that hold money even without a Currency next to
// them.
var moneyName = regexp.MustCompile(`(Amount|Price|Balance|Cost|Fee)s?$`)

type kind int

const (
	kScalar kind = iota // pointer when optional or nullable
	kStruct             // pointer when optional or nullable
	kRef                // slice, map or json.RawMessage: nil already means absent
)

// goType is one emitted declaration.
type goType struct {
	name, schema, title, doc string
	fields                   []*field // struct
	enum                     []enumValue
	open                     bool // x-extensible
	coproduct                *coproduct
	request                  bool
}

type field struct {
	goName, json, typ, doc, deprecated string
	ptr, omit, omitZero, required      bool
	maxItems                           int
	maxInterval                        int    // x-max-interval-in-months
	isTime                             string // "", "t", "p" (pointer), "s" (slice)
}

type enumValue struct{ goName, value, doc string }

type coproduct struct {
	disc     string // Go type of Discriminator
	variants []variant
}

type variant struct {
	disc, discConst, typ string // typ "" for an empty variant
}

type gen struct {
	sp        *spec
	types     map[string]*goType
	bySchema  map[string]string // schema name -> Go type name
	reqRoots  map[string]bool
	nullable  map[*openapi3.Schema]map[string]bool  // properties an example shows null
	loose     map[*openapi3.Schema]map[string]bool  // times an example writes in another form
	flat      map[*openapi3.Schema]*openapi3.Schema // schemas with allOf parts, flattened
	notes     []string
	inline    map[*openapi3.Schema]string // inline schemas declared, by their Go name
	schemaIDs map[string]bool             // Go names of all component schemas
}

// inlineName names an inline schema after its owner and property, making way for the
// component schemas: a clash gets the suffix Field.
func (g *gen) inlineName(s *openapi3.Schema, owner, prop string) (name string, declared bool) {
	if n, ok := g.inline[s]; ok {
		return n, true
	}
	name = owner + prop
	for g.schemaIDs[name] || g.types[name] != nil {
		name += "Field"
	}
	g.inline[s] = name
	return name, false
}

func (g *gen) note(format string, args ...any) {
	g.notes = append(g.notes, fmt.Sprintf(format, args...))
}

// schemaOf resolves a reference through the merged components, so that a schema
// repeated in several files is one type.
func (g *gen) schemaOf(r *openapi3.SchemaRef) *openapi3.Schema {
	if n := refName(r); n != "" {
		if s, ok := g.sp.schemas[n]; ok {
			return g.flatten(s)
		}
	}
	if r.Value == nil {
		return nil
	}
	return g.flatten(r.Value)
}

// unwrap sees through Mews' single-element allOf, which only adds nullable, a title,
// a description or an extension to the referenced schema.
func unwrap(r *openapi3.SchemaRef) (target *openapi3.SchemaRef, wrapper *openapi3.Schema) {
	if r.Ref == "" && r.Value != nil && len(r.Value.AllOf) == 1 && len(r.Value.Properties) == 0 {
		return r.Value.AllOf[0], r.Value
	}
	return r, nil
}

// flatten folds a schema's allOf parts into one object schema: their properties and
// required lists join the schema's own (Mews composes some filters this way).
func (g *gen) flatten(s *openapi3.Schema) *openapi3.Schema {
	if len(s.AllOf) == 0 || (len(s.Properties) == 0 && len(s.AllOf) == 1) {
		return s
	}
	cp := *s
	cp.Properties = openapi3.Schemas{}
	cp.Required = slices.Clone(s.Required)
	cp.AllOf = nil
	for _, part := range s.AllOf {
		ps := g.flatten(g.schemaOf(part))
		maps.Copy(cp.Properties, ps.Properties)
		cp.Required = append(cp.Required, ps.Required...)
	}
	maps.Copy(cp.Properties, s.Properties)
	if g.flat == nil {
		g.flat = map[*openapi3.Schema]*openapi3.Schema{}
	}
	if f, ok := g.flat[s]; ok {
		return f
	}
	g.flat[s] = &cp
	return &cp
}

func isType(s *openapi3.Schema, t string) bool { return s.Type != nil && s.Type.Is(t) }

func extString(e map[string]any, k string) string {
	v, _ := e[k].(string)
	return v
}

func extInt(e map[string]any, k string) int {
	switch v := e[k].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}

// named returns the Go type of a component schema, declaring it on first use.
func (g *gen) named(name string) (string, kind) {
	if b, ok := builtin[name]; ok {
		return b, kStruct
	}
	s := g.sp.schemas[name]
	if s != nil {
		s = g.flatten(s)
	}
	if s == nil {
		g.note("reference to missing schema %s: typed as json.RawMessage", name)
		return "json.RawMessage", kRef
	}
	switch {
	case len(s.Enum) > 0:
	case isType(s, "object") && len(s.Properties) == 0 && s.AdditionalProperties.Schema != nil:
		t, _ := g.typeOf(s.AdditionalProperties.Schema, ident(name), "Value", false)
		return "map[string]" + t, kRef
	case isType(s, "object") || len(s.Properties) > 0:
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0:
		return "json.RawMessage", kRef
	default:
		return g.typeOf(&openapi3.SchemaRef{Value: s}, ident(name), "", false)
	}
	if goName, ok := g.bySchema[name]; ok {
		if len(s.Enum) > 0 {
			return goName, kScalar
		}
		return goName, kStruct
	}
	goName := ident(name)
	g.bySchema[name] = goName
	if len(s.Enum) > 0 {
		g.declareEnum(goName, name, s)
		return goName, kScalar
	}
	g.declareStruct(goName, name, s, g.reqRoots[name])
	return goName, kStruct
}

func (g *gen) declare(t *goType) {
	if prev, ok := g.types[t.name]; ok {
		panic(fmt.Sprintf("two declarations of %s (schemas %q and %q)", t.name, prev.schema, t.schema))
	}
	g.types[t.name] = t
}

func (g *gen) declareEnum(goName, schema string, s *openapi3.Schema) {
	t := &goType{name: goName, schema: schema, title: s.Title, open: s.Extensions["x-extensible"] == true}
	t.doc = s.Description
	names, _ := s.Extensions["x-enumNames"].([]any)
	descs, _ := s.Extensions["x-enumDescriptions"].([]any)
	for i, v := range s.Enum {
		val := fmt.Sprint(v)
		cn := val
		if i < len(names) {
			if n, ok := names[i].(string); ok && n != "" {
				cn = n
			}
		}
		ev := enumValue{goName: goName + ident(cn), value: val}
		if i < len(descs) {
			if d, ok := descs[i].(string); ok {
				ev.doc = d
			}
		}
		t.enum = append(t.enum, ev)
	}
	// Constant descriptions repeat the schema description in Mews' files; keep the
	// schema description only when it adds more than the list of values.
	g.declare(t)
}

func (g *gen) declareStruct(goName, schema string, s *openapi3.Schema, request bool) {
	t := &goType{name: goName, schema: schema, title: s.Title, doc: s.Description, request: request}
	g.declare(t)
	if s.Extensions["x-coproduct"] == true {
		t.coproduct = g.coproductOf(goName, s)
		return
	}
	g.fieldsOf(t, s, request)
}

func (g *gen) fieldsOf(t *goType, s *openapi3.Schema, request bool) {
	hasCurrency := false
	for _, p := range s.Properties {
		if p.Value != nil && p.Value.Format == "currency" {
			hasCurrency = true
		}
	}
	// A schema that carries both tokens is a credential envelope wherever it stands:
	// Mews' spec reuses request schemas as items of other requests
	// (ReservationUpdateParameters inside reservations/update), and the pipeline merges
	// the credentials only at the top, so such items must not expose them either.
	_, clientToken := s.Properties["ClientToken"]
	_, accessToken := s.Properties["AccessToken"]
	request = request || clientToken && accessToken
	seen := map[string]string{}
	for _, pn := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Properties {
			if !yield(k) {
				return
			}
		}
	}) {
		if request && slices.Contains(authFields, pn) {
			continue
		}
		pr := s.Properties[pn]
		target, wrapper := unwrap(pr)
		ts := g.schemaOf(target)
		f := &field{goName: ident(pn), json: pn, required: slices.Contains(s.Required, pn)}
		if prev, dup := seen[f.goName]; dup {
			panic(fmt.Sprintf("%s: properties %s and %s share Go name %s", t.name, prev, pn, f.goName))
		}
		seen[f.goName] = pn
		nullable := pr.Value.Nullable || (ts != nil && ts.Nullable && refName(target) == "")
		doc := pr.Value.Description
		if doc == "" && ts != nil && refName(target) == "" {
			doc = ts.Description
		}
		f.doc = doc
		exts := []map[string]any{pr.Value.Extensions}
		if wrapper != nil {
			exts = append(exts, wrapper.Extensions)
		}
		for _, e := range exts {
			if pr.Value.Deprecated || e["x-deprecatedMessage"] != nil {
				f.deprecated = extString(e, "x-deprecatedMessage")
				if f.deprecated == "" {
					f.deprecated = "Mews marks this field deprecated."
				}
			}
			if m := extInt(e, "x-max-interval-in-months"); m > 0 {
				f.maxInterval = m
			}
		}
		if pr.Value.MaxItems != nil {
			f.maxItems = int(*pr.Value.MaxItems)
		}
		if g.nullable[s][pn] {
			if !nullable {
				g.note("%s.%s: an example sends null but the schema does not say nullable: decoded as a pointer", t.schema, pn)
			}
			nullable = true
		}
		var k kind
		if ts != nil && isType(ts, "number") && refName(target) == "" && (hasCurrency || moneyName.MatchString(pn)) {
			f.typ, k = "mews.Amount", kScalar
		} else {
			f.typ, k = g.typeOf(target, t.name, ident(pn), false)
			if g.loose[s][pn] {
				f.typ = "string"
			} else if f.typ == "string" && strings.HasSuffix(pn, "Utc") && ts.Format == "" {
				g.note("%s.%s: a UTC time declared as a plain string without format date-time: typed as time.Time", t.schema, pn)
				f.typ = "time.Time"
			}
		}
		if k != kRef && (nullable || !f.required) {
			f.ptr = true
		}
		f.omit = f.ptr || k == kRef
		// A required time or date is still left out while it is zero, so that Mews reports
		// the missing field instead of reading 0001-01-01 as a value, and so is a union
		// without a variant. Slices, maps and raw JSON are left out only when nil: an empty
		// list that was set is sent, and one Mews sent is encoded again.
		f.omitZero = (k == kRef) || (!f.omit && (slices.Contains([]string{"time.Time", "mews.Date", "mews.TimeInterval"}, f.typ) || g.isCoproduct(f.typ)))
		if k == kRef {
			f.omit = false
		}
		switch {
		case f.typ == "time.Time" && f.ptr:
			f.isTime = "p"
		case f.typ == "time.Time":
			f.isTime = "t"
		case f.typ == "[]time.Time":
			f.isTime = "s"
		}
		t.fields = append(t.fields, f)
	}
}

func (g *gen) isCoproduct(typ string) bool {
	t := g.types[typ]
	return t != nil && t.coproduct != nil
}

// typeOf returns the Go type of an inline or referenced schema; owner and prop name
// the inline declarations it needs.
func (g *gen) typeOf(r *openapi3.SchemaRef, owner, prop string, _ bool) (string, kind) {
	r, _ = unwrap(r)
	if n := refName(r); n != "" {
		return g.named(n)
	}
	s := r.Value
	if s == nil {
		return "json.RawMessage", kRef
	}
	switch {
	case s.Extensions["x-coproduct"] == true:
		name, ok := g.inlineName(s, owner, prop)
		if !ok {
			t := &goType{name: name, schema: owner + "." + prop, title: s.Title, doc: s.Description}
			g.declare(t)
			t.coproduct = g.coproductOf(name, s)
		}
		return name, kStruct
	case len(s.Enum) > 0:
		name, ok := g.inlineName(s, owner, prop)
		if !ok {
			g.declareEnum(name, owner+"."+prop, s)
		}
		return name, kScalar
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0:
		return "json.RawMessage", kRef
	case isType(s, "array"):
		if s.Items == nil {
			return "[]json.RawMessage", kRef
		}
		et, _ := g.typeOf(s.Items, owner, prop+"Item", false)
		return "[]" + et, kRef
	case isType(s, "object") || len(s.Properties) > 0:
		if len(s.Properties) == 0 {
			if s.AdditionalProperties.Schema != nil {
				vt, _ := g.typeOf(s.AdditionalProperties.Schema, owner, prop+"Value", false)
				return "map[string]" + vt, kRef
			}
			return "json.RawMessage", kRef
		}
		name, ok := g.inlineName(s, owner, prop)
		if !ok {
			g.declareStruct(name, owner+"."+prop, s, false)
		}
		return name, kStruct
	case isType(s, "string"):
		switch s.Format {
		case "date-time":
			return "time.Time", kScalar
		case "date":
			return "mews.Date", kScalar
		}
		return "string", kScalar
	case isType(s, "integer"):
		if s.Format == "int64" {
			return "int64", kScalar
		}
		return "int", kScalar
	case isType(s, "number"):
		return "float64", kScalar
	case isType(s, "boolean"):
		return "bool", kScalar
	}
	return "json.RawMessage", kRef
}

// coproductOf models Mews' tagged union {Discriminator, Value: oneOf[…]}: each variant
// is matched to the discriminator value its name starts with (or contains), else by
// position when the counts agree.
func (g *gen) coproductOf(name string, s *openapi3.Schema) *coproduct {
	c := &coproduct{disc: "string"}
	dr := s.Properties["Discriminator"]
	vr := s.Properties["Value"]
	if dr == nil || vr == nil {
		panic(name + ": a coproduct without Discriminator and Value")
	}
	c.disc, _ = g.typeOf(dr, name, "Discriminator", false)
	ds := g.schemaOf(func() *openapi3.SchemaRef { t, _ := unwrap(dr); return t }())
	var values []string
	for _, v := range ds.Enum {
		values = append(values, fmt.Sprint(v))
	}
	type cand struct{ label, typ string }
	var cands []cand
	for i, v := range vr.Value.OneOf {
		vs := g.schemaOf(v)
		label := refName(v)
		if label == "" {
			label = vs.Title
		}
		if label == "" {
			label = fmt.Sprintf("Variant%d", i+1)
		}
		typ := ""
		if refName(v) != "" || len(vs.Properties) > 0 {
			typ, _ = g.typeOf(v, name, ident(label), false)
		}
		cands = append(cands, cand{ident(label), typ})
	}
	match := map[int]string{}
	used := map[string]bool{}
	for i, cd := range cands {
		best := ""
		for _, v := range values {
			if (strings.HasPrefix(cd.label, ident(v)) || strings.Contains(cd.label, ident(v))) && len(v) > len(best) && !used[v] {
				best = v
			}
		}
		if best != "" {
			match[i], used[best] = best, true
		}
	}
	if len(match) < len(cands) && len(cands) == len(values) {
		g.note("%s: variant names do not name the discriminator values %v: matched by position", name, values)
		match = map[int]string{}
		for i := range cands {
			match[i] = values[i]
		}
	} else if len(match) == len(cands) && len(cands) == len(values) && slices.ContainsFunc(slices.Collect(maps.Keys(match)), func(i int) bool { return match[i] != values[i] }) {
		g.note("%s: the variants are listed in another order than the discriminator values %v: matched by name", name, values)
	} else if len(match) < len(cands) {
		g.note("%s: %d variants for %d discriminator values, some unnamed: unmatched variants get accessors that do not check the discriminator", name, len(cands), len(values))
	}
	for i, cd := range cands {
		v := variant{typ: cd.typ}
		if d, ok := match[i]; ok {
			v.disc = d
			if c.disc != "string" {
				v.discConst = c.disc + ident(d)
			} else {
				v.discConst = fmt.Sprintf("%q", d)
			}
		} else {
			v.disc = ""
			v.discConst = cd.label
		}
		c.variants = append(c.variants, v)
	}
	return c
}

// checkExample walks an example along its schema. It records the properties the example
// shows as null (decoded as pointers, so decoding stays tolerant where the
// documentation is) and the times and dates it writes in another form (typed as plain
// strings), and returns the example without the values that contradict the schema
// (unknown properties, a string where a boolean is declared), each noted, so that the
// tests replay only what the schema documents.
func (g *gen) checkExample(r *openapi3.SchemaRef, ex any, where string) any {
	if r == nil || ex == nil {
		return ex
	}
	t, _ := unwrap(r)
	s := g.schemaOf(t)
	if s == nil {
		return ex
	}
	switch v := ex.(type) {
	case map[string]any:
		if s.Extensions["x-coproduct"] == true || len(s.Properties) == 0 {
			return v
		}
		for _, k := range s.Required {
			if _, ok := v[k]; !ok && !slices.Contains(authFields, k) {
				g.note("%s: the example lacks the required %s", where, k)
			}
		}
		out := map[string]any{}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			pv := v[k]
			pr := s.Properties[k]
			if pr == nil {
				g.note("%s.%s: the example has a property the schema lacks: left out of the test data", where, k)
				continue
			}
			if pv == nil {
				g.mark(g.nullable, s, k)
				out[k] = nil
				continue
			}
			pt, _ := unwrap(pr)
			if builtin[refName(pt)] == "mews.TimeInterval" {
				if reason := badInterval(pv); reason != "" {
					g.note("%s.%s: the example %s: left out of the test data", where, k, reason)
					continue
				}
			}
			ps := g.schemaOf(pt)
			if ps == nil {
				out[k] = pv
				continue
			}
			if reason := mismatch(ps, k, pv); reason != "" {
				if str, ok := pv.(string); ok && isTimeLike(ps, k) {
					g.mark(g.loose, s, k)
					g.note("%s.%s: the example writes %q, not the declared %s: typed as a plain string", where, k, str, timeKind(ps))
					out[k] = pv
					continue
				}
				g.note("%s.%s: the example %s: left out of the test data", where, k, reason)
				continue
			}
			out[k] = g.checkExample(pr, pv, where+"."+k)
		}
		return out
	case []any:
		if s.Items == nil {
			return v
		}
		out := make([]any, len(v))
		for i, it := range v {
			out[i] = g.checkExample(s.Items, it, where+"[]")
		}
		return out
	}
	return ex
}

func (g *gen) mark(m map[*openapi3.Schema]map[string]bool, s *openapi3.Schema, k string) {
	if m[s] == nil {
		m[s] = map[string]bool{}
	}
	m[s][k] = true
}

func isTimeLike(s *openapi3.Schema, prop string) bool {
	return isType(s, "string") && (s.Format == "date-time" || s.Format == "date" || (s.Format == "" && len(s.Enum) == 0 && strings.HasSuffix(prop, "Utc")))
}

func timeKind(s *openapi3.Schema) string {
	if s.Format == "date" {
		return "date (yyyy-MM-dd)"
	}
	return "date-time"
}

// badInterval says how an example time filter is unusable, or "".
func badInterval(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return "has a time interval that is not an object"
	}
	for _, k := range []string{"StartUtc", "EndUtc"} {
		s, _ := m[k].(string)
		if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
			return fmt.Sprintf("has the invalid %s %q in a time interval", k, s)
		}
	}
	return ""
}

// mismatch says how an example value contradicts its property schema, or "".
func mismatch(s *openapi3.Schema, prop string, v any) string {
	isNum := func() bool {
		switch v.(type) {
		case float64, float32, int, int64, int32, uint64, uint32:
			return true
		}
		return false
	}
	switch {
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0 || s.Type == nil:
		return ""
	case isType(s, "string"):
		str, ok := v.(string)
		if !ok {
			return fmt.Sprintf("has %T %v where the schema declares a string", v, v)
		}
		if isTimeLike(s, prop) {
			layout := time.RFC3339Nano
			if s.Format == "date" {
				layout = "2006-01-02"
			}
			if _, err := time.Parse(layout, str); err != nil {
				return "has an invalid " + timeKind(s)
			}
		}
	case isType(s, "boolean"):
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("has %T %v where the schema declares a boolean", v, v)
		}
	case isType(s, "integer"), isType(s, "number"):
		if !isNum() {
			return fmt.Sprintf("has %T %v where the schema declares a number", v, v)
		}
	case isType(s, "array"):
		if _, ok := v.([]any); !ok {
			return fmt.Sprintf("has %T where the schema declares an array", v)
		}
	case isType(s, "object"):
		if _, ok := v.(map[string]any); !ok {
			return fmt.Sprintf("has %T where the schema declares an object", v)
		}
	}
	return ""
}
