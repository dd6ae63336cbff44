package entrupy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Cooperative rate limiting.
//
// Many provider processes may share one API token (parallel CI workspaces),
// and the API allows about 10 requests/second per token [doc]. Two things
// keep them under it without tuning:
//
//   - A pacer spaces this client's requests on a timeline (GCRA: each request
//     takes the next free slot and moves the timeline on by one interval).
//     With a shared directory the timeline is a small file that every client
//     on the machine using the same token and API locks, reads and advances,
//     so any number of local processes together send at most the configured
//     rate. A 429's Retry-After pushes the shared timeline back, pausing them
//     all.
//   - An adaptive rate (additive increase, multiplicative decrease) copes with
//     what the pacer cannot see: processes on other machines. A 429 cuts this
//     client's rate (at most once per rateCutSpacing, so that one overload
//     is one cut), and while requests succeed the rate climbs back towards the
//     configured ceiling by a fixed amount per second, so clients sharing a
//     token converge on their share of the limit.
//
// A 429 means the request was not processed, so it is always safe to retry:
// by default 429s are retried for a time budget rather than a count.

// limiter paces requests; nil means no client-side limit.
type limiter struct {
	ceiling float64 // requests per second, the configured rate
	floor   float64 // the adaptive rate never goes below this

	mu         sync.Mutex
	rate       float64   // current adaptive rate
	lastCut    time.Time // when the rate was last cut
	lastRise   time.Time // when the rate last climbed
	cooldownTo time.Time // no request starts before this (Retry-After), in-process copy

	timeline timeline
	now      func() time.Time
}

// timeline holds the theoretical arrival time of the next request: the
// GCRA state. reserve takes the first free slot at or after notBefore and
// advances the timeline by interval; pushBack moves it to at least t.
type timeline interface {
	reserve(now time.Time, interval time.Duration) (time.Time, error)
	pushBack(t time.Time) error
	close() error
}

// Adaptive rate parameters.
const (
	// rateFloorShare is the lowest adaptive rate, as a share of the ceiling.
	rateFloorShare = 1.0 / 40
	// rateCutFactor multiplies the rate on a 429.
	rateCutFactor = 0.7
	// rateRiseShare is how much the rate climbs per second of successes, as
	// a share of the ceiling: from the floor to the ceiling in 40 s.
	rateRiseShare = 1.0 / 40
	// rateCutSpacing is the least time between two cuts: the 429s of
	// requests already in flight answer for one overload, not several.
	rateCutSpacing = 2 * time.Second
)

func newLimiter(rps float64, tl timeline) *limiter {
	return &limiter{
		ceiling:  rps,
		floor:    rps * rateFloorShare,
		rate:     rps,
		timeline: tl,
		now:      time.Now,
	}
}

func (l *limiter) interval() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Duration(float64(time.Second) / l.rate)
}

// wait blocks until this request's slot, or fails when ctx ends first or
// the slot lies beyond ctx's deadline. A request whose slot falls inside a
// pause that a 429 ordered (or that one orders while it waits) takes a new
// slot after the pause, so the requests held back resume one interval apart
// rather than all at once.
func (l *limiter) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := l.now()
		slot, err := l.timeline.reserve(now, l.interval())
		if err != nil {
			return err
		}
		if pause := l.pausedUntil(); pause.After(slot) {
			if err := l.sleepUntil(ctx, sleep, now, pause); err != nil {
				return err
			}
			continue
		}
		if err := l.sleepUntil(ctx, sleep, now, slot); err != nil {
			return err
		}
		if !l.pausedUntil().After(l.now()) {
			return nil
		}
	}
}

func (l *limiter) pausedUntil() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.cooldownTo
}

// sleepUntil sleeps from now until t, unless t lies beyond ctx's deadline.
func (l *limiter) sleepUntil(ctx context.Context, sleep func(context.Context, time.Duration) error, now, t time.Time) error {
	d := t.Sub(now)
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && t.After(dl) {
		return fmt.Errorf("the next free request slot is %v away, beyond the deadline", d.Round(time.Millisecond))
	}
	return sleep(ctx, d)
}

// succeeded lets the rate climb towards the ceiling, by rateRiseShare of it
// per second since it last climbed (or was cut).
func (l *limiter) succeeded() {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.rate >= l.ceiling {
		l.lastRise = now
		return
	}
	if since := now.Sub(l.lastRise); since > 0 {
		l.rate = min(l.ceiling, l.rate+l.ceiling*rateRiseShare*since.Seconds())
	}
	l.lastRise = now
}

// limited records a 429: the rate is cut (once per rateCutSpacing) and a
// Retry-After pauses this client and, through the shared timeline, every
// other one on the machine. It returns the rate now in force.
func (l *limiter) limited(retryAfter time.Duration) float64 {
	now := l.now()
	l.mu.Lock()
	if now.Sub(l.lastCut) >= rateCutSpacing {
		l.rate = max(l.floor, l.rate*rateCutFactor)
		l.lastCut, l.lastRise = now, now
	}
	rate := l.rate
	var until time.Time
	if retryAfter > 0 {
		until = now.Add(retryAfter)
		if until.After(l.cooldownTo) {
			l.cooldownTo = until
		}
	}
	l.mu.Unlock()
	if !until.IsZero() {
		_ = l.timeline.pushBack(until) // best effort: the in-process cooldown holds regardless
	}
	return rate
}

// currentRate is the adaptive rate in force (for logs and tests).
func (l *limiter) currentRate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate
}

// memTimeline is a timeline private to this process.
type memTimeline struct {
	mu  sync.Mutex
	tat time.Time
}

func (m *memTimeline) reserve(now time.Time, interval time.Duration) (time.Time, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	slot := now
	if m.tat.After(slot) {
		slot = m.tat
	}
	m.tat = slot.Add(interval)
	return slot, nil
}

func (m *memTimeline) pushBack(t time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if t.After(m.tat) {
		m.tat = t
	}
	return nil
}

func (m *memTimeline) close() error { return nil }

// sharedTimelineName names the timeline file of one token at one API. The
// token is hashed (with a label, so the name is useless for anything else)
// and never written anywhere.
func sharedTimelineName(baseURL, token string) string {
	sum := sha256.Sum256([]byte("entrupy client rate timeline\x00" + baseURL + "\x00" + token))
	return "rate-" + hex.EncodeToString(sum[:12])
}

// DefaultSharedRateDir is where clients on one machine keep the timelines
// they share (one small file per token and API).
func DefaultSharedRateDir() string {
	return filepath.Join(os.TempDir(), "terraform-provider-entrupy")
}

// staleTimelineAge is when an unused timeline file is removed.
const staleTimelineAge = 24 * time.Hour

// RemoveStaleFiles deletes the files in dir whose names start with prefix
// and that nobody wrote for longer than maxAge (test runs against emulators
// on random ports leave one each of the files kept there).
func RemoveStaleFiles(dir, prefix string, maxAge time.Duration, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > maxAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
