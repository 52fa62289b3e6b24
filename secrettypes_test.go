package mews_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unsafe"

	mews "github.com/mewskit/mews-go"
	"github.com/mewskit/mews-go/channelmanager"
	"github.com/mewskit/mews-go/channelmanager/inbound"
	"github.com/mewskit/mews-go/connection"
	"github.com/mewskit/mews-go/events"
	"github.com/mewskit/mews-go/internal/httpin"
	"github.com/mewskit/mews-go/internal/leakscan"
	"github.com/mewskit/mews-go/pins"
	"github.com/mewskit/mews-go/webhooks"
)

// secretHolders lists every exported type of the module that holds a secret, directly
// or nested. TestEveryExportedTypeThatHoldsASecretIsListed finds them in the source and
// fails when one is missing here, so a type added later cannot slip past
// TestExportedTypesPrintTheirSecretsRedacted. extra names string fields that hold a
// secret although their name does not say so.
var secretHolders = []struct {
	value any
	extra []string
}{
	{value: mews.Token{}},
	{value: mews.Client{}},
	{value: mews.Connector{}},
	{value: mews.ChannelManager{}},
	{value: httpin.Secret{}},
	{value: channelmanager.AvailabilityBlock{}},
	{value: channelmanager.BlockMessage{}},
	{value: connection.Credentials{}},
	{value: connection.IntegrationEvent{}},
	{value: connection.Monitor{}},
	{value: events.Client{}},
	{value: inbound.AvailabilityBlockPush{}},
	{value: inbound.AvailabilityUpdate{}},
	{value: inbound.BookingConfirmation{}},
	{value: inbound.ChangeNotification{}},
	{value: inbound.GroupPush{}},
	{value: inbound.Handler{}},
	{value: inbound.Message{}},
	{value: inbound.PricesUpdate{}},
	{value: inbound.RestrictionsUpdate{}},
	{value: pins.Credential{}, extra: []string{"Value"}},
	{value: channelmanager.Connection{}},
	{value: channelmanager.Configuration{}},
	{value: channelmanager.Property{}},
	{value: channelmanager.CardNumber{}},
	{value: channelmanager.CardSecret{}},
	{value: channelmanager.Group{}},
	{value: channelmanager.PaymentCard{}},
	{value: channelmanager.ProcessGroupParams{}},
	{value: pins.SetParams{}, extra: []string{"Value"}},
	{value: webhooks.Handler{}},
}

// Secret values the walk puts into the fields it fills. They are long and distinctive;
// the card number is all digits because CardNumber keeps digits only.
const (
	walkSecret     = "REDACT-WALKED-SECRET-4e8b2c9d1f7a3e56"
	walkCardNumber = "4929173650284716"
)

var (
	tokenType      = reflect.TypeFor[mews.Token]()
	httpSecretType = reflect.TypeFor[httpin.Secret]()
	cardNumberType = reflect.TypeFor[channelmanager.CardNumber]()
	cardSecretType = reflect.TypeFor[channelmanager.CardSecret]()
	// secretName matches the names of string fields that hold a secret.
	secretName = regexp.MustCompile(`(?i)(token|secret|password|passwd|cvv|apikey|api_key|pin)$`)
)

func TestExportedTypesPrintTheirSecretsRedacted(t *testing.T) {
	secrets := append([]string{walkSecret, walkCardNumber}, digestForms(walkSecret)...)
	for _, h := range secretHolders {
		typ := reflect.TypeOf(h.value)
		p := reflect.New(typ)
		if n := fill(t, p.Elem(), h.extra, 0); n == 0 {
			t.Errorf("%s: the walk found no secret to fill; is it still a secret holder?", typ)
			continue
		}
		leakscan.Check(t, typ.String(), printedEveryWay(p.Elem().Interface()), secrets...)
		leakscan.Check(t, "*"+typ.String(), printedEveryWay(p.Interface()), secrets...)
	}
}

