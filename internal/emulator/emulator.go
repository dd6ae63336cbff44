// Package emulator is an in-memory Entrupy API: an http.Handler that follows
// the contract in internal/entrupy/CONTRACT.md (routes, fields, validation and
// error bodies, 401s, 429s with Retry-After, Idempotency-Key replays), with
// knobs for latency and injected faults, request counters and an inventory
// for tests and benchmarks, and optional persistence to a JSON file so that
// separate terraform runs see the same data.
//
// It speaks the contract in its own words: the JSON shapes it reads and
// writes are its own (wire.go), written from the contract text, not the
// client's structs in internal/entrupy, so that a misspelt field on either
// side shows as a disagreement in the tests that run the client against
// it. It shares the contract's constants (routes, headers, error codes,
// enumerations, limits) and validation rules (internal/entrupy/rules.go).
// Its state and seed files have their own versioned format (FileFormat).
package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// DefaultToken is the API token the emulator accepts when none is configured.
const DefaultToken = "emulator-token"

// DefaultOrganization names the emulated account; usernames are
// "<Organization>-<unique_user_id>" [doc].
const DefaultOrganization = "Acme"

// idempotencyTTL is how long a replayed Idempotency-Key is remembered [chosen].
const idempotencyTTL = 24 * time.Hour

// Options configure a Server. The zero value is a quiet, fault-free emulator
// with the built-in seed data and DefaultToken.
type Options struct {
	// Token is the API token accepted in "Authorization: Token <token>".
	Token string
	// Organization names the account (default DefaultOrganization).
	Organization string

	// Seed is the data to start with; nil means the built-in set
	// (BuiltinSeed), unless NoSeed is true.
	Seed   *Seed
	NoSeed bool
	// StateFile, when set, is loaded at start (if it exists, in place of
	// Seed) and rewritten after every change.
	StateFile string

	// RateLimit is the server-side limit in requests per second (0 = off);
	// over it the answer is 429 with Retry-After. RateBurst defaults to
	// ceil(RateLimit).
	RateLimit float64
	RateBurst int
	// RateLimitHeaders makes every answer under a server-side limit say
	// how much of it is left, in one of the optional forms of the contract
	// (Entrupy documents none): RateLimitHeadersIETF or RateLimitHeadersX;
	// "" sends none.
	RateLimitHeaders string

	// Latency is added to every request. With probability LatencySpikeRate
	// a request waits LatencySpike more.
	Latency          time.Duration
	LatencySpikeRate float64
	LatencySpike     time.Duration
	// ResponseDelay holds every answer back after the request's change was
	// committed: the window in which an interrupted client loses the answer.
	ResponseDelay time.Duration

	// Fault rates, each a probability per API request: a 500 answer, a reset
	// connection, a spurious 429 (Retry-After: 1). AfterCommitShare of the
	// 500s and resets strike after the request's change was committed (the
	// client never sees the answer); the rest strike before it runs.
	FaultRate5xx     float64
	FaultRateReset   float64
	FaultRate429     float64
	AfterCommitShare float64
	// FaultSeed makes the faults and latency spikes reproducible.
	FaultSeed uint64

	// DeliveryAttempts bounds the tries of one webhook delivery (default 6);
	// DeliveryBackoff is the first wait between them, doubling (default 1s).
	DeliveryAttempts int
	DeliveryBackoff  time.Duration

	// ItemShapes is the shape of the items GET, lookup and search answer
	// (ItemShapes; shapes.go): "" or ShapeContract for the contract's v1.4
	// model, another shape Entrupy publishes, or ShapesMixed for each item
	// in one of them.
	ItemShapes string
	// SignatureMode is how deliveries are signed (deliveries.go):
	// SignTimestamped ("" too) or SignPlain.
	SignatureMode string
	// ExtraEvents are webhook events the emulator knows beyond
	// entrupy.WebhookEvents, as Entrupy's list may grow before the
	// provider's does ("Additional events may be added" [doc]).
	ExtraEvents []string

	// Now returns the time (default time.Now).
	Now func() time.Time
}

