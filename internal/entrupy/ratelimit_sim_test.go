package entrupy

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// A simulation of W workspaces on one API token, in virtual time: the
// limiters are the client's own, driven by a discrete-event loop instead of
// real sleeps. The server is a token bucket of 10 requests/second and a
// burst of 10, as the emulator enforces: a 429 carries Retry-After, the
// whole seconds until a token frees (at least 1). Each workspace runs the
// bench's three commands (apply, plan, destroy); a command is one or two
// Terraform walks, each a provider process of its own (a new limiter: the
// rate learnt is forgotten) doing its requests with -parallelism=10, one
// request per worker at a time, 10–40 ms of latency each way and up to
// 30 ms between a worker's requests. A request answered 429 is retried as
// the client does: after Retry-After and up to half as much again. A
// command starts in all W workspaces at once; Terraform takes a while to
// start each (more with more workspaces on the machine) and each walk.
// The bench (make bench) measures the same with real processes (its 429
// shares and walls came within a point and a few hundredths of these); this
// test keeps the adaptive rate honest on every change.

const simCeiling = 10.0

// simCommand is one Terraform command in a workspace: the requests of each
// of its walks, one walk after the other.
type simCommand []int

// simBenchCommands are the bench's commands in one workspace of 30
// webhooks and 30 users at W workspaces, with the requests the bench
// counted per workspace at W = 1, 4 and 8: apply (a plan walk that only
// configures the provider, then the creates with their webhook listings),
// plan (a refresh by single reads and list pages) and destroy (the
// refresh, then the deletes). A slower pace per workspace makes more
// listings and single reads.
func simBenchCommands(w int) []simCommand {
	switch {
	case w == 1:
		return []simCommand{{1, 66}, {12}, {12, 60}}
	case w < 8:
		return []simCommand{{1, 76}, {40}, {38, 60}}
	}
	return []simCommand{{1, 93}, {51}, {45, 61}}
}

// simOptions describe one simulated run.
type simOptions struct {
	workspaces int
	commands   []simCommand
	// hints makes the server send rate-limit headers (limit, remaining).
	hints bool
	// shared puts every limiter on one timeline, as processes on one
	// machine share one (a file; here in memory).
	shared bool
	seed   uint64
}

type simResult struct {
	requests, limited, answered int
	commands                    []simResult
	wall                        time.Duration // the commands one after the other
}

func (r *simResult) add(o simResult) {
	r.requests += o.requests
	r.limited += o.limited
	for i, c := range o.commands {
		if i == len(r.commands) {
			r.commands = append(r.commands, simResult{})
		}
		r.commands[i].add(c)
	}
	r.answered += o.answered
	r.wall += o.wall
}

// share is the part of requests answered 429.
func (r simResult) share() float64 { return float64(r.limited) / float64(r.requests) }

// ratio is wall ÷ bound, the bound being the answered requests at the
// server's 10/s.
func (r simResult) ratio() float64 {
	return r.wall.Seconds() / (float64(r.answered) / simCeiling)
}

type simEvent struct {
	at   time.Time
	seq  int
	kind int // simWalk, simAsk, simSend or simAnswer
	ws   int
	// for simAnswer
	ok         bool
	sent       time.Time
	retryAfter time.Duration
	hint       rateHint
}

const (
	simWalk = iota // a workspace's next walk starts
	simAsk
	simSend
	simAnswer
)

type simQueue []simEvent

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any) {
	if e, ok := x.(simEvent); ok {
		*q = append(*q, e)
	}
}

func (q *simQueue) Pop() any {
	old := *q
	e := old[len(old)-1]
	*q = old[:len(old)-1]
	return e
}

// simBucket is the server's token bucket.
type simBucket struct {
	tokens float64
	last   time.Time
}

func (b *simBucket) take(at time.Time) (ok bool, retryAfter time.Duration, hint rateHint) {
	b.tokens = min(simCeiling, b.tokens+at.Sub(b.last).Seconds()*simCeiling)
	b.last = at
	if b.tokens >= 1 {
		b.tokens--
		return true, 0, rateHint{limit: simCeiling, remaining: math.Floor(b.tokens)}
	}
	wait := math.Max(1, math.Ceil((1-b.tokens)/simCeiling))
	return false, time.Duration(wait) * time.Second, rateHint{limit: simCeiling, remaining: 0}
}

// simWorkspace is one workspace during a command.
type simWorkspace struct {
	walks []int // the walks not begun
	lim   *limiter
	left  int // requests of the walk not begun
	open  int // requests of the walk not answered yet
	done  time.Time
}

