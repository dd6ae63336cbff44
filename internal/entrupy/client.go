// Package entrupy is a typed Go client for the Entrupy API
// (internal/entrupy/CONTRACT.md). It has no Terraform imports.
//
// One Client serves every call of one provider instance: it adds the
// authentication and version headers, paces itself cooperatively with every
// other client on the same token (ratelimit.go), retries 429s within a time
// budget (honouring Retry-After), 5xx answers and network errors with capped
// exponential backoff and jitter, and sends an Idempotency-Key with every
// create so that a create retried by this client is never made twice.
// The services' CreateNew (creates.go) never take over an existing object.
package entrupy

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Defaults.
const (
	DefaultRequestsPerSecond = 10.0
	DefaultUserAgent         = "terraform-provider-entrupy (go client)"
	DefaultRequestTimeout    = 60 * time.Second
	maxResponseBytes         = 32 << 20
)

// RetryPolicy says how often and how long to retry.
type RetryPolicy struct {
	// MaxAttempts is the number of tries of one request, the first included
	// (1 = no retries), after 5xx answers and network errors, and after 429s
	// when RateLimitBudget is 0.
	MaxAttempts int
	// MinWait is the first backoff; each retry doubles it, up to MaxWait.
	MinWait time.Duration
	// MaxWait caps a backoff. Without a RateLimitBudget, a Retry-After
	// longer than MaxWait is not waited out: the 429 is returned at once.
	MaxWait time.Duration
	// RateLimitBudget, when above 0, is how long one request keeps retrying
	// 429s, whatever MaxAttempts says: a 429 was not processed, so it is
	// always safe to retry. A Retry-After beyond what is left of the budget
	// ends the retries.
	RateLimitBudget time.Duration
}

// DefaultRetryPolicy retries 5xx answers and network errors four times,
// waiting 0.25 s, 0.5 s, 1 s, 2 s (each with jitter), and 429s for up to
// ten minutes, waiting what Retry-After says.
var DefaultRetryPolicy = RetryPolicy{MaxAttempts: 5, MinWait: 250 * time.Millisecond, MaxWait: 30 * time.Second, RateLimitBudget: 10 * time.Minute}

// Logger receives one structured line per attempt and per retry wait. Fields
// never include the token, headers or bodies.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// Client talks to the Entrupy API. Build it with New; it is safe for
// concurrent use.
type Client struct {
	baseURL        *url.URL
	token          string
	apiVersion     string
	acceptLanguage string
	userAgent      string
	httpClient     *http.Client
	requestTimeout time.Duration
	retry          RetryPolicy
	rps            float64 // client-side rate ceiling; 0 = no limit
	sharedRateDir  string  // where the timeline shared with other processes lives; "" = private
	sharedTimeline bool    // the limiter's timeline is the shared file
	limiter        *limiter
	logger         Logger
	sleep          func(context.Context, time.Duration) error
	jitter         func() float64
	newKey         func() string
	createdBy      string    // see WithCreatedBy
	listReads      bool      // see WithListReads
	auth           authState // see Verify

	Authentications *AuthenticationsService
	Certificates    *CertificatesService
	Users           *UsersService
	Webhooks        *WebhooksService
	Health          *HealthService
}

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL sets the API root, e.g. "https://api.entrupy.com" or an emulator's URL.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimRight(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("base URL %q is not an absolute URL", raw)
		}
		c.baseURL = u
		return nil
	}
}

// WithListReads lets the services' Read answer from list pages once many
// objects of a type are read (listcache.go); off, every Read is a GET.
func WithListReads(on bool) Option {
	return func(c *Client) error { c.listReads = on; return nil }
}

// WithToken sets the API token sent as "Authorization: Token <token>".
func WithToken(token string) Option {
	return func(c *Client) error { c.token = token; return nil }
}

// WithAPIVersion sends "Api-Version: <v>" on every request.
func WithAPIVersion(v string) Option {
	return func(c *Client) error { c.apiVersion = v; return nil }
}

