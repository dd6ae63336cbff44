// Command bench measures the provider at scale, against the emulator with
// Entrupy's 10 requests/second limit on. Two scenarios, each skippable:
//
//   - -n: one workspace creates, refreshes and destroys N webhooks and N
//     integration users with terraform -parallelism=10, and reports wall time,
//     API requests per resource, 429s, failures, the ratio of wall time to the
//     rate-limit bound (requests ÷ 10/s) and the provider process's peak RSS.
//   - -workspaces, -apart: W workspaces share one API token (shared.go):
//     apply, plan and destroy run in all W at once, on one machine or as if
//     apart, and the share of requests answered 429 and the wall time
//     against the bound of the requests the emulator answered with other
//     than 429 are reported; -rate-limit-headers repeats it with the
//     emulator saying how much of its limit is left.
//   - -refresh, -account, -small-account, -plan-cpu (refresh.go): refresh of many objects
//     against the bound of one GET per object, without and with many
//     unmanaged users in the account, and (plan.go) plan wall time, CPU and
//     peak RSS beside a floor provider (bench/floor).
//
// Run it with `make bench`; it writes bench/results.md, one section per
// scenario (a skipped scenario's section is kept from the existing file).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const rateLimit = 10.0 // Entrupy's documented limit, enforced by the emulator

type phase struct {
	n          int
	name       string
	wall       time.Duration
	requests   int
	perRes     map[string]float64 // route → requests per resource
	status429  int
	failures   int
	peakRSSKiB int64
}

func (p phase) bound() time.Duration {
	return time.Duration(float64(p.requests) / rateLimit * float64(time.Second))
}

