package emulator_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

// adminCounters reads GET /_emulator/counters.
func (h *harness) adminCounters() (requests map[string]int, statuses map[string]int, writes int) {
	h.t.Helper()
	resp, err := http.Get(h.url + "/_emulator/counters")
	if err != nil {
		h.t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var out struct {
		Requests map[string]int `json:"requests"`
		Statuses map[string]int `json:"statuses"`
		Writes   *int           `json:"writes"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		h.t.Fatal(err)
	}
	if out.Writes == nil {
		h.t.Fatal(`GET /_emulator/counters has no "writes"`)
	}
	return out.Requests, out.Statuses, *out.Writes
}

func (h *harness) adminPost(path string) int {
	h.t.Helper()
	resp, err := http.Post(h.url+path, "application/json", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

func inventoryJSON(t *testing.T, emu *emulator.Server) string {
	t.Helper()
	b, err := json.Marshal(emu.Inventory())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// seedItems returns an authentication of the built-in seed that is not
// final yet, and the certificate id of an authentic one.
func seedItems(t *testing.T) (inProgress, certificate string) {
	t.Helper()
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if !*it.Status.Result.Final && inProgress == "" {
			inProgress = it.EntrupyID
		}
		if it.Certificate != nil && certificate == "" {
			certificate = val(it.Certificate.CertificateID)
		}
	}
	if inProgress == "" || certificate == "" {
		t.Fatal("the built-in seed has no in-progress or no authentic item")
	}
	return inProgress, certificate
}

// TestReset: after POST /_emulator/reset the emulator is what a new one is,
// its state file says so, and a deactivated unique_user_id can be created
// again (the reason for the route: repeated `terraform test` runs).
func TestReset(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	fresh := inventoryJSON(t, start(t, emulator.Options{}).emu)
	h := start(t, emulator.Options{StateFile: path})
	inProgress, cert := seedItems(t)
	before := h.do("GET", "/v2/authentications/"+inProgress, nil).raw
	certBefore := h.do("GET", "/v2/certificates/"+cert, nil).raw

	// Change everything there is to change.
	hook := map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"session.completed"}, "metadata": map[string]string{"k": "v"}}
	h.do("POST", "/v2/webhooks", hook, "Idempotency-Key", "key-1")
	h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "tftest-user-01", "email": "a@example.com"})
	h.do("DELETE", "/v2/integrations/users/tftest-user-01", nil)
	h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "tftest-user-02", "email": "b@example.com"})
	if a := h.do("POST", "/v2/certificates/"+cert+"/transfers", map[string]any{"recipient_email": "buyer@example.com"}); a.status != 201 {
		t.Fatalf("transfer: %s", a.raw)
	}
	if err := h.emu.CompleteAuthentication(inProgress, "authentic"); err != nil {
		t.Fatal(err)
	}
	h.emu.FailNext("GET /v2/webhooks", emulator.Fail500Before)
	if inventoryJSON(t, h.emu) == fresh || h.emu.Writes() == 0 || len(h.emu.Counts()) == 0 {
		t.Fatal("setup changed nothing")
	}

	if code := h.adminPost("/_emulator/reset"); code != http.StatusNoContent {
		t.Fatalf("POST /_emulator/reset: %d", code)
	}
	if got := inventoryJSON(t, h.emu); got != fresh {
		t.Fatalf("after reset:\n%s\nwant a new emulator's:\n%s", got, fresh)
	}
	if req, st, w := h.adminCounters(); len(req) != 0 || len(st) != 0 || w != 0 {
		t.Fatalf("counters after reset: %v %v %d", req, st, w)
	}
	if h.emu.Writes() != 0 || len(h.emu.Counts()) != 0 || len(h.emu.Statuses()) != 0 {
		t.Fatal("Go counters not zeroed")
	}
	// The state file holds the fresh state.
	if got := inventoryJSON(t, start(t, emulator.Options{StateFile: path}).emu); got != fresh {
		t.Fatalf("state file after reset:\n%s", got)
	}
	// Seeded items and certificates are as at start.
	if got := h.do("GET", "/v2/authentications/"+inProgress, nil).raw; got != before {
		t.Fatalf("item after reset:\n%s\nwant\n%s", got, before)
	}
	if got := h.do("GET", "/v2/certificates/"+cert, nil).raw; got != certBefore {
		t.Fatalf("certificate after reset:\n%s\nwant\n%s", got, certBefore)
	}
	// Scripted faults are forgotten; idempotency keys too; the deactivated
	// id can be created again.
	if a := h.do("GET", "/v2/webhooks", nil); a.status != 200 || a.raw != `{"items":[],"next_cursor":null}` {
		t.Fatalf("webhooks after reset: %d %s", a.status, a.raw)
	}
	if a := h.do("POST", "/v2/webhooks", hook, "Idempotency-Key", "key-1"); a.status != 201 || a.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("an idempotency key survived the reset: %d %v", a.status, a.header)
	}
	if a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "tftest-user-01", "email": "a@example.com"}); a.status != 201 {
		t.Fatalf("re-create a deactivated id after reset: %s", a.raw)
	}
	// Sequences start over: the new objects list like a new emulator's.
	if a := h.do("GET", "/v2/integrations/users", nil); len(as[[]any](t, a.body["items"])) != 1 {
		t.Fatalf("users after reset: %s", a.raw)
	}
}

// TestResetStopsDeliveries: Reset (the Go method) cancels pending webhook
// deliveries and clears their log.
func TestResetStopsDeliveries(t *testing.T) {
	t.Parallel()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable) // always retried
	}))
	t.Cleanup(receiver.Close)
	h := start(t, emulator.Options{DeliveryAttempts: 100, DeliveryBackoff: 20 * time.Millisecond})
	t.Cleanup(h.emu.Close)
	h.do("POST", "/v2/webhooks", map[string]any{"url": receiver.URL, "secret_key": "s", "events": []string{"support.message"}})
	inProgress, _ := seedItems(t)
	if err := h.emu.SupportMessage(inProgress, "hello"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(h.emu.Deliveries()) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("no delivery retries")
		}
		time.Sleep(10 * time.Millisecond)
	}
	done := make(chan struct{})
	go func() { h.emu.Reset(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Reset did not return")
	}
	if n := len(h.emu.Deliveries()); n != 0 {
		t.Fatalf("%d deliveries logged after reset", n)
	}
	time.Sleep(100 * time.Millisecond) // several backoffs
	if n := len(h.emu.Deliveries()); n != 0 {
		t.Fatalf("a pending delivery went on after reset: %d attempts", n)
	}
	if n := len(h.emu.Inventory().Webhooks); n != 0 {
		t.Fatalf("%d webhooks after reset", n)
	}
}

// TestWritesCountMutationsOnly: Writes counts the API requests that changed
// something, and nothing else.
func TestWritesCountMutationsOnly(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	_, cert := seedItems(t)
	writes := 0
	expect := func(what string, a answer, status, more int) {
		t.Helper()
		if a.status != status {
			t.Fatalf("%s: %d %s, want %d", what, a.status, a.raw, status)
		}
		writes += more
		if got := h.emu.Writes(); got != writes {
			t.Fatalf("%s: Writes() = %d, want %d", what, got, writes)
		}
	}
	// Reads change nothing.
	expect("health", h.do("GET", "/v1/health", nil, "Api-Version", "1.4"), 200, 0)
	expect("list webhooks", h.do("GET", "/v2/webhooks", nil), 200, 0)
	expect("list users", h.do("GET", "/v2/integrations/users", nil), 200, 0)
	expect("search", h.do("POST", "/v2/search/authentications", `{"limit": 5}`), 200, 0)
	expect("certificate", h.do("GET", "/v2/certificates/"+cert, nil), 200, 0)
	expect("unknown route", h.do("GET", "/v2/nothing", nil), 404, 0)

	// Creates, and what does not create.
	hook := `{"url": "https://h.example.com", "secret_key": "s", "events": ["support.message"]}`
	a := h.do("POST", "/v2/webhooks", hook, "Idempotency-Key", "k1")
	expect("create webhook", a, 201, 1)
	expect("idempotent replay", h.do("POST", "/v2/webhooks", hook, "Idempotency-Key", "k1"), 201, 0)
	expect("rejected create", h.do("POST", "/v2/webhooks", `{"url": "ftp://x", "secret_key": "s", "events": ["support.message"]}`), 400, 0)
	expect("bad token", h.do("POST", "/v2/webhooks", hook, "Authorization", "Token wrong"), 401, 0)
	wp := "/v2/webhooks/" + as[string](t, a.item()["id"])
	expect("get webhook", h.do("GET", wp, nil), 200, 0)
	expect("patch webhook", h.do("PATCH", wp, `{"metadata": {"terraform_create": "done"}}`), 200, 1)
	expect("rejected patch", h.do("PATCH", wp, `{"api_version": "9"}`), 422, 0)

	expect("create user", h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0001", "email": "a@example.com"}`), 201, 1)
	expect("duplicate user", h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0001", "email": "a@example.com"}`), 409, 0)
	expect("patch user", h.do("PATCH", "/v2/integrations/users/user-0001", `{"email": "b@example.com"}`), 200, 1)
	authorize := `{"sdk_authorization_request": "r", "unique_user_id": "user-0002", "email": "c@example.com"}`
	expect("authorize a new user", h.do("POST", "/v2/integrations/authorize-user", authorize), 200, 1)
	expect("authorize an existing user", h.do("POST", "/v2/integrations/authorize-user", authorize), 200, 0)
	expect("authorize an existing user again", h.do("POST", "/v2/integrations/authorize-user", `{"sdk_authorization_request": "r2", "unique_user_id": "user-0001", "email": "b@example.com"}`), 200, 0)

	tr := h.do("POST", "/v2/certificates/"+cert+"/transfers", `{"recipient_email": "buyer@example.com"}`)
	expect("transfer", tr, 201, 1)
	expect("second pending transfer", h.do("POST", "/v2/certificates/"+cert+"/transfers", `{"recipient_email": "buyer@example.com"}`), 409, 0)
	expect("cancel transfer", h.do("DELETE", "/v2/certificates/"+cert+"/transfers/"+as[string](t, tr.item()["transfer_id"]), nil), 204, 1)

	expect("delete user", h.do("DELETE", "/v2/integrations/users/user-0001", nil), 204, 1)
	expect("delete user again", h.do("DELETE", "/v2/integrations/users/user-0001", nil), 404, 0)
	expect("delete webhook", h.do("DELETE", wp, nil), 204, 1)
	expect("delete webhook again", h.do("DELETE", wp, nil), 404, 0)

	// A fault before the request runs changes nothing; one after the commit
	// is a write the client never heard of.
	h.emu.FailNext("POST /v2/webhooks", emulator.Fail500Before)
	expect("500 before commit", h.do("POST", "/v2/webhooks", hook), 500, 0)
	h.emu.FailNext("POST /v2/webhooks", emulator.Fail500After)
	expect("500 after commit", h.do("POST", "/v2/webhooks", hook), 500, 1)

	if _, _, w := h.adminCounters(); w != writes {
		t.Fatalf(`counters "writes" = %d, want %d`, w, writes)
	}
	h.emu.ResetCounts()
	if h.emu.Writes() != 0 {
		t.Fatal("ResetCounts kept the writes")
	}
	req, _ := http.NewRequest("DELETE", h.url+"/_emulator/counters", nil)
	h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0003", "email": "a@example.com"}`)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DELETE /_emulator/counters: %v", err)
	}
	if _, _, w := h.adminCounters(); w != 0 {
		t.Fatalf(`"writes" after DELETE /_emulator/counters: %d`, w)
	}
}
