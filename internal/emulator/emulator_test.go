package emulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

const tok = "emu-test-token"

type harness struct {
	t   *testing.T
	emu *emulator.Server
	url string
}

func start(t *testing.T, opts emulator.Options) *harness {
	t.Helper()
	if opts.Token == "" {
		opts.Token = tok
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return &harness{t: t, emu: emu, url: srv.URL}
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a raw request; headers alternate name, value.
func (h *harness) do(method, path string, body any, headers ...string) answer {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		if s, ok := body.(string); ok {
			b = []byte(s)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url+path, rd)
	req.Header.Set("Authorization", "Token "+tok)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatalf("%s %s: %v", method, path, err)
	}
	raw, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func (a answer) item() map[string]any { m, _ := a.body["item"].(map[string]any); return m }

// as returns v as a T, failing the test when the answer has another shape.
func as[T any](t *testing.T, v any) T {
	t.Helper()
	out, ok := v.(T)
	if !ok {
		t.Fatalf("answer has %T (%v) where %T was expected", v, v, out)
	}
	return out
}

func (h *harness) expectError(a answer, status int, code, field string) {
	h.t.Helper()
	if a.status != status || a.body["code"] != code || a.body["error"] == "" {
		h.t.Fatalf("got %d %s, want %d %s", a.status, a.raw, status, code)
	}
	if field != "" && a.body["field"] != field {
		h.t.Fatalf("field %v, want %s (%s)", a.body["field"], field, a.raw)
	}
}

func TestTokenAndVersionChecks(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	for _, auth := range []string{"", "Token wrong", "Bearer " + tok, tok} {
		a := h.do("GET", "/v1/health", nil, "Authorization", auth, "Api-Version", "1.4")
		h.expectError(a, 401, "unauthorized", "")
	}
	h.expectError(h.do("GET", "/v1/health", nil), 400, "invalid_request", "Api-Version")
	if a := h.do("GET", "/v1/health", nil, "Api-Version", "1.4"); a.status != 200 || a.body["status"] != "ok" {
		t.Fatalf("health: %d %s", a.status, a.raw)
	}
	h.expectError(h.do("GET", "/v2/nothing-here", nil), 404, "not_found", "")
}

func TestBuiltinSeedCoversTheValueListing(t *testing.T) {
	t.Parallel()
	seed := emulator.BuiltinSeed("Acme")
	if len(seed.Authentications) < 60 {
		t.Fatalf("%d items, want at least 60", len(seed.Authentications))
	}
	seen := map[string]map[string]bool{}
	add := func(kind string, v *string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		if v != nil {
			seen[kind][*v] = true
		}
	}
	for _, it := range seed.Authentications {
		add("brand", it.Properties.Brand.ID)
		add("result", it.Status.Result.ID)
		add("reason", it.Status.Result.Reason)
		add("flag", it.Status.Flag)
		add("form_factor", it.Activity.FormFactor)
		add("category", it.Activity.ProductCategory)
		if m := it.Properties.Material; m != nil {
			add("material", m.ID)
		}
		if (it.Certificate != nil) != (val(it.Status.Result.ID) == "authentic") {
			t.Errorf("%s: certificate %v on a %s item", it.EntrupyID, it.Certificate, val(it.Status.Result.ID))
		}
	}
	want := map[string][]string{
		"brand": entrupy.BrandIDs(), "result": entrupy.ResultIDs(), "reason": entrupy.InvalidReasons,
		"flag": entrupy.Flags, "form_factor": entrupy.FormFactors, "category": entrupy.ProductCategories,
	}
	for kind, values := range want {
		for _, v := range values {
			if !seen[kind][v] {
				t.Errorf("built-in seed has no %s %q", kind, v)
			}
		}
	}
	if len(seen["material"]) < 20 {
		t.Errorf("only %d materials in the built-in seed", len(seen["material"]))
	}
	var transferred, pending, hidden int
	for _, c := range seed.Certificates {
		if n := len(c.Transfers); n > 0 && c.Transfers[n-1].Status == entrupy.TransferAccepted {
			transferred++
		} else if n > 0 {
			pending++
		}
		if c.HideCustomerItemID {
			hidden++
		}
	}
	if transferred == 0 || pending == 0 || hidden == 0 {
		t.Errorf("certificates: %d transferred, %d pending, %d hidden; want some of each", transferred, pending, hidden)
	}
}

func TestAuthenticationRoutes(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization)

	it := seed.Authentications[0]
	a := h.do("GET", "/v2/authentications/"+it.EntrupyID, nil)
	if a.status != 200 || a.item()["entrupy_id"] != it.EntrupyID || a.item()["images"] != nil {
		t.Fatalf("get: %d %s", a.status, a.raw)
	}
	a = h.do("GET", "/v2/authentications/"+it.EntrupyID+"?include_images=true", nil)
	if imgs, _ := a.item()["images"].([]any); len(imgs) == 0 {
		t.Fatalf("include_images: %s", a.raw)
	}
	h.expectError(h.do("GET", "/v2/authentications/NOPE", nil), 404, "not_found", "")

	// Japanese display strings.
	a = h.do("GET", "/v2/authentications/"+it.EntrupyID, nil, "Accept-Language", "ja")
	brand := entrupy.Brands[slices.IndexFunc(entrupy.Brands, func(b entrupy.Brand) bool { return b.ID == val(it.Properties.Brand.ID) })]
	if got := as[map[string]any](t, as[map[string]any](t, a.item()["properties"])["brand"])["display"]; got != brand.Ja {
		t.Fatalf("ja brand display %v, want %s", got, brand.Ja)
	}

	// Lookup returns the newest of several items with one customer_item_id.
	byCID := map[string][]entrupy.Item{}
	for _, it := range seed.Authentications {
		if c := it.TextFields.CustomerItemID; c != nil {
			byCID[*c] = append(byCID[*c], it)
		}
	}
	var checked bool
	for cid, items := range byCID {
		if len(items) < 2 {
			continue
		}
		newest := slices.MaxFunc(items, func(a, b entrupy.Item) int { return int(a.Timestamp.Created.Unix() - b.Timestamp.Created.Unix()) })
		a := h.do("GET", "/v2/lookup/authentications/"+cid, nil)
		if a.item()["entrupy_id"] != newest.EntrupyID {
			t.Fatalf("lookup %s gave %v, want newest %s", cid, a.item()["entrupy_id"], newest.EntrupyID)
		}
		checked = true
	}
	if !checked {
		t.Fatal("the seed has no repeated customer_item_id")
	}
	h.expectError(h.do("GET", "/v2/lookup/authentications/NO-SUCH-SKU", nil), 404, "not_found", "")
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization)
	count := func(pred func(entrupy.Item) bool) int {
		n := 0
		for _, it := range seed.Authentications {
			if pred(it) {
				n++
			}
		}
		return n
	}
	user := val(seed.Authentications[0].Owner.Username)
	mid := seed.Authentications[40].Timestamp.Created.Unix()
	cases := []struct {
		name    string
		filters []map[string]any
		want    int
	}{
		{"none", nil, len(seed.Authentications)},
		{"username", []map[string]any{{"key": "owner.user.username", "value": user}}, count(func(i entrupy.Item) bool { return val(i.Owner.Username) == user })},
		{"brands any-of", []map[string]any{{"key": "properties.brand.id", "values": []string{"hermes", "nike"}}}, count(func(i entrupy.Item) bool {
			return val(i.Properties.Brand.ID) == "hermes" || val(i.Properties.Brand.ID) == "nike"
		})},
		{"result", []map[string]any{{"key": "status.result.id", "value": "invalid"}}, count(func(i entrupy.Item) bool { return val(i.Status.Result.ID) == "invalid" })},
		{"flag null", []map[string]any{{"key": "status.flag", "value": nil}}, count(func(i entrupy.Item) bool { return i.Status.Flag == nil })},
		{"flag", []map[string]any{{"key": "status.flag", "value": "flagged"}}, count(func(i entrupy.Item) bool { return i.Status.Flag != nil && *i.Status.Flag == "flagged" })},
		{"category", []map[string]any{{"key": "activity.product_category", "value": "sneakers"}}, count(func(i entrupy.Item) bool {
			return i.Activity.ProductCategory != nil && *i.Activity.ProductCategory == "sneakers"
		})},
		{"form factor", []map[string]any{{"key": "activity.form_factor", "values": []string{"lightbox", "hologram"}}}, count(func(i entrupy.Item) bool { return val(i.Activity.FormFactor) == "lightbox" })},
		{"customer item id", []map[string]any{{"key": "text_fields.customer_item_id", "value": "SKU-01000"}}, count(func(i entrupy.Item) bool {
			return i.TextFields.CustomerItemID != nil && *i.TextFields.CustomerItemID == "SKU-01000"
		})},
		{"time range", []map[string]any{{"key": "timestamp.epoch", "gte": mid}}, count(func(i entrupy.Item) bool { return i.Timestamp.Created.Unix() >= mid })},
		{"combined", []map[string]any{{"key": "timestamp.epoch", "lt": mid}, {"key": "status.result.id", "value": "authentic"}}, count(func(i entrupy.Item) bool {
			return i.Timestamp.Created.Unix() < mid && val(i.Status.Result.ID) == "authentic"
		})},
	}
	for _, tc := range cases {
		a := h.do("POST", "/v2/search/authentications", map[string]any{"limit": 25, "filters": tc.filters})
		if a.status != 200 || int(as[float64](t, a.body["item_count"])) != tc.want || tc.want == 0 {
			t.Errorf("%s: %d item_count %v, want %d (> 0)", tc.name, a.status, a.body["item_count"], tc.want)
		}
	}
	// Errors name the field at fault.
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"filters": []map[string]any{{"key": "owner.email", "value": "x"}}}), 400, "invalid_request", "filters[0].key")
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"limit": 26}), 400, "invalid_request", "limit")
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"limit": 0}), 400, "invalid_request", "limit")
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"cursor": "garbage"}), 400, "invalid_request", "cursor")
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"filters": []map[string]any{{"key": "status.flag", "gte": 1}}}), 400, "invalid_request", "filters[0]")
	h.expectError(h.do("POST", "/v2/search/authentications", map[string]any{"filters": []map[string]any{{"key": "timestamp.epoch", "value": "1"}}}), 400, "invalid_request", "filters[0]")
	h.expectError(h.do("POST", "/v2/search/authentications", "not json"), 400, "invalid_request", "")

	// Default limit 10, and pages chain to the end.
	a := h.do("POST", "/v2/search/authentications", map[string]any{})
	if items := as[[]any](t, a.body["items"]); len(items) != 10 { // [doc] the default limit
		t.Fatalf("default page has %d items", len(items))
	}
	seen, cursor := 0, ""
	for pages := 0; ; pages++ {
		a := h.do("POST", "/v2/search/authentications", map[string]any{"limit": 25, "cursor": cursor})
		seen += len(as[[]any](t, a.body["items"]))
		next, _ := a.body["next_cursor"].(string)
		if next == "" {
			if a.body["next_cursor"] != nil {
				t.Fatal("last page's next_cursor is not null")
			}
			break
		}
		cursor = next
	}
	if seen != len(seed.Authentications) {
		t.Fatalf("walked %d items, want %d", seen, len(seed.Authentications))
	}
}

