package main

// The scenarios of issue 13, each skippable:
//
//   - -refresh U,H: U integration users and H webhooks are put into state
//     cheaply (apply with the emulator's limit and the client's limiter
//     off), then refreshed with the emulator enforcing 10 requests/second
//     and the provider's defaults; requests and wall time are compared with
//     the bound of one GET per object, (U+H) requests at 10/s.
//   - -account U,H,X: the same, with X more users in the account that the
//     configuration does not manage, half created before the managed ones
//     and half after, so that the listing (in creation order) holds X/2
//     unmanaged users, then the managed ones, then X/2 unmanaged users.
//   - -plan-cpu N (plan.go): `terraform plan` of N webhooks already in
//     state against an emulator without limit, beside N resources of the
//     floor provider (bench/floor) in the same run; wall, CPU and peak RSS.
//
// Everything is measured from outside the provider: the emulator's request
// counters, the terraform process tree's wall and CPU time and the provider
// process's peak RSS.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// The headings of the sections these scenarios write into results.md.
const (
	refreshHeading      = "## Refresh at scale against the one-GET-per-object bound"
	accountHeading      = "## Refresh in an account with many unmanaged users"
	smallAccountHeading = "## Refresh of a small configuration in a big account"
)

// outputTailLines is how much of a failing command's output is printed: a
// refresh of a thousand objects that found changes says so at length.
const outputTailLines = 60

// The targets.
const (
	refreshRequestsTarget = 0.10 // requests ÷ one GET per object, no unmanaged users
	refreshWallTarget     = 0.15 // wall ÷ the bound of one GET per object
	accountRequestsTarget = 1.10 // requests ÷ one GET per object, with the unmanaged users
)

// refreshSpec is one refresh scenario's configuration and account.
type refreshSpec struct {
	users, webhooks int // managed by the configuration
	unmanaged       int // other users in the account
}

// objects is the managed objects: the bound's requests.
func (s refreshSpec) objects() int { return s.users + s.webhooks }

// refreshScenarios is what the -refresh, -account, -small-account,
// -plan-cpu and -plan-runs flags ask for; a nil spec or a zero count is a
// skipped scenario.
type refreshScenarios struct {
	refresh      *refreshSpec
	account      *refreshSpec
	smallAccount *refreshSpec
	planCPU      int
	planRuns     int
}

func (r refreshScenarios) empty() bool {
	return r.refresh == nil && r.account == nil && r.smallAccount == nil && r.planCPU == 0
}

// sizes parses exactly want comma-separated positive counts; "" and "0"
// mean none (the scenario is skipped).
func sizes(flagName, s string, want int) ([]int, error) {
	if s = strings.TrimSpace(s); s == "" || s == "0" {
		return nil, nil
	}
	fields := strings.Split(s, ",")
	if len(fields) != want {
		return nil, fmt.Errorf("bad -%s value %q: want %d comma-separated counts, or 0 to skip", flagName, s, want)
	}
	out := make([]int, want)
	for i, f := range fields {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -%s value %q: %q is not a positive count", flagName, s, f)
		}
		out[i] = n
	}
	return out, nil
}

// parseRefreshScenarios reads the flags' values.
func parseRefreshScenarios(refresh, account, smallAccount, planCPU string, planRuns int) (refreshScenarios, error) {
	var r refreshScenarios
	v, err := sizes("refresh", refresh, 2)
	if err != nil {
		return r, err
	}
	if v != nil {
		r.refresh = &refreshSpec{users: v[0], webhooks: v[1]}
	}
	if v, err = sizes("account", account, 3); err != nil {
		return r, err
	}
	if v != nil {
		r.account = &refreshSpec{users: v[0], webhooks: v[1], unmanaged: v[2]}
	}
	if v, err = sizes("small-account", smallAccount, 3); err != nil {
		return r, err
	}
	if v != nil {
		r.smallAccount = &refreshSpec{users: v[0], webhooks: v[1], unmanaged: v[2]}
	}
	if v, err = sizes("plan-cpu", planCPU, 1); err != nil {
		return r, err
	}
	if v != nil {
		r.planCPU = v[0]
		if planRuns < 1 {
			return r, fmt.Errorf("bad -plan-runs value %d: want at least 1", planRuns)
		}
		r.planRuns = planRuns
	}
	return r, nil
}