// WithAcceptLanguage picks the language of *.display strings ("en" or "ja").
func WithAcceptLanguage(lang string) Option {
	return func(c *Client) error { c.acceptLanguage = lang; return nil }
}

// WithUserAgent sets the User-Agent header.
func WithUserAgent(ua string) Option {
	return func(c *Client) error { c.userAgent = ua; return nil }
}

// WithHTTPClient replaces the HTTP client (its Timeout is left as it is).
func WithHTTPClient(h *http.Client) Option {
	return func(c *Client) error { c.httpClient = h; return nil }
}

// WithRequestTimeout bounds each attempt; an attempt that times out is retried.
func WithRequestTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d < 0 {
			return fmt.Errorf("request timeout must not be negative")
		}
		c.requestTimeout = d
		return nil
	}
}

// WithRetryPolicy sets retry attempts and waits.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MaxAttempts < 1 {
			return fmt.Errorf("retry policy needs at least one attempt")
		}
		if p.MinWait < 0 || p.MaxWait < p.MinWait {
			return fmt.Errorf("retry policy waits must satisfy 0 <= MinWait <= MaxWait")
		}
		c.retry = p
		return nil
	}
}

// WithRateLimit paces the client to at most rps requests per second, a
// ceiling the adaptive rate stays under (ratelimit.go). rps 0 turns
// client-side limiting off.
func WithRateLimit(rps float64) Option {
	return func(c *Client) error {
		if rps < 0 {
			return fmt.Errorf("requests per second must not be negative")
		}
		c.rps = rps
		return nil
	}
}

// WithSharedRateLimit shares the client's request timeline with every other
// client on this machine that uses the same token and API, through a small
// file in dir (DefaultSharedRateDir for the usual place): together they send
// at most the configured rate. "" keeps the timeline private. Where files
// cannot be locked the timeline stays private.
func WithSharedRateLimit(dir string) Option {
	return func(c *Client) error { c.sharedRateDir = dir; return nil }
}

// WithLogger receives a structured line per attempt.
func WithLogger(l Logger) Option {
	return func(c *Client) error { c.logger = l; return nil }
}

// WithSleep replaces the function that waits between retries (tests use it
// to record waits instead of sleeping).
func WithSleep(sleep func(context.Context, time.Duration) error) Option {
	return func(c *Client) error { c.sleep = sleep; return nil }
}

// New builds a Client. Without options it talks to DefaultBaseURL with the
// default retry policy and DefaultRequestsPerSecond.
func New(opts ...Option) (*Client, error) {
	c := &Client{
		userAgent:      DefaultUserAgent,
		httpClient:     &http.Client{},
		requestTimeout: DefaultRequestTimeout,
		retry:          DefaultRetryPolicy,
		rps:            DefaultRequestsPerSecond,
		sleep:          sleepContext,
		jitter:         mrand.Float64,
		newKey:         newIdempotencyKey,
	}
	if err := WithBaseURL(DefaultBaseURL)(c); err != nil {
		return nil, err
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("entrupy client: %w", err)
		}
	}
	if c.rps > 0 {
		c.limiter = newLimiter(c.rps, c.openTimeline())
	}
	c.Authentications = &AuthenticationsService{c}
	c.Certificates = &CertificatesService{c}
	c.Users = &UsersService{c: c}
	c.Users.reads = newListReader(c.listReads, c.Users.List, func(u User) string { return u.UniqueUserID })
	c.Webhooks = &WebhooksService{c: c}
	c.Webhooks.reads = newListReader(c.listReads, c.Webhooks.List, func(w Webhook) string { return w.ID })
	c.Webhooks.fresh = &freshListing[Webhook]{fetch: c.Webhooks.List}
	c.Health = &HealthService{c}
	return c, nil
}

