package provider

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// Exactly-once creates: whatever interrupts a create, the next apply ends
// with one Entrupy object per resource, inventory equal to state.

// onceResources is n users and n webhooks.
func onceResources(n int) string {
	return fmt.Sprintf(`
resource "entrupy_integration_user" "u" {
  count          = %d
  unique_user_id = format("once-user-%%03d", count.index)
  email          = format("once%%03d@example.com", count.index)
  first_name     = "Once"
}
resource "entrupy_webhook" "w" {
  count     = %d
  url       = format("https://hooks.example.com/once/%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "once-secret"
}
`, n, n)
}

// TestAccExactlyOnce_lostAnswers: creates whose every answer is lost (500s
// struck after the commit, connections reset after the commit) fail the
// apply; the next apply adopts what they made instead of creating it again
// (for a user: instead of stopping with "already exists").
func TestAccExactlyOnce_lostAnswers(t *testing.T) {
	for name, fault := range map[string]emulator.Fault{"500 after commit": emulator.Fail500After, "reset after commit": emulator.ResetAfter} {
		t.Run(name, func(t *testing.T) {
			emu := testsupport.StartEmulator(t, emulator.Options{})
			lose := func() {
				// More faults than one create's attempts (max_retries = 1, and
				// Go's transport retries a reset keyed request once itself).
				for range 12 {
					emu.FailNext("POST /v2/webhooks", fault)
					emu.FailNext("POST /v2/integrations/users", fault)
				}
			}
			config := providerBlock(emu, "max_retries = 1") + onceResources(3)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{
						PreConfig:   lose,
						Config:      config,
						ExpectError: regexp.MustCompile(`Cannot create (webhook|integration user)`),
					},
					{
						PreConfig: emu.ClearFaults,
						Config:    config,
						Check: func(s *terraform.State) error {
							return emu.InventoryMatchesState(testsupport.IDsInState(s, "entrupy_webhook"), testsupport.IDsInState(s, "entrupy_integration_user"), 3)
						},
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

// TestAccExactlyOnce_identicalAndRecreate: identical resources stay separate
// objects, in one apply and when one more is added later; a destroy followed
// by an apply of the same configuration creates fresh objects.
func TestAccExactlyOnce_identicalAndRecreate(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	identical := func(n int) string {
		return providerBlock(emu) + fmt.Sprintf(`
resource "entrupy_webhook" "same" {
  count     = %d
  url       = "https://hooks.example.com/same"
  events    = ["session.completed"]
  secret_wo = "same-secret"
}
`, n)
	}
	var first []string
	distinct := func(n int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			ids := testsupport.IDsInState(s, "entrupy_webhook")
			if len(slices.Compact(slices.Clone(ids))) != n {
				return fmt.Errorf("want %d distinct webhooks in state, got %v", n, ids)
			}
			if got := len(emu.Inventory().Webhooks); got != n {
				return fmt.Errorf("Entrupy holds %d webhooks, want %d", got, n)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: identical(2), Check: distinct(2)},
			{Config: identical(3), Check: resource.ComposeTestCheckFunc(distinct(3), func(s *terraform.State) error {
				first = testsupport.IDsInState(s, "entrupy_webhook")
				return nil
			})},
			{Config: identical(3), Destroy: true},
			{Config: identical(3), Check: resource.ComposeTestCheckFunc(distinct(3), func(s *terraform.State) error {
				for _, id := range testsupport.IDsInState(s, "entrupy_webhook") {
					if slices.Contains(first, id) {
						return fmt.Errorf("webhook %s came back after destroy; a new apply must create fresh ones", id)
					}
				}
				return nil
			})},
		},
	})
}

// TestAccExactlyOnce_neverTakesOverForeign: a webhook made by hand for the
// same url, or a user made outside Terraform, is never taken over: the apply
// stops naming it, with the import command.
func TestAccExactlyOnce_neverTakesOverForeign(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	c := emu.Client(t)
	byHand, err := c.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: "https://hooks.example.com/taken", SecretKey: "x", Events: []string{"session.completed"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "by-hand-user", Email: "h@example.com"}); err != nil {
		t.Fatal(err)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(emu) + `
resource "entrupy_webhook" "w" {
  url       = "https://hooks.example.com/taken"
  events    = ["session.completed"]
  secret_wo = "mine"
}`,
				ExpectError: regexp.MustCompile(`(?s)A webhook for this URL already exists.*` + byHand.ID + `.*made\s+outside\s+Terraform.*to = entrupy_webhook\.NAME[\s│]+id = "` + byHand.ID + `"`),
			},
			{
				Config: providerBlock(emu) + `
resource "entrupy_integration_user" "u" {
  unique_user_id = "by-hand-user"
  email          = "h@example.com"
}`,
				ExpectError: regexp.MustCompile(`(?s)Integration user already exists.*made\s+outside\s+Terraform.*to = entrupy_integration_user\.NAME[\s│]+id = "by-hand-user"`),
			},
		},
	})
	if inv := emu.Inventory(); len(inv.Webhooks) != 1 || inv.Webhooks[0].Metadata[entrupy.MarkerKey] != "" {
		t.Fatalf("the hand-made webhook was touched or duplicated: %+v", inv.Webhooks)
	}
}