// refreshResult is one refresh scenario's measurement.
type refreshResult struct {
	spec    refreshSpec
	setup   time.Duration // filling the account and state, not measured further
	wall    time.Duration
	t       tally
	routes  routeSplit
	changes []string // the addresses whose refreshed object differs from state
	failure string   // why the refresh failed, if it did
}

// routeSplit sorts a refresh's requests by what they are.
type routeSplit struct {
	listUsers, listWebhooks int // list pages
	getUsers, getWebhooks   int // one GET per object
	health                  int
	other                   int
}

// Emulator route patterns (emulator.go) counted by routeSplit.
const (
	routeGetUser    = "GET /v2/integrations/users/{unique_user_id}"
	routeGetWebhook = "GET /v2/webhooks/{id}"
)

func splitRoutes(counts map[string]int) routeSplit {
	var r routeSplit
	for route, c := range counts {
		switch route {
		case "GET " + entrupy.PathUsers:
			r.listUsers += c
		case "GET " + entrupy.PathWebhooks:
			r.listWebhooks += c
		case routeGetUser:
			r.getUsers += c
		case routeGetWebhook:
			r.getWebhooks += c
		case "GET " + entrupy.PathHealth:
			r.health += c
		default:
			r.other += c
		}
	}
	return r
}

// bound is the least time one GET per object takes at 10 requests/second.
func (r refreshResult) bound() time.Duration {
	return time.Duration(float64(r.spec.objects()) / rateLimit * float64(time.Second))
}

func (r refreshResult) requestsRatio() float64 {
	return float64(r.t.requests) / float64(r.spec.objects())
}

func (r refreshResult) wallRatio() float64 { return r.wall.Seconds() / r.bound().Seconds() }

func (r refreshResult) ok() bool { return r.failure == "" }

// loadAverage returns the 1-minute load average, or "" when unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// median of ds (the mean of the middle two for an even count); 0 for none.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// quietEnv drops the TF_LOG* variables: the scenarios run Terraform as a
// user does who asked for no log.
func quietEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "TF_LOG") })
}

// The provider blocks: the setup fills state as fast as the machine allows;
// the measurements run with the defaults (10 requests/second client limit,
// 4 retries, list-backed refresh as the provider decides).
const (
	providerUnlimited = "provider \"entrupy\" {\n  requests_per_second = 0 # client limiter off\n}\n"
	providerDefaults  = "provider \"entrupy\" {} # the defaults\n"
)

func writeFile(dir, name, content string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600)
}

// writeRefreshConfig writes main.tf with users integration users and
// webhooks webhooks (no provider block: see writeFile(…, "provider.tf", …)).
func writeRefreshConfig(work string, users, webhooks int) error {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    entrupy = { source = \"entrupy/entrupy\" }\n  }\n}\n")
	if users > 0 {
		fmt.Fprintf(&b, `
resource "entrupy_integration_user" "u" {
  count          = %d
  unique_user_id = format("bench-user-%%05d", count.index)
  email          = format("bench%%05d@example.com", count.index)
}
`, users)
	}
	if webhooks > 0 {
		fmt.Fprintf(&b, `
resource "entrupy_webhook" "w" {
  count     = %d
  url       = format("https://hooks.example.com/%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "bench-secret"
}
`, webhooks)
	}
	return writeFile(work, "main.tf", b.String())
}

