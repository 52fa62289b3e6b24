// Command gen generates package connector, the typed Connector operations, from Mews'
// OpenAPI files in spec/. Run it through `go generate ./...` at the repository root.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

func main() {
	out := flag.String("out", "../../connector", "directory of package connector")
	specDir := flag.String("spec", "spec", "directory of the OpenAPI files")
	notes := flag.String("notes", "", "file to write the spec inconsistencies found to")
	deprecated := flag.Bool("deprecated", false, "also generate deprecated operations")
	flag.Parse()
	if err := run(*specDir, *out, *notes, *deprecated); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(specDir, out, notesFile string, deprecated bool) error {
	sp, err := load(specDir)
	if err != nil {
		return err
	}
	files, notes, err := build(sp, deprecated)
	if err != nil {
		return err
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range files {
			if !yield(k) {
				return
			}
		}
	}) {
		p := filepath.Join(out, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			return err
		}
	}
	if notesFile != "" {
		return os.WriteFile(notesFile, []byte(strings.Join(notes, "\n")+"\n"), 0o644)
	}
	return nil
}
