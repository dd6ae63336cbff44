package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// adoptable is what someone made by hand before Terraform: a user and two
// webhooks, one scoped to the user.
type adoptable struct {
	user         *entrupy.User
	scoped, flat *entrupy.Webhook
}

func makeAdoptable(t *testing.T, emu *testsupport.Emulator) adoptable {
	t.Helper()
	ctx := context.Background()
	c := emu.Client(t)
	u, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "adopt-user-01", Email: "adopt@shop.example.com", FirstName: "Ada"})
	if err != nil {
		t.Fatal(err)
	}
	off := false
	scoped, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{
		URL: "https://hooks.example.com/adopted", SecretKey: "made-by-hand", Events: []string{"session.completed", "certificate.transfer"},
		Description: "made by hand", Enabled: &off, Username: u.Username,
	})
	if err != nil {
		t.Fatal(err)
	}
	flat, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "https://hooks.example.com/adopted-org", SecretKey: "org-secret", Events: []string{"support.message"}})
	if err != nil {
		t.Fatal(err)
	}
	return adoptable{user: u, scoped: scoped, flat: flat}
}

// TestAccGenerateConfig_adopt is the flow a new user follows with
// Terraform ≥ 1.5: import blocks (by ID, by URL, by username) → plan
// -generate-config-out → review → plan → apply, then start managing the
// webhook's secret. The generated file plans with no error and no change
// but the imports, the secrets Entrupy holds are kept, and adding
// secret_wo later updates the webhook in place.
func TestAccGenerateConfig_adopt(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	a := makeAdoptable(t, emu)
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
import {
  to = entrupy_webhook.adopted
  id = "`+a.scoped.ID+`"
}
import {
  to = entrupy_webhook.org
  id = "`+a.flat.URL+`"
}
import {
  to = entrupy_integration_user.adopted
  id = "`+a.user.Username+`"
}
`)
	noDiagnostics := func(step, out string) {
		t.Helper()
		// The dev_overrides warning is the test's own setup.
		rest := strings.Replace(out, "Warning: Provider development overrides are in effect", "", 1)
		if strings.Contains(rest, "Warning:") || strings.Contains(rest, "Error:") {
			t.Fatalf("%s printed diagnostics:\n%s", step, out)
		}
	}

	out := run.terraform(nil, "plan", "-generate-config-out=generated.tf", "-input=false", "-no-color")
	if !strings.Contains(out, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan -generate-config-out:\n%s", out)
	}
	genBytes, err := os.ReadFile(filepath.Join(run.dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	gen := string(genBytes)
	for _, want := range []string{
		`resource "entrupy_webhook" "adopted" {`, `url\s+= "https://hooks.example.com/adopted"`, `username\s+= "Acme-adopt-user-01"`,
		`enabled\s+= false`, `description\s+= "made by hand"`, `resource "entrupy_webhook" "org" {`,
		`resource "entrupy_integration_user" "adopted" {`, `unique_user_id = "adopt-user-01"`, `first_name\s+= "Ada"`,
	} {
		if !regexp.MustCompile(want).MatchString(gen) {
			t.Errorf("generated.tf lacks %s:\n%s", want, gen)
		}
	}
	if strings.Contains(gen, "made-by-hand") || strings.Contains(gen, "org-secret") {
		t.Fatalf("generated.tf holds a secret:\n%s", gen)
	}

	// The generated file, as written, plans the imports and nothing else.
	out = run.terraform(nil, "plan", "-input=false", "-no-color")
	noDiagnostics("plan of the generated file", out)
	if !strings.Contains(out, "Plan: 3 to import, 0 to add, 0 to change, 0 to destroy.") {
		t.Fatalf("plan of the generated file:\n%s", out)
	}
	out = run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	noDiagnostics("apply", out)
	if !strings.Contains(out, "Resources: 3 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("apply:\n%s", out)
	}
	out = run.terraform(nil, "plan", "-input=false", "-no-color")
	if !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after the import:\n%s", out)
	}
	if changes := emu.Changes("PATCH "); len(changes) > 0 {
		t.Fatalf("adopting changed objects: %v", changes)
	}
	for id, want := range map[string]string{a.scoped.ID: "made-by-hand", a.flat.ID: "org-secret"} {
		if got, _ := emu.WebhookSecret(id); got != want {
			t.Fatalf("webhook %s secret %q after adoption, want %q kept", id, got, want)
		}
	}
	if ids := run.idsInState("entrupy_integration_user"); len(ids) != 1 || ids[0] != "adopt-user-01" {
		t.Fatalf("users in state %v: the username was not resolved to the unique_user_id", ids)
	}

	// Start managing the secret of one webhook: an in-place update that
	// sends only the secret.
	override := `resource "entrupy_webhook" "adopted" {
  secret_wo         = "managed-now"
  secret_wo_version = 1
}
`
	if err := os.WriteFile(filepath.Join(run.dir, "secret_override.tf"), []byte(override), 0o600); err != nil {
		t.Fatal(err)
	}
	out = run.terraform(nil, "plan", "-input=false", "-no-color")
	if !strings.Contains(out, "entrupy_webhook.adopted will be updated in-place") || !strings.Contains(out, "Plan: 0 to add, 1 to change, 0 to destroy.") {
		t.Fatalf("plan to manage the secret:\n%s", out)
	}
	run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	patches := emu.Changes("PATCH /v2/webhooks/")
	if len(patches) != 1 || patches[0].Path != "/v2/webhooks/"+a.scoped.ID || patches[0].Body != `{"secret_key":"managed-now"}` {
		t.Fatalf("want one PATCH of %s with only the secret, got %v", a.scoped.ID, patches)
	}
	if got, _ := emu.WebhookSecret(a.scoped.ID); got != "managed-now" {
		t.Fatalf("secret %q after managing it", got)
	}
	out = run.terraform(nil, "plan", "-input=false", "-no-color")
	if !strings.Contains(out, "No changes.") {
		t.Fatalf("plan after managing the secret:\n%s", out)
	}
}

// TestAccGenerateConfig_importBlock: plugin-testing's import block with
// -generate-config-out, for objects made outside Terraform: the plan of
// the generated configuration is a no-op import for each. (plugin-testing
// imports into entrupy_<type>.generated after the first step.)
func TestAccGenerateConfig_importBlock(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	a := makeAdoptable(t, emu)
	noOp := func(addr string) resource.ImportPlanChecks {
		return resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				// Something in state for the import steps to start from.
				Config: providerBlock(emu) + `data "entrupy_webhook" "seen" { id = "` + a.flat.ID + `" }`,
			},
			{
				Config: providerBlock(emu), ResourceName: "entrupy_webhook.adopted", ImportState: true,
				ImportStateKind: resource.ImportBlockWithID, ImportStateId: a.scoped.ID, GenerateConfig: true,
				ImportPlanChecks: noOp("entrupy_webhook.generated"),
			},
			{
				Config: providerBlock(emu), ResourceName: "entrupy_integration_user.adopted", ImportState: true,
				ImportStateKind: resource.ImportBlockWithID, ImportStateId: a.user.UniqueUserID, GenerateConfig: true,
				ImportPlanChecks: noOp("entrupy_integration_user.generated"),
			},
		},
	})
}
