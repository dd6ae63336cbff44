package entrupy_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// token is the API token of the tests' emulators.
const token = testsupport.Token

// fixture is an emulator (a testsupport.Emulator: it records the requests
// that change something) and the retry waits of the client made for it.
type fixture struct {
	emu   *testsupport.Emulator
	url   string
	mu    sync.Mutex
	waits []time.Duration
}

// newFixture starts an emulator on 127.0.0.1 and returns a client for it
// whose retry waits are recorded, not slept.
func newFixture(t *testing.T, opts emulator.Options, copts ...entrupy.Option) (*fixture, *entrupy.Client) {
	t.Helper()
	emu := testsupport.StartEmulator(t, opts)
	f := &fixture{emu: emu, url: emu.URL}
	recordWaits := entrupy.WithSleep(func(ctx context.Context, d time.Duration) error {
		f.mu.Lock()
		f.waits = append(f.waits, d)
		f.mu.Unlock()
		return ctx.Err()
	})
	return f, emu.Client(t, append([]entrupy.Option{recordWaits}, copts...)...)
}

func (f *fixture) recordedWaits() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.waits)
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	var got []http.Header
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Clone())
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			_, _ = fmt.Fprint(w, `{"item": {"id": "wh_1"}}`)
			return
		}
		_, _ = fmt.Fprint(w, `{"item": {"id": "wh_1"}, "status": "ok"}`)
	}))
	defer srv.Close()

	c, err := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("tok"), entrupy.WithAPIVersion("2"),
		entrupy.WithAcceptLanguage("ja"), entrupy.WithUserAgent("terraform-provider-entrupy/1.2.3 Terraform/1.11.4"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := c.Webhooks.Get(ctx, "wh_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "https://x", SecretKey: "s", Events: []string{"support.message"}, APIVersion: "1.4"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Health.Check(ctx); err != nil {
		t.Fatal(err)
	}
	get, post, health := got[0], got[1], got[2]
	for name, want := range map[string]string{
		"Authorization": "Token tok", "Api-Version": "2", "Accept-Language": "ja",
		"User-Agent": "terraform-provider-entrupy/1.2.3 Terraform/1.11.4", "Idempotency-Key": "", "Content-Type": "",
	} {
		if v := get.Get(name); v != want {
			t.Errorf("GET %s = %q, want %q", name, v, want)
		}
	}
	if post.Get("Api-Version") != "1.4" {
		t.Errorf("create with APIVersion sent Api-Version %q, want 1.4", post.Get("Api-Version"))
	}
	if post.Get("Content-Type") != "application/json" || len(post.Get("Idempotency-Key")) < 16 {
		t.Errorf("POST headers: Content-Type %q, Idempotency-Key %q", post.Get("Content-Type"), post.Get("Idempotency-Key"))
	}
	if health.Get("Api-Version") != entrupy.HealthAPIVersion {
		t.Errorf("health Api-Version = %q, want %s", health.Get("Api-Version"), entrupy.HealthAPIVersion)
	}

	// Without WithAPIVersion no Api-Version is sent on v2 routes.
	c2, _ := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("tok"))
	if _, err := c2.Webhooks.Get(ctx, "wh_1"); err != nil {
		t.Fatal(err)
	}
	if v := got[len(got)-1].Get("Api-Version"); v != "" {
		t.Errorf("Api-Version sent without being configured: %q", v)
	}
}

