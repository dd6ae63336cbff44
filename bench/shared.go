package main

// The shared-token scenario: CI runs many Terraform workspaces side by side
// on one Entrupy API token. One emulator enforces the 10 requests/second
// limit; W workspaces, each its own directory, configuration and terraform
// process, run apply, plan and destroy, each phase started in all W at once.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

const sharedHeading = "## Shared token: W workspaces at once"

// tailLines is how much of a failing workspace's output is printed.
const tailLines = 40

// sharedPhase is one phase in all W workspaces (or the totals of a run).
type sharedPhase struct {
	name       string
	wall       time.Duration // from the start to the last workspace finishing
	ok, of     int           // workspaces that succeeded, of W
	t          tally
	peakRSSKiB int64 // the largest provider process
}

func (p sharedPhase) bound() time.Duration {
	return time.Duration(float64(p.t.useful) / rateLimit * float64(time.Second))
}

// sharedRun is the scenario at one W.
type sharedRun struct {
	w        int
	apart    bool   // each workspace as if on its own machine: no shared timeline
	headers  string // the rate-limit headers the emulator sent ("": none)
	phases   []sharedPhase
	total    sharedPhase
	leftover string // what destroy left in the emulator, if anything
	// loadBefore and loadAfter are the machine's 1-minute load average
	// when the run started and ended ("" where unknown).
	loadBefore, loadAfter string
}

// label names the run in messages.
func (r sharedRun) label() string {
	where := "one machine"
	if r.apart {
		where = "apart"
	}
	return fmt.Sprintf("W=%d (%s, %s)", r.w, where, headersLabel(r.headers))
}

// headersLabel names a form of rate-limit headers for the results.
func headersLabel(form string) string {
	switch form {
	case "":
		return "none"
	case emulator.RateLimitHeadersIETF:
		return "RateLimit"
	case emulator.RateLimitHeadersX:
		return "X-RateLimit"
	}
	return form
}

func (r sharedRun) succeeded() bool {
	for _, p := range r.phases {
		if p.ok != p.of {
			return false
		}
	}
	return len(r.phases) == 3 && r.leftover == ""
}

// Targets over the three phases (the total rows): at W = 4 and 8 at most
// maxShare429 of the requests answered 429 and wall ÷ bound at most
// maxRatioShared; a single workspace within maxRatioAlone of the bound.
const (
	maxShare429    = 0.05
	maxRatioShared = 1.2
	maxRatioAlone  = 1.1
)

// target returns the goals at W = w: the most wall ÷ bound and the largest
// share of requests answered 429 (-1: none); ok is false where none is set.
func target(w int) (ratio, share float64, ok bool) {
	switch w {
	case 1:
		return maxRatioAlone, -1, true
	case 4, 8:
		return maxRatioShared, maxShare429, true
	}
	return 0, 0, false
}