// The forms of rate-limit headers the emulator can send
// (Options.RateLimitHeaders).
const (
	// RateLimitHeadersIETF is RateLimit and RateLimit-Policy of the IETF
	// httpapi draft: `RateLimit-Policy: "default";q=10;w=1` (10 requests
	// a second) and `RateLimit: "default";r=3;t=1` (3 left, all back in
	// 1 s).
	RateLimitHeadersIETF = "ietf"
	// RateLimitHeadersX is X-RateLimit-Limit, -Remaining and -Reset (the
	// Unix time at which all are back) as GitHub sends them.
	RateLimitHeadersX = "x-ratelimit"
)

// Fault is an injected failure.
type Fault int

// Faults.
const (
	NoFault Fault = iota
	// Fail500Before answers 500 before the request runs: nothing changed.
	Fail500Before
	// Fail500After runs the request, commits it, then answers 500.
	Fail500After
	// ResetBefore resets the connection before the request runs.
	ResetBefore
	// ResetAfter runs and commits the request, then resets the connection.
	ResetAfter
	// Fail429 answers 429 with Retry-After: 1.
	Fail429
)

func (f Fault) String() string {
	return [...]string{"none", "500-before", "500-after", "reset-before", "reset-after", "429"}[f]
}

func (f Fault) after() bool { return f == Fail500After || f == ResetAfter }

// Server is the emulated API. Create it with New; it is an http.Handler.
type Server struct {
	opts    Options
	mux     *http.ServeMux
	limiter atomic.Pointer[rate.Limiter] // nil: no server-side limit
	// calm stops the random faults of Options (StopRandomFaults).
	calm atomic.Bool

	rngMu sync.Mutex
	rng   *rand.Rand

	mu       sync.Mutex // guards everything below
	st       *state
	counts   map[string]int
	statuses map[int]int
	writes   int // API requests that changed st, see Writes
	scripted map[string][]Fault

	// initial is the seeded state as JSON: what a new emulator without a
	// state file starts with, and what Reset goes back to.
	initial []byte

	hooks *deliverer // webhook deliveries, see deliveries.go
}

// New builds a Server.
func New(opts Options) (*Server, error) {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.Organization == "" {
		opts.Organization = DefaultOrganization
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.AfterCommitShare == 0 {
		opts.AfterCommitShare = 0.5
	}
	for name, p := range map[string]float64{
		"FaultRate5xx": opts.FaultRate5xx, "FaultRateReset": opts.FaultRateReset, "FaultRate429": opts.FaultRate429,
		"LatencySpikeRate": opts.LatencySpikeRate, "AfterCommitShare": opts.AfterCommitShare,
	} {
		if p < 0 || p > 1 {
			return nil, fmt.Errorf("emulator: %s must be between 0 and 1, got %v", name, p)
		}
	}
	if opts.FaultRate5xx+opts.FaultRateReset+opts.FaultRate429 > 1 {
		return nil, fmt.Errorf("emulator: fault rates add up to more than 1")
	}
	if err := checkItemShapes(opts.ItemShapes); err != nil {
		return nil, err
	}
	if err := checkSignatureMode(opts.SignatureMode); err != nil {
		return nil, err
	}
	switch opts.RateLimitHeaders {
	case "", RateLimitHeadersIETF, RateLimitHeadersX:
	default:
		return nil, fmt.Errorf("emulator: RateLimitHeaders must be %q, %q or empty, got %q", RateLimitHeadersIETF, RateLimitHeadersX, opts.RateLimitHeaders)
	}
	s := &Server{
		opts:     opts,
		rng:      rand.New(rand.NewPCG(opts.FaultSeed, opts.FaultSeed^0x9e3779b97f4a7c15)),
		counts:   map[string]int{},
		statuses: map[int]int{},
		scripted: map[string][]Fault{},
	}
	s.SetRateLimit(opts.RateLimit, opts.RateBurst)
	st, err := s.initialState()
	if err != nil {
		return nil, err
	}
	s.st = st
	s.hooks = newDeliverer(s)
	s.routes()
	return s, nil
}

// initialState records the seeded state in s.initial and returns the state
// to start with: the state file's when it exists, else the seeded one.
func (s *Server) initialState() (*state, error) {
	seed := s.opts.Seed
	if seed == nil && !s.opts.NoSeed {
		seed = BuiltinSeed(s.opts.Organization)
	}
	seeded := newState()
	if seed != nil {
		if err := seeded.load(seed, s.opts.Organization); err != nil {
			return nil, err
		}
	}
	b, err := json.Marshal(seeded)
	if err != nil {
		return nil, fmt.Errorf("emulator: encoding the seeded state: %w", err)
	}
	s.initial = b
	if s.opts.StateFile != "" {
		st, err := loadState(s.opts.StateFile)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return st, nil
		}
	}
	// A copy decoded from s.initial, as Reset makes: the live state shares
	// nothing with the caller's Seed.
	return s.seededState()
}

