package emulator_test

// Wire contract tests: the emulator, seen only through HTTP, against the
// hand-written fixtures of internal/entrupy/testdata/wire (see its README).
// Every JSON answer must have exactly the fixture's keys, recursively (for
// objects and for each element of arrays); null is accepted only where the
// contract allows it. Every request fixture must be accepted and read as
// the contract means it. Nothing here uses the emulator's internals.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

const (
	wireEmuToken   = "wire-contract-token-3b7c"
	wireFixtureDir = "../entrupy/testdata/wire"
)

// wireItemNullable lists the item fields the contract allows to be null.
var wireItemNullable = []string{
	"certificate", // null unless authentic
	"properties.material", "properties.item_type",
	"status.flag", "status.result.reason",
	"text_fields.identifier", "text_fields.customer_item_id", "text_fields.style_code", "text_fields.us_size",
	"activity.mode", "activity.product_category",
	"images",  // null unless include_images
	"catalog", // null unless include_catalog, and without a catalog match
}

// wireCatalogNullable lists the catalog fields that may be null.
var wireCatalogNullable = []string{
	"product_information.brand", "product_information.category", "product_information.style",
	"product_information.material", "product_information.colorway", "product_information.description",
	"product_information.serial_number",
	"condition_assessment", "condition_assessment.score", "condition_assessment.notes",
	"marketplace_listings[].region",
}

// wireCertificateNullable lists the certificate fields that may be null.
var wireCertificateNullable = []string{"date_code", "style_code", "serial_number", "customer_item_id", "transfer", "revoked_at"}

func wireNullable(prefix string, paths []string, more ...string) map[string]bool {
	out := map[string]bool{}
	for _, p := range paths {
		out[prefix+p] = true
	}
	for _, p := range more {
		out[p] = true
	}
	return out
}

// wireFixture reads a fixture as generic JSON.
func wireFixture(t *testing.T, name string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(wireFixtureBytes(t, name), &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func wireFixtureBytes(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(wireFixtureDir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wireObject reads a request fixture as an object to send (or change first).
func wireObject(t *testing.T, name string) map[string]any {
	t.Helper()
	m, ok := wireFixture(t, name).(map[string]any)
	if !ok {
		t.Fatalf("%s is not an object", name)
	}
	return m
}

// wireShapes compares answers with fixtures and remembers which fixture
// paths were met non-null, so the test can tell that every nested object
// was really compared (not only met as null or as an empty array).
type wireShapes struct {
	t    *testing.T
	seen map[string]map[string]bool // fixture → path → met non-null
	want map[string]any             // fixture → its generic JSON, as compared
}

// on returns the checker reporting to t (a subtest); what was met is shared.
func (s *wireShapes) on(t *testing.T) *wireShapes {
	c := *s
	c.t = t
	return &c
}

// check compares got with the fixture want (named name). what names the
// request in failures.
func (s *wireShapes) check(what, name string, want, got any, nullable map[string]bool) {
	s.t.Helper()
	if s.seen[name] == nil {
		s.seen[name] = map[string]bool{}
		s.want[name] = want
	}
	var errs []string
	s.walk(name, "", want, got, nullable, &errs)
	if len(errs) > 0 {
		b, _ := json.Marshal(got)
		s.t.Errorf("%s: the answer does not have the shape of %s:\n  %s\nanswer: %.2000s", what, name, strings.Join(errs, "\n  "), b)
	}
}

func wireJoin(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func wireKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return fmt.Sprintf("%T", v)
}

func (s *wireShapes) walk(name, path string, want, got any, nullable map[string]bool, errs *[]string) {
	at := path
	if at == "" {
		at = "(root)"
	}
	if got == nil {
		if want != nil && !nullable[path] {
			*errs = append(*errs, fmt.Sprintf("%s: null, where the contract has %s", at, wireKind(want)))
		}
		return
	}
	if want == nil { // the fixture shows no shape here
		return
	}
	if wireKind(want) != wireKind(got) {
		*errs = append(*errs, fmt.Sprintf("%s: %s, want %s", at, wireKind(got), wireKind(want)))
		return
	}
	s.seen[name][path] = true
	switch w := want.(type) {
	case map[string]any:
		g, _ := got.(map[string]any) // same kind, checked above
		if strings.HasSuffix(path, "metadata") && (path == "metadata" || strings.HasSuffix(path, ".metadata")) {
			// A string map: its keys are the caller's, its values strings.
			for k, v := range g {
				if _, ok := v.(string); !ok {
					*errs = append(*errs, fmt.Sprintf("%s.%s: %s, want string", path, k, wireKind(v)))
				}
			}
			return
		}
		var missing, extra []string
		for k := range w {
			if _, ok := g[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				extra = append(extra, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: missing keys %v", at, missing))
		}
		if len(extra) > 0 {
			*errs = append(*errs, fmt.Sprintf("%s: keys not in the contract %v", at, extra))
		}
		for k, wv := range w {
			if gv, ok := g[k]; ok {
				s.walk(name, wireJoin(path, k), wv, gv, nullable, errs)
			}
		}
	case []any:
		if len(w) == 0 {
			return
		}
		list, _ := got.([]any) // same kind, checked above
		for _, gv := range list {
			s.walk(name, path+"[]", w[0], gv, nullable, errs)
		}
	}
}

// wirePaths lists every path of a fixture (not inside metadata).
func wirePaths(path string, v any, out *[]string) {
	if path != "" {
		*out = append(*out, path)
	}
	switch x := v.(type) {
	case map[string]any:
		if strings.HasSuffix(path, "metadata") {
			return
		}
		for k, e := range x {
			wirePaths(wireJoin(path, k), e, out)
		}
	case []any:
		if len(x) > 0 {
			wirePaths(path+"[]", x[0], out)
		}
	}
}

// wireEmu is an emulator behind httptest on 127.0.0.1.
type wireEmu struct {
	t    *testing.T
	base string
	http *http.Client
}

type wireAnswer struct {
	status int
	body   any
	raw    []byte
}

// do sends one request; body is marshalled unless it is nil. hdr holds
// header name/value pairs.
func (e *wireEmu) do(method, path string, body any, hdr ...string) wireAnswer {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.base+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Token "+wireEmuToken)
	req.Header.Set("Accept-Language", "en")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := e.http.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	a := wireAnswer{status: resp.StatusCode, raw: raw}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &a.body); err != nil {
			e.t.Fatalf("%s %s: answer %d is not JSON: %v\n%s", method, path, resp.StatusCode, err, raw)
		}
	}
	return a
}

// on returns the emulator client reporting to t (a subtest).
func (e *wireEmu) on(t *testing.T) *wireEmu {
	c := *e
	c.t = t
	return &c
}

// must fails the test unless the answer has the status.
func (e *wireEmu) must(a wireAnswer, status int, what string) wireAnswer {
	e.t.Helper()
	if a.status != status {
		e.t.Fatalf("%s: status %d, want %d: %s", what, a.status, status, a.raw)
	}
	return a
}

// wireAt follows a dotted path through generic JSON objects.
func wireAt(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}

func wireItems(t *testing.T, page any) []map[string]any {
	t.Helper()
	list, _ := wireAt(page, "items").([]any)
	out := make([]map[string]any, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			t.Fatalf("items holds %s", wireKind(e))
		}
		out = append(out, m)
	}
	return out
}

func wireIDs(items []map[string]any, key string) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i], _ = it[key].(string)
	}
	return out
}