func TestCertificates(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization)
	var hidden, shown, accepted *emulator.CertificateRecord
	for i := range seed.Certificates {
		c := &seed.Certificates[i]
		switch {
		case len(c.Transfers) > 0 && c.Transfers[0].Status == entrupy.TransferAccepted:
			accepted = c
		case c.HideCustomerItemID && len(c.Transfers) == 0:
			hidden = c
		case len(c.Transfers) == 0:
			shown = c
		}
	}
	a := h.do("GET", "/v2/certificates/"+hidden.CertificateID, nil)
	if a.status != 200 || a.item()["customer_item_id"] != nil || a.item()["transfer"] != nil || a.item()["authenticated_at"] == "" {
		t.Fatalf("hidden certificate: %s", a.raw)
	}
	a = h.do("GET", "/v2/certificates/"+accepted.CertificateID, nil)
	if tr := as[map[string]any](t, a.item()["transfer"]); tr["status"] != "accepted" || as[map[string]any](t, a.item()["holder"])["name"] != accepted.Holder.Name {
		t.Fatalf("transferred certificate: %s", a.raw)
	}
	h.expectError(h.do("GET", "/v2/certificates/C-NOPE", nil), 404, "not_found", "")

	path := "/v2/certificates/" + shown.CertificateID + "/transfers"
	h.expectError(h.do("POST", path, map[string]any{"recipient_email": "not-an-email"}), 400, "invalid_request", "recipient_email")
	a = h.do("POST", path, map[string]any{"recipient_email": "b@example.com", "recipient_name": "B"})
	if a.status != 201 || a.item()["status"] != "pending" {
		t.Fatalf("create transfer: %s", a.raw)
	}
	tid := as[string](t, a.item()["transfer_id"])
	h.expectError(h.do("POST", path, map[string]any{"recipient_email": "c@example.com"}), 409, "conflict", "")
	h.expectError(h.do("DELETE", path+"/tr_nope", nil), 404, "not_found", "")
	if a := h.do("DELETE", path+"/"+tid, nil); a.status != 204 {
		t.Fatalf("cancel: %d %s", a.status, a.raw)
	}
	h.expectError(h.do("DELETE", path+"/"+tid, nil), 409, "conflict", "")

	// A new transfer, accepted by the buyer, moves the holder.
	a = h.do("POST", path, map[string]any{"recipient_email": "d@example.com", "recipient_name": "Dana"})
	if err := h.emu.AcceptTransfer(shown.CertificateID, as[string](t, a.item()["transfer_id"])); err != nil {
		t.Fatal(err)
	}
	a = h.do("GET", "/v2/certificates/"+shown.CertificateID, nil)
	if as[map[string]any](t, a.item()["holder"])["name"] != "Dana" || as[map[string]any](t, a.item()["transfer"])["status"] != "accepted" {
		t.Fatalf("after acceptance: %s", a.raw)
	}
}

