package entrupy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Cooperative rate limiting.
//
// Many provider processes may share one API token (parallel CI workspaces),
// and the API allows about 10 requests/second per token [doc]. Processes on
// one machine can share a timeline; processes on separate machines (CI
// runners new every run) only see the API's answers. Each process (each
// Terraform walk starts one) knows nothing of the others when it starts.
// Three things keep them under the limit without tuning:
//
//   - A pacer spaces this client's requests one interval of the current
//     rate apart: each request takes the next free slot on a timeline, never
//     more than one interval ahead (so a change of rate applies to the very
//     next request), and goes at a random moment within half an interval of
//     its slot, so that clients pacing at the same rate do not fall into
//     step with the API's refills and one of them take every freed request
//     while the others only see 429s. With a shared directory the timeline
//     is a small file that every client on the machine using the same token
//     and API locks, reads and advances, so any number of local processes
//     together send at most the configured rate. A 429's Retry-After pauses
//     this client and, through the shared timeline, the others on the
//     machine.
//   - An adaptive rate (adaptiveRate) copes with what the pacer cannot see:
//     processes on other machines. It starts at the ceiling (a client alone
//     is as fast as ever). The first overload (429) tells it that others
//     share the token, and how many: the requests it got through before the
//     API's burst ran out, against that burst, is its share so far, and it
//     goes to that share (between a quarter and a half of the ceiling).
//     Later overloads halve it (once per overload: a 429 for a request
//     sent within overloadGrace of a cut answers for the same one);
//     while requests succeed it climbs back, faster the lower it is (so
//     that clients sharing a token even out) and faster the longer no 429
//     came (so that a client left alone soon takes the whole limit again).
//   - When the API says how much of its limit is left (RateLimit or
//     X-RateLimit-* headers, which Entrupy does not document: optional), the
//     rate follows that instead of waiting for 429s: it takes its first
//     share as soon as less than half is left, eases off when (almost)
//     nothing is, and climbs only while more than half is.
//
// A 429 means the request was not processed, so it is always safe to retry:
// by default 429s are retried for a time budget rather than a count.

// limiter paces requests; nil means no client-side limit.
type limiter struct {
	timeline timeline
	now      func() time.Time
	random   func() float64 // uniform in [0, 1): where in its slot a request goes

	mu         sync.Mutex
	rate       adaptiveRate
	cooldownTo time.Time // no request starts before this (Retry-After), in-process copy
}

// timeline holds the theoretical arrival time of the next request: the
// GCRA state. reserve takes the first free slot at or after now and
// advances the timeline by interval, unless that slot lies more than
// horizon ahead: then it takes nothing and returns the slot (taken false);
// pushBack moves the timeline to at least t.
type timeline interface {
	reserve(now time.Time, interval, horizon time.Duration) (slot time.Time, taken bool, err error)
	pushBack(t time.Time) error
	close() error
}

func newLimiter(rps float64, tl timeline) *limiter {
	return &limiter{rate: newAdaptiveRate(rps), timeline: tl, now: time.Now, random: mrand.Float64}
}

func (l *limiter) interval() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.rate.interval(l.now())
}

// wait blocks until this request's slot, or fails when ctx ends first or
// the slot lies beyond ctx's deadline. A request whose slot falls inside a
// pause ordered while it waits takes a new slot after the pause, so the
// requests held back resume one interval apart rather than all at once.
func (l *limiter) wait(ctx context.Context, sleep func(context.Context, time.Duration) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := l.now()
		at, taken, err := l.next(now)
		if err != nil {
			return err
		}
		if err := l.sleepUntil(ctx, sleep, now, at); err != nil {
			return err
		}
		if taken && !l.pausedUntil().After(l.now()) {
			return nil
		}
	}
}

// next is one step of wait at now: when this request goes, having taken a
// slot (taken true), or when to ask again: after a pause a 429 ordered, or
// one interval before the next free slot (a slot is taken at most one
// interval ahead, so that a change of rate applies to the very next
// request). A request goes at a random moment within half an interval of
// its slot, never before now.
func (l *limiter) next(now time.Time) (at time.Time, taken bool, err error) {
	if pause := l.pausedUntil(); pause.After(now) {
		return pause, false, nil
	}
	iv := l.interval()
	slot, taken, err := l.timeline.reserve(now, iv, iv)
	if err != nil {
		return slot, taken, err
	}
	if !taken {
		return slot.Add(-iv), false, nil
	}
	at = slot.Add(time.Duration((l.random() - 0.5) * float64(iv)))
	if at.Before(now) {
		at = now
	}
	return at, true, nil
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

// answered records an answer other than 429 to a request sent at sent,
// with the API's own word on its limit when the answer had one.
func (l *limiter) answered(sent time.Time, hint rateHint) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.rate.answered(l.now(), sent, hint)
}

