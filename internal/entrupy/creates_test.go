package entrupy_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const maker = "terraform-provider-entrupy/9.9.9"

func hookReq(url string) entrupy.CreateWebhookRequest {
	on := true
	return entrupy.CreateWebhookRequest{URL: url, SecretKey: "s3cret", Events: []string{entrupy.EventSessionCompleted}, Enabled: &on}
}

// fewRetries is a client policy that gives up after a second attempt, with
// no real waits.
var fewRetries = entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond})

// TestCreateNewWebhookExisting: a webhook for the same url and username,
// whoever made it, stops the create with an *ExistsError naming it and its
// marker; nothing is created or changed. Another username, or the whole
// organisation instead of one user, is another webhook.
func TestCreateNewWebhookExisting(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, entrupy.WithCreatedBy(maker))
	ctx := context.Background()
	plain := f.emu.Client(t)
	byHand, err := plain.Webhooks.Create(ctx, hookReq("https://hooks.example.com/by-hand"))
	if err != nil {
		t.Fatal(err)
	}
	older := hookReq("https://hooks.example.com/older")
	older.Metadata = map[string]string{entrupy.LegacyMarkerKey: "0123abcd.0123456789abcdef"}
	byOlder, err := plain.Webhooks.Create(ctx, older)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := c.Webhooks.CreateNew(ctx, hookReq("https://hooks.example.com/mine"))
	if err != nil {
		t.Fatal(err)
	}
	if m := strings.Fields(mine.Metadata[entrupy.MarkerKey]); len(m) != 3 || m[0] != maker {
		t.Fatalf("marker %q, want %q, a time and a nonce", mine.Metadata[entrupy.MarkerKey], maker)
	}

	for _, tc := range []struct {
		url, id, maker string
		older          bool
	}{
		{"https://hooks.example.com/by-hand", byHand.ID, "", false},
		{"https://hooks.example.com/older", byOlder.ID, "", true},
		{"https://hooks.example.com/mine", mine.ID, maker, false},
	} {
		_, err := c.Webhooks.CreateNew(ctx, hookReq(tc.url))
		e, ok := entrupy.AsExistsError(err)
		if !ok {
			t.Fatalf("%s: %v, want an ExistsError", tc.url, err)
		}
		who, at := e.MadeBy()
		if e.ID != tc.id || e.Kind != entrupy.KindWebhook || who != tc.maker || e.OlderMarker != tc.older || (tc.maker != "" && at == "") {
			t.Fatalf("%s: %+v (made by %q at %q), want id %s made by %q, older marker %v", tc.url, e, who, at, tc.id, tc.maker, tc.older)
		}
	}
	forUser := hookReq("https://hooks.example.com/by-hand")
	u, err := plain.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "store-0001", Email: "s@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	forUser.Username = u.Username
	if _, err := c.Webhooks.CreateNew(ctx, forUser); err != nil {
		t.Fatalf("same url for one user, beside the organisation's: %v", err)
	}
	if n := len(f.emu.Inventory().Webhooks); n != 4 {
		t.Fatalf("%d webhooks, want 4", n)
	}
}

