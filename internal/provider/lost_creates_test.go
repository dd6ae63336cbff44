package provider

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// Lost creates: whatever interrupts a create (an answer lost after Entrupy
// committed it, terraform killed, a run of faults), the next apply makes no
// duplicate and takes nothing over. It stops at each object that exists
// without a state holding it, with an "already exists" error naming the
// object and its import block; pasting those blocks and applying again
// converges: Entrupy's objects equal the state's, and the plan is empty.

// lostResources is n users and n webhooks.
func lostResources(n int) string {
	return fmt.Sprintf(`
resource "entrupy_integration_user" "u" {
  count          = %d
  unique_user_id = format("lost-user-%%03d", count.index)
  email          = format("lost%%03d@example.com", count.index)
  first_name     = "Lost"
}
resource "entrupy_webhook" "w" {
  count     = %d
  url       = format("https://hooks.example.com/lost/%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "lost-secret"
}
`, n, n)
}

// cliConfigWith is a root module for the CLI runs: the provider block's
// body and the resources.
func cliConfigWith(providerBody, resources string) string {
	return `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
` + providerBody + `
}
` + resources
}

// existsError is one "already exists" error of a failed apply: the
// resource address Terraform printed with it and the import block's id.
type existsError struct{ address, id string }

var (
	diagBox       = strings.NewReplacer("│", "", "╷", "", "╵", "")
	diagWith      = regexp.MustCompile(`(?m)^\s*with ([^,\s]+),`)
	diagImportTo  = regexp.MustCompile(`to = (entrupy_\w+)\.NAME\s+id = "([^"]+)"`)
	existsSummary = regexp.MustCompile(`^(A webhook for this URL already exists|Integration user already exists)\s*$`)
)

// alreadyExists reads the errors in a failed command's output. Each must be
// an "already exists" error with an import block, for the address printed
// with it; any other error fails the test.
func alreadyExists(t *testing.T, out string) []existsError {
	t.Helper()
	var found []existsError
	chunks := strings.Split(diagBox.Replace(out), "Error: ")
	for _, chunk := range chunks[1:] {
		summary, _, _ := strings.Cut(chunk, "\n")
		with := diagWith.FindStringSubmatch(chunk)
		imp := diagImportTo.FindStringSubmatch(chunk)
		if !existsSummary.MatchString(summary) || with == nil || imp == nil || !strings.HasPrefix(with[1], imp[1]+".") {
			t.Fatalf("an error that is not an \"already exists\" with its import block:\nError: %s\n\nwhole output:\n%s", chunk, out)
		}
		found = append(found, existsError{address: with[1], id: imp[2]})
	}
	return found
}

// pasteImports adds an import block for each error to the root module, as a
// user pastes them from the apply's output.
func (c *cliRun) pasteImports(errs []existsError) {
	c.t.Helper()
	f, err := os.OpenFile(filepath.Join(c.dir, "imports.tf"), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		c.t.Fatal(err)
	}
	var blocks strings.Builder
	for _, e := range errs {
		fmt.Fprintf(&blocks, "import {\n  to = %s\n  id = %q\n}\n", e.address, e.id)
	}
	if _, err := f.WriteString(blocks.String()); err != nil {
		c.t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		c.t.Fatal(err)
	}
}

// recover runs apply until it succeeds, pasting the import blocks of each
// failed apply's "already exists" errors (at most rounds applies). It
// returns how many objects were imported.
func (c *cliRun) recover(rounds int) int {
	c.t.Helper()
	imported := 0
	for range rounds {
		var out bytes.Buffer
		if err := c.command(&out, nil, batch("apply", "-auto-approve", "-parallelism=4")...).Run(); err == nil {
			return imported
		}
		errs := alreadyExists(c.t, out.String())
		if len(errs) == 0 {
			c.t.Fatalf("apply failed without an error:\n%s", out.String())
		}
		c.pasteImports(errs)
		imported += len(errs)
	}
	c.t.Fatalf("apply still fails after %d rounds", rounds)
	return imported
}

// converged checks that Entrupy holds exactly what state records (n of
// each, no orphan, no duplicate url) and that a plan shows no change.
func (c *cliRun) converged(emu *testsupport.Emulator, n int) {
	c.t.Helper()
	if err := emu.InventoryMatchesState(c.idsInState("entrupy_webhook"), c.idsInState("entrupy_integration_user"), n); err != nil {
		c.t.Fatal(err)
	}
	urls := map[string]int{}
	for _, wh := range emu.Inventory().Webhooks {
		if urls[wh.URL]++; urls[wh.URL] > 1 {
			c.t.Fatalf("Entrupy holds two webhooks for %s", wh.URL)
		}
	}
	c.planEmpty(nil)
}