// seededState decodes a fresh copy of the seeded state.
func (s *Server) seededState() (*state, error) {
	st := newState()
	if err := json.Unmarshal(s.initial, st); err != nil {
		return nil, fmt.Errorf("emulator: decoding the seeded state: %w", err)
	}
	st.normalize()
	return st, nil
}

// Reset forgets everything: the emulator goes back to the state it starts
// with when it has no state file (the seeded authentications and
// certificates as at start; no users, webhooks or idempotency records), stops
// pending webhook deliveries and clears their log, forgets scripted faults
// and zeroes the counters (Counts, Statuses, Writes). With a StateFile, the
// fresh state is written to it.
func (s *Server) Reset() {
	st, err := s.seededState()
	if err != nil { // cannot happen: New decoded the same bytes
		log.Printf("emulator: reset: %v", err)
		return
	}
	s.mu.Lock()
	s.st = st
	s.counts = map[string]int{}
	s.statuses = map[int]int{}
	s.writes = 0
	s.scripted = map[string][]Fault{}
	s.persistLocked()
	old := s.hooks.restart()
	s.mu.Unlock()
	old.stop() // outside s.mu: a delivery in flight takes it
}

// response is what a route handler decides; the pipeline writes it.
type response struct {
	status int
	body   []byte
}

func jsonResponse(status int, v any) response {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, entrupy.CodeInternal, "encoding response: "+err.Error(), "")
	}
	return response{status: status, body: b}
}

func itemResponse(status int, v any) response {
	return jsonResponse(status, itemEnvelope[any]{Item: v})
}

func errorResponse(status int, code, msg, field string) response {
	b, _ := json.Marshal(errorBody{Error: msg, Code: code, Field: field})
	return response{status: status, body: b}
}

func badRequest(field, format string, args ...any) response {
	return errorResponse(http.StatusBadRequest, entrupy.CodeInvalidRequest, fmt.Sprintf(format, args...), field)
}

func notFound(what, id string) response {
	return errorResponse(http.StatusNotFound, entrupy.CodeNotFound, fmt.Sprintf("%s %q not found", what, id), "")
}

// call is one API request as a handler sees it. Handlers run with s.mu held.
type call struct {
	r    *http.Request
	body []byte
	lang string
	now  time.Time
	// unchanged is set by a handler of a changing route whose successful
	// answer changed nothing (authorize-user for an existing user): no
	// write is counted or persisted.
	unchanged bool
	// after, set by a handler that answered 2xx, runs once s.mu is
	// released and gives the answer instead: the work of a route that
	// waits on something outside the emulator (a test delivery waits for
	// the receiver) must not hold the lock.
	after func() response
}

func (c *call) decode(v any) *response {
	if len(bytes.TrimSpace(c.body)) == 0 {
		r := badRequest("", "request body must be a JSON object")
		return &r
	}
	if err := json.Unmarshal(c.body, v); err != nil {
		r := badRequest("", "request body is not valid JSON for this route: %v", err)
		return &r
	}
	return nil
}

type handlerFunc func(c *call) response

