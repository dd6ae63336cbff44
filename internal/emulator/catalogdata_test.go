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
// category and brand, with listings in several markets, some items
// unmatched, the same on every run.
func TestGeneratedCatalog(t *testing.T) {
	t.Parallel()
	seed := emulator.GenerateSeed(400, 11, "Acme")
	if again := emulator.GenerateSeed(400, 11, "Acme"); !reflect.DeepEqual(seed, again) {
		t.Fatal("GenerateSeed is not deterministic")
	}
	categories := map[string][]string{
		entrupy.CategoryLuxury:   {"Handbag", "Wallet"},
		entrupy.CategorySneakers: {"Sneakers"},
		entrupy.CategoryApparel:  {"Tops", "Dresses", "Outerwear", "Bottoms"},
	}
	scores := map[string][2]float64{"A": {90, 100}, "B": {75, 89.5}, "C": {55, 74.5}, "D": {30, 54.5}}
	price := regexp.MustCompile(`^[0-9]+\.[0-9]{2}$`)
	yen := regexp.MustCompile(`^[0-9]+00$`)
	markets := map[string]string{}
	var matched, unmatched, noListings, noCondition, noScore, noRegion int
	seenCategory := map[string]bool{}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, it := range seed.Authentications {
		c := it.Catalog
		if c == nil {
			unmatched++
			continue
		}
		matched++
		p := c.ProductInformation
		if val(it.Status.Result.ID) == "invalid" || val(it.Status.Result.ID) == "error_processing" {
			t.Errorf("%s: an %s item has catalog data", it.EntrupyID, val(it.Status.Result.ID))
		}
		if deref(p.Brand) != val(it.Properties.Brand.Display) {
			t.Errorf("%s: catalog brand %q, item brand %+v", it.EntrupyID, deref(p.Brand), *it.Properties.Brand)
		}
		var productCategory string
		for _, b := range entrupy.Brands {
			if b.ID == val(it.Properties.Brand.ID) {
				productCategory = b.ProductCategory
			}
		}
		if !slices.Contains(categories[productCategory], deref(p.Category)) {
			t.Errorf("%s: %s item in catalog category %q", it.EntrupyID, productCategory, deref(p.Category))
		}
		seenCategory[deref(p.Category)] = true
		if deref(p.Style) == "" {
			t.Errorf("%s: no style", it.EntrupyID)
		}
		switch productCategory {
		case entrupy.CategoryLuxury:
			if (p.Material == nil) != (it.Properties.Material == nil) || (p.Material != nil && *p.Material != val(it.Properties.Material.Display)) {
				t.Errorf("%s: catalog material %v, item material %+v", it.EntrupyID, deref(p.Material), it.Properties.Material)
			}
		case entrupy.CategorySneakers:
			if p.Colorway == nil || p.Material != nil || p.SerialNumber != nil {
				t.Errorf("%s: sneaker product information %+v", it.EntrupyID, p)
			}
		case entrupy.CategoryApparel:
			if it.Properties.ItemType != nil && strings.ToLower(deref(p.Category)) != val(it.Properties.ItemType.ID) {
				t.Errorf("%s: %s item in catalog category %s", it.EntrupyID, val(it.Properties.ItemType.ID), deref(p.Category))
			}
		}
		if a := c.ConditionAssessment; a == nil {
			noCondition++
		} else {
			r, ok := scores[a.Rating]
			if !ok || a.Issues == nil {
				t.Errorf("%s: assessment %+v", it.EntrupyID, a)
			}
			if a.Score == nil {
				noScore++
			} else if *a.Score < r[0] || *a.Score > r[1] {
				t.Errorf("%s: rating %s with score %v", it.EntrupyID, a.Rating, *a.Score)
			}
			if a.Rating == "A" && len(a.Issues) > 0 || a.Rating != "A" && len(a.Issues) == 0 {
				t.Errorf("%s: rating %s with issues %q", it.EntrupyID, a.Rating, a.Issues)
			}
		}
		if c.MarketplaceListings == nil {
			t.Errorf("%s: marketplace_listings nil, want a list", it.EntrupyID)
		}
		if len(c.MarketplaceListings) == 0 {
			noListings++
		}
		for _, l := range c.MarketplaceListings {
			if l.Platform == "" || !strings.Contains(l.Title, deref(p.Style)) || !strings.HasPrefix(l.URL, "https://") || !strings.Contains(l.URL, ".example/") {
				t.Errorf("%s: listing %+v", it.EntrupyID, l)
			}
			switch {
			case l.Currency == "JPY" && !yen.MatchString(l.Price), l.Currency != "JPY" && !price.MatchString(l.Price):
				t.Errorf("%s: a %s price %q", it.EntrupyID, l.Currency, l.Price)
			}
			if l.Region == nil {
				noRegion++
				continue
			}
			if cur, ok := markets[*l.Region]; ok && cur != l.Currency {
				t.Errorf("region %s priced in %s and %s", *l.Region, cur, l.Currency)
			}
			markets[*l.Region] = l.Currency
		}
	}
	t.Logf("%d matched, %d unmatched, %d without listings, %d without condition, %d without score, %d listings without region; markets %v",
		matched, unmatched, noListings, noCondition, noScore, noRegion, markets)
	if unmatched == 0 || matched < len(seed.Authentications)/2 || noListings == 0 || noCondition == 0 || noScore == 0 || noRegion == 0 {
		t.Errorf("%d matched, %d unmatched, %d without listings, %d without condition, %d without score, %d without region", matched, unmatched, noListings, noCondition, noScore, noRegion)
	}
	for region, currency := range map[string]string{"US": "USD", "EU": "EUR", "JP": "JPY", "GB": "GBP", "HK": "HKD"} {
		if markets[region] != currency {
			t.Errorf("market %s priced in %q, want %s", region, markets[region], currency)
		}
	}
	for _, c := range []string{"Handbag", "Wallet", "Sneakers", "Tops", "Outerwear"} {
		if !seenCategory[c] {
			t.Errorf("no generated item in catalog category %s", c)
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
		"product_information": map[string]any{
			"brand": "Chanel", "category": "Shoulder Bag", "style": "Classic Flap Bag Jumbo", "material": nil,
			"colorway": "Black", "description": nil, "serial_number": "31555812",
		},
		"condition_assessment": map[string]any{"rating": "C", "score": 61.5, "issues": []any{"Corner wear"}, "notes": nil},
		"marketplace_listings": []any{
			map[string]any{"platform": "Rebag", "title": "Chanel Jumbo Flap", "url": "https://rebag.example/l/1", "price": "15900.50", "currency": "CAD", "region": "CA"},
			map[string]any{"platform": "Brand Off", "title": "シャネル マトラッセ", "url": "https://brandoff.example/l/2", "price": "1450000", "currency": "JPY", "region": nil},
		},
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

	// Plain display strings: the same whatever the Accept-Language.
	sameJSON(t, "catalog with Accept-Language: ja", catalogAnswer(t, h, ids[0], "Accept-Language", "ja"), own)

	for _, bad := range []struct {
		field string
		value any
		want  string
	}{
		{"condition_assessment", map[string]any{"rating": "", "score": nil, "issues": []any{}, "notes": nil}, "catalog.condition_assessment.rating"},
		{"condition_assessment", map[string]any{"rating": "B", "score": 101, "issues": []any{}, "notes": nil}, "catalog.condition_assessment.score"},
		{"marketplace_listings", []any{map[string]any{"platform": "eBay", "title": "x", "url": "https://e.example/1", "price": 12.5, "currency": "USD"}}, "marketplace_listings.price of type string"},
		{"marketplace_listings", []any{map[string]any{"platform": "eBay", "title": "x", "url": "https://e.example/1", "price": "12,50", "currency": "USD"}}, "catalog.marketplace_listings[0].price"},
		{"marketplace_listings", []any{map[string]any{"platform": "eBay", "title": "x", "url": "https://e.example/1", "price": "12.50", "currency": "dollars"}}, "catalog.marketplace_listings[0].currency"},
		{"marketplace_listings", []any{map[string]any{"platform": "", "title": "x", "url": "https://e.example/1", "price": "12.50", "currency": "USD"}}, "catalog.marketplace_listings[0].platform"},
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
