package entrupy_test

// Wire tests: the client against the hand-written fixtures of
// testdata/wire (see its README). The client and the emulator once shared
// every JSON tag, so a renamed tag broke nothing in the other tests; here
// each side meets literal JSON instead. Header names, paths and query keys
// below are literals on purpose: they must not follow a renamed constant.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

const wireFixtureDir = "testdata/wire"

// wireFile returns a fixture's bytes.
func wireFile(t *testing.T, name string) []byte {
	t.Helper()
	return fixtureFile(t, wireFixtureDir, name)
}

// fixtureFile returns the bytes of a file of a fixture directory.
func fixtureFile(t *testing.T, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// wireGeneric decodes JSON into maps, slices and scalars.
func wireGeneric(t *testing.T, what string, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v\n%s", what, err, b)
	}
	return v
}

// wireEnvelope wraps a fixture as {"item": ...}, as single objects travel.
func wireEnvelope(t *testing.T, name string) string {
	t.Helper()
	return `{"item": ` + string(wireFile(t, name)) + `}`
}

// wireDiff lists every difference between two generic JSON values: keys
// missing from got (a tag the client does not map), keys got has and want
// lacks (a renamed tag), and differing values.
func wireDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an object, got %s", wirePath(path), wireJSONText(got))}
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		var out []string
		for _, k := range sorted {
			wv, inWant := w[k]
			gv, inGot := g[k]
			switch {
			case !inGot:
				out = append(out, fmt.Sprintf("%s: key missing (not mapped?)", path+"."+k))
			case !inWant:
				out = append(out, fmt.Sprintf("%s: unexpected key = %s", path+"."+k, wireJSONText(gv)))
			default:
				out = append(out, wireDiff(path+"."+k, wv, gv)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want an array, got %s", wirePath(path), wireJSONText(got))}
		}
		if len(g) != len(w) {
			return []string{fmt.Sprintf("%s: want %d elements, got %d", wirePath(path), len(w), len(g))}
		}
		var out []string
		for i := range w {
			out = append(out, wireDiff(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{fmt.Sprintf("%s: want %s, got %s", wirePath(path), wireJSONText(want), wireJSONText(got))}
		}
		return nil
	}
}

func wirePath(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

func wireJSONText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// wireSameJSON fails the test when two JSON texts differ as generic JSON.
func wireSameJSON(t *testing.T, what string, want, got []byte) {
	t.Helper()
	if d := wireDiff("", wireGeneric(t, what+" (want)", want), wireGeneric(t, what+" (got)", got)); len(d) > 0 {
		t.Errorf("%s differs from the contract:\n  %s\ngot: %s", what, strings.Join(d, "\n  "), got)
	}
}

// wireAs decodes b into a T, as the client does, and returns it.
func wireAs[T any](b []byte) (any, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}

// wireResponseTypes maps each response fixture to the client type that
// decodes it. health.json and the error bodies decode into unexported types:
// TestWireRequests (Health.Check) and TestWireErrorBodies cover them. Items
// are not a wire type of the client (DecodeItem reads every shape of them
// into one model): wireItemFixtures lists theirs.
var wireResponseTypes = []struct {
	name   string
	decode func([]byte) (any, error)
}{
	{"catalog.json", wireAs[entrupy.Catalog]},
	{"certificate.json", wireAs[entrupy.Certificate]},
	{"transfer.json", wireAs[entrupy.Transfer]},
	{"user.json", wireAs[entrupy.User]},
	{"users_page.json", wireAs[entrupy.Page[entrupy.User]]},
	{"webhook.json", wireAs[entrupy.Webhook]},
	{"webhooks_page.json", wireAs[entrupy.Page[entrupy.Webhook]]},
	{"delivery.json", wireAs[entrupy.Delivery]},
	{"deliveries_page.json", wireAs[entrupy.Page[entrupy.Delivery]]},
	{"authorize_response.json", wireAs[entrupy.AuthorizeResponse]},
}

// wireItemFixtures are the fixtures holding items in the contract's v1.4
// shape, with a function returning their items' raw JSON.
var wireItemFixtures = []struct {
	name  string
	items func(t *testing.T, b []byte) []json.RawMessage
}{
	{"item.json", wireBareItem},
	{"item_envelope.json", wireEnvelopedItem},
	{"item_with_catalog.json", wireEnvelopedItem},
	{"search_page.json", wirePageItems},
	{"webhook_event_v1_4.json", wireBareItem},
}

func wireBareItem(_ *testing.T, b []byte) []json.RawMessage { return []json.RawMessage{b} }

func wireEnvelopedItem(t *testing.T, b []byte) []json.RawMessage {
	t.Helper()
	var env entrupy.ItemEnvelope[json.RawMessage]
	if err := json.Unmarshal(b, &env); err != nil {
		t.Fatal(err)
	}
	return []json.RawMessage{env.Item}
}

func wirePageItems(t *testing.T, b []byte) []json.RawMessage {
	t.Helper()
	var page struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(b, &page); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// TestWireItemsRead: DecodeItem reads every item of the v1.4 fixtures
// whole: no member left unread, Raw the item's own bytes; and an item with
// unknown keys added at every level reads the same.
func TestWireItemsRead(t *testing.T) {
	t.Parallel()
	for _, tc := range wireItemFixtures {
		raws := tc.items(t, wireFile(t, tc.name))
		if len(raws) == 0 {
			t.Fatalf("%s holds no item", tc.name)
		}
		for i, raw := range raws {
			it, err := entrupy.DecodeItem(raw, "en")
			if err != nil {
				t.Fatalf("%s item %d: %v", tc.name, i, err)
			}
			if len(it.Unread) > 0 || string(it.Raw) != string(raw) {
				t.Errorf("%s item %d: unread %v, raw %s", tc.name, i, it.Unread, it.Raw)
			}
			grown, err := json.Marshal(wireAddUnknown(wireGeneric(t, tc.name, raw)))
			if err != nil {
				t.Fatal(err)
			}
			more, err := entrupy.DecodeItem(grown, "en")
			if err != nil || len(more.Unread) > 0 {
				t.Fatalf("%s item %d with unknown keys: %v, unread %v", tc.name, i, err, more.Unread)
			}
			wireCheck(t, tc.name+" with unknown keys", wireModel(more), wireModel(it))
		}
	}
}

// wireModel is an item without its raw JSON, to compare what was read.
func wireModel(it entrupy.Item) entrupy.Item {
	it.Raw = nil
	return it
}

// TestWireResponsesRoundTrip: the client decodes each response fixture and
// loses nothing. Decoding into the client's type and encoding it again must
// give the fixture back: a key the client does not map (a renamed tag)
// comes back missing or renamed. No response type drops a field or adds
// omitempty to one the fixtures carry, so no exception is needed.
func TestWireResponsesRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tc := range wireResponseTypes {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			raw := wireFile(t, tc.name)
			v, err := tc.decode(raw)
			if err != nil {
				t.Fatalf("decoding %s: %v", tc.name, err)
			}
			again, err := json.Marshal(v)
			if err != nil {
				t.Fatal(err)
			}
			wireSameJSON(t, tc.name+" decoded and encoded again", raw, again)
		})
	}
}

func wireStr(s string) *string { return &s }

// wireWantItem is item.json as the client must see it. A round trip alone
// cannot catch two same-typed fields whose tags were swapped; these values
// can.
func wireWantItem() entrupy.Item {
	final := true
	created := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	return entrupy.Item{
		EntrupyID: "1SALEFYH",
		Owner:     entrupy.Owner{OrganizationName: wireStr("Acme"), Username: wireStr("Acme-user_0001")},
		Certificate: &entrupy.ItemCertificate{
			CertificateID: wireStr("C-1SALEFYH"), Site: wireStr("https://cert.entrupy.com/1SALEFYH"), Preview: wireStr("https://cert.entrupy.com/1SALEFYH.png"),
		},
		Properties: entrupy.Properties{
			Brand:    &entrupy.ItemValue{ID: wireStr("louis_vuitton"), Display: wireStr("Louis Vuitton")},
			Material: &entrupy.ItemValue{ID: wireStr("damier_azur_canvas"), Display: wireStr("Damier Azur Canvas")},
			ItemType: &entrupy.ItemValue{ID: wireStr("tops"), Display: wireStr("Tops")},
		},
		Status: entrupy.Status{
			Flag:   wireStr("flagged"),
			Result: &entrupy.Result{ID: wireStr("authentic"), Display: wireStr("Authentic"), Final: &final, Reason: wireStr("image_quality")},
		},
		TextFields: entrupy.TextFields{
			Identifier: wireStr("SD4128"), CustomerItemID: wireStr("SKU-1"), StyleCode: wireStr("DD1391-100"), USSize: wireStr("10.5"),
		},
		Timestamp: entrupy.Timestamp{Created: &created},
		Activity: entrupy.Activity{
			Name: wireStr("fingerprint"), Mode: wireStr("register"), FormFactor: wireStr("microscopic"), ProductCategory: wireStr("luxury"),
		},
		Images: []entrupy.Image{
			{RegionID: wireStr("box_label"), DeviceType: wireStr("camera"), URL: wireStr("https://images.entrupy.com/1SALEFYH/box_label.jpg")},
			{RegionID: wireStr("size_tag"), DeviceType: wireStr("microscope"), URL: wireStr("https://images.entrupy.com/1SALEFYH/size_tag.jpg")},
		},
		Catalog: wireWantCatalog(),
	}
}

func wireFloat(f float64) *float64 { return &f }

// wireWantCatalog is catalog.json (and item.json's catalog) as the client
// must see it. The prices stay the strings the fixture carries.
func wireWantCatalog() *entrupy.Catalog {
	return &entrupy.Catalog{
		ProductInformation: entrupy.ProductInformation{
			Brand: wireStr("Louis Vuitton"), Category: wireStr("Tote Bag"), Style: wireStr("Neverfull MM"),
			Material: wireStr("Damier Azur Canvas"), Colorway: wireStr("Azur/Beige"),
			Description:  wireStr("Louis Vuitton Neverfull MM tote in Damier Azur canvas with natural cowhide trim and a removable pouch."),
			SerialNumber: wireStr("SD4128"),
		},
		ConditionAssessment: &entrupy.ConditionAssessment{
			Rating: "B", Score: wireFloat(82.5),
			Issues: []string{"Light patina on the handles", "Faint scratches on the hardware"},
			Notes:  wireStr("Corners clean; lining without stains."),
		},
		MarketplaceListings: []entrupy.MarketplaceListing{
			{
				Platform: "The RealReal", Title: "Louis Vuitton Damier Azur Neverfull MM",
				URL:   "https://therealreal.example/products/louis-vuitton-damier-azur-neverfull-mm-8813",
				Price: "1250.00", Currency: "USD", Region: wireStr("US"),
			},
			{
				Platform: "Vestiaire Collective", Title: "Neverfull MM Damier Azur",
				URL:   "https://vestiairecollective.example/women-bags/handbags/louis-vuitton/neverfull-mm-40117.shtml",
				Price: "1090.50", Currency: "EUR", Region: wireStr("EU"),
			},
		},
	}
}

// wireWantSneakerCatalog is item_with_catalog.json's catalog: the null forms.
func wireWantSneakerCatalog() *entrupy.Catalog {
	return &entrupy.Catalog{
		ProductInformation: entrupy.ProductInformation{
			Brand: wireStr("Jordan"), Category: wireStr("Sneakers"), Style: wireStr("Air Jordan 1 Retro High OG"),
			Colorway: wireStr("Varsity Red/Black/Sail"),
		},
		ConditionAssessment: &entrupy.ConditionAssessment{Rating: "A", Issues: []string{}},
		MarketplaceListings: []entrupy.MarketplaceListing{{
			Platform: "SNKRDUNK", Title: "Air Jordan 1 Retro High OG Varsity Red 27.5cm",
			URL: "https://snkrdunk.example/products/DZ5485-612", Price: "28600", Currency: "JPY",
		}},
	}
}

func wireWantTransfer() entrupy.Transfer {
	return entrupy.Transfer{
		TransferID: "tr_9e04b7c1a2d35f86", Status: "pending", RecipientEmail: "hana.buyer@example.com", InitiatedAt: "2026-05-03T12:15:00Z",
	}
}

func wireWantCertificate() entrupy.Certificate {
	return entrupy.Certificate{
		CertificateID: "C-1SALEFYH", EntrupyID: "1SALEFYH",
		Site: "https://cert.entrupy.com/1SALEFYH", Preview: "https://cert.entrupy.com/1SALEFYH.png",
		AuthenticatedAt: "2026-05-01T10:00:00Z",
		Brand:           entrupy.IDDisplay{ID: "louis_vuitton", Display: "Louis Vuitton"},
		DateCode:        wireStr("SD4128"), StyleCode: wireStr("N41207"), SerialNumber: wireStr("LV88213Q"), CustomerItemID: wireStr("SKU-1"),
		Photos: []string{"https://images.entrupy.com/1SALEFYH/exterior_front.jpg", "https://images.entrupy.com/1SALEFYH/date_code.jpg"},
		Holder: entrupy.Holder{Username: "Acme-user_0001", Name: "Ada Holder"},
		Transfer: &entrupy.Transfer{
			TransferID: "tr_5d1c9e2a7b3f4068", Status: "pending", RecipientEmail: "buyer@example.com", InitiatedAt: "2026-05-02T08:30:00Z",
		},
		Status: "revoked", RevokedAt: wireStr("2026-05-20T09:00:00Z"),
	}
}

func wireWantUser() entrupy.User {
	return entrupy.User{
		UniqueUserID: "store-berlin-07", Username: "Acme-store-berlin-07", Email: "berlin@example.com",
		FirstName: "Greta", LastName: "Lang", CreatedAt: "2026-05-01T10:00:00Z",
		Metadata: map[string]string{"terraform_config": "prod-eu", "team": "retail"},
	}
}

func wireWantWebhook() entrupy.Webhook {
	return entrupy.Webhook{
		ID: "wh_3f9a0c1d2e4b5a67", URL: "https://hooks.example.com/entrupy",
		Events:      []string{"certificate.transfer", "session.completed"},
		Description: "production", Enabled: true, Username: wireStr("Acme-store-berlin-07"), APIVersion: "1.4",
		CreatedAt: "2026-05-01T10:00:00Z", UpdatedAt: "2026-05-01T11:30:00Z",
		Metadata: map[string]string{"terraform_config": "prod-eu", "owner": "ops"},
	}
}

func wireWantDelivery() entrupy.Delivery {
	status, ms := 500, int64(184)
	return entrupy.Delivery{
		ID: "dlv_7c2e91b0a4d35f18", EventID: "evt_4b8d0e2f9a1c7d63", EventType: "session.completed", Test: true,
		Attempt: 2, Status: "failed", ResponseStatus: &status, Error: wireStr("read tcp 127.0.0.1:52814: connection reset by peer"),
		DurationMS: &ms, CreatedAt: "2026-05-01T12:00:03Z",
	}
}

func wireWantAuthorize() entrupy.AuthorizeResponse {
	return entrupy.AuthorizeResponse{
		SignedAuthorizationRequest: "signed.eyJ1c2VyIjoiQWNtZS15b3VyX3BsYXRmb3JtX3VzZXJfaWRfMTIzIn0.c2ln",
		Username:                   "Acme-your_platform_user_id_123",
	}
}

// wireCheck compares decoded Go values; failures print them as JSON (the
// Go field names would hide pointers' values).
func wireCheck(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "  ", "  ")
		w, _ := json.MarshalIndent(want, "  ", "  ")
		t.Errorf("%s decoded as\n  %s\nwant\n  %s", what, g, w)
	}
}