func simulate(o simOptions) simResult {
	rng := rand.New(rand.NewPCG(o.seed, 29))
	clock := time.Unix(1_800_000_000, 0)
	bucket := &simBucket{tokens: simCeiling, last: clock}
	var res simResult
	jitter := func(d time.Duration) time.Duration { return time.Duration(rng.Float64() * float64(d)) }
	var machine timeline = &memTimeline{}
	for _, cmd := range o.commands {
		before := res
		start := clock
		wss := make([]*simWorkspace, o.workspaces)
		q := &simQueue{}
		seq := 0
		push := func(e simEvent) { seq++; e.seq = seq; heap.Push(q, e) }
		for i := range wss {
			wss[i] = &simWorkspace{walks: cmd}
			// Terraform starts: longer, and further apart, with more
			// workspaces on the machine.
			delay := 500*time.Millisecond + jitter(time.Duration(o.workspaces)*200*time.Millisecond)
			push(simEvent{at: start.Add(delay), kind: simWalk, ws: i})
		}
		for q.Len() > 0 {
			e, _ := heap.Pop(q).(simEvent)
			clock = e.at
			w := wss[e.ws]
			switch e.kind {
			case simWalk:
				n := w.walks[0]
				w.walks = w.walks[1:]
				tl := machine
				if !o.shared {
					tl = &memTimeline{}
				}
				w.lim = newLimiter(simCeiling, tl)
				w.lim.now = func() time.Time { return clock }
				w.lim.random = rng.Float64
				w.left, w.open = n, n
				for range min(10, n) {
					w.left--
					push(simEvent{at: clock, kind: simAsk, ws: e.ws})
				}
			case simAsk:
				at, taken, _ := w.lim.next(clock)
				if taken {
					push(simEvent{at: at, kind: simSend, ws: e.ws})
				} else {
					push(simEvent{at: at, kind: simAsk, ws: e.ws})
				}
			case simSend:
				if w.lim.pausedUntil().After(clock) { // a 429 came while it waited
					push(simEvent{at: clock, kind: simAsk, ws: e.ws})
					continue
				}
				res.requests++
				arrive := clock.Add(10*time.Millisecond + jitter(30*time.Millisecond))
				ok, ra, hint := bucket.take(arrive)
				if !o.hints {
					hint = rateHint{}
				}
				push(simEvent{at: arrive.Add(10*time.Millisecond + jitter(30*time.Millisecond)), kind: simAnswer, ws: e.ws, ok: ok, sent: clock, retryAfter: ra, hint: hint})
			case simAnswer:
				if !e.ok {
					res.limited++
					w.lim.limited(e.sent, e.retryAfter)
					// The client retries after Retry-After and up to half as much again.
					push(simEvent{at: clock.Add(e.retryAfter + jitter(e.retryAfter/2)), kind: simAsk, ws: e.ws})
					continue
				}
				res.answered++
				w.lim.answered(e.sent, e.hint)
				w.open--
				switch {
				case w.left > 0:
					w.left--
					push(simEvent{at: clock.Add(5*time.Millisecond + jitter(25*time.Millisecond)), kind: simAsk, ws: e.ws})
				case w.open == 0 && len(w.walks) > 0:
					push(simEvent{at: clock.Add(300*time.Millisecond + jitter(100*time.Millisecond)), kind: simWalk, ws: e.ws})
				case w.open == 0:
					w.done = clock
				}
			}
		}
		end := start
		for _, w := range wss {
			if w.done.After(end) {
				end = w.done
			}
		}
		clock = end
		res.wall += end.Sub(start)
		res.commands = append(res.commands, simResult{requests: res.requests - before.requests, limited: res.limited - before.limited, answered: res.answered - before.answered, wall: end.Sub(start)})
	}
	return res
}

// simBench is the bench's scenario at W workspaces, over several seeds.
func simBench(w int, hints, shared bool, seeds int) simResult {
	var all simResult
	for s := range seeds {
		all.add(simulate(simOptions{workspaces: w, commands: simBenchCommands(w), hints: hints, shared: shared, seed: uint64(s + 1)}))
	}
	return all
}

// TestAdaptiveRateSimulated: on one token, without talking to each other,
// W = 4 and W = 8 processes get few 429s and finish not far from the time
// the limit allows; a single process runs at the full limit, as fast as a
// client that paces at the ceiling and never adapts; the API's rate-limit
// headers, when it sends them, bring the 429s and the walls down; and
// processes on one machine, sharing a timeline, get no 429 at all. The
// bounds are what the design achieves (a regression fails), not the
// issue's targets, which the bench measures: bench/results.md.
func TestAdaptiveRateSimulated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w             int
		hints, shared bool
		maxShare      float64 // of requests answered 429
		maxRatio      float64 // wall ÷ bound
	}{
		{w: 1, maxShare: 0, maxRatio: 1.16}, // a client that never adapts: 1.150
		{w: 2, maxShare: 0.03, maxRatio: 1.3},
		{w: 4, maxShare: 0.04, maxRatio: 1.3},
		{w: 8, maxShare: 0.07, maxRatio: 1.17},
		{w: 4, hints: true, maxShare: 0.02, maxRatio: 1.13},
		{w: 8, hints: true, maxShare: 0.05, maxRatio: 1.16},
		{w: 4, shared: true, maxShare: 0, maxRatio: 1.04},
		{w: 8, shared: true, maxShare: 0, maxRatio: 1.04},
	} {
		t.Run(fmt.Sprintf("W=%d hints=%v shared=%v", tc.w, tc.hints, tc.shared), func(t *testing.T) {
			t.Parallel()
			r := simBench(tc.w, tc.hints, tc.shared, 12)
			share, ratio := r.share(), r.ratio()
			line := fmt.Sprintf("W=%d: %.1f%% of requests answered 429, wall ÷ bound %.3f;", tc.w, 100*share, ratio)
			for i, c := range r.commands {
				line += fmt.Sprintf(" %s %.1f%% %.3f", [...]string{"apply", "plan", "destroy"}[i], 100*c.share(), c.ratio())
			}
			t.Log(line)
			if share > tc.maxShare || ratio > tc.maxRatio {
				t.Fatalf("W=%d: %.1f%% answered 429 (at most %.1f%%), wall ÷ bound %.3f (at most %.2f)", tc.w, 100*share, 100*tc.maxShare, ratio, tc.maxRatio)
			}
		})
	}
}
