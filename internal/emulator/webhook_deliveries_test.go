package emulator_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// verifyingReceiver is a webhook receiver on 127.0.0.1 that checks
// Entrupy-Signature with secret, answers each verified delivery with the
// next of statuses (the last one repeating) and an unverified one with
// 401, and keeps the verified bodies.
type verifyingReceiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	bodies   []map[string]any
	rejected int
}

func newVerifyingReceiver(t *testing.T, secret string, statuses ...int) *verifyingReceiver {
	t.Helper()
	r := &verifyingReceiver{statuses: statuses}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		if entrupy.VerifySignature(secret, req.Header.Get(entrupy.HeaderSignature), b, time.Minute) != nil {
			r.rejected++
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var ev map[string]any
		_ = json.Unmarshal(b, &ev)
		r.bodies = append(r.bodies, ev)
		w.WriteHeader(r.statuses[min(len(r.bodies), len(r.statuses))-1])
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *verifyingReceiver) received() ([]map[string]any, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]map[string]any(nil), r.bodies...), r.rejected
}

// TestDeliveryHistoryRecordsRetries: a real event that the receiver first
// answers 500 is retried, and each attempt is in the history, newest
// first, with its attempt number, status, the receiver's code and a
// duration; a test delivery sits beside them, marked test.
func TestDeliveryHistoryRecordsRetries(t *testing.T) {
	t.Parallel()
	const secret = "history-secret"
	rcv := newVerifyingReceiver(t, secret, 500, 200)
	h := start(t, emulator.Options{DeliveryBackoff: 10 * time.Millisecond, DeliveryAttempts: 3})
	a := h.do("POST", "/v2/webhooks", map[string]any{"url": rcv.URL + "/hook", "secret_key": secret, "events": []string{"support.message"}})
	id := as[string](t, a.item()["id"])
	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	if err := h.emu.SupportMessage(item.EntrupyID, "hello"); err != nil {
		t.Fatal(err)
	}
	var items []any
	settled := func() bool { return len(items) == 2 && as[map[string]any](t, items[0])["status"] != "pending" }
	for deadline := time.Now().Add(10 * time.Second); !settled(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("history %v, want two attempts", items)
		}
		items = as[[]any](t, h.do("GET", "/v2/webhooks/"+id+"/deliveries", nil).body["items"])
	}
	newest, oldest := as[map[string]any](t, items[0]), as[map[string]any](t, items[1])
	for _, c := range []struct {
		d       map[string]any
		attempt float64
		status  string
		code    float64
	}{{newest, 2, "succeeded", 200}, {oldest, 1, "failed", 500}} {
		if c.d["attempt"] != c.attempt || c.d["status"] != c.status || c.d["response_status"] != c.code ||
			c.d["test"] != false || c.d["error"] != nil || c.d["event_type"] != "support.message" || c.d["duration_ms"] == nil {
			t.Errorf("attempt %v: %v, want %s with %v", c.attempt, c.d, c.status, c.code)
		}
	}
	if newest["event_id"] != oldest["event_id"] || newest["id"] == oldest["id"] {
		t.Errorf("two attempts of one event: %v and %v", newest, oldest)
	}
	a = h.do("POST", "/v2/webhooks/"+id+"/test", map[string]any{})
	if a.status != 200 || a.item()["status"] != "succeeded" || a.item()["test"] != true {
		t.Fatalf("test delivery: %s", a.raw)
	}
	items = as[[]any](t, h.do("GET", "/v2/webhooks/"+id+"/deliveries", nil).body["items"])
	if len(items) != 3 || as[map[string]any](t, items[0])["id"] != a.item()["id"] {
		t.Fatalf("history after a test: %v, want the test first", items)
	}
	bodies, rejected := rcv.received()
	if len(bodies) != 3 || rejected != 0 || bodies[2]["test"] != true || bodies[0]["test"] != nil {
		t.Errorf("the receiver verified %v (rejected %d), want two real attempts then a test", bodies, rejected)
	}
	// The admin log shows every attempt too, the test marked.
	if log := h.emu.Deliveries(); len(log) != 3 || !log[2].Test || log[0].Test {
		t.Errorf("delivery log %+v", log)
	}
	// Reset clears the history with the log.
	h.emu.Reset()
	if a := h.do("GET", "/v2/webhooks/"+id+"/deliveries", nil); a.status != 404 {
		t.Errorf("after Reset the webhook is gone: %s", a.raw)
	}
}

// TestTestDeliveryWaitsForTheReceiver: the test route answers once the
// receiver did, and while it waits the emulator goes on serving (the
// lock is not held); a receiver slower than the limit makes a failed
// delivery after it.
func TestTestDeliveryWaitsForTheReceiver(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(rcv.Close)
	h := start(t, emulator.Options{})
	a := h.do("POST", "/v2/webhooks", map[string]any{"url": rcv.URL, "secret_key": "s", "events": []string{"session.completed"}})
	id := as[string](t, a.item()["id"])
	done := make(chan answer)
	go func() { done <- h.do("POST", "/v2/webhooks/"+id+"/test", nil) }()
	// While the receiver holds the delivery, the history shows it pending.
	var pending map[string]any
	for deadline := time.Now().Add(5 * time.Second); pending == nil; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the test delivery never showed as pending")
		}
		if items := as[[]any](t, h.do("GET", "/v2/webhooks/"+id+"/deliveries", nil).body["items"]); len(items) == 1 {
			pending = as[map[string]any](t, items[0])
		}
	}
	if pending["status"] != "pending" || pending["response_status"] != nil || pending["duration_ms"] != nil {
		t.Errorf("in flight: %v", pending)
	}
	close(release)
	a = <-done
	if a.status != 200 || a.item()["status"] != "succeeded" || a.item()["response_status"] != 202.0 || a.item()["id"] != pending["id"] {
		t.Fatalf("test delivery: %s", a.raw)
	}
}