// TestCreateNewWebhookReadsFresh: a webhook made elsewhere after this
// client's last create is seen by its next create: every create reads the
// webhooks anew, never a listing taken earlier in the run.
func TestCreateNewWebhookReadsFresh(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, entrupy.WithCreatedBy(maker))
	ctx := context.Background()
	if _, err := c.Webhooks.CreateNew(ctx, hookReq("https://hooks.example.com/first")); err != nil {
		t.Fatal(err)
	}
	twin, err := f.emu.Client(t).Webhooks.Create(ctx, hookReq("https://hooks.example.com/second"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Webhooks.CreateNew(ctx, hookReq("https://hooks.example.com/second"))
	if e, ok := entrupy.AsExistsError(err); !ok || e.ID != twin.ID {
		t.Fatalf("create after a twin was made elsewhere: %v, want an ExistsError naming %s", err, twin.ID)
	}
	if n := len(f.emu.Inventory().Webhooks); n != 2 {
		t.Fatalf("%d webhooks, want 2", n)
	}
}

// TestCreateNewWebhookConcurrent: creates of one url at the same time make
// one webhook, the others stop naming it; creates of distinct urls at the
// same time share their listings instead of listing once each.
func TestCreateNewWebhookConcurrent(t *testing.T) {
	t.Parallel()
	// Each answer takes 30 ms, so the creates asked together overlap.
	f, c := newFixture(t, emulator.Options{Latency: 30 * time.Millisecond}, entrupy.WithCreatedBy(maker))
	ctx := context.Background()
	run := func(n int, url func(int) string) (created int, exists []string, errs []error) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				wh, err := c.Webhooks.CreateNew(ctx, hookReq(url(i)))
				mu.Lock()
				defer mu.Unlock()
				if e, ok := entrupy.AsExistsError(err); ok {
					exists = append(exists, e.ID)
				} else if err != nil {
					errs = append(errs, err)
				} else if wh != nil {
					created++
				}
			})
		}
		wg.Wait()
		return created, exists, errs
	}
	created, exists, errs := run(6, func(int) string { return "https://hooks.example.com/same" })
	hooks := f.emu.Inventory().Webhooks
	if created != 1 || len(exists) != 5 || len(errs) != 0 || len(hooks) != 1 {
		t.Fatalf("6 creates of one url: %d created, %d exists, errors %v; Entrupy holds %d", created, len(exists), errs, len(hooks))
	}
	for _, id := range exists {
		if id != hooks[0].ID {
			t.Fatalf("an ExistsError names %s, want %s", id, hooks[0].ID)
		}
	}

	lists := f.emu.Count("GET /v2/webhooks")
	const n = 20
	created, exists, errs = run(n, func(i int) string { return fmt.Sprintf("https://hooks.example.com/distinct/%d", i) })
	if created != n || len(exists) != 0 || len(errs) != 0 {
		t.Fatalf("%d creates of distinct urls: %d created, exists %v, errors %v", n, created, exists, errs)
	}
	// All fit one page: the first listing answers the creates that asked
	// before its page was read, one more those that asked after.
	got := f.emu.Count("GET /v2/webhooks") - lists
	t.Logf("%d creates of distinct urls: %d listings", n, got)
	if got > 3 {
		t.Fatalf("%d creates asked together listed the webhooks %d times, want at most 3", n, got)
	}
}

// TestCreateNewUser: a unique_user_id that exists is an *ExistsError saying
// who made the user; one that was deactivated says so; nothing changes.
func TestCreateNewUser(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, entrupy.WithCreatedBy(maker))
	ctx := context.Background()
	plain := f.emu.Client(t)
	if _, err := plain.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "by-hand-01", Email: "h@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "gone-user-01", Email: "g@example.com"}); err != nil {
		t.Fatal(err)
	}
	if err := plain.Users.Delete(ctx, "gone-user-01"); err != nil {
		t.Fatal(err)
	}
	u, err := c.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: "mine-0001", Email: "m@example.com", FirstName: "Mine"})
	if err != nil || u.FirstName != "Mine" {
		t.Fatalf("a new user: %+v, %v", u, err)
	}

	_, err = c.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: "by-hand-01", Email: "other@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || e.ID != "by-hand-01" || e.Marker != "" || e.Deactivated || !entrupy.IsConflict(err) {
		t.Fatalf("a user made by hand: %v", err)
	}
	_, err = c.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: "mine-0001", Email: "m@example.com", FirstName: "Mine"})
	if e, ok := entrupy.AsExistsError(err); !ok {
		t.Fatalf("a user this provider made before: %v", err)
	} else if who, at := e.MadeBy(); who != maker || at == "" {
		t.Fatalf("a user this provider made before: made by %q at %q", who, at)
	}
	_, err = c.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: "gone-user-01", Email: "g@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || !e.Deactivated {
		t.Fatalf("a deactivated user: %v", err)
	}
	inv := f.emu.Inventory()
	for _, u := range inv.Users {
		if u.UniqueUserID == "by-hand-01" && (u.Email != "h@example.com" || len(u.Metadata) != 0) {
			t.Fatalf("the user made by hand was changed: %+v", u)
		}
	}
}

