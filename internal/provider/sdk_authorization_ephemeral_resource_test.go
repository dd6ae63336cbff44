package provider

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

// TestAccSDKAuthorization_echo reads the ephemeral result through the echo
// provider, which exists to make ephemeral values observable in tests.
func TestAccSDKAuthorization_echo(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"entrupy": testAccProtoV6ProviderFactories["entrupy"],
			"echo":    echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{
			{
				Config: emu.providerBlock() + `
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-abc"
  unique_user_id            = "echo-user-01"
  email                     = "echo@example.com"
  first_name                = "Echo"
}
provider "echo" {
  data = ephemeral.entrupy_sdk_authorization.device
}
resource "echo" "result" {}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.result", tfjsonpath.New("data").AtMapKey("username"), knownvalue.StringExact("Acme-echo-user-01")),
					statecheck.ExpectKnownValue("echo.result", tfjsonpath.New("data").AtMapKey("signed_authorization_request"), knownvalue.StringRegexp(regexp.MustCompile(`^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{20,}$`))),
				},
			},
		},
	})
}

// TestAccSDKAuthorization_neverInState: the signed request, used as a
// write-only webhook secret, reaches Entrupy but not the state file.
func TestAccSDKAuthorization_neverInState(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
  requests_per_second = 0
}
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-123"
  unique_user_id            = "device-user-01"
  email                     = "device@example.com"
  first_name                = "Dev"
}
resource "entrupy_webhook" "uses_it" {
  url       = "https://hooks.example.com/device"
  events    = ["session.completed"]
  secret_wo = ephemeral.entrupy_sdk_authorization.device.signed_authorization_request
}
`)
	out := run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	inv := emu.Inventory()
	if len(inv.Webhooks) != 1 || len(inv.Users) != 1 || inv.Users[0].FirstName != "Dev" {
		t.Fatalf("inventory %+v", inv)
	}
	signed, _ := emu.WebhookSecret(inv.Webhooks[0].ID)
	if len(signed) < 20 {
		t.Fatalf("signed request %q", signed)
	}
	state, err := os.ReadFile(filepath.Join(run.dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(state), signed) || strings.Contains(out, signed) {
		t.Fatal("the signed authorization request leaked into state or output")
	}
	if strings.Contains(string(state), "device-request-123") {
		t.Fatal("the SDK authorization request leaked into state")
	}
}