// Route kinds.
const (
	readRoute   = iota // no change
	changeRoute        // changes state: persisted
	createRoute        // changes state and honours Idempotency-Key
)

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	api := func(pattern string, kind int, h handlerFunc) {
		s.mux.Handle(pattern, s.pipeline(pattern, kind, h))
	}
	api("GET "+entrupy.PathHealth, readRoute, s.health)
	api("GET /v2/authentications/{entrupy_id}", readRoute, s.getAuthentication)
	api("GET /v2/lookup/authentications/{customer_item_id}", readRoute, s.lookupAuthentication)
	api("POST "+entrupy.PathSearchAuthentications, readRoute, s.searchAuthentications)
	api("GET /v2/certificates/{certificate_id}", readRoute, s.getCertificate)
	api("POST /v2/certificates/{certificate_id}/transfers", createRoute, s.createTransfer)
	api("DELETE /v2/certificates/{certificate_id}/transfers/{transfer_id}", changeRoute, s.cancelTransfer)
	api("POST "+entrupy.PathAuthorizeUser, createRoute, s.authorizeUser)
	api("POST "+entrupy.PathUsers, createRoute, s.createUser)
	api("GET "+entrupy.PathUsers, readRoute, s.listUsers)
	api("GET /v2/integrations/users/{unique_user_id}", readRoute, s.getUser)
	api("PATCH /v2/integrations/users/{unique_user_id}", changeRoute, s.updateUser)
	api("DELETE /v2/integrations/users/{unique_user_id}", changeRoute, s.deleteUser)
	api("POST "+entrupy.PathWebhooks, createRoute, s.createWebhook)
	api("GET "+entrupy.PathWebhooks, readRoute, s.listWebhooks)
	api("GET /v2/webhooks/{id}", readRoute, s.getWebhook)
	api("PATCH /v2/webhooks/{id}", changeRoute, s.updateWebhook)
	api("DELETE /v2/webhooks/{id}", changeRoute, s.deleteWebhook)
	// A test delivery changes no state (its history is not persisted).
	api("POST /v2/webhooks/{id}/test", readRoute, s.testWebhook)
	api("GET /v2/webhooks/{id}/deliveries", readRoute, s.listDeliveries)
	// Anything else under the API is a JSON 404 (after the token check).
	api("/", readRoute, func(c *call) response {
		return errorResponse(http.StatusNotFound, entrupy.CodeNotFound, "no route "+c.r.Method+" "+c.r.URL.Path, "")
	})
	s.adminRoutes()
	s.deliveryAdminRoutes()
	s.withdrawalAdminRoutes()
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// pipeline wraps a route: count, delay, check the token, rate-limit, inject
// faults, replay idempotent creates, run the handler under the lock, persist.
func (s *Server) pipeline(pattern string, kind int, h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.counts[pattern]++
		s.mu.Unlock()

		if d := s.delay(); d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		if !s.authorized(r) {
			s.write(w, errorResponse(http.StatusUnauthorized, entrupy.CodeUnauthorized, "invalid or missing API token (use \"Authorization: Token <token>\")", ""))
			return
		}
		if strings.HasPrefix(r.URL.Path, "/v1/") && r.Header.Get(entrupy.HeaderAPIVersion) == "" {
			s.write(w, badRequest(entrupy.HeaderAPIVersion, "v1 routes require the Api-Version header (1.4)"))
			return
		}
		wait, limited := s.rateLimited(w.Header())
		if limited {
			w.Header().Set(entrupy.HeaderRetryAfter, strconv.Itoa(wait))
			s.write(w, errorResponse(http.StatusTooManyRequests, entrupy.CodeRateLimited, "rate limit exceeded; retry later", ""))
			return
		}
		fault := s.nextFault(pattern)
		switch fault {
		case Fail429:
			w.Header().Set(entrupy.HeaderRetryAfter, "1")
			s.write(w, errorResponse(http.StatusTooManyRequests, entrupy.CodeRateLimited, "rate limit exceeded (injected)", ""))
			return
		case Fail500Before, ResetBefore:
			s.fail(w, fault)
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return // the client went away
		}
		c := &call{r: r, body: body, lang: language(r), now: s.opts.Now().UTC()}

		s.mu.Lock()
		resp, replayed := s.run(c, kind, h)
		if kind != readRoute && !replayed && resp.status < 300 && !c.unchanged {
			s.writes++
			s.persistLocked()
		}
		s.mu.Unlock()
		if c.after != nil && resp.status < 300 && !replayed {
			resp = c.after()
		}

		if s.opts.ResponseDelay > 0 {
			time.Sleep(s.opts.ResponseDelay) // committed; the client waits
		}
		if fault.after() {
			s.fail(w, fault)
			return
		}
		if replayed {
			w.Header().Set("Idempotent-Replayed", "true")
		}
		s.write(w, resp)
	})
}