func TestUserRoutes(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{map[string]any{"unique_user_id": "short", "email": "a@example.com"}, "unique_user_id"},
		{map[string]any{"unique_user_id": strings.Repeat("x", 41), "email": "a@example.com"}, "unique_user_id"},
		{map[string]any{"unique_user_id": "has space1", "email": "a@example.com"}, "unique_user_id"},
		{map[string]any{"unique_user_id": "user-0001", "email": "nope"}, "email"},
	} {
		h.expectError(h.do("POST", "/v2/integrations/users", tc.body), 400, "invalid_request", tc.field)
	}
	a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com", "first_name": "Ada", "last_name": "L"})
	if a.status != 201 || a.item()["username"] != "Acme-user-0001" {
		t.Fatalf("create: %s", a.raw)
	}
	h.expectError(h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com"}), 409, "conflict", "unique_user_id")
	h.expectError(h.do("PATCH", "/v2/integrations/users/user-0001", map[string]any{"first_name": "Bob"}), 422, "immutable_field", "first_name")
	h.expectError(h.do("PATCH", "/v2/integrations/users/user-0001", map[string]any{"last_name": "M"}), 422, "immutable_field", "last_name")
	h.expectError(h.do("PATCH", "/v2/integrations/users/user-0001", map[string]any{"email": "bad"}), 400, "invalid_request", "email")
	if a := h.do("PATCH", "/v2/integrations/users/user-0001", map[string]any{"email": "z@example.com", "first_name": "Ada"}); a.item()["email"] != "z@example.com" {
		t.Fatalf("patch: %s", a.raw)
	}
	// authorize-user: documented fields, the first call creates.
	h.expectError(h.do("POST", "/v2/integrations/authorize-user", map[string]any{"unique_user_id": "user-0002", "email": "b@example.com"}), 400, "invalid_request", "sdk_authorization_request")
	a = h.do("POST", "/v2/integrations/authorize-user", map[string]any{"sdk_authorization_request": "r", "unique_user_id": "user-0002", "email": "b@example.com", "first_name": "Bo"})
	if a.status != 200 || a.body["username"] != "Acme-user-0002" || a.body["signed_authorization_request"] == "" {
		t.Fatalf("authorize: %s", a.raw)
	}
	a = h.do("POST", "/v2/integrations/authorize-user", map[string]any{"sdk_authorization_request": "r2", "unique_user_id": "user-0002", "email": "b@example.com", "first_name": "Changed"})
	if u := h.do("GET", "/v2/integrations/users/user-0002", nil); u.item()["first_name"] != "Bo" {
		t.Fatalf("names must be set permanently by the first call: %s", u.raw)
	}
	// Deactivation: gone from reads, the id cannot come back.
	if a := h.do("DELETE", "/v2/integrations/users/user-0001", nil); a.status != 204 {
		t.Fatalf("delete: %d", a.status)
	}
	h.expectError(h.do("GET", "/v2/integrations/users/user-0001", nil), 404, "not_found", "")
	h.expectError(h.do("DELETE", "/v2/integrations/users/user-0001", nil), 404, "not_found", "")
	h.expectError(h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com"}), 409, "conflict", "unique_user_id")
	h.expectError(h.do("POST", "/v2/integrations/authorize-user", map[string]any{"sdk_authorization_request": "r", "unique_user_id": "user-0001", "email": "a@example.com"}), 409, "conflict", "unique_user_id")
	if a := h.do("GET", "/v2/integrations/users", nil); len(as[[]any](t, a.body["items"])) != 1 {
		t.Fatalf("list: %s", a.raw)
	}
	h.expectError(h.do("GET", "/v2/integrations/users?cursor=bad", nil), 400, "invalid_request", "cursor")
}

func TestWebhookRoutes(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	ok := map[string]any{"url": "https://h.example.com/x", "secret_key": "s", "events": []string{"session.completed"}}
	with := func(k string, v any) map[string]any {
		m := map[string]any{}
		for kk, vv := range ok {
			m[kk] = vv
		}
		m[k] = v
		return m
	}
	for _, tc := range []struct {
		body  map[string]any
		field string
	}{
		{with("url", "http://example.com/x"), "url"},
		{with("url", "ftp://example.com"), "url"},
		{with("url", "not a url"), "url"},
		{with("secret_key", ""), "secret_key"},
		{with("events", []string{}), "events"},
		{with("events", []string{"session.started"}), "events"},
		{with("username", "Acme-nobody-here"), "username"},
	} {
		h.expectError(h.do("POST", "/v2/webhooks", tc.body), 400, "invalid_request", tc.field)
	}
	a := h.do("POST", "/v2/webhooks", with("url", "http://127.0.0.1:9/hook"), "Api-Version", "1.4")
	if a.status != 201 || a.item()["api_version"] != "1.4" || a.item()["enabled"] != true || a.item()["secret_key"] != nil {
		t.Fatalf("create: %s", a.raw)
	}
	id := as[string](t, a.item()["id"])
	if a := h.do("POST", "/v2/webhooks", ok); a.item()["api_version"] != "2" {
		t.Fatalf("default api_version: %s", a.raw)
	}
	p := "/v2/webhooks/" + id
	h.expectError(h.do("PATCH", p, map[string]any{"username": "Acme-x"}), 422, "immutable_field", "username")
	h.expectError(h.do("PATCH", p, map[string]any{"api_version": "2"}), 422, "immutable_field", "api_version")
	h.expectError(h.do("PATCH", p, map[string]any{"events": []string{}}), 400, "invalid_request", "events")
	h.expectError(h.do("PATCH", p, map[string]any{"url": "http://example.com"}), 400, "invalid_request", "url")
	a = h.do("PATCH", p, map[string]any{"enabled": false, "description": "d", "secret_key": "rotated", "api_version": "1.4"})
	if a.status != 200 || a.item()["enabled"] != false || a.item()["description"] != "d" {
		t.Fatalf("patch: %s", a.raw)
	}
	if s, _ := h.emu.WebhookSecret(id); s != "rotated" {
		t.Fatalf("secret not rotated: %q", s)
	}
	if a := h.do("GET", "/v2/webhooks", nil); len(as[[]any](t, a.body["items"])) != 2 || a.body["next_cursor"] != nil {
		t.Fatalf("list: %s", a.raw)
	}
	if a := h.do("DELETE", p, nil); a.status != 204 {
		t.Fatalf("delete: %d", a.status)
	}
	h.expectError(h.do("GET", p, nil), 404, "not_found", "")
	h.expectError(h.do("PATCH", p, map[string]any{"enabled": true}), 404, "not_found", "")
}

func TestIdempotencyKey(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	body := map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}}
	first := h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k1")
	again := h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k1")
	if first.status != 201 || again.status != 201 || first.raw != again.raw || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s / %d %s", first.status, first.raw, again.status, again.raw)
	}
	if n := len(h.emu.Inventory().Webhooks); n != 1 {
		t.Fatalf("%d webhooks after a replay, want 1", n)
	}
	other := map[string]any{"url": "https://other.example.com", "secret_key": "s", "events": []string{"support.message"}}
	h.expectError(h.do("POST", "/v2/webhooks", other, "Idempotency-Key", "k1"), 409, "conflict", "Idempotency-Key")
	// Another key creates again.
	h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k2")
	if n := len(h.emu.Inventory().Webhooks); n != 2 {
		t.Fatalf("%d webhooks, want 2", n)
	}
}

