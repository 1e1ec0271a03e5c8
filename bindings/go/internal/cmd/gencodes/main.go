// Command gencodes writes codes_generated.go from sluice.h (run by go generate
// in bindings/go; see doc.go).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/sluice-dev/sluice/bindings/go/internal/gencodes"
)

func main() {
	header := flag.String("header", "../../capi/include/sluice.h", "path of sluice.h")
	out := flag.String("out", "codes_generated.go", "output file")
	flag.Parse()
	src, err := os.ReadFile(*header)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
	code, err := gencodes.Generate(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, code, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencodes:", err)
		os.Exit(1)
	}
}