// run executes h, or replays the stored answer of an Idempotency-Key.
// Called with s.mu held.
func (s *Server) run(c *call, kind int, h handlerFunc) (response, bool) {
	key := c.r.Header.Get(entrupy.HeaderIdempotencyKey)
	if kind != createRoute || key == "" {
		return h(c), false
	}
	id := c.r.Method + " " + c.r.URL.Path + " " + key
	sum := sha256.Sum256(c.body)
	fp := hex.EncodeToString(sum[:])
	if rec, ok := s.st.Idempotency[id]; ok && c.now.Sub(rec.At) < idempotencyTTL {
		if rec.Fingerprint != fp {
			// [chosen] reusing a key for a different body is a conflict,
			// as Stripe does; the convention of the documented 409.
			return errorResponse(http.StatusConflict, entrupy.CodeConflict, "Idempotency-Key was already used with a different request body", entrupy.HeaderIdempotencyKey), false
		}
		return response{status: rec.Status, body: rec.Body}, true
	}
	resp := h(c)
	if resp.status < 500 { // a 5xx is not final: a retry may run again
		for k, rec := range s.st.Idempotency { // keys are remembered for 24 h, then forgotten
			if c.now.Sub(rec.At) >= idempotencyTTL {
				delete(s.st.Idempotency, k)
			}
		}
		s.st.Idempotency[id] = idempotencyRecord{At: c.now, Fingerprint: fp, Status: resp.status, Body: resp.body}
	}
	return resp, false
}

func (s *Server) authorized(r *http.Request) bool {
	scheme, tok, ok := strings.Cut(r.Header.Get(entrupy.HeaderAuthorization), " ")
	return ok && scheme == entrupy.AuthScheme && tok == s.opts.Token
}

// SetRateLimit replaces the server-side limit, also while the emulator
// serves: perSecond requests per second (0 = off) with a burst of burst
// (ceil(perSecond) when 0). The benchmark fills an account with the limit
// off, then measures with Entrupy's limit on.
func (s *Server) SetRateLimit(perSecond float64, burst int) {
	if perSecond <= 0 {
		s.limiter.Store(nil)
		return
	}
	if burst <= 0 {
		burst = int(math.Ceil(perSecond))
	}
	s.limiter.Store(rate.NewLimiter(rate.Limit(perSecond), burst))
}

// rateLimited takes a token from the server's bucket; when none is left it
// says how many whole seconds to wait (at least 1). It sets the rate-limit
// headers Options.RateLimitHeaders asks for on h.
func (s *Server) rateLimited(h http.Header) (int, bool) {
	limiter := s.limiter.Load()
	if limiter == nil {
		return 0, false
	}
	res := limiter.Reserve()
	d := res.Delay()
	wait, limited := 0, d > 0
	if limited {
		res.Cancel()
		wait = max(1, int(math.Ceil(d.Seconds())))
	}
	s.rateLimitHeaders(h, limiter)
	return wait, limited
}

// rateLimitHeaders says on h how much of the bucket is left: its size (the
// burst, refilled in burst ÷ rate seconds), the whole tokens left and the
// seconds until it is full again.
func (s *Server) rateLimitHeaders(h http.Header, limiter *rate.Limiter) {
	if s.opts.RateLimitHeaders == "" {
		return
	}
	now := time.Now()
	burst, perSecond := limiter.Burst(), float64(limiter.Limit())
	tokens := max(0, limiter.TokensAt(now))
	remaining := int(math.Floor(tokens))
	full := (float64(burst) - tokens) / perSecond // seconds until the bucket is full
	switch s.opts.RateLimitHeaders {
	case RateLimitHeadersIETF:
		window := max(1, int(math.Round(float64(burst)/perSecond)))
		h.Set(entrupy.HeaderRateLimitPolicy, fmt.Sprintf(`"default";q=%d;w=%d`, burst, window))
		h.Set(entrupy.HeaderRateLimit, fmt.Sprintf(`"default";r=%d;t=%d`, remaining, int(math.Ceil(full))))
	case RateLimitHeadersX:
		h.Set(entrupy.HeaderXRateLimitLimit, strconv.Itoa(burst))
		h.Set(entrupy.HeaderXRateLimitRemaining, strconv.Itoa(remaining))
		h.Set(entrupy.HeaderXRateLimitReset, strconv.FormatInt(now.Add(time.Duration(math.Ceil(full))*time.Second).Unix(), 10))
	}
}