// runShared runs the scenario at W = w with perWS webhooks and perWS users
// per workspace. A workspace failing is reported in the result, not as an
// error; the error is for the bench itself failing.
//
// apart runs each workspace as if on its own machine: with its own
// temporary directory, where the provider keeps the request timeline it
// shares with the other processes on a machine, so that the workspaces
// cooperate only through the API's 429s and their adaptive rates.
func (h *harness) runShared(ctx context.Context, w, perWS int, apart bool, headers string) (sharedRun, error) {
	run := sharedRun{w: w, apart: apart, headers: headers, loadBefore: loadAverage()}
	emu, env, err := h.emulatorWithHeaders(headers)
	if err != nil {
		return run, err
	}
	defer emu.Close()
	label := "shared"
	if apart {
		label = "apart"
	}
	if headers != "" {
		label += "-" + headers
	}
	dirs := make([]string, w)
	envs := make([][]string, w)
	for i := range dirs {
		dirs[i] = filepath.Join(h.dir, fmt.Sprintf("%s-w%d", label, w), fmt.Sprintf("ws%02d", i))
		envs[i] = env
		if apart {
			tmp := filepath.Join(dirs[i], "tmp")
			if err := os.MkdirAll(tmp, 0o700); err != nil {
				return run, err
			}
			envs[i] = append(slices.Clone(env), "TMPDIR="+tmp)
		}
		nm := naming{
			userID: fmt.Sprintf("bench-ws%02d-user-", i),
			email:  fmt.Sprintf("bench-ws%02d-", i),
			url:    fmt.Sprintf("https://hooks.example.com/ws%02d/", i),
		}
		if err := writeConfig(dirs[i], perWS, nm); err != nil {
			return run, err
		}
	}
	steps := []struct {
		name string
		args []string
	}{
		{"apply", []string{"apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}},
		{"plan", []string{"plan", "-detailed-exitcode", "-input=false", "-no-color", "-parallelism=10"}},
		{"destroy", []string{"destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=10"}},
	}
	wsOK := make([]bool, w)
	for i := range wsOK {
		wsOK[i] = true
	}
	run.total = sharedPhase{name: "total", of: w}
	for _, st := range steps {
		if ctx.Err() != nil {
			break
		}
		fmt.Printf("W=%d (%s) %s in %d workspaces …\n", w, label, st.name, w)
		emu.ResetCounts()
		p, errs := h.runAll(ctx, dirs, envs, st.args)
		p.name = st.name
		p.t = tallyOf(emu)
		for i, err := range errs {
			if err != nil {
				wsOK[i] = false
			}
		}
		fmt.Printf("W=%d (%s) %s: %.1fs, %d/%d workspaces ok, %d requests (%d 429s, %d useful), wall ÷ bound %s\n",
			w, label, st.name, p.wall.Seconds(), p.ok, p.of, p.t.requests, p.t.status429, p.t.useful, ratio(p))
		run.phases = append(run.phases, p)
		run.total.wall += p.wall
		run.total.t.requests += p.t.requests
		run.total.t.status429 += p.t.status429
		run.total.t.failures += p.t.failures
		run.total.t.useful += p.t.useful
		run.total.peakRSSKiB = max(run.total.peakRSSKiB, p.peakRSSKiB)
	}
	for _, ok := range wsOK {
		if ok && len(run.phases) == len(steps) {
			run.total.ok++
		}
	}
	if inv := emu.Inventory(); len(inv.Webhooks) != 0 || len(inv.Users) != 0 {
		run.leftover = fmt.Sprintf("%d webhooks and %d users", len(inv.Webhooks), len(inv.Users))
		fmt.Fprintf(os.Stderr, "%s: after destroy, %s are left in the emulator\n", run.label(), run.leftover)
	}
	run.loadAfter = loadAverage()
	return run, nil
}

// runAll starts `terraform args...` in every directory at the same moment
// and waits for all, within the phase timeout. It returns the phase's wall
// time, workspaces ok and provider peak RSS, and each workspace's error
// (after printing the tail of its output).
func (h *harness) runAll(ctx context.Context, dirs []string, envs [][]string, args []string) (sharedPhase, []error) {
	pctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	logs := make([]bytes.Buffer, len(dirs))
	cmds := make([]*exec.Cmd, len(dirs))
	for i, d := range dirs {
		cmds[i] = h.terraform(pctx, d, envs[i], &logs[i], args...)
	}
	errs := make([]error, len(dirs))
	ends := make([]time.Time, len(dirs))
	var wg sync.WaitGroup
	stopRSS := h.sampleRSS()
	start := time.Now()
	for i, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			errs[i], ends[i] = err, time.Now()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmd.Wait()
			ends[i] = time.Now()
		}()
	}
	wg.Wait()
	p := sharedPhase{of: len(dirs), peakRSSKiB: stopRSS()}
	for i, err := range errs {
		p.wall = max(p.wall, ends[i].Sub(start))
		var exit *exec.ExitError
		if args[0] == "plan" && errors.As(err, &exit) && exit.ExitCode() == 2 {
			err = fmt.Errorf("plan reported changes (exit 2 of -detailed-exitcode)")
		}
		err = phaseTimeoutError(pctx, err, h.timeout)
		if err == nil {
			p.ok++
			continue
		}
		errs[i] = err
		fmt.Fprintf(os.Stderr, "workspace %s: terraform %s failed: %v\n--- last %d lines of its output ---\n%s\n---\n",
			filepath.Base(dirs[i]), args[0], err, tailLines, tail(logs[i].String(), tailLines))
	}
	return p, errs
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

func ratio(p sharedPhase) string {
	if p.bound() <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", p.wall.Seconds()/p.bound().Seconds())
}

// share429 is the part of p's requests answered 429, as a percentage.
func share429(p sharedPhase) string {
	if p.t.requests == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(p.t.status429)/float64(p.t.requests))
}

// targetCell says whether p meets the goals at W = w.
func targetCell(p sharedPhase, w int) string {
	maxRatio, maxShare, ok := target(w)
	if !ok {
		return "—"
	}
	goal := fmt.Sprintf("≤ %.1f", maxRatio)
	if maxShare >= 0 {
		goal = fmt.Sprintf("≤ %.0f%% 429s, ≤ %.1f", 100*maxShare, maxRatio)
	}
	var missed []string
	if p.ok != p.of {
		missed = append(missed, fmt.Sprintf("%d of %d failed", p.of-p.ok, p.of))
	}
	if maxShare >= 0 && p.t.requests > 0 && float64(p.t.status429) > maxShare*float64(p.t.requests) {
		missed = append(missed, "429s")
	}
	if p.bound() <= 0 || p.wall.Seconds()/p.bound().Seconds() > maxRatio {
		missed = append(missed, "wall")
	}
	if len(missed) > 0 {
		return goal + ": missed (" + strings.Join(missed, ", ") + ")"
	}
	return goal + ": met"
}