// TestAccLostCreates_answersLost: every create's answer is lost after
// Entrupy committed it (a 500, or a reset connection), with max_retries = 0.
// The apply says each object may have been made; the next one stops at
// each with "already exists" and its import block, and creates nothing;
// with the blocks pasted, the apply after converges.
func TestAccLostCreates_answersLost(t *testing.T) {
	for name, fault := range map[string]emulator.Fault{"500 after commit": emulator.Fail500After, "reset after commit": emulator.ResetAfter} {
		t.Run(name, func(t *testing.T) {
			const n = 3
			emu := testsupport.StartEmulator(t, emulator.Options{})
			run := newCLIRun(t, emu, cliConfigWith("  max_retries = 0", lostResources(n)))
			for range 4 * n { // more than the creates (Go's transport resends a reset keyed request once)
				emu.FailNext("POST /v2/webhooks", fault)
				emu.FailNext("POST /v2/integrations/users", fault)
			}
			out := diagBox.Replace(run.fails(nil, "apply", "-auto-approve"))
			if got := strings.Count(out, "Error: The webhook may have been created") + strings.Count(out, "Error: The integration user may have been created"); got != 2*n {
				t.Fatalf("%d errors say the object may have been created, want %d:\n%s", got, 2*n, out)
			}
			for _, want := range []string{"Run terraform apply again", `"already exists"`, "import block"} {
				if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
					t.Fatalf("the lost creates' errors do not say %q:\n%s", want, out)
				}
			}
			inv := emu.Inventory()
			if len(inv.Webhooks) != n || len(inv.Users) != n || len(run.idsInState("entrupy_webhook")) != 0 {
				t.Fatalf("after the lost creates Entrupy holds %d webhooks and %d users (want %d each), state %v", len(inv.Webhooks), len(inv.Users), n, run.idsInState("entrupy_webhook"))
			}
			emu.ClearFaults()

			errs := alreadyExists(t, run.fails(nil, "apply", "-auto-approve"))
			if len(errs) != 2*n {
				t.Fatalf("the re-apply names %d objects, want %d: %v", len(errs), 2*n, errs)
			}
			if after := emu.Inventory(); len(after.Webhooks) != n || len(after.Users) != n {
				t.Fatalf("the re-apply created objects: %d webhooks, %d users", len(after.Webhooks), len(after.Users))
			}
			run.pasteImports(errs)
			run.run(nil, "apply", "-auto-approve")
			run.converged(emu, n)
		})
	}
}

// TestAccLostCreates_faultSeed: applies under random 500s and resets that
// strike after the commit (a fixed seed), with max_retries = 0, until they
// have left objects no state records; then the faults stop, and the
// re-applies converge by imports alone.
func TestAccLostCreates_faultSeed(t *testing.T) {
	const n = 12
	emu := testsupport.StartEmulator(t, emulator.Options{FaultRate5xx: 0.15, FaultRateReset: 0.1, AfterCommitShare: 1, FaultSeed: 27})
	run := newCLIRun(t, emu, cliConfigWith("  max_retries = 0", lostResources(n)))
	orphans := func() int {
		inv := emu.Inventory()
		return len(inv.Webhooks) + len(inv.Users) - len(run.idsInState("entrupy_webhook")) - len(run.idsInState("entrupy_integration_user"))
	}
	for i := 0; i < 5 && orphans() == 0; i++ {
		out := run.fails(nil, "apply", "-auto-approve", "-parallelism=4")
		t.Logf("apply %d under faults: %d errors, %d objects outside state", i+1, strings.Count(out, "Error: "), orphans())
	}
	emu.StopRandomFaults()
	orphaned := orphans()
	if orphaned == 0 {
		t.Fatal("the faults left no object outside state: nothing was tested")
	}
	if imported := run.recover(3); imported != orphaned {
		t.Fatalf("imported %d objects, want the %d the faults left", imported, orphaned)
	}
	run.converged(emu, n)
}

