package emulator_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// TestGeneratedCatalog: generated items carry catalog data that fits their
// category and brand, in several markets, with some items unmatched, the
// same on every run.
func TestGeneratedCatalog(t *testing.T) {
	t.Parallel()
	seed := emulator.GenerateSeed(400, 11, "Acme")
	if again := emulator.GenerateSeed(400, 11, "Acme"); !reflect.DeepEqual(seed, again) {
		t.Fatal("GenerateSeed is not deterministic")
	}
	categories := map[string][]string{
		entrupy.CategoryLuxury:   {"handbag", "wallet"},
		entrupy.CategorySneakers: {"sneakers"},
		entrupy.CategoryApparel:  {"tops", "dresses", "outerwear", "bottoms"},
	}
	sneakerCode := regexp.MustCompile(`^[A-Z0-9]{5,9}(-[0-9]{3})?$`)
	markets := map[string]string{}
	var matched, unmatched, noMarket, noCondition int
	seenCategory := map[string]bool{}
	for _, it := range seed.Authentications {
		c := it.Catalog
		if c == nil {
			unmatched++
			continue
		}
		matched++
		if it.Status.Result.ID == "invalid" || it.Status.Result.ID == "error_processing" {
			t.Errorf("%s: an %s item has catalog data", it.EntrupyID, it.Status.Result.ID)
		}
		if c.Brand != *it.Properties.Brand {
			t.Errorf("%s: catalog brand %+v, item brand %+v", it.EntrupyID, c.Brand, *it.Properties.Brand)
		}
		var productCategory string
		for _, b := range entrupy.Brands {
			if b.ID == c.Brand.ID {
				productCategory = b.ProductCategory
			}
		}
		if !slices.Contains(categories[productCategory], c.Category.ID) || c.Category.Display == "" {
			t.Errorf("%s: %s item (%s) in catalog category %+v", it.EntrupyID, productCategory, c.Brand.ID, c.Category)
		}
		seenCategory[c.Category.ID] = true
		if c.Style.Name == "" || c.Style.Code == "" {
			t.Errorf("%s: style %+v", it.EntrupyID, c.Style)
		}
		switch productCategory {
		case entrupy.CategoryLuxury:
			if (c.Material == nil) != (it.Properties.Material == nil) || (c.Material != nil && *c.Material != *it.Properties.Material) {
				t.Errorf("%s: catalog material %+v, item material %+v", it.EntrupyID, c.Material, it.Properties.Material)
			}
		case entrupy.CategorySneakers:
			if !sneakerCode.MatchString(c.Style.Code) || c.Colorway == nil || c.Material != nil || c.SerialNumber != nil {
				t.Errorf("%s: sneaker catalog %+v", it.EntrupyID, c)
			}
		case entrupy.CategoryApparel:
			if it.Properties.ItemType != nil && c.Category.ID != it.Properties.ItemType.ID {
				t.Errorf("%s: %s item in catalog category %s", it.EntrupyID, it.Properties.ItemType.ID, c.Category.ID)
			}
		}
		if c.Condition == nil {
			noCondition++
		} else if !slices.Contains(entrupy.CatalogGrades, c.Condition.Grade) {
			t.Errorf("%s: grade %q", it.EntrupyID, c.Condition.Grade)
		}
		m := c.Market
		if m == nil {
			noMarket++
			continue
		}
		if cur, ok := markets[m.Region]; ok && cur != m.Currency {
			t.Errorf("region %s priced in %s and %s", m.Region, cur, m.Currency)
		}
		markets[m.Region] = m.Currency
		if m.ResaleLow != nil && (m.ResaleHigh == nil || *m.ResaleLow <= 0 || *m.ResaleLow > *m.ResaleHigh) {
			t.Errorf("%s: resale range %v..%v", it.EntrupyID, *m.ResaleLow, m.ResaleHigh)
		}
		if m.Currency == "JPY" && m.RetailPrice != nil && *m.RetailPrice != float64(int64(*m.RetailPrice)/100*100) {
			t.Errorf("%s: a yen price %v not in hundreds", it.EntrupyID, *m.RetailPrice)
		}
	}
	t.Logf("%d matched, %d unmatched, %d without market, %d without condition; markets %v", matched, unmatched, noMarket, noCondition, markets)
	if unmatched == 0 || matched < len(seed.Authentications)/2 || noMarket == 0 || noCondition == 0 {
		t.Errorf("%d matched, %d unmatched, %d without market, %d without condition", matched, unmatched, noMarket, noCondition)
	}
	for region, currency := range map[string]string{"US": "USD", "EU": "EUR", "JP": "JPY", "GB": "GBP"} {
		if markets[region] != currency {
			t.Errorf("market %s priced in %q, want %s", region, markets[region], currency)
		}
	}
	for _, id := range []string{"handbag", "wallet", "sneakers", "tops", "outerwear"} {
		if !seenCategory[id] {
			t.Errorf("no generated item in catalog category %s", id)
		}
	}
}

// catalogAnswer is the catalog of GET ...?include_catalog=true.
func catalogAnswer(t *testing.T, h *harness, id string, headers ...string) any {
	t.Helper()
	a := h.do("GET", "/v2/authentications/"+id+"?include_catalog=true", nil, headers...)
	if a.status != 200 {
		t.Fatalf("GET %s: %d %s", id, a.status, a.raw)
	}
	c, ok := a.item()["catalog"]
	if !ok {
		t.Fatalf("GET %s?include_catalog=true: no catalog key: %s", id, a.raw)
	}
	return c
}