// TestEveryRoute drives each contract route through the client.
func TestEveryRoute(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{})
	ctx := context.Background()

	if err := c.Health.Check(ctx); err != nil {
		t.Fatalf("health: %v", err)
	}

	// Authentications.
	page, err := c.Authentications.Search(ctx, entrupy.SearchRequest{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 5 || page.ItemCount != emulator.BuiltinItems || page.NextCursor == nil {
		t.Fatalf("search page: %d items of %d, next %v", len(page.Items), page.ItemCount, page.NextCursor)
	}
	first := page.Items[0]
	it, err := c.Authentications.Get(ctx, first.EntrupyID, nil)
	if err != nil || it.EntrupyID != first.EntrupyID || it.Images != nil {
		t.Fatalf("get: %+v %v", it, err)
	}
	it, err = c.Authentications.Get(ctx, first.EntrupyID, &entrupy.GetOptions{IncludeImages: true})
	if err != nil || len(it.Images) == 0 {
		t.Fatalf("get with images: %v images, %v", len(it.Images), err)
	}
	var withSKU *entrupy.Item
	for i := range page.Items {
		if page.Items[i].TextFields.CustomerItemID != nil {
			withSKU = &page.Items[i]
			break
		}
	}
	looked, err := c.Authentications.Lookup(ctx, *withSKU.TextFields.CustomerItemID)
	if err != nil || looked.EntrupyID != withSKU.EntrupyID {
		t.Fatalf("lookup %s: %+v %v", *withSKU.TextFields.CustomerItemID, looked, err)
	}

	// Certificates and transfers.
	auth, err := c.Authentications.SearchAll(ctx, []entrupy.Filter{entrupy.Equal(entrupy.FilterResult, "authentic")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var certID string
	for _, it := range auth.Items {
		cert, err := c.Certificates.Get(ctx, wireDeref(it.Certificate.CertificateID))
		if err != nil {
			t.Fatal(err)
		}
		if cert.Transfer == nil {
			certID = cert.CertificateID
			break
		}
	}
	tr, err := c.Certificates.CreateTransfer(ctx, certID, entrupy.TransferRequest{RecipientEmail: "buyer@example.com", RecipientName: "Buyer"})
	if err != nil || tr.Status != entrupy.TransferPending {
		t.Fatalf("create transfer: %+v %v", tr, err)
	}
	if err := c.Certificates.CancelTransfer(ctx, certID, tr.TransferID); err != nil {
		t.Fatal(err)
	}
	cert, err := c.Certificates.Get(ctx, certID)
	if err != nil || cert.Transfer == nil || cert.Transfer.Status != entrupy.TransferCancelled {
		t.Fatalf("cancelled transfer: %+v %v", cert, err)
	}

	// Users.
	u, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "user-0001", Email: "a@example.com", FirstName: "Ada"})
	if err != nil || u.Username != "Acme-user-0001" || u.CreatedAt == "" {
		t.Fatalf("create user: %+v %v", u, err)
	}
	if u, err = c.Users.Get(ctx, "user-0001"); err != nil || u.FirstName != "Ada" {
		t.Fatalf("get user: %+v %v", u, err)
	}
	if u, err = c.Users.UpdateEmail(ctx, "user-0001", "b@example.com"); err != nil || u.Email != "b@example.com" {
		t.Fatalf("update user: %+v %v", u, err)
	}
	users, next, err := c.Users.List(ctx, "")
	if err != nil || len(users) != 1 || next != nil {
		t.Fatalf("list users: %v %v %v", users, next, err)
	}
	signed, err := c.Users.Authorize(ctx, entrupy.AuthorizeRequest{SDKAuthorizationRequest: "sdk-req", UniqueUserID: "user-0002", Email: "c@example.com"})
	if err != nil || signed.Username != "Acme-user-0002" || signed.SignedAuthorizationRequest == "" {
		t.Fatalf("authorize: %+v %v", signed, err)
	}
	all, err := c.Users.ListAll(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("list all users: %d %v", len(all), err)
	}
	if err := c.Users.Delete(ctx, "user-0001"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Users.Get(ctx, "user-0001"); !entrupy.IsNotFound(err) {
		t.Fatalf("deactivated user: %v, want 404", err)
	}

	// Webhooks.
	disabled := false
	wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{
		URL: "https://hooks.example.com/entrupy", SecretKey: "s3cret", Events: []string{"session.completed"},
		Description: "prod", Enabled: &disabled, Username: "Acme-user-0002",
	})
	if err != nil || !strings.HasPrefix(wh.ID, entrupy.WebhookIDPrefix) || wh.Enabled || wh.APIVersion != "2" || *wh.Username != "Acme-user-0002" {
		t.Fatalf("create webhook: %+v %v", wh, err)
	}
	if got, err := c.Webhooks.Get(ctx, wh.ID); err != nil || got.URL != wh.URL {
		t.Fatalf("get webhook: %+v %v", got, err)
	}
	desc := "production"
	upd, err := c.Webhooks.Update(ctx, wh.ID, entrupy.UpdateWebhookRequest{Description: &desc, Events: []string{"support.message", "certificate.transfer"}})
	if err != nil || upd.Description != "production" || len(upd.Events) != 2 {
		t.Fatalf("update webhook: %+v %v", upd, err)
	}
	hooks, next, err := c.Webhooks.List(ctx, "")
	if err != nil || len(hooks) != 1 || next != nil {
		t.Fatalf("list webhooks: %v %v", hooks, err)
	}
	if all, err := c.Webhooks.ListAll(ctx); err != nil || len(all) != 1 {
		t.Fatalf("list all webhooks: %v %v", all, err)
	}
	if err := c.Webhooks.Delete(ctx, wh.ID); err != nil {
		t.Fatal(err)
	}
	if err := c.Webhooks.Delete(ctx, wh.ID); !entrupy.IsNotFound(err) {
		t.Fatalf("second delete: %v, want 404", err)
	}
	if inv := f.emu.Inventory(); len(inv.Webhooks) != 0 || len(inv.Users) != 1 || len(inv.DeactivatedUsers) != 1 {
		t.Fatalf("inventory: %+v", inv)
	}
}

// TestErrorCodes checks every error code of the contract reaches callers
// as an *APIError with its fields.
func TestErrorCodes(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 1}))
	ctx := context.Background()
	if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "user-0001", Email: "a@example.com", FirstName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	bad, _ := entrupy.New(entrupy.WithBaseURL(f.url), entrupy.WithToken("wrong-token-value"), entrupy.WithRateLimit(0))

	cases := []struct {
		name   string
		call   func() error
		status int
		code   string
		field  string
		is     func(error) bool
	}{
		{"400 invalid url", func() error {
			_, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "ftp://x", SecretKey: "s", Events: []string{"support.message"}})
			return err
		}, 400, entrupy.CodeInvalidRequest, "url", entrupy.IsInvalidRequest},
		{"401 bad token", func() error { return bad.Health.Check(ctx) }, 401, entrupy.CodeUnauthorized, "", entrupy.IsUnauthorized},
		{"404 unknown item", func() error { _, err := c.Authentications.Get(ctx, "NOPE", nil); return err }, 404, entrupy.CodeNotFound, "", entrupy.IsNotFound},
		{"409 user exists", func() error {
			_, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "user-0001", Email: "a@example.com"})
			return err
		}, 409, entrupy.CodeConflict, "unique_user_id", entrupy.IsConflict},
		{"422 immutable name", func() error {
			return c.Do(ctx, http.MethodPatch, entrupy.PathUser("user-0001"), map[string]string{"first_name": "Bob"}, false, nil)
		}, 422, entrupy.CodeImmutableField, "first_name", entrupy.IsImmutableField},
		{"429 rate limited", func() error {
			f.emu.FailNext("GET /v2/integrations/users/{unique_user_id}", emulator.Fail429)
			_, err := c.Users.Get(ctx, "user-0001")
			return err
		}, 429, entrupy.CodeRateLimited, "", entrupy.IsRateLimited},
		{"500 internal", func() error {
			f.emu.FailNext("GET /v2/integrations/users/{unique_user_id}", emulator.Fail500Before)
			_, err := c.Users.Get(ctx, "user-0001")
			return err
		}, 500, entrupy.CodeInternal, "", nil},
	}
	for _, tc := range cases {
		err := tc.call()
		apiErr, ok := entrupy.AsAPIError(err)
		if !ok {
			t.Errorf("%s: got %v, want *APIError", tc.name, err)
			continue
		}
		if apiErr.StatusCode != tc.status || apiErr.Code != tc.code || apiErr.Field != tc.field || apiErr.Message == "" {
			t.Errorf("%s: got status %d code %q field %q message %q", tc.name, apiErr.StatusCode, apiErr.Code, apiErr.Field, apiErr.Message)
		}
		if apiErr.Method == "" || !strings.HasPrefix(apiErr.Path, "/v") || apiErr.Response == nil {
			t.Errorf("%s: request not recorded: %+v", tc.name, apiErr)
		}
		if tc.is != nil && !tc.is(err) {
			t.Errorf("%s: helper did not recognise %v", tc.name, err)
		}
		if tc.status == 429 && apiErr.RetryAfter < time.Second {
			t.Errorf("429 without Retry-After: %v", apiErr.RetryAfter)
		}
		if strings.Contains(err.Error(), token) || strings.Contains(err.Error(), "wrong-token-value") {
			t.Errorf("%s: error leaks the token: %v", tc.name, err)
		}
	}
}

