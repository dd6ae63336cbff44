// Command terraform-provider-entrupy serves the Entrupy Terraform provider.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entrupy/terraform-provider-entrupy/internal/provider"
)

// Run the docs generation tool; see the GNUmakefile's docs target.
//go:generate go tool tfplugindocs generate --provider-name entrupy --rendered-provider-name Entrupy

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entrupy/entrupy",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