func main() {
	ns := flag.String("n", "100,500", "comma-separated resource counts (N webhooks and N users each); 0 or empty skips this scenario")
	ws := flag.String("workspaces", "1,4,8", "comma-separated workspace counts W for the shared-token scenario; 0 or empty skips it")
	apart := flag.String("apart", "1,4,8", "comma-separated W for the shared-token scenario with each workspace as if on its own machine (no shared timeline); 0 or empty skips it")
	headers := flag.String("rate-limit-headers", "none,"+emulator.RateLimitHeadersIETF, "comma-separated forms of rate-limit headers the emulator sends in the shared-token scenario, each a run of every W: none (as Entrupy: 429 and Retry-After only), "+emulator.RateLimitHeadersIETF+" or "+emulator.RateLimitHeadersX)
	perWS := flag.Int("per-workspace", 30, "webhooks (and as many users) per workspace in the shared-token scenario (lower it for a smoke run)")
	timeout := flag.Duration("phase-timeout", 15*time.Minute, "a phase running longer is killed and reported as failed")
	out := flag.String("out", "bench/results.md", "where to write the Markdown tables")
	tf := flag.String("terraform", "", "Terraform CLI (default: TF_ACC_TERRAFORM_PATH, then terraform on PATH)")
	refresh := flag.String("refresh", "1000,100", "USERS,WEBHOOKS: refresh that many integration users and webhooks at 10 requests/second against the bound of one GET per object; 0 or empty skips it")
	account := flag.String("account", "1000,100,20000", "USERS,WEBHOOKS,UNMANAGED: the same refresh in an account holding UNMANAGED more users, half created before the managed ones and half after; 0 or empty skips it")
	smallAccount := flag.String("small-account", "50,1,1000", "USERS,WEBHOOKS,UNMANAGED: -account again for a small configuration in a big account (target the same); 0 or empty skips it")
	planCPU := flag.String("plan-cpu", "1000", "N: plan wall time, CPU and peak RSS of N webhooks beside N resources of the floor provider (bench/floor), against an emulator without limit; 0 or empty skips it")
	planRuns := flag.Int("plan-runs", 5, "how many times -plan-cpu plans each configuration (medians are reported)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	rs, err := parseRefreshScenarios(*refresh, *account, *smallAccount, *planCPU, *planRuns)
	if err == nil {
		err = run(ctx, *ns, *ws, *apart, *headers, *perWS, *timeout, *out, *tf, rs)
	}
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// counts parses a comma-separated list of positive counts; "" and "0" mean
// none (the scenario is skipped).
func counts(flagName, s string) ([]int, error) {
	if s = strings.TrimSpace(s); s == "" || s == "0" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("bad -%s value %q", flagName, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// headerForms parses -rate-limit-headers: "none" is the emulator's default
// (no headers, as Entrupy), the rest its RateLimitHeaders forms.
func headerForms(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "none":
			out = append(out, "")
		case emulator.RateLimitHeadersIETF, emulator.RateLimitHeadersX:
			out = append(out, f)
		default:
			return nil, fmt.Errorf("bad -rate-limit-headers value %q (none, %s or %s)", f, emulator.RateLimitHeadersIETF, emulator.RateLimitHeadersX)
		}
	}
	return out, nil
}

func run(ctx context.Context, ns, ws, apart, headers string, perWS int, timeout time.Duration, out, tf string, rs refreshScenarios) error {
	nList, err := counts("n", ns)
	if err != nil {
		return err
	}
	wList, err := counts("workspaces", ws)
	if err != nil {
		return err
	}
	apartList, err := counts("apart", apart)
	if err != nil {
		return err
	}
	forms, err := headerForms(headers)
	if err != nil {
		return err
	}
	type sharedCase struct {
		w       int
		apart   bool
		headers string
	}
	var cases []sharedCase
	for _, form := range forms {
		for _, w := range wList {
			cases = append(cases, sharedCase{w, false, form})
		}
		for _, w := range apartList {
			cases = append(cases, sharedCase{w, true, form})
		}
	}
	if perWS < 1 {
		return fmt.Errorf("bad -per-workspace value %d", perWS)
	}
	if len(nList) == 0 && len(cases) == 0 && rs.empty() {
		return fmt.Errorf("every scenario skipped (-n, -workspaces, -apart, -refresh, -account, -small-account and -plan-cpu empty): nothing to do")
	}
	h, err := newHarness(ctx, tf, timeout)
	if err != nil {
		return err
	}
	defer h.cleanup()

	var nSection string
	if len(nList) > 0 {
		var phases []phase
		for _, n := range nList {
			ps, err := h.runN(ctx, n)
			if err != nil {
				return err
			}
			phases = append(phases, ps...)
		}
		nSection = render(phases, h.tf)
		fmt.Print(nSection)
	}
	var sharedSection string
	var sharedErr error
	if len(cases) > 0 {
		var runs []sharedRun
		for _, c := range cases {
			r, err := h.runShared(ctx, c.w, perWS, c.apart, c.headers)
			if err != nil {
				return err
			}
			runs = append(runs, r)
			if ctx.Err() != nil {
				break
			}
		}
		sharedSection = renderShared(runs, perWS, h.tf)
		fmt.Print("\n" + sharedSection)
		var bad []string
		for _, r := range runs {
			if !r.succeeded() {
				bad = append(bad, r.label())
			}
		}
		if len(bad) > 0 {
			sharedErr = fmt.Errorf("shared-token scenario failed at %s (see the output tails above; results written to %s)", strings.Join(bad, ", "), out)
		}
	}
	sections := map[string]string{}
	var refreshFailed []string
	if !rs.empty() && ctx.Err() == nil {
		if sections, refreshFailed, err = h.refreshSections(ctx, rs); err != nil {
			return err
		}
	}
	sections[""], sections[sharedHeading] = nSection, sharedSection
	if err := writeSections(out, sections); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted")
	}
	if len(refreshFailed) > 0 {
		return errors.Join(sharedErr, fmt.Errorf("%s (results written to %s)", strings.Join(refreshFailed, "; "), out))
	}
	return sharedErr
}

// harness is what both scenarios share: the Terraform CLI, a provider binary
// built from this checkout and a CLI configuration whose dev_overrides point
// Terraform at it, all in a temporary directory.
type harness struct {
	tf       string
	dir      string // temporary; removed by cleanup
	provider string // the provider binary (what watchRSS looks for)
	rc       string // TF_CLI_CONFIG_FILE
	timeout  time.Duration
}

func newHarness(ctx context.Context, tf string, timeout time.Duration) (*harness, error) {
	if tf == "" {
		tf = os.Getenv("TF_ACC_TERRAFORM_PATH")
	}
	if tf == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			return nil, fmt.Errorf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
		tf = p
	}
	dir, err := os.MkdirTemp("", "entrupy-bench")
	if err != nil {
		return nil, err
	}
	h := &harness{tf: tf, dir: dir, rc: filepath.Join(dir, "terraformrc"), timeout: timeout}
	fmt.Println("building the provider")
	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	bin := filepath.Join(dir, "bin")
	if h.provider, err = testsupport.BuildProvider(bctx, ".", bin); err != nil {
		h.cleanup()
		return nil, err
	}
	if err := testsupport.WriteCLIConfig(h.rc, bin); err != nil {
		h.cleanup()
		return nil, err
	}
	return h, nil
}

