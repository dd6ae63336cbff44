package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const userAddr = "entrupy_integration_user.test"

func userConfig(e *testsupport.Emulator, body string) string {
	return providerBlock(e) + "resource \"entrupy_integration_user\" \"test\" {\n" + body + "\n}\n"
}

func TestAccIntegrationUser_lifecycle(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	base := `
  unique_user_id = "store-berlin-07"
  first_name     = "Ada"
  last_name      = "Lovelace"
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			inv := emu.Inventory()
			if len(inv.Users) != 0 || !slices.Contains(inv.DeactivatedUsers, "store-berlin-07") {
				return fmt.Errorf("after destroy: active %v, deactivated %v", inv.Users, inv.DeactivatedUsers)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:           userConfig(emu, base+`  email = "ada@example.com"`),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("id"), knownvalue.StringExact("store-berlin-07")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("username"), knownvalue.StringExact("Acme-store-berlin-07")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("first_name"), knownvalue.StringExact("Ada")),
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
			},
			{ResourceName: userAddr, ImportState: true, ImportStateVerify: true},
			{
				Config:           userConfig(emu, base+`  email = "ada.l@example.com"`),
				ConfigPlanChecks: plansAction(userAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(userAddr, tfjsonpath.New("email"), knownvalue.StringExact("ada.l@example.com")),
				},
			},
			{
				Config:      userConfig(emu, strings.Replace(base, "Ada", "Augusta", 1)+`  email = "ada.l@example.com"`),
				ExpectError: expectError(`Entrupy names are write-once.*"store-berlin-07" was created with "Ada".*new unique_user_id`),
			},
			{
				// Leaving the names out accepts what Entrupy has: no diff.
				Config:           userConfig(emu, `  unique_user_id = "store-berlin-07"`+"\n"+`  email = "ada.l@example.com"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

func TestAccIntegrationUser_drift(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	c := emu.Client(t)
	cfg := userConfig(emu, `
  unique_user_id = "drifting-user"
  email          = "d@example.com"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply()},
			{
				// An email changed outside Terraform is a diff, applied back.
				PreConfig: func() {
					if _, err := c.Users.UpdateEmail(context.Background(), "drifting-user", "changed@example.com"); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(userAddr, plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error {
					if u := emu.Inventory().Users; len(u) != 1 || u[0].Email != "d@example.com" {
						return fmt.Errorf("email not restored: %+v", u)
					}
					return nil
				},
			},
			{
				// Deactivated behind Terraform's back: refresh drops it.
				PreConfig: func() {
					if err := c.Users.Delete(context.Background(), "drifting-user"); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: func(s *terraform.State) error {
					if _, ok := s.RootModule().Resources[userAddr]; ok {
						return fmt.Errorf("deactivated user still in state")
					}
					return nil
				},
			},
			{
				// Creating it again is refused by Entrupy: the id is spent.
				Config:      cfg,
				ExpectError: expectError(`Integration user was deactivated.*"drifting-user".*choose a new unique_user_id`),
			},
			{Config: providerBlock(emu)},
		},
	})
}

func TestAccIntegrationUser_existsAlready(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	if _, err := emu.Client(t).Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-made-user", Email: "s@example.com"}); err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      userConfig(emu, `  unique_user_id = "sdk-made-user"`+"\n"+`  email = "s@example.com"`),
			ExpectError: expectError(`Integration user already exists.*made outside this provider.*to = entrupy_integration_user\.NAME[\s│]+id = "sdk-made-user"`),
		}},
	})
}

func TestAccIntegrationUser_dataSources(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(emu) + `
resource "entrupy_integration_user" "a" {
  unique_user_id = "store-aaa-01"
  email          = "a@shop.example.com"
  first_name     = "Ann"
}
resource "entrupy_integration_user" "b" {
  unique_user_id = "store-bbb-02"
  email          = "b@other.example.org"
}
resource "entrupy_integration_user" "c" {
  unique_user_id = "warehouse-03"
  email          = "c@SHOP.example.com"
}
data "entrupy_integration_user" "a" {
  unique_user_id = entrupy_integration_user.a.unique_user_id
}
data "entrupy_integration_users" "shop" {
  email_suffix = "@shop.example.com"
  depends_on   = [entrupy_integration_user.a, entrupy_integration_user.b, entrupy_integration_user.c]
}
data "entrupy_integration_users" "stores" {
  username_prefix = "Acme-store-"
  depends_on      = [entrupy_integration_user.a, entrupy_integration_user.b, entrupy_integration_user.c]
}
data "entrupy_integration_users" "all" {
  depends_on = [entrupy_integration_user.a, entrupy_integration_user.b, entrupy_integration_user.c]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entrupy_integration_user.a", tfjsonpath.New("first_name"), knownvalue.StringExact("Ann")),
					statecheck.ExpectKnownValue("data.entrupy_integration_user.a", tfjsonpath.New("last_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.entrupy_integration_user.a", tfjsonpath.New("username"), knownvalue.StringExact("Acme-store-aaa-01")),
					statecheck.ExpectKnownValue("data.entrupy_integration_users.shop", tfjsonpath.New("usernames"), knownvalue.SetExact([]knownvalue.Check{
						knownvalue.StringExact("Acme-store-aaa-01"), knownvalue.StringExact("Acme-warehouse-03"),
					})),
					statecheck.ExpectKnownValue("data.entrupy_integration_users.stores", tfjsonpath.New("users"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.entrupy_integration_users.all", tfjsonpath.New("users"), knownvalue.ListSizeExact(3)),
				},
			},
			{
				Config:      providerBlock(emu) + `data "entrupy_integration_user" "x" { unique_user_id = "never-existed" }`,
				ExpectError: regexp.MustCompile(`(?s)Integration user not found.*"never-existed"`),
			},
		},
	})
}

// TestAccIntegrationUser_fiftyUnderRateLimit: 50 users in one apply with
// -parallelism=10 against the emulator's 10 requests/second limit: no
// error, no 429, and at most one create and one read per user.
func TestAccIntegrationUser_fiftyUnderRateLimit(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{RateLimit: 10})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {} # the default 10 requests/second

resource "entrupy_integration_user" "many" {
  count          = 50
  unique_user_id = format("bulk-user-%03d", count.index)
  email          = format("bulk%03d@example.com", count.index)
}
`)
	emu.ResetCounts()
	run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	counts, statuses := emu.Counts(), emu.Statuses()
	if n := len(emu.Inventory().Users); n != 50 {
		t.Fatalf("%d users, want 50", n)
	}
	if c := counts["POST /v2/integrations/users"]; c != 50 {
		t.Errorf("%d creates for 50 users", c)
	}
	if r := counts["GET /v2/integrations/users/{unique_user_id}"]; r > 50 {
		t.Errorf("%d reads for 50 users", r)
	}
	for status, n := range statuses {
		if status != 200 && status != 201 {
			t.Errorf("%d answers with status %d during the apply", n, status)
		}
	}
	t.Logf("apply of 50 users: requests %v, statuses %v", counts, statuses)
	run.terraform(nil, "destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if inv := emu.Inventory(); len(inv.Users) != 0 || len(inv.DeactivatedUsers) != 50 {
		t.Fatalf("after destroy: %d active, %d deactivated", len(inv.Users), len(inv.DeactivatedUsers))
	}
}

// TestIntegrationUserPlan_deactivationWarning: a plan that destroys or
// replaces a user warns that this is permanent; a plan that changes only
// the email does not.
func TestIntegrationUserPlan_deactivationWarning(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	p := newProtoProvider(t, emu, nil)
	prior := map[string]tftypes.Value{
		"id": str("warn-user-0001"), "unique_user_id": str("warn-user-0001"), "email": str("w@shop.example.com"),
		"username": str("Acme-warn-user-0001"), "created_at": str("2026-01-01T00:00:00Z"),
	}
	computed := []string{"id", "first_name", "last_name", "username", "created_at"}
	cfg := func(uid, email string) map[string]tftypes.Value {
		return map[string]tftypes.Value{"unique_user_id": str(uid), "email": str(email)}
	}
	warning := `WARNING: Destroying an integration user is permanent: This plan %s integration user "warn-user-0001" \(username Acme-warn-user-0001\)\. ` +
		`Destroying a user deactivates it at Entrupy for good: its unique_user_id can never be created again, and its SDK logins stop.*for_each.*removed block`

	resp := p.plan("entrupy_integration_user", prior, nil)
	if text := diagText(resp.Diagnostics); hasErrors(resp.Diagnostics) || !expectError(fmt.Sprintf(warning, "destroys")).MatchString(text) {
		t.Errorf("destroy: %s", text)
	}
	resp = p.plan("entrupy_integration_user", prior, cfg("warn-user-0002", "w@shop.example.com"), computed...)
	if text := diagText(resp.Diagnostics); hasErrors(resp.Diagnostics) || len(resp.RequiresReplace) != 1 || !expectError(fmt.Sprintf(warning, "replaces")).MatchString(text) {
		t.Errorf("replace (%v): %s", resp.RequiresReplace, text)
	}
	resp = p.plan("entrupy_integration_user", prior, cfg("warn-user-0001", "new@shop.example.com"), computed...)
	if len(resp.Diagnostics) > 0 || len(resp.RequiresReplace) > 0 {
		t.Errorf("email change: %v %s", resp.RequiresReplace, diagText(resp.Diagnostics))
	}
}
