// Command cliconfig writes the Terraform CLI configuration that makes
// Terraform use the provider binary in a directory (dev_overrides), for the
// scripts: go run ./internal/testsupport/cmd/cliconfig -dir BIN -out FILE.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

func main() {
	dir := flag.String("dir", "", "directory holding the "+testsupport.ProviderBinary+" binary")
	out := flag.String("out", "", "file to write (name it in TF_CLI_CONFIG_FILE)")
	flag.Parse()
	if *dir == "" || *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: cliconfig -dir BIN -out FILE")
		os.Exit(2)
	}
	if err := testsupport.WriteCLIConfig(*out, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "cliconfig:", err)
		os.Exit(1)
	}
}