// wireDeref reads an optional string without panicking on nil.
func wireDeref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestWireDecodedValues: each fixture's values land in the right Go fields.
func TestWireDecodedValues(t *testing.T) {
	t.Parallel()
	decode := func(name string, v any) {
		t.Helper()
		if err := json.Unmarshal(wireFile(t, name), v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var it entrupy.Item
	decode("item.json", &it)
	wireCheck(t, "item.json", wireModel(it), wireWantItem())

	var env entrupy.ItemEnvelope[entrupy.Item]
	decode("item_envelope.json", &env)
	if env.Item.EntrupyID != "1SALEFYH" || wireDeref(env.Item.Status.Flag) != "resolved" ||
		wireDeref(env.Item.Activity.Mode) != "compare" || len(env.Item.Images) != 1 ||
		wireDeref(env.Item.Images[0].RegionID) != "exterior_front" || env.Item.Catalog != nil {
		t.Errorf("item_envelope.json decoded as %s", wireJSONText(env.Item))
	}

	var cat entrupy.Catalog
	decode("catalog.json", &cat)
	wireCheck(t, "catalog.json", &cat, wireWantCatalog())

	var withCatalog entrupy.ItemEnvelope[entrupy.Item]
	decode("item_with_catalog.json", &withCatalog)
	wireCheck(t, "item_with_catalog.json catalog", withCatalog.Item.Catalog, wireWantSneakerCatalog())
	if withCatalog.Item.EntrupyID != "7QK2WB9D" || withCatalog.Item.Images != nil || wireDeref(withCatalog.Item.TextFields.StyleCode) != "DZ5485-612" {
		t.Errorf("item_with_catalog.json decoded as %s", wireJSONText(withCatalog.Item))
	}

	var page entrupy.SearchPage
	decode("search_page.json", &page)
	if page.ItemCount != 137 || wireDeref(page.NextCursor) != "bzoxMA" || len(page.Items) != 2 {
		t.Fatalf("search_page.json decoded as count %d, next %v, %d items", page.ItemCount, page.NextCursor, len(page.Items))
	}
	first, second := page.Items[0], page.Items[1]
	if first.EntrupyID != "7QK2WB9D" || wireDeref(first.TextFields.CustomerItemID) != "ORDER-99812" || wireDeref(first.TextFields.Identifier) != "FL0217" ||
		wireDeref(first.TextFields.StyleCode) != "CW2288-111" || wireDeref(first.TextFields.USSize) != "9" || first.Status.Result == nil ||
		first.Status.Result.Final == nil || *first.Status.Result.Final ||
		wireDeref(first.Status.Result.Reason) != "test_submission" || first.Timestamp.Created == nil || first.Timestamp.Created.Unix() != 1777574710 {
		t.Errorf("search_page.json items[0] decoded as %s", wireJSONText(first))
	}
	if second.Certificate != nil || second.Status.Flag != nil || second.Properties.ItemType != nil || second.Images != nil ||
		second.TextFields.USSize != nil || second.Activity.ProductCategory != nil || second.Properties.Material == nil || wireDeref(second.Properties.Material.ID) != "togo_leather" ||
		first.Catalog != nil || second.Catalog != nil {
		t.Errorf("search_page.json items[1] (the null forms) decoded as %s", wireJSONText(second))
	}

	var cert entrupy.Certificate
	decode("certificate.json", &cert)
	wireCheck(t, "certificate.json", cert, wireWantCertificate())

	var tr entrupy.Transfer
	decode("transfer.json", &tr)
	wireCheck(t, "transfer.json", tr, wireWantTransfer())

	var u entrupy.User
	decode("user.json", &u)
	wireCheck(t, "user.json", u, wireWantUser())

	var users entrupy.Page[entrupy.User]
	decode("users_page.json", &users)
	if len(users.Items) != 2 || users.NextCursor == nil || *users.NextCursor != "bzoyNQ" {
		t.Fatalf("users_page.json decoded as %s", wireJSONText(users))
	}
	wireCheck(t, "users_page.json items[0]", users.Items[0], wireWantUser())

	var wh entrupy.Webhook
	decode("webhook.json", &wh)
	wireCheck(t, "webhook.json", wh, wireWantWebhook())

	var hooks entrupy.Page[entrupy.Webhook]
	decode("webhooks_page.json", &hooks)
	if len(hooks.Items) != 2 || hooks.NextCursor == nil || *hooks.NextCursor != "bzoyNQ" || hooks.Items[1].Username != nil || hooks.Items[1].Enabled {
		t.Fatalf("webhooks_page.json decoded as %s", wireJSONText(hooks))
	}
	wireCheck(t, "webhooks_page.json items[0]", hooks.Items[0], wireWantWebhook())

	var dlv entrupy.Delivery
	decode("delivery.json", &dlv)
	wireCheck(t, "delivery.json", dlv, wireWantDelivery())

	var dlvs entrupy.Page[entrupy.Delivery]
	decode("deliveries_page.json", &dlvs)
	if len(dlvs.Items) != 2 || wireDeref(dlvs.NextCursor) != "bzoyNQ" {
		t.Fatalf("deliveries_page.json decoded as %s", wireJSONText(dlvs))
	}
	wireCheck(t, "deliveries_page.json items[0]", dlvs.Items[0], wireWantDelivery())
	wireCheck(t, "deliveries_page.json items[1]", dlvs.Items[1], entrupy.Delivery{
		ID: "dlv_19af3c5e7b2d4e80", EventID: "evt_0d6a2b9c4e8f1a57", EventType: "support.message",
		Attempt: 1, Status: "pending", CreatedAt: "2026-05-01T11:59:58Z",
	})

	var ar entrupy.AuthorizeResponse
	decode("authorize_response.json", &ar)
	wireCheck(t, "authorize_response.json", ar, wireWantAuthorize())
}

// ---------------------------------------------------------------------------
// What the client sends.

// wireRequest is one request as the server received it.
type wireRequest struct {
	method string
	path   string // escaped, as on the wire
	query  url.Values
	header http.Header
	body   []byte
}

// wireServer records requests and answers each with the next scripted answer.
type wireServer struct {
	mu     sync.Mutex
	reqs   []wireRequest
	status int
	answer string
}

func (s *wireServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.reqs = append(s.reqs, wireRequest{
		method: r.Method, path: r.URL.EscapedPath(), query: r.URL.Query(), header: r.Header.Clone(), body: body,
	})
	status, answer := s.status, s.answer
	s.mu.Unlock()
	if answer != "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, answer)
}

// script sets the next answer and forgets the requests seen so far.
func (s *wireServer) script(status int, answer string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs, s.status, s.answer = nil, status, answer
}

func (s *wireServer) seen() []wireRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]wireRequest(nil), s.reqs...)
}

