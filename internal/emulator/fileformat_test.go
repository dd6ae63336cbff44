package emulator_test

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
)

// testdata/state-v0.json and testdata/seed-v0.json were written by the
// emulator before its files had a "format" (format 0): the state of a run
// with users (one deactivated, one made by authorize-user), webhooks with
// metadata and secrets, a transfer made over the API and one accepted,
// idempotency records and 14 generated items (GenerateSeed(14, 9, "Acme")),
// and that seed as a seed file.

// copyTestdata copies a testdata file into a temporary directory: a state
// file is rewritten after every change.
func copyTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// readJSON decodes a JSON file into generic values.
func readJSON(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// without returns a copy of m without the given keys.
func without(m map[string]any, keys ...string) map[string]any {
	out := maps.Clone(m)
	for _, k := range keys {
		delete(out, k)
	}
	return out
}

func sameJSON(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("%s:\n got %s\nwant %s", what, g, w)
	}
}

// TestLoadsFormat0StateFile: a state file of format 0 loads, and every
// user, webhook (secret and metadata included), item, certificate and
// transfer reads back as the file holds it.
func TestLoadsFormat0StateFile(t *testing.T) {
	t.Parallel()
	path := copyTestdata(t, "state-v0.json")
	file := readJSON(t, path)
	if _, ok := file["format"]; ok {
		t.Fatal("testdata/state-v0.json must be a format 0 file (no \"format\")")
	}
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC) // the idempotency records are 2 hours old
	h := start(t, emulator.Options{StateFile: path, Now: func() time.Time { return now }})

	// Users: the active ones as the file holds them, the deactivated one gone.
	users := as[map[string]any](t, file["users"])
	if len(users) != 4 {
		t.Fatalf("the file has %d users, want 4", len(users))
	}
	for id, v := range users {
		rec := as[map[string]any](t, v)
		a := h.do("GET", "/v2/integrations/users/"+id, nil)
		if rec["active"] == false {
			h.expectError(a, 404, "not_found", "")
			continue
		}
		if a.status != 200 {
			t.Fatalf("user %s: %d %s", id, a.status, a.raw)
		}
		sameJSON(t, "user "+id, a.item(), without(rec, "active", "seq"))
	}
	inv := h.emu.Inventory()
	if !slices.Equal(inv.DeactivatedUsers, []string{"retired-user-09"}) || len(inv.Users) != 3 {
		t.Fatalf("users %+v, deactivated %v", inv.Users, inv.DeactivatedUsers)
	}
	berlin := inv.Users[slices.IndexFunc(inv.Users, func(u emulator.User) bool { return u.UniqueUserID == "store-berlin-07" })]
	if berlin.Username != "Acme-store-berlin-07" || berlin.Email != "berlin@example.com" || berlin.FirstName != "Anna" ||
		berlin.LastName != "Schmidt" || berlin.CreatedAt != "2026-05-01T10:01:00Z" ||
		!maps.Equal(berlin.Metadata, map[string]string{"terraform_config": "prod-eu", "team": "retail"}) {
		t.Errorf("store-berlin-07: %+v", berlin)
	}
	h.expectError(h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "retired-user-09", "email": "old@example.com"}), 409, "conflict", "unique_user_id")

	// Webhooks: as the file holds them, less the secret, which they sign with.
	hooks := as[map[string]any](t, file["webhooks"])
	if len(hooks) != 2 {
		t.Fatalf("the file has %d webhooks, want 2", len(hooks))
	}
	for id, v := range hooks {
		rec := as[map[string]any](t, v)
		a := h.do("GET", "/v2/webhooks/"+id, nil)
		if a.status != 200 {
			t.Fatalf("webhook %s: %d %s", id, a.status, a.raw)
		}
		sameJSON(t, "webhook "+id, a.item(), without(rec, "secret", "seq"))
		if secret, ok := h.emu.WebhookSecret(id); !ok || secret != rec["secret"] {
			t.Errorf("webhook %s signs with %q, want %q", id, secret, rec["secret"])
		}
	}
	prod := inv.Webhooks[slices.IndexFunc(inv.Webhooks, func(w emulator.Webhook) bool { return w.ID == "wh_4964f169624d6374" })]
	if prod.URL != "https://hooks.example.com/entrupy" || prod.Description != "production" || !prod.Enabled || prod.Username != nil ||
		prod.APIVersion != "1.4" || !slices.Equal(prod.Events, []string{"certificate.transfer", "session.completed"}) ||
		!maps.Equal(prod.Metadata, map[string]string{"terraform_config": "prod-eu", "owner": "ops"}) {
		t.Errorf("wh_4964f169624d6374: %+v", prod)
	}
	if s, _ := h.emu.WebhookSecret("wh_6ca69f5d748b2aa4"); s != "whsec-staging" {
		t.Errorf("wh_6ca69f5d748b2aa4 secret %q", s)
	}

	// Items: every one reads back as the file holds it.
	items := as[map[string]any](t, file["items"])
	if len(items) != 14 || h.emu.Inventory().Authentications != 14 {
		t.Fatalf("%d items in the file, %d loaded; want 14", len(items), h.emu.Inventory().Authentications)
	}
	for id, v := range items {
		a := h.do("GET", "/v2/authentications/"+id+"?include_images=true", nil)
		if a.status != 200 {
			t.Fatalf("item %s: %d %s", id, a.status, a.raw)
		}
		// The file predates catalog data: the answer adds "catalog", null
		// unless asked for (TestCatalogOfOlderFiles asks).
		if c, ok := a.item()["catalog"]; !ok || c != nil {
			t.Errorf("item %s: catalog %v (present %v), want null", id, c, ok)
		}
		sameJSON(t, "item "+id, without(a.item(), "catalog"), v)
	}

	// Certificates: built from the record and its item; the transfer is the
	// last of the record's, without the recipient's name.
	certs := as[map[string]any](t, file["certificates"])
	if len(certs) != 7 || h.emu.Inventory().Certificates != 7 {
		t.Fatalf("%d certificates in the file, %d loaded; want 7", len(certs), h.emu.Inventory().Certificates)
	}
	for id, v := range certs {
		rec := as[map[string]any](t, v)
		it := as[map[string]any](t, items[as[string](t, rec["entrupy_id"])])
		ref := as[map[string]any](t, it["certificate"])
		want := map[string]any{
			"certificate_id": id, "entrupy_id": rec["entrupy_id"], "site": ref["site"], "preview": ref["preview"],
			"authenticated_at": as[map[string]any](t, it["timestamp"])["display"],
			"brand":            as[map[string]any](t, it["properties"])["brand"],
			"date_code":        rec["date_code"], "style_code": rec["style_code"], "serial_number": rec["serial_number"],
			"customer_item_id": as[map[string]any](t, it["text_fields"])["customer_item_id"],
			"photos":           rec["photos"], "holder": rec["holder"], "transfer": nil,
			"status": "valid", "revoked_at": nil, // the file predates revoked certificates
		}
		if rec["hide_customer_item_id"] == true {
			want["customer_item_id"] = nil
		}
		if trs, _ := rec["transfers"].([]any); len(trs) > 0 {
			want["transfer"] = without(as[map[string]any](t, trs[len(trs)-1]), "recipient_name")
		}
		a := h.do("GET", "/v2/certificates/"+id, nil)
		if a.status != 200 {
			t.Fatalf("certificate %s: %d %s", id, a.status, a.raw)
		}
		sameJSON(t, "certificate "+id, a.item(), want)
	}
	a := h.do("GET", "/v2/certificates/C-XAQ49GQR", nil)
	if tr := as[map[string]any](t, a.item()["transfer"]); tr["transfer_id"] != "tr_seed004" || tr["status"] != "accepted" ||
		as[map[string]any](t, a.item()["holder"])["name"] != "Buyer 04" {
		t.Errorf("C-XAQ49GQR: %s", a.raw)
	}
	// The recipient's name was loaded into the record: accepting makes the
	// buyer the holder.
	if err := h.emu.AcceptTransfer("C-BN3K2V8G", "tr_seed010"); err != nil {
		t.Fatal(err)
	}
	a = h.do("GET", "/v2/certificates/C-BN3K2V8G", nil)
	if holder := as[map[string]any](t, a.item()["holder"]); holder["name"] != "Buyer 10" || holder["username"] != "" {
		t.Errorf("holder after accepting: %s", a.raw)
	}
	transfers := h.emu.Inventory().Transfers
	if i := slices.IndexFunc(transfers, func(tr emulator.Transfer) bool { return tr.TransferID == "tr_2656fa9c8d39b8d3" }); i < 0 ||
		transfers[i] != (emulator.Transfer{TransferID: "tr_2656fa9c8d39b8d3", Status: "pending", RecipientEmail: "buyer@example.com", InitiatedAt: "2026-05-01T10:08:00Z"}) {
		t.Errorf("transfers %+v", transfers)
	}

	// Idempotency records: a repeat replays the first answer; the transfer's
	// was recorded with the recipient's name and is replayed without it.
	hook := map[string]any{"url": "https://hooks.example.com/entrupy", "secret_key": "whsec-prod", "events": []string{"session.completed", "certificate.transfer"}, "description": "production", "metadata": map[string]string{"terraform_config": "prod-eu", "owner": "ops"}}
	a = h.do("POST", "/v2/webhooks", hook, "Idempotency-Key", "idem-hook-1", "Api-Version", "1.4")
	if a.status != 201 || a.header.Get("Idempotent-Replayed") != "true" || a.item()["id"] != "wh_4964f169624d6374" {
		t.Fatalf("webhook replay: %d %v %s", a.status, a.header, a.raw)
	}
	h.expectError(h.do("POST", "/v2/webhooks", map[string]any{"url": "https://other.example.com"}, "Idempotency-Key", "idem-hook-1"), 409, "conflict", "Idempotency-Key")
	a = h.do("POST", "/v2/certificates/C-7Z4DVDWH/transfers", map[string]any{"recipient_email": "buyer@example.com", "recipient_name": "Bea Buyer"}, "Idempotency-Key", "idem-transfer-1")
	if a.status != 201 || a.header.Get("Idempotent-Replayed") != "true" || a.raw != `{"item":{"transfer_id":"tr_2656fa9c8d39b8d3","status":"pending","recipient_email":"buyer@example.com","initiated_at":"2026-05-01T10:08:00Z"}}` {
		t.Fatalf("transfer replay: %d %s", a.status, a.raw)
	}
	a = h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "store-berlin-07", "email": "berlin@example.com", "first_name": "Anna", "last_name": "Schmidt", "metadata": map[string]string{"terraform_config": "prod-eu", "team": "retail"}}, "Idempotency-Key", "idem-user-1")
	if a.status != 201 || a.header.Get("Idempotent-Replayed") != "true" || a.item()["unique_user_id"] != "store-berlin-07" {
		t.Fatalf("user replay: %d %s", a.status, a.raw)
	}

	// The sequence goes on: a new user is listed after the loaded ones. The
	// file is then rewritten in the current format.
	if a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "store-lyon-11", "email": "lyon@example.com"}); a.status != 201 {
		t.Fatalf("create: %s", a.raw)
	}
	var order []string
	for _, u := range as[[]any](t, h.do("GET", "/v2/integrations/users", nil).body["items"]) {
		order = append(order, as[string](t, as[map[string]any](t, u)["unique_user_id"]))
	}
	if want := []string{"store-berlin-07", "store-osaka-08", "sdk-user-0010", "store-lyon-11"}; !slices.Equal(order, want) {
		t.Errorf("list order %v, want %v", order, want)
	}
	if f := readJSON(t, path); f["format"] != float64(emulator.FileFormat) {
		t.Errorf("rewritten state file has format %v, want %d", f["format"], emulator.FileFormat)
	}
}

