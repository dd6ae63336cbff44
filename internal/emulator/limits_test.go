package emulator_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// metadataJSON is the answer's metadata as compact JSON, failing the test
// when the key is missing or null.
func metadataJSON(t *testing.T, obj map[string]any) string {
	t.Helper()
	m, ok := obj["metadata"]
	if !ok || m == nil {
		t.Fatalf("metadata missing or null in %v", obj)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func (h *harness) expectMetadata(a answer, want string) {
	h.t.Helper()
	if a.status >= 300 {
		h.t.Fatalf("%d %s", a.status, a.raw)
	}
	if got := metadataJSON(h.t, a.item()); got != want {
		h.t.Fatalf("metadata %s, want %s (%s)", got, want, a.raw)
	}
}

// manyKeys makes n metadata keys k00, k01, ...
func manyKeys(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m[fmt.Sprintf("k%02d", i)] = "v"
	}
	return m
}

func TestWebhookMetadata(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	// Without metadata: {} in every answer, never null or absent.
	a := h.do("POST", "/v2/webhooks", `{"url": "https://h.example.com/a", "secret_key": "s", "events": ["support.message"]}`)
	if a.status != 201 || !strings.Contains(a.raw, `"metadata":{}`) {
		t.Fatalf("create without metadata: %d %s", a.status, a.raw)
	}
	bare := "/v2/webhooks/" + as[string](t, a.item()["id"])
	if g := h.do("GET", bare, nil); !strings.Contains(g.raw, `"metadata":{}`) {
		t.Fatalf("get: %s", g.raw)
	}
	// On create, a "" value is not stored.
	a = h.do("POST", "/v2/webhooks", `{"url": "https://h.example.com/b", "secret_key": "s", "events": ["support.message"],
		"metadata": {"team": "payments", "terraform_create": "pending", "dropped": ""}}`)
	h.expectMetadata(a, `{"team":"payments","terraform_create":"pending"}`)
	p := "/v2/webhooks/" + as[string](t, a.item()["id"])
	h.expectMetadata(h.do("GET", p, nil), `{"team":"payments","terraform_create":"pending"}`)

	// PATCH merges: set, remove with "", keep the rest.
	h.expectMetadata(h.do("PATCH", p, `{"metadata": {"terraform_create": "done", "team": "", "owner": "ops"}}`), `{"owner":"ops","terraform_create":"done"}`)
	// A PATCH without metadata keeps it; so does "metadata": null or {}.
	h.expectMetadata(h.do("PATCH", p, `{"enabled": false}`), `{"owner":"ops","terraform_create":"done"}`)
	h.expectMetadata(h.do("PATCH", p, `{"metadata": null}`), `{"owner":"ops","terraform_create":"done"}`)
	h.expectMetadata(h.do("PATCH", p, `{"metadata": {}}`), `{"owner":"ops","terraform_create":"done"}`)
	// Removing a key that is not there is no error.
	h.expectMetadata(h.do("PATCH", p, `{"metadata": {"never_set": ""}}`), `{"owner":"ops","terraform_create":"done"}`)

	// List answers carry metadata on every item.
	l := h.do("GET", "/v2/webhooks", nil)
	for _, it := range as[[]any](t, l.body["items"]) {
		metadataJSON(t, as[map[string]any](t, it))
	}
	if !strings.Contains(l.raw, `"metadata":{}`) || !strings.Contains(l.raw, `"metadata":{"owner":"ops","terraform_create":"done"}`) {
		t.Fatalf("list: %s", l.raw)
	}

	// A rejected PATCH changes nothing, not even its valid parts.
	h.expectError(h.do("PATCH", p, `{"enabled": true, "description": "x", "metadata": {"Bad-Key": "v"}}`), 400, "invalid_request", entrupy.FieldMetadata)
	if g := h.do("GET", p, nil); g.item()["enabled"] != false || g.item()["description"] != "" {
		t.Fatalf("a rejected PATCH changed the webhook: %s", g.raw)
	}
	h.expectMetadata(h.do("GET", p, nil), `{"owner":"ops","terraform_create":"done"}`)
}

func TestUserMetadata(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	a := h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0001", "email": "a@example.com"}`)
	if a.status != 201 || !strings.Contains(a.raw, `"metadata":{}`) {
		t.Fatalf("create without metadata: %d %s", a.status, a.raw)
	}
	a = h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0002", "email": "b@example.com", "metadata": {"store": "tokyo", "x": ""}}`)
	h.expectMetadata(a, `{"store":"tokyo"}`)
	p := "/v2/integrations/users/user-0002"
	h.expectMetadata(h.do("GET", p, nil), `{"store":"tokyo"}`)
	// A metadata-only PATCH works and merges.
	h.expectMetadata(h.do("PATCH", p, `{"metadata": {"terraform_create": "done"}}`), `{"store":"tokyo","terraform_create":"done"}`)
	h.expectMetadata(h.do("PATCH", p, `{"metadata": {"store": ""}}`), `{"terraform_create":"done"}`)
	// An email PATCH keeps metadata.
	a = h.do("PATCH", p, `{"email": "c@example.com"}`)
	h.expectMetadata(a, `{"terraform_create":"done"}`)
	if a.item()["email"] != "c@example.com" {
		t.Fatalf("email: %s", a.raw)
	}
	// A rejected PATCH changes nothing.
	h.expectError(h.do("PATCH", p, `{"email": "d@example.com", "metadata": {"k": "`+strings.Repeat("v", entrupy.MaxMetadataValueLength+1)+`"}}`), 400, "invalid_request", entrupy.FieldMetadata)
	if g := h.do("GET", p, nil); g.item()["email"] != "c@example.com" {
		t.Fatalf("a rejected PATCH changed the user: %s", g.raw)
	}
	// A user made by authorize-user has {} too, and so do lists.
	h.do("POST", "/v2/integrations/authorize-user", `{"sdk_authorization_request": "r", "unique_user_id": "user-0003", "email": "e@example.com"}`)
	if g := h.do("GET", "/v2/integrations/users/user-0003", nil); !strings.Contains(g.raw, `"metadata":{}`) {
		t.Fatalf("authorized user: %s", g.raw)
	}
	l := h.do("GET", "/v2/integrations/users", nil)
	if n := strings.Count(l.raw, `"metadata":`); n != 3 || strings.Contains(l.raw, `"metadata":null`) {
		t.Fatalf("list: %s", l.raw)
	}
	for _, u := range h.emu.Inventory().Users {
		if u.Metadata == nil {
			t.Fatalf("inventory user %s has nil metadata", u.UniqueUserID)
		}
	}
}

// TestMetadataLimits: both routes, on create and on PATCH, at and over
// each bound of the contract.
func TestMetadataLimits(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	w := h.do("POST", "/v2/webhooks", map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}})
	u := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com"})
	patch := map[string]string{
		"webhook": "/v2/webhooks/" + as[string](t, w.item()["id"]),
		"user":    "/v2/integrations/users/" + as[string](t, u.item()["unique_user_id"]),
	}
	n := 1
	create := func(kind string, md any) answer {
		n++
		if kind == "webhook" {
			return h.do("POST", "/v2/webhooks", map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}, "metadata": md})
		}
		return h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": fmt.Sprintf("user-%04d", n), "email": "a@example.com", "metadata": md})
	}
	// clear removes every key of an object's metadata with a PATCH.
	clearKey := func(p string) {
		t.Helper()
		var have map[string]string
		_ = json.Unmarshal([]byte(metadataJSON(t, h.do("GET", p, nil).item())), &have)
		gone := map[string]string{}
		for k := range have {
			gone[k] = entrupy.MetadataRemoveValue
		}
		h.expectMetadata(h.do("PATCH", p, map[string]any{"metadata": gone}), `{}`)
	}
	longKey := strings.Repeat("k", entrupy.MaxMetadataKeyLength)
	longValue := strings.Repeat("é", entrupy.MaxMetadataValueLength) // characters, not bytes
	for _, kind := range []string{"webhook", "user"} {
		p := patch[kind]
		ok := []any{
			manyKeys(entrupy.MaxMetadataKeys),
			map[string]string{longKey: longValue},
			map[string]string{"a_z_0_9": "v"},
		}
		bad := []any{
			manyKeys(entrupy.MaxMetadataKeys + 1),
			map[string]string{longKey + "k": "v"},
			map[string]string{"k": longValue + "é"},
			map[string]string{"": "v"},
			map[string]string{"Upper": "v"},
			map[string]string{"dash-key": "v"},
			map[string]any{"k": 1},
			"not an object",
		}
		for _, md := range ok {
			if a := create(kind, md); a.status != 201 {
				t.Fatalf("%s create with %v: %d %s", kind, md, a.status, a.raw)
			}
			clearKey(p)
			if a := h.do("PATCH", p, map[string]any{"metadata": md}); a.status != 200 {
				t.Fatalf("%s patch with %v: %d %s", kind, md, a.status, a.raw)
			}
		}
		clearKey(p)
		for _, md := range bad {
			h.expectError(create(kind, md), 400, "invalid_request", entrupy.FieldMetadata)
			h.expectError(h.do("PATCH", p, map[string]any{"metadata": md}), 400, "invalid_request", entrupy.FieldMetadata)
		}
		// The key count is checked after the merge.
		full, _ := json.Marshal(manyKeys(entrupy.MaxMetadataKeys))
		h.expectMetadata(h.do("PATCH", p, map[string]any{"metadata": manyKeys(entrupy.MaxMetadataKeys)}), string(full))
		h.expectError(h.do("PATCH", p, `{"metadata": {"one_more": "v"}}`), 400, "invalid_request", entrupy.FieldMetadata)
		// One in, one out: still at the bound.
		if a := h.do("PATCH", p, `{"metadata": {"one_more": "v", "k00": ""}}`); a.status != 200 {
			t.Fatalf("%s: swapping a key at the bound: %s", kind, a.raw)
		}
		// On create, "" values do not count.
		over := manyKeys(entrupy.MaxMetadataKeys)
		over["dropped"] = ""
		if a := create(kind, over); a.status != 201 || len(as[map[string]any](t, a.item()["metadata"])) != entrupy.MaxMetadataKeys {
			t.Fatalf("%s create with a \"\" value past the bound: %s", kind, a.raw)
		}
	}
}

func TestMetadataStateFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	h := start(t, emulator.Options{StateFile: path})
	w := h.do("POST", "/v2/webhooks", `{"url": "https://h.example.com", "secret_key": "s", "events": ["support.message"], "metadata": {"terraform_create": "pending"}}`)
	h.do("POST", "/v2/integrations/users", `{"unique_user_id": "user-0001", "email": "a@example.com", "metadata": {"store": "paris"}}`)
	wp := "/v2/webhooks/" + as[string](t, w.item()["id"])
	up := "/v2/integrations/users/user-0001"

	h2 := start(t, emulator.Options{StateFile: path})
	h2.expectMetadata(h2.do("GET", wp, nil), `{"terraform_create":"pending"}`)
	h2.expectMetadata(h2.do("GET", up, nil), `{"store":"paris"}`)

	// A state file written before metadata existed: no "metadata" keys.
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{"users", "webhooks"} {
		for _, obj := range as[map[string]any](t, raw[kind]) {
			delete(as[map[string]any](t, obj), "metadata")
		}
	}
	old := filepath.Join(t.TempDir(), "old-state.json")
	b, _ = json.Marshal(raw)
	if strings.Contains(string(b), "metadata") {
		t.Fatal("the old state file still has metadata")
	}
	if err := os.WriteFile(old, b, 0o600); err != nil {
		t.Fatal(err)
	}
	h3 := start(t, emulator.Options{StateFile: old})
	for _, p := range []string{wp, up} {
		if a := h3.do("GET", p, nil); a.status != 200 || !strings.Contains(a.raw, `"metadata":{}`) {
			t.Fatalf("old state file, GET %s: %s", p, a.raw)
		}
	}
	for _, p := range []string{"/v2/webhooks", "/v2/integrations/users"} {
		if a := h3.do("GET", p, nil); !strings.Contains(a.raw, `"metadata":{}`) || strings.Contains(a.raw, `"metadata":null`) {
			t.Fatalf("old state file, list %s: %s", p, a.raw)
		}
	}
	inv := h3.emu.Inventory()
	if inv.Webhooks[0].Metadata == nil || inv.Users[0].Metadata == nil {
		t.Fatalf("old state file, inventory: %+v", inv)
	}
	h3.expectMetadata(h3.do("PATCH", up, `{"metadata": {"store": "nyc"}}`), `{"store":"nyc"}`)
	h3.expectMetadata(h3.do("PATCH", wp, `{"metadata": {"terraform_create": "done"}}`), `{"terraform_create":"done"}`)
}

