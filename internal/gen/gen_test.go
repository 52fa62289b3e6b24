package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func loadSpec(t *testing.T) *spec {
	t.Helper()
	sp, err := load("spec")
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func TestTheSpecHas198OperationsOf73Files(t *testing.T) {
	sp := loadSpec(t)
	files := map[string]bool{}
	for _, op := range sp.ops {
		files[op.file] = true
	}
	if len(sp.ops) != 198 || len(files) != 73 {
		t.Errorf("%d operations in %d files, want 198 in 73", len(sp.ops), len(files))
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	first, notes1, err := build(loadSpec(t), false)
	if err != nil {
		t.Fatal(err)
	}
	second, notes2, err := build(loadSpec(t), false)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	if strings.Join(notes1, "\n") != strings.Join(notes2, "\n") {
		t.Error("the notes differ between two runs")
	}
}

// Every operation that is not deprecated has a function, and no deprecated one does.
func TestEveryNonDeprecatedOperationIsGenerated(t *testing.T) {
	sp := loadSpec(t)
	files, _, err := build(sp, false)
	if err != nil {
		t.Fatal(err)
	}
	ops := string(files["zz_operations.go"])
	n := 0
	for _, op := range sp.ops {
		listed := strings.Contains(ops, `{Name: "`+op.name+`", `)
		if listed == op.deprecated {
			t.Errorf("%s: deprecated %v, generated %v", op.name, op.deprecated, listed)
		}
		if !op.deprecated {
			n++
		}
	}
	if got := len(regexp.MustCompile(`(?m)^func `).FindAllString(ops, -1)); got != n {
		t.Errorf("%d functions, want %d", got, n)
	}
}

func TestDeprecatedOperationsAreGeneratedOnRequestAndMarked(t *testing.T) {
	files, _, err := build(loadSpec(t), true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files["zz_operations.go"]), "// Deprecated: ") {
		t.Error("no Deprecated: line with -deprecated")
	}
}

// The reviewed Safety table names operations that exist, gives a reason, and departs
// from the default rule (an entry repeating the default would hide a later change).
func TestSafetyTableEntriesAreReal(t *testing.T) {
	sp := loadSpec(t)
	names := map[string]bool{}
	for _, op := range sp.ops {
		names[op.name] = true
	}
	for name, e := range safetyTable {
		if !names[name] {
			t.Errorf("%s: not an operation of the spec", name)
		}
		if e.reason == "" {
			t.Errorf("%s: no reason", name)
		}
		if def := map[bool]string{true: "Read", false: "Write"}[strings.HasPrefix(strings.Split(name, "/")[1], "get")]; def == e.safety {
			t.Errorf("%s: repeats the default %s", name, def)
		}
	}
}

func TestGeneratedCodeIsCommitted(t *testing.T) {
	files, notes, err := build(loadSpec(t), false)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		have, err := os.ReadFile(filepath.Join("../../connector", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(have, b) {
			t.Errorf("connector/%s is not what the generator writes; run go generate ./...", name)
		}
	}
	have, _ := os.ReadFile("INCONSISTENCIES.txt")
	if string(have) != strings.Join(notes, "\n")+"\n" {
		t.Error("INCONSISTENCIES.txt is stale; run go generate ./...")
	}
}

func TestSecretsTableNamesGeneratedWrites(t *testing.T) {
	sp := loadSpec(t)
	for name := range secretsTable {
		found := false
		for _, op := range sp.ops {
			found = found || (op.name == name && !op.deprecated)
		}
		if !found {
			t.Errorf("%s: not a generated operation", name)
		}
	}
}
