package entrupy_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// TestVerifySignatureVector checks against an HMAC computed here by hand,
// so the scheme is pinned independently of SignPayload.
func TestVerifySignatureVector(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"evt_1","type":"support.message"}`)
	now := time.Now()
	ts := now.Unix()
	mac := hmac.New(sha256.New, []byte("whsec"))
	mac.Write([]byte(itoa(ts) + "." + string(body)))
	header := "t=" + itoa(ts) + ",v1=" + hex.EncodeToString(mac.Sum(nil))

	if err := entrupy.VerifySignature("whsec", header, body, 5*time.Minute); err != nil {
		t.Fatalf("hand-made signature rejected: %v", err)
	}
	if got := entrupy.SignPayload("whsec", time.Unix(ts, 0), body); got != header {
		t.Fatalf("SignPayload = %q, want %q", got, header)
	}
	for name, tc := range map[string]struct {
		secret, header string
		body           []byte
		tolerance      time.Duration
	}{
		"wrong secret":    {"other", header, body, 0},
		"tampered body":   {"whsec", header, []byte(`{"id":"evt_1","type":"session.completed"}`), 0},
		"no v1":           {"whsec", "t=" + itoa(ts), body, 0},
		"no timestamp":    {"whsec", "v1=abc", body, 0},
		"bad timestamp":   {"whsec", "t=soon,v1=abc", body, 0},
		"too old":         {"whsec", entrupy.SignPayload("whsec", now.Add(-time.Hour), body), body, 5 * time.Minute},
		"from the future": {"whsec", entrupy.SignPayload("whsec", now.Add(time.Hour), body), body, 5 * time.Minute},
		"empty secret":    {"", header, body, 0},
		"garbage":         {"whsec", "%%%", body, 0},
	} {
		if err := entrupy.VerifySignature(tc.secret, tc.header, tc.body, tc.tolerance); !errors.Is(err, entrupy.ErrSignature) {
			t.Errorf("%s: got %v, want ErrSignature", name, err)
		}
	}
	// During a rotation several v1 entries may be sent; one match is enough.
	rotated := header + ",v1=" + "00" + header[len(header)-62:]
	if err := entrupy.VerifySignature("whsec", rotated, body, 0); err != nil {
		t.Fatalf("two v1 entries: %v", err)
	}
	// Tolerance 0 accepts an old timestamp (replay check off).
	if err := entrupy.VerifySignature("whsec", entrupy.SignPayload("whsec", now.Add(-48*time.Hour), body), body, 0); err != nil {
		t.Fatal(err)
	}
}

// TestVerifySignaturePlain: the published minimum, the hex HMAC-SHA256 of
// the raw body alone, computed here by hand, verifies in either case and
// with a replay window (it has no time to check); a wrong secret, another
// body, a truncated or non-hex value do not.
func TestVerifySignaturePlain(t *testing.T) {
	t.Parallel()
	body := []byte(`{"entrupy_id":"1SALEFYH"}`)
	mac := hmac.New(sha256.New, []byte("whsec"))
	mac.Write(body)
	plain := hex.EncodeToString(mac.Sum(nil))
	if got := entrupy.SignPayloadPlain("whsec", body); got != plain {
		t.Fatalf("SignPayloadPlain = %q, want %q", got, plain)
	}
	for _, header := range []string{plain, strings.ToUpper(plain), " " + plain + " "} {
		if err := entrupy.VerifySignature("whsec", header, body, 5*time.Minute); err != nil {
			t.Errorf("plain header %q rejected: %v", header, err)
		}
	}
	for name, tc := range map[string]struct {
		secret, header string
		body           []byte
	}{
		"wrong secret":     {"other", plain, body},
		"another body":     {"whsec", plain, []byte(`{"entrupy_id":"2SALEFYH"}`)},
		"truncated":        {"whsec", plain[:63], body},
		"not hex":          {"whsec", strings.Repeat("z", 64), body},
		"as a v1 entry":    {"whsec", "v1=" + plain, body},
		"empty secret":     {"", entrupy.SignPayloadPlain("", body), body},
		"timestamped body": {"whsec", entrupy.SignPayloadPlain("whsec", []byte("1777629600."+string(body))), body},
	} {
		if err := entrupy.VerifySignature(tc.secret, tc.header, tc.body, 0); !errors.Is(err, entrupy.ErrSignature) {
			t.Errorf("%s: got %v, want ErrSignature", name, err)
		}
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

type received struct {
	body   []byte
	header string
}

// receiver is an httptest webhook endpoint; it fails the first `fail` posts.
type receiver struct {
	mu   sync.Mutex
	got  []received
	fail int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, received{b, req.Header.Get(entrupy.HeaderSignature)})
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (r *receiver) wait(t *testing.T, n int) []received {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		if len(r.got) >= n {
			out := append([]received(nil), r.got...)
			r.mu.Unlock()
			return out
		}
		r.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("receiver did not get %d deliveries", n)
	return nil
}

// TestDeliveriesVerify: the emulator's signed deliveries verify with
// VerifySignature, a tampered body does not, a failing receiver is
// retried, and a rotated secret signs the next delivery.
func TestDeliveriesVerify(t *testing.T) {
	t.Parallel()
	rcv := &receiver{fail: 2}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	f, c := newFixture(t, emulator.Options{DeliveryBackoff: 5 * time.Millisecond})
	defer f.emu.Close()
	ctx := context.Background()

	wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: hook.URL + "/entrupy", SecretKey: "first-secret", Events: []string{entrupy.EventSupportMessage, entrupy.EventSessionCompleted}})
	if err != nil {
		t.Fatal(err)
	}
	// Another webhook that must not receive these events.
	if _, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: hook.URL + "/transfers", SecretKey: "x", Events: []string{entrupy.EventCertificateTransfer}}); err != nil {
		t.Fatal(err)
	}
	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	if err := f.emu.SupportMessage(item.EntrupyID, "We looked at it again."); err != nil {
		t.Fatal(err)
	}
	got := rcv.wait(t, 3) // two failures, then success
	for _, r := range got {
		if err := entrupy.VerifySignature("first-secret", r.header, r.body, time.Minute); err != nil {
			t.Fatalf("delivery does not verify: %v", err)
		}
	}
	var ev entrupy.Event
	if err := json.Unmarshal(got[2].body, &ev); err != nil || ev.Type != entrupy.EventSupportMessage || ev.Data["item"] == nil {
		t.Fatalf("event %+v %v", ev, err)
	}
	tampered := append([]byte(nil), got[2].body...)
	tampered[len(tampered)-2] ^= 1
	if err := entrupy.VerifySignature("first-secret", got[2].header, tampered, time.Minute); !errors.Is(err, entrupy.ErrSignature) {
		t.Fatalf("tampered body verified: %v", err)
	}
	log := f.emu.Deliveries()
	if len(log) != 3 || log[0].Status != 503 || log[2].Status != 204 || log[2].Attempt != 3 || log[0].WebhookID != wh.ID {
		t.Fatalf("delivery log %+v", log)
	}

	// Rotate the secret: the next delivery is signed with the new one.
	secret := "second-secret"
	if _, err := c.Webhooks.Update(ctx, wh.ID, entrupy.UpdateWebhookRequest{SecretKey: &secret}); err != nil {
		t.Fatal(err)
	}
	if err := f.emu.SupportMessage(item.EntrupyID, "again"); err != nil {
		t.Fatal(err)
	}
	last := rcv.wait(t, 4)[3]
	if err := entrupy.VerifySignature("second-secret", last.header, last.body, time.Minute); err != nil {
		t.Fatalf("rotated secret not used: %v", err)
	}
	if err := entrupy.VerifySignature("first-secret", last.header, last.body, time.Minute); err == nil {
		t.Fatal("old secret still verifies after rotation")
	}
}

// TestDeliveriesVerifyPlain: an emulator signing in the plain form (the
// hex HMAC-SHA256 of the body, all Entrupy publishes) sends deliveries
// that VerifySignature accepts with a replay window, and not with another
// secret or body; an unknown signing mode is refused.
func TestDeliveriesVerifyPlain(t *testing.T) {
	t.Parallel()
	rcv := &receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	f, c := newFixture(t, emulator.Options{SignatureMode: emulator.SignPlain, DeliveryBackoff: 5 * time.Millisecond})
	defer f.emu.Close()
	ctx := context.Background()
	if _, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: hook.URL, SecretKey: "plain-secret", Events: []string{entrupy.EventSupportMessage}}); err != nil {
		t.Fatal(err)
	}
	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	if err := f.emu.SupportMessage(item.EntrupyID, "plain"); err != nil {
		t.Fatal(err)
	}
	got := rcv.wait(t, 1)[0]
	if got.header != entrupy.SignPayloadPlain("plain-secret", got.body) {
		t.Fatalf("header %q is not the plain signature of the body", got.header)
	}
	if err := entrupy.VerifySignature("plain-secret", got.header, got.body, time.Minute); err != nil {
		t.Fatalf("a plain delivery does not verify: %v", err)
	}
	if err := entrupy.VerifySignature("other", got.header, got.body, time.Minute); !errors.Is(err, entrupy.ErrSignature) {
		t.Fatalf("another secret verified: %v", err)
	}
	if err := entrupy.VerifySignature("plain-secret", got.header, append([]byte(" "), got.body...), time.Minute); !errors.Is(err, entrupy.ErrSignature) {
		t.Fatalf("another body verified: %v", err)
	}
	if _, err := emulator.New(emulator.Options{SignatureMode: "v2"}); err == nil {
		t.Fatal("an unknown signature mode was accepted")
	}
}

// TestDeliveryScoping: disabled webhooks and webhooks scoped to another
// user receive nothing; session.completed fires when a result becomes final.
func TestDeliveryScoping(t *testing.T) {
	t.Parallel()
	rcv := &receiver{}
	hook := httptest.NewServer(rcv)
	defer hook.Close()
	f, c := newFixture(t, emulator.Options{DeliveryBackoff: 5 * time.Millisecond})
	defer f.emu.Close()
	ctx := context.Background()
	if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "someone-else", Email: "s@example.com"}); err != nil {
		t.Fatal(err)
	}
	off := false
	for _, req := range []entrupy.CreateWebhookRequest{
		{URL: hook.URL + "/disabled", SecretKey: "s", Events: []string{entrupy.EventSessionCompleted}, Enabled: &off},
		{URL: hook.URL + "/other-user", SecretKey: "s", Events: []string{entrupy.EventSessionCompleted}, Username: "Acme-someone-else"},
		{URL: hook.URL + "/org", SecretKey: "s", Events: []string{entrupy.EventSessionCompleted}},
	} {
		if _, err := c.Webhooks.Create(ctx, req); err != nil {
			t.Fatal(err)
		}
	}
	var pending string
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if !*it.Status.Result.Final {
			pending = it.EntrupyID
		}
	}
	if err := f.emu.CompleteAuthentication(pending, "authentic"); err != nil {
		t.Fatal(err)
	}
	rcv.wait(t, 1)
	time.Sleep(50 * time.Millisecond) // room for a wrong extra delivery to show
	if log := f.emu.Deliveries(); len(log) != 1 || log[0].URL != hook.URL+"/org" || log[0].Type != entrupy.EventSessionCompleted {
		t.Fatalf("deliveries %+v", log)
	}
	it, err := c.Authentications.Get(ctx, pending, nil)
	if err != nil || !*it.Status.Result.Final || it.Certificate == nil {
		t.Fatalf("completed item %+v %v", it, err)
	}
	if _, err := c.Certificates.Get(ctx, wireDeref(it.Certificate.CertificateID)); err != nil {
		t.Fatalf("certificate of a completed item: %v", err)
	}
	if err := f.emu.CompleteAuthentication(pending, "authentic"); err == nil {
		t.Fatal("completing a final item twice was accepted")
	}
}
