package entrupy_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// runner is one machine that runs Terraform: its journal directory (its
// TMPDIR). state names the Terraform state a process of it writes to.
type runner struct{ dir string }

func newRunner(t *testing.T) *runner { return &runner{dir: t.TempDir()} }

// process is a new client on the same emulator: what a new provider process
// of a run of state on runner r starts with.
func (r *runner) process(t *testing.T, f *fixture, state string) *entrupy.Client {
	t.Helper()
	c, err := entrupy.New(entrupy.WithBaseURL(f.url), entrupy.WithToken(token), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 2, MinWait: time.Millisecond, MaxWait: time.Millisecond}),
		entrupy.WithCreateMarker(entrupy.CreateMarker{State: state, Dir: r.dir}))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// loseWebhookCreate makes a webhook create of state on r whose every
// answer is lost, and returns the id of the webhook it left.
func (r *runner) loseWebhookCreate(t *testing.T, f *fixture, state, url string) string {
	t.Helper()
	f.emu.FailNext("POST /v2/webhooks", emulator.Fail500After, emulator.Fail500After)
	if _, _, err := r.process(t, f, state).Webhooks.CreateOnce(context.Background(), hookReq(url)); err == nil {
		t.Fatal("create succeeded although every answer was lost")
	}
	hooks := f.emu.Inventory().Webhooks
	if len(hooks) != 1 {
		t.Fatalf("%d webhooks after the lost create, want 1", len(hooks))
	}
	return hooks[0].ID
}

func hookReq(url string) entrupy.CreateWebhookRequest {
	on := true
	return entrupy.CreateWebhookRequest{URL: url, SecretKey: "s3cret", Events: []string{entrupy.EventSessionCompleted}, Enabled: &on}
}

// markerState is the state part of an object's marker.
func markerState(metadata map[string]string) string {
	s, _, _ := strings.Cut(metadata[entrupy.MarkerKey], ".")
	return s
}

// TestCreateOnceWebhookAfterLostAnswer: every way a create's answer can be
// lost for good leaves a webhook marked with the state, which the next run
// of that state on the same machine adopts (Entrupy ends with one webhook,
// with the second run's values and secret). Another state, or the same
// state on another machine, never adopts it: each makes its own.
func TestCreateOnceWebhookAfterLostAnswer(t *testing.T) {
	t.Parallel()
	for name, fault := range map[string]emulator.Fault{"500 after commit": emulator.Fail500After, "reset after commit": emulator.ResetAfter} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, _ := newFixture(t, emulator.Options{})
			here, elsewhere := newRunner(t), newRunner(t)
			// Every attempt loses its answer (Go's transport itself retries a
			// reset request that carries an Idempotency-Key).
			f.emu.FailNext("POST /v2/webhooks", fault, fault, fault, fault, fault, fault)
			if _, _, err := here.process(t, f, "aaaa").Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/a")); err == nil {
				t.Fatal("create succeeded although every answer was lost")
			}
			f.emu.ClearFaults()
			inv := f.emu.Inventory()
			if len(inv.Webhooks) != 1 || markerState(inv.Webhooks[0].Metadata) != "aaaa" {
				t.Fatalf("after the lost create: %+v, want one webhook marked for state aaaa", inv.Webhooks)
			}
			orphan := inv.Webhooks[0].ID

			// Another state on the same machine, and the same state on
			// another machine, make their own.
			for what, c := range map[string]*entrupy.Client{"another state": here.process(t, f, "bbbb"), "another machine": elsewhere.process(t, f, "aaaa")} {
				other, adopted, err := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/a"))
				if err != nil || adopted || other.ID == orphan {
					t.Fatalf("%s: %v adopted=%v %v", what, err, adopted, other)
				}
			}

			req := hookReq("https://hooks.example.com/a")
			req.SecretKey, req.Description = "n3w-secret", "second run"
			wh, adopted, err := here.process(t, f, "aaaa").Webhooks.CreateOnce(context.Background(), req)
			if err != nil || !adopted || wh.ID != orphan {
				t.Fatalf("second run: %v adopted=%v id=%v, want the orphan %s adopted", err, adopted, wh, orphan)
			}
			if wh.Description != "second run" || markerState(wh.Metadata) != "aaaa" {
				t.Fatalf("adopted webhook not brought to the request: %+v", wh)
			}
			if s, _ := f.emu.WebhookSecret(orphan); s != "n3w-secret" {
				t.Fatal("the adopted webhook kept the lost create's secret")
			}
			// Adopted once: a third run of the state makes a new one.
			third, adopted, err := here.process(t, f, "aaaa").Webhooks.CreateOnce(context.Background(), req)
			if err != nil || adopted || third.ID == orphan {
				t.Fatalf("third run: %v adopted=%v %v", err, adopted, third)
			}
			if n := len(f.emu.Inventory().Webhooks); n != 4 {
				t.Fatalf("%d webhooks, want 4 (the adopted one, one per other run)", n)
			}
		})
	}
}

