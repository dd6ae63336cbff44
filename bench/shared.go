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
	"slices"
	"strings"
	"sync"
	"time"
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
	apart    bool // each workspace as if on its own machine: no shared timeline
	phases   []sharedPhase
	total    sharedPhase
	leftover string // what destroy left in the emulator, if anything
}

func (r sharedRun) succeeded() bool {
	for _, p := range r.phases {
		if p.ok != p.of {
			return false
		}
	}
	return len(r.phases) == 3 && r.leftover == ""
}

// target is the goal for wall ÷ bound over the three phases (0: none set).
func target(w int) float64 {
	switch w {
	case 4:
		return 1.3
	case 8:
		return 1.4
	}
	return 0
}

// runShared runs the scenario at W = w with perWS webhooks and perWS users
// per workspace. A workspace failing is reported in the result, not as an
// error; the error is for the bench itself failing.
//
// apart runs each workspace as if on its own machine: with its own
// temporary directory, where the provider keeps the request timeline it
// shares with the other processes on a machine, so that the workspaces
// cooperate only through the API's 429s and their adaptive rates.
func (h *harness) runShared(ctx context.Context, w, perWS int, apart bool) (sharedRun, error) {
	run := sharedRun{w: w, apart: apart}
	emu, env, err := h.emulator()
	if err != nil {
		return run, err
	}
	defer emu.Close()
	label := "shared"
	if apart {
		label = "apart"
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
		fmt.Fprintf(os.Stderr, "W=%d: after destroy, %s are left in the emulator\n", w, run.leftover)
	}
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

// targetCell says whether p meets the goal at W = w.
func targetCell(p sharedPhase, w int) string {
	goal := target(w)
	if goal == 0 {
		return "—"
	}
	switch {
	case p.ok != p.of:
		return fmt.Sprintf("≤ %.1f: missed (%d of %d failed)", goal, p.of-p.ok, p.of)
	case p.bound() > 0 && p.wall.Seconds()/p.bound().Seconds() <= goal:
		return fmt.Sprintf("≤ %.1f: met", goal)
	default:
		return fmt.Sprintf("≤ %.1f: missed", goal)
	}
}

func renderShared(runs []sharedRun, perWS int, tf string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\nProduced by `make bench` on %s: %s.\n\n", sharedHeading, time.Now().UTC().Format("2006-01-02"), platform(tf))
	fmt.Fprintf(&b, "CI runs many Terraform workspaces side by side on one API token. One emulator enforces 10 requests/second for the token; W workspaces, each its own directory with %[1]d `entrupy_webhook` + %[1]d `entrupy_integration_user` (URLs and user ids unique per workspace) and a provider block with the defaults only, each run by its own `terraform` process with `-parallelism=10`. Each phase starts in all W workspaces at the same moment and ends when the last finishes: `apply -auto-approve`, a plain `plan -detailed-exitcode` that must exit 0 (no changes), and `destroy -auto-approve` (with its refresh). \"ok\" counts the workspaces that succeeded; all must. Useful requests are those the emulator answered with a status other than 429 (the work itself, whoever sent it); the bound, useful ÷ 10/s, is the least time the token's limit allows for them, so wall ÷ bound shows how well the W clients share the limit. Target: wall ÷ bound ≤ 1.3 at W = 4 and ≤ 1.4 at W = 8 over the three phases (the total rows), shown per phase too.\n\n"+
		"\"machines\" says how the workspaces meet. *one*: all on this machine, as the scenario asks; their provider processes pace themselves on one shared timeline. *apart*: each workspace gets its own temporary directory, so no timeline is shared, which is what workspaces on separate machines (separate CI runners) see; they cooperate only through the API's 429s and each provider's adaptive rate.\n\n", perWS)
	b.WriteString("| W | machines | phase | wall | workspaces ok | requests | 429s | useful | failed | bound | wall ÷ bound | target | provider peak RSS |\n")
	b.WriteString("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n")
	row := func(w int, apart bool, p sharedPhase, name string) {
		machines := "one"
		if apart {
			machines = "apart"
		}
		fmt.Fprintf(&b, "| %d | %s | %s | %.1fs | %d/%d | %d | %d | %d | %d | %.1fs | %s | %s | %.1f MiB |\n",
			w, machines, name, p.wall.Seconds(), p.ok, p.of, p.t.requests, p.t.status429, p.t.useful, p.t.failures,
			p.bound().Seconds(), ratio(p), targetCell(p, w), float64(p.peakRSSKiB)/1024)
	}
	var notes []string
	for _, r := range runs {
		for _, p := range r.phases {
			row(r.w, r.apart, p, p.name)
		}
		tot := r.total
		if len(r.phases) < 3 {
			notes = append(notes, fmt.Sprintf("W = %d stopped after %d of 3 phases.", r.w, len(r.phases)))
		}
		row(r.w, r.apart, tot, "**total**")
		if r.leftover != "" {
			notes = append(notes, fmt.Sprintf("W = %d: after destroy, %s were left in the emulator.", r.w, r.leftover))
		}
	}
	b.WriteString("\n\"failed\" counts connection resets, 5xx and 4xx answers other than 404 and 429; \"workspaces ok\" in a total row counts the workspaces that succeeded in all three phases. Provider peak RSS is the largest of the W provider processes.\n")
	for _, n := range notes {
		b.WriteString("\n" + n + "\n")
	}
	return b.String()
}