// wireMatches applies a search filter, as the contract describes it, to a
// generic item: {"key","value"} equality (null matches null),
// {"key","values"} any-of, {"key","gte","lt"} an epoch range.
func wireMatches(item map[string]any, f map[string]any) bool {
	key, _ := f["key"].(string)
	v := wireAt(item, key)
	if value, ok := f["value"]; ok {
		return v == value
	}
	if values, ok := f["values"].([]any); ok {
		return slices.Contains(values, v)
	}
	n, ok := v.(float64)
	if !ok {
		return false
	}
	if gte, ok := f["gte"].(float64); ok && n < gte {
		return false
	}
	if lt, ok := f["lt"].(float64); ok && n >= lt {
		return false
	}
	return true
}

func wireFilter(items []map[string]any, req map[string]any) []map[string]any {
	filters, _ := req["filters"].([]any)
	var out []map[string]any
	for _, it := range items {
		ok := true
		for _, f := range filters {
			fm, _ := f.(map[string]any)
			if !wireMatches(it, fm) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, it)
		}
	}
	return out
}

// wireMerged is metadata after a PATCH: keys given are set, "" removes.
func wireMerged(current, patch any) map[string]any {
	out := map[string]any{}
	cur, _ := current.(map[string]any)
	for k, v := range cur {
		out[k] = v
	}
	given, _ := patch.(map[string]any)
	for k, v := range given {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

func wireSortedStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		s, _ := e.(string)
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// wireString is a request fixture's string field.
func wireString(t *testing.T, m map[string]any, key string) string {
	t.Helper()
	v, ok := m[key].(string)
	if !ok {
		t.Fatalf("fixture field %s is %s, want a string", key, wireKind(m[key]))
	}
	return v
}

// wireSame fails unless the answer's field equals the value sent.
func wireSame(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %s, want %s", what, wireText(got), wireText(want))
	}
}

func wireText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestWireContract(t *testing.T) {
	t.Parallel()
	emu, err := emulator.New(emulator.Options{Token: wireEmuToken})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("emulator at %s, want 127.0.0.1", srv.URL)
	}
	e := &wireEmu{t: t, base: srv.URL, http: srv.Client()}
	shapes := &wireShapes{t: t, seen: map[string]map[string]bool{}, want: map[string]any{}}
	wrap := func(name string) any { return map[string]any{"item": wireFixture(t, name)} }
	none := map[string]bool{}
	itemEnvNullable := wireNullable("item.", wireItemNullable)
	pageNullable := wireNullable("items[].", wireItemNullable, "next_cursor")
	certNullable := wireNullable("item.", wireCertificateNullable)
	notFound := wireFixture(t, "error_not_found.json")

	// Health.
	a := e.must(e.do("GET", "/v1/health", nil, "Api-Version", "1.4"), 200, "GET /v1/health")
	shapes.check("GET /v1/health", "health.json", wireFixture(t, "health.json"), a.body, none)

	// Search: every page of every item, newest first.
	var all []map[string]any
	cursor, pages := "", 0
	for {
		req := map[string]any{"limit": 25}
		if cursor != "" {
			req["cursor"] = cursor
		}
		a := e.must(e.do("POST", "/v2/search/authentications", req), 200, "search")
		shapes.check(fmt.Sprintf("search page %d", pages+1), "search_page.json", wireFixture(t, "search_page.json"), a.body, pageNullable)
		all = append(all, wireItems(t, a.body)...)
		pages++
		next, _ := wireAt(a.body, "next_cursor").(string)
		if count, _ := wireAt(a.body, "item_count").(float64); next == "" {
			if int(count) != len(all) {
				t.Fatalf("item_count %v, but the pages held %d items", count, len(all))
			}
			break
		}
		if pages > 100 {
			t.Fatal("search pages never end")
		}
		cursor = next
	}
	if pages < 2 || len(all) < 26 {
		t.Fatalf("the seed gave %d items in %d pages; the test needs several pages", len(all), pages)
	}

	// Each item, without and with images, with catalog data.
	ids := wireIDs(all, "entrupy_id")
	catalogNullable := wireNullable("", wireCatalogNullable)
	matched, unmatched := 0, 0
	for _, it := range all {
		if c, ok := it["catalog"]; !ok || c != nil {
			t.Errorf("search: item %v has catalog %s, want null (search has no include_catalog)", it["entrupy_id"], wireText(c))
		}
	}
	for _, id := range ids {
		path := "/v2/authentications/" + url.PathEscape(id)
		a := e.must(e.do("GET", path, nil), 200, "GET "+path)
		shapes.check("GET "+path, "item_envelope.json", wireFixture(t, "item_envelope.json"), a.body, itemEnvNullable)
		if img, ok := wireAt(a.body, "item").(map[string]any)["images"]; !ok || img != nil {
			t.Errorf("GET %s: images = %s, want null without include_images", path, wireText(img))
		}
		a = e.must(e.do("GET", path+"?include_images=true", nil), 200, "GET "+path+"?include_images=true")
		shapes.check("GET "+path+"?include_images=true", "item_envelope.json", wireFixture(t, "item_envelope.json"), a.body, itemEnvNullable)
		if img := wireAt(a.body, "item.images"); wireKind(img) != "array" {
			t.Errorf("GET %s?include_images=true: images = %s, want a list", path, wireText(img))
		}
		if c, ok := wireAt(a.body, "item").(map[string]any)["catalog"]; !ok || c != nil {
			t.Errorf("GET %s?include_images=true: catalog = %s, want null without include_catalog", path, wireText(c))
		}
		a = e.must(e.do("GET", path+"?include_catalog=true", nil), 200, "GET "+path+"?include_catalog=true")
		shapes.check("GET "+path+"?include_catalog=true", "item_envelope.json", wireFixture(t, "item_envelope.json"), a.body, itemEnvNullable)
		if img := wireAt(a.body, "item.images"); img != nil {
			t.Errorf("GET %s?include_catalog=true: images = %s, want null without include_images", path, wireText(img))
		}
		if c := wireAt(a.body, "item.catalog"); c == nil {
			unmatched++
		} else {
			matched++
			shapes.check("GET "+path+"?include_catalog=true: catalog", "catalog.json", wireFixture(t, "catalog.json"), c, catalogNullable)
		}
	}
	if matched == 0 || unmatched == 0 {
		t.Errorf("include_catalog: %d items with catalog data, %d without; the seed should have both", matched, unmatched)
	}

	// Lookup by customer_item_id.
	looked := 0
	for _, it := range all {
		cid, ok := wireAt(it, "text_fields.customer_item_id").(string)
		if !ok || looked >= 5 {
			continue
		}
		looked++
		path := "/v2/lookup/authentications/" + url.PathEscape(cid)
		a := e.must(e.do("GET", path, nil), 200, "GET "+path)
		shapes.check("GET "+path, "item_envelope.json", wireFixture(t, "item_envelope.json"), a.body, itemEnvNullable)
		wireSame(t, "lookup "+cid+": customer_item_id", wireAt(a.body, "item.text_fields.customer_item_id"), cid)
		if img := wireAt(a.body, "item.images"); img != nil {
			t.Errorf("GET %s: images = %s, want null", path, wireText(img))
		}
		if c := wireAt(a.body, "item.catalog"); c != nil {
			t.Errorf("GET %s: catalog = %s, want null (the lookup has no include_catalog)", path, wireText(c))
		}
	}
	if looked == 0 {
		t.Fatal("no seeded item has a customer_item_id")
	}

	// The search request fixtures: every filter form, every key, a cursor.
	t.Run("search request", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		req := wireObject(t, "search_request.json")
		want := wireFilter(all, req)
		lim, _ := req["limit"].(float64)
		limit := int(lim)
		if len(want) <= limit {
			t.Fatalf("search_request.json matches %d seeded items; the test needs more than its limit %d", len(want), limit)
		}
		first := wireObject(t, "search_request.json")
		delete(first, "cursor")
		a := e.must(e.do("POST", "/v2/search/authentications", first), 200, "search_request.json without its cursor")
		shapes.check("search_request.json", "search_page.json", wireFixture(t, "search_page.json"), a.body, pageNullable)
		wireSame(t, "search_request.json: item_count", wireAt(a.body, "item_count"), float64(len(want)))
		wireSame(t, "search_request.json: first page", wireIDs(wireItems(t, a.body), "entrupy_id"), wireIDs(want[:limit], "entrupy_id"))
		next, ok := wireAt(a.body, "next_cursor").(string)
		if !ok {
			t.Fatalf("no next_cursor with %d of %d matches shown", limit, len(want))
		}
		req["cursor"] = next // cursors are the server's: the fixture's own is a placeholder
		a = e.must(e.do("POST", "/v2/search/authentications", req), 200, "search_request.json")
		shapes.check("search_request.json with a cursor", "search_page.json", wireFixture(t, "search_page.json"), a.body, pageNullable)
		wireSame(t, "search_request.json: second page", wireIDs(wireItems(t, a.body), "entrupy_id"), wireIDs(want[limit:min(len(want), 2*limit)], "entrupy_id"))

		keys := wireObject(t, "search_request_all_keys.json")
		t.Logf("search_request.json matches %d seeded items, search_request_all_keys.json %d", len(want), len(wireFilter(all, keys)))
		a = e.must(e.do("POST", "/v2/search/authentications", keys), 200, "search_request_all_keys.json")
		shapes.check("search_request_all_keys.json", "search_page.json", wireFixture(t, "search_page.json"), a.body, pageNullable)
		wireSame(t, "search_request_all_keys.json: matches", wireIDs(wireItems(t, a.body), "entrupy_id"), wireIDs(wireFilter(all, keys), "entrupy_id"))
	})

	// Certificates, and a transfer created through the API.
	t.Run("certificates", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		var free string
		for _, it := range all {
			certID, ok := wireAt(it, "certificate.certificate_id").(string)
			if !ok {
				continue
			}
			path := "/v2/certificates/" + url.PathEscape(certID)
			a := e.must(e.do("GET", path, nil), 200, "GET "+path)
			shapes.check("GET "+path, "certificate.json", wrap("certificate.json"), a.body, certNullable)
			if st, _ := wireAt(a.body, "item.transfer.status").(string); free == "" && st != "pending" {
				free = certID
			}
		}
		if free == "" {
			t.Fatal("no certificate without a pending transfer")
		}
		body := wireObject(t, "transfer_request.json")
		path := "/v2/certificates/" + url.PathEscape(free) + "/transfers"
		a := e.must(e.do("POST", path, body, "Idempotency-Key", "wire-transfer-1"), 201, "POST "+path)
		shapes.check("POST "+path, "transfer.json", wrap("transfer.json"), a.body, none)
		wireSame(t, "transfer: recipient_email", wireAt(a.body, "item.recipient_email"), body["recipient_email"])
		wireSame(t, "transfer: status", wireAt(a.body, "item.status"), "pending")
		trID, _ := wireAt(a.body, "item.transfer_id").(string)

		cert := "/v2/certificates/" + url.PathEscape(free)
		a = e.must(e.do("GET", cert, nil), 200, "GET "+cert)
		shapes.check("GET "+cert+" with a pending transfer", "certificate.json", wrap("certificate.json"), a.body, certNullable)
		wireSame(t, "certificate: transfer.transfer_id", wireAt(a.body, "item.transfer.transfer_id"), trID)
		wireSame(t, "certificate: transfer.recipient_email", wireAt(a.body, "item.transfer.recipient_email"), body["recipient_email"])

		e.must(e.do("DELETE", path+"/"+url.PathEscape(trID), nil), 204, "DELETE transfer")
		a = e.must(e.do("GET", cert, nil), 200, "GET "+cert)
		shapes.check("GET "+cert+" with a cancelled transfer", "certificate.json", wrap("certificate.json"), a.body, certNullable)
		wireSame(t, "certificate: transfer.status after cancel", wireAt(a.body, "item.transfer.status"), "cancelled")

		// A withdrawn result [doc]: the item shows the new result, final,
		// and no longer links its certificate, which reads as revoked.
		var withdrawn, withdrawnCert string
		for _, it := range all {
			certID, ok := wireAt(it, "certificate.certificate_id").(string)
			if ok && certID != free {
				withdrawn, _ = it["entrupy_id"].(string)
				withdrawnCert = certID
				break
			}
		}
		cert = "/v2/certificates/" + url.PathEscape(withdrawnCert)
		before := e.must(e.do("GET", cert, nil), 200, "GET "+cert)
		wireSame(t, "certificate before the withdrawal: status", wireAt(before.body, "item.status"), "valid")
		wireSame(t, "certificate before the withdrawal: revoked_at", wireAt(before.body, "item.revoked_at"), nil)
		if a := e.do("POST", "/_emulator/authentications/"+url.PathEscape(withdrawn)+"/withdraw", map[string]any{"result": "unidentified"}); a.status != 204 {
			t.Fatalf("withdraw %s: %d %s", withdrawn, a.status, a.raw)
		}
		item := "/v2/authentications/" + url.PathEscape(withdrawn)
		a = e.must(e.do("GET", item, nil), 200, "GET "+item+" after the withdrawal")
		shapes.check("GET "+item+" after the withdrawal", "item_envelope.json", wireFixture(t, "item_envelope.json"), a.body, wireNullable("item.", wireItemNullable))
		wireSame(t, "withdrawn item: certificate", wireAt(a.body, "item.certificate"), nil)
		wireSame(t, "withdrawn item: status.result", wireAt(a.body, "item.status.result"), map[string]any{"id": "unidentified", "display": "Unidentified", "final": true, "reason": nil})
		a = e.must(e.do("GET", cert, nil), 200, "GET "+cert+" revoked")
		shapes.check("GET "+cert+" revoked", "certificate.json", wrap("certificate.json"), a.body, certNullable)
		wireSame(t, "revoked certificate: status", wireAt(a.body, "item.status"), "revoked")
		if at, _ := wireAt(a.body, "item.revoked_at").(string); !strings.HasSuffix(at, "Z") || len(at) != len("2026-05-20T09:00:00Z") {
			t.Errorf("revoked certificate: revoked_at = %s, want an RFC 3339 UTC time", wireText(wireAt(a.body, "item.revoked_at")))
		}
		for _, k := range []string{"site", "preview", "entrupy_id", "holder", "photos", "authenticated_at"} {
			wireSame(t, "revoked certificate: "+k, wireAt(a.body, "item."+k), wireAt(before.body, "item."+k))
		}
		a = e.must(e.do("POST", cert+"/transfers", body), 409, "POST a transfer of a revoked certificate")
		shapes.check("409 for a revoked certificate's transfer", "error_not_found.json", notFound, a.body, none)
		wireSame(t, "409: code", wireAt(a.body, "code"), "conflict")

		a = e.must(e.do("GET", "/v2/certificates/C-NOSUCHCERT", nil), 404, "GET unknown certificate")
		shapes.check("GET unknown certificate", "error_not_found.json", notFound, a.body, none)
	})

	// Integration users.
	t.Run("users", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		create := wireObject(t, "create_user_request.json")
		uid := wireString(t, create, "unique_user_id")
		a := e.must(e.do("POST", "/v2/integrations/users", create, "Idempotency-Key", "wire-user-1"), 201, "POST user")
		shapes.check("POST /v2/integrations/users", "user.json", wrap("user.json"), a.body, none)
		for _, k := range []string{"unique_user_id", "email", "first_name", "last_name", "metadata"} {
			wireSame(t, "created user: "+k, wireAt(a.body, "item."+k), create[k])
		}
		wireSame(t, "created user: username", wireAt(a.body, "item.username"), "Acme-"+uid)

		path := "/v2/integrations/users/" + url.PathEscape(uid)
		a = e.must(e.do("GET", path, nil), 200, "GET "+path)
		shapes.check("GET "+path, "user.json", wrap("user.json"), a.body, none)

		patch := wireObject(t, "update_user_request.json")
		a = e.must(e.do("PATCH", path, patch), 200, "PATCH "+path)
		shapes.check("PATCH "+path, "user.json", wrap("user.json"), a.body, none)
		wireSame(t, "patched user: email", wireAt(a.body, "item.email"), patch["email"])
		wireSame(t, "patched user: metadata", wireAt(a.body, "item.metadata"), wireMerged(create["metadata"], patch["metadata"]))
		wireSame(t, "patched user: first_name", wireAt(a.body, "item.first_name"), create["first_name"])

		auth := wireObject(t, "authorize_request.json")
		a = e.must(e.do("POST", "/v2/integrations/authorize-user", auth, "Idempotency-Key", "wire-authorize-1"), 200, "POST authorize-user")
		shapes.check("POST /v2/integrations/authorize-user", "authorize_response.json", wireFixture(t, "authorize_response.json"), a.body, none)
		wireSame(t, "authorize: username", wireAt(a.body, "username"), "Acme-"+wireString(t, auth, "unique_user_id"))
		if s, _ := wireAt(a.body, "signed_authorization_request").(string); s == "" {
			t.Error("authorize: empty signed_authorization_request")
		}
		authPath := "/v2/integrations/users/" + url.PathEscape(wireString(t, auth, "unique_user_id"))
		a = e.must(e.do("GET", authPath, nil), 200, "GET "+authPath)
		shapes.check("GET "+authPath, "user.json", wrap("user.json"), a.body, none)
		for _, k := range []string{"email", "first_name", "last_name"} {
			wireSame(t, "authorized user: "+k, wireAt(a.body, "item."+k), auth[k])
		}

		// Enough users for two pages.
		for i := range 25 {
			e.must(e.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": fmt.Sprintf("wire-user-%04d", i), "email": "w@example.com"}), 201, "POST user")
		}
		listNullable := wireNullable("", nil, "next_cursor")
		a = e.must(e.do("GET", "/v2/integrations/users", nil), 200, "GET users")
		shapes.check("GET /v2/integrations/users", "users_page.json", wireFixture(t, "users_page.json"), a.body, listNullable)
		next, ok := wireAt(a.body, "next_cursor").(string)
		if !ok {
			t.Fatalf("27 users on one page: %s", a.raw)
		}
		page1 := wireIDs(wireItems(t, a.body), "unique_user_id")
		a = e.must(e.do("GET", "/v2/integrations/users?cursor="+url.QueryEscape(next), nil), 200, "GET users page 2")
		shapes.check("GET /v2/integrations/users?cursor=", "users_page.json", wireFixture(t, "users_page.json"), a.body, listNullable)
		got := append(page1, wireIDs(wireItems(t, a.body), "unique_user_id")...)
		if len(got) != 27 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 27 {
			t.Errorf("two pages of users: %v, want 27 distinct", got)
		}

		// Deactivate one (not the fixture's user: the webhooks use it).
		gone := "/v2/integrations/users/wire-user-0000"
		e.must(e.do("DELETE", gone, nil), 204, "DELETE "+gone)
		a = e.must(e.do("GET", gone, nil), 404, "GET deleted user")
		shapes.check("GET deleted user", "error_not_found.json", notFound, a.body, none)
	})

	// Webhooks.
	t.Run("webhooks", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		// The fixture limits the webhook to a user: it must exist.
		create := wireObject(t, "create_webhook_request.json")
		owner := wireString(t, create, "username")
		uid := strings.TrimPrefix(owner, "Acme-")
		if a := e.do("GET", "/v2/integrations/users/"+url.PathEscape(uid), nil); a.status == 404 {
			e.must(e.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": uid, "email": "owner@example.com"}), 201, "POST webhook owner")
		}
		a := e.must(e.do("POST", "/v2/webhooks", create, "Api-Version", "1.4", "Idempotency-Key", "wire-hook-1"), 201, "POST webhook")
		whNullable := wireNullable("item.", []string{"username"})
		shapes.check("POST /v2/webhooks", "webhook.json", wrap("webhook.json"), a.body, whNullable)
		for _, k := range []string{"url", "description", "enabled", "username", "metadata"} {
			wireSame(t, "created webhook: "+k, wireAt(a.body, "item."+k), create[k])
		}
		wireSame(t, "created webhook: events", wireSortedStrings(wireAt(a.body, "item.events")), wireSortedStrings(create["events"]))
		wireSame(t, "created webhook: api_version", wireAt(a.body, "item.api_version"), "1.4")
		if _, leaked := wireAt(a.body, "item").(map[string]any)["secret_key"]; leaked {
			t.Error("the webhook answer returns the secret")
		}
		id, _ := wireAt(a.body, "item.id").(string)
		path := "/v2/webhooks/" + url.PathEscape(id)

		a = e.must(e.do("GET", path, nil), 200, "GET "+path)
		shapes.check("GET "+path, "webhook.json", wrap("webhook.json"), a.body, whNullable)

		patch := wireObject(t, "update_webhook_request.json")
		a = e.must(e.do("PATCH", path, patch), 200, "PATCH "+path)
		shapes.check("PATCH "+path, "webhook.json", wrap("webhook.json"), a.body, whNullable)
		for _, k := range []string{"url", "description", "enabled"} {
			wireSame(t, "patched webhook: "+k, wireAt(a.body, "item."+k), patch[k])
		}
		wireSame(t, "patched webhook: events", wireSortedStrings(wireAt(a.body, "item.events")), wireSortedStrings(patch["events"]))
		wireSame(t, "patched webhook: metadata", wireAt(a.body, "item.metadata"), wireMerged(create["metadata"], patch["metadata"]))
		wireSame(t, "patched webhook: username", wireAt(a.body, "item.username"), owner)
		wireSame(t, "patched webhook: api_version", wireAt(a.body, "item.api_version"), "1.4")

		// Enough webhooks for two pages, organisation-wide (username null).
		for i := range 25 {
			e.must(e.do("POST", "/v2/webhooks", map[string]any{"url": fmt.Sprintf("https://h%d.example.com/hook", i), "secret_key": "s", "events": []string{"support.message"}}), 201, "POST webhook")
		}
		listNullable := wireNullable("items[].", []string{"username"}, "next_cursor")
		a = e.must(e.do("GET", "/v2/webhooks", nil), 200, "GET webhooks")
		shapes.check("GET /v2/webhooks", "webhooks_page.json", wireFixture(t, "webhooks_page.json"), a.body, listNullable)
		next, ok := wireAt(a.body, "next_cursor").(string)
		if !ok {
			t.Fatalf("26 webhooks on one page: %s", a.raw)
		}
		page1 := wireIDs(wireItems(t, a.body), "id")
		a = e.must(e.do("GET", "/v2/webhooks?cursor="+url.QueryEscape(next), nil), 200, "GET webhooks page 2")
		shapes.check("GET /v2/webhooks?cursor=", "webhooks_page.json", wireFixture(t, "webhooks_page.json"), a.body, listNullable)
		got := append(page1, wireIDs(wireItems(t, a.body), "id")...)
		if len(got) != 26 || len(slices.Compact(slices.Sorted(slices.Values(got)))) != 26 {
			t.Errorf("two pages of webhooks: %v, want 26 distinct", got)
		}

		e.must(e.do("DELETE", path, nil), 204, "DELETE "+path)
		a = e.must(e.do("GET", path, nil), 404, "GET deleted webhook")
		shapes.check("GET deleted webhook", "error_not_found.json", notFound, a.body, none)
	})

	// Deliveries: a webhook of api_version 2 gets the envelope
	// (webhook_event.json), one of 1.4 the item itself
	// (webhook_event_v1_4.json) [doc], both signed the same way.
	t.Run("deliveries", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		type received struct {
			path, signature string
			body            []byte
		}
		got := make(chan received, 4)
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			got <- received{path: r.URL.Path, signature: r.Header.Get("Entrupy-Signature"), body: b}
			w.WriteHeader(http.StatusNoContent)
		}))
		t.Cleanup(rcv.Close)
		secrets := map[string]string{"/v2": "whsec-wire-v2", "/v1.4": "whsec-wire-v14"}
		for path, version := range map[string]string{"/v2": "", "/v1.4": "1.4"} {
			hook := map[string]any{"url": rcv.URL + path, "secret_key": secrets[path], "events": []string{"session.completed"}}
			hdr := []string{"Idempotency-Key", "wire-delivery" + path}
			if version != "" {
				hdr = append(hdr, "Api-Version", version)
			}
			a := e.must(e.do("POST", "/v2/webhooks", hook, hdr...), 201, "POST webhook for "+path)
			want := version
			if want == "" {
				want = "2"
			}
			wireSame(t, "delivery webhook "+path+": api_version", wireAt(a.body, "item.api_version"), want)
		}
		var pending string
		for _, it := range all {
			if wireAt(it, "status.result.final") == false {
				pending, _ = it["entrupy_id"].(string)
				break
			}
		}
		if pending == "" {
			t.Fatal("no seeded authentication is still in progress")
		}
		if a := e.do("POST", "/_emulator/authentications/"+url.PathEscape(pending)+"/complete", map[string]any{"result": "authentic"}); a.status != 204 {
			t.Fatalf("complete %s: %d %s", pending, a.status, a.raw)
		}
		bodies := map[string]received{}
		for len(bodies) < 2 {
			select {
			case r := <-got:
				bodies[r.path] = r
			case <-time.After(10 * time.Second):
				t.Fatalf("deliveries received: %d of 2", len(bodies))
			}
		}
		item := e.must(e.do("GET", "/v2/authentications/"+url.PathEscape(pending), nil), 200, "GET completed item")
		for path, r := range bodies {
			if err := entrupy.VerifySignature(secrets[path], r.signature, r.body, time.Minute); err != nil {
				t.Errorf("delivery to %s: signature %q does not verify: %v", path, r.signature, err)
			}
		}
		var envelope, bare any
		if err := json.Unmarshal(bodies["/v2"].body, &envelope); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(bodies["/v1.4"].body, &bare); err != nil {
			t.Fatal(err)
		}
		shapes.check("delivery to a webhook of api_version 2", "webhook_event.json", wireFixture(t, "webhook_event.json"), envelope, wireNullable("data.item.", wireItemNullable))
		shapes.check("delivery to a webhook of api_version 1.4", "webhook_event_v1_4.json", wireFixture(t, "webhook_event_v1_4.json"), bare, wireNullable("", wireItemNullable))
		wireSame(t, "api_version 2 delivery: type", wireAt(envelope, "type"), "session.completed")
		wireSame(t, "api_version 2 delivery: data.item", wireAt(envelope, "data.item"), wireAt(item.body, "item"))
		wireSame(t, "api_version 1.4 delivery: the item", bare, wireAt(item.body, "item"))
	})

	// Error bodies.
	t.Run("errors", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		bad := wireObject(t, "create_webhook_request.json")
		bad["url"] = "ftp://hooks.example.com/entrupy"
		delete(bad, "username")
		a := e.must(e.do("POST", "/v2/webhooks", bad), 400, "POST webhook with an ftp url")
		shapes.check("400 for a bad url", "error.json", wireFixture(t, "error.json"), a.body, none)
		wireSame(t, "400: code", wireAt(a.body, "code"), "invalid_request")
		wireSame(t, "400: field", wireAt(a.body, "field"), "url")

		a = e.must(e.do("GET", "/v2/authentications/NOSUCHID", nil), 404, "GET unknown item")
		shapes.check("404 for an unknown item", "error_not_found.json", notFound, a.body, none)
		wireSame(t, "404: code", wireAt(a.body, "code"), "not_found")
	})

	// Test deliveries and the delivery history, against a real receiver
	// on 127.0.0.1 that verifies Entrupy-Signature.
	t.Run("deliveries", func(t *testing.T) {
		e, shapes := e.on(t), shapes.on(t)
		const secret = "whsec-wire-deliveries"
		var mu sync.Mutex
		var got []map[string]any
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if entrupy.VerifySignature(secret, r.Header.Get("Entrupy-Signature"), b, time.Minute) != nil {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			var ev map[string]any
			_ = json.Unmarshal(b, &ev)
			mu.Lock()
			got = append(got, ev)
			mu.Unlock()
			if r.URL.Path == "/fail" {
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			w.WriteHeader(http.StatusOK)
		}))
		t.Cleanup(rcv.Close)
		dead := httptest.NewServer(http.NotFoundHandler())
		dead.Close() // nothing listens there any more
		hook := func(url string, enabled bool) string {
			a := e.must(e.do("POST", "/v2/webhooks", map[string]any{
				"url": url, "secret_key": secret, "events": []string{"support.message", "session.completed"}, "enabled": enabled,
			}), 201, "POST webhook")
			id, _ := wireAt(a.body, "item.id").(string)
			return "/v2/webhooks/" + id
		}
		ok, failing, unreachable, disabled := hook(rcv.URL+"/ok", true), hook(rcv.URL+"/fail", true), hook(dead.URL+"/gone", true), hook(rcv.URL+"/ok", false)
		dlvNullable := wireNullable("item.", []string{"response_status", "error", "duration_ms"})

		a := e.must(e.do("POST", ok+"/test", wireObject(t, "test_webhook_request.json")), 200, "POST test")
		shapes.check("POST "+ok+"/test", "delivery.json", wrap("delivery.json"), a.body, dlvNullable)
		for k, want := range map[string]any{"status": "succeeded", "response_status": 200.0, "error": nil, "test": true, "attempt": 1.0, "event_type": "support.message"} {
			wireSame(t, "test delivery: "+k, wireAt(a.body, "item."+k), want)
		}
		if id, _ := wireAt(a.body, "item.id").(string); !strings.HasPrefix(id, "dlv_") {
			t.Errorf("delivery id %q, want dlv_…", id)
		}
		mu.Lock()
		if len(got) != 1 || got[0]["test"] != true || got[0]["type"] != "support.message" || got[0]["id"] != wireAt(a.body, "item.event_id") {
			t.Errorf("the receiver got %v, want one signed support.message test event %v", got, wireAt(a.body, "item.event_id"))
		}
		mu.Unlock()
		first := e.must(e.do("POST", ok+"/test", nil), 200, "POST test without a body")
		wireSame(t, "test of the first event", wireAt(first.body, "item.event_type"), "session.completed")

		a = e.must(e.do("POST", failing+"/test", map[string]any{}), 200, "POST test to a failing receiver")
		shapes.check("POST "+failing+"/test", "delivery.json", wrap("delivery.json"), a.body, dlvNullable)
		wireSame(t, "failing receiver: status", wireAt(a.body, "item.status"), "failed")
		wireSame(t, "failing receiver: response_status", wireAt(a.body, "item.response_status"), 500.0)
		a = e.must(e.do("POST", unreachable+"/test", map[string]any{}), 200, "POST test to nobody")
		shapes.check("POST "+unreachable+"/test", "delivery.json", wrap("delivery.json"), a.body, dlvNullable)
		wireSame(t, "unreachable receiver: status", wireAt(a.body, "item.status"), "failed")
		wireSame(t, "unreachable receiver: response_status", wireAt(a.body, "item.response_status"), nil)
		if msg, _ := wireAt(a.body, "item.error").(string); msg == "" {
			t.Errorf("unreachable receiver: error %v, want the network error", wireAt(a.body, "item.error"))
		}

		a = e.must(e.do("POST", disabled+"/test", map[string]any{}), 409, "POST test of a disabled webhook")
		wireSame(t, "disabled: code", wireAt(a.body, "code"), "conflict")
		a = e.must(e.do("POST", ok+"/test", map[string]any{"event": "certificate.transfer"}), 400, "POST test of an unsubscribed event")
		shapes.check("400 for an unsubscribed event", "error.json", wireFixture(t, "error.json"), a.body, none)
		wireSame(t, "unsubscribed: field", wireAt(a.body, "field"), "event")
		e.must(e.do("POST", ok+"/test", map[string]any{"event": "item.archived"}), 400, "POST test of an unknown event")
		e.must(e.do("POST", "/v2/webhooks/wh_0000000000000000/test", map[string]any{}), 404, "POST test of an unknown webhook")
		e.must(e.do("GET", "/v2/webhooks/wh_0000000000000000/deliveries", nil), 404, "GET deliveries of an unknown webhook")

		// Enough deliveries for two pages, newest first.
		for range 24 {
			e.must(e.do("POST", ok+"/test", map[string]any{}), 200, "POST test")
		}
		listNullable := wireNullable("items[].", []string{"response_status", "error", "duration_ms"}, "next_cursor")
		a = e.must(e.do("GET", ok+"/deliveries", nil), 200, "GET deliveries")
		shapes.check("GET "+ok+"/deliveries", "deliveries_page.json", wireFixture(t, "deliveries_page.json"), a.body, listNullable)
		next, more := wireAt(a.body, "next_cursor").(string)
		if !more {
			t.Fatalf("26 deliveries on one page: %s", a.raw)
		}
		page1 := wireItems(t, a.body)
		a = e.must(e.do("GET", ok+"/deliveries?cursor="+url.QueryEscape(next), nil), 200, "GET deliveries page 2")
		shapes.check("GET "+ok+"/deliveries?cursor=", "deliveries_page.json", wireFixture(t, "deliveries_page.json"), a.body, listNullable)
		all := append(page1, wireItems(t, a.body)...)
		ids := wireIDs(all, "id")
		if len(ids) != 26 || len(slices.Compact(slices.Sorted(slices.Values(ids)))) != 26 || wireAt(a.body, "next_cursor") != nil {
			t.Fatalf("two pages of deliveries: %v, want 26 distinct and the end", ids)
		}
		// The oldest two are the first tests, the newest the last one sent.
		wireSame(t, "oldest delivery", all[25]["event_type"], "support.message")
		wireSame(t, "second oldest delivery", all[24]["id"], wireAt(first.body, "item.id"))
		for i := 1; i < len(all); i++ {
			if wireString(t, all[i-1], "created_at") < wireString(t, all[i], "created_at") {
				t.Fatalf("deliveries not newest first: %v before %v", all[i-1], all[i])
			}
		}
		// Each webhook has its own history.
		a = e.must(e.do("GET", failing+"/deliveries", nil), 200, "GET deliveries of the failing webhook")
		shapes.check("GET "+failing+"/deliveries", "deliveries_page.json", wireFixture(t, "deliveries_page.json"), a.body, listNullable)
		if items := wireItems(t, a.body); len(items) != 1 || items[0]["status"] != "failed" || items[0]["response_status"] != 500.0 {
			t.Errorf("the failing webhook's history: %s", a.raw)
		}
		a = e.must(e.do("GET", unreachable+"/deliveries", nil), 200, "GET deliveries of the unreachable webhook")
		shapes.check("GET "+unreachable+"/deliveries", "deliveries_page.json", wireFixture(t, "deliveries_page.json"), a.body, listNullable)
	})

	// Every path of every fixture compared must have been met non-null at
	// least once: otherwise a nested object (or a value) went unchecked.
	names := make([]string, 0, len(shapes.want))
	for name := range shapes.want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		var paths []string
		wirePaths("", shapes.want[name], &paths)
		sort.Strings(paths)
		var unseen []string
		for _, p := range paths {
			// include_images is a query of the GET route: search answers
			// carry images null, so their elements are checked on GET only.
			if name == "search_page.json" && strings.HasPrefix(p, "items[].images") {
				continue
			}
			// catalog is null in the item fixtures but item.json; answers'
			// catalogs are checked against catalog.json.
			if p == "items[].catalog" || p == "item.catalog" {
				continue
			}
			// A delivery's item is the item GET answers (compared equal
			// above), whose every path item_envelope.json covers: one
			// delivery cannot show every field non-null. Deliveries
			// carry neither images nor catalog data.
			if name == "webhook_event.json" && strings.HasPrefix(p, "data.item.") ||
				name == "webhook_event_v1_4.json" && (strings.Contains(p, ".") || p == "images" || p == "catalog") {
				continue
			}
			if !shapes.seen[name][p] {
				unseen = append(unseen, p)
			}
		}
		if len(unseen) > 0 {
			t.Errorf("%s: never met non-null in an answer, so not checked: %v", name, unseen)
		}
	}
}
