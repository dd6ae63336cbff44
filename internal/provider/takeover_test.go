package provider

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// No takeovers: runs that once handed one state's objects to another, each
// runner with its own TMPDIR as CI runners have. The second configuration
// gets an error naming the existing object, never a second webhook for its
// url; the first one's objects survive the second's destroy, and its next
// plan is empty.

// runnerEnv is the environment of one CI runner: its own TMPDIR.
func runnerEnv(t *testing.T) []string { return []string{"TMPDIR=" + t.TempDir()} }

// takeoverConfig is a root module with backend (a backend block body, or ""
// for none) and resources.
func takeoverConfig(backend, resources string) string {
	b := ""
	if backend != "" {
		b = "\n  backend \"local\" {" + backend + "}"
	}
	return `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }` + b + `
}
provider "entrupy" {
  max_retries = 1
}
` + resources
}

func takeoverWebhook(name string) string {
	return fmt.Sprintf(`
resource "entrupy_webhook" %q {
  url       = "https://hooks.example.com/shared-receiver"
  events    = ["session.completed"]
  secret_wo = "shared-secret"
}
`, name)
}

const takeoverUser = `
resource "entrupy_integration_user" "u" {
  unique_user_id = "team-shared-01"
  email          = "shared@example.com"
  first_name     = "Shared"
}
`

// batch is a terraform command and its arguments with the flags of a run
// without a terminal (before any positional argument).
func batch(cmd string, args ...string) []string {
	return append([]string{cmd, "-input=false", "-no-color"}, args...)
}

// run is one terraform command that must succeed.
func (c *cliRun) run(env []string, cmd string, args ...string) {
	c.t.Helper()
	c.terraform(env, batch(cmd, args...)...)
}

// fails runs one terraform command that must fail, and returns its output.
func (c *cliRun) fails(env []string, cmd string, args ...string) string {
	c.t.Helper()
	var out bytes.Buffer
	if err := c.command(&out, env, batch(cmd, args...)...).Run(); err == nil {
		c.t.Fatalf("terraform %s %s succeeded, want an error:\n%s", cmd, strings.Join(args, " "), out.String())
	}
	return out.String()
}

// planEmpty fails the test unless a plan shows no change.
func (c *cliRun) planEmpty(env []string) {
	c.t.Helper()
	var out bytes.Buffer
	if err := c.command(&out, env, "plan", "-detailed-exitcode", "-input=false", "-no-color").Run(); err != nil {
		c.t.Fatalf("plan is not empty (%v):\n%s", err, out.String())
	}
}

