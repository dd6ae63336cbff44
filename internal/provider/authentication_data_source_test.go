package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// seedItem returns the first built-in item that satisfies pred.
func seedItem(t *testing.T, pred func(entrupy.Item) bool) entrupy.Item {
	t.Helper()
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if pred(it) {
			return it
		}
	}
	t.Fatal("no built-in item matches")
	return entrupy.Item{}
}

// val is *p, or "" for nil: a member of an item as the client reads it.
func val(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func category(it entrupy.Item) string {
	if it.Activity.ProductCategory == nil {
		return ""
	}
	return *it.Activity.ProductCategory
}

func TestAccAuthenticationDataSource_byEntrupyID(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	lux := seedItem(t, func(it entrupy.Item) bool {
		return category(it) == "luxury" && val(it.Status.Result.ID) == "authentic" && it.TextFields.CustomerItemID != nil && it.Status.Flag == nil
	})
	sneaker := seedItem(t, func(it entrupy.Item) bool { return category(it) == "sneakers" })
	invalid := seedItem(t, func(it entrupy.Item) bool { return val(it.Status.Result.ID) == "invalid" })
	lx := "data.entrupy_authentication.lux"
	attr := func(addr string, path tfjsonpath.Path, v knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, path, v)
	}
	p := tfjsonpath.New[string]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_authentication" "lux" { entrupy_id = %q }
data "entrupy_authentication" "sneaker" {
  entrupy_id     = %q
  include_images = true
}
data "entrupy_authentication" "invalid" { entrupy_id = %q }
`, lux.EntrupyID, sneaker.EntrupyID, invalid.EntrupyID),
			ConfigStateChecks: []statecheck.StateCheck{
				attr(lx, p("found"), knownvalue.Bool(true)),
				attr(lx, p("customer_item_id"), knownvalue.StringExact(*lux.TextFields.CustomerItemID)),
				attr(lx, p("owner"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"organization_name": knownvalue.StringExact("Acme"),
					"username":          knownvalue.StringExact(val(lux.Owner.Username)),
					"organization_id":   knownvalue.Null(),
					"user_id":           knownvalue.Null(),
				})),
				attr(lx, p("properties").AtMapKey("brand").AtMapKey("id"), knownvalue.StringExact(val(lux.Properties.Brand.ID))),
				attr(lx, p("properties").AtMapKey("material").AtMapKey("id"), knownvalue.StringExact(val(lux.Properties.Material.ID))),
				attr(lx, p("properties").AtMapKey("item_type"), knownvalue.Null()),
				attr(lx, p("certificate").AtMapKey("certificate_id"), knownvalue.StringExact("C-"+lux.EntrupyID)),
				attr(lx, p("status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"flag": knownvalue.Null(),
					"result": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("authentic"), "display": knownvalue.StringExact("Authentic"),
						"final": knownvalue.Bool(true), "reason": knownvalue.Null(),
					}),
					"initial_result": knownvalue.Null(),
				})),
				attr(lx, p("timestamp"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"epoch":      knownvalue.Int64Exact(lux.Timestamp.Created.Unix()),
					"rfc3339":    knownvalue.StringExact(lux.Timestamp.Created.Format(time.RFC3339)),
					"updated_at": knownvalue.Null(),
				})),
				attr(lx, p("raw_json"), knownvalue.StringRegexp(regexp.MustCompile(`^\{"entrupy_id":"`+lux.EntrupyID+`","owner":\{"organization":\{"name":"Acme"\}`))),
				attr(lx, p("activity").AtMapKey("product_category"), knownvalue.StringExact("luxury")),
				attr(lx, p("images"), knownvalue.Null()),

				attr("data.entrupy_authentication.sneaker", p("properties").AtMapKey("material"), knownvalue.Null()),
				attr("data.entrupy_authentication.sneaker", p("text_fields").AtMapKey("style_code"), knownvalue.StringExact(*sneaker.TextFields.StyleCode)),
				attr("data.entrupy_authentication.sneaker", p("images"), knownvalue.ListSizeExact(len(sneaker.Images))),
				attr("data.entrupy_authentication.sneaker", p("images").AtSliceIndex(0).AtMapKey("region_id"), knownvalue.StringExact("box_label")),

				attr("data.entrupy_authentication.invalid", p("certificate"), knownvalue.Null()),
				attr("data.entrupy_authentication.invalid", p("status").AtMapKey("result").AtMapKey("reason"), knownvalue.StringExact(*invalid.Status.Result.Reason)),
			},
		}},
	})
}

func TestAccAuthenticationDataSource_byCustomerItemID(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	// Find a customer_item_id carried by several items; the newest wins.
	newest := map[string]entrupy.Item{}
	count := map[string]int{}
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if c := it.TextFields.CustomerItemID; c != nil {
			count[*c]++
			if old, ok := newest[*c]; !ok || !it.Timestamp.Created.Before(*old.Timestamp.Created) {
				newest[*c] = it
			}
		}
	}
	var cid string
	for c, n := range count {
		if n > 1 {
			cid = c
			break
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_authentication" "x" {
  customer_item_id = %q
  include_images   = true
}`, cid),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("entrupy_id"), knownvalue.StringExact(newest[cid].EntrupyID)),
				statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("text_fields").AtMapKey("customer_item_id"), knownvalue.StringExact(cid)),
				statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("images"), knownvalue.ListSizeExact(len(newest[cid].Images))),
			},
		}},
	})
}