func (s *Server) delay() time.Duration {
	d := s.opts.Latency
	if s.opts.LatencySpikeRate > 0 {
		s.rngMu.Lock()
		spike := s.rng.Float64() < s.opts.LatencySpikeRate
		s.rngMu.Unlock()
		if spike {
			d += s.opts.LatencySpike
		}
	}
	return d
}

// nextFault returns a scripted fault for the route, if any, else draws one.
func (s *Server) nextFault(pattern string) Fault {
	s.mu.Lock()
	if q := s.scripted[pattern]; len(q) > 0 {
		s.scripted[pattern] = q[1:]
		s.mu.Unlock()
		return q[0]
	}
	s.mu.Unlock()
	o := s.opts
	if s.calm.Load() || o.FaultRate5xx == 0 && o.FaultRateReset == 0 && o.FaultRate429 == 0 {
		return NoFault
	}
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	p := s.rng.Float64()
	after := s.rng.Float64() < o.AfterCommitShare
	switch {
	case p < o.FaultRate5xx:
		if after {
			return Fail500After
		}
		return Fail500Before
	case p < o.FaultRate5xx+o.FaultRateReset:
		if after {
			return ResetAfter
		}
		return ResetBefore
	case p < o.FaultRate5xx+o.FaultRateReset+o.FaultRate429:
		return Fail429
	}
	return NoFault
}

// FailNext scripts faults for the next requests matching a route pattern,
// e.g. FailNext("POST /v2/webhooks", ResetAfter). Scripted faults come
// before the random ones.
func (s *Server) FailNext(pattern string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripted[pattern] = append(s.scripted[pattern], faults...)
}

// StopRandomFaults ends the random faults of Options (5xx, resets, 429s)
// from now on, as when an outage ends; scripted faults still strike.
func (s *Server) StopRandomFaults() { s.calm.Store(true) }

// ClearFaults forgets every fault scripted with FailNext that has not struck yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scripted = map[string][]Fault{}
}

func (s *Server) fail(w http.ResponseWriter, f Fault) {
	if f == ResetBefore || f == ResetAfter {
		s.mu.Lock()
		s.statuses[0]++
		s.mu.Unlock()
		resetConnection(w)
		return
	}
	s.write(w, errorResponse(http.StatusInternalServerError, entrupy.CodeInternal, "internal error (injected)", ""))
}

// resetConnection drops the connection with a TCP RST where it can.
func resetConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (s *Server) write(w http.ResponseWriter, resp response) {
	s.mu.Lock()
	s.statuses[resp.status]++
	s.mu.Unlock()
	if resp.body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func language(r *http.Request) string {
	tag := strings.ToLower(strings.TrimSpace(r.Header.Get(entrupy.HeaderAcceptLanguage)))
	if strings.HasPrefix(tag, "ja") {
		return "ja"
	}
	return "en"
}

func (s *Server) health(*call) response {
	return jsonResponse(http.StatusOK, healthBody{Status: "ok"})
}

// ---------------------------------------------------------------------------
// Counters and inventory.

// Counts returns how many requests each route received, keyed by its
// pattern, e.g. "GET /v2/webhooks/{id}" (rejected and faulted ones included).
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

// Count returns the requests one route received.
func (s *Server) Count(pattern string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[pattern]
}

// Statuses returns how many answers had each status (0 = connection reset).
func (s *Server) Statuses() map[int]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[int]int, len(s.statuses))
	for k, v := range s.statuses {
		out[k] = v
	}
	return out
}

// Writes returns how many API requests changed the emulator's state: each
// create, PATCH, DELETE, transfer, and authorize-user that created a user.
// Reads, searches, idempotent replays, authorize-user for an existing user
// and rejected requests are not writes; nor are the /_emulator/ routes.
// A request answered with an injected fault after its change was committed
// (Fail500After, ResetAfter) is one.
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

// ResetCounts zeroes the request, status and write counters.
func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.statuses = map[int]int{}
	s.writes = 0
}