// TestLoadsFormat0SeedFile: a seed file of format 0 loads as the seed it
// was written from, and the emulator serves it.
func TestLoadsFormat0SeedFile(t *testing.T) {
	t.Parallel()
	path := copyTestdata(t, "seed-v0.json")
	if _, ok := readJSON(t, path)["format"]; ok {
		t.Fatal("testdata/seed-v0.json must be a format 0 file (no \"format\")")
	}
	seed, err := emulator.LoadSeedFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := emulator.GenerateSeed(14, 9, "Acme"); !reflect.DeepEqual(seed, want) {
		g, _ := json.Marshal(seed)
		w, _ := json.Marshal(want)
		t.Fatalf("loaded seed differs from the one written:\n got %s\nwant %s", g, w)
	}
	if len(seed.Authentications) != 14 || len(seed.Certificates) != 7 {
		t.Fatalf("%d authentications, %d certificates", len(seed.Authentications), len(seed.Certificates))
	}
	it := seed.Authentications[0]
	if it.EntrupyID != "7Z4DVDWH" || val(it.Owner.OrganizationName) != "Acme" || val(it.Status.Result.ID) != "authentic" ||
		it.Certificate == nil || val(it.Certificate.CertificateID) != "C-7Z4DVDWH" || len(it.Images) != 3 ||
		it.Properties.Brand == nil || it.Timestamp.Created.Unix() == 0 || it.Activity.ProductCategory == nil {
		t.Errorf("first item: %+v", it)
	}
	c := seed.Certificates[slices.IndexFunc(seed.Certificates, func(c emulator.CertificateRecord) bool { return c.CertificateID == "C-BN3K2V8G" })]
	if !c.HideCustomerItemID || c.Holder != (emulator.Holder{Username: "Acme-reseller-05", Name: "Acme"}) || len(c.Transfers) != 1 ||
		c.Transfers[0] != (emulator.TransferRecord{TransferID: "tr_seed010", Status: "pending", RecipientEmail: "buyer10@example.com", RecipientName: "Buyer 10", InitiatedAt: "2026-01-08T11:54:23Z"}) {
		t.Errorf("C-BN3K2V8G: %+v", c)
	}

	h := start(t, emulator.Options{Seed: seed})
	file := readJSON(t, path)
	for _, v := range as[[]any](t, file["authentications"]) {
		want := as[map[string]any](t, v)
		id := as[string](t, want["entrupy_id"])
		a := h.do("GET", "/v2/authentications/"+id+"?include_images=true", nil)
		sameJSON(t, "item "+id, without(a.item(), "catalog"), want)
	}
	if err := h.emu.AcceptTransfer("C-BN3K2V8G", "tr_seed010"); err != nil {
		t.Fatal(err)
	}
	if a := h.do("GET", "/v2/certificates/C-BN3K2V8G", nil); as[map[string]any](t, a.item()["holder"])["name"] != "Buyer 10" {
		t.Errorf("after accepting: %s", a.raw)
	}
}

