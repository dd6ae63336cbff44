package entrupy

import (
	"context"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable now.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// sleep advances the clock instead of sleeping.
func (f *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	f.advance(d)
	return ctx.Err()
}

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// steady makes l a limiter past its careful start, at rps.
func steady(l *limiter, rps float64) {
	l.rate.starting = false
	l.rate.rps = rps
}

// TestAdaptiveRateStart: a client starts at half the ceiling and goes to
// the ceiling once a few answers came without a 429; a 429 while starting
// halves the rate, and the rate then stays where a quiet spell found it.
func TestAdaptiveRateStart(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	a := newAdaptiveRate(10)
	a.interval(t0)
	if a.rps != 5 {
		t.Fatalf("starts at %v, want half the ceiling", a.rps)
	}
	for i := range startAnswers {
		a.answered(at(100*i), at(100*i), rateHint{})
	}
	if a.rps != 5 {
		t.Fatalf("at %v after %d answers in %v, want still 5 until %v passed", a.rps, startAnswers, 100*(startAnswers-1), startQuiet)
	}
	a.answered(at(400), at(400), rateHint{})
	if a.rps != 10 || a.starting {
		t.Fatalf("alone on the token: rate %v, starting %v; want the ceiling", a.rps, a.starting)
	}

	b := newAdaptiveRate(10)
	b.interval(t0)
	b.limited(at(100), at(50))
	b.limited(at(120), at(60)) // sent before the cut: the same overload
	if b.rps != 2.5 {
		t.Fatalf("one overload while starting: rate %v, want 2.5 (halved once)", b.rps)
	}
	b.limited(at(300), at(200))
	if b.rps != 1.25 {
		t.Fatalf("a second overload while starting: rate %v, want 1.25", b.rps)
	}
	for i := range startAnswers + 3 {
		b.answered(at(400+100*i), at(400+100*i), rateHint{})
	}
	if b.starting || b.rps != 1.25 {
		t.Fatalf("after a quiet spell: rate %v, starting %v; want 1.25, started", b.rps, b.starting)
	}
}

// TestAdaptiveRate: after the start a 429 cuts the rate (once per
// overload, never below the floor); successes let it climb, faster the
// lower it is and the longer no 429 came, up to the ceiling.
func TestAdaptiveRate(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	a := newAdaptiveRate(10)
	a.interval(t0)
	a.starting = false
	a.rps = 10
	a.limited(t0, t0)
	if !near(a.rps, 10*rateCutFactor) {
		t.Fatalf("after one 429: rate %v, want %v", a.rps, 10*rateCutFactor)
	}
	a.limited(t0.Add(time.Second), t0.Add(-time.Millisecond))
	if !near(a.rps, 10*rateCutFactor) {
		t.Fatalf("a 429 for a request sent before the cut cut again: rate %v", a.rps)
	}
	now := t0
	for range 30 {
		now = now.Add(time.Second)
		a.limited(now, now)
	}
	if !near(a.rps, 10*rateFloorShare) {
		t.Fatalf("after many 429s: rate %v, want the floor %v", a.rps, 10*rateFloorShare)
	}
	// The climb is paced in time, not in answers.
	for range 100 {
		a.answered(now, now, rateHint{})
	}
	if !near(a.rps, 10*rateFloorShare) {
		t.Fatalf("rate %v after 100 answers in no time, want it still at the floor", a.rps)
	}
	climb := func(from float64, after time.Duration) float64 {
		c := newAdaptiveRate(10)
		c.interval(t0)
		c.starting, c.rps, c.lastCut, c.lastRise = false, from, t0, t0
		for d := 100 * time.Millisecond; d <= after; d += 100 * time.Millisecond {
			c.answered(t0.Add(d), t0.Add(d), rateHint{})
		}
		return c.rps - from
	}
	// A client with a small share climbs faster than one with a large one.
	if low, high := climb(1, time.Second), climb(5, time.Second); !(low > 2*high) {
		t.Fatalf("in one second a client at 1/s climbed %v, one at 5/s %v: want the low one at least twice as fast", low, high)
	}
	// The climb speeds up with the time since the last cut.
	if early, late := climb(2, time.Second), climb(2, 20*time.Second)-climb(2, 19*time.Second); !(late > 4*early) {
		t.Fatalf("the 20th second after a cut climbed %v, the first %v: want it much faster", late, early)
	}
	if got := 2 + climb(2, 5*time.Minute); got != 10 {
		t.Fatalf("rate %v five minutes after a cut, want the ceiling", got)
	}
}

// TestAdaptiveRateHints: the API's own word on its limit holds the climb
// while less than half is left and eases off below a quarter (once per
// warning), and ends a careful start at the ceiling when there is room.
func TestAdaptiveRateHints(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	a := newAdaptiveRate(10)
	a.interval(t0)
	a.answered(t0, t0, rateHint{limit: 10, remaining: 9})
	if a.starting || a.rps != 10 {
		t.Fatalf("room left at the start: rate %v, starting %v; want the ceiling", a.rps, a.starting)
	}
	a.rps = 4
	a.lastCut, a.lastRise = t0, t0
	a.answered(t0.Add(5*time.Second), t0.Add(5*time.Second), rateHint{limit: 10, remaining: 4})
	if a.rps != 4 {
		t.Fatalf("less than half left: rate %v, want it held at 4", a.rps)
	}
	a.answered(t0.Add(6*time.Second), t0.Add(6*time.Second), rateHint{limit: 10, remaining: 2})
	a.answered(t0.Add(6*time.Second), t0.Add(5900*time.Millisecond), rateHint{limit: 10, remaining: 1})
	if !near(a.rps, 4*hintCutFactor) {
		t.Fatalf("less than a quarter left, twice for one warning: rate %v, want %v", a.rps, 4*hintCutFactor)
	}
	a.answered(t0.Add(8*time.Second), t0.Add(8*time.Second), rateHint{limit: 10, remaining: 9})
	if !(a.rps > 4*hintCutFactor) {
		t.Fatalf("plenty left: rate %v did not climb", a.rps)
	}
}

// TestParseRateHint reads each form of rate-limit headers; anything else
// says nothing.
func TestParseRateHint(t *testing.T) {
	for _, tc := range []struct {
		headers map[string]string
		want    rateHint
	}{
		{map[string]string{"RateLimit": "limit=10, remaining=3, reset=1", "RateLimit-Policy": "10;w=1"}, rateHint{10, 3}},
		{map[string]string{"RateLimit": `"default";r=2;t=1`, "RateLimit-Policy": `"default";q=10;w=1`}, rateHint{10, 2}},
		{map[string]string{"RateLimit": "remaining=7", "RateLimit-Policy": "20;w=1"}, rateHint{20, 7}},
		{map[string]string{"RateLimit-Limit": "10, 10;w=1", "RateLimit-Remaining": "6", "RateLimit-Reset": "1"}, rateHint{10, 6}},
		{map[string]string{"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999", "X-RateLimit-Reset": "1372700873"}, rateHint{5000, 4999}},
		{map[string]string{"X-RateLimit-Remaining": "3"}, rateHint{}},
		{map[string]string{"X-RateLimit-Limit": "ten", "X-RateLimit-Remaining": "3"}, rateHint{}},
		{map[string]string{"RateLimit": "garbage"}, rateHint{}},
		{map[string]string{"X-RateLimit-Limit": "0", "X-RateLimit-Remaining": "0"}, rateHint{}},
		{nil, rateHint{}},
	} {
		h := http.Header{}
		for k, v := range tc.headers {
			h.Set(k, v)
		}
		if got := parseRateHint(h); got != tc.want {
			t.Errorf("%v: got %+v, want %+v", tc.headers, got, tc.want)
		}
	}
}

// TestPacingFollowsTheRate: slots are one interval of the current rate apart;
// a Retry-After holds every request back until it has passed, and those held
// back resume one interval apart, not all at once.
func TestPacingFollowsTheRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now
	steady(l, 10)
	start := clk.now()
	var at []time.Duration // when each request went, from start
	send := func() {
		t.Helper()
		if err := l.wait(context.Background(), clk.sleep); err != nil {
			t.Fatal(err)
		}
		at = append(at, clk.now().Sub(start))
	}
	// Three requests reserved at one moment go 100 ms apart (10/s). The
	// clock is shared, so each wait starts where the previous one ended.
	for range 3 {
		send()
	}
	if want := []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}; !slices.Equal(at, want) {
		t.Fatalf("sent at %v, want %v", at, want)
	}
	at = nil
	clk.advance(time.Second) // t = 1.2 s
	l.limited(clk.now(), 2*time.Second)
	interval := l.interval()
	send()
	send()
	if want := []time.Duration{3200 * time.Millisecond, 3200*time.Millisecond + interval}; !slices.Equal(at, want) {
		t.Fatalf("after a 429 with Retry-After 2s at 1.2s: sent at %v, want %v", at, want)
	}
}

