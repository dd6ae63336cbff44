package main

// The plan scenario (-plan-cpu N): `terraform plan` of N entrupy_webhook
// already in state, beside N floor_webhook of the floor provider
// (bench/floor: entrupy_webhook's schema on the framework, every RPC
// answered from memory), in the same run, -plan-runs times each, the order
// rotating from one run to the next. Medians of wall time, CPU time and
// the provider process's peak RSS, and their ratios to the floor's.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const planCPUHeading = "## Plan beside a floor provider"

// The targets against the floor, at Go's default GC settings.
const (
	floorWallTarget = 1.15 // entrupy plan wall ÷ floor plan wall
	floorRSSTarget  = 1.3  // entrupy provider peak RSS ÷ floor provider peak RSS
)

// The configurations of the plan scenario, by the label of their row.
const (
	planEntrupy = "`entrupy_webhook`"
	planFloor   = "`floor_webhook` (floor provider)"
)

// floorSource is bench/floor's address (its Address constant).
const floorSource = "registry.terraform.io/entrupy/floor"

// planConfig is one configuration the scenario plans, and its samples.
type planConfig struct {
	label    string
	work     string   // its workspace
	env      []string // Terraform's environment for it
	binary   string   // its provider binary, whose RSS is watched
	wall     []time.Duration
	cpu      []time.Duration
	rssKiB   []int64
	requests []int // the emulator's requests per plan
}

func (c *planConfig) medians() (wall, cpu time.Duration, rssKiB int64) {
	rss := slices.Clone(c.rssKiB)
	slices.Sort(rss)
	if len(rss) > 0 {
		rssKiB = rss[len(rss)/2]
		if len(rss)%2 == 0 {
			rssKiB = (rss[len(rss)/2-1] + rss[len(rss)/2]) / 2
		}
	}
	return median(c.wall), median(c.cpu), rssKiB
}

// planCPUResult is the plan scenario's measurement.
type planCPUResult struct {
	n       int
	runs    int
	configs []*planConfig // planEntrupy, planFloor
	// load is the 1-minute load average before and after the plans ("" where
	// /proc/loadavg does not exist): other work on the machine lengthens
	// wall time more than CPU time.
	loadBefore, loadAfter string
	failure               string
}

func (r planCPUResult) config(label string) *planConfig {
	for _, c := range r.configs {
		if c.label == label {
			return c
		}
	}
	return nil
}

// goBuild builds package pkg of this module into out.
func goBuild(ctx context.Context, pkg, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, b)
	}
	return nil
}

// writeOverrides writes a CLI configuration whose dev_overrides run the
// provider in entrupyDir for entrupy/entrupy and bench/floor in floorDir for
// entrupy/floor.
func writeOverrides(path, entrupyDir, floorDir string) error {
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		testsupport.ProviderSource, entrupyDir, floorSource, floorDir)
	return os.WriteFile(path, []byte(rc), 0o600)
}

// writeFloorConfig writes main.tf with n floor_webhook, configured as
// writeRefreshConfig configures its webhooks.
func writeFloorConfig(work string, n int) error {
	return writeFile(work, "main.tf", fmt.Sprintf(`terraform {
  required_providers {
    floor = { source = "entrupy/floor" }
  }
}

resource "floor_webhook" "w" {
  count     = %d
  url       = format("https://hooks.example.com/%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "bench-secret"
}
`, n))
}

