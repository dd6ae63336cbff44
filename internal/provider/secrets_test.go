package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccWebhook_secretsNeverLeak: with TF_LOG=TRACE, neither the API token
// nor a webhook secret appears in anything Terraform or the provider print,
// and the write-only secret is not in the state file.
func TestAccWebhook_secretsNeverLeak(t *testing.T) {
	const (
		woSecret    = "wo-secret-4b8c1f0e"
		woRotated   = "wo-secret-rotated-9d2e"
		plainSecret = "plain-secret-7a3d55e1"
	)
	emu := testsupport.StartEmulator(t, emulator.Options{})
	// The write-only secret comes from an ephemeral variable, as the docs
	// recommend: a literal in main.tf would be bundled (by Terraform) into a
	// saved plan's configuration snapshot. The plain secret comes from a
	// sensitive variable: Terraform quotes the configuration line of the
	// warning that secret_wo is preferred.
	config := func(version int) string {
		return fmt.Sprintf(`
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
  requests_per_second = 0
}
variable "webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
variable "plain_secret" {
  type      = string
  sensitive = true
}
resource "entrupy_webhook" "wo" {
  url               = "https://hooks.example.com/wo"
  events            = ["session.completed"]
  secret_wo         = var.webhook_secret
  secret_wo_version = %d
}
resource "entrupy_webhook" "plain" {
  url    = "https://hooks.example.com/plain"
  events = ["support.message"]
  secret = var.plain_secret
}
`, version)
	}
	run := newCLIRun(t, emu, config(1))
	first := []string{"TF_LOG=TRACE", "TF_VAR_webhook_secret=" + woSecret, "TF_VAR_plain_secret=" + plainSecret}
	rotated := []string{"TF_LOG=TRACE", "TF_VAR_webhook_secret=" + woRotated, "TF_VAR_plain_secret=" + plainSecret}

	var logs strings.Builder
	logs.WriteString(run.terraform(first, "apply", "-auto-approve", "-input=false", "-no-color"))
	if err := os.WriteFile(filepath.Join(run.dir, "main.tf"), []byte(config(2)), 0o600); err != nil {
		t.Fatal(err)
	}
	logs.WriteString(run.terraform(rotated, "plan", "-out=tfplan", "-input=false", "-no-color"))
	plan := run.terraform(nil, "show", "-json", "tfplan")
	logs.WriteString(run.terraform(rotated, "apply", "-auto-approve", "-input=false", "-no-color", "tfplan"))
	logs.WriteString(run.terraform(rotated, "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"))
	state, err := os.ReadFile(filepath.Join(run.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	// Import the write-only webhook a second time, into another address.
	withCopy := config(2) + `
resource "entrupy_webhook" "copy" {
  url       = "https://hooks.example.com/wo"
  events    = ["session.completed"]
  secret_wo = var.webhook_secret
}
`
	if err := os.WriteFile(filepath.Join(run.dir, "main.tf"), []byte(withCopy), 0o600); err != nil {
		t.Fatal(err)
	}
	var woID string
	for _, wh := range emu.Inventory().Webhooks {
		if strings.HasSuffix(wh.URL, "/wo") {
			woID = wh.ID
		}
	}
	logs.WriteString(run.terraform(rotated, "import", "-input=false", "-no-color", "entrupy_webhook.copy", woID))
	logs.WriteString(run.terraform(rotated, "destroy", "-auto-approve", "-input=false", "-no-color"))

	out := logs.String()
	// The capture must hold the provider's own request logs, or it proves
	// nothing; and with TF_LOG set the framework's and the protocol's own
	// logs are there too (main.go switches them off only when no log is
	// asked for).
	for _, want := range []string{"Calling provider defined Resource Read", "@module=sdk.framework", "@module=sdk.proto", "Entrupy API request", "POST", "PATCH", "DELETE", "/v2/webhooks", "Authorization: Token <redacted>", "Idempotency-Key: "} {
		if !strings.Contains(out, want) {
			t.Fatalf("TRACE output lacks %q; the test would not see a leak", want)
		}
	}
	for name, secret := range map[string]string{"API token": testsupport.Token, "write-only secret": woSecret, "rotated write-only secret": woRotated, "plain secret": plainSecret} {
		if n := strings.Count(out, secret); n > 0 {
			i := strings.Index(out, secret)
			t.Errorf("the %s appears %d times in TF_LOG=TRACE output, e.g. …%s…", name, n, out[max(0, i-200):min(len(out), i+50)])
		}
		if strings.Contains(plan, secret) && secret != plainSecret {
			t.Errorf("the %s appears in the plan JSON", name)
		}
	}
	for name, secret := range map[string]string{"API token": testsupport.Token, "write-only secret": woSecret, "rotated write-only secret": woRotated} {
		if strings.Contains(string(state), secret) {
			t.Errorf("the %s appears in the state file", name)
		}
	}
	if n := len(emu.Inventory().Webhooks); n != 0 {
		t.Errorf("%d webhooks left after destroy", n)
	}
	if s := emu.Changes("PATCH /v2/webhooks/"); len(s) != 1 || !strings.Contains(s[0].Body, woRotated) {
		t.Errorf("the rotation should be one PATCH carrying the new secret, got %d", len(s))
	}
}
