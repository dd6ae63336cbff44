package entrupy_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// config is what a provider tells its client about the configuration it
// serves: a marker, and the objects its refreshes saw recorded in state.
type config struct {
	marker   string
	recorded map[string]bool
}

func (c *config) option() entrupy.Option {
	return entrupy.WithCreateMarker(entrupy.CreateMarker{Value: c.marker, Recorded: func(kind, id string) bool { return c.recorded[kind+"/"+id] }})
}

// newProcess is another client on the same emulator: what a new provider
// process (the next terraform run) of configuration cfg starts with.
func newProcess(t *testing.T, f *fixture, cfg *config) *entrupy.Client {
	t.Helper()
	c, err := entrupy.New(entrupy.WithBaseURL(f.url), entrupy.WithToken(token), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}),
		cfg.option())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func hookReq(url string) entrupy.CreateWebhookRequest {
	on := true
	return entrupy.CreateWebhookRequest{URL: url, SecretKey: "s3cret", Events: []string{entrupy.EventSessionCompleted}, Enabled: &on}
}

// TestCreateOnceWebhookAfterLostAnswer: every way a create's answer can be
// lost for good leaves a webhook with the configuration's marker that the
// configuration's next process adopts, so Entrupy ends with one webhook,
// with the second run's values and secret; another configuration does not.
func TestCreateOnceWebhookAfterLostAnswer(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]emulator.Fault{"500 after commit": emulator.Fail500After, "reset after commit": emulator.ResetAfter} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, _ := newFixture(t, emulator.Options{})
			cfg := &config{marker: "cfg-a"}
			// Every attempt loses its answer (Go's transport itself retries a
			// reset request that carries an Idempotency-Key).
			f.emu.FailNext("POST /v2/webhooks", fault, fault, fault, fault, fault, fault)
			if _, _, err := newProcess(t, f, cfg).Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/a")); err == nil {
				t.Fatal("create succeeded although every answer was lost")
			}
			f.emu.ClearFaults()
			inv := f.emu.Inventory()
			if len(inv.Webhooks) != 1 || inv.Webhooks[0].Metadata[entrupy.MarkerKey] != "cfg-a" {
				t.Fatalf("after the lost create: %+v, want one webhook marked cfg-a", inv.Webhooks)
			}
			orphan := inv.Webhooks[0].ID

			// Another configuration with the same webhook makes its own.
			other, adopted, err := newProcess(t, f, &config{marker: "cfg-b"}).Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/a"))
			if err != nil || adopted || other.ID == orphan {
				t.Fatalf("another configuration: %v adopted=%v %v", err, adopted, other)
			}

			req := hookReq("https://hooks.example.com/a")
			req.SecretKey, req.Description = "n3w-secret", "second run"
			wh, adopted, err := newProcess(t, f, cfg).Webhooks.CreateOnce(context.Background(), req)
			if err != nil || !adopted || wh.ID != orphan {
				t.Fatalf("second run: %v adopted=%v id=%v, want the orphan %s adopted", err, adopted, wh, orphan)
			}
			if wh.Description != "second run" || wh.Metadata[entrupy.MarkerKey] != "cfg-a" {
				t.Fatalf("adopted webhook not brought to the request: %+v", wh)
			}
			if s, _ := f.emu.WebhookSecret(orphan); s != "n3w-secret" {
				t.Fatal("the adopted webhook kept the lost create's secret")
			}
			if n := len(f.emu.Inventory().Webhooks); n != 2 {
				t.Fatalf("%d webhooks, want 2 (one per configuration)", n)
			}
		})
	}
}

// TestCreateOnceWebhookIdenticalStayTwo: identical creates, in one process
// or in two runs, make separate webhooks: one recorded in state is never
// adopted.
func TestCreateOnceWebhookIdenticalStayTwo(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	cfg := &config{marker: "cfg", recorded: map[string]bool{}}
	c := newProcess(t, f, cfg)
	a, adoptedA, errA := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	b, adoptedB, errB := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	if errA != nil || errB != nil || adoptedA || adoptedB || a.ID == b.ID {
		t.Fatalf("identical creates: %v %v adopted %v %v ids %v %v", errA, errB, adoptedA, adoptedB, a, b)
	}
	// The next run's refresh saw both in state.
	cfg.recorded["webhook/"+a.ID], cfg.recorded["webhook/"+b.ID] = true, true
	d, adopted, err := newProcess(t, f, cfg).Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	if err != nil || adopted || d.ID == a.ID || d.ID == b.ID {
		t.Fatalf("a third identical create in a new run: %v adopted=%v %v", err, adopted, d)
	}
	if n := len(f.emu.Inventory().Webhooks); n != 3 {
		t.Fatalf("%d webhooks, want 3", n)
	}
}