// TestHeldBackRequestsSpreadOut: requests that took their slots before a
// 429's pause was ordered do not all go when it ends.
func TestHeldBackRequestsSpreadOut(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now
	steady(l, 10)
	var sent []time.Time
	first := true
	sleep := func(_ context.Context, d time.Duration) error {
		if first { // while the first request sleeps, another's 429 orders a pause
			first = false
			l.limited(clk.now(), time.Second)
		}
		clk.advance(d)
		return nil
	}
	_ = l.wait(context.Background(), func(context.Context, time.Duration) error { return nil }) // takes slot 0
	if err := l.wait(context.Background(), sleep); err != nil {
		t.Fatal(err)
	}
	sent = append(sent, clk.now())
	if err := l.wait(context.Background(), sleep); err != nil {
		t.Fatal(err)
	}
	sent = append(sent, clk.now())
	if gap := sent[1].Sub(sent[0]); gap < time.Duration(float64(time.Second)/10) {
		t.Fatalf("two held-back requests went %v apart; they bunched at the end of the pause", gap)
	}
}

// TestWaitBeyondDeadline: a slot past the context's deadline fails at once
// instead of sleeping into the deadline.
func TestWaitBeyondDeadline(t *testing.T) {
	l := newLimiter(0.5, &memTimeline{})
	steady(l, 0.5)
	sleep := func(context.Context, time.Duration) error { t.Fatal("slept"); return nil }
	_ = l.wait(context.Background(), func(context.Context, time.Duration) error { return nil })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := l.wait(ctx, sleep); err == nil {
		t.Fatal("a slot 2 s away was accepted under a 100 ms deadline")
	}
}