// TestFileFormatRoundTrip: the state and seed files this emulator writes
// carry "format", and read back to the same contents.
func TestFileFormatRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()

	// Seed: marshal, load, compare.
	seed := emulator.GenerateSeed(12, 4, "Shop")
	b, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	seedPath := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seedPath, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if f := readJSON(t, seedPath); f["format"] != float64(emulator.FileFormat) || len(as[[]any](t, f["authentications"])) != 12 {
		t.Fatalf("seed file: format %v", f["format"])
	}
	loaded, err := emulator.LoadSeedFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(loaded, seed) {
		t.Fatal("the seed does not read back as written")
	}
	var viaJSON emulator.Seed
	if err := json.Unmarshal(b, &viaJSON); err != nil || !reflect.DeepEqual(&viaJSON, seed) {
		t.Fatalf("json.Unmarshal of a Seed: %v", err)
	}

	// State: make one of everything, restart from the file, compare.
	statePath := filepath.Join(dir, "state.json")
	h := start(t, emulator.Options{Seed: loaded, Organization: "Shop", StateFile: statePath})
	h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com", "first_name": "A", "metadata": map[string]string{"k": "v"}}, "Idempotency-Key", "u1")
	h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0002", "email": "b@example.com"})
	h.do("DELETE", "/v2/integrations/users/user-0002", nil)
	wh := h.do("POST", "/v2/webhooks", map[string]any{"url": "https://h.example.com", "secret_key": "sec", "events": []string{"support.message"}, "username": "Shop-user-0001", "metadata": map[string]string{"terraform_config": "c"}})
	var cert string
	for _, c := range loaded.Certificates {
		if len(c.Transfers) == 0 {
			cert = c.CertificateID
		}
	}
	tr := h.do("POST", "/v2/certificates/"+cert+"/transfers", map[string]any{"recipient_email": "r@example.com", "recipient_name": "R"}, "Idempotency-Key", "t1")
	if wh.status != 201 || tr.status != 201 {
		t.Fatalf("setup: %s %s", wh.raw, tr.raw)
	}
	if err := h.emu.AcceptTransfer(cert, as[string](t, tr.item()["transfer_id"])); err != nil {
		t.Fatal(err)
	}
	// A withdrawn result: the revoked certificate survives the restart.
	var revoked, revokedItem string
	for _, c := range loaded.Certificates {
		if c.CertificateID != cert {
			revoked, revokedItem = c.CertificateID, c.EntrupyID
			break
		}
	}
	for _, bad := range []struct{ id, result, want string }{
		{revokedItem, "authentic", "cannot become authentic"},
		{revokedItem, "fake", `unknown result "fake"`},
		{"NOSUCHID", "", `no authentication "NOSUCHID"`},
	} {
		if err := h.emu.WithdrawResult(bad.id, bad.result); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("WithdrawResult(%q, %q): %v, want an error saying %s", bad.id, bad.result, err, bad.want)
		}
	}
	if a := h.do("POST", "/_emulator/authentications/"+revokedItem+"/withdraw", map[string]any{}); a.status != 204 {
		t.Fatalf("withdraw: %d %s", a.status, a.raw)
	}
	if a := h.do("GET", "/v2/certificates/"+revoked, nil); a.item()["status"] != "revoked" {
		t.Fatalf("withdrawn certificate: %s", a.raw)
	}
	if a := h.do("GET", "/v2/authentications/"+revokedItem, nil); a.item()["certificate"] != nil ||
		as[map[string]any](t, as[map[string]any](t, a.item()["status"])["result"])["id"] != emulator.DefaultWithdrawnResult {
		t.Fatalf("withdrawn item: %s", a.raw)
	}
	if a := h.do("POST", "/v2/certificates/"+revoked+"/transfers", map[string]any{"recipient_email": "r@example.com"}); a.status != 409 {
		t.Errorf("a transfer of a revoked certificate: %d %s, want 409", a.status, a.raw)
	}
	if a := h.do("POST", "/_emulator/authentications/"+revokedItem+"/withdraw", map[string]any{}); a.status != 400 {
		t.Errorf("withdrawing the same result twice: %d %s, want 400", a.status, a.raw)
	}
	if f := readJSON(t, statePath); f["format"] != float64(emulator.FileFormat) {
		t.Fatalf("state file has format %v, want %d", f["format"], emulator.FileFormat)
	}

	h2 := start(t, emulator.Options{Organization: "Shop", StateFile: statePath})
	if got, want := h2.emu.Inventory(), h.emu.Inventory(); !reflect.DeepEqual(got, want) {
		t.Fatalf("inventory after restart:\n got %+v\nwant %+v", got, want)
	}
	id := as[string](t, wh.item()["id"])
	if s, _ := h2.emu.WebhookSecret(id); s != "sec" {
		t.Errorf("secret %q after restart", s)
	}
	for _, p := range []string{"/v2/webhooks/" + id, "/v2/integrations/users/user-0001", "/v2/certificates/" + cert, "/v2/integrations/users", "/v2/certificates/" + revoked} {
		if a, b := h.do("GET", p, nil), h2.do("GET", p, nil); a.raw != b.raw {
			t.Errorf("%s after restart:\n got %s\nwant %s", p, b.raw, a.raw)
		}
	}
	for _, it := range loaded.Authentications {
		p := "/v2/authentications/" + it.EntrupyID + "?include_images=true"
		if a, b := h.do("GET", p, nil), h2.do("GET", p, nil); a.raw != b.raw {
			t.Errorf("%s after restart:\n got %s\nwant %s", p, b.raw, a.raw)
		}
	}
	if a := h2.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0001", "email": "a@example.com", "first_name": "A", "metadata": map[string]string{"k": "v"}}, "Idempotency-Key", "u1"); a.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("idempotency record lost: %d %s", a.status, a.raw)
	}
	h2.expectError(h2.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "user-0002", "email": "b@example.com"}), 409, "conflict", "unique_user_id")
	a := h2.do("GET", "/v2/certificates/"+cert, nil)
	if as[map[string]any](t, a.item()["holder"])["name"] != "R" || strings.Contains(a.raw, "recipient_name") {
		t.Errorf("certificate after restart: %s", a.raw)
	}
}