func renderShared(runs []sharedRun, perWS int, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nProduced by `make bench` on %s: %s.\n\n", sharedHeading, time.Now().UTC().Format("2006-01-02"), platform(tf))
	fmt.Fprintf(&b, "CI runs many Terraform workspaces side by side on one API token. One emulator enforces 10 requests/second for the token (a bucket of 10, answering 429 with Retry-After beyond); W workspaces, each its own directory with %[1]d `entrupy_webhook` + %[1]d `entrupy_integration_user` (URLs and user ids unique per workspace) and a provider block with the defaults only, each run by its own `terraform` process with `-parallelism=10`. Each phase starts in all W workspaces at the same moment and ends when the last finishes: `apply -auto-approve`, a plain `plan -detailed-exitcode` that must exit 0 (no changes), and `destroy -auto-approve` (with its refresh). \"ok\" counts the workspaces that succeeded; all must, and destroy must leave nothing behind. The 429 share is the part of all requests the emulator answered 429: how often the workspaces knocked on a closed door. Useful requests are those it answered with a status other than 429 (the work itself, whoever sent it); the bound, useful ÷ 10/s, is the least time the token's limit allows for them, so wall ÷ bound shows how well the W clients share the limit. Each Terraform command starts a provider process per walk (plan, apply), and each starts with no knowledge of the others. Targets, over the three phases (the total rows; shown per phase too): at W = 4 and W = 8, at most %[2]d%% of requests answered 429 and wall ÷ bound ≤ %.1[3]f; at W = 1, wall ÷ bound ≤ %.1[4]f. At W = 1 the wall includes Terraform's own time for each command (starting, building the graph, writing state: about half a second a command on this machine), a large part of phases this short, which no pacing removes.\n\n", perWS, int(100*maxShare429), maxRatioShared, maxRatioAlone)
	b.WriteString("\"machines\" says how the workspaces meet. *one*: all on this machine; their provider processes pace themselves on one shared timeline (a file in the temporary directory). *apart*: each workspace gets its own temporary directory, so no timeline is shared: what workspaces on separate machines (separate CI runners) see, and what workspaces on one machine would see without the shared file. They cooperate only through the API's answers and each provider's adaptive rate. The one and apart rows of a W differ only by the shared file: the difference is what it earns. \"API headers\" says whether the emulator said how much of its limit was left: *none*, as Entrupy (429 and Retry-After only), or *RateLimit* (`RateLimit` and `RateLimit-Policy` of the IETF httpapi draft, optional in the contract) that the provider paces to when they come.\n\n")
	b.WriteString("| W | machines | API headers | phase | wall | workspaces ok | requests | 429s | 429 share | useful | failed | bound | wall ÷ bound | target | provider peak RSS |\n")
	b.WriteString("|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n")
	row := func(r sharedRun, p sharedPhase, name string) {
		machines := "one"
		if r.apart {
			machines = "apart"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %s | %.1fs | %d/%d | %d | %d | %s | %d | %d | %.1fs | %s | %s | %.1f MiB |\n",
			r.w, machines, headersLabel(r.headers), name, p.wall.Seconds(), p.ok, p.of, p.t.requests, p.t.status429, share429(p), p.t.useful, p.t.failures,
			p.bound().Seconds(), ratio(p), targetCell(p, r.w), float64(p.peakRSSKiB)/1024)
	}
	var notes, loads []string
	for _, r := range runs {
		for _, p := range r.phases {
			row(r, p, p.name)
		}
		tot := r.total
		if len(r.phases) < 3 {
			notes = append(notes, fmt.Sprintf("%s stopped after %d of 3 phases.", r.label(), len(r.phases)))
		}
		row(r, tot, "**total**")
		if r.leftover != "" {
			notes = append(notes, fmt.Sprintf("%s: after destroy, %s were left in the emulator.", r.label(), r.leftover))
		}
		if r.loadBefore != "" {
			loads = append(loads, fmt.Sprintf("%s %s → %s", r.label(), r.loadBefore, r.loadAfter))
		}
	}
	b.WriteString("\n\"failed\" counts connection resets, 5xx and 4xx answers other than 404 and 429; \"workspaces ok\" in a total row counts the workspaces that succeeded in all three phases. Provider peak RSS is the largest of the W provider processes.\n")
	if len(loads) > 0 {
		fmt.Fprintf(&b, "\nThe machine (%d CPUs, shared with other work) had a 1-minute load average, at the start → end of each run: %s. The W terraform and provider processes of a run are part of that load; more load lengthens Terraform's own time, hence the walls.\n", runtime.NumCPU(), strings.Join(loads, "; "))
	}
	for _, n := range notes {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}