// TestSharedTimelineAcrossClients: two limiters on one timeline file (two
// processes on one machine) take distinct slots, together at the rate.
func TestSharedTimelineAcrossClients(t *testing.T) {
	dir := t.TempDir()
	name := sharedTimelineName("http://127.0.0.1:1", "tok")
	var limiters []*limiter
	for range 2 {
		tl, err := openSharedTimeline(dir, name)
		if err != nil {
			t.Skipf("no shared timeline on this platform: %v", err)
		}
		t.Cleanup(func() { _ = tl.close() })
		limiters = append(limiters, newLimiter(10, tl))
	}
	now := time.Unix(1_800_000_000, 0)
	seen := map[time.Time]bool{}
	for i := range 10 {
		slot, _, err := limiters[i%2].timeline.reserve(now, 100*time.Millisecond, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if seen[slot] {
			t.Fatalf("slot %v handed out twice", slot)
		}
		seen[slot] = true
	}
	last, _, _ := limiters[0].timeline.reserve(now, 100*time.Millisecond, time.Hour)
	if got := last.Sub(now); got != time.Second {
		t.Fatalf("the 11th slot is %v after the first, want 1s (10 slots of 100 ms)", got)
	}
	// A Retry-After seen by one pushes the other back.
	if err := limiters[1].timeline.pushBack(now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if slot, _, _ := limiters[0].timeline.reserve(now, 100*time.Millisecond, 2*time.Minute); slot != now.Add(time.Minute) {
		t.Fatalf("after a push back the next slot is %v, want %v", slot.Sub(now), time.Minute)
	}
	// Another token (or API) has its own timeline.
	if sharedTimelineName("http://127.0.0.1:1", "other") == name || sharedTimelineName("http://127.0.0.1:2", "tok") == name {
		t.Fatal("timeline names do not separate tokens and APIs")
	}
}

// TestSharedTimelineIgnoresFarFuture: a stored time an hour or more ahead (a
// clock that jumped, a damaged file) does not stall every client.
func TestSharedTimelineIgnoresFarFuture(t *testing.T) {
	tl, err := openSharedTimeline(t.TempDir(), "rate-x")
	if err != nil {
		t.Skipf("no shared timeline on this platform: %v", err)
	}
	defer func() { _ = tl.close() }()
	now := time.Unix(1_800_000_000, 0)
	_ = tl.pushBack(now.Add(48 * time.Hour))
	if slot, _, _ := tl.reserve(now, time.Millisecond, time.Second); !slot.Equal(now) {
		t.Fatalf("slot %v ahead", slot.Sub(now))
	}
}

// TestRemoveStaleFiles: only files with the prefix that nobody wrote for
// longer than the age go.
func TestRemoveStaleFiles(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-48 * time.Hour)
	for _, name := range []string{"rate-old", "rate-new", "other-old"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, "-old") {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	RemoveStaleFiles(dir, "rate-", staleTimelineAge, time.Now())
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if !slices.Equal(left, []string{"other-old", "rate-new"}) {
		t.Fatalf("left %v, want [other-old rate-new]", left)
	}
}