// openTimeline opens the shared timeline when asked for, else (or when that
// fails) a private one.
func (c *Client) openTimeline() timeline {
	if c.sharedRateDir != "" {
		RemoveStaleFiles(c.sharedRateDir, "rate-", staleTimelineAge, time.Now())
		if tl, err := openSharedTimeline(c.sharedRateDir, sharedTimelineName(c.baseURL.String(), c.token)); err == nil {
			c.sharedTimeline = true
			return tl
		}
	}
	return &memTimeline{}
}

// SharesRateLimit reports whether the client paces itself together with
// other processes on this machine (a shared timeline file is open).
func (c *Client) SharesRateLimit() bool { return c.sharedTimeline }

// Close releases the shared timeline file, if any.
func (c *Client) Close() error {
	if c.limiter != nil {
		return c.limiter.timeline.close()
	}
	return nil
}

// BaseURL returns the API root the client talks to.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// IsLoopbackHost reports whether host is localhost or a loopback address
// (where plain http is acceptable: the local emulator).
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func newIdempotencyKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Do sends one request through the client's headers, limiter and retries,
// and decodes a 2xx JSON body into out (when out is not nil). A POST sent
// with create true carries an Idempotency-Key. Services cover the contract;
// Do is for routes they do not (yet) cover.
func (c *Client) Do(ctx context.Context, method, path string, body any, create bool, out any) error {
	return c.do(ctx, request{method: method, path: path, body: body, create: create}, out)
}

// request is one API call.
type request struct {
	method     string
	path       string
	query      url.Values
	body       any
	create     bool   // a create: send an Idempotency-Key, the same on every retry
	apiVersion string // overrides the client's Api-Version for this call
	// sendOnce is set on a request that acts outside the API at once and
	// that no Idempotency-Key makes safe to repeat (a test delivery): a 5xx
	// or a network error is returned, not retried, since the request may
	// have acted before the answer was lost. A 429 is still retried: the
	// API did not process it.
	sendOnce bool
}

// do sends req, retrying as the policy allows, and decodes a 2xx body into
// out (when out is not nil).
func (c *Client) do(ctx context.Context, req request, out any) error {
	var payload []byte
	if req.body != nil {
		var err error
		if payload, err = json.Marshal(req.body); err != nil {
			return fmt.Errorf("%s %s: encoding request: %w", req.method, req.path, err)
		}
	}
	key := ""
	if req.create {
		key = c.newKey()
	}
	if _, err := c.auth.known(); err != nil {
		return fmt.Errorf("%s %s: not sent, the API token was rejected before: %w", req.method, req.path, err)
	}
	began := time.Now()
	var r retries
	for attempt := 1; ; attempt++ {
		if c.limiter != nil {
			if err := c.limiter.wait(ctx, sleepContext); err != nil {
				return fmt.Errorf("%s %s: waiting for the client rate limit: %w", req.method, req.path, ctxErr(ctx, err))
			}
		}
		start := time.Now()
		status, body, resp, sent, err := c.send(ctx, req, payload, key)
		fields := map[string]any{
			"method": req.method, "path": req.path, "attempt": attempt,
			"duration_ms":     time.Since(start).Milliseconds(),
			"request_headers": redactHeaders(sent),
		}
		if key != "" {
			fields["idempotency_key"] = key
		}
		var apiErr *APIError
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return fmt.Errorf("%s %s: %w", req.method, req.path, ctx.Err())
			}
			fields["error"] = err.Error()
			err = &NoAnswerError{Method: req.method, Path: req.path, Err: err}
		case status >= 200 && status < 300:
			c.auth.answered(status, nil)
			fields["status"] = status
			c.log(ctx, "Entrupy API request", fields)
			if c.limiter != nil {
				c.limiter.answered(start, parseRateHint(resp.Header))
			}
			if out == nil || len(bytes.TrimSpace(body)) == 0 {
				return nil
			}
			if derr := json.Unmarshal(body, out); derr != nil {
				return fmt.Errorf("%s %s: decoding %d response: %w", req.method, req.path, status, derr)
			}
			return nil
		default:
			fields["status"] = status
			apiErr = newAPIError(resp, body, req.method, req.path)
			err = apiErr
			c.auth.answered(status, apiErr)
			if c.limiter != nil && status < 500 && status != http.StatusTooManyRequests {
				c.limiter.answered(start, parseRateHint(resp.Header))
			}
		}
		c.log(ctx, "Entrupy API request", fields)

		retryFields := map[string]any{"method": req.method, "path": req.path, "attempt": attempt}
		if status == http.StatusTooManyRequests && c.limiter != nil {
			retryFields["rate_per_second"] = c.limiter.limited(start, apiErr.RetryAfter)
		}
		wait, retry := c.backoff(&r, status, apiErr, max(time.Since(began), r.waited))
		if req.sendOnce && status != http.StatusTooManyRequests {
			retry = false
		}
		if !retry {
			return err
		}
		r.waited += wait
		retryFields["wait_ms"] = wait.Milliseconds()
		c.log(ctx, "Entrupy API retry", retryFields)
		if serr := c.sleep(ctx, wait); serr != nil {
			return fmt.Errorf("%s %s: %w (after: %w)", req.method, req.path, ctxErr(ctx, serr), err)
		}
	}
}