// limited records a 429 to a request sent at sent: the rate is cut (once
// per overload) and a Retry-After pauses this client and, through the
// shared timeline, every other one on the machine. It returns the rate now
// in force.
func (l *limiter) limited(sent time.Time, retryAfter time.Duration) float64 {
	now := l.now()
	l.mu.Lock()
	l.rate.limited(now, sent)
	rate := l.rate.rps
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

// Adaptive rate parameters. The values come from a simulation of W
// workspaces sharing one 10/s token bucket with a burst of 10 (as the
// emulator enforces), each running the bench's apply, plan and destroy, a
// provider process per Terraform walk with -parallelism=10
// (ratelimit_sim_test.go), checked against the bench (make bench).
const (
	// rateFloorShare is the lowest rate, as a share of the ceiling.
	rateFloorShare = 1.0 / 40
	// burstGuess is the API's burst, guessed at one second of the ceiling
	// (Entrupy does not document it; the emulator's is that): a client that
	// got n answers before its first 429 had about n of the n + burst
	// requests the token allowed in that time.
	burstGuess = time.Second
	// firstShareMin and firstShareMax bound the share of the ceiling a
	// client goes to on its first overload.
	firstShareMin = 1.0 / 4
	firstShareMax = 1.0 / 2
	// rateCutFactor multiplies the rate on each later overload.
	rateCutFactor = 0.5
	// overloadGrace: a 429 for a request sent less than this after the last
	// cut answers for the overload already counted (the pause of its
	// Retry-After, usually a second, covers most of it). Longer, the
	// requests that keep meeting the same overload each pause the client
	// without slowing it (measured: slower walls).
	overloadGrace = time.Second
	// rateRiseShare sets how fast the rate climbs while requests succeed:
	// rateRiseShare of the ceiling per second at the ceiling, and as many
	// times more as the rate is below it (ceiling ÷ rate): a client with a
	// small share climbs faster, so clients on one token even out.
	rateRiseShare = 0.0003
	// rateQuietScale: the climb speeds up with the time since the last cut,
	// by (1 + (t / T)²) with T = rateQuietScale × ceiling ÷ rate (a lower
	// rate sees its 429s further apart): a client left alone on the token
	// soon takes the whole limit again.
	rateQuietScale = 1500 * time.Millisecond

	// With the API's rate-limit headers: while starting, an answer saying
	// less than hintStartShare of the limit is left counts as the first
	// overload; after it, an answer saying at most hintLowRemaining
	// requests are left cuts the rate by hintCutFactor (once per
	// hintGrace), and while more than half is left the rate climbs by up to
	// hintRise of itself per second (the more the more is left).
	hintStartShare   = 0.5
	hintLowRemaining = 1
	hintCutFactor    = 0.8
	hintGrace        = time.Second
	hintRise         = 0.2
)

// adaptiveRate is the rate a client sends at, learnt from the API's
// answers alone. Times are passed in, so that it can be driven by a
// simulated clock.
type adaptiveRate struct {
	ceiling, floor float64
	rps            float64
	starting       bool      // no overload seen yet
	answers        int       // answers while starting
	lastCut        time.Time // when the rate was last cut (or the client began)
	lastRise       time.Time
	graceTo        time.Time // a 429 for a request sent before this answers for an overload already counted
}

func newAdaptiveRate(ceiling float64) adaptiveRate {
	return adaptiveRate{ceiling: ceiling, floor: ceiling * rateFloorShare, rps: ceiling, starting: true}
}

// interval is the time between two requests at the current rate; the
// first call starts the clocks.
func (a *adaptiveRate) interval(now time.Time) time.Duration {
	a.begin(now)
	return time.Duration(float64(time.Second) / a.rps)
}

func (a *adaptiveRate) begin(now time.Time) {
	if a.lastRise.IsZero() {
		a.lastCut, a.lastRise = now, now
	}
}

// answered lets the rate climb after an answer other than 429 to a request
// sent at sent; hint is what the API said of its limit (zero: nothing).
func (a *adaptiveRate) answered(now, sent time.Time, hint rateHint) {
	a.begin(now)
	if hint.known() {
		a.hinted(now, sent, hint)
		return
	}
	if a.starting {
		a.answers++
		return
	}
	dt := now.Sub(a.lastRise).Seconds()
	a.lastRise = now
	if dt <= 0 || a.rps >= a.ceiling {
		return
	}
	below := a.ceiling / a.rps
	quiet := now.Sub(a.lastCut).Seconds() / (rateQuietScale.Seconds() * below)
	a.rps = min(a.ceiling, a.rps+rateRiseShare*a.ceiling*below*(1+quiet*quiet)*dt)
}

// hinted is answered for an answer that said how much of the API's limit
// is left.
func (a *adaptiveRate) hinted(now, sent time.Time, hint rateHint) {
	left := min(1, hint.remaining/hint.limit)
	dt := now.Sub(a.lastRise).Seconds()
	a.lastRise = now
	switch {
	case a.starting && left < hintStartShare:
		a.limited(now, sent)
	case a.starting:
		a.answers++
	case hint.remaining <= hintLowRemaining:
		if !sent.Before(a.graceTo) {
			a.rps = max(a.floor, a.rps*hintCutFactor)
			a.lastCut, a.graceTo = now, now.Add(hintGrace)
		}
	case left > 0.5 && dt > 0:
		a.rps = min(a.ceiling, a.rps*(1+hintRise*(left-0.5)/0.5*dt))
	}
}

// limited records a 429 to a request sent at sent: the first overload takes
// the client to its share, each later one halves its rate.
func (a *adaptiveRate) limited(now, sent time.Time) {
	a.begin(now)
	switch {
	case a.starting:
		a.starting = false
		n := float64(a.answers)
		share := n / (n + a.ceiling*burstGuess.Seconds())
		a.rps = a.ceiling * min(firstShareMax, max(firstShareMin, share))
	case sent.Before(a.graceTo):
		return
	default:
		a.rps = max(a.floor, a.rps*rateCutFactor)
	}
	a.lastCut, a.lastRise, a.graceTo = now, now, now.Add(overloadGrace)
}

// rateHint is what a response said of the API's rate limit: how many
// requests the limit allows (limit) and how many are left (remaining).
// The zero value says nothing.
type rateHint struct {
	limit, remaining float64
}

func (h rateHint) known() bool { return h.limit > 0 && h.remaining >= 0 }

// parseRateHint reads the rate-limit headers of a response, in any of the
// forms contract.go lists; a missing or unreadable one says nothing.
func parseRateHint(h http.Header) rateHint {
	num := func(v string) (float64, bool) {
		f, err := strconv.ParseFloat(strings.Trim(strings.TrimSpace(v), `"`), 64)
		return f, err == nil && f >= 0 && !math.IsInf(f, 0)
	}
	// firstNum is the first number of a field such as "10, 10;w=1".
	firstNum := func(v string) (float64, bool) {
		v, _, _ = strings.Cut(v, ",")
		v, _, _ = strings.Cut(v, ";")
		return num(v)
	}
	// params reads "k=v" members of a structured field, whatever separates them.
	params := func(v string) map[string]string {
		out := map[string]string{}
		for _, part := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' }) {
			if k, val, ok := strings.Cut(part, "="); ok {
				out[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(val)
			}
		}
		return out
	}
	var hint rateHint
	set := func(limit, remaining string, limitOK, remainingOK bool) bool {
		l, lok := num(limit)
		r, rok := num(remaining)
		if limitOK && remainingOK && lok && rok && l > 0 {
			hint = rateHint{limit: l, remaining: r}
			return true
		}
		return false
	}
	if v := h.Get(HeaderRateLimit); v != "" {
		p := params(v)
		limit, lok := p["limit"]
		if !lok {
			pp := params(h.Get(HeaderRateLimitPolicy))
			if limit, lok = pp["q"]; !lok {
				if f, ok := firstNum(h.Get(HeaderRateLimitPolicy)); ok {
					limit, lok = strconv.FormatFloat(f, 'f', -1, 64), true
				}
			}
		}
		remaining, rok := p["remaining"]
		if !rok {
			remaining, rok = p["r"]
		}
		if set(limit, remaining, lok, rok) {
			return hint
		}
	}
	for _, names := range [][2]string{{HeaderRateLimitLimit, HeaderRateLimitRemaining}, {HeaderXRateLimitLimit, HeaderXRateLimitRemaining}} {
		if l, ok := firstNum(h.Get(names[0])); ok {
			if r, ok := firstNum(h.Get(names[1])); ok && l > 0 {
				return rateHint{limit: l, remaining: r}
			}
		}
	}
	return rateHint{}
}

// memTimeline is a timeline private to this process.
type memTimeline struct {
	mu  sync.Mutex
	tat time.Time
}

func (m *memTimeline) reserve(now time.Time, interval, horizon time.Duration) (time.Time, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	slot := now
	if m.tat.After(slot) {
		slot = m.tat
	}
	if slot.Sub(now) > horizon {
		return slot, false, nil
	}
	m.tat = slot.Add(interval)
	return slot, true, nil
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