// TestCreateOnceWebhookForeign: a webhook with the same url and username
// that no configuration made stops the create with an *ExistsError naming
// it; other usernames and urls do not.
func TestCreateOnceWebhookForeign(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	byHand, err := plain.Webhooks.Create(context.Background(), hookReq("https://hooks.example.com/shared"))
	if err != nil {
		t.Fatal(err)
	}
	c := newProcess(t, f, &config{marker: "cfg"})
	_, _, err = c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/shared"))
	e, ok := entrupy.AsExistsError(err)
	if !ok || e.ID != byHand.ID || e.Kind != entrupy.KindWebhook || e.Managed {
		t.Fatalf("got %v, want an ExistsError naming %s", err, byHand.ID)
	}
	// The same url for one user only is another webhook.
	u, err := plain.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "store-0001", Email: "s@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	scoped := hookReq("https://hooks.example.com/shared")
	scoped.Username = u.Username
	if _, _, err := c.Webhooks.CreateOnce(context.Background(), scoped); err != nil {
		t.Fatalf("same url, one user: %v", err)
	}
	if _, _, err := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/other")); err != nil {
		t.Fatalf("another url: %v", err)
	}
	if n := len(f.emu.Inventory().Webhooks); n != 3 {
		t.Fatalf("%d webhooks, want 3", n)
	}
}

// TestCreateOnceUser: a user whose create answer was lost is adopted by the
// configuration's next run (email brought up to date); a user made by
// another configuration, or outside Terraform, or deactivated, or recorded,
// is an *ExistsError.
func TestCreateOnceUser(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	cfg := &config{marker: "cfg", recorded: map[string]bool{}}
	f.emu.FailNext("POST /v2/integrations/users", emulator.Fail500After, emulator.Fail500After)
	if _, _, err := newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "a@example.com", FirstName: "Ada"}); err == nil {
		t.Fatal("create succeeded although every answer was lost")
	}
	// Another configuration may not have it, nor one that asks for other names.
	_, _, err := newProcess(t, f, &config{marker: "other"}).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || !e.Managed || !entrupy.IsConflict(err) {
		t.Fatalf("another configuration: got %v", err)
	}
	_, _, err = newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com", FirstName: "Bob"})
	if e, ok := entrupy.AsExistsError(err); !ok || !strings.Contains(e.Detail, `first_name "Ada"`) {
		t.Fatalf("other names: got %v", err)
	}
	u, adopted, err := newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com", FirstName: "Ada"})
	if err != nil || !adopted || u.Email != "b@example.com" {
		t.Fatalf("next run: %v adopted=%v %+v", err, adopted, u)
	}
	// Once recorded (the next refresh saw it), it is never adopted again.
	cfg.recorded["integration user/lost-user-01"] = true
	_, _, err = newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || !e.Managed {
		t.Fatalf("recorded user: got %v", err)
	}
	// Made outside Terraform (an SDK login, a script).
	if _, err := plain.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-user-001", Email: "s@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, _, err = newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-user-001", Email: "s@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || e.Managed || e.Deactivated || e.ID != "sdk-user-001" {
		t.Fatalf("foreign user: got %v", err)
	}
	// Deactivated.
	if err := plain.Users.Delete(context.Background(), "sdk-user-001"); err != nil {
		t.Fatal(err)
	}
	_, _, err = newProcess(t, f, cfg).Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-user-001", Email: "s@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || !e.Deactivated {
		t.Fatalf("deactivated user: got %v", err)
	}
	if inv := f.emu.Inventory(); len(inv.Users) != 1 || len(inv.DeactivatedUsers) != 1 {
		t.Fatalf("users %v deactivated %v, want lost-user-01 and sdk-user-001", inv.Users, inv.DeactivatedUsers)
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