// TestNonJSONError: a proxy's HTML page still gives an error with the status.
func TestNonJSONError(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = fmt.Fprint(w, "<html><body>502 Bad Gateway</body></html>")
	}))
	defer srv.Close()
	c, _ := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("t"), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	_, err := c.Webhooks.Get(context.Background(), "wh_1")
	apiErr, ok := entrupy.AsAPIError(err)
	if !ok || apiErr.StatusCode != 502 || apiErr.Code != "" || !strings.Contains(apiErr.Message, "Bad Gateway") {
		t.Fatalf("got %#v", err)
	}
	if want := "GET /v2/webhooks/wh_1: 502 Bad Gateway"; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("error %q does not start with %q", err, want)
	}
}

// TestLenientDecoding: unknown keys and new enum values are accepted.
func TestLenientDecoding(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = fmt.Fprint(w, `{"item": {"entrupy_id": "X1", "brand_new_key": {"a": 1},
			"status": {"flag": "escalated", "result": {"id": "future_result", "display": "Future", "final": true, "confidence": 0.9}},
			"activity": {"name": "authentication", "form_factor": "hologram", "product_category": "watches"}}, "meta": []}`)
	}))
	defer srv.Close()
	c, _ := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("t"))
	it, err := c.Authentications.Get(context.Background(), "X1", nil)
	if err != nil {
		t.Fatal(err)
	}
	if wireDeref(it.Status.Result.ID) != "future_result" || *it.Status.Flag != "escalated" || wireDeref(it.Activity.FormFactor) != "hologram" {
		t.Fatalf("decoded %+v", it)
	}
}