// TestAccLostCreates_killed: terraform killed with SIGKILL at several
// moments of an apply (the provider dies with it), and the provider itself
// killed (a crash) in another, each apply carrying on from the last. Every
// kill may leave objects no state records; the next applies stop at exactly
// those (every error an "already exists"), and converge once their import
// blocks are pasted.
func TestAccLostCreates_killed(t *testing.T) {
	const n = 12
	// Each answer comes 400 ms after its commit: a kill lands between the
	// commit and the answer for every create in flight.
	emu := testsupport.StartEmulator(t, emulator.Options{ResponseDelay: 400 * time.Millisecond})
	run := newCLIRun(t, emu, cliConfigWith("", lostResources(n)))
	committed := func() int {
		inv := emu.Inventory()
		return len(inv.Webhooks) + len(inv.Users)
	}
	orphaned := false
	for i, moment := range []struct {
		atLeast int
		victim  string
	}{{1, "terraform"}, {n, "provider"}, {n + n/2, "terraform"}} {
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
		time.Sleep(500 * time.Millisecond)                    // the answers in flight land
		recorded := len(run.idsInState("entrupy_webhook")) + len(run.idsInState("entrupy_integration_user"))
		t.Logf("kill %d (%s at %d committed): apply ended with %v; Entrupy holds %d objects, state %d",
			i+1, moment.victim, moment.atLeast, err, committed(), recorded)
		if committed() > recorded {
			orphaned = true
		}
		if committed() > 2*n {
			t.Fatalf("Entrupy holds %d objects for %d resources: a duplicate", committed(), 2*n)
		}
	}
	if !orphaned {
		t.Fatal("no kill left an object that state does not record: nothing was tested")
	}
	run.recover(3)
	run.converged(emu, n)
	run.run(nil, "destroy", "-auto-approve")
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

// TestAccLostCreates_neverTakesOver: a webhook made by hand for the same
// url, or a user made outside Terraform, is never taken over: the apply
// stops naming it, with the import block, and changes nothing.
func TestAccLostCreates_neverTakesOver(t *testing.T) {
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
				ExpectError: regexp.MustCompile(`(?s)A webhook for this URL already exists.*` + byHand.ID + `.*made\s+outside\s+this\s+provider.*to = entrupy_webhook\.NAME[\s│]+id = "` + byHand.ID + `"`),
			},
			{
				Config: providerBlock(emu) + `
resource "entrupy_integration_user" "u" {
  unique_user_id = "by-hand-user"
  email          = "other@example.com"
}`,
				ExpectError: regexp.MustCompile(`(?s)Integration user already exists.*made\s+outside\s+this\s+provider.*to = entrupy_integration_user\.NAME[\s│]+id = "by-hand-user"`),
			},
		},
	})
	inv := emu.Inventory()
	if len(inv.Webhooks) != 1 || len(inv.Webhooks[0].Metadata) != 0 || len(inv.Users) != 1 || inv.Users[0].Email != "h@example.com" {
		t.Fatalf("what was made by hand was touched or duplicated: %+v", inv)
	}
}

// TestAccLostCreates_oneWebhookPerURL: two resources for one url make one
// webhook; the other stops naming it, in every apply.
func TestAccLostCreates_oneWebhookPerURL(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	config := providerBlock(emu) + `
resource "entrupy_webhook" "same" {
  count     = 2
  url       = "https://hooks.example.com/same"
  events    = ["session.completed"]
  secret_wo = "same-secret"
}
`
	one := func() {
		if hooks := emu.Inventory().Webhooks; len(hooks) != 1 {
			t.Fatalf("two resources for one url made %d webhooks, want 1", len(hooks))
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, ExpectError: regexp.MustCompile(`A webhook for this URL already exists`)},
			{PreConfig: one, Config: config, ExpectError: regexp.MustCompile(`A webhook for this URL already exists`)},
			{PreConfig: one, Config: config, PlanOnly: true, ExpectNonEmptyPlan: true},
		},
	})
}

// TestAccNothingLeftInTMPDIR: an apply, a plan and a destroy leave nothing
// of the provider's in TMPDIR: it keeps no files about creates or states.
func TestAccNothingLeftInTMPDIR(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, cliConfigWith("", lostResources(2)))
	tmp := t.TempDir()
	env := []string{"TMPDIR=" + tmp}
	run.run(env, "apply", "-auto-approve")
	run.run(env, "plan")
	run.run(env, "destroy", "-auto-approve")
	var left []string
	err := filepath.WalkDir(tmp, func(p string, d os.DirEntry, err error) error {
		if err != nil || p == tmp {
			return err
		}
		rel, _ := filepath.Rel(tmp, p)
		// The rate timeline shared by the processes on one token (ratelimit.go).
		if rel == "terraform-provider-entrupy" || strings.HasPrefix(rel, filepath.Join("terraform-provider-entrupy", "rate-")) {
			return nil
		}
		left = append(left, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Fatalf("left in TMPDIR after apply, plan and destroy: %v", left)
	}
}
