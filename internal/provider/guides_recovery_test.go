//go:build unix

package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// The webhook id the interrupted-applies guide shows, which the test
// replaces with the one the emulator made.
const guideRecoveryWebhookID = "wh_3f9a0c1d2e4b5a67"

// testGuideRecovery follows the interrupted-applies guide: the guide's
// configuration loses its creates' answers; the next apply prints the
// guide's error (with the real id); on Terraform 1.14+ the guide's list
// blocks generate import blocks for both objects; the guide's import
// blocks, pasted, bring them in, and the plan is empty.
func testGuideRecovery(t *testing.T, g *guideCLI, blocks map[string]guideBlock) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := g.workdir(t, emu, map[string]string{"main.tf": blocks["recover-config"].text})
	run.env = append(run.env, "TF_VAR_webhook_secret=guide-recovery-secret")
	for range 12 {
		emu.FailNext("POST /v2/webhooks", emulator.Fail500After)
		emu.FailNext("POST /v2/integrations/users", emulator.Fail500After)
	}
	out := diagBox.Replace(run.fails(nil, "apply", "-auto-approve"))
	for _, want := range []string{"Error: The webhook may have been created", "Error: The integration user may have been created"} {
		if !strings.Contains(out, want) {
			t.Fatalf("the apply that lost its answers does not say %q:\n%s", want, out)
		}
	}
	emu.ClearFaults()
	hooks := emu.WebhookIDs()
	if len(hooks) != 1 {
		t.Fatalf("the lost creates left webhooks %v, want one", hooks)
	}

	out = run.fails(nil, "apply", "-auto-approve")
	// The guide's error, with this run's id and whatever version and time.
	pattern := regexp.QuoteMeta(strings.Join(strings.Fields(blocks["recover-error"].text), " "))
	pattern = strings.ReplaceAll(pattern, guideRecoveryWebhookID, hooks[0])
	pattern = strings.Replace(pattern, regexp.QuoteMeta("terraform-provider-entrupy/1.4.0 at 2026-12-02T09:14:05Z"), `terraform-provider-entrupy/\S+ at \S+`, 1)
	if flat := strings.Join(strings.Fields(diagBox.Replace(out)), " "); !regexp.MustCompile(pattern).MatchString(flat) {
		t.Fatalf("the re-apply does not print the guide's error:\n%s\n--- want (flattened)\n%s", out, pattern)
	}
	if errs := alreadyExists(t, out); len(errs) != 2 {
		t.Fatalf("the re-apply names %v, want the webhook and the user", errs)
	}

	if why := cliLacks(t, featureQuery); why != "" {
		t.Logf("the guide's list blocks are not run: %s", why)
	} else {
		query := filepath.Join(run.dir, "recover.tfquery.hcl")
		if err := os.WriteFile(query, []byte(blocks["recover-query"].text), 0o600); err != nil {
			t.Fatal(err)
		}
		shell(t, run.dir, run.env, blocks["recover-query-run"].text)
		generated, err := os.ReadFile(filepath.Join(run.dir, "generated.tf"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{hooks[0], "store-0042"} {
			if !strings.Contains(string(generated), want) || strings.Count(string(generated), "import {") != 2 {
				t.Fatalf("generated.tf does not import %s (two import blocks):\n%s", want, generated)
			}
		}
		for _, f := range []string{query, filepath.Join(run.dir, "generated.tf")} {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
		}
	}

	imports := strings.ReplaceAll(blocks["recover-imports"].text, guideRecoveryWebhookID, hooks[0])
	if err := os.WriteFile(filepath.Join(run.dir, "imports.tf"), []byte(imports), 0o600); err != nil {
		t.Fatal(err)
	}
	run.run(nil, "apply", "-auto-approve")
	run.converged(emu, 1)
}