func TestAccAuthenticationDataSource_missing(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      providerBlock(emu) + `data "entrupy_authentication" "x" { entrupy_id = "NOSUCHID" }`,
				ExpectError: regexp.MustCompile(`(?s)Authentication not found.*entrupy_id\s+"NOSUCHID"`),
			},
			{
				Config:      providerBlock(emu) + `data "entrupy_authentication" "x" { customer_item_id = "SKU-NONE" }`,
				ExpectError: regexp.MustCompile(`(?s)Authentication not found.*customer_item_id\s+"SKU-NONE"`),
			},
			{
				Config: providerBlock(emu) + `
data "entrupy_authentication" "x" {
  entrupy_id    = "NOSUCHID"
  allow_missing = true
}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("found"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("status"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("entrupy_id"), knownvalue.StringExact("NOSUCHID")),
				},
			},
		},
	})
}

func TestAccAuthenticationDataSource_japanese(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	it := seedItem(t, func(it entrupy.Item) bool {
		return val(it.Properties.Brand.ID) == "hermes" && val(it.Status.Result.ID) == "authentic"
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu, `accept_language = "ja"`) + fmt.Sprintf(`data "entrupy_authentication" "x" { entrupy_id = %q }`, it.EntrupyID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("properties").AtMapKey("brand").AtMapKey("display"), knownvalue.StringExact("エルメス")),
				statecheck.ExpectKnownValue("data.entrupy_authentication.x", tfjsonpath.New("status").AtMapKey("result").AtMapKey("display"), knownvalue.StringExact("本物")),
			},
		}},
	})
}

func stringOrNull(p *string) knownvalue.Check {
	if p == nil {
		return knownvalue.Null()
	}
	return knownvalue.StringExact(*p)
}

func float64OrNull(p *float64) knownvalue.Check {
	if p == nil {
		return knownvalue.Null()
	}
	return knownvalue.Float64Exact(*p)
}

// catalogValue is the state an item's catalog data must have: every
// field, null where the API's is, prices the API's strings.
func catalogValue(c *entrupy.Catalog) knownvalue.Check {
	if c == nil {
		return knownvalue.Null()
	}
	p := c.ProductInformation
	var condition knownvalue.Check = knownvalue.Null()
	if a := c.ConditionAssessment; a != nil {
		issues := make([]knownvalue.Check, len(a.Issues))
		for i, issue := range a.Issues {
			issues[i] = knownvalue.StringExact(issue)
		}
		condition = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"rating": knownvalue.StringExact(a.Rating), "score": float64OrNull(a.Score),
			"issues": knownvalue.ListExact(issues), "notes": stringOrNull(a.Notes),
		})
	}
	listings := make([]knownvalue.Check, len(c.MarketplaceListings))
	for i, l := range c.MarketplaceListings {
		listings[i] = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"platform": knownvalue.StringExact(l.Platform), "title": knownvalue.StringExact(l.Title), "url": knownvalue.StringExact(l.URL),
			"price": knownvalue.StringExact(l.Price), "currency": knownvalue.StringExact(l.Currency), "region": stringOrNull(l.Region),
		})
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"product_information": knownvalue.ObjectExact(map[string]knownvalue.Check{
			"brand": stringOrNull(p.Brand), "category": stringOrNull(p.Category), "style": stringOrNull(p.Style),
			"material": stringOrNull(p.Material), "colorway": stringOrNull(p.Colorway), "description": stringOrNull(p.Description),
			"serial_number": stringOrNull(p.SerialNumber),
		}),
		"condition_assessment": condition,
		"marketplace_listings": knownvalue.ListExact(listings),
	})
}

// fullCatalog reports whether every nullable catalog field has a value,
// with issues and at least two listings, each with a region.
func fullCatalog(c *entrupy.Catalog) bool {
	if c == nil {
		return false
	}
	p, a := c.ProductInformation, c.ConditionAssessment
	if p.Brand == nil || p.Category == nil || p.Style == nil || p.Material == nil || p.Colorway == nil || p.Description == nil || p.SerialNumber == nil ||
		a == nil || a.Score == nil || a.Notes == nil || len(a.Issues) == 0 || len(c.MarketplaceListings) < 2 {
		return false
	}
	for _, l := range c.MarketplaceListings {
		if l.Region == nil {
			return false
		}
	}
	return true
}

// TestAccAuthenticationDataSource_catalog: include_catalog reads the
// contract's catalog object field for field through the emulator (here
// fed into a resource), prices as the API's decimal strings; null forms
// (no score, a listing without region, no assessment, no listings) read as null or empty; catalog is null for an item without a
// catalog match and when not asked for.
func TestAccAuthenticationDataSource_catalog(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	full := seedItem(t, func(it entrupy.Item) bool { return fullCatalog(it.Catalog) })
	sparse := seedItem(t, func(it entrupy.Item) bool {
		c := it.Catalog
		if c == nil || c.ConditionAssessment == nil || c.ConditionAssessment.Score != nil {
			return false
		}
		return slices.ContainsFunc(c.MarketplaceListings, func(l entrupy.MarketplaceListing) bool { return l.Region == nil })
	})
	bare := seedItem(t, func(it entrupy.Item) bool { return it.Catalog != nil && it.Catalog.ConditionAssessment == nil })
	unlisted := seedItem(t, func(it entrupy.Item) bool { return it.Catalog != nil && len(it.Catalog.MarketplaceListings) == 0 })
	none := seedItem(t, func(it entrupy.Item) bool { return it.Catalog == nil && val(it.Status.Result.ID) == "authentic" })
	p := tfjsonpath.New[string]
	// Every field of the full item on its own too, so that a failure names it.
	c, pi, a := full.Catalog, full.Catalog.ProductInformation, full.Catalog.ConditionAssessment
	cat := p("catalog")
	// Each path is built afresh: tfjsonpath.Path's At* methods may share
	// the steps of the path they extend.
	info := func(k string) tfjsonpath.Path { return p("catalog").AtMapKey("product_information").AtMapKey(k) }
	cond := func(k string) tfjsonpath.Path { return p("catalog").AtMapKey("condition_assessment").AtMapKey(k) }
	first := func(k string) tfjsonpath.Path {
		return p("catalog").AtMapKey("marketplace_listings").AtSliceIndex(0).AtMapKey(k)
	}
	l := c.MarketplaceListings[0]
	fields := map[string]struct {
		path tfjsonpath.Path
		want knownvalue.Check
	}{
		"product_information.brand":         {info("brand"), knownvalue.StringExact(*pi.Brand)},
		"product_information.category":      {info("category"), knownvalue.StringExact(*pi.Category)},
		"product_information.style":         {info("style"), knownvalue.StringExact(*pi.Style)},
		"product_information.material":      {info("material"), knownvalue.StringExact(*pi.Material)},
		"product_information.colorway":      {info("colorway"), knownvalue.StringExact(*pi.Colorway)},
		"product_information.description":   {info("description"), knownvalue.StringExact(*pi.Description)},
		"product_information.serial_number": {info("serial_number"), knownvalue.StringExact(*pi.SerialNumber)},
		"condition_assessment.rating":       {cond("rating"), knownvalue.StringExact(a.Rating)},
		"condition_assessment.score":        {cond("score"), knownvalue.Float64Exact(*a.Score)},
		"condition_assessment.issues[0]":    {p("catalog").AtMapKey("condition_assessment").AtMapKey("issues").AtSliceIndex(0), knownvalue.StringExact(a.Issues[0])},
		"condition_assessment.notes":        {cond("notes"), knownvalue.StringExact(*a.Notes)},
		"marketplace_listings":              {cat.AtMapKey("marketplace_listings"), knownvalue.ListSizeExact(len(c.MarketplaceListings))},
		"marketplace_listings[0].platform":  {first("platform"), knownvalue.StringExact(l.Platform)},
		"marketplace_listings[0].title":     {first("title"), knownvalue.StringExact(l.Title)},
		"marketplace_listings[0].url":       {first("url"), knownvalue.StringExact(l.URL)},
		"marketplace_listings[0].price":     {first("price"), knownvalue.StringExact(l.Price)},
		"marketplace_listings[0].currency":  {first("currency"), knownvalue.StringExact(l.Currency)},
		"marketplace_listings[0].region":    {first("region"), knownvalue.StringExact(*l.Region)},
	}
	price, err := strconv.ParseFloat(l.Price, 64)
	if err != nil {
		t.Fatalf("the emulator's price %q is not a decimal: %v", l.Price, err)
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.entrupy_authentication.full", cat, catalogValue(full.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.sparse", cat, catalogValue(sparse.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.bare", cat, catalogValue(bare.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.bare", cat.AtMapKey("condition_assessment"), knownvalue.Null()),
		statecheck.ExpectKnownValue("data.entrupy_authentication.unlisted", cat, catalogValue(unlisted.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.unlisted", cat.AtMapKey("marketplace_listings"), knownvalue.ListExact([]knownvalue.Check{})),
		statecheck.ExpectKnownValue("data.entrupy_authentication.none", cat, knownvalue.Null()),
		statecheck.ExpectKnownValue("data.entrupy_authentication.none", p("status").AtMapKey("result").AtMapKey("id"), knownvalue.StringExact("authentic")),
		statecheck.ExpectKnownValue("data.entrupy_authentication.not_asked", cat, knownvalue.Null()),
		statecheck.ExpectKnownValue("data.entrupy_authentication.not_asked", p("entrupy_id"), knownvalue.StringExact(full.EntrupyID)),
		// Catalog data feeds another resource: a listing pipeline's input.
		// The price stays the API's string; tonumber() is the reader's.
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("style"), knownvalue.StringExact(*pi.Style)),
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("price"), knownvalue.StringExact(l.Price)),
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("currency"), knownvalue.StringExact(l.Currency)),
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("amount"), knownvalue.Float64Exact(price)),
	}
	for _, f := range fields {
		checks = append(checks, statecheck.ExpectKnownValue("data.entrupy_authentication.full", f.path, f.want))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_authentication" "full" {
  entrupy_id      = %q
  include_catalog = true
}
data "entrupy_authentication" "sparse" {
  entrupy_id      = %q
  include_catalog = true
  include_images  = true
}
data "entrupy_authentication" "bare" {
  entrupy_id      = %q
  include_catalog = true
}
data "entrupy_authentication" "unlisted" {
  entrupy_id      = %q
  include_catalog = true
}
data "entrupy_authentication" "none" {
  entrupy_id      = %q
  include_catalog = true
}
data "entrupy_authentication" "not_asked" { entrupy_id = %q }

resource "terraform_data" "listing" {
  input = {
    style    = data.entrupy_authentication.full.catalog.product_information.style
    price    = data.entrupy_authentication.full.catalog.marketplace_listings[0].price
    currency = data.entrupy_authentication.full.catalog.marketplace_listings[0].currency
    amount   = tonumber(data.entrupy_authentication.full.catalog.marketplace_listings[0].price)
  }
}
`, full.EntrupyID, sparse.EntrupyID, bare.EntrupyID, unlisted.EntrupyID, none.EntrupyID, full.EntrupyID),
			ConfigStateChecks: checks,
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}