// TestRefusesNewerFileFormat: a file from a newer emulator is refused, not
// misread.
func TestRefusesNewerFileFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	newer := []byte(`{"format": 99, "items": {}, "authentications": []}`)
	path := filepath.Join(dir, "newer.json")
	if err := os.WriteFile(path, newer, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := emulator.New(emulator.Options{StateFile: path}); err == nil || !strings.Contains(err.Error(), "format 99") {
		t.Errorf("state file of format 99: %v", err)
	}
	if _, err := emulator.LoadSeedFile(path); err == nil || !strings.Contains(err.Error(), "format 99") {
		t.Errorf("seed file of format 99: %v", err)
	}
	var s emulator.Seed
	if err := json.Unmarshal(newer, &s); err == nil {
		t.Error("json.Unmarshal of a format 99 seed succeeded")
	}
}

// TestLoadsFormat1Files: testdata/state-v1.json and testdata/seed-v1.json
// were written by the emulator of format 1, whose catalogs had id/display
// pairs, a condition grade and a market's price bands. They load; each
// catalog is upgraded to the current shape (display strings as product
// information, the grade as the rating, no listings: format 1 had none),
// every certificate reads as valid, and the state file is rewritten in
// the current format, catalogs included.
func TestLoadsFormat1Files(t *testing.T) {
	t.Parallel()
	upgraded := func(old map[string]any) any {
		if old == nil {
			return nil
		}
		display := func(k string) any {
			if v, ok := old[k].(map[string]any); ok {
				return v["display"]
			}
			return nil
		}
		out := map[string]any{
			"product_information": map[string]any{
				"brand": display("brand"), "category": display("category"), "style": as[map[string]any](t, old["style"])["name"],
				"material": display("material"), "colorway": old["colorway"], "description": old["description"], "serial_number": old["serial_number"],
			},
			"condition_assessment": nil,
			"marketplace_listings": []any{},
		}
		if c, ok := old["condition"].(map[string]any); ok {
			out["condition_assessment"] = map[string]any{"rating": c["grade"], "score": nil, "issues": []any{}, "notes": c["notes"]}
		}
		return out
	}
	catalogs := func(items map[string]any) map[string]any {
		out := map[string]any{}
		for id, v := range items {
			c, _ := as[map[string]any](t, v)["catalog"].(map[string]any)
			if c != nil {
				if _, ok := c["product_information"]; ok {
					t.Fatalf("%s: testdata holds a catalog in the current shape, want format 1", id)
				}
			}
			out[id] = upgraded(c)
		}
		return out
	}

	path := copyTestdata(t, "state-v1.json")
	file := readJSON(t, path)
	if file["format"] != float64(1) {
		t.Fatalf("testdata/state-v1.json has format %v, want 1", file["format"])
	}
	items := as[map[string]any](t, file["items"])
	want := catalogs(items)
	h := start(t, emulator.Options{StateFile: path})
	matched := 0
	for id, c := range want {
		sameJSON(t, "state file: catalog of "+id, catalogAnswer(t, h, id), c)
		if c != nil {
			matched++
		}
		a := h.do("GET", "/v2/authentications/"+id, nil)
		sameJSON(t, "state file: item "+id, without(a.item(), "catalog", "images"), without(as[map[string]any](t, items[id]), "catalog", "images"))
	}
	if matched == 0 {
		t.Fatal("no item of state-v1.json has catalog data")
	}
	for id := range as[map[string]any](t, file["certificates"]) {
		a := h.do("GET", "/v2/certificates/"+id, nil)
		if a.item()["status"] != "valid" || a.item()["revoked_at"] != nil {
			t.Errorf("certificate %s of a format 1 file: %s", id, a.raw)
		}
	}
	// A change rewrites the file in the current format; a restart serves
	// the same catalogs from it.
	if a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "store-lyon-11", "email": "lyon@example.com"}); a.status != 201 {
		t.Fatalf("create: %s", a.raw)
	}
	rewritten := readJSON(t, path)
	if rewritten["format"] != float64(emulator.FileFormat) {
		t.Errorf("rewritten state file has format %v, want %d", rewritten["format"], emulator.FileFormat)
	}
	for id, v := range as[map[string]any](t, rewritten["items"]) {
		sameJSON(t, "rewritten state file: catalog of "+id, as[map[string]any](t, v)["catalog"], want[id])
	}
	restarted := start(t, emulator.Options{StateFile: path})
	for id, c := range want {
		sameJSON(t, "restarted: catalog of "+id, catalogAnswer(t, restarted, id), c)
	}

	// The seed file of format 1.
	seedPath := copyTestdata(t, "seed-v1.json")
	seedFile := readJSON(t, seedPath)
	if seedFile["format"] != float64(1) {
		t.Fatalf("testdata/seed-v1.json has format %v, want 1", seedFile["format"])
	}
	seedItems := map[string]any{}
	for _, v := range as[[]any](t, seedFile["authentications"]) {
		seedItems[as[string](t, as[map[string]any](t, v)["entrupy_id"])] = v
	}
	seed, err := emulator.LoadSeedFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	hs := start(t, emulator.Options{Seed: seed})
	for id, c := range catalogs(seedItems) {
		sameJSON(t, "seed file: catalog of "+id, catalogAnswer(t, hs, id), c)
	}
}
