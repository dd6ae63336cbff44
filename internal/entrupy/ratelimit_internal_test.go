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

// steady makes l a limiter past its start, at rps, that sends each request
// at its slot (the middle of its half-interval window).
func steady(l *limiter, rps float64) {
	l.rate.starting = false
	l.rate.rps = rps
	l.random = func() float64 { return 0.5 }
}

// ms is t0 plus n milliseconds.
func ms(t0 time.Time, n int) time.Time { return t0.Add(time.Duration(n) * time.Millisecond) }

// TestAdaptiveRateStart: a client starts at the ceiling and stays there
// while no 429 comes; its first 429 takes it to its share so far: the
// answers it got before the API's burst (guessed at a second of the
// ceiling) ran out, against that burst, within a quarter and a half of the
// ceiling; a 429 for a request sent within overloadGrace of that cut does
// not cut again.
func TestAdaptiveRateStart(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	alone := newAdaptiveRate(10)
	for i := range 200 {
		alone.interval(ms(t0, 100*i))
		alone.answered(ms(t0, 100*i+50), ms(t0, 100*i), rateHint{})
	}
	if alone.rps != 10 || !alone.starting {
		t.Fatalf("alone on the token: rate %v, starting %v; want the ceiling throughout", alone.rps, alone.starting)
	}
	for _, tc := range []struct {
		answers int
		want    float64
	}{
		{answers: 10, want: 5},       // two at once: 10 of 20 → half
		{answers: 5, want: 10.0 / 3}, // 5 of 15
		{answers: 1, want: 2.5},      // 1 of 11, at least a quarter
		{answers: 30, want: 5},       // 30 of 40, at most half
	} {
		a := newAdaptiveRate(10)
		a.interval(t0)
		for i := range tc.answers {
			a.answered(ms(t0, 100*i+50), ms(t0, 100*i), rateHint{})
		}
		cut := ms(t0, 100*tc.answers+50)
		a.limited(cut, ms(t0, 100*tc.answers))
		if !near(a.rps, tc.want) || a.starting {
			t.Fatalf("first 429 after %d answers: rate %v, starting %v; want %v", tc.answers, a.rps, a.starting, tc.want)
		}
		a.limited(cut.Add(overloadGrace), cut.Add(overloadGrace-time.Millisecond))
		if !near(a.rps, tc.want) {
			t.Fatalf("a 429 for a request sent within the grace cut again: rate %v", a.rps)
		}
		a.limited(cut.Add(2*overloadGrace), cut.Add(overloadGrace))
		if !near(a.rps, tc.want*rateCutFactor) {
			t.Fatalf("a later overload: rate %v, want %v", a.rps, tc.want*rateCutFactor)
		}
	}
}

// TestAdaptiveRate: after the start a 429 halves the rate (once per
// overload, never below the floor); successes let it climb, faster the
// lower it is and the longer no 429 came, up to the ceiling.
func TestAdaptiveRate(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	a := newAdaptiveRate(10)
	a.interval(t0)
	a.starting = false
	a.limited(t0, t0)
	if !near(a.rps, 10*rateCutFactor) {
		t.Fatalf("after one 429: rate %v, want %v", a.rps, 10*rateCutFactor)
	}
	now := t0
	for range 30 {
		now = now.Add(overloadGrace)
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
		c.starting, c.rps = false, from
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
	if got := 2 + climb(2, 2*time.Minute); got != 10 {
		t.Fatalf("rate %v two minutes after a cut, want the ceiling", got)
	}
}

// TestAdaptiveRateHints: the API's own word on its limit ends the start as
// soon as less than half is left, eases off when at most one request is
// left (once per warning), holds while less than half is left and climbs
// while more is; a client alone, with plenty left, stays at the ceiling.
func TestAdaptiveRateHints(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	alone := newAdaptiveRate(10)
	for i := range 100 {
		alone.interval(ms(t0, 100*i))
		alone.answered(ms(t0, 100*i+50), ms(t0, 100*i), rateHint{limit: 10, remaining: 9})
	}
	if alone.rps != 10 || !alone.starting {
		t.Fatalf("plenty left: rate %v, starting %v; want the ceiling", alone.rps, alone.starting)
	}

	a := newAdaptiveRate(10)
	a.interval(t0)
	a.answered(ms(t0, 50), t0, rateHint{limit: 10, remaining: 8})
	a.answered(ms(t0, 150), ms(t0, 100), rateHint{limit: 10, remaining: 4}) // less than half: the first overload
	if a.starting || !near(a.rps, 2.5) {
		t.Fatalf("less than half left while starting after 1 answer: rate %v, starting %v; want 2.5 (a quarter)", a.rps, a.starting)
	}
	a.answered(ms(t0, 2000), ms(t0, 1900), rateHint{limit: 10, remaining: 3})
	if !near(a.rps, 2.5) {
		t.Fatalf("less than half left: rate %v, want it held at 2.5", a.rps)
	}
	a.answered(ms(t0, 3000), ms(t0, 2900), rateHint{limit: 10, remaining: 1})
	a.answered(ms(t0, 3100), ms(t0, 3000), rateHint{limit: 10, remaining: 0}) // the same warning
	if !near(a.rps, 2.5*hintCutFactor) {
		t.Fatalf("one request left, twice within the grace: rate %v, want %v", a.rps, 2.5*hintCutFactor)
	}
	a.answered(ms(t0, 5000), ms(t0, 4900), rateHint{limit: 10, remaining: 0})
	if !near(a.rps, 2.5*hintCutFactor*hintCutFactor) {
		t.Fatalf("a later warning: rate %v, want %v", a.rps, 2.5*hintCutFactor*hintCutFactor)
	}
	before := a.rps
	a.answered(ms(t0, 6000), ms(t0, 5900), rateHint{limit: 10, remaining: 9})
	if !(a.rps > before) {
		t.Fatalf("plenty left: rate %v did not climb from %v", a.rps, before)
	}
	// The forms X-RateLimit counts in thousands an hour work the same way.
	b := newAdaptiveRate(10)
	b.interval(t0)
	b.answered(ms(t0, 50), t0, rateHint{limit: 5000, remaining: 4990})
	if !b.starting || b.rps != 10 {
		t.Fatalf("4990 of 5000 left: rate %v, starting %v; want the ceiling", b.rps, b.starting)
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

// TestPacingSpreadsWithinTheSlot: a request goes at a random moment within
// half an interval of its slot, never before now, so that clients pacing at
// the same rate do not fall into step; the slots stay one interval apart.
func TestPacingSpreadsWithinTheSlot(t *testing.T) {
	t0 := time.Unix(1_800_000_000, 0)
	for _, tc := range []struct {
		random float64
		want   []time.Duration // when three requests go, asking at t0, t0+50ms, t0+150ms
	}{
		{random: 0, want: []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond}},
		{random: 0.5, want: []time.Duration{0, 100 * time.Millisecond, 200 * time.Millisecond}},
		{random: 0.999, want: []time.Duration{49900 * time.Microsecond, 149900 * time.Microsecond, 249900 * time.Microsecond}},
	} {
		l := newLimiter(10, &memTimeline{})
		steady(l, 10)
		l.random = func() float64 { return tc.random }
		var got []time.Duration
		for i, ask := range []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond} {
			at, taken, err := l.next(t0.Add(ask))
			if err != nil || !taken {
				t.Fatalf("request %d: taken %v, %v", i, taken, err)
			}
			got = append(got, at.Sub(t0).Round(100*time.Microsecond))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("random %v: sent at %v, want %v", tc.random, got, tc.want)
		}
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
