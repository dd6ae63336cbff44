package provider

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccSDKAuthorization_echo reads the ephemeral result through the echo
// provider, which exists to make ephemeral values observable in tests.
func TestAccSDKAuthorization_echo(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{featureEphemeral},
		ProtoV6ProviderFactories: map[string]func() (tfprotov6.ProviderServer, error){
			"entrupy": testAccProtoV6ProviderFactories["entrupy"],
			"echo":    echoprovider.NewProviderServer(),
		},
		Steps: []resource.TestStep{
			{
				Config: providerBlock(emu) + `
resource "entrupy_integration_user" "device" {
  unique_user_id = "echo-user-01"
  email          = "echo@example.com"
  first_name     = "Echo"
}
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-abc"
  unique_user_id            = entrupy_integration_user.device.id
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
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
  requests_per_second = 0
}
resource "entrupy_integration_user" "device" {
  unique_user_id = "device-user-01"
  email          = "device@example.com"
  first_name     = "Dev"
}
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-123"
  unique_user_id            = entrupy_integration_user.device.id
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

// TestAccSDKAuthorization_neverCreatesUsers: signing for a user that does not
// exist fails at plan with a pointer to entrupy_integration_user, and creates
// nothing; values that differ from the user's are refused by attribute.
func TestAccSDKAuthorization_neverCreatesUsers(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	if _, err := emu.Client(t).Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "known-user-01", Email: "known@example.com", FirstName: "Kim"}); err != nil {
		t.Fatal(err)
	}
	emu.ResetCounts()
	sign := func(attrs string) string {
		return providerBlock(emu) + `
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-xyz"
  ` + attrs + `
}
`
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureEphemeral},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      sign(`unique_user_id = "unknown-user-01"` + "\n  email = \"new@example.com\"\n  first_name = \"New\""),
				ExpectError: regexp.MustCompile(`(?s)No such integration user.*entrupy_integration_user\.this\.id`),
			},
			{
				Config:      sign(`unique_user_id = "known-user-01"` + "\n  email = \"other@example.com\""),
				ExpectError: regexp.MustCompile(`(?s)Value differs from the integration user's.*has email\s+"known@example.com"`),
			},
			{
				Config:      sign(`unique_user_id = "known-user-01"` + "\n  email = \"known@example.com\"\n  last_name = \"Other\""),
				ExpectError: regexp.MustCompile(`(?s)Value differs from the integration user's.*has no last_name, not "Other"`),
			},
		},
	})
	inv := emu.Inventory()
	if len(inv.Users) != 1 || inv.Users[0].LastName != "" {
		t.Fatalf("users after signing attempts: %+v", inv.Users)
	}
	if w := emu.Writes(); w != 0 {
		t.Fatalf("signing attempts made %d writes", w)
	}
}

// TestAccSDKAuthorization_deactivated: a user deactivated after the provider
// read it, so that authorize-user answers 409, gets the guidance the
// integration user resource gives for a deactivated user.
func TestAccSDKAuthorization_deactivated(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	client := emu.Client(t)
	const uid = "leaving-user-01"
	if _, err := client.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: uid, Email: "leaving@example.com"}); err != nil {
		t.Fatal(err)
	}
	// In front of the emulator: the first authorize-user finds the user
	// deactivated, as when it is destroyed while a plan runs.
	var deactivated atomic.Bool
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == entrupy.PathAuthorizeUser && deactivated.CompareAndSwap(false, true) {
			if err := client.Users.Delete(r.Context(), uid); err != nil {
				t.Errorf("deactivating %s: %v", uid, err)
			}
		}
		emu.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureEphemeral},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(&testsupport.Emulator{URL: front.URL, Token: emu.Token}) + `
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-409"
  unique_user_id            = "` + uid + `"
}
`,
			ExpectError: expectError(`Integration user was deactivated .* Entrupy already had a user "` + uid + `", and it was deactivated .* ` +
				`A deactivated unique_user_id can never be created or signed for again: choose a new unique_user_id, manage that user with an entrupy_integration_user resource, and refer to it \(unique_user_id = entrupy_integration_user.this.id\)\. .*409`),
		}},
	})
	if !deactivated.Load() || emu.Statuses()[http.StatusConflict] != 1 {
		t.Fatalf("authorize-user was not answered 409 once: statuses %v", emu.Statuses())
	}
}
