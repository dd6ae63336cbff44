package entrupy

import (
	"context"
	"math"
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

func (f *fakeClock) advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// TestAdaptiveRate: a 429 halves the rate (once per rateCutSpacing, never
// below the floor) and successes win it back step by step up to the ceiling.
func TestAdaptiveRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now

	if got := l.limited(0); !near(got, 5) {
		t.Fatalf("after one 429: rate %v, want 5", got)
	}
	// The 429s of requests already in flight answer for the same overload.
	if got := l.limited(0); !near(got, 5) {
		t.Fatalf("a second 429 within %v cut again: rate %v", rateCutSpacing, got)
	}
	for range 10 {
		clk.advance(rateCutSpacing)
		l.limited(0)
	}
	if got := l.currentRate(); !near(got, 10*rateFloorShare) {
		t.Fatalf("after many 429s: rate %v, want the floor %v", got, 10*rateFloorShare)
	}
	// Additive increase: from the floor to the ceiling in (1-floor)/step successes.
	steps := int(math.Ceil((1 - rateFloorShare) / rateStepShare))
	for range steps - 1 {
		l.succeeded()
	}
	if got := l.currentRate(); got >= 10 {
		t.Fatalf("rate back at the ceiling after %d successes; recovery is not gradual", steps-1)
	}
	l.succeeded()
	l.succeeded()
	if got := l.currentRate(); !near(got, 10) {
		t.Fatalf("rate %v after recovery, want the ceiling 10", got)
	}
}

// TestPacingFollowsTheRate: slots are one interval of the current rate apart,
// and a Retry-After holds every slot back until it has passed.
func TestPacingFollowsTheRate(t *testing.T) {
	clk := &fakeClock{t: time.Unix(1_800_000_000, 0)}
	l := newLimiter(10, &memTimeline{})
	l.now = clk.now
	var slept []time.Duration
	sleep := func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	for range 3 {
		if err := l.wait(context.Background(), sleep); err != nil {
			t.Fatal(err)
		}
	}
	if want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond}; len(slept) != 2 || slept[0] != want[0] || slept[1] != want[1] {
		t.Fatalf("waits %v, want %v", slept, want)
	}
	slept = nil
	clk.advance(time.Second)
	l.limited(2 * time.Second) // rate 5/s, and nothing before now+2s
	if err := l.wait(context.Background(), sleep); err != nil {
		t.Fatal(err)
	}
	if err := l.wait(context.Background(), sleep); err != nil {
		t.Fatal(err)
	}
	if len(slept) != 2 || slept[0] != 2*time.Second || slept[1] != 2*time.Second+200*time.Millisecond {
		t.Fatalf("waits after a 429 with Retry-After 2s: %v, want [2s 2.2s]", slept)
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
