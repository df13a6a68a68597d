// Command version prints Pauta's version from the git tag (v0.3.0 → 0.3.0;
// see packageVersion), for the binary, the packages and the installers.
//
//	go run ./build/version [-numeric]
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	numeric := flag.Bool("numeric", false, "only X.Y.Z (the Windows version resource takes numbers only)")
	dir := flag.String("C", ".", "the git checkout")
	flag.Parse()
	v, err := gitVersion(*dir)
	if err != nil {
		fmt.Fprintf(os.Stderr, "version: %v\n", err)
		os.Exit(1)
	}
	if *numeric {
		v = numericVersion(v)
	}
	fmt.Println(v)
}