const (
	wireToken     = "wire-token-7d1e"
	wireUserAgent = "terraform-provider-entrupy/9.9.9 Terraform/1.11.4"
)

// newWireClient starts a recording server on 127.0.0.1 and a client that
// sends Api-Version 2 and Accept-Language ja, without retries or pacing.
func newWireClient(t *testing.T) (*wireServer, *entrupy.Client) {
	t.Helper()
	return newWireClientIn(t, "ja")
}

// newWireClientIn is newWireClient with Accept-Language lang.
func newWireClientIn(t *testing.T, lang string) (*wireServer, *entrupy.Client) {
	t.Helper()
	rec := &wireServer{}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	c, err := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken(wireToken), entrupy.WithAPIVersion("2"),
		entrupy.WithAcceptLanguage(lang), entrupy.WithUserAgent(wireUserAgent), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 1}))
	if err != nil {
		t.Fatal(err)
	}
	return rec, c
}

// TestWireRequests drives every service call of the client and compares
// what reaches the server with literal expectations: method, escaped path,
// query, headers and body (as generic JSON, against the request fixtures).
// Each request is answered with the matching response fixture.
func TestWireRequests(t *testing.T) {
	t.Parallel()
	rec, c := newWireClient(t)
	ctx := context.Background()
	fixture := func(name string) string { return string(wireFile(t, name)) }
	envelope := func(name string) string { return wireEnvelope(t, name) }
	no := url.Values{}
	disabled, enabled := false, true

	cases := []struct {
		name       string
		status     int
		answer     string
		call       func(t *testing.T) error
		method     string
		path       string
		query      url.Values
		apiVersion string // "" = the client's "2"
		create     bool   // an Idempotency-Key must be sent
		body       string // "" = no body
	}{
		{
			name: "Health.Check", status: 200, answer: fixture("health.json"),
			call:   func(*testing.T) error { return c.Health.Check(ctx) },
			method: "GET", path: "/v1/health", query: no, apiVersion: "1.4",
		},
		{
			name: "Authentications.Get with images", status: 200, answer: fixture("item_envelope.json"),
			call: func(t *testing.T) error {
				it, err := c.Authentications.Get(ctx, "1SALEFYH", &entrupy.GetOptions{IncludeImages: true})
				if err == nil && (it.EntrupyID != "1SALEFYH" || len(it.Images) != 1 || wireDeref(it.Images[0].DeviceType) != "camera" ||
					wireDeref(it.Images[0].URL) != "https://images.entrupy.com/1SALEFYH/exterior_front.jpg") {
					t.Errorf("decoded %s", wireJSONText(it))
				}
				return err
			},
			method: "GET", path: "/v2/authentications/1SALEFYH", query: url.Values{"include_images": {"true"}},
		},
		{
			name: "Authentications.Get with catalog", status: 200, answer: fixture("item_with_catalog.json"),
			call: func(t *testing.T) error {
				it, err := c.Authentications.Get(ctx, "7QK2WB9D", &entrupy.GetOptions{IncludeCatalog: true})
				if err == nil {
					wireCheck(t, "catalog", it.Catalog, wireWantSneakerCatalog())
				}
				return err
			},
			method: "GET", path: "/v2/authentications/7QK2WB9D", query: url.Values{"include_catalog": {"true"}},
		},
		{
			name: "Authentications.Get with images and catalog", status: 200, answer: envelope("item.json"),
			call: func(t *testing.T) error {
				it, err := c.Authentications.Get(ctx, "1SALEFYH", &entrupy.GetOptions{IncludeImages: true, IncludeCatalog: true})
				if err == nil {
					wireCheck(t, "item", wireModel(*it), wireWantItem())
				}
				return err
			},
			method: "GET", path: "/v2/authentications/1SALEFYH", query: url.Values{"include_images": {"true"}, "include_catalog": {"true"}},
		},
		{
			name: "Authentications.Get", status: 200, answer: envelope("item.json"),
			call: func(t *testing.T) error {
				it, err := c.Authentications.Get(ctx, "1SALEFYH", nil)
				if err == nil {
					wireCheck(t, "item", wireModel(*it), wireWantItem())
				}
				return err
			},
			method: "GET", path: "/v2/authentications/1SALEFYH", query: no,
		},
		{
			name: "Authentications.Lookup", status: 200, answer: fixture("item_envelope.json"),
			call: func(t *testing.T) error {
				it, err := c.Authentications.Lookup(ctx, "SKU-1")
				if err == nil && wireDeref(it.TextFields.CustomerItemID) != "SKU-1" {
					t.Errorf("decoded %s", wireJSONText(it))
				}
				return err
			},
			method: "GET", path: "/v2/lookup/authentications/SKU-1", query: no,
		},
		{
			// A customer_item_id is free text (an order id, a barcode): it
			// travels percent-encoded once, so the server decodes it back.
			name: "Authentications.Lookup escapes the id once", status: 200, answer: fixture("item_envelope.json"),
			call: func(*testing.T) error {
				_, err := c.Authentications.Lookup(ctx, "SKU 1/2")
				return err
			},
			method: "GET", path: "/v2/lookup/authentications/SKU%201%2F2", query: no,
		},
		{
			name: "Authentications.Search every filter form and a cursor", status: 200, answer: fixture("search_page.json"),
			call: func(t *testing.T) error {
				gte, lt := int64(1767225600), int64(1798761600)
				page, err := c.Authentications.Search(ctx, entrupy.SearchRequest{
					Limit: 10,
					Filters: []entrupy.Filter{
						entrupy.Equal(entrupy.FilterProductCategory, "luxury"),
						entrupy.AnyOf(entrupy.FilterResult, "authentic", "unidentified", "invalid"),
						entrupy.IsNull(entrupy.FilterFlag),
						entrupy.EpochRange(&gte, &lt),
					},
					Cursor: "bzoxMA",
				})
				if err == nil && (page.ItemCount != 137 || len(page.Items) != 2 || wireDeref(page.NextCursor) != "bzoxMA") {
					t.Errorf("decoded %s", wireJSONText(page))
				}
				return err
			},
			method: "POST", path: "/v2/search/authentications", query: no, body: fixture("search_request.json"),
		},
		{
			name: "Authentications.Search every filter key", status: 200, answer: fixture("search_page.json"),
			call: func(*testing.T) error {
				gte := int64(1767225600)
				_, err := c.Authentications.Search(ctx, entrupy.SearchRequest{
					Limit: 25,
					Filters: []entrupy.Filter{
						entrupy.Equal(entrupy.FilterUsername, "Acme-store-tokyo-01"),
						entrupy.Equal(entrupy.FilterCustomerItemID, "SKU-01000"),
						entrupy.AnyOf(entrupy.FilterBrand, "hermes", "chanel", "louis_vuitton"),
						entrupy.Equal(entrupy.FilterResult, "authentic"),
						entrupy.IsNull(entrupy.FilterFlag),
						entrupy.AnyOf(entrupy.FilterProductCategory, "luxury", "sneakers"),
						entrupy.EpochRange(&gte, nil),
					},
				})
				return err
			},
			method: "POST", path: "/v2/search/authentications", query: no, body: fixture("search_request_all_keys.json"),
		},
		{
			name: "Certificates.Get", status: 200, answer: envelope("certificate.json"),
			call: func(t *testing.T) error {
				cert, err := c.Certificates.Get(ctx, "C-1SALEFYH")
				if err == nil {
					wireCheck(t, "certificate", *cert, wireWantCertificate())
				}
				return err
			},
			method: "GET", path: "/v2/certificates/C-1SALEFYH", query: no,
		},
		{
			name: "Certificates.CreateTransfer", status: 201, answer: envelope("transfer.json"),
			call: func(t *testing.T) error {
				tr, err := c.Certificates.CreateTransfer(ctx, "C-1SALEFYH", entrupy.TransferRequest{RecipientEmail: "hana.buyer@example.com", RecipientName: "Hana Buyer"})
				if err == nil {
					wireCheck(t, "transfer", *tr, wireWantTransfer())
				}
				return err
			},
			method: "POST", path: "/v2/certificates/C-1SALEFYH/transfers", query: no, create: true, body: fixture("transfer_request.json"),
		},
		{
			name: "Certificates.CancelTransfer", status: 204,
			call: func(*testing.T) error {
				return c.Certificates.CancelTransfer(ctx, "C-1SALEFYH", "tr_9e04b7c1a2d35f86")
			},
			method: "DELETE", path: "/v2/certificates/C-1SALEFYH/transfers/tr_9e04b7c1a2d35f86", query: no,
		},
		{
			name: "Users.Create", status: 201, answer: envelope("user.json"),
			call: func(t *testing.T) error {
				u, err := c.Users.Create(ctx, entrupy.CreateUserRequest{
					UniqueUserID: "store-berlin-07", Email: "berlin@example.com", FirstName: "Greta", LastName: "Lang",
					Metadata: map[string]string{"terraform_config": "prod-eu", "team": "retail"},
				})
				if err == nil {
					wireCheck(t, "user", *u, wireWantUser())
				}
				return err
			},
			method: "POST", path: "/v2/integrations/users", query: no, create: true, body: fixture("create_user_request.json"),
		},
		{
			name: "Users.Get", status: 200, answer: envelope("user.json"),
			call: func(t *testing.T) error {
				u, err := c.Users.Get(ctx, "store-berlin-07")
				if err == nil {
					wireCheck(t, "user", *u, wireWantUser())
				}
				return err
			},
			method: "GET", path: "/v2/integrations/users/store-berlin-07", query: no,
		},
		{
			name: "Users.List first page", status: 200, answer: fixture("users_page.json"),
			call: func(t *testing.T) error {
				users, next, err := c.Users.List(ctx, "")
				if err == nil && (len(users) != 2 || next == nil || *next != "bzoyNQ" || users[1].UniqueUserID != "your_platform_user_id_123") {
					t.Errorf("decoded %s next %v", wireJSONText(users), wireJSONText(next))
				}
				return err
			},
			method: "GET", path: "/v2/integrations/users", query: no,
		},
		{
			name: "Users.List with a cursor", status: 200, answer: fixture("users_page.json"),
			call: func(*testing.T) error {
				_, _, err := c.Users.List(ctx, "bzoyNQ")
				return err
			},
			method: "GET", path: "/v2/integrations/users", query: url.Values{"cursor": {"bzoyNQ"}},
		},
		{
			name: "Users.Update", status: 200, answer: envelope("user.json"),
			call: func(*testing.T) error {
				_, err := c.Users.Update(ctx, "store-berlin-07", entrupy.UpdateUserRequest{
					Email: "greta.lang@example.com", Metadata: map[string]string{"team": "", "region": "eu-central"},
				})
				return err
			},
			method: "PATCH", path: "/v2/integrations/users/store-berlin-07", query: no, body: fixture("update_user_request.json"),
		},
		{
			name: "Users.UpdateEmail", status: 200, answer: envelope("user.json"),
			call: func(*testing.T) error {
				_, err := c.Users.UpdateEmail(ctx, "store-berlin-07", "greta.lang@example.com")
				return err
			},
			method: "PATCH", path: "/v2/integrations/users/store-berlin-07", query: no, body: `{"email": "greta.lang@example.com"}`,
		},
		{
			name: "Users.Delete", status: 204,
			call:   func(*testing.T) error { return c.Users.Delete(ctx, "store-berlin-07") },
			method: "DELETE", path: "/v2/integrations/users/store-berlin-07", query: no,
		},
		{
			name: "Users.Authorize", status: 200, answer: fixture("authorize_response.json"),
			call: func(t *testing.T) error {
				ar, err := c.Users.Authorize(ctx, entrupy.AuthorizeRequest{
					SDKAuthorizationRequest: "client_generated_sdk_auth_request_string", UniqueUserID: "your_platform_user_id_123",
					Email: "user@example.com", FirstName: "John", LastName: "Doe",
				})
				if err == nil {
					wireCheck(t, "authorize answer", *ar, wireWantAuthorize())
				}
				return err
			},
			// The first call for a unique_user_id creates the user: the
			// client sends an Idempotency-Key.
			method: "POST", path: "/v2/integrations/authorize-user", query: no, create: true, body: fixture("authorize_request.json"),
		},
		{
			name: "Webhooks.Create", status: 201, answer: envelope("webhook.json"),
			call: func(t *testing.T) error {
				wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{
					URL: "https://hooks.example.com/entrupy", SecretKey: "whsec-9c2f71d04b",
					Events: []string{"session.completed", "certificate.transfer"}, Description: "production", Enabled: &disabled,
					Username: "Acme-store-berlin-07", Metadata: map[string]string{"terraform_config": "prod-eu", "owner": "ops"},
					APIVersion: "1.4",
				})
				if err == nil {
					wireCheck(t, "webhook", *wh, wireWantWebhook())
				}
				return err
			},
			method: "POST", path: "/v2/webhooks", query: no, apiVersion: "1.4", create: true, body: fixture("create_webhook_request.json"),
		},
		{
			name: "Webhooks.Get", status: 200, answer: envelope("webhook.json"),
			call: func(t *testing.T) error {
				wh, err := c.Webhooks.Get(ctx, "wh_3f9a0c1d2e4b5a67")
				if err == nil {
					wireCheck(t, "webhook", *wh, wireWantWebhook())
				}
				return err
			},
			method: "GET", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67", query: no,
		},
		{
			name: "Webhooks.List first page", status: 200, answer: fixture("webhooks_page.json"),
			call: func(t *testing.T) error {
				hooks, next, err := c.Webhooks.List(ctx, "")
				if err == nil && (len(hooks) != 2 || next == nil || *next != "bzoyNQ" || hooks[1].APIVersion != "2") {
					t.Errorf("decoded %s next %v", wireJSONText(hooks), wireJSONText(next))
				}
				return err
			},
			method: "GET", path: "/v2/webhooks", query: no,
		},
		{
			name: "Webhooks.List with a cursor", status: 200, answer: fixture("webhooks_page.json"),
			call: func(*testing.T) error {
				_, _, err := c.Webhooks.List(ctx, "bzoyNQ")
				return err
			},
			method: "GET", path: "/v2/webhooks", query: url.Values{"cursor": {"bzoyNQ"}},
		},
		{
			name: "Webhooks.Update", status: 200, answer: envelope("webhook.json"),
			call: func(*testing.T) error {
				_, err := c.Webhooks.Update(ctx, "wh_3f9a0c1d2e4b5a67", entrupy.UpdateWebhookRequest{
					URL: wireStr("https://hooks.example.com/entrupy/v2"), SecretKey: wireStr("whsec-rotated-5e8a"),
					Events:      []string{"support.message", "session.completed"},
					Description: wireStr("production (rotated)"), Enabled: &enabled,
					Metadata: map[string]string{"owner": "", "rotation": "2026-05"},
				})
				return err
			},
			method: "PATCH", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67", query: no, body: fixture("update_webhook_request.json"),
		},
		{
			name: "Webhooks.Test", status: 200, answer: envelope("delivery.json"),
			call: func(t *testing.T) error {
				d, err := c.Webhooks.Test(ctx, "wh_3f9a0c1d2e4b5a67", entrupy.TestWebhookRequest{Event: "support.message"})
				if err == nil {
					wireCheck(t, "delivery", *d, wireWantDelivery())
				}
				return err
			},
			// A test delivery creates nothing: no Idempotency-Key (and no retry, see TestWebhookTestIsNotRetried).
			method: "POST", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67/test", query: no, body: fixture("test_webhook_request.json"),
		},
		{
			name: "Webhooks.Test of the first event", status: 200, answer: envelope("delivery.json"),
			call: func(*testing.T) error {
				_, err := c.Webhooks.Test(ctx, "wh_3f9a0c1d2e4b5a67", entrupy.TestWebhookRequest{})
				return err
			},
			method: "POST", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67/test", query: no, body: `{}`,
		},
		{
			name: "Webhooks.DeliveriesPage first page", status: 200, answer: fixture("deliveries_page.json"),
			call: func(t *testing.T) error {
				ds, next, err := c.Webhooks.DeliveriesPage(ctx, "wh_3f9a0c1d2e4b5a67", "")
				if err == nil && (len(ds) != 2 || wireDeref(next) != "bzoyNQ" || ds[1].Status != "pending") {
					t.Errorf("decoded %s next %v", wireJSONText(ds), wireJSONText(next))
				}
				return err
			},
			method: "GET", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67/deliveries", query: no,
		},
		{
			name: "Webhooks.DeliveriesPage with a cursor", status: 200, answer: fixture("deliveries_page.json"),
			call: func(*testing.T) error {
				_, _, err := c.Webhooks.DeliveriesPage(ctx, "wh_3f9a0c1d2e4b5a67", "bzoyNQ")
				return err
			},
			method: "GET", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67/deliveries", query: url.Values{"cursor": {"bzoyNQ"}},
		},
		{
			name: "Webhooks.Delete", status: 204,
			call:   func(*testing.T) error { return c.Webhooks.Delete(ctx, "wh_3f9a0c1d2e4b5a67") },
			method: "DELETE", path: "/v2/webhooks/wh_3f9a0c1d2e4b5a67", query: no,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec.script(tc.status, tc.answer)
			if err := tc.call(t); err != nil {
				t.Fatalf("call failed: %v", err)
			}
			reqs := rec.seen()
			if len(reqs) != 1 {
				t.Fatalf("server saw %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			if r.method != tc.method || r.path != tc.path {
				t.Errorf("request line %s %s, want %s %s", r.method, r.path, tc.method, tc.path)
			}
			if !reflect.DeepEqual(r.query, tc.query) {
				t.Errorf("query %v, want %v", r.query, tc.query)
			}
			wantVersion := tc.apiVersion
			if wantVersion == "" {
				wantVersion = "2"
			}
			wantType := ""
			if tc.body != "" {
				wantType = "application/json"
			}
			for name, want := range map[string]string{
				"Authorization":   "Token " + wireToken,
				"Api-Version":     wantVersion,
				"Accept-Language": "ja",
				"Content-Type":    wantType,
				"User-Agent":      wireUserAgent,
			} {
				if got := strings.Join(r.header.Values(name), ","); got != want {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			keys := r.header.Values("Idempotency-Key")
			switch {
			case tc.create && (len(keys) != 1 || len(keys[0]) < 16):
				t.Errorf("a create sent Idempotency-Key %q, want one unique key", keys)
			case !tc.create && len(keys) != 0:
				t.Errorf("a %s that creates nothing sent Idempotency-Key %q", tc.method, keys)
			}
			if tc.body == "" {
				if len(r.body) != 0 {
					t.Errorf("sent a body %s, want none", r.body)
				}
				return
			}
			wireSameJSON(t, "request body", []byte(tc.body), r.body)
		})
	}
}

// TestWireErrorBodies: the contract's error bodies reach callers field by field.
func TestWireErrorBodies(t *testing.T) {
	t.Parallel()
	rec, c := newWireClient(t)
	ctx := context.Background()

	rec.script(http.StatusBadRequest, string(wireFile(t, "error.json")))
	_, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "ftp://x", SecretKey: "s", Events: []string{"support.message"}})
	apiErr, ok := entrupy.AsAPIError(err)
	if !ok || apiErr.StatusCode != 400 || apiErr.Code != "invalid_request" || apiErr.Message != "url must be an https:// URL" || apiErr.Field != "url" {
		t.Errorf("error.json reached the caller as %#v", err)
	}

	rec.script(http.StatusNotFound, string(wireFile(t, "error_not_found.json")))
	_, err = c.Webhooks.Get(ctx, "wh_0000000000000000")
	apiErr, ok = entrupy.AsAPIError(err)
	if !ok || apiErr.StatusCode != 404 || apiErr.Code != "not_found" || apiErr.Message != `webhook "wh_0000000000000000" not found` || apiErr.Field != "" {
		t.Errorf("error_not_found.json reached the caller as %#v", err)
	}
}