// TestAccExactlyOnce_killed: terraform killed with SIGKILL at several
// moments of a real CLI apply (the provider dies with it), and the provider
// itself killed (a crash) in the middle of another: each next apply carries
// on, and the last one ends with inventory equal to state, no duplicate.
func TestAccExactlyOnce_killed(t *testing.T) {
	const n = 12
	// Each answer comes 400 ms after its commit: a kill lands between the
	// commit and the answer for every create in flight.
	emu := testsupport.StartEmulator(t, emulator.Options{ResponseDelay: 400 * time.Millisecond})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {}
`+onceResources(n))
	committed := func() int {
		inv := emu.Inventory()
		return len(inv.Webhooks) + len(inv.Users)
	}
	orphaned := false
	// Moments: as the first creates commit, about halfway, and late (while
	// the last creates and the done markers are in flight).
	for i, moment := range []struct {
		atLeast int
		victim  string
	}{{1, "terraform"}, {n, "provider"}, {n + n/2, "terraform"}, {2*n - 1, "terraform"}} {
		var out bytes.Buffer
		apply := run.command(&out, nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")
		apply.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := apply.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(60 * time.Second)
		for committed() < moment.atLeast && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if moment.victim == "provider" {
			killProvider(t, apply.Process.Pid)
		} else {
			_ = apply.Process.Signal(syscall.SIGKILL)
		}
		err := apply.Wait()
		_ = syscall.Kill(-apply.Process.Pid, syscall.SIGKILL) // anything left of the group
		recorded := len(run.idsInState("entrupy_webhook")) + len(run.idsInState("entrupy_integration_user"))
		t.Logf("kill %d (%s at %d committed): apply ended with %v; Entrupy holds %d objects, state %d",
			i+1, moment.victim, moment.atLeast, err, committed(), recorded)
		if committed() > recorded {
			orphaned = true
		}
		if err == nil && moment.victim == "terraform" {
			t.Logf("apply finished before the kill:\n%s", out.String())
		}
	}
	if !orphaned {
		t.Fatal("no kill left an object that state does not record: nothing was tested")
	}
	run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=4")
	if err := emu.InventoryMatchesState(run.idsInState("entrupy_webhook"), run.idsInState("entrupy_integration_user"), n); err != nil {
		t.Fatal(err)
	}
	// And the configuration is settled: a plan shows no change.
	var out bytes.Buffer
	plan := run.command(&out, nil, "plan", "-detailed-exitcode", "-input=false", "-no-color")
	if err := plan.Run(); err != nil {
		t.Fatalf("plan after recovery is not empty (%v):\n%s", err, out.String())
	}
	run.terraform(nil, "destroy", "-auto-approve", "-input=false", "-no-color")
	if inv := emu.Inventory(); len(inv.Webhooks) != 0 || len(inv.Users) != 0 {
		t.Fatalf("left after destroy: %d webhooks, %d users", len(inv.Webhooks), len(inv.Users))
	}
}

// killProvider kills (SIGKILL) the provider plugin that terraform (pid)
// started: a provider crash as Terraform sees it.
func killProvider(t *testing.T, pid int) {
	t.Helper()
	out, err := exec.Command("pgrep", "-P", strconv.Itoa(pid), "-f", "terraform-provider-entrupy").Output()
	if err != nil {
		t.Logf("no provider process under terraform %d to kill: %v", pid, err)
		return
	}
	for _, f := range strings.Fields(string(out)) {
		if p, err := strconv.Atoi(f); err == nil {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
	}
}