// runPlanCPU runs the plan scenario: n webhooks and n floor_webhook, each
// applied once, then planned runs times, the order rotating.
func (h *harness) runPlanCPU(ctx context.Context, n, runs int) (planCPUResult, error) {
	res := planCPUResult{n: n, runs: runs}
	label := fmt.Sprintf("plan (%d each)", n)

	fmt.Printf("%s: building the floor provider …\n", label)
	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	floorDir := filepath.Join(h.dir, "floor-bin")
	floorBin := filepath.Join(floorDir, "terraform-provider-floor")
	if err := goBuild(bctx, "./bench/floor", floorBin); err != nil {
		return res, err
	}
	rc := filepath.Join(h.dir, "terraformrc-floor")
	if err := writeOverrides(rc, filepath.Dir(h.provider), floorDir); err != nil {
		return res, err
	}

	emu, env, err := h.emulator()
	if err != nil {
		return res, err
	}
	defer emu.Close()
	emu.SetRateLimit(0, 0)
	env = quietEnv(env)
	withRC := func(rc string, extra ...string) []string {
		e := slices.DeleteFunc(slices.Clone(env), func(kv string) bool { return strings.HasPrefix(kv, "TF_CLI_CONFIG_FILE=") })
		return append(append(e, "TF_CLI_CONFIG_FILE="+rc), extra...)
	}

	hooks := filepath.Join(h.dir, "plan-webhooks")
	if err := writeRefreshConfig(hooks, 0, n); err != nil {
		return res, err
	}
	if err := h.setupApply(ctx, hooks, withRC(rc), label+" webhooks"); err != nil {
		return res, err
	}
	// The measured plans keep the client's limiter off too: against an
	// emulator without limit, the plan's time is the machine's.
	tmp := "TMPDIR=" + filepath.Join(hooks, "setup-tmp")
	res.configs = append(res.configs, &planConfig{label: planEntrupy, work: hooks, env: withRC(rc, tmp), binary: h.provider})

	floor := filepath.Join(h.dir, "plan-floor")
	if err := writeFloorConfig(floor, n); err != nil {
		return res, err
	}
	fmt.Printf("%s: setup apply of floor_webhook …\n", label)
	if _, _, out, err := h.runTimed(ctx, floor, withRC(rc), "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"); err != nil {
		return res, fmt.Errorf("%s: setup apply of floor_webhook: %w\n%s", label, err, tail(out, outputTailLines))
	}
	res.configs = append(res.configs, &planConfig{label: planFloor, work: floor, env: withRC(rc), binary: floorBin})

	plan := []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=10"}
	measure := func(c *planConfig) error {
		emu.ResetCounts()
		stopRSS := h.sampleRSSOf(c.binary)
		wall, cpu, out, err := h.runTimed(ctx, c.work, c.env, plan...)
		rss := stopRSS()
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == 2 {
			err = fmt.Errorf("the plan has changes (exit 2 of -detailed-exitcode)")
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: plan of %s: %v\n--- last %d lines of its output ---\n%s\n---\n", label, c.label, err, outputTailLines, tail(out, outputTailLines))
			return fmt.Errorf("plan of %s: %w", c.label, err)
		}
		c.wall, c.cpu, c.rssKiB = append(c.wall, wall), append(c.cpu, cpu), append(c.rssKiB, rss)
		c.requests = append(c.requests, tallyOf(emu).requests)
		fmt.Printf("%s: plan of %s: %.2fs wall, %.2fs CPU, %.1f MiB peak RSS\n", label, c.label, wall.Seconds(), cpu.Seconds(), float64(rss)/1024)
		return nil
	}
	res.loadBefore = loadAverage()
plans:
	for i := range runs {
		// Rotate the order, so that no configuration always goes first.
		for j := range res.configs {
			if err := measure(res.configs[(i+j)%len(res.configs)]); err != nil {
				res.failure = err.Error()
				break plans
			}
		}
	}
	res.loadAfter = loadAverage()
	return res, nil
}

// sampleRSSOf starts watchRSS on binary; the returned function stops it and
// returns the peak in KiB.
func (h *harness) sampleRSSOf(binary string) func() int64 {
	stop := make(chan struct{})
	done := make(chan int64)
	go func() { done <- watchRSS(binary, stop) }()
	return func() int64 { close(stop); return <-done }
}

// pairedRatios divides a's plans by b's of the same run and returns the
// per-run wall and CPU ratios, each list followed by its median.
func pairedRatios(a, b *planConfig) (wall, cpu string) {
	list := func(x, y []time.Duration) string {
		var rs []float64
		var s []string
		for i := range min(len(x), len(y)) {
			if y[i] > 0 {
				rs = append(rs, x[i].Seconds()/y[i].Seconds())
				s = append(s, fmt.Sprintf("%.2f", rs[len(rs)-1]))
			}
		}
		if len(rs) == 0 {
			return ""
		}
		slices.Sort(rs)
		m := rs[len(rs)/2]
		if len(rs)%2 == 0 {
			m = (rs[len(rs)/2-1] + rs[len(rs)/2]) / 2
		}
		return fmt.Sprintf("%s (median %.2f)", strings.Join(s, ", "), m)
	}
	return list(a.wall, b.wall), list(a.cpu, b.cpu)
}