func (h *harness) cleanup() { _ = os.RemoveAll(h.dir) }

// emulator starts a fresh emulator enforcing rateLimit and returns it with
// the environment Terraform runs in against it; its Close stops it.
func (h *harness) emulator() (*testsupport.Emulator, []string, error) {
	return h.emulatorWithHeaders("")
}

// emulatorWithHeaders is emulator with rate-limit headers of the form given
// (emulator.Options.RateLimitHeaders; "" sends none, as Entrupy).
func (h *harness) emulatorWithHeaders(form string) (*testsupport.Emulator, []string, error) {
	emu, err := testsupport.NewEmulator(emulator.Options{Token: "bench-token", RateLimit: rateLimit, RateLimitHeaders: form, NoSeed: true})
	if err != nil {
		return nil, nil, err
	}
	env := testsupport.TerraformEnv(h.rc, "ENTRUPY_BASE_URL="+emu.URL, "ENTRUPY_API_TOKEN="+emu.Token)
	return emu, env, nil
}

// naming makes a workspace's resources unique: how user ids, emails and
// webhook URLs start.
type naming struct{ userID, email, url string }

// writeConfig writes main.tf with n webhooks and n integration users and a
// provider block with the defaults only.
func writeConfig(work string, n int, nm naming) error {
	if err := os.MkdirAll(work, 0o700); err != nil {
		return err
	}
	config := fmt.Sprintf(`
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {} # default: 10 requests/second, 4 retries

resource "entrupy_integration_user" "u" {
  count          = %[1]d
  unique_user_id = format("%[2]s%%05d", count.index)
  email          = format("%[3]s%%05d@example.com", count.index)
}
resource "entrupy_webhook" "w" {
  count     = %[1]d
  url       = format("%[4]s%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "bench-secret"
}
`, n, nm.userID, nm.email, nm.url)
	return os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600)
}

// terraform prepares `terraform args...` in work, with stdout and stderr
// into log. It is killed with its process group (the provider plugins
// included) when ctx ends.
func (h *harness) terraform(ctx context.Context, work string, env []string, log *bytes.Buffer, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, h.tf, args...)
	cmd.Dir, cmd.Env = work, env
	cmd.Stdout, cmd.Stderr = log, log
	killGroupOnCancel(cmd)
	cmd.WaitDelay = 10 * time.Second
	return cmd
}

// sampleRSS starts watchRSS on the provider binary; the returned function
// stops it and returns the peak in KiB.
func (h *harness) sampleRSS() func() int64 {
	stop := make(chan struct{})
	var peak int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); peak = watchRSS(h.provider, stop) }()
	return func() int64 { close(stop); wg.Wait(); return peak }
}

// tally is what the emulator answered since its last ResetCounts.
type tally struct {
	requests  int // every request received
	status429 int
	failures  int // connection resets, 5xx and 4xx other than 404 and 429
	useful    int // answered with a status other than 429 (and not reset)
}

func tallyOf(emu *testsupport.Emulator) tally {
	var t tally
	for _, c := range emu.Counts() {
		t.requests += c
	}
	for status, c := range emu.Statuses() {
		switch {
		case status == 429:
			t.status429 += c
		case status == 0 || status >= 500 || (status >= 400 && status != 404):
			t.failures += c
		}
		if status != 429 && status != 0 {
			t.useful += c
		}
	}
	return t
}

// phaseTimeoutError wraps err when the phase's context ran out.
func phaseTimeoutError(ctx context.Context, err error, timeout time.Duration) error {
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("killed after the phase timeout of %s: %w", timeout, err)
	}
	return err
}