// TestCatalogSeedFile: a seed file gives an item its catalog, null for no
// match, or nothing (the emulator's own); the state file keeps them; a
// catalog the contract does not allow is refused, naming the field.
func TestCatalogSeedFile(t *testing.T) {
	t.Parallel()
	gen := emulator.GenerateSeed(30, 5, "Acme")
	b, err := json.Marshal(gen)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	items := as[[]any](t, file["authentications"])
	own := map[string]any{
		"brand": map[string]any{"id": "chanel", "display": "Chanel"}, "category": map[string]any{"id": "handbag", "display": "Handbag"},
		"style": map[string]any{"name": "Classic Flap Bag Jumbo", "code": "A58600"}, "material": nil, "colorway": "Black",
		"description": nil, "serial_number": "31555812", "condition": map[string]any{"grade": "C", "notes": nil},
		"market": map[string]any{"region": "CA", "currency": "CAD", "retail_price": 15900.5, "resale_low": nil, "resale_high": 12000.0},
	}
	// Item 0: its own catalog; 1: none (null); 2: no key (the emulator's).
	var derived string
	for i, v := range items {
		m := as[map[string]any](t, v)
		switch {
		case i == 0:
			m["catalog"] = own
		case i == 1:
			m["catalog"] = nil
		case derived == "" && m["catalog"] != nil:
			derived = as[string](t, m["entrupy_id"])
			delete(m, "catalog")
		}
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	write := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(file)
	seed, err := emulator.LoadSeedFile(path)
	if err != nil {
		t.Fatal(err)
	}
	statePath := filepath.Join(t.TempDir(), "state.json")
	h := start(t, emulator.Options{Seed: seed, StateFile: statePath})
	fresh := start(t, emulator.Options{Seed: gen})
	ids := []string{as[string](t, as[map[string]any](t, items[0])["entrupy_id"]), as[string](t, as[map[string]any](t, items[1])["entrupy_id"]), derived}
	check := func(h *harness, when string) {
		t.Helper()
		sameJSON(t, when+": own catalog", catalogAnswer(t, h, ids[0]), own)
		if c := catalogAnswer(t, h, ids[1]); c != nil {
			t.Errorf("%s: catalog null in the file, served %v", when, c)
		}
		sameJSON(t, when+": catalog left to the emulator", catalogAnswer(t, h, ids[2]), catalogAnswer(t, fresh, ids[2]))
	}
	check(h, "seed file")
	// A change writes the state file; a new emulator starts from it.
	if a := h.do("POST", "/v2/integrations/users", map[string]any{"unique_user_id": "catalog-user", "email": "c@example.com"}); a.status != 201 {
		t.Fatalf("create user: %d %s", a.status, a.raw)
	}
	restarted := start(t, emulator.Options{StateFile: statePath})
	check(restarted, "state file")

	// Japanese display strings.
	ja := catalogAnswer(t, h, ids[0], "Accept-Language", "ja")
	if d := as[map[string]any](t, as[map[string]any](t, ja)["brand"])["display"]; d != "シャネル" {
		t.Errorf("brand display in Japanese: %v", d)
	}
	if d := as[map[string]any](t, as[map[string]any](t, ja)["category"])["display"]; d != "ハンドバッグ" {
		t.Errorf("category display in Japanese: %v", d)
	}

	for _, bad := range []struct {
		field string
		value any
		want  string
	}{
		{"condition", map[string]any{"grade": "E", "notes": nil}, "catalog.condition.grade"},
		{"market", map[string]any{"region": "US", "currency": "dollars"}, "catalog.market.currency"},
		{"market", map[string]any{"region": "US", "currency": "USD", "resale_low": -5}, "catalog.market.resale_low"},
		{"brand", map[string]any{"id": "", "display": ""}, "catalog.brand.id"},
	} {
		broken := map[string]any{}
		for k, v := range own {
			broken[k] = v
		}
		broken[bad.field] = bad.value
		as[map[string]any](t, items[0])["catalog"] = broken
		write(file)
		_, err := emulator.LoadSeedFile(path)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), ids[0]) {
			t.Errorf("seed file with %s %v: error %v, want one naming %s and the item", bad.field, bad.value, err, bad.want)
		}
	}
}

// TestCatalogOfOlderFiles: a state file written before catalog data
// existed serves the catalog the generator gives its items.
func TestCatalogOfOlderFiles(t *testing.T) {
	t.Parallel()
	path := copyTestdata(t, "state-v0.json")
	old := start(t, emulator.Options{StateFile: path})
	fresh := start(t, emulator.Options{Seed: emulator.GenerateSeed(14, 9, "Acme")}) // what state-v0.json holds
	matched := 0
	for id := range as[map[string]any](t, readJSON(t, path)["items"]) {
		c := catalogAnswer(t, old, id)
		sameJSON(t, "catalog of "+id, c, catalogAnswer(t, fresh, id))
		if c != nil {
			matched++
		}
	}
	if matched == 0 {
		t.Error("no item of state-v0.json has catalog data")
	}
}