// TestAccAuthenticationDataSource_catalogByCustomerItemID: the lookup
// route has no include_catalog, so the found item is read again with it.
func TestAccAuthenticationDataSource_catalogByCustomerItemID(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	newest := map[string]entrupy.Item{}
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if c := it.TextFields.CustomerItemID; c != nil {
			if old, ok := newest[*c]; !ok || !it.Timestamp.Created.Before(*old.Timestamp.Created) {
				newest[*c] = it
			}
		}
	}
	var matched, unmatched entrupy.Item
	for _, it := range newest {
		switch {
		case it.Catalog != nil && len(it.Catalog.MarketplaceListings) > 0 && (matched.Catalog == nil || it.Timestamp.Created.Unix() > matched.Timestamp.Created.Unix()):
			matched = it
		case it.Catalog == nil && (unmatched.EntrupyID == "" || it.Timestamp.Created.Unix() > unmatched.Timestamp.Created.Unix()):
			unmatched = it
		}
	}
	if matched.Catalog == nil || unmatched.EntrupyID == "" {
		t.Fatal("the built-in seed has no customer_item_id whose newest item has (and has not) catalog data")
	}
	addr := "data.entrupy_authentication.x"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_authentication" "x" {
  customer_item_id = %q
  include_catalog  = true
}
data "entrupy_authentication" "unmatched" {
  customer_item_id = %q
  include_catalog  = true
}
data "entrupy_authentication" "not_asked" { customer_item_id = %q }
`, *matched.TextFields.CustomerItemID, *unmatched.TextFields.CustomerItemID, *matched.TextFields.CustomerItemID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("entrupy_id"), knownvalue.StringExact(matched.EntrupyID)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("catalog"), catalogValue(matched.Catalog)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("images"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.entrupy_authentication.unmatched", tfjsonpath.New("entrupy_id"), knownvalue.StringExact(unmatched.EntrupyID)),
				statecheck.ExpectKnownValue("data.entrupy_authentication.unmatched", tfjsonpath.New("catalog"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.entrupy_authentication.not_asked", tfjsonpath.New("catalog"), knownvalue.Null()),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