func TestRetryAfterIsWaitedOut(t *testing.T) {
	t.Parallel()
	emu := testsupport.StartEmulator(t, emulator.Options{})
	c := emu.Client(t) // real sleeps
	emu.FailNext("GET /v1/health", emulator.Fail429)
	start := time.Now()
	if err := c.Health.Check(context.Background()); err != nil {
		t.Fatalf("health after a 429: %v", err)
	}
	if el := time.Since(start); el < time.Second {
		t.Fatalf("Retry-After: 1 was not waited out: retried after %v", el)
	}
	if n := emu.Count("GET /v1/health"); n != 2 {
		t.Fatalf("health requests = %d, want 2", n)
	}
	if st := emu.Statuses(); st[429] != 1 || st[200] != 1 {
		t.Fatalf("statuses %v", st)
	}
}

func TestRetriesWithBackoffAndJitter(t *testing.T) {
	t.Parallel()
	policy := entrupy.RetryPolicy{MaxAttempts: 5, MinWait: 100 * time.Millisecond, MaxWait: 300 * time.Millisecond}
	// Without keep-alive every attempt is a new connection, so net/http's
	// own transparent retry of reused connections stays out of the count.
	f, c := newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(policy),
		entrupy.WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	f.emu.FailNext("GET /v2/webhooks", emulator.Fail500Before, emulator.ResetBefore, emulator.Fail500After, emulator.ResetAfter)
	if _, _, err := c.Webhooks.List(context.Background(), ""); err != nil {
		t.Fatalf("list after four faults: %v", err)
	}
	waits := f.recordedWaits()
	if len(waits) != 4 {
		t.Fatalf("waits %v, want 4", waits)
	}
	// Attempt n waits within [b/2, b] for b = min(MinWait*2^(n-1), MaxWait).
	for i, w := range waits {
		b := min(policy.MinWait<<i, policy.MaxWait)
		if w < b/2 || w > b {
			t.Errorf("wait %d = %v, want within [%v, %v]", i+1, w, b/2, b)
		}
	}
	if n := f.emu.Count("GET /v2/webhooks"); n != 5 {
		t.Fatalf("requests = %d, want 5", n)
	}
}

func TestRetriesGiveUp(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	f.emu.FailNext("GET /v2/webhooks/{id}", emulator.Fail500Before, emulator.Fail500Before, emulator.Fail500Before, emulator.Fail500Before)
	_, err := c.Webhooks.Get(context.Background(), "wh_x")
	if apiErr, ok := entrupy.AsAPIError(err); !ok || apiErr.StatusCode != 500 {
		t.Fatalf("got %v, want the last 500", err)
	}
	if n := f.emu.Count("GET /v2/webhooks/{id}"); n != 3 {
		t.Fatalf("attempts = %d, want 3", n)
	}
	// A 4xx other than 429 is never retried.
	if _, err := c.Webhooks.Get(context.Background(), "wh_x"); !entrupy.IsNotFound(err) {
		t.Fatal(err)
	}
	if n := f.emu.Count("GET /v2/webhooks/{id}"); n != 5 { // the fourth scripted 500, then the 404
		t.Fatalf("attempts = %d, want 5", n)
	}
}

