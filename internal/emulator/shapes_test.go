package emulator_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// rawItems returns the raw items of an answer: its "item" or its "items".
func rawItems(t *testing.T, a answer) []json.RawMessage {
	t.Helper()
	var doc struct {
		Item  json.RawMessage   `json:"item"`
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal([]byte(a.raw), &doc); err != nil || a.status != 200 {
		t.Fatalf("answer %d %s", a.status, a.raw)
	}
	if doc.Item != nil {
		return []json.RawMessage{doc.Item}
	}
	return doc.Items
}

// TestItemShapes: in each shape, GET, lookup and search answer every item
// so that the client's one reader fills what the contract's shape gives
// (owner ids in place of names in the v2 shapes), leaving nothing unread;
// and each shape carries the marks of its published sample.
func TestItemShapes(t *testing.T) {
	t.Parallel()
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications
	byID := map[string]entrupy.Item{}
	for _, it := range seed {
		byID[it.EntrupyID] = it
	}
	marks := map[string][]string{
		emulator.ShapeContract: {`"brand":{"id":`, `"epoch":`},
		emulator.ShapeV2Get:    {`"brand_name":`, `"created_at":`, `"organization_id":"ORG_ACME"`, `"initial_result":`},
		emulator.ShapeV2Lookup: {`"brand":"`, `"last_updated_at":`, `"fingerprint_parent":null`, `"images":{`},
		emulator.ShapeV1Epoch:  {`.250000Z","epoch":`, `.25}`},
		emulator.ShapeSDKFlag:  {`"brand":{"id":`},
	}
	for _, shape := range emulator.ItemShapes {
		h := start(t, emulator.Options{ItemShapes: shape})
		seen := map[string]int{}
		check := func(route string, raw json.RawMessage) {
			t.Helper()
			it, err := entrupy.DecodeItem(raw, "en")
			if err != nil {
				t.Fatalf("%s %s: %v", shape, route, err)
			}
			want := byID[it.EntrupyID]
			got := h.emu.ItemShape(it.EntrupyID)
			seen[got]++
			if shape != emulator.ShapesMixed && got != shape {
				t.Fatalf("%s: item %s answered in %s", shape, it.EntrupyID, got)
			}
			for _, m := range marks[got] {
				if !strings.Contains(string(raw), m) {
					t.Errorf("%s %s: a %s item lacks %s: %s", shape, route, got, m, raw)
				}
			}
			v2 := got == emulator.ShapeV2Get || got == emulator.ShapeV2Lookup
			owner := want.Owner
			if v2 {
				uid := strings.ToUpper(strings.TrimPrefix(val(owner.Username), "Acme-"))
				owner = entrupy.Owner{OrganizationID: ptr("ORG_ACME"), UserID: ptr("USER_" + strings.ReplaceAll(uid, "-", "_"))}
			}
			if len(it.Unread) > 0 || fmt.Sprint(deref(it.Owner)) != fmt.Sprint(deref(owner)) ||
				val(it.Properties.Brand.ID) != val(want.Properties.Brand.ID) || val(it.Properties.Brand.Display) != val(want.Properties.Brand.Display) ||
				val(it.TextFields.CustomerItemID) != val(want.TextFields.CustomerItemID) ||
				!it.Timestamp.Created.Equal(*want.Timestamp.Created) || val(it.Status.Result.ID) != val(want.Status.Result.ID) ||
				*it.Status.Result.Final != *want.Status.Result.Final || val(it.Status.Flag) != val(want.Status.Flag) ||
				val(it.Activity.FormFactor) != val(want.Activity.FormFactor) || (want.Properties.Material != nil) != (it.Properties.Material != nil) ||
				(v2 != (it.Status.InitialResult != nil)) || (v2 != (it.Status.Result.Display == nil)) {
				t.Errorf("%s %s (%s): read %+v\nwant %+v\n%s", shape, route, got, it, want, raw)
			}
		}
		for _, raw := range rawItems(t, h.do("POST", "/v2/search/authentications", map[string]any{"limit": 25})) {
			check("search", raw)
		}
		it := seed[len(seed)-3]
		check("GET", rawItems(t, h.do("GET", "/v2/authentications/"+it.EntrupyID+"?include_images=true&include_catalog=true", nil))[0])
		check("lookup", rawItems(t, h.do("GET", "/v2/lookup/authentications/"+*it.TextFields.CustomerItemID, nil))[0])
		withImages, err := entrupy.DecodeItem(rawItems(t, h.do("GET", "/v2/authentications/"+it.EntrupyID+"?include_images=true&include_catalog=true", nil))[0], "en")
		if err != nil || len(withImages.Images) != len(it.Images) || (withImages.Catalog == nil) != (it.Catalog == nil) {
			t.Errorf("%s: images %+v catalog %v, want %d images and catalog %v", shape, withImages.Images, withImages.Catalog, len(it.Images), it.Catalog != nil)
		}
		if shape == emulator.ShapesMixed && len(seen) != len(emulator.ItemShapes)-1 {
			t.Errorf("mixed answered the shapes %v, want each of %v", seen, emulator.ItemShapes[:len(emulator.ItemShapes)-1])
		}
	}
	if _, err := emulator.New(emulator.Options{ItemShapes: "v3"}); err == nil || !strings.Contains(err.Error(), "mixed") {
		t.Errorf("an unknown shape: %v", err)
	}
}

// TestItemShapesSDKFlag: in the SDKs' shape, a flag is the SDKs' object and
// an unflagged item's flag stays null.
func TestItemShapesSDKFlag(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{ItemShapes: emulator.ShapeSDKFlag})
	flagged := h.do("POST", "/v2/search/authentications", map[string]any{"limit": 1, "filters": []map[string]any{{"key": "status.flag", "value": "flagged"}}})
	if !strings.Contains(string(rawItems(t, flagged)[0]), `"flag":{"id":"flagged","is_flaggable":false,"flag_info":null}`) {
		t.Errorf("flagged item: %s", flagged.raw)
	}
	none := h.do("POST", "/v2/search/authentications", map[string]any{"limit": 1, "filters": []map[string]any{{"key": "status.flag", "value": nil}}})
	if !strings.Contains(string(rawItems(t, none)[0]), `"flag":null`) {
		t.Errorf("unflagged item: %s", none.raw)
	}
}