// TestCreateOnceWebhookIdenticalStayTwo: identical creates, in one process
// or in two runs of one state on one machine, make separate webhooks: one
// whose answer was delivered is never adopted.
func TestCreateOnceWebhookIdenticalStayTwo(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	r := newRunner(t)
	c := r.process(t, f, "cafe")
	a, adoptedA, errA := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	b, adoptedB, errB := c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	if errA != nil || errB != nil || adoptedA || adoptedB || a.ID == b.ID {
		t.Fatalf("identical creates: %v %v adopted %v %v ids %v %v", errA, errB, adoptedA, adoptedB, a, b)
	}
	d, adopted, err := r.process(t, f, "cafe").Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/same"))
	if err != nil || adopted || d.ID == a.ID || d.ID == b.ID {
		t.Fatalf("a third identical create in a new run: %v adopted=%v %v", err, adopted, d)
	}
	if n := len(f.emu.Inventory().Webhooks); n != 3 {
		t.Fatalf("%d webhooks, want 3", n)
	}
}

// TestCreateOnceSeenInState: an object a state read (an import of the
// orphan, say) is held, so the lost create it came from is never adopted.
func TestCreateOnceSeenInState(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	r := newRunner(t)
	orphan := r.loseWebhookCreate(t, f, "beef", "https://hooks.example.com/seen")
	if _, err := r.process(t, f, "beef").Webhooks.Read(context.Background(), orphan); err != nil {
		t.Fatal(err)
	}
	got, adopted, err := r.process(t, f, "beef").Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/seen"))
	if err != nil || adopted || got.ID == orphan {
		t.Fatalf("after a state read the orphan: %v adopted=%v %v, want a new webhook", err, adopted, got)
	}
}

