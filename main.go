// Command terraform-provider-entrupy serves the Entrupy Terraform provider.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/entrupy/terraform-provider-entrupy/internal/provider"
)

// Regenerate docs/: the GNUmakefile's docs target feeds tfplugindocs the
// schemas Terraform exports (terraform providers schema -json).
//go:generate make docs

// version is set at build time: go build -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers such as delve")
	flag.Parse()

	for k, v := range quietLogs(os.Environ()) {
		if err := os.Setenv(k, v); err != nil {
			log.Fatal(err.Error())
		}
	}
	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/entrupy/entrupy",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietLogs returns the environment variables that switch the provider's
// and the SDK's logging off when environ (KEY=value entries) asks for no
// log at all: no TF_LOG, no TF_LOG_PROVIDER* or TF_LOG_SDK* level and no
// acceptance-test log file. Terraform discards what a provider logs unless
// asked, but the framework builds its trace lines (one per attribute, per
// plan modifier and per validator of every resource) all the same, which
// is about a third of the provider's CPU time in a large plan (a known cost
// of the framework: hashicorp/terraform-plugin-framework#1269). With any of
// those variables set, nothing changes: logs are as complete as before.
func quietLogs(environ []string) map[string]string {
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		if v == "" {
			continue
		}
		switch {
		case k == "TF_LOG", k == "TF_ACC_LOG_PATH", k == "TF_LOG_PATH_MASK",
			strings.HasPrefix(k, "TF_LOG_PROVIDER"), strings.HasPrefix(k, "TF_LOG_SDK"):
			return nil
		}
	}
	return map[string]string{
		"TF_LOG_PROVIDER":      "off",
		"TF_LOG_SDK":           "off",
		"TF_LOG_SDK_PROTO":     "off",
		"TF_LOG_SDK_FRAMEWORK": "off",
	}
}