// TestRetryAfterBeyondMaxWaitIsNotWaited: a 429 asking for a wait longer
// than MaxWait is returned at once, after exactly one request, with the
// Retry-After it asked for; nothing is slept.
func TestRetryAfterBeyondMaxWaitIsNotWaited(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	var waits []time.Duration
	c, _ := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("t"), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: 10 * time.Second}),
		entrupy.WithSleep(func(ctx context.Context, d time.Duration) error { waits = append(waits, d); return ctx.Err() }))
	_, err := c.Webhooks.Get(context.Background(), "wh_1")
	apiErr, ok := entrupy.AsAPIError(err)
	if !ok || apiErr.StatusCode != 429 || apiErr.RetryAfter != 120*time.Second {
		t.Fatalf("got %v", err)
	}
	if n := requests.Load(); n != 1 || len(waits) != 0 {
		t.Fatalf("%d requests with waits %v, want exactly one request and no wait", n, waits)
	}
}

// TestLostCreateResponse: the emulator commits a create and then fails the
// answer; the client retries with the same Idempotency-Key and exactly one
// object exists.
func TestLostCreateResponse(t *testing.T) {
	t.Parallel()
	for _, fault := range []emulator.Fault{emulator.ResetAfter, emulator.Fail500After} {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			f, c := newFixture(t, emulator.Options{})
			f.emu.FailNext("POST /v2/webhooks", fault)
			wh, err := c.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: "https://h.example.com", SecretKey: "s", Events: []string{"support.message"}})
			if err != nil {
				t.Fatal(err)
			}
			inv := f.emu.Inventory()
			if len(inv.Webhooks) != 1 || inv.Webhooks[0].ID != wh.ID {
				t.Fatalf("inventory %+v, want exactly webhook %s", inv.Webhooks, wh.ID)
			}
			var keys []string
			for _, r := range f.emu.Changes("POST " + entrupy.PathWebhooks) {
				if r.Path == entrupy.PathWebhooks {
					keys = append(keys, r.IdempotencyKey)
				}
			}
			if len(keys) < 2 || keys[0] == "" || len(slices.Compact(slices.Clone(keys))) != 1 {
				t.Fatalf("create attempts with Idempotency-Keys %q: want ≥2 attempts with one non-empty key", keys)
			}

			f.emu.FailNext("POST /v2/integrations/users", fault)
			if _, err := c.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "user-0001", Email: "a@example.com"}); err != nil {
				t.Fatalf("user create after lost answer: %v (a retry without the same key would be a 409)", err)
			}
			if inv := f.emu.Inventory(); len(inv.Users) != 1 {
				t.Fatalf("users %+v", inv.Users)
			}
		})
	}
}

func TestRateLimiter(t *testing.T) {
	t.Parallel()
	_, c := newFixture(t, emulator.Options{}, entrupy.WithRateLimit(20))
	start := time.Now()
	for range 11 {
		if err := c.Health.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// 11 requests at 20/s take 10 intervals of 50 ms; the last goes within
	// half an interval of its slot (ratelimit.go), so at least 475 ms.
	if el := time.Since(start); el < 475*time.Millisecond {
		t.Fatalf("11 requests took %v; the 20/s limiter did not hold", el)
	}
	// Concurrent callers share the one bucket.
	start = time.Now()
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() { defer wg.Done(); _ = c.Health.Check(context.Background()) }()
	}
	wg.Wait()
	if el := time.Since(start); el < 425*time.Millisecond { // 9 intervals, less half of one
		t.Fatalf("10 concurrent requests took %v; the limiter is not shared", el)
	}
}