// TestCreateOnceJournalProcesses: a create whose process died before it
// said how it ended (a crash) is adopted by the next run, as is one whose
// pid still runs long after any create could (the pid was reused); one
// that a live process is still making is not.
func TestCreateOnceJournalProcesses(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	r := newRunner(t)
	// The journal exists once a process of the state has written to it.
	if _, _, err := r.process(t, f, "dead").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "journal-first", Email: "j@example.com"}); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(r.dir, "creates-*"))
	if len(files) != 1 {
		t.Fatalf("journal files %v, want one", files)
	}
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	// What a process leaves behind when it dies with its create in flight,
	// what a live one (this test) writes before it sends its create, and
	// an entry of a live pid older than any create lasts (the pid reused).
	for uid, begin := range map[string]struct {
		pid int
		at  time.Time
	}{
		"crashed-create": {gone.Process.Pid, time.Now()},
		"live-create":    {os.Getpid(), time.Now()},
		"reused-pid-1":   {os.Getpid(), time.Now().Add(-20 * time.Minute)},
	} {
		nonce := fmt.Sprintf("%016x", len(uid))
		line := fmt.Sprintf(`{"op":"begin","n":%q,"s":"dead","k":%q,"i":%q,"p":%d,"t":%d}`+"\n", nonce, entrupy.KindUser, uid, begin.pid, begin.at.Unix())
		fh, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fh.WriteString(line)
		_ = fh.Close()
		if _, err := plain.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: uid, Email: "x@example.com", Metadata: map[string]string{entrupy.MarkerKey: "dead." + nonce}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, uid := range []string{"crashed-create", "reused-pid-1"} {
		u, adopted, err := r.process(t, f, "dead").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: uid, Email: "new@example.com"})
		if err != nil || !adopted || u.Email != "new@example.com" {
			t.Fatalf("%s: %v adopted=%v %+v, want the orphan adopted", uid, err, adopted, u)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, _, err := r.process(t, f, "dead").Users.CreateOnce(ctx, entrupy.CreateUserRequest{UniqueUserID: "live-create", Email: "new@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || e.MadeBy != entrupy.MadeByThisState {
		t.Fatalf("a live process's create: got %v, want an ExistsError (this state, no proof)", err)
	}
}

// TestCreateOnceWebhookForeign: a webhook with the same url and username
// that no Terraform run made stops the create with an *ExistsError naming
// it; other usernames and urls do not.
func TestCreateOnceWebhookForeign(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	byHand, err := plain.Webhooks.Create(context.Background(), hookReq("https://hooks.example.com/shared"))
	if err != nil {
		t.Fatal(err)
	}
	c := newRunner(t).process(t, f, "f00d")
	_, _, err = c.Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/shared"))
	e, ok := entrupy.AsExistsError(err)
	if !ok || e.ID != byHand.ID || e.Kind != entrupy.KindWebhook || e.MadeBy != entrupy.MadeOutside {
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
// next run of its state on the same machine (email brought up to date); a
// user made by another state, by the same state elsewhere, outside
// Terraform, or deactivated, or adopted already, is an *ExistsError saying
// who made it.
func TestCreateOnceUser(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	here, elsewhere := newRunner(t), newRunner(t)
	f.emu.FailNext("POST /v2/integrations/users", emulator.Fail500After, emulator.Fail500After)
	if _, _, err := here.process(t, f, "a1").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "a@example.com", FirstName: "Ada"}); err == nil {
		t.Fatal("create succeeded although every answer was lost")
	}
	refused := func(what string, c *entrupy.Client, madeBy string) {
		t.Helper()
		_, _, err := c.Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com"})
		if e, ok := entrupy.AsExistsError(err); !ok || e.MadeBy != madeBy || !entrupy.IsConflict(err) {
			t.Fatalf("%s: got %v, want an ExistsError made by %s", what, err, madeBy)
		}
	}
	refused("another state", here.process(t, f, "b2"), entrupy.MadeByOtherState)
	refused("the same state on another machine", elsewhere.process(t, f, "a1"), entrupy.MadeByThisState)
	_, _, err := here.process(t, f, "a1").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com", FirstName: "Bob"})
	if e, ok := entrupy.AsExistsError(err); !ok || !strings.Contains(e.Detail, `first_name "Ada"`) {
		t.Fatalf("other names: got %v", err)
	}
	u, adopted, err := here.process(t, f, "a1").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "lost-user-01", Email: "b@example.com", FirstName: "Ada"})
	if err != nil || !adopted || u.Email != "b@example.com" {
		t.Fatalf("next run: %v adopted=%v %+v", err, adopted, u)
	}
	// Adopted (its answer delivered), it is never adopted again.
	refused("adopted already", here.process(t, f, "a1"), entrupy.MadeByThisState)
	// Made outside Terraform (an SDK login, a script), or by a provider
	// version whose marker named a folder.
	if _, err := plain.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-user-001", Email: "s@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := plain.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "old-marker-1", Email: "s@example.com", Metadata: map[string]string{entrupy.MarkerKey: "0123456789abcdef"}}); err != nil {
		t.Fatal(err)
	}
	for uid, madeBy := range map[string]string{"sdk-user-001": entrupy.MadeOutside, "old-marker-1": entrupy.MadeByOlderProvider} {
		_, _, err = here.process(t, f, "a1").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: uid, Email: "s@example.com"})
		if e, ok := entrupy.AsExistsError(err); !ok || e.MadeBy != madeBy || e.Deactivated || e.ID != uid {
			t.Fatalf("%s: got %v, want made by %s", uid, err, madeBy)
		}
	}
	// Deactivated.
	if err := plain.Users.Delete(context.Background(), "sdk-user-001"); err != nil {
		t.Fatal(err)
	}
	_, _, err = here.process(t, f, "a1").Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "sdk-user-001", Email: "s@example.com"})
	if e, ok := entrupy.AsExistsError(err); !ok || !e.Deactivated {
		t.Fatalf("deactivated user: got %v", err)
	}
	if inv := f.emu.Inventory(); len(inv.Users) != 2 || len(inv.DeactivatedUsers) != 1 {
		t.Fatalf("users %v deactivated %v, want lost-user-01 and old-marker-1, and sdk-user-001", inv.Users, inv.DeactivatedUsers)
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
// rewritten short, and what is unsettled in it still counts.
func TestCreateOnceJournalCompacts(t *testing.T) {
	t.Parallel()
	f, _ := newFixture(t, emulator.Options{})
	r := newRunner(t)
	orphan := r.loseWebhookCreate(t, f, "c0c0", "https://hooks.example.com/kept")
	c := r.process(t, f, "c0c0")
	for i := range 600 { // two lines each: begin and end
		if _, err := c.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: fmt.Sprintf("compact-%04d", i), Email: "c@example.com"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.Users.CreateOnce(context.Background(), entrupy.CreateUserRequest{UniqueUserID: fmt.Sprintf("compact-%04d", i), Email: "c@example.com"}); err == nil {
			t.Fatal("a taken unique_user_id was created")
		}
	}
	files, _ := filepath.Glob(filepath.Join(r.dir, "creates-*"))
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n > 1024 || n < 2 {
		t.Fatalf("journal of %d lines after 601 creates, want it compacted", n)
	}
	wh, adopted, err := r.process(t, f, "c0c0").Webhooks.CreateOnce(context.Background(), hookReq("https://hooks.example.com/kept"))
	if err != nil || !adopted || wh.ID != orphan {
		t.Fatalf("the orphan after compaction: %v adopted=%v %v", err, adopted, wh)
	}
}