// wireAddUnknown puts a key the client has never heard of into every object
// (but not into metadata, whose keys are the caller's).
func wireAddUnknown(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{"x_added_later": map[string]any{"nested": []any{1.0, "two"}}}
		for k, e := range x {
			if k == "metadata" { // a string map: its keys are data, not schema
				out[k] = e
				continue
			}
			out[k] = wireAddUnknown(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = wireAddUnknown(e)
		}
		return out
	default:
		return v
	}
}

// TestWireToleratesAdditions: what the versioning policy allows at any time
// [doc] does not break decoding. Unknown keys at every level of every
// response are ignored and disturb nothing else; TestLenientDecoding covers
// new item enum values, this adds new webhook events and transfer statuses.
func TestWireToleratesAdditions(t *testing.T) {
	t.Parallel()
	for _, tc := range wireResponseTypes {
		raw := wireFile(t, tc.name)
		grown, err := json.Marshal(wireAddUnknown(wireGeneric(t, tc.name, raw)))
		if err != nil {
			t.Fatal(err)
		}
		v, err := tc.decode(grown)
		if err != nil {
			t.Errorf("%s with unknown keys: %v", tc.name, err)
			continue
		}
		again, _ := json.Marshal(v)
		wireSameJSON(t, tc.name+" with unknown keys, decoded and encoded again", raw, again)
	}

	rec, c := newWireClient(t)
	ctx := context.Background()
	hook := strings.Replace(wireEnvelope(t, "webhook.json"), `"certificate.transfer"`, `"item.archived"`, 1)
	rec.script(200, hook)
	wh, err := c.Webhooks.Get(ctx, "wh_3f9a0c1d2e4b5a67")
	if err != nil || !reflect.DeepEqual(wh.Events, []string{"item.archived", "session.completed"}) {
		t.Errorf("a webhook with a new event: %s %v", wireJSONText(wh), err)
	}
	dlv := strings.Replace(wireEnvelope(t, "delivery.json"), `"failed"`, `"abandoned"`, 1)
	rec.script(200, dlv)
	d, err := c.Webhooks.Test(ctx, "wh_3f9a0c1d2e4b5a67", entrupy.TestWebhookRequest{})
	if err != nil || d.Status != "abandoned" {
		t.Errorf("a delivery with a new status: %s %v", wireJSONText(d), err)
	}
	cert := strings.Replace(wireEnvelope(t, "certificate.json"), `"pending"`, `"expired"`, 1)
	rec.script(200, cert)
	got, err := c.Certificates.Get(ctx, "C-1SALEFYH")
	if err != nil || got.Transfer == nil || got.Transfer.Status != "expired" {
		t.Errorf("a transfer with a new status: %s %v", wireJSONText(got), err)
	}
	cert = strings.Replace(wireEnvelope(t, "certificate.json"), `"revoked"`, `"suspended"`, 1)
	rec.script(200, cert)
	got, err = c.Certificates.Get(ctx, "C-1SALEFYH")
	if err != nil || got.Status != "suspended" || wireDeref(got.RevokedAt) != "2026-05-20T09:00:00Z" {
		t.Errorf("a certificate with a new status: %s %v", wireJSONText(got), err)
	}
	item := strings.Replace(wireEnvelope(t, "item.json"), `"rating": "B"`, `"rating": "A+"`, 1)
	rec.script(200, item)
	it, err := c.Authentications.Get(ctx, "1SALEFYH", &entrupy.GetOptions{IncludeCatalog: true})
	if err != nil || it.Catalog == nil || it.Catalog.ConditionAssessment == nil || it.Catalog.ConditionAssessment.Rating != "A+" {
		t.Errorf("a catalog with a new rating: %s %v", wireJSONText(it), err)
	}
}