func ptr(s string) *string { return &s }

// deref shows an owner's members as strings, for comparing.
func deref(o entrupy.Owner) [4]string {
	return [4]string{val(o.OrganizationName), val(o.Username), val(o.OrganizationID), val(o.UserID)}
}

// TestLookupCustomerItemIDLimit: a customer_item_id of 256 characters is
// looked up; 257 is a 400 naming it (TestSearchFilterLimits has the
// filters).
func TestLookupCustomerItemIDLimit(t *testing.T) {
	t.Parallel()
	h := start(t, emulator.Options{})
	long := strings.Repeat("a", entrupy.MaxCustomerItemIDLength)
	h.expectError(h.do("GET", "/v2/lookup/authentications/"+long, nil), 404, "not_found", "")
	h.expectError(h.do("GET", "/v2/lookup/authentications/"+long+"a", nil), 400, "invalid_request", "customer_item_id")
}

// TestExtraEvents: an event outside the provider's list is refused unless
// the emulator knows it (Options.ExtraEvents), as Entrupy's list may grow.
func TestExtraEvents(t *testing.T) {
	t.Parallel()
	body := map[string]any{"url": "https://hooks.example.com/x", "secret_key": "s", "events": []string{"session.completed", "item.updated"}}
	h := start(t, emulator.Options{})
	h.expectError(h.do("POST", "/v2/webhooks", body), 400, "invalid_request", "events")
	h = start(t, emulator.Options{ExtraEvents: []string{"item.updated"}})
	if a := h.do("POST", "/v2/webhooks", body); a.status != 201 || fmt.Sprint(a.item()["events"]) != "[item.updated session.completed]" {
		t.Fatalf("a known extra event: %d %s", a.status, a.raw)
	}
}