// Inventory is what the emulator holds, for tests to compare with state
// and for people to find IDs to try.
type Inventory struct {
	Webhooks         []Webhook  `json:"webhooks"`
	Users            []User     `json:"users"`
	DeactivatedUsers []string   `json:"deactivated_users"`
	Transfers        []Transfer `json:"transfers"`
	Authentications  int        `json:"authentications"`
	Certificates     int        `json:"certificates"`
	// Items are the authentications, newest first, with what they can be
	// looked up by; CertificateIDs every certificate ID, revoked ones too.
	Items          []InventoryItem `json:"items"`
	CertificateIDs []string        `json:"certificate_ids"`
}

// InventoryItem is one authentication in the inventory: its IDs and result.
type InventoryItem struct {
	EntrupyID      string `json:"entrupy_id"`
	CustomerItemID string `json:"customer_item_id,omitempty"`
	Result         string `json:"result"`
	Final          bool   `json:"final"`
	CertificateID  string `json:"certificate_id,omitempty"`
}

// Inventory returns the current contents, sorted by id.
func (s *Server) Inventory() Inventory {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := Inventory{
		Webhooks: []Webhook{}, Users: []User{}, DeactivatedUsers: []string{}, Transfers: []Transfer{},
		Authentications: len(s.st.Items), Certificates: len(s.st.Certificates),
		Items: []InventoryItem{}, CertificateIDs: []string{},
	}
	for _, it := range s.st.newest {
		ii := InventoryItem{EntrupyID: it.EntrupyID, Result: it.Status.Result.ID, Final: it.Status.Result.Final}
		if it.TextFields.CustomerItemID != nil {
			ii.CustomerItemID = *it.TextFields.CustomerItemID
		}
		if it.Certificate != nil {
			ii.CertificateID = it.Certificate.CertificateID
		}
		inv.Items = append(inv.Items, ii)
	}
	for id := range s.st.Certificates {
		inv.CertificateIDs = append(inv.CertificateIDs, id)
	}
	sort.Strings(inv.CertificateIDs)
	for _, w := range s.st.Webhooks {
		inv.Webhooks = append(inv.Webhooks, w.view())
	}
	for _, u := range s.st.Users {
		if u.Active {
			inv.Users = append(inv.Users, u.view())
		} else {
			inv.DeactivatedUsers = append(inv.DeactivatedUsers, u.UniqueUserID)
		}
	}
	for _, c := range s.st.Certificates {
		for _, t := range c.Transfers {
			inv.Transfers = append(inv.Transfers, t.view())
		}
	}
	sort.Slice(inv.Webhooks, func(i, j int) bool { return inv.Webhooks[i].ID < inv.Webhooks[j].ID })
	sort.Slice(inv.Users, func(i, j int) bool { return inv.Users[i].UniqueUserID < inv.Users[j].UniqueUserID })
	sort.Strings(inv.DeactivatedUsers)
	sort.Slice(inv.Transfers, func(i, j int) bool { return inv.Transfers[i].TransferID < inv.Transfers[j].TransferID })
	return inv
}

// WebhookSecret returns the secret a webhook signs with (tests check rotation).
func (s *Server) WebhookSecret(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w, ok := s.st.Webhooks[id]
	if !ok {
		return "", false
	}
	return w.Secret, true
}

// adminRoutes serve the counters, inventory and reset over HTTP under
// /_emulator/ (no token: the emulator listens on loopback only).
func (s *Server) adminRoutes() {
	s.mux.HandleFunc("GET /_emulator/inventory", func(w http.ResponseWriter, _ *http.Request) {
		writeAdmin(w, s.Inventory())
	})
	s.mux.HandleFunc("GET /_emulator/counters", func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		out := map[string]any{"requests": s.counts, "statuses": s.statuses, "writes": s.writes}
		b, _ := json.Marshal(out)
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(b)
	})
	s.mux.HandleFunc("DELETE /_emulator/counters", func(w http.ResponseWriter, _ *http.Request) {
		s.ResetCounts()
		w.WriteHeader(http.StatusNoContent)
	})
	s.mux.HandleFunc("POST /_emulator/reset", func(w http.ResponseWriter, _ *http.Request) {
		s.Reset()
		w.WriteHeader(http.StatusNoContent)
	})
}

func writeAdmin(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