// keyIgnoringClient is a client (retrying once, with a marker) of f's
// emulator behind a proxy that strips the Idempotency-Key: an API that
// does not honour it.
func keyIgnoringClient(t *testing.T, f *fixture) *entrupy.Client {
	t.Helper()
	target, _ := url.Parse(f.url)
	proxy := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Header.Del(entrupy.HeaderIdempotencyKey)
	}}
	srv := httptest.NewServer(proxy)
	t.Cleanup(srv.Close)
	c, err := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken(token), entrupy.WithRateLimit(0), fewRetries, entrupy.WithCreatedBy(maker))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCreateNewUserOwnEarlierAttempt: behind an API that ignores the
// Idempotency-Key, a create whose first attempt committed but lost its
// answer gets a 409 on the retry; the user carries this create's own
// marker, so it is this create's object, returned, not an ExistsError.
func TestCreateNewUserOwnEarlierAttempt(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	c := keyIgnoringClient(t, f)
	f.emu.FailNext("POST /v2/integrations/users", emulator.Fail500After)
	u, err := c.Users.CreateNew(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "retried-01", Email: "r@example.com"})
	if err != nil || u.UniqueUserID != "retried-01" {
		t.Fatalf("create retried after a lost answer: %+v, %v", u, err)
	}
	if got := f.emu.Count("POST /v2/integrations/users"); got != 2 {
		t.Fatalf("%d POSTs, want 2 (the lost one and the retry)", got)
	}
}

// TestCreateNewUncertain: a create whose answer is lost for good says the
// object may exist (and it does); a create refused with a 4xx, or a 429
// after the retries, says nothing of the kind.
func TestCreateNewUncertain(t *testing.T) {
	t.Parallel()
	f, c := newFixture(t, emulator.Options{}, fewRetries, entrupy.WithCreatedBy(maker))
	ctx := context.Background()
	for _, fault := range []emulator.Fault{emulator.Fail500After, emulator.ResetAfter} {
		f.emu.FailNext("POST /v2/webhooks", fault, fault, fault, fault)
		_, err := c.Webhooks.CreateNew(ctx, hookReq(fmt.Sprintf("https://hooks.example.com/lost/%d", fault)))
		if e, ok := entrupy.AsUncertainCreate(err); !ok || e.Kind != entrupy.KindWebhook {
			t.Fatalf("fault %d: %v, want an UncertainCreateError", fault, err)
		}
		f.emu.FailNext("POST /v2/integrations/users", fault, fault, fault, fault)
		_, err = c.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: fmt.Sprintf("lost-user-%d", fault), Email: "l@example.com"})
		if e, ok := entrupy.AsUncertainCreate(err); !ok || e.Kind != entrupy.KindUser {
			t.Fatalf("fault %d: %v, want an UncertainCreateError", fault, err)
		}
	}
	f.emu.ClearFaults()
	if inv := f.emu.Inventory(); len(inv.Webhooks) != 2 {
		t.Fatalf("%d webhooks after the lost creates, want 2", len(inv.Webhooks))
	}
	// A second create of a lost one finds it.
	_, err := c.Webhooks.CreateNew(ctx, hookReq(fmt.Sprintf("https://hooks.example.com/lost/%d", emulator.Fail500After)))
	if _, ok := entrupy.AsExistsError(err); !ok {
		t.Fatalf("create after a lost one: %v, want an ExistsError", err)
	}

	_, err = c.Webhooks.CreateNew(ctx, hookReq("ftp://hooks.example.com/refused"))
	if _, ok := entrupy.AsUncertainCreate(err); ok || err == nil {
		t.Fatalf("a 400: %v, want a plain API error", err)
	}
	f.emu.FailNext("POST /v2/integrations/users", emulator.Fail429, emulator.Fail429, emulator.Fail429)
	noBudget, err := entrupy.New(entrupy.WithBaseURL(f.url), entrupy.WithToken(token), entrupy.WithRateLimit(0), fewRetries)
	if err != nil {
		t.Fatal(err)
	}
	_, err = noBudget.Users.CreateNew(ctx, entrupy.CreateUserRequest{UniqueUserID: "limited-01", Email: "l@example.com"})
	if _, ok := entrupy.AsUncertainCreate(err); ok || !entrupy.IsRateLimited(err) {
		t.Fatalf("429s after the retries: %v, want the 429 alone", err)
	}
}