func stateIDs(t *testing.T, stateFile, resourceType string) []string {
	t.Helper()
	ids, err := testsupport.IDsInStateFile(stateFile, resourceType)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// TestAccNoTakeover_savedPlanOnAnotherRunner: a change adding webhook c,
// identical to a, planned on one runner and applied from the saved plan on
// another (fresh TMPDIR, no refresh in the apply) stops at c naming a's
// webhook: neither a second webhook for the url nor a taken over.
func TestAccNoTakeover_savedPlanOnAnotherRunner(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	root := t.TempDir()
	state := filepath.Join(root, "remote", "infra.tfstate") // the state both runners reach
	backend := fmt.Sprintf("\n    path = %q\n  ", state)
	withA := takeoverConfig(backend, takeoverWebhook("a"))
	withAC := takeoverConfig(backend, takeoverWebhook("a")+takeoverWebhook("c"))

	// Each runner checks the repository out in its own place.
	checkout := func(runner string) string {
		repo := filepath.Join(root, runner, "infra")
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o700); err != nil {
			t.Fatal(err)
		}
		return repo
	}
	one, oneEnv := newCLIRunAt(t, emu, checkout("runner-1"), withA), runnerEnv(t)
	one.installFromMirror()
	one.run(oneEnv, "init")
	one.run(oneEnv, "apply", "-auto-approve")
	a := stateIDs(t, state, "entrupy_webhook")

	if err := os.WriteFile(filepath.Join(one.dir, "main.tf"), []byte(withAC), 0o600); err != nil {
		t.Fatal(err)
	}
	one.run(oneEnv, "plan", "-out=change.tfplan")

	two, twoEnv := newCLIRunAt(t, emu, checkout("runner-2"), withAC), runnerEnv(t)
	two.installFromMirror()
	two.run(twoEnv, "init")
	plan, err := os.ReadFile(filepath.Join(one.dir, "change.tfplan"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(two.dir, "change.tfplan"), plan, 0o600); err != nil {
		t.Fatal(err)
	}
	errs := alreadyExists(t, two.fails(twoEnv, "apply", "change.tfplan"))
	if len(errs) != 1 || errs[0].address != "entrupy_webhook.c" || errs[0].id != a[0] {
		t.Fatalf("the saved plan's apply names %v, want entrupy_webhook.c stopped at a's webhook %s", errs, a[0])
	}
	ids := stateIDs(t, state, "entrupy_webhook")
	if held := emu.WebhookIDs(); !slices.Equal(ids, a) || !slices.Equal(held, a) {
		t.Fatalf("state holds webhooks %v and Entrupy %v, want a's %v alone", ids, held, a)
	}
	// Back to a alone, both runners see nothing to do.
	for _, r := range []*cliRun{one, two} {
		if err := os.WriteFile(filepath.Join(r.dir, "main.tf"), []byte(withA), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	two.planEmpty(twoEnv)
	one.planEmpty(oneEnv)
}

// TestAccNoTakeover_twoRepositoriesOneFolderName: two teams, each with a
// repository called infra (workspace default, local state), declare a
// webhook to the same receiver and the same integration user. Team B gets
// an error naming each of team A's objects, made by this provider; B's
// destroy leaves A's objects, and A's next plan is empty.
func TestAccNoTakeover_twoRepositoriesOneFolderName(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	root := t.TempDir()
	team := func(name string) (*cliRun, []string) {
		repo := filepath.Join(root, name, "infra")
		if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o700); err != nil {
			t.Fatal(err)
		}
		return newCLIRunAt(t, emu, repo, takeoverConfig("", takeoverWebhook("hook")+takeoverUser)), runnerEnv(t)
	}
	a, aEnv := team("team-a")
	b, bEnv := team("team-b")
	a.run(aEnv, "apply", "-auto-approve")
	aHook, aUser := a.idsInState("entrupy_webhook"), a.idsInState("entrupy_integration_user")

	out := b.fails(bEnv, "apply", "-auto-approve")
	errs := alreadyExists(t, out)
	want := []existsError{{"entrupy_integration_user.u", "team-shared-01"}, {"entrupy_webhook.hook", aHook[0]}}
	slices.SortFunc(errs, func(x, y existsError) int { return strings.Compare(x.address, y.address) })
	if !slices.Equal(errs, want) {
		t.Fatalf("team B's apply names %v, want %v", errs, want)
	}
	if flat := strings.Join(strings.Fields(diagBox.Replace(out)), " "); !strings.Contains(flat, "made by terraform-provider-entrupy/") {
		t.Fatalf("team B's errors do not say this provider made the objects:\n%s", out)
	}
	if len(b.idsInState("entrupy_webhook")) != 0 || len(b.idsInState("entrupy_integration_user")) != 0 {
		t.Fatal("team B's state records team A's objects")
	}

	b.run(bEnv, "destroy", "-auto-approve")
	if err := emu.InventoryMatchesState(aHook, aUser, 1); err != nil {
		t.Fatalf("after team B's destroy: %v", err)
	}
	a.planEmpty(aEnv)
}

// TestAccNoTakeover_oneDirectoryTwoBackends: one directory initialised for
// staging then for production (-backend-config=path=...) on one runner.
// Staging's first apply loses its answers; production never takes over
// what it left (an error naming each object), production's destroy leaves
// staging's objects, and staging's next apply names them too, for staging
// to import.
func TestAccNoTakeover_oneDirectoryTwoBackends(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run, env := newCLIRunAt(t, emu, filepath.Join(t.TempDir(), "infra"), takeoverConfig(" ", takeoverWebhook("hook")+takeoverUser)), runnerEnv(t)
	run.installFromMirror()
	use := func(stage string) string {
		run.run(env, "init", "-reconfigure", "-backend-config=path="+stage+".tfstate")
		return filepath.Join(run.dir, stage+".tfstate")
	}

	staging := use("staging")
	for range 12 {
		emu.FailNext("POST /v2/webhooks", emulator.Fail500After)
		emu.FailNext("POST /v2/integrations/users", emulator.Fail500After)
	}
	run.fails(env, "apply", "-auto-approve")
	emu.ClearFaults()
	inv := emu.Inventory()
	if len(inv.Webhooks) != 1 || len(inv.Users) != 1 {
		t.Fatalf("staging's lost creates left %d webhooks and %d users, want one each", len(inv.Webhooks), len(inv.Users))
	}
	orphanHook := inv.Webhooks[0].ID

	production := use("production")
	if errs := alreadyExists(t, run.fails(env, "apply", "-auto-approve")); len(errs) != 2 {
		t.Fatalf("production's apply names %v, want staging's webhook and user", errs)
	}
	if ids := stateIDs(t, production, "entrupy_webhook"); len(ids) != 0 {
		t.Fatalf("production's state holds webhooks %v", ids)
	}
	run.run(env, "destroy", "-auto-approve")
	if inv := emu.Inventory(); len(inv.Webhooks) != 1 || inv.Webhooks[0].ID != orphanHook || len(inv.Users) != 1 {
		t.Fatalf("production's destroy touched staging's objects: %+v", inv)
	}

	use("staging")
	errs := alreadyExists(t, run.fails(env, "apply", "-auto-approve"))
	if len(errs) != 2 {
		t.Fatalf("staging's next apply names %v, want its webhook and user", errs)
	}
	run.pasteImports(errs)
	run.run(env, "apply", "-auto-approve")
	if err := emu.InventoryMatchesState(stateIDs(t, staging, "entrupy_webhook"), stateIDs(t, staging, "entrupy_integration_user"), 1); err != nil {
		t.Fatal(err)
	}
	if ids := stateIDs(t, staging, "entrupy_webhook"); ids[0] != orphanHook {
		t.Fatalf("staging holds %v, want its orphan %s", ids, orphanHook)
	}
	run.planEmpty(env)
}

// TestAccNoTakeover_twoWorkspacesAtOnce: two workspaces on separate runners
// with the same webhooks and users, applied at the same moment. Each url
// gets one webhook and each unique_user_id one user: every object is in
// exactly one of the two states, and every error of either apply is an
// "already exists" naming an object the other workspace holds.
func TestAccNoTakeover_twoWorkspacesAtOnce(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	const n = 4
	resources := strings.ReplaceAll(lostResources(n), "lost", "both")
	root := t.TempDir()
	runs := []*cliRun{
		newCLIRunAt(t, emu, filepath.Join(root, "a"), takeoverConfig("", resources)),
		newCLIRunAt(t, emu, filepath.Join(root, "b"), takeoverConfig("", resources)),
	}
	outs := make([]bytes.Buffer, len(runs))
	cmds := make([]*exec.Cmd, len(runs))
	for i, r := range runs {
		cmds[i] = r.command(&outs[i], runnerEnv(t), batch("apply", "-auto-approve")...)
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	failed := make([]bool, len(runs))
	for i, cmd := range cmds {
		failed[i] = cmd.Wait() != nil
	}

	var hooks, users []string
	held := make([]map[string]bool, len(runs))
	for i, r := range runs {
		held[i] = map[string]bool{}
		for _, id := range append(r.idsInState("entrupy_webhook"), r.idsInState("entrupy_integration_user")...) {
			held[i][id] = true
		}
		hooks = append(hooks, r.idsInState("entrupy_webhook")...)
		users = append(users, r.idsInState("entrupy_integration_user")...)
	}
	slices.Sort(hooks)
	slices.Sort(users)
	if err := emu.InventoryMatchesState(hooks, users, n); err != nil {
		t.Fatalf("the two states together: %v\nA:\n%s\nB:\n%s", err, outs[0].String(), outs[1].String())
	}
	for i := range runs {
		other := held[1-i]
		errs := alreadyExists(t, outs[i].String())
		if failed[i] != (len(errs) > 0) {
			t.Fatalf("workspace %d failed=%v with %d errors:\n%s", i, failed[i], len(errs), outs[i].String())
		}
		for _, e := range errs {
			if !other[e.id] {
				t.Fatalf("workspace %d's error names %s, which the other workspace does not hold:\n%s", i, e.id, outs[i].String())
			}
		}
		t.Logf("workspace %d holds %d objects, %d already existed", i, len(held[i]), len(errs))
	}
}
