package entrupy

import (
	"context"
	"math"
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

// TestAdaptiveRate: a 429 cuts the rate (once per rateCutSpacing, never
// below the floor) and successes let it climb back at a fixed pace per
// second up to the ceiling.
func TestAdaptiveRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now

	if got := l.limited(0); !near(got, 10*rateCutFactor) {
		t.Fatalf("after one 429: rate %v, want %v", got, 10*rateCutFactor)
	}
	// The 429s of requests already in flight answer for the same overload.
	if got := l.limited(0); !near(got, 10*rateCutFactor) {
		t.Fatalf("a second 429 within %v cut again: rate %v", rateCutSpacing, got)
	}
	for range 30 {
		clk.advance(rateCutSpacing)
		l.limited(0)
	}
	floor := 10 * rateFloorShare
	if got := l.currentRate(); !near(got, floor) {
		t.Fatalf("after many 429s: rate %v, want the floor %v", got, floor)
	}
	// Successes many times a second do not speed the climb: it is paced in time.
	for range 100 {
		l.succeeded()
	}
	if got := l.currentRate(); !near(got, floor) {
		t.Fatalf("rate %v after 100 successes in no time, want it still at %v", got, floor)
	}
	clk.advance(time.Second)
	l.succeeded()
	if got, want := l.currentRate(), floor+10*rateRiseShare; !near(got, want) {
		t.Fatalf("rate %v one second later, want %v", got, want)
	}
	clk.advance(time.Duration(float64(time.Second) / rateRiseShare))
	l.succeeded()
	if got := l.currentRate(); !near(got, 10) {
		t.Fatalf("rate %v after the full climb, want the ceiling 10", got)
	}
}

// TestPacingFollowsTheRate: slots are one interval of the current rate apart;
// a Retry-After holds every request back until it has passed, and those held
// back resume one interval apart, not all at once.
func TestPacingFollowsTheRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now
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
	l.limited(2 * time.Second)
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
	var sent []time.Time
	first := true
	sleep := func(_ context.Context, d time.Duration) error {
		if first { // while the first request sleeps, another's 429 orders a pause
			first = false
			l.limited(time.Second)
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
		slot, err := limiters[i%2].timeline.reserve(now, 100*time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		if seen[slot] {
			t.Fatalf("slot %v handed out twice", slot)
		}
		seen[slot] = true
	}
	last, _ := limiters[0].timeline.reserve(now, 100*time.Millisecond)
	if got := last.Sub(now); got != time.Second {
		t.Fatalf("the 11th slot is %v after the first, want 1s (10 slots of 100 ms)", got)
	}
	// A Retry-After seen by one pushes the other back.
	if err := limiters[1].timeline.pushBack(now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if slot, _ := limiters[0].timeline.reserve(now, 100*time.Millisecond); slot != now.Add(time.Minute) {
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
	if slot, _ := tl.reserve(now, time.Millisecond); !slot.Equal(now) {
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