// TestIdempotencyKeyExpires: after 24 hours a key is forgotten and the same
// request creates again.
func TestIdempotencyKeyExpires(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	h := start(t, emulator.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }})
	body := map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}}
	h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k1")
	mu.Lock()
	now = now.Add(23 * time.Hour)
	mu.Unlock()
	if a := h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k1"); a.header.Get("Idempotent-Replayed") != "true" {
		t.Fatal("a key was forgotten within 24 hours")
	}
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	if a := h.do("POST", "/v2/webhooks", body, "Idempotency-Key", "k1"); a.status != 201 || a.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("an expired key was replayed: %d %v", a.status, a.header)
	}
	if n := len(h.emu.Inventory().Webhooks); n != 2 {
		t.Fatalf("%d webhooks, want 2", n)
	}
}

func TestRateLimitAndCounters(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{RateLimit: 2, RateBurst: 2})
	var limited answer
	for range 4 {
		if a := h.do("GET", "/v2/webhooks", nil); a.status == 429 {
			limited = a
		}
	}
	h.expectError(limited, 429, "rate_limited", "")
	if ra := limited.header.Get("Retry-After"); ra != "1" {
		t.Fatalf("Retry-After %q, want 1", ra)
	}
	if n := h.emu.Count("GET /v2/webhooks"); n != 4 {
		t.Fatalf("counter %d, want 4", n)
	}
	if st := h.emu.Statuses(); st[200] != 2 || st[429] != 2 {
		t.Fatalf("statuses %v", st)
	}
	// Admin routes need no token.
	if requests, _, _ := h.adminCounters(); requests["GET /v2/webhooks"] != 4 {
		t.Fatalf("admin counters %v", requests)
	}
	req, _ := http.NewRequest("DELETE", h.url+"/_emulator/counters", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 204 {
		t.Fatalf("reset counters: %v", err)
	}
	if n := h.emu.Count("GET /v2/webhooks"); n != 0 {
		t.Fatalf("counter after reset %d", n)
	}
	resp, _ := http.Get(h.url + "/_emulator/inventory")
	var inv emulator.Inventory
	_ = json.NewDecoder(resp.Body).Decode(&inv)
	_ = resp.Body.Close()
	if inv.Authentications != emulator.BuiltinItems || inv.Certificates == 0 {
		t.Fatalf("admin inventory %+v", inv)
	}
	// It lists IDs to try: every authentication, newest first, with its
	// customer_item_id and certificate, and every certificate ID.
	if len(inv.Items) != emulator.BuiltinItems || len(inv.CertificateIDs) != inv.Certificates {
		t.Fatalf("inventory lists %d items and %d certificate IDs; want %d and %d", len(inv.Items), len(inv.CertificateIDs), emulator.BuiltinItems, inv.Certificates)
	}
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications // oldest first
	if newest := seed[len(seed)-1].EntrupyID; inv.Items[0].EntrupyID != newest {
		t.Fatalf("the first item listed is %+v, not the newest authentication %s", inv.Items[0], newest)
	}
	withCert := 0
	for _, it := range inv.Items {
		if it.CertificateID == "" {
			continue
		}
		withCert++
		if !slices.Contains(inv.CertificateIDs, it.CertificateID) {
			t.Errorf("item %s's certificate %s is not in certificate_ids", it.EntrupyID, it.CertificateID)
		}
		if it.Result != "authentic" || !it.Final {
			t.Errorf("item %s has a certificate with result %q (final %v)", it.EntrupyID, it.Result, it.Final)
		}
	}
	if withCert == 0 || inv.Items[len(inv.Items)-1].CustomerItemID != "SKU-01000" {
		t.Errorf("items %+v", inv.Items)
	}
}

