// Command bench measures the provider at scale: against the emulator with
// Entrupy's 10 requests/second limit on, it creates, refreshes and destroys
// N webhooks and N integration users with terraform -parallelism=10, and
// reports wall time, API requests per resource, 429s, failures, the ratio of
// wall time to the rate-limit bound (requests ÷ 10/s) and the provider
// process's peak RSS. Run it with `make bench`; it writes bench/results.md.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
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
	ns := flag.String("n", "100,500", "comma-separated resource counts (N webhooks and N users each)")
	out := flag.String("out", "bench/results.md", "where to write the Markdown table")
	tf := flag.String("terraform", "", "Terraform CLI (default: TF_ACC_TERRAFORM_PATH, then terraform on PATH)")
	flag.Parse()
	if err := run(*ns, *out, *tf); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ns, out, tf string) error {
	if tf == "" {
		tf = os.Getenv("TF_ACC_TERRAFORM_PATH")
	}
	if tf == "" {
		p, err := exec.LookPath("terraform")
		if err != nil {
			return fmt.Errorf("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
		}
		tf = p
	}
	dir, err := os.MkdirTemp("", "entrupy-bench")
	if err != nil {
		return err
	}
	defer func() { _ = os.RemoveAll(dir) }()
	bin := filepath.Join(dir, "bin")
	fmt.Println("building the provider")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-entrupy"), ".")
	if b, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, b)
	}
	rc := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(rc, fmt.Appendf(nil, "provider_installation {\n  dev_overrides {\n    \"registry.terraform.io/entrupy/entrupy\" = %q\n  }\n  direct {}\n}\n", bin), 0o600); err != nil {
		return err
	}
	var phases []phase
	for _, s := range strings.Split(ns, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad -n value %q", s)
		}
		ps, err := runN(tf, dir, rc, bin, n)
		if err != nil {
			return err
		}
		phases = append(phases, ps...)
	}
	table := render(phases, tf)
	fmt.Print(table)
	return os.WriteFile(out, []byte(table), 0o644)
}

func runN(tf, dir, rc, bin string, n int) ([]phase, error) {
	emu, err := emulator.New(emulator.Options{Token: "bench-token", RateLimit: rateLimit, NoSeed: true})
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	work := filepath.Join(dir, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(work, 0o700); err != nil {
		return nil, err
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
  unique_user_id = format("bench-user-%%05d", count.index)
  email          = format("bench%%05d@example.com", count.index)
}
resource "entrupy_webhook" "w" {
  count     = %[1]d
  url       = format("https://hooks.example.com/%%d", count.index)
  events    = ["session.completed"]
  secret_wo = "bench-secret"
}
`, n)
	if err := os.WriteFile(filepath.Join(work, "main.tf"), []byte(config), 0o600); err != nil {
		return nil, err
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1",
		"ENTRUPY_BASE_URL="+srv.URL, "ENTRUPY_API_TOKEN=bench-token")
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
		cmd := exec.Command(tf, st.args...)
		cmd.Dir, cmd.Env = work, env
		var log bytes.Buffer
		cmd.Stdout, cmd.Stderr = &log, &log
		stop := make(chan struct{})
		var peak int64
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done(); peak = watchRSS(filepath.Join(bin, "terraform-provider-entrupy"), stop) }()
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		close(stop)
		wg.Wait()
		if err != nil {
			return nil, fmt.Errorf("phase %s at N=%d: %w\n%s", st.name, n, err, log.String())
		}
		p := phase{n: n, name: st.name, wall: wall, perRes: map[string]float64{}, peakRSSKiB: peak}
		for route, c := range emu.Counts() {
			p.requests += c
			p.perRes[route] = float64(c) / float64(resources)
		}
		for status, c := range emu.Statuses() {
			switch {
			case status == 429:
				p.status429 += c
			case status == 0 || status >= 500 || (status >= 400 && status != 404):
				p.failures += c
			}
		}
		out = append(out, p)
	}
	if inv := emu.Inventory(); len(inv.Webhooks) != 0 || len(inv.Users) != 0 {
		return nil, fmt.Errorf("after destroy at N=%d: %d webhooks and %d users left", n, len(inv.Webhooks), len(inv.Users))
	}
	return out, nil
}

// watchRSS polls /proc for the provider process and returns its peak
// resident set (VmHWM) in KiB.
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

func render(phases []phase, tf string) string {
	var b strings.Builder
	tfv, _ := exec.Command(tf, "version").Output()
	fmt.Fprintf(&b, "# Scale benchmark\n\nProduced by `make bench` on %s: %s, %d CPUs, %s, %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), runtime.GOOS+"/"+runtime.GOARCH, runtime.NumCPU(), runtime.Version(), strings.SplitN(string(tfv), "\n", 2)[0])
	b.WriteString("Each N is N `entrupy_webhook` + N `entrupy_integration_user` (2N resources), applied with `-parallelism=10` and the provider's defaults (10 requests/second client limit, 4 retries) against the emulator enforcing 10 requests/second (429 + Retry-After beyond). Destroy runs with `-refresh=false`, so it measures the deletes alone. The bound is the least time the rate limit allows: requests ÷ 10/s.\n\n")
	b.WriteString("| N | phase | wall | requests | per resource | 429s | failed | bound | wall ÷ bound | provider peak RSS |\n")
	b.WriteString("|---:|---|---:|---:|---|---:|---:|---:|---:|---:|\n")
	for _, p := range phases {
		var per []string
		for _, route := range []string{"POST /v2/webhooks", "POST /v2/integrations/users", "GET /v2/webhooks/{id}", "GET /v2/integrations/users/{unique_user_id}", "DELETE /v2/webhooks/{id}", "DELETE /v2/integrations/users/{unique_user_id}"} {
			if v, ok := p.perRes[route]; ok {
				kind := "user"
				if strings.Contains(route, "/v2/webhooks") {
					kind = "webhook"
				}
				per = append(per, fmt.Sprintf("%.2f %s/%s", v*2, strings.SplitN(route, " ", 2)[0], kind))
			}
		}
		fmt.Fprintf(&b, "| %d | %s | %.1fs | %d | %s | %d | %d | %.1fs | %.3f | %.1f MiB |\n",
			p.n, p.name, p.wall.Seconds(), p.requests, strings.Join(per, ", "), p.status429, p.failures,
			p.bound().Seconds(), p.wall.Seconds()/p.bound().Seconds(), float64(p.peakRSSKiB)/1024)
	}
	b.WriteString("\n\"per resource\" counts each route's requests per resource of its own type (webhook routes per webhook, user routes per user); the remaining requests are the provider's health check when Terraform configures it. Goal: refresh within 1.15× of the bound, no failed operation.\n")
	return b.String()
}
