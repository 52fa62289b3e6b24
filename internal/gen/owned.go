package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ownedBy is the rule that gives every Mews schema one Go type: a schema a hand-written
// package already describes is not generated; package connector uses the hand-written
// type instead (connector imports reservations, pins and properties, never the other
// way round, so a program that imports only those does not link the generated
// operations). The hand-written type must carry every documented non-deprecated
// property of the schema: the generator checks the JSON names of its fields and fails
// on a missing one. Enums and nested objects the hand-written types use are listed
// too, so that no other generated type holds a second Go type for them.
//
// Deprecated properties need no field: the generator leaves them out of the response
// examples the tests replay through an owned type. Left out on purpose: ServiceData
// and AccountingConfiguration (Service.Data and Enterprise.AccountingConfiguration stay
// raw JSON in properties, so they have no second Go type there).
var ownedBy = map[string]string{
	// reservations
	"Reservation":                        "reservations.Reservation",
	"ServiceOrderOptions":                "reservations.Options",
	"ReservationPersonCount":             "reservations.PersonCount",
	"ServiceOrderStateEnum":              "reservations.State",
	"AccountType":                        "reservations.AccountType",
	"ServiceOrderOriginEnum":             "reservations.Origin",
	"ServiceOrderCommanderOriginEnum":    "reservations.CommanderOrigin",
	"ServiceOrderCancellationReasonEnum": "reservations.CancellationReason",
	"ReservationPurposeEnum":             "reservations.Purpose",
	// pins
	"ResourceAccessToken":            "pins.Credential",
	"ResourceAccessTokenPermissions": "pins.Permissions",
	"ResourceAccessTokenType":        "pins.Type",
	"ActivityStates":                 "pins.ActivityState",
	// properties
	"Configuration":             "properties.Configuration",
	"Enterprise":                "properties.Enterprise",
	"EnterprisePortfolio":       "properties.Enterprise", // enterprises/getAll's shape of the same enterprise
	"OldAddress":                "properties.Address",
	"CurrencyAcceptance":        "properties.Currency",
	"EnterpriseSubscription":    "properties.Subscription",
	"PaymentCardStorage":        "properties.PaymentCardStorage",
	"PricingModeEnum":           "properties.Pricing",
	"Service":                   "properties.Service",
	"ServiceOptions":            "properties.ServiceOptions",
	"Resource":                  "properties.Resource",
	"ResourceState":             "properties.ResourceState",
	"SpaceData":                 "properties.SpaceData",
	"ResourceDataDiscriminator": "properties.ResourceKind",
}

// handPackages are the hand-written packages ownedBy names, by their import path below
// the module.
var handPackages = []string{"pins", "properties", "reservations"}

// handField is one field of a hand-written struct.
type handField struct{ goName, json, typ string }

// handTypes reads the hand-written packages below root: every exported type, with the
// fields of structs, by "pkg.Name", and (into consts, when not nil) every exported typed
// string constant, by type and value ("pkg.Type" -> "Space" -> "pkg.KindSpace").
func handTypes(root string, consts map[string]map[string]string) (map[string][]handField, error) {
	out := map[string][]handField{}
	for _, pkg := range handPackages {
		files, err := filepath.Glob(filepath.Join(root, pkg, "*.go"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			for _, d := range af.Decls {
				gd, ok := d.(*ast.GenDecl)
				if ok && gd.Tok == token.CONST && consts != nil {
					for _, s := range gd.Specs {
						vs := s.(*ast.ValueSpec)
						id, typed := vs.Type.(*ast.Ident)
						if !typed || len(vs.Names) != 1 || len(vs.Values) != 1 || !vs.Names[0].IsExported() {
							continue
						}
						lit, isLit := vs.Values[0].(*ast.BasicLit)
						if !isLit || lit.Kind != token.STRING {
							continue
						}
						v, err := strconv.Unquote(lit.Value)
						if err != nil {
							return nil, err
						}
						typ := pkg + "." + id.Name
						if consts[typ] == nil {
							consts[typ] = map[string]string{}
						}
						if _, dup := consts[typ][v]; !dup { // the first constant of a value names it
							consts[typ][v] = pkg + "." + vs.Names[0].Name
						}
					}
				}
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					if !ts.Name.IsExported() {
						continue
					}
					key := pkg + "." + ts.Name.Name
					out[key] = []handField{}
					st, ok := ts.Type.(*ast.StructType)
					if !ok {
						continue
					}
					for _, fl := range st.Fields.List {
						typ := string(src[fl.Type.Pos()-af.FileStart : fl.Type.End()-af.FileStart])
						for _, n := range fl.Names {
							j := n.Name
							if fl.Tag != nil {
								tag := reflect.StructTag(strings.Trim(fl.Tag.Value, "`")).Get("json")
								if name, _, _ := strings.Cut(tag, ","); name != "" {
									j = name
								}
							}
							out[key] = append(out[key], handField{goName: n.Name, json: j, typ: typ})
						}
					}
				}
			}
		}
	}
	return out, nil
}

// checkOwned returns an error naming every owned schema whose hand-written type is
// missing, or lacks a documented non-deprecated property.
func (g *gen) checkOwned() error {
	var problems []string
	for _, schema := range slices.Sorted(mapKeys(ownedBy)) {
		goType := ownedBy[schema]
		fields, ok := g.hand[goType]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: the hand-written type %s does not exist", schema, goType))
			continue
		}
		s := g.sp.schemas[schema]
		if s == nil {
			problems = append(problems, fmt.Sprintf("%s (for %s) is not a schema of the spec", schema, goType))
			continue
		}
		s = g.flatten(s)
		have := map[string]bool{}
		for _, f := range fields {
			have[f.json] = true
		}
		for _, pn := range slices.Sorted(mapKeys(s.Properties)) {
			pr := s.Properties[pn]
			if !deprecated(pr) && !have[pn] {
				problems = append(problems, fmt.Sprintf("%s: %s has no field for the property %s", schema, goType, pn))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("hand-written types that own a schema are incomplete:\n\t%s", strings.Join(problems, "\n\t"))
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// deprecated reports whether Mews deprecates a property, on itself or on the allOf
// wrapper around its reference.
func deprecated(pr *openapi3.SchemaRef) bool {
	_, wrapper := unwrap(pr)
	return pr.Value.Deprecated || pr.Value.Extensions["x-deprecatedMessage"] != nil ||
		(wrapper != nil && wrapper.Extensions["x-deprecatedMessage"] != nil)
}

// handHas reports whether the hand-written type goType has a field for the JSON
// property name.
func (g *gen) handHas(goType, name string) bool {
	return slices.ContainsFunc(g.hand[goType], func(f handField) bool { return f.json == name })
}

// noteOwnedNulls lists the properties of owned schemas that an example sends as null
// although the schema does not say nullable: the hand-written type decodes the null as
// its field's zero value (or nil, for a pointer).
func (g *gen) noteOwnedNulls() {
	for _, schema := range slices.Sorted(mapKeys(ownedBy)) {
		s := g.sp.schemas[schema]
		if s == nil {
			continue
		}
		s = g.flatten(s)
		for _, pn := range slices.Sorted(mapKeys(g.nullable[s])) {
			if pr := s.Properties[pn]; pr != nil && !pr.Value.Nullable {
				g.note("%s.%s: an example sends null but the schema does not say nullable: %s decodes it as the field's zero value or nil", schema, pn, ownedBy[schema])
			}
		}
	}
}
