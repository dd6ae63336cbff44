package entrupy_test

// The published samples of testdata/published (see its README): items in
// the shapes Entrupy's own pages show, read through the client's routes.

import (
	"context"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

const publishedDir = "testdata/published"

func publishedFile(t *testing.T, name string) string {
	t.Helper()
	return string(fixtureFile(t, publishedDir, name))
}

func publishedTime(s string) *time.Time {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &v
}

func publishedBool(b bool) *bool { return &b }

// The items of the samples as the client must read them in English.
var (
	publishedGetItem = entrupy.Item{
		EntrupyID:  "ENTPY12345",
		Owner:      entrupy.Owner{OrganizationID: wireStr("ORG_ABC"), UserID: wireStr("USER_XYZ")},
		Properties: entrupy.Properties{Brand: &entrupy.ItemValue{ID: wireStr("chanel"), Display: wireStr("Chanel")}},
		Status: entrupy.Status{
			Flag:          wireStr("reviewed_ok"),
			Result:        &entrupy.Result{ID: wireStr("authentic"), Final: publishedBool(true)},
			InitialResult: &entrupy.Result{ID: wireStr("authentic"), Final: publishedBool(false)},
		},
		TextFields: entrupy.TextFields{CustomerItemID: wireStr("SKU9876")},
		Timestamp:  entrupy.Timestamp{Created: publishedTime("2025-05-23T10:00:00Z")},
		Activity:   entrupy.Activity{Mode: wireStr("standard_authentication")},
	}
	publishedLookupItem = entrupy.Item{
		EntrupyID:   "ENTPYLKUP789",
		Owner:       entrupy.Owner{OrganizationID: wireStr("ORG_ABC"), UserID: wireStr("USER_456")},
		Certificate: &entrupy.ItemCertificate{CertificateID: wireStr("CERT_LKUP_101")},
		Properties:  entrupy.Properties{Brand: &entrupy.ItemValue{ID: wireStr("louis_vuitton"), Display: wireStr("Louis Vuitton")}},
		Status: entrupy.Status{
			Result:        &entrupy.Result{ID: wireStr("authentic"), Final: publishedBool(true)},
			InitialResult: &entrupy.Result{ID: wireStr("authentic"), Final: publishedBool(false)},
		},
		TextFields: entrupy.TextFields{CustomerItemID: wireStr("CUST_LOOKUP_001")},
		Timestamp:  entrupy.Timestamp{Created: publishedTime("2023-11-15T14:30:00Z"), Updated: publishedTime("2023-11-15T14:35:00Z")},
		Activity:   entrupy.Activity{Mode: wireStr("standard_authentication")},
		Images:     []entrupy.Image{},
	}
	// The page's display (00:14:28) and epoch (04:14:28) of this item
	// disagree; the epoch, the fixed one, is read.
	publishedV1Item = entrupy.Item{
		EntrupyID:   "1SALEFYH",
		Owner:       entrupy.Owner{OrganizationName: wireStr("EntrupyOrganization"), Username: wireStr("EntrupyUser")},
		Certificate: &entrupy.ItemCertificate{Site: wireStr("https://cert.entrupy.com/1SALEFYH"), Preview: wireStr("https://cert.entrupy.com/1SALEFYH")},
		Properties:  entrupy.Properties{Brand: &entrupy.ItemValue{ID: wireStr("louis_vuitton")}},
		Status:      entrupy.Status{Result: &entrupy.Result{ID: wireStr("authentic"), Final: publishedBool(true)}},
		Timestamp:   entrupy.Timestamp{Created: publishedTime("2019-08-27T04:14:28Z")},
		Activity:    entrupy.Activity{Name: wireStr("authentication")},
	}
	publishedSDKItem = entrupy.Item{
		EntrupyID:  "7QK2WB9D",
		Owner:      entrupy.Owner{OrganizationName: wireStr("Acme"), Username: wireStr("Acme-store-nyc-03")},
		Properties: entrupy.Properties{Brand: &entrupy.ItemValue{ID: wireStr("nike"), Display: wireStr("Nike")}},
		Status: entrupy.Status{
			Flag:   wireStr("flagged"),
			Result: &entrupy.Result{ID: wireStr("needs_review"), Display: wireStr("Needs Review"), Final: publishedBool(false)},
		},
		TextFields: entrupy.TextFields{CustomerItemID: wireStr("AJ1-DO7097-100-9_5"), StyleCode: wireStr("DO7097-100"), USSize: wireStr("9.5")},
		Timestamp:  entrupy.Timestamp{Created: publishedTime("2026-05-01T10:00:00Z")},
		Activity: entrupy.Activity{
			Name: wireStr("authentication"), FormFactor: wireStr("free_camera"), ProductCategory: wireStr("sneakers"),
		},
	}
)

// TestPublishedSamples: each published sample read through GET, lookup and
// search fills the model as the contract says (brand ids from display
// strings, times from created_at or a fractional epoch, owner ids apart
// from names, the flag object's id), leaves nothing unread, and keeps the
// item's own bytes.
func TestPublishedSamples(t *testing.T) {
	t.Parallel()
	rec, c := newWireClientIn(t, "en")
	ctx := context.Background()
	for _, tc := range []struct {
		file string
		read func() (*entrupy.Item, error)
		want entrupy.Item
	}{
		{"v2-reference-get-authentication.json", func() (*entrupy.Item, error) { return c.Authentications.Get(ctx, "ENTPY12345", nil) }, publishedGetItem},
		{"v2-reference-lookup-authentication.json", func() (*entrupy.Item, error) { return c.Authentications.Lookup(ctx, "CUST_LOOKUP_001") }, publishedLookupItem},
		{"v1-migration-v0-to-v1-example.json", func() (*entrupy.Item, error) { return c.Authentications.Get(ctx, "1SALEFYH", nil) }, publishedV1Item},
		{"sdk-status-flag-object.json", func() (*entrupy.Item, error) { return c.Authentications.Get(ctx, "7QK2WB9D", nil) }, publishedSDKItem},
	} {
		body := publishedFile(t, tc.file)
		rec.script(200, body)
		it, err := tc.read()
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if len(it.Unread) > 0 {
			t.Errorf("%s: unread %v", tc.file, it.Unread)
		}
		items := wireEnvelopedItem(t, []byte(body))
		if len(items) != 1 || string(it.Raw) != string(items[0]) {
			t.Errorf("%s: raw %s", tc.file, it.Raw)
		}
		wireCheck(t, tc.file, wireModel(*it), tc.want)
	}

	rec.script(200, publishedFile(t, "v2-reference-search-authentications.json"))
	page, err := c.Authentications.Search(ctx, entrupy.SearchRequest{Filters: []entrupy.Filter{entrupy.Equal(entrupy.FilterFormFactor, "microscopic")}})
	if err != nil {
		t.Fatal(err)
	}
	if page.ItemCount != 2 || wireDeref(page.NextCursor) != "CURSOR_FOR_NEXT_PAGE_ABC456" || len(page.Items) != 2 {
		t.Fatalf("search sample read as %s", wireJSONText(page))
	}
	wireCheck(t, "search items[0]", wireModel(page.Items[0]), publishedGetItem)
	wireCheck(t, "search items[1]", wireModel(page.Items[1]), publishedLookupItem)
	if got := string(rec.seen()[0].body); got != `{"filters":[{"key":"activity.form_factor","value":"microscopic"}]}` {
		t.Errorf("search body %s", got)
	}
}

// TestPublishedSamplesInJapanese: a plain display string is matched to the
// catalogue in the request's language only. Asked in Japanese, "Louis
// Vuitton" is not the catalogue's ルイ・ヴィトン: the display is kept and the
// id stays nil, never guessed.
func TestPublishedSamplesInJapanese(t *testing.T) {
	t.Parallel()
	rec, c := newWireClientIn(t, "ja")
	rec.script(200, publishedFile(t, "v2-reference-lookup-authentication.json"))
	it, err := c.Authentications.Lookup(context.Background(), "CUST_LOOKUP_001")
	if err != nil {
		t.Fatal(err)
	}
	wireCheck(t, "brand in ja", it.Properties.Brand, &entrupy.ItemValue{Display: wireStr("Louis Vuitton")})
	lv := `{"entrupy_id": "X", "properties": {"brand": "ルイ・ヴィトン", "material": "Damier Azur Canvas"}}`
	ja, err := entrupy.DecodeItem([]byte(lv), "ja")
	if err != nil {
		t.Fatal(err)
	}
	wireCheck(t, "a Japanese display string in ja", ja.Properties.Brand, &entrupy.ItemValue{ID: wireStr("louis_vuitton"), Display: wireStr("ルイ・ヴィトン")})
	// Materials have no Japanese names: in ja the English one is the name.
	wireCheck(t, "a material of the brand", ja.Properties.Material, &entrupy.ItemValue{ID: wireStr("damier_azur_canvas"), Display: wireStr("Damier Azur Canvas")})
}