// retries counts one request's failed attempts (429s apart from the rest
// when 429s have a time budget of their own) and the waits it was given.
type retries struct {
	failures, limited int
	waited            time.Duration
}

// backoff decides whether an attempt that got status (0: a network error)
// is retried, and how long to wait first; elapsed is the time since the
// request's first attempt.
func (c *Client) backoff(r *retries, status int, apiErr *APIError, elapsed time.Duration) (time.Duration, bool) {
	retryable := status == 0 || status == http.StatusTooManyRequests || status >= 500
	if !retryable {
		return 0, false
	}
	if status == http.StatusTooManyRequests && c.retry.RateLimitBudget > 0 {
		r.limited++
		wait := c.exponential(r.limited)
		if apiErr != nil && apiErr.RetryAfter > 0 {
			// Retry-After, plus up to half as much again so that clients told
			// the same moment do not all come back at it.
			wait = apiErr.RetryAfter + time.Duration(c.jitter()*float64(apiErr.RetryAfter/2))
		}
		return wait, elapsed+wait <= c.retry.RateLimitBudget
	}
	// A 5xx, a network error, or (without a budget) a 429: at most
	// MaxAttempts tries in all.
	r.failures++
	if r.failures >= c.retry.MaxAttempts {
		return 0, false
	}
	if apiErr != nil && apiErr.RetryAfter > 0 {
		if apiErr.RetryAfter > c.retry.MaxWait {
			return 0, false
		}
		return apiErr.RetryAfter, true
	}
	return c.exponential(r.failures), true
}

// exponential is the n-th backoff (n ≥ 1): MinWait doubled n-1 times, capped
// at MaxWait, with equal jitter (half fixed, half random, so waits never
// collapse to zero).
func (c *Client) exponential(n int) time.Duration {
	d := c.retry.MinWait << (n - 1)
	if d > c.retry.MaxWait || d <= 0 {
		d = c.retry.MaxWait
	}
	return d/2 + time.Duration(c.jitter()*float64(d/2))
}

// redactHeaders renders request headers for a debug log line, with the
// Authorization value replaced. Bodies are never logged: they may carry
// webhook secrets.
func redactHeaders(h http.Header) string {
	if h == nil {
		return ""
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		v := strings.Join(h[name], ",")
		if name == HeaderAuthorization {
			v = AuthScheme + " <redacted>"
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name + ": " + v)
	}
	return b.String()
}