func renderPlanCPU(r planCPUResult, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nProduced by `make bench` on %s: %s.\n\n", planCPUHeading, time.Now().UTC().Format("2006-01-02"), platform(tf))
	fmt.Fprintf(&b, "Two workspaces in the same run: %[1]d `entrupy_webhook`, and %[1]d `floor_webhook` of the *floor provider* (`bench/floor`, built by the bench with `go build` and installed through `dev_overrides` like the provider): entrupy_webhook's own schema and identity schema (from `provider.NewWebhookResource`) on the same framework, every RPC answered from memory with no API (plan: the framework's defaults, plan modifiers and validators, no `ModifyPlan`; read: the state as it is; logs switched off as the provider does). "+
		"Each is applied once beforehand (not measured), so each plan finds everything in sync and must exit 0 with `-detailed-exitcode`. "+
		"Measured: `terraform plan -detailed-exitcode -parallelism=10` (with its refresh), %[2]d times each, the order rotating from one run to the next, with `TF_LOG*` unset as a user runs it and Go's default GC settings (no `GOGC`, no `GOMEMLIMIT`). The emulator has no rate limit and the provider block sets only `requests_per_second = 0` (the client's limiter off), so the plan's time is the machine's. "+
		"Wall is the `terraform` command's; CPU is user + system time from %[3]s; peak RSS is the provider process's `VmHWM` (polled every 100 ms). Figures are medians of the runs; the ratios divide the medians. Targets: entrupy ÷ floor ≤ %[4]g on wall and ≤ %[5]g on peak RSS.\n\n",
		r.n, r.runs, cpuMethod, floorWallTarget, floorRSSTarget)
	b.WriteString("| configuration | resources | plans | wall (median) | CPU (median) | provider peak RSS (median) | wall, each run | CPU, each run | API requests per plan |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---|---|---|\n")
	each := func(ds []time.Duration) string {
		var s []string
		for _, d := range ds {
			s = append(s, fmt.Sprintf("%.2f", d.Seconds()))
		}
		return strings.Join(s, ", ")
	}
	for _, c := range r.configs {
		w, cpu, rss := c.medians()
		var reqs []string
		for _, n := range c.requests {
			reqs = append(reqs, strconv.Itoa(n))
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %.2fs | %.2fs | %.1f MiB | %s | %s | %s |\n", c.label, r.n, len(c.wall), w.Seconds(), cpu.Seconds(), float64(rss)/1024, each(c.wall), each(c.cpu), strings.Join(reqs, ", "))
	}
	ratios := func(a, b *planConfig) (wall, cpu, rss float64, ok bool) {
		if a == nil || b == nil || len(a.wall) == 0 || len(b.wall) == 0 {
			return 0, 0, 0, false
		}
		aw, ac, ar := a.medians()
		bw, bc, br := b.medians()
		if bw <= 0 || bc <= 0 || br <= 0 {
			return 0, 0, 0, false
		}
		return aw.Seconds() / bw.Seconds(), ac.Seconds() / bc.Seconds(), float64(ar) / float64(br), true
	}
	if w, c, m, ok := ratios(r.config(planEntrupy), r.config(planFloor)); ok {
		pw, pc := pairedRatios(r.config(planEntrupy), r.config(planFloor))
		fmt.Fprintf(&b, "| **entrupy ÷ floor** | | | **%.2f** (%s) | **%.2f** | **%.2f** (%s) | %s | %s | |\n", w, targetMark(w, floorWallTarget), c, m, targetMark(m, floorRSSTarget), pw, pc)
	}
	b.WriteString("\nIn a ratio row, the \"each run\" cells divide the two configurations' plans of the same run (planned one after the other), and give the median of those per-run ratios: the machine's load changes less between two neighbouring plans than across the scenario.\n")
	if r.loadBefore != "" && r.loadAfter != "" {
		fmt.Fprintf(&b, "\nThe machine's 1-minute load average was %s before the plans and %s after them (%d CPUs; other work lengthens wall time more than CPU time).\n", r.loadBefore, r.loadAfter, runtime.NumCPU())
	}
	if r.failure != "" {
		fmt.Fprintf(&b, "\nThe scenario stopped early: %s.\n", r.failure)
	}
	return b.String()
}