// TestRateLimitHeaders: with RateLimitHeaders every answer under the limit
// says how much of it is left, 429s included, in the form asked for; without
// it, none does.
func TestRateLimitHeaders(t *testing.T) {
	t.Parallel()
	remaining := func(a answer, form string) string {
		if form == emulator.RateLimitHeadersX {
			return a.header.Get("X-RateLimit-Remaining")
		}
		return a.header.Get("RateLimit")
	}
	for _, tc := range []struct {
		form       string
		want       []string // after each of 4 requests at once
		policy     string
		limitField string
	}{
		{form: emulator.RateLimitHeadersIETF, want: []string{`"default";r=2;t=1`, `"default";r=1;t=1`, `"default";r=0;t=1`, `"default";r=0;t=1`}, policy: `"default";q=3;w=1`},
		{form: emulator.RateLimitHeadersX, want: []string{"2", "1", "0", "0"}, limitField: "3"},
	} {
		h := start(t, emulator.Options{RateLimit: 3, RateBurst: 3, RateLimitHeaders: tc.form})
		for i, want := range tc.want {
			a := h.do("GET", "/v2/webhooks", nil)
			if wantStatus := map[bool]int{true: 429, false: 200}[i == 3]; a.status != wantStatus {
				t.Fatalf("%s: request %d answered %d, want %d", tc.form, i, a.status, wantStatus)
			}
			// A request may come a moment after a token freed.
			if got := remaining(a, tc.form); got != want && (i == 0 || got != tc.want[i-1]) {
				t.Fatalf("%s: request %d says %q left, want %q", tc.form, i, got, want)
			}
			if tc.policy != "" && a.header.Get("RateLimit-Policy") != tc.policy {
				t.Fatalf("RateLimit-Policy %q, want %q", a.header.Get("RateLimit-Policy"), tc.policy)
			}
			if tc.limitField != "" {
				if a.header.Get("X-RateLimit-Limit") != tc.limitField {
					t.Fatalf("X-RateLimit-Limit %q, want %q", a.header.Get("X-RateLimit-Limit"), tc.limitField)
				}
				reset, err := strconv.ParseInt(a.header.Get("X-RateLimit-Reset"), 10, 64)
				if now := time.Now().Unix(); err != nil || reset < now || reset > now+2 {
					t.Fatalf("X-RateLimit-Reset %q, want a Unix time within 2 s", a.header.Get("X-RateLimit-Reset"))
				}
			}
		}
	}
	h := start(t, emulator.Options{RateLimit: 3, RateBurst: 3})
	if a := h.do("GET", "/v2/webhooks", nil); a.header.Get("RateLimit") != "" || a.header.Get("X-RateLimit-Remaining") != "" {
		t.Fatalf("rate-limit headers sent without being asked for: %v", a.header)
	}
	if _, err := emulator.New(emulator.Options{RateLimitHeaders: "draft-01"}); err == nil {
		t.Fatal("an unknown form of rate-limit headers was accepted")
	}
}