// seedUsers creates the users other-user-<from> … other-user-<to-1>
// through the API (the emulator's limit must be off), four at a time.
func seedUsers(ctx context.Context, emu *testsupport.Emulator, from, to int) error {
	if from >= to {
		return nil
	}
	c, err := entrupy.New(entrupy.WithBaseURL(emu.URL), entrupy.WithToken(emu.Token), entrupy.WithRateLimit(0))
	if err != nil {
		return err
	}
	next := make(chan int)
	errs := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				id := fmt.Sprintf("other-user-%05d", i)
				if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: id, Email: id + "@example.com"}); err != nil {
					errs <- fmt.Errorf("seeding unmanaged user %s: %w", id, err)
					return
				}
			}
		}()
	}
	var firstErr error
feed:
	for i := from; i < to; i++ {
		select {
		case next <- i:
		case firstErr = <-errs:
			break feed
		case <-ctx.Done():
			firstErr = ctx.Err()
			break feed
		}
	}
	close(next)
	wg.Wait()
	close(errs)
	if firstErr == nil {
		firstErr = <-errs // nil when the channel is empty
	}
	return firstErr
}

// runTimed runs `terraform args...` in work within the phase timeout and
// returns its wall and CPU time (childrenCPU) and its output.
func (h *harness) runTimed(ctx context.Context, work string, env []string, args ...string) (wall, cpu time.Duration, output string, err error) {
	pctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	var log bytes.Buffer
	cmd := h.terraform(pctx, work, env, &log, args...)
	cpu0 := childrenCPU(cmd)
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	cpu = childrenCPU(cmd) - cpu0
	return wall, cpu, log.String(), phaseTimeoutError(pctx, err, h.timeout)
}

// setupApply applies the configuration in work with the client's limiter
// off, in its own TMPDIR (so that nothing the provider keeps there between
// processes, such as the request timeline, carries over to the measurement).
func (h *harness) setupApply(ctx context.Context, work string, env []string, label string) error {
	if err := writeFile(work, "provider.tf", providerUnlimited); err != nil {
		return err
	}
	tmp := filepath.Join(work, "setup-tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return err
	}
	fmt.Printf("%s: setup apply …\n", label)
	wall, _, out, err := h.runTimed(ctx, work, append(slices.Clone(env), "TMPDIR="+tmp),
		"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if err != nil {
		return fmt.Errorf("%s: setup apply: %w\n%s", label, err, tail(out, outputTailLines))
	}
	fmt.Printf("%s: setup apply took %.1fs\n", label, wall.Seconds())
	return nil
}

// refreshPlanFile is where the measured refresh saves its plan.
const refreshPlanFile = "refresh.tfplan"

// planChanges reads a saved plan (`terraform show -json`) and returns the
// addresses of the objects the refresh found changed outside Terraform, and
// of any planned action other than no-op and read.
//
// Not `plan -refresh-only -detailed-exitcode`: Terraform 1.11 exits 2 from
// it, while printing "No changes", whenever the two sensitive paths of an
// entrupy_webhook (secret, secret_wo) come back in another order, which is
// at random (hashicorp/terraform#36403); the plan's resource_drift, what
// "No changes" is printed from, is exact.
func (h *harness) planChanges(ctx context.Context, work string, env []string, planFile string) ([]string, error) {
	pctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(pctx, h.tf, "show", "-json", planFile)
	cmd.Dir, cmd.Env, cmd.Stderr = work, env, &stderr
	b, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("terraform show -json %s: %w\n%s", planFile, err, stderr.String())
	}
	return changedAddresses(b)
}

