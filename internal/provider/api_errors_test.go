package provider

import (
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccRunWideErrorsOnce: a rejected token, or an API that does not
// answer, stops every resource and data source of a plan; the run says it
// in full once, and each other error refers to it in one line.
func TestAccRunWideErrorsOnce(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resources := lostResources(4) + `
data "entrupy_webhooks" "all" {}
data "entrupy_integration_users" "all" {}
`
	for _, tc := range []struct {
		name, env, full, short string
	}{
		{"rejected token", EnvAPIToken + "=not-the-token", "Check that it is a current API token", "Entrupy rejected the API token (401 Unauthorized), as another error of this run says in full"},
		{"no answer", EnvBaseURL + "=http://127.0.0.1:1", "Check network access to the API", "as another error of this run says in full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := newCLIRun(t, emu, cliConfigWith("  max_retries = 0", resources))
			out := strings.Join(strings.Fields(diagBox.Replace(run.fails([]string{tc.env}, "plan"))), " ")
			errs := strings.Count(out, "Error: ")
			if full := strings.Count(out, tc.full); full != 1 {
				t.Fatalf("%d errors in full, want 1:\n%s", full, out)
			}
			if short := strings.Count(out, tc.short); short != errs-1 || errs < 3 {
				t.Fatalf("%d errors, %d of them one line, want all but one:\n%s", errs, short, out)
			}
			if strings.Contains(out, "not-the-token") {
				t.Fatalf("the output shows the token:\n%s", out)
			}
		})
	}
}