// TestFaultsAreReproducible: the same FaultSeed draws the same faults, and
// both before- and after-commit faults occur.
func TestFaultsAreReproducible(t *testing.T) {
	t.Parallel()
	run := func() (string, int) {
		h := start(t, emulator.Options{FaultRate5xx: 0.3, FaultSeed: 42})
		var statuses []string
		for i := range 40 {
			a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": fmt.Sprintf("user-%04d", i), "email": "a@example.com"})
			statuses = append(statuses, fmt.Sprint(a.status))
		}
		return strings.Join(statuses, ","), len(h.emu.Inventory().Users)
	}
	a, usersA := run()
	b, usersB := run()
	if a != b || usersA != usersB {
		t.Fatalf("same seed, different faults:\n%s\n%s", a, b)
	}
	failed := strings.Count(a, "500")
	// Users created = successes + 500s injected after the commit.
	if failed == 0 || usersA <= 40-failed || usersA == 40 {
		t.Fatalf("%d failures, %d users: want both before- and after-commit faults", failed, usersA)
	}
}

func TestStateFilePersists(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	h := start(t, emulator.Options{StateFile: path})
	a := h.do("POST", "/v2/webhooks", map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}})
	h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com"})
	h.do("DELETE", "/v2/integrations/users/user-0001", nil)
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	h2 := start(t, emulator.Options{StateFile: path})
	if got := h2.do("GET", "/v2/webhooks/"+as[string](t, a.item()["id"]), nil); got.status != 200 {
		t.Fatalf("webhook lost across restarts: %s", got.raw)
	}
	h2.expectError(h2.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com"}), 409, "conflict", "unique_user_id")
	if inv := h2.emu.Inventory(); inv.Authentications != emulator.BuiltinItems {
		t.Fatalf("items lost across restarts: %+v", inv)
	}
	if s, _ := h2.emu.WebhookSecret(as[string](t, a.item()["id"])); s != "s" {
		t.Fatal("secret lost across restarts")
	}
}

func TestSeedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seed := emulator.GenerateSeed(5, 3, "Shop")
	b, _ := json.Marshal(seed)
	path := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := emulator.LoadSeedFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h := start(t, emulator.Options{Seed: loaded, Organization: "Shop"})
	if inv := h.emu.Inventory(); inv.Authentications != 5 {
		t.Fatalf("inventory %+v", inv)
	}
	if _, err := emulator.New(emulator.Options{Seed: &emulator.Seed{Authentications: []entrupy.Item{{}}}}); err == nil {
		t.Fatal("an item without entrupy_id was accepted")
	}
	if _, err := emulator.New(emulator.Options{FaultRate5xx: 2}); err == nil {
		t.Fatal("a fault rate of 2 was accepted")
	}
}

// val is *p, or "" for nil: the value of a member of an item as the client
// reads it.
func val(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