// send makes one attempt and reads the whole response; it also returns the
// headers it sent (for the log line).
func (c *Client) send(ctx context.Context, req request, payload []byte, key string) (int, []byte, *http.Response, http.Header, error) {
	if c.requestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.requestTimeout)
		defer cancel()
	}
	// req.path is already escaped (the Path* helpers escape parameters):
	// keep it as the raw path so that it is not escaped a second time.
	u := *c.baseURL
	u.RawPath = strings.TrimRight(u.EscapedPath(), "/") + req.path
	if p, err := url.PathUnescape(u.RawPath); err == nil {
		u.Path = p
	}
	if len(req.query) > 0 {
		u.RawQuery = req.query.Encode()
	}
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return 0, nil, nil, nil, err
	}
	hreq.Header.Set(HeaderAuthorization, AuthScheme+" "+c.token)
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set("User-Agent", c.userAgent)
	if payload != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if v := req.apiVersion; v != "" {
		hreq.Header.Set(HeaderAPIVersion, v)
	} else if c.apiVersion != "" {
		hreq.Header.Set(HeaderAPIVersion, c.apiVersion)
	}
	if c.acceptLanguage != "" {
		hreq.Header.Set(HeaderAcceptLanguage, c.acceptLanguage)
	}
	if key != "" {
		hreq.Header.Set(HeaderIdempotencyKey, key)
	}
	resp, err := c.httpClient.Do(hreq)
	if err != nil {
		return 0, nil, nil, hreq.Header, scrubURLError(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		// The status arrived but the body did not: treat as a network error.
		return 0, nil, nil, hreq.Header, fmt.Errorf("reading %d response: %w", resp.StatusCode, err)
	}
	return resp.StatusCode, b, resp, hreq.Header, nil
}

// scrubURLError drops the URL from a *url.Error: the operation and path are
// already named by the caller, and a base URL may carry credentials.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (c *Client) log(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger(ctx, msg, fields)
	}
}

// maxRetryAfter bounds a believable Retry-After; longer values are ignored.
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After header in seconds [doc] (an HTTP date
// is accepted too). Negative, absurd or unparsable values are ignored.
func parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n < 0 || n > maxRetryAfter.Seconds() || n != n {
			return 0, false
		}
		return time.Duration(n * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := max(time.Until(t), 0)
		if d > maxRetryAfter {
			return 0, false
		}
		return d, true
	}
	return 0, false
}

// item sends req and decodes the {"item": T} envelope of its answer: a
// read (GET) or a write (POST, PATCH) of one object.
func item[T any](ctx context.Context, c *Client, req request) (*T, error) {
	var env ItemEnvelope[T]
	if err := c.do(ctx, req, &env); err != nil {
		return nil, err
	}
	return &env.Item, nil
}

// listPage fetches one page of a GET list route.
func listPage[T any](ctx context.Context, c *Client, path, cursor string) ([]T, *string, error) {
	var q url.Values
	if cursor != "" {
		q = url.Values{QueryCursor: {cursor}}
	}
	var page Page[T]
	if err := c.do(ctx, request{method: http.MethodGet, path: path, query: q}, &page); err != nil {
		return nil, nil, err
	}
	return page.Items, page.NextCursor, nil
}

// Walk follows next_cursor from the first page until it is null, collecting
// items. With limit > 0 it stops once limit items are held and reports
// truncated when more remained. A cursor the server repeats is an error,
// not an endless loop.
func Walk[T any](ctx context.Context, limit int, fetch func(ctx context.Context, cursor string) ([]T, *string, error)) (items []T, truncated bool, err error) {
	cursor := ""
	seen := map[string]bool{}
	for {
		page, next, err := fetch(ctx, cursor)
		if err != nil {
			return items, false, err
		}
		items = append(items, page...)
		more := next != nil && *next != ""
		if limit > 0 && len(items) >= limit {
			truncated = len(items) > limit || more
			return items[:limit], truncated, nil
		}
		if !more {
			return items, false, nil
		}
		if seen[*next] {
			return items, false, fmt.Errorf("the API returned cursor %q twice; stopping pagination", *next)
		}
		seen[*next] = true
		cursor = *next
	}
}