// lengthCase is one field's bound: send puts a value in a request, which
// must pass at limit characters and fail naming field at limit+1.
type lengthCase struct {
	name  string
	limit int
	field string
	send  func(h *harness, value string) answer
}

// expectLengthBound checks that a value of limit characters is accepted and
// one of limit+1 is a 400 naming the field. fill makes a value of n
// characters.
func expectLengthBound(t *testing.T, h *harness, c lengthCase, fill func(n int) string) {
	t.Helper()
	if a := c.send(h, fill(c.limit)); a.status >= 300 {
		t.Fatalf("%s at the bound (%d): %d %s", c.name, c.limit, a.status, a.raw)
	}
	a := c.send(h, fill(c.limit+1))
	h.expectError(a, 400, "invalid_request", c.field)
}

func TestLengthLimits(t *testing.T) {
	t.Parallel()
	// A long organization name makes a username of exactly MaxUsernameLength
	// with a unique_user_id of 40 characters.
	uid := strings.Repeat("u", 40)
	org := strings.Repeat("O", entrupy.MaxUsernameLength-1-len(uid))
	h := start(t, emulator.Options{Organization: org})
	if a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": uid, "email": "a@example.com"}); a.status != 201 {
		t.Fatalf("setup: %s", a.raw)
	}
	longUsername := org + "-" + uid
	w := h.do("POST", "/v2/webhooks", map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}, "username": longUsername})
	if w.status != 201 {
		t.Fatalf("a username of %d characters: %s", entrupy.MaxUsernameLength, w.raw)
	}
	wp := "/v2/webhooks/" + as[string](t, w.item()["id"])

	chars := func(r string) func(n int) string { return func(n int) string { return strings.Repeat(r, n) } }
	urlOf := func(n int) string {
		const prefix = "https://h.example.com/"
		return prefix + strings.Repeat("a", n-len(prefix))
	}
	emailOf := func(n int) string {
		const domain = "@example.com"
		return strings.Repeat("a", n-len(domain)) + domain
	}
	users := 0
	newUID := func() string { users++; return fmt.Sprintf("user-%04d", users) }
	webhook := func(k, v string) map[string]any {
		m := map[string]any{"url": "https://h.example.com", "secret_key": "s", "events": []string{"support.message"}}
		m[k] = v
		return m
	}
	user := func(k, v string) map[string]any {
		m := map[string]any{"unique_user_id": newUID(), "email": "a@example.com"}
		m[k] = v
		return m
	}
	authorize := func(k, v string) map[string]any {
		m := map[string]any{"sdk_authorization_request": "r", "unique_user_id": newUID(), "email": "a@example.com"}
		m[k] = v
		return m
	}
	post := func(path string, body func(k, v string) map[string]any, k string) func(*harness, string) answer {
		return func(h *harness, v string) answer { return h.do("POST", path, body(k, v)) }
	}
	patchField := func(path, k string) func(*harness, string) answer {
		return func(h *harness, v string) answer { return h.do("PATCH", path, map[string]any{k: v}) }
	}

	// A user whose names are at the bound: PATCHing the same names is fine.
	names := h.do("POST", "/v2/integrations/users", map[string]any{
		"unique_user_id": "names-user", "email": "a@example.com",
		"first_name": chars("é")(entrupy.MaxNameLength), "last_name": chars("é")(entrupy.MaxNameLength),
	})
	if names.status != 201 {
		t.Fatalf("names at the bound: %s", names.raw)
	}
	up := "/v2/integrations/users/names-user"

	for _, c := range []struct {
		lengthCase
		fill func(n int) string
	}{
		// Webhooks, create and PATCH.
		{lengthCase{"create url", entrupy.MaxWebhookURLLength, "url", post("/v2/webhooks", webhook, "url")}, urlOf},
		{lengthCase{"patch url", entrupy.MaxWebhookURLLength, "url", patchField(wp, "url")}, urlOf},
		{lengthCase{"create description", entrupy.MaxDescriptionLength, "description", post("/v2/webhooks", webhook, "description")}, chars("é")},
		{lengthCase{"patch description", entrupy.MaxDescriptionLength, "description", patchField(wp, "description")}, chars("é")},
		{lengthCase{"create secret_key", entrupy.MaxSecretKeyLength, "secret_key", post("/v2/webhooks", webhook, "secret_key")}, chars("ß")},
		{lengthCase{"patch secret_key", entrupy.MaxSecretKeyLength, "secret_key", patchField(wp, "secret_key")}, chars("s")},
		// Users, create, PATCH and authorize-user.
		{lengthCase{"create email", entrupy.MaxEmailLength, "email", post("/v2/integrations/users", user, "email")}, emailOf},
		{lengthCase{"patch email", entrupy.MaxEmailLength, "email", patchField(up, "email")}, emailOf},
		{lengthCase{"authorize email", entrupy.MaxEmailLength, "email", post("/v2/integrations/authorize-user", authorize, "email")}, emailOf},
		{lengthCase{"create first_name", entrupy.MaxNameLength, "first_name", post("/v2/integrations/users", user, "first_name")}, chars("é")},
		{lengthCase{"patch first_name", entrupy.MaxNameLength, "first_name", patchField(up, "first_name")}, chars("é")},
		{lengthCase{"authorize first_name", entrupy.MaxNameLength, "first_name", post("/v2/integrations/authorize-user", authorize, "first_name")}, chars("é")},
		{lengthCase{"create last_name", entrupy.MaxNameLength, "last_name", post("/v2/integrations/users", user, "last_name")}, chars("é")},
		{lengthCase{"patch last_name", entrupy.MaxNameLength, "last_name", patchField(up, "last_name")}, chars("é")},
		{lengthCase{"authorize last_name", entrupy.MaxNameLength, "last_name", post("/v2/integrations/authorize-user", authorize, "last_name")}, chars("é")},
		{lengthCase{"authorize sdk_authorization_request", entrupy.MaxSDKAuthorizationLength, "sdk_authorization_request", post("/v2/integrations/authorize-user", authorize, "sdk_authorization_request")}, chars("r")},
	} {
		expectLengthBound(t, h, c.lengthCase, c.fill)
	}

	// username: at the bound above (create); over it on create and PATCH,
	// and the same username on PATCH is no change.
	h.expectError(h.do("POST", "/v2/webhooks", webhook("username", longUsername+"x")), 400, "invalid_request", "username")
	h.expectError(h.do("PATCH", wp, map[string]any{"username": longUsername + "x"}), 400, "invalid_request", "username")
	if a := h.do("PATCH", wp, map[string]any{"username": longUsername}); a.status != 200 {
		t.Fatalf("patch the same username: %s", a.raw)
	}

	// The existing rules still hold.
	h.expectError(h.do("POST", "/v2/webhooks", webhook("secret_key", "")), 400, "invalid_request", "secret_key")
	h.expectError(h.do("PATCH", wp, map[string]any{"secret_key": ""}), 400, "invalid_request", "secret_key")
	h.expectError(h.do("POST", "/v2/webhooks", webhook("url", "http://example.com/"+strings.Repeat("a", 10))), 400, "invalid_request", "url")
	h.expectError(h.do("PATCH", up, map[string]any{"first_name": "Other"}), 422, "immutable_field", "first_name")
}

