package sluice

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// notWrapped lists the SLUICE_API functions the binding leaves out on
// purpose, with the reason. Anything else in the headers must be used.
var notWrapped = map[string]string{
	"sluice_conf_set_handler": "push mode calls a C handler on engine threads; the Go binding never lets C threads call into Go and uses pull mode (Engine.Poll) on goroutines instead",
}

var apiDecl = regexp.MustCompile(`SLUICE_API\s+[\w\s\*]*?\b(sluice_\w+)\s*\(`)

// Every function exported by sluice.h and sluice_mock.h is called somewhere
// in the binding's non-test sources (Go files, or the C glue they include),
// or listed in notWrapped: a function added to the headers without a Go
// wrapper fails here.
func TestEveryAPIFunctionIsWrapped(t *testing.T) {
	declared := map[string]bool{}
	for _, h := range []string{"sluice.h", "sluice_mock.h"} {
		src, err := os.ReadFile(filepath.Join(headerDir, h))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range apiDecl.FindAllStringSubmatch(string(src), -1) {
			declared[m[1]] = true
		}
	}
	if len(declared) < 40 {
		t.Fatalf("found only %d SLUICE_API functions: is the parser broken?", len(declared))
	}

	var sources strings.Builder
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "examples") {
			return filepath.SkipDir
		}
		if strings.HasSuffix(path, "_test.go") || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".h")) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sources.Write(src)
		sources.WriteByte('\n')
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	all := sources.String()

	var missing []string
	for name := range declared {
		used := regexp.MustCompile(`\b(C\.)?` + name + `\s*\(`).MatchString(all)
		_, excused := notWrapped[name]
		switch {
		case !used && !excused:
			missing = append(missing, name)
		case used && excused:
			t.Errorf("%s is listed in notWrapped but is used: drop it from the list", name)
		}
	}
	for name := range notWrapped {
		if !declared[name] {
			t.Errorf("notWrapped lists %s, which the headers no longer declare", name)
		}
	}
	sort.Strings(missing)
	t.Logf("%d SLUICE_API functions, %d wrapped, %d left out on purpose", len(declared), len(declared)-len(missing)-len(notWrapped), len(notWrapped))
	if len(missing) > 0 {
		t.Errorf("SLUICE_API functions not wrapped by the Go binding: %s", strings.Join(missing, ", "))
	}
}