// changedAddresses lists, from `terraform show -json` of a plan, the
// drifted resources and those with an action other than no-op or read.
func changedAddresses(planJSON []byte) ([]string, error) {
	var plan struct {
		ResourceDrift []struct {
			Address string `json:"address"`
		} `json:"resource_drift"`
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(planJSON, &plan); err != nil {
		return nil, fmt.Errorf("reading the plan's JSON: %w", err)
	}
	var out []string
	for _, d := range plan.ResourceDrift {
		out = append(out, d.Address+" (drift)")
	}
	for _, c := range plan.ResourceChanges {
		if slices.ContainsFunc(c.Change.Actions, func(a string) bool { return a != "no-op" && a != "read" }) {
			out = append(out, c.Address+" ("+strings.Join(c.Change.Actions, ", ")+")")
		}
	}
	return out, nil
}

// runRefresh runs one refresh scenario on a fresh emulator.
func (h *harness) runRefresh(ctx context.Context, spec refreshSpec, name string) (refreshResult, error) {
	res := refreshResult{spec: spec}
	emu, env, err := h.emulator()
	if err != nil {
		return res, err
	}
	defer emu.Close()
	env = quietEnv(env)
	label := fmt.Sprintf("%s (%d users + %d webhooks, %d unmanaged users)", name, spec.users, spec.webhooks, spec.unmanaged)
	work := filepath.Join(h.dir, name)
	if err := writeRefreshConfig(work, spec.users, spec.webhooks); err != nil {
		return res, err
	}

	start := time.Now()
	emu.SetRateLimit(0, 0)
	before := spec.unmanaged / 2
	if err := seedUsers(ctx, emu, 0, before); err != nil {
		return res, err
	}
	if err := h.setupApply(ctx, work, env, label); err != nil {
		return res, err
	}
	if err := seedUsers(ctx, emu, before, spec.unmanaged); err != nil {
		return res, err
	}
	inv := emu.Inventory()
	if len(inv.Users) != spec.users+spec.unmanaged || len(inv.Webhooks) != spec.webhooks {
		return res, fmt.Errorf("%s: after setup the emulator holds %d users and %d webhooks, want %d and %d",
			label, len(inv.Users), len(inv.Webhooks), spec.users+spec.unmanaged, spec.webhooks)
	}
	res.setup = time.Since(start)

	if err := writeFile(work, "provider.tf", providerDefaults); err != nil {
		return res, err
	}
	tmp := filepath.Join(work, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return res, err
	}
	emu.SetRateLimit(rateLimit, 0)
	emu.ResetCounts()
	fmt.Printf("%s: refresh at %g requests/second …\n", label, rateLimit)
	wall, _, out, err := h.runTimed(ctx, work, append(slices.Clone(env), "TMPDIR="+tmp),
		"plan", "-refresh-only", "-out="+refreshPlanFile, "-input=false", "-no-color", "-parallelism=10")
	res.wall, res.t, res.routes = wall, tallyOf(emu), splitRoutes(emu.Counts())
	if err != nil {
		res.failure = fmt.Sprintf("terraform failed: %v", err)
	} else {
		res.changes, err = h.planChanges(ctx, work, env, refreshPlanFile)
		switch {
		case err != nil:
			res.failure = err.Error()
		case len(res.changes) > 0:
			res.failure = fmt.Sprintf("the refresh found %d changed objects: %s", len(res.changes), strings.Join(res.changes[:min(3, len(res.changes))], ", "))
		}
	}
	if res.failure != "" {
		fmt.Fprintf(os.Stderr, "%s: %s\n--- last %d lines of its output ---\n%s\n---\n", label, res.failure, outputTailLines, tail(out, outputTailLines))
	}
	fmt.Printf("%s: %.1fs, %d requests (%d list pages, %d GETs, %d health), %d 429s, requests ÷ bound %.3f, wall ÷ bound %.3f\n",
		label, wall.Seconds(), res.t.requests, res.routes.listUsers+res.routes.listWebhooks,
		res.routes.getUsers+res.routes.getWebhooks, res.routes.health, res.t.status429, res.requestsRatio(), res.wallRatio())
	return res, nil
}

// refreshSections runs the scenarios r asks for and renders their sections
// (an empty string for a skipped one). The error is for the bench itself
// failing; a scenario's failure is in its section and in failed.
func (h *harness) refreshSections(ctx context.Context, r refreshScenarios) (sections map[string]string, failed []string, err error) {
	sections = map[string]string{}
	if r.refresh != nil {
		res, err := h.runRefresh(ctx, *r.refresh, "refresh")
		if err != nil {
			return sections, failed, err
		}
		sections[refreshHeading] = renderRefresh(refreshHeading, res, h.tf)
		if !res.ok() {
			failed = append(failed, "refresh at scale: "+res.failure)
		}
	}
	for _, a := range []struct {
		spec           *refreshSpec
		name, heading  string
		failureMessage string
	}{
		{r.account, "account", accountHeading, "refresh with unmanaged users: "},
		{r.smallAccount, "small-account", smallAccountHeading, "refresh of a small configuration in a big account: "},
	} {
		if a.spec == nil || ctx.Err() != nil {
			continue
		}
		res, err := h.runRefresh(ctx, *a.spec, a.name)
		if err != nil {
			return sections, failed, err
		}
		sections[a.heading] = renderRefresh(a.heading, res, h.tf)
		if !res.ok() {
			failed = append(failed, a.failureMessage+res.failure)
		}
	}
	if r.planCPU > 0 && ctx.Err() == nil {
		res, err := h.runPlanCPU(ctx, r.planCPU, r.planRuns)
		if err != nil {
			return sections, failed, err
		}
		sections[planCPUHeading] = renderPlanCPU(res, h.tf)
		if res.failure != "" {
			failed = append(failed, "plan CPU: "+res.failure)
		}
	}
	for _, s := range []string{refreshHeading, accountHeading, smallAccountHeading, planCPUHeading} {
		if sections[s] != "" {
			fmt.Print("\n" + sections[s])
		}
	}
	return sections, failed, nil
}

// targetMark says whether v ≤ goal.
func targetMark(v, goal float64) string {
	if v <= goal {
		return fmt.Sprintf("≤ %.2f: met", goal)
	}
	return fmt.Sprintf("≤ %.2f: not met", goal)
}

func renderRefresh(heading string, r refreshResult, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nProduced by `make bench` on %s: %s.\n\n", heading, time.Now().UTC().Format("2006-01-02"), platform(tf))
	s := r.spec
	fmt.Fprintf(&b, "One workspace with %d `entrupy_integration_user` + %d `entrupy_webhook`. ", s.users, s.webhooks)
	if s.unmanaged > 0 {
		fmt.Fprintf(&b, "The account also holds %d users the configuration does not manage, created through the API: %d before the managed ones and %d after, so the user listing (in creation order, 25 a page) has %d unmanaged users, then the %d managed ones, then %d unmanaged. ",
			s.unmanaged, s.unmanaged/2, s.unmanaged-s.unmanaged/2, s.unmanaged/2, s.users, s.unmanaged-s.unmanaged/2)
	}
	fmt.Fprintf(&b, "Setup, not measured (%.0fs): the objects are created by `terraform apply` with the emulator's limit and the client's limiter off (`requests_per_second = 0`). "+
		"Measured: `terraform plan -refresh-only -out=FILE -parallelism=10`, a refresh that changes no state, with a provider block holding the defaults only (10 requests/second client limit, 4 retries, list-backed refresh as the provider decides), against the emulator enforcing 10 requests/second (429 + Retry-After beyond), with `TF_LOG*` unset and a fresh `TMPDIR`. It must find no changes: `terraform show -json` of the saved plan (not timed) must list no `resource_drift` and no action other than no-op (`-detailed-exitcode` is not used: Terraform 1.11 exits 2 from a refresh-only plan that prints \"No changes\" when a webhook's two sensitive paths come back in another order, hashicorp/terraform#36403). "+
		"Requests are every request the emulator received during the refresh; the bound is one GET per managed object, %d requests, %.0fs at 10/s. ",
		r.setup.Seconds(), s.objects(), r.bound().Seconds())
	if s.unmanaged > 0 {
		fmt.Fprintf(&b, "Target: requests ÷ bound ≤ %.2f (wall ÷ bound has no target here).\n\n", accountRequestsTarget)
	} else {
		fmt.Fprintf(&b, "Targets: requests ÷ bound ≤ %.2f and wall ÷ bound ≤ %.2f.\n\n", refreshRequestsTarget, refreshWallTarget)
	}
	b.WriteString("| users | webhooks | unmanaged users | wall | requests | list pages (users + webhooks) | single GETs (users + webhooks) | health | other | 429s | failed | bound | requests ÷ bound | target | wall ÷ bound | target | changes |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|---|\n")
	reqTarget, wallTarget := targetMark(r.requestsRatio(), refreshRequestsTarget), targetMark(r.wallRatio(), refreshWallTarget)
	if s.unmanaged > 0 {
		reqTarget, wallTarget = targetMark(r.requestsRatio(), accountRequestsTarget), "—"
	}
	changes := "none"
	if !r.ok() {
		changes = r.failure
		reqTarget += " (refresh failed)"
	}
	rt := r.routes
	fmt.Fprintf(&b, "| %d | %d | %d | %.1fs | %d | %d (%d + %d) | %d (%d + %d) | %d | %d | %d | %d | %.0fs | %.3f | %s | %.3f | %s | %s |\n",
		s.users, s.webhooks, s.unmanaged, r.wall.Seconds(), r.t.requests,
		rt.listUsers+rt.listWebhooks, rt.listUsers, rt.listWebhooks, rt.getUsers+rt.getWebhooks, rt.getUsers, rt.getWebhooks,
		rt.health, rt.other, r.t.status429, r.t.failures, r.bound().Seconds(), r.requestsRatio(), reqTarget, r.wallRatio(), wallTarget, changes)
	b.WriteString("\n\"list pages\" are `GET /v2/integrations/users?cursor=` and `GET /v2/webhooks?cursor=`; \"single GETs\" are `GET /v2/integrations/users/{id}` and `GET /v2/webhooks/{id}`; \"health\" is `GET /v1/health`; \"failed\" counts connection resets, 5xx and 4xx answers other than 404 and 429.\n")
	return b.String()
}

// resultSections are the headings results.md is split at; the text before
// the first heading found is the -n scenario's section.
var resultSections = []string{sharedHeading, refreshHeading, accountHeading, smallAccountHeading, planCPUHeading}

// writeSections writes results.md with the sections in a fixed order: the
// -n scenario's (key ""), then resultSections. A section missing from fresh
// (or empty) is kept from the file as it was, so a run of some scenarios
// leaves the others' tables.
func writeSections(out string, fresh map[string]string) error {
	old, err := os.ReadFile(out)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	kept := splitSections(string(old))
	var parts []string
	for _, key := range append([]string{""}, resultSections...) {
		s := fresh[key]
		if s == "" {
			s = kept[key]
		}
		if key == "" && strings.TrimSpace(s) == "" {
			s = "# Scale benchmark\n"
		}
		if strings.TrimSpace(s) != "" {
			parts = append(parts, strings.TrimRight(s, "\n")+"\n")
		}
	}
	return os.WriteFile(out, []byte(strings.Join(parts, "\n")), 0o644)
}

// splitSections cuts a results file at the headings of resultSections
// (each at the start of a line); key "" is the text before the first.
func splitSections(content string) map[string]string {
	type cut struct {
		at  int
		key string
	}
	var cuts []cut
	for _, h := range resultSections {
		switch {
		case strings.HasPrefix(content, h+"\n"):
			cuts = append(cuts, cut{0, h})
		default:
			if i := strings.Index(content, "\n"+h+"\n"); i >= 0 {
				cuts = append(cuts, cut{i + 1, h})
			}
		}
	}
	slices.SortFunc(cuts, func(a, b cut) int { return a.at - b.at })
	out := map[string]string{}
	end := len(content)
	if len(cuts) > 0 {
		end = cuts[0].at
	}
	out[""] = content[:end]
	for i, c := range cuts {
		end := len(content)
		if i+1 < len(cuts) {
			end = cuts[i+1].at
		}
		out[c.key] = content[c.at:end]
	}
	return out
}
