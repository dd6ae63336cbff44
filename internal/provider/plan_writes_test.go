package provider

import (
	"bytes"
	"context"
	"fmt"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccPlanMakesNoWrites: `terraform plan` of a configuration that uses
// every resource, every data source and the ephemeral resource creates,
// changes and deletes nothing in Entrupy, before the first apply and after
// it (refresh included); the emulator's write counter proves it.
func TestAccPlanMakesNoWrites(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	item := seedItem(t, func(it entrupy.Item) bool {
		return val(it.Status.Result.ID) == "authentic" && it.TextFields.CustomerItemID != nil
	})
	c := emu.Client(t)
	// Objects that exist before this configuration: a user for the ephemeral
	// resource to sign for, and a webhook for the webhook data source.
	if _, err := c.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "device-user-01", Email: "device@example.com"}); err != nil {
		t.Fatal(err)
	}
	existing, err := c.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: "https://hooks.example.com/existing", SecretKey: "x", Events: []string{entrupy.EventSessionCompleted}})
	if err != nil {
		t.Fatal(err)
	}
	run := newCLIRun(t, emu, fmt.Sprintf(`
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {}

resource "entrupy_integration_user" "store" {
  unique_user_id = "store-user-01"
  email          = "store@example.com"
  first_name     = "Store"
}
resource "entrupy_webhook" "results" {
  url       = "https://hooks.example.com/results"
  events    = ["session.completed"]
  username  = entrupy_integration_user.store.username
  secret_wo = "results-secret"
}
ephemeral "entrupy_sdk_authorization" "device" {
  sdk_authorization_request = "device-request-001"
  unique_user_id            = "device-user-01"
}
resource "entrupy_webhook" "signed" {
  url               = "https://hooks.example.com/signed"
  events            = ["support.message"]
  secret_wo         = ephemeral.entrupy_sdk_authorization.device.signed_authorization_request
  secret_wo_version = 1
}
data "entrupy_authentication" "one" {
  entrupy_id     = %[1]q
  include_images = true
}
data "entrupy_authentication" "by_sku" {
  customer_item_id = %[2]q
}
data "entrupy_authentications" "authentic" {
  results   = ["authentic"]
  max_items = 30
}
data "entrupy_certificate" "one" {
  entrupy_id = %[1]q
}
data "entrupy_catalog" "all" {}
data "entrupy_webhook" "existing" {
  id = %[3]q
}
data "entrupy_webhooks" "all" {}
data "entrupy_integration_user" "device" {
  unique_user_id = "device-user-01"
}
data "entrupy_integration_users" "all" {}
`, item.EntrupyID, *item.TextFields.CustomerItemID, existing.ID))

	plan := func(when string, wantExit int) {
		t.Helper()
		emu.ResetCounts()
		var out bytes.Buffer
		cmd := run.command(&out, nil, "plan", "-detailed-exitcode", "-input=false", "-no-color")
		err := cmd.Run()
		if got := cmd.ProcessState.ExitCode(); got != wantExit {
			t.Fatalf("plan %s: exit %d (%v), want %d:\n%s", when, got, err, wantExit, out.String())
		}
		if w := emu.Writes(); w != 0 {
			t.Fatalf("plan %s made %d write requests; requests: %v", when, w, emu.Counts())
		}
		if emu.Count("POST /v2/integrations/authorize-user") == 0 {
			t.Fatalf("plan %s did not open the ephemeral resource, so it tested nothing of it: %v", when, emu.Counts())
		}
		t.Logf("plan %s: no writes among %v", when, emu.Counts())
	}
	plan("before the first apply", 2) // 2: changes to make
	run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if emu.Writes() == 0 {
		t.Fatal("the apply wrote nothing: the write counter counts nothing")
	}
	plan("after apply", 0) // refresh of every resource, nothing to change
}
