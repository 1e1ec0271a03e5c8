package sluice

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/sluice-dev/sluice/bindings/go/internal/gencodes"
)

var headerDir = filepath.Join("..", "..", "capi", "include")

// codes_generated.go must be what go generate writes from today's sluice.h.
func TestCodesGeneratedUpToDate(t *testing.T) {
	header, err := os.ReadFile(filepath.Join(headerDir, "sluice.h"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := gencodes.Generate(header)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("codes_generated.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("codes_generated.go is stale: sluice.h changed. Run `go generate` in bindings/go and commit the result.")
	}
}

// The generated names agree with the library's sluice_code_name, and every
// code has a sentinel that errors.Is matches.
func TestCodesMatchLibrary(t *testing.T) {
	if len(codeNames) < 13 {
		t.Fatalf("only %d codes", len(codeNames))
	}
	for c, name := range codeNames {
		if got := libraryCodeName(c); got != name {
			t.Errorf("code %d: library says %s, binding %s", c, got, name)
		}
		err := error(&Error{Code: c, Message: "x", Offset: -1})
		if !errors.Is(err, Sentinel(c)) {
			t.Errorf("%s: errors.Is with its sentinel is false", name)
		}
		for other := range codeNames {
			if other != c && errors.Is(err, Sentinel(other)) {
				t.Errorf("%s matches the sentinel of %s", name, other)
			}
		}
	}
	if libraryCodeName(Code(9999)) != "SLUICE_ERR_UNKNOWN" || Code(9999).String() != "SLUICE_ERR_UNKNOWN(9999)" {
		t.Errorf("unknown code: %s / %s", libraryCodeName(9999), Code(9999))
	}
	if Sentinel(Code(9999)) != nil {
		t.Error("a sentinel for an unknown code")
	}
}

func TestGencodesRejectsBadDefines(t *testing.T) {
	for _, h := range []string{
		"#define SLUICE_ERR_X 3\n",
		"#define SLUICE_ERR_A ((sluice_code_t)1)\n#define SLUICE_ERR_B ((sluice_code_t)1)\n",
		"#define SLUICE_ERR_A ((sluice_code_t)1)\n#define SLUICE_ERR_A ((sluice_code_t)2)\n",
		"nothing here\n",
	} {
		if _, err := gencodes.Generate([]byte(h)); err == nil {
			t.Errorf("accepted %q", h)
		}
	}
	codes, err := gencodes.Parse([]byte("#define SLUICE_ERR_IO_THING ((sluice_code_t)13) /* x */\n"))
	if err != nil || len(codes) != 1 || codes[0].GoName != "IOThing" || codes[0].Value != 13 || codes[0].Comment != "x" {
		t.Errorf("parse: %+v %v", codes, err)
	}
}