func (h *harness) runN(ctx context.Context, n int) ([]phase, error) {
	emu, env, err := h.emulator()
	if err != nil {
		return nil, err
	}
	defer emu.Close()
	work := filepath.Join(h.dir, fmt.Sprintf("n%d", n))
	if err := writeConfig(work, n, naming{userID: "bench-user-", email: "bench", url: "https://hooks.example.com/"}); err != nil {
		return nil, err
	}
	resources := 2 * n
	steps := []struct {
		name string
		args []string
	}{
		{"create", []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}},
		{"refresh", []string{"apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}},
		{"destroy", []string{"destroy", "-refresh=false", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}},
	}
	var out []phase
	for _, st := range steps {
		fmt.Printf("N=%d %s …\n", n, st.name)
		emu.ResetCounts()
		pctx, cancel := context.WithTimeout(ctx, h.timeout)
		var log bytes.Buffer
		cmd := h.terraform(pctx, work, env, &log, st.args...)
		stopRSS := h.sampleRSS()
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		peak := stopRSS()
		err = phaseTimeoutError(pctx, err, h.timeout)
		cancel()
		if err != nil {
			return nil, fmt.Errorf("phase %s at N=%d: %w\n%s", st.name, n, err, log.String())
		}
		t := tallyOf(emu)
		p := phase{
			n: n, name: st.name, wall: wall, perRes: map[string]float64{}, peakRSSKiB: peak,
			requests: t.requests, status429: t.status429, failures: t.failures,
		}
		for route, c := range emu.Counts() {
			p.perRes[route] = float64(c) / float64(resources)
		}
		out = append(out, p)
	}
	if inv := emu.Inventory(); len(inv.Webhooks) != 0 || len(inv.Users) != 0 {
		return nil, fmt.Errorf("after destroy at N=%d: %d webhooks and %d users left", n, len(inv.Webhooks), len(inv.Users))
	}
	return out, nil
}

// watchRSS polls /proc for the provider processes and returns the peak
// resident set (VmHWM) in KiB of the largest.
func watchRSS(binary string, stop <-chan struct{}) int64 {
	var peak int64
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, c := range procs {
			b, err := os.ReadFile(c)
			if err != nil || !bytes.HasPrefix(b, []byte(binary)) {
				continue
			}
			status, err := os.ReadFile(filepath.Join(filepath.Dir(c), "status"))
			if err != nil {
				continue
			}
			for _, line := range strings.Split(string(status), "\n") {
				if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
					if v, _ := strconv.ParseInt(f[1], 10, 64); v > peak {
						peak = v
					}
				}
			}
		}
		select {
		case <-stop:
			return peak
		case <-tick.C:
		}
	}
}

// platform describes the machine and tools, for the tables' headers.
func platform(tf string) string {
	tfv, _ := exec.Command(tf, "version").Output()
	return fmt.Sprintf("%s, %d CPUs, %s, %s", runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), strings.SplitN(string(tfv), "\n", 2)[0])
}

func render(phases []phase, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Scale benchmark\n\nProduced by `make bench` on %s: %s.\n\n", time.Now().UTC().Format("2006-01-02"), platform(tf))
	b.WriteString("Each N is N `entrupy_webhook` + N `entrupy_integration_user` (2N resources), applied with `-parallelism=10` and the provider's defaults (10 requests/second client limit, 4 retries) against the emulator enforcing 10 requests/second (429 + Retry-After beyond). Destroy runs with `-refresh=false`, so it measures the deletes alone. The bound is the least time the rate limit allows: requests ÷ 10/s.\n\n")
	b.WriteString("| N | phase | wall | requests | per resource | 429s | failed | bound | wall ÷ bound | provider peak RSS |\n")
	b.WriteString("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, p := range phases {
		var per []string
		for _, route := range []string{"POST /v2/webhooks", "POST /v2/integrations/users", "GET /v2/webhooks", "GET /v2/integrations/users", "GET /v2/webhooks/{id}", "GET /v2/integrations/users/{unique_user_id}", "DELETE /v2/webhooks/{id}", "DELETE /v2/integrations/users/{unique_user_id}"} {
			if v, ok := p.perRes[route]; ok {
				kind := "user"
				if strings.Contains(route, "/v2/webhooks") {
					kind = "webhook"
				}
				what := strings.SplitN(route, " ", 2)[0]
				if !strings.Contains(route, "{") && what == "GET" {
					what = "list page"
				}
				per = append(per, fmt.Sprintf("%.2f %s/%s", v*2, what, kind))
			}
		}
		fmt.Fprintf(&b, "| %d | %s | %.1fs | %d | %s | %d | %d | %.1fs | %.3f | %.1f MiB |\n",
			p.n, p.name, p.wall.Seconds(), p.requests, strings.Join(per, ", "), p.status429, p.failures,
			p.bound().Seconds(), p.wall.Seconds()/p.bound().Seconds(), float64(p.peakRSSKiB)/1024)
	}
	b.WriteString("\n\"per resource\" counts each route's requests per resource of its own type (webhook routes per webhook, user routes per user); \"list page\" is a page of `GET /v2/webhooks` or `GET /v2/integrations/users`: in a create, the webhook creates' check that no webhook delivers to the url yet (every create reads the webhooks afresh, the creates waiting at the same time sharing one listing); in a refresh, the list-backed reads. The remaining requests are the provider's health check when Terraform configures it. Goal: refresh within 1.15× of the bound, no failed operation.\n")
	return b.String()
}