func TestRateLimiterOffAndDefault(t *testing.T) {
	t.Parallel()
	if _, err := entrupy.New(entrupy.WithRateLimit(-1)); err == nil {
		t.Fatal("negative rate accepted")
	}
	_, c := newFixture(t, emulator.Options{RateLimit: 5, RateBurst: 1}, entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 1}))
	// With the client limiter off, a burst goes straight to the server's limit.
	var limited bool
	for range 5 {
		if err := c.Health.Check(context.Background()); entrupy.IsRateLimited(err) {
			limited = true
		}
	}
	if !limited {
		t.Fatal("no 429 from a 5/s server with the client limiter off")
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{Seed: emulator.GenerateSeed(130, 7, "")})
	ctx := context.Background()

	res, err := c.Authentications.SearchAll(ctx, nil, 0)
	if err != nil || len(res.Items) != 130 || res.Total != 130 || res.Truncated || res.Requests != 6 {
		t.Fatalf("search all: %d items, total %d, truncated %v, %d requests, %v", len(res.Items), res.Total, res.Truncated, res.Requests, err)
	}
	ids := map[string]bool{}
	for i, it := range res.Items {
		ids[it.EntrupyID] = true
		if i > 0 && it.Timestamp.Created.Unix() > res.Items[i-1].Timestamp.Created.Unix() {
			t.Fatalf("item %d is newer than item %d: not newest first", i, i-1)
		}
	}
	if len(ids) != 130 {
		t.Fatalf("%d distinct items, want 130", len(ids))
	}
	f.emu.ResetCounts()
	res, err = c.Authentications.SearchAll(ctx, nil, 40)
	if err != nil || len(res.Items) != 40 || !res.Truncated || res.Requests != 2 {
		t.Fatalf("search max 40: %d items, truncated %v, %d requests, %v", len(res.Items), res.Truncated, res.Requests, err)
	}
	if n := f.emu.Count("POST /v2/search/authentications"); n != 2 {
		t.Fatalf("emulator saw %d searches, want 2", n)
	}
	// Exactly max items with no more: not truncated.
	res, err = c.Authentications.SearchAll(ctx, nil, 130)
	if err != nil || len(res.Items) != 130 || res.Truncated {
		t.Fatalf("search max 130: %d items, truncated %v, %v", len(res.Items), res.Truncated, err)
	}

	for i := range 60 {
		if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: fmt.Sprintf("user-%04d", i), Email: "u@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	f.emu.ResetCounts()
	users, err := c.Users.ListAll(ctx)
	if err != nil || len(users) != 60 || users[0].UniqueUserID != "user-0000" || users[59].UniqueUserID != "user-0059" {
		t.Fatalf("list all users: %d %v", len(users), err)
	}
	if n := f.emu.Count("GET /v2/integrations/users"); n != 3 {
		t.Fatalf("user pages = %d, want 3", n)
	}
}

func TestWalkStopsOnRepeatedCursor(t *testing.T) {
	t.Parallel()
	next := "same"
	calls := 0
	_, _, err := entrupy.Walk(context.Background(), 0, func(context.Context, string) ([]int, *string, error) {
		calls++
		return []int{1}, &next, nil
	})
	if err == nil || calls != 2 {
		t.Fatalf("got %v after %d calls, want an error after 2", err, calls)
	}
}

func TestCancellation(t *testing.T) {
	t.Parallel()
	t.Run("during a slow request", func(t *testing.T) {
		t.Parallel()
		_, c := newFixture(t, emulator.Options{Latency: 10 * time.Second})
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := c.Health.Check(ctx)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
		if time.Since(start) > 5*time.Second {
			t.Fatal("cancellation was not honoured")
		}
	})
	t.Run("during a retry wait", func(t *testing.T) {
		t.Parallel()
		emu := testsupport.StartEmulator(t, emulator.Options{})
		c := emu.Client(t, entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 5, MinWait: 10 * time.Second, MaxWait: 10 * time.Second})) // real sleeps
		emu.FailNext("GET /v1/health", emulator.Fail500Before)
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		err := c.Health.Check(ctx)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
	t.Run("while waiting for the limiter", func(t *testing.T) {
		t.Parallel()
		_, c := newFixture(t, emulator.Options{}, entrupy.WithRateLimit(0.1))
		_ = c.Health.Check(context.Background()) // takes the only token
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := c.Health.Check(ctx); !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v, want context.Canceled", err)
		}
	})
}

