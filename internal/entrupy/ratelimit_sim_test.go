package entrupy

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// A simulation of W provider processes on one API token, in virtual time:
// the limiters are the client's own, driven by a discrete-event loop instead
// of real sleeps. The server is a token bucket of 10 requests/second and a
// burst of 10, as the emulator enforces (429 with Retry-After: the whole
// seconds until a token frees, at least 1); each process does the requests
// of one Terraform walk with -parallelism=10, one request per worker at a
// time, with 10–40 ms of latency each way and up to 30 ms between a
// worker's requests. The bench (make bench) measures the same with real
// processes; this test keeps the adaptive rate honest on every change.

const simCeiling = 10.0

// simOptions describe one simulated run.
type simOptions struct {
	workspaces int
	// walks are the requests of each walk a workspace runs, one after the
	// other, each in a new process (a new limiter): all W start each walk
	// together, and a walk ends when the last workspace finishes it.
	walks []int
	// hints makes the server send rate-limit headers (limit, remaining).
	hints bool
	// shared puts the limiters of a walk on one timeline, as processes on
	// one machine share one (a file; here in memory).
	shared bool
	seed   uint64
	trace  func(format string, args ...any) // when set, a line a second
}

type simResult struct {
	requests, limited, answered int
	wall                        time.Duration // the walks one after the other
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
	kind int // simAsk, simSend or simAnswer
	ws   int
	// for simAnswer
	ok         bool
	sent       time.Time
	retryAfter time.Duration
	hint       rateHint
}

const (
	simAsk = iota
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
func (q *simQueue) Push(x any)   { *q = append(*q, x.(simEvent)) }
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

func simulate(o simOptions) simResult {
	rng := rand.New(rand.NewPCG(o.seed, 29))
	clock := time.Unix(1_800_000_000, 0)
	bucket := &simBucket{tokens: simCeiling, last: clock}
	var res simResult
	jitter := func(d time.Duration) time.Duration { return time.Duration(rng.Float64() * float64(d)) }
	for _, n := range o.walks {
		start := clock
		var tl timeline = &memTimeline{}
		lims := make([]*limiter, o.workspaces)
		left := make([]int, o.workspaces) // requests not begun
		open := make([]int, o.workspaces) // requests not answered yet
		q := &simQueue{}
		seq := 0
		push := func(e simEvent) { seq++; e.seq = seq; heap.Push(q, e) }
		for i := range lims {
			if !o.shared {
				tl = &memTimeline{}
			}
			lims[i] = newLimiter(simCeiling, tl)
			lims[i].now = func() time.Time { return clock }
			left[i], open[i] = n, n
			begin := start.Add(jitter(300 * time.Millisecond)) // processes start a little apart
			for range min(10, n) {
				left[i]--
				push(simEvent{at: begin, kind: simAsk, ws: i})
			}
		}
		tick := start
		for q.Len() > 0 {
			e := heap.Pop(q).(simEvent)
			clock = e.at
			for o.trace != nil && !clock.Before(tick) {
				line := ""
				for i, l := range lims {
					if open[i] > 0 {
						line += fmt.Sprintf(" %5.2f", l.currentRate())
					} else {
						line += "     -"
					}
				}
				o.trace("t=%4.0fs %s", tick.Sub(start).Seconds(), line)
				tick = tick.Add(time.Second)
			}
			l := lims[e.ws]
			switch e.kind {
			case simAsk:
				at, taken, _ := l.next(clock)
				if taken {
					push(simEvent{at: at, kind: simSend, ws: e.ws})
				} else {
					push(simEvent{at: at, kind: simAsk, ws: e.ws})
				}
			case simSend:
				if l.pausedUntil().After(clock) { // a 429 came while it waited
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
					l.limited(e.sent, e.retryAfter)
					push(simEvent{at: clock, kind: simAsk, ws: e.ws}) // the client retries it
					continue
				}
				res.answered++
				l.answered(e.sent, e.hint)
				open[e.ws]--
				if left[e.ws] > 0 {
					left[e.ws]--
					push(simEvent{at: clock.Add(5*time.Millisecond + jitter(25*time.Millisecond)), kind: simAsk, ws: e.ws})
				}
			}
		}
		res.wall += clock.Sub(start)
	}
	return res
}

// simBench is the bench's scenario: each workspace applies, plans and
// destroys 30 webhooks and 30 users, whose requests fall in walks of about
// 60 (a create, a refresh) in processes of their own.
func simBench(w int, hints, shared bool, seeds int) (share, ratio float64) {
	var all simResult
	for s := range seeds {
		r := simulate(simOptions{workspaces: w, walks: []int{63, 61, 61, 62}, hints: hints, shared: shared, seed: uint64(s + 1)})
		all.requests += r.requests
		all.limited += r.limited
		all.answered += r.answered
		all.wall += r.wall
	}
	return all.share(), all.ratio()
}

// TestAdaptiveRateSimulated: on one token, without talking to each other,
// W = 4 and W = 8 processes get few 429s and finish near the time the limit
// allows; a single process runs at the full limit; the API's rate-limit
// headers, when it sends them, bring the 429s down to almost none; and
// processes on one machine, sharing a timeline, get none.
func TestAdaptiveRateSimulated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		w             int
		hints, shared bool
		maxShare      float64 // of requests answered 429
		maxRatio      float64 // wall ÷ bound
	}{
		{w: 1, maxShare: 0, maxRatio: 1.03},
		{w: 4, maxShare: 0.04, maxRatio: 1.2},
		{w: 8, maxShare: 0.06, maxRatio: 1.1},
		{w: 4, hints: true, maxShare: 0.015, maxRatio: 1.1},
		{w: 8, hints: true, maxShare: 0.03, maxRatio: 1.08},
		{w: 8, shared: true, maxShare: 0.005, maxRatio: 1.05},
	} {
		t.Run(fmt.Sprintf("W=%d hints=%v shared=%v", tc.w, tc.hints, tc.shared), func(t *testing.T) {
			t.Parallel()
			share, ratio := simBench(tc.w, tc.hints, tc.shared, 12)
			t.Logf("W=%d: %.1f%% of requests answered 429, wall ÷ bound %.3f", tc.w, 100*share, ratio)
			if share > tc.maxShare || ratio > tc.maxRatio {
				t.Fatalf("W=%d: %.1f%% answered 429 (at most %.1f%%), wall ÷ bound %.3f (at most %.2f)", tc.w, 100*share, 100*tc.maxShare, ratio, tc.maxRatio)
			}
		})
	}
}