// TestWireWebhookEvents: the two delivery bodies. A webhook of api_version
// 2 delivers the envelope (webhook_event.json), one of api_version 1.4 the
// item itself (webhook_event_v1_4.json) [doc]; both carry the same item,
// and the client's Event and Item read them without losing a key.
func TestWireWebhookEvents(t *testing.T) {
	t.Parallel()
	if entrupy.ItemDeliveryAPIVersion != "1.4" {
		t.Errorf("ItemDeliveryAPIVersion = %q; the contract says webhooks of api_version 1.4 deliver the item itself", entrupy.ItemDeliveryAPIVersion)
	}
	raw := wireFile(t, "webhook_event.json")
	var ev entrupy.Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	again, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	wireSameJSON(t, "webhook_event.json decoded and encoded again", raw, again)
	if ev.ID != "evt_8f2c41d09a7b3e65" || ev.Type != "session.completed" || ev.CreatedAt != "2026-05-01T10:05:00Z" {
		t.Errorf("webhook_event.json decoded as %s", wireJSONText(ev))
	}
	inner, err := json.Marshal(ev.Data["item"])
	if err != nil {
		t.Fatal(err)
	}
	var fromEnvelope, bare entrupy.Item
	if err := json.Unmarshal(inner, &fromEnvelope); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(wireFile(t, "webhook_event_v1_4.json"), &bare); err != nil {
		t.Fatal(err)
	}
	wireCheck(t, "webhook_event_v1_4.json (the item itself)", wireModel(bare), wireModel(fromEnvelope))
	if bare.EntrupyID != "1SALEFYH" || bare.Certificate == nil || wireDeref(bare.Certificate.CertificateID) != "C-1SALEFYH" || bare.Images != nil || bare.Catalog != nil || len(bare.Unread) > 0 {
		t.Errorf("webhook_event_v1_4.json decoded as %s", wireJSONText(bare))
	}
}