// fill puts a secret into every secret-holding place under v, including unexported
// fields, and returns how many it filled.
func fill(t *testing.T, v reflect.Value, extra []string, depth int) int {
	if depth > 6 {
		return 0
	}
	if !v.CanSet() {
		v = reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	switch v.Type() {
	case tokenType:
		tok, err := mews.NewToken(walkSecret)
		if err != nil {
			t.Fatal(err)
		}
		v.Set(reflect.ValueOf(tok))
		return 1
	case httpSecretType:
		v.Set(reflect.ValueOf(httpin.NewSecret(walkSecret)))
		return 1
	case cardNumberType:
		n, err := channelmanager.NewCardNumber(walkCardNumber)
		if err != nil {
			t.Fatal(err)
		}
		v.Set(reflect.ValueOf(n))
		return 1
	case cardSecretType:
		v.Set(reflect.ValueOf(channelmanager.NewCardSecret(walkSecret)))
		return 1
	}
	n := 0
	switch v.Kind() {
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.Type.Kind() == reflect.String && (secretName.MatchString(f.Name) || slices.Contains(extra, f.Name)) {
				field := reflect.NewAt(f.Type, unsafe.Pointer(v.Field(i).UnsafeAddr())).Elem()
				field.SetString(walkSecret)
				n++
				continue
			}
			n += fill(t, v.Field(i), extra, depth+1)
		}
	case reflect.Pointer:
		e := reflect.New(v.Type().Elem())
		if k := fill(t, e.Elem(), extra, depth+1); k > 0 {
			v.Set(e)
			n += k
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		if k := fill(t, s.Index(0), extra, depth+1); k > 0 {
			v.Set(s)
			n += k
		}
	case reflect.Array:
		for i := range v.Len() {
			n += fill(t, v.Index(i), extra, depth+1)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String {
			return 0
		}
		e := reflect.New(v.Type().Elem())
		if k := fill(t, e.Elem(), extra, depth+1); k > 0 {
			m := reflect.MakeMap(v.Type())
			m.SetMapIndex(reflect.ValueOf("key").Convert(v.Type().Key()), e.Elem())
			v.Set(m)
			n += k
		}
	}
	return n
}

// notSecretHolders are packages whose types the guard does not require: mewstest is
// a fake Mews whose credentials are the public test constants it exports.
var notSecretHolders = map[string]bool{"mewstest": true}

func TestEveryExportedTypeThatHoldsASecretIsListed(t *testing.T) {
	listed := map[string]bool{}
	for _, h := range secretHolders {
		listed[reflect.TypeOf(h.value).String()] = true
	}
	for _, name := range secretHoldingTypesInSource(t) {
		pkg, typ, _ := strings.Cut(name, ".")
		if ast.IsExported(typ) && !notSecretHolders[pkg] && !listed[name] {
			t.Errorf("%s holds a secret but is not in secretHolders: add it, so that its printing is tested", name)
		}
	}
}

// secretHoldingTypesInSource parses the module's library packages (not commands,
// examples, nested modules or tests) and returns, as "package.Type", every type whose
// fields reach a secret: a mews.Token, an httpin.Secret, a card number or CVV, or a
// string field named like a secret, through struct fields, pointers, slices, arrays,
// map values and other types of the module.
func secretHoldingTypesInSource(t *testing.T) []string {
	t.Helper()
	types := map[string]ast.Expr{} // "pkg.Type" -> its definition
	imports := map[string]string{} // "pkg.Type" -> package name of its file, for unqualified names
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "examples" || fileExists(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		if f.Name.Name == "main" {
			return nil
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				key := f.Name.Name + "." + ts.Name.Name
				types[key], imports[key] = ts.Type, f.Name.Name
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The roots: the secret types, and the PIN, whose field is named Value.
	holds := map[string]bool{"mews.Token": true, "httpin.Secret": true, "channelmanager.CardNumber": true, "channelmanager.CardSecret": true, "pins.Credential": true}
	for changed := true; changed; {
		changed = false
		for name, expr := range types {
			if !holds[name] && reaches(expr, imports[name], holds) {
				holds[name], changed = true, true
			}
		}
	}
	var out []string
	for name := range holds {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// reaches reports whether the type expression e, written in package pkg, holds one of
// the types in holds or a string field named like a secret.
func reaches(e ast.Expr, pkg string, holds map[string]bool) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return holds[pkg+"."+e.Name]
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && holds[x.Name+"."+e.Sel.Name]
	case *ast.StarExpr:
		return reaches(e.X, pkg, holds)
	case *ast.ArrayType:
		return reaches(e.Elt, pkg, holds)
	case *ast.MapType:
		return reaches(e.Value, pkg, holds)
	case *ast.IndexExpr:
		return reaches(e.X, pkg, holds)
	case *ast.StructType:
		for _, f := range e.Fields.List {
			if id, ok := f.Type.(*ast.Ident); ok && id.Name == "string" {
				for _, n := range f.Names {
					if secretName.MatchString(n.Name) {
						return true
					}
				}
			}
			if reaches(f.Type, pkg, holds) {
				return true
			}
		}
	}
	return false
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