// TestLoggerNeverSeesToken: every logged field is free of the token.
func TestLoggerNeverSeesToken(t *testing.T) {
	t.Parallel()
	var lines []string
	var mu sync.Mutex
	logger := func(_ context.Context, msg string, fields map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		lines = append(lines, fmt.Sprint(msg, fields))
	}
	f, c := newFixture(t, emulator.Options{}, entrupy.WithLogger(logger),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 3, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	f.emu.FailNext("POST /v2/webhooks", emulator.ResetAfter)
	if _, err := c.Webhooks.Create(context.Background(), entrupy.CreateWebhookRequest{URL: "https://h.example.com", SecretKey: "webhook-secret-xyz", Events: []string{"support.message"}}); err != nil {
		t.Fatal(err)
	}
	if len(lines) < 3 {
		t.Fatalf("expected attempt and retry lines, got %v", lines)
	}
	if !strings.Contains(strings.Join(lines, "\n"), "Authorization: Token <redacted>") {
		t.Fatalf("request headers are not logged redacted: %v", lines)
	}
	for _, l := range lines {
		if strings.Contains(l, token) || strings.Contains(l, "webhook-secret-xyz") {
			t.Fatalf("log line leaks a secret: %s", l)
		}
	}
}

func TestOptionsValidation(t *testing.T) {
	t.Parallel()
	for name, opt := range map[string]entrupy.Option{
		"relative base url": entrupy.WithBaseURL("api.entrupy.com"),
		"no attempts":       entrupy.WithRetryPolicy(entrupy.RetryPolicy{}),
		"waits reversed":    entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 1, MinWait: time.Second, MaxWait: time.Millisecond}),
		"negative timeout":  entrupy.WithRequestTimeout(-time.Second),
	} {
		if _, err := entrupy.New(opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	c, err := entrupy.New()
	if err != nil || c.BaseURL() != entrupy.DefaultBaseURL {
		t.Fatalf("default client: %v %v", c, err)
	}
}

func TestRequestTimeoutIsRetried(t *testing.T) {
	t.Parallel()
	var calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		_, _ = fmt.Fprint(w, `{"status":"ok"}`)
	}))
	defer srv.Close()
	c, _ := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("t"), entrupy.WithRequestTimeout(100*time.Millisecond),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	if err := c.Health.Check(context.Background()); err != nil {
		t.Fatalf("a timed-out attempt was not retried: %v", err)
	}
}

// TestRateLimitBudget: by default a 429 is retried for as long as the budget
// allows, whatever MaxAttempts says; without a budget MaxAttempts counts 429s.
func TestRateLimitBudget(t *testing.T) {
	t.Parallel()
	budget := entrupy.DefaultRetryPolicy
	f, c := newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(budget))
	f.emu.FailNext("GET /v1/health", emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429)
	if err := c.Health.Check(context.Background()); err != nil {
		t.Fatalf("7 429s then success, with a budget: %v", err)
	}
	if got := f.emu.Count("GET /v1/health"); got != 8 {
		t.Fatalf("%d requests, want 8", got)
	}
	legacy := budget
	legacy.RateLimitBudget = 0
	f, c = newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(legacy))
	f.emu.FailNext("GET /v1/health", emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429)
	if err := c.Health.Check(context.Background()); !entrupy.IsRateLimited(err) {
		t.Fatalf("without a budget: %v, want the 429 after %d attempts", err, legacy.MaxAttempts)
	}
	if got := f.emu.Count("GET /v1/health"); got != legacy.MaxAttempts {
		t.Fatalf("%d requests, want %d", got, legacy.MaxAttempts)
	}
	// The waits add up to the budget at most.
	tight := budget
	tight.RateLimitBudget = 1500 * time.Millisecond
	f, c = newFixture(t, emulator.Options{}, entrupy.WithRetryPolicy(tight))
	for range 20 {
		f.emu.FailNext("GET /v1/health", emulator.Fail429)
	}
	if err := c.Health.Check(context.Background()); !entrupy.IsRateLimited(err) {
		t.Fatalf("a 1.5 s budget against twenty 429s: %v", err)
	}
	var total time.Duration
	for _, w := range f.recordedWaits() {
		total += w
	}
	if total > tight.RateLimitBudget || total == 0 {
		t.Fatalf("waited %v in all, want (0, %v]", total, tight.RateLimitBudget)
	}
}

// TestCreateOnceJournalCompacts: a journal of many settled creates is