func TestSearchFilterLimits(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	search := func(filter string) answer {
		return h.do("POST", "/v2/search/authentications", `{"filters": [`+filter+`]}`)
	}
	str := func(n int) string { b, _ := json.Marshal(strings.Repeat("é", n)); return string(b) }
	list := func(n, size int) string {
		vs := make([]string, n)
		for i := range vs {
			vs[i] = str(size)
		}
		return "[" + strings.Join(vs, ",") + "]"
	}
	for _, tc := range []struct {
		filter string
		ok     bool
	}{
		{`{"key": "text_fields.customer_item_id", "value": ` + str(entrupy.MaxCustomerItemIDLength) + `}`, true},
		{`{"key": "text_fields.customer_item_id", "value": ` + str(entrupy.MaxCustomerItemIDLength+1) + `}`, false},
		{`{"key": "text_fields.customer_item_id", "value": ""}`, false},
		{`{"key": "owner.user.username", "value": ` + str(entrupy.MaxFilterValueLength) + `}`, true},
		{`{"key": "owner.user.username", "value": ` + str(entrupy.MaxFilterValueLength+1) + `}`, false},
		{`{"key": "properties.brand.id", "values": ` + list(entrupy.MaxFilterValues, 3) + `}`, true},
		{`{"key": "properties.brand.id", "values": ` + list(entrupy.MaxFilterValues+1, 3) + `}`, false},
		{`{"key": "properties.brand.id", "values": ` + list(2, entrupy.MaxFilterValueLength) + `}`, true},
		{`{"key": "properties.brand.id", "values": ` + list(2, entrupy.MaxFilterValueLength+1) + `}`, false},
	} {
		a := search(tc.filter)
		if tc.ok {
			if a.status != 200 {
				t.Fatalf("%.80s: %d %s", tc.filter, a.status, a.raw)
			}
			continue
		}
		h.expectError(a, 400, "invalid_request", "filters")
	}
	// The existing rule for an empty list stands.
	h.expectError(search(`{"key": "properties.brand.id", "values": []}`), 400, "invalid_request", "filters[0].values")
}