// TestCreateNewWebhookRace: processes that list the webhooks at the same
// moment and create one for the same url each (here, clients that share
// nothing, as separate runners do) leave one webhook per url: the one
// Entrupy created first stays, and every other create deletes its own and
// stops with an *ExistsError naming it (a create that saw another's webhook
// before creating names one it saw). Behind an API whose webhooks carry
// no created_at, the order is unknown: a create that sees another's stands
// down, so a url may be left without one, but never with two. Real waits:
// the settling second is part of what is tested.
func TestCreateNewWebhookRace(t *testing.T) {
	t.Parallel()
	for _, withTimes := range []bool{true, false} {
		t.Run(fmt.Sprintf("created_at=%v", withTimes), func(t *testing.T) {
			t.Parallel()
			emu := testsupport.StartEmulator(t, emulator.Options{Latency: 20 * time.Millisecond})
			base := emu.URL
			if !withTimes {
				target, _ := url.Parse(emu.URL)
				proxy := &httputil.ReverseProxy{
					Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(target) },
					ModifyResponse: dropCreatedAt,
				}
				srv := httptest.NewServer(proxy)
				t.Cleanup(srv.Close)
				base = srv.URL
			}
			raceCreates(t, emu, base, withTimes)
		})
	}
}

// TestCreateNewWebhookRaceStaggered: process B checks that no webhook
// delivers to its urls before process A has made its own, but B's creates
// reach Entrupy only after A's have settled and kept their webhooks. B must
// stand down, whatever the order of the IDs: by created_at when the API
// gives it, and because it sees another's webhook when the API does not.
// The two proxies order the requests: A's creates wait until all of B's
// have been checked and sent, and B's are held until A's creates returned.
func TestCreateNewWebhookRaceStaggered(t *testing.T) {
	t.Parallel()
	for _, withTimes := range []bool{true, false} {
		t.Run(fmt.Sprintf("created_at=%v", withTimes), func(t *testing.T) {
			t.Parallel()
			const urls = 4
			emu := testsupport.StartEmulator(t, emulator.Options{})
			target, _ := url.Parse(emu.URL)
			rp := &httputil.ReverseProxy{
				Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(target) },
				ModifyResponse: func(resp *http.Response) error {
					if withTimes {
						return nil
					}
					return dropCreatedAt(resp)
				},
			}
			bChecked, aDone := make(chan struct{}), make(chan struct{})
			var bPosts atomic.Int32
			proxy := func(beforeCreate func()) string {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method == http.MethodPost {
						beforeCreate()
					}
					rp.ServeHTTP(w, r)
				}))
				t.Cleanup(srv.Close)
				return srv.URL
			}
			viaA := proxy(func() { <-bChecked })
			viaB := proxy(func() {
				if bPosts.Add(1) == urls {
					close(bChecked)
				}
				<-aDone
			})
			ctx := context.Background()
			errs := make([][]error, 2)
			var all sync.WaitGroup
			for p, base := range []string{viaA, viaB} {
				c, err := entrupy.New(entrupy.WithBaseURL(base), entrupy.WithToken(emu.Token), entrupy.WithRateLimit(0), entrupy.WithCreatedBy(maker))
				if err != nil {
					t.Fatal(err)
				}
				errs[p] = make([]error, urls)
				var these sync.WaitGroup
				for u := range urls {
					these.Add(1)
					all.Go(func() {
						defer these.Done()
						_, errs[p][u] = c.Webhooks.CreateNew(ctx, hookReq(fmt.Sprintf("https://hooks.example.com/staggered/%d", u)))
					})
				}
				if p == 0 {
					go func() { these.Wait(); close(aDone) }()
				}
			}
			all.Wait()
			for u := range urls {
				e, exists := entrupy.AsExistsError(errs[1][u])
				if errs[0][u] != nil || !exists || e.Withdrawn == "" {
					t.Fatalf("url %d: A %v, B %v; want A to keep its webhook and B to stand down", u, errs[0][u], errs[1][u])
				}
			}
			if n := len(emu.Inventory().Webhooks); n != urls {
				t.Fatalf("Entrupy holds %d webhooks for %d urls", n, urls)
			}
		})
	}
}

// dropCreatedAt turns every created_at in resp's body into null.
func dropCreatedAt(resp *http.Response) error {
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	b = regexp.MustCompile(`"created_at":\s*"[^"]*"`).ReplaceAll(b, []byte(`"created_at": null`))
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
	return nil
}

func raceCreates(t *testing.T, emu *testsupport.Emulator, base string, ordered bool) {
	const processes, urls = 4, 3
	ctx := context.Background()
	type outcome struct {
		wh  *entrupy.Webhook
		err error
	}
	results := make([][]outcome, urls)
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range processes {
		c, err := entrupy.New(entrupy.WithBaseURL(base), entrupy.WithToken(emu.Token), entrupy.WithRateLimit(0), entrupy.WithCreatedBy(maker))
		if err != nil {
			t.Fatal(err)
		}
		for u := range urls {
			wg.Go(func() {
				<-start
				wh, err := c.Webhooks.CreateNew(ctx, hookReq(fmt.Sprintf("https://hooks.example.com/race/%d", u)))
				mu.Lock()
				results[u] = append(results[u], outcome{wh, err})
				mu.Unlock()
			})
		}
	}
	close(start)
	wg.Wait()

	held := map[string]string{} // url → webhook id
	for _, wh := range emu.Inventory().Webhooks {
		if prev, dup := held[wh.URL]; dup {
			t.Fatalf("two webhooks for %s: %s and %s", wh.URL, prev, wh.ID)
		}
		held[wh.URL] = wh.ID
	}
	if ordered && len(held) != urls {
		t.Fatalf("Entrupy holds webhooks for %d urls, want %d: %v", len(held), urls, held)
	}
	withdrawn := 0
	for u, outs := range results {
		url := fmt.Sprintf("https://hooks.example.com/race/%d", u)
		made := 0
		for _, o := range outs {
			e, exists := entrupy.AsExistsError(o.err)
			switch {
			case o.err == nil && o.wh.ID == held[url]:
				made++
			case exists && e.Withdrawn != "" && (e.ID == held[url] || !ordered):
				withdrawn++
			case exists && e.Withdrawn == "":
				// Stopped by the check before its create: it names a
				// webhook it saw, the kept one or one that was settling.
			default:
				t.Fatalf("%s: %+v, %v; want the kept webhook %s or an ExistsError naming it", url, o.wh, o.err, held[url])
			}
		}
		want := 0 // creates that return the webhook kept for the url
		if held[url] != "" {
			want = 1
		}
		if made != want {
			t.Fatalf("%s: %d creates returned the kept webhook %q, want %d", url, made, held[url], want)
		}
	}
	t.Logf("%d processes × %d urls: %d creates deleted the webhook they had made; %d urls keep one", processes, urls, withdrawn, len(held))
}

// TestCreateNewWebhookOwnEarlierAttempt: behind an API that ignores the
// Idempotency-Key, a create whose first attempt committed but lost its
// answer makes a second webhook on its retry; the settling listing finds
// the first, which carries this create's marker: the second is deleted and
// the first returned as this create's webhook.
func TestCreateNewWebhookOwnEarlierAttempt(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	c := keyIgnoringClient(t, f)
	f.emu.FailNext("POST /v2/webhooks", emulator.Fail500After)
	wh, err := c.Webhooks.CreateNew(context.Background(), hookReq("https://hooks.example.com/retried"))
	if err != nil {
		t.Fatalf("create retried after a lost answer: %v", err)
	}
	hooks := f.emu.Inventory().Webhooks
	if len(hooks) != 1 || hooks[0].ID != wh.ID || f.emu.Count("POST /v2/webhooks") != 2 {
		t.Fatalf("Entrupy holds %+v after 2 POSTs (%d), want only the returned %s", hooks, f.emu.Count("POST /v2/webhooks"), wh.ID)
	}
}
