package provider

import (
	"fmt"
	"regexp"
	"testing"

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

func category(it entrupy.Item) string {
	if it.Activity.ProductCategory == nil {
		return ""
	}
	return *it.Activity.ProductCategory
}

func TestAccAuthenticationDataSource_byEntrupyID(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	lux := seedItem(t, func(it entrupy.Item) bool {
		return category(it) == "luxury" && it.Status.Result.ID == "authentic" && it.TextFields.CustomerItemID != nil && it.Status.Flag == nil
	})
	sneaker := seedItem(t, func(it entrupy.Item) bool { return category(it) == "sneakers" })
	invalid := seedItem(t, func(it entrupy.Item) bool { return it.Status.Result.ID == "invalid" })
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
					"username":          knownvalue.StringExact(lux.Owner.User.Username),
				})),
				attr(lx, p("properties").AtMapKey("brand").AtMapKey("id"), knownvalue.StringExact(lux.Properties.Brand.ID)),
				attr(lx, p("properties").AtMapKey("material").AtMapKey("id"), knownvalue.StringExact(lux.Properties.Material.ID)),
				attr(lx, p("properties").AtMapKey("item_type"), knownvalue.Null()),
				attr(lx, p("certificate").AtMapKey("certificate_id"), knownvalue.StringExact("C-"+lux.EntrupyID)),
				attr(lx, p("status"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"flag": knownvalue.Null(),
					"result": knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("authentic"), "display": knownvalue.StringExact("Authentic"),
						"final": knownvalue.Bool(true), "reason": knownvalue.Null(),
					}),
				})),
				attr(lx, p("timestamp").AtMapKey("epoch"), knownvalue.Int64Exact(lux.Timestamp.Epoch)),
				attr(lx, p("timestamp").AtMapKey("rfc3339"), knownvalue.StringExact(lux.Timestamp.Display)),
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
			if it.Timestamp.Epoch >= newest[*c].Timestamp.Epoch {
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
		return it.Properties.Brand.ID == "hermes" && it.Status.Result.ID == "authentic"
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

func idDisplayOrNull(v *entrupy.IDDisplay) knownvalue.Check {
	if v == nil {
		return knownvalue.Null()
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{"id": knownvalue.StringExact(v.ID), "display": knownvalue.StringExact(v.Display)})
}

// catalogValue is the state an item's catalog data must have: every
// field, null where the API's is.
func catalogValue(c *entrupy.Catalog) knownvalue.Check {
	if c == nil {
		return knownvalue.Null()
	}
	var condition, market knownvalue.Check = knownvalue.Null(), knownvalue.Null()
	if cd := c.Condition; cd != nil {
		condition = knownvalue.ObjectExact(map[string]knownvalue.Check{"grade": knownvalue.StringExact(cd.Grade), "notes": stringOrNull(cd.Notes)})
	}
	if m := c.Market; m != nil {
		market = knownvalue.ObjectExact(map[string]knownvalue.Check{
			"region": knownvalue.StringExact(m.Region), "currency": knownvalue.StringExact(m.Currency),
			"retail_price": float64OrNull(m.RetailPrice), "resale_low": float64OrNull(m.ResaleLow), "resale_high": float64OrNull(m.ResaleHigh),
		})
	}
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"brand":    idDisplayOrNull(&c.Brand),
		"category": idDisplayOrNull(&c.Category),
		"style":    knownvalue.ObjectExact(map[string]knownvalue.Check{"name": knownvalue.StringExact(c.Style.Name), "code": knownvalue.StringExact(c.Style.Code)}),
		"material": idDisplayOrNull(c.Material), "colorway": stringOrNull(c.Colorway), "description": stringOrNull(c.Description),
		"serial_number": stringOrNull(c.SerialNumber), "condition": condition, "market": market,
	})
}

// fullCatalog reports whether every nullable catalog field has a value.
func fullCatalog(c *entrupy.Catalog) bool {
	return c != nil && c.Material != nil && c.Colorway != nil && c.Description != nil && c.SerialNumber != nil &&
		c.Condition != nil && c.Condition.Notes != nil && c.Market != nil &&
		c.Market.RetailPrice != nil && c.Market.ResaleLow != nil && c.Market.ResaleHigh != nil
}

// TestAccAuthenticationDataSource_catalog: include_catalog reads the
// contract's catalog object field for field (here fed into a resource);
// it is null for an item without a catalog match and when not asked for.
func TestAccAuthenticationDataSource_catalog(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	full := seedItem(t, func(it entrupy.Item) bool { return fullCatalog(it.Catalog) })
	sneaker := seedItem(t, func(it entrupy.Item) bool {
		return it.Catalog != nil && it.Catalog.Category.ID == "sneakers" && it.Catalog.Market != nil && it.Catalog.Market.Currency != full.Catalog.Market.Currency
	})
	none := seedItem(t, func(it entrupy.Item) bool { return it.Catalog == nil && it.Status.Result.ID == "authentic" })
	p := tfjsonpath.New[string]
	// Every field of the full item on its own too, so that a failure names it.
	c, m := full.Catalog, full.Catalog.Market
	cat := p("catalog")
	fields := map[string]struct {
		path tfjsonpath.Path
		want knownvalue.Check
	}{
		"brand.id":            {cat.AtMapKey("brand").AtMapKey("id"), knownvalue.StringExact(c.Brand.ID)},
		"brand.display":       {cat.AtMapKey("brand").AtMapKey("display"), knownvalue.StringExact(c.Brand.Display)},
		"category.id":         {cat.AtMapKey("category").AtMapKey("id"), knownvalue.StringExact(c.Category.ID)},
		"category.display":    {cat.AtMapKey("category").AtMapKey("display"), knownvalue.StringExact(c.Category.Display)},
		"style.name":          {cat.AtMapKey("style").AtMapKey("name"), knownvalue.StringExact(c.Style.Name)},
		"style.code":          {cat.AtMapKey("style").AtMapKey("code"), knownvalue.StringExact(c.Style.Code)},
		"material.id":         {cat.AtMapKey("material").AtMapKey("id"), knownvalue.StringExact(c.Material.ID)},
		"material.display":    {cat.AtMapKey("material").AtMapKey("display"), knownvalue.StringExact(c.Material.Display)},
		"colorway":            {cat.AtMapKey("colorway"), knownvalue.StringExact(*c.Colorway)},
		"description":         {cat.AtMapKey("description"), knownvalue.StringExact(*c.Description)},
		"serial_number":       {cat.AtMapKey("serial_number"), knownvalue.StringExact(*c.SerialNumber)},
		"condition.grade":     {cat.AtMapKey("condition").AtMapKey("grade"), knownvalue.StringExact(c.Condition.Grade)},
		"condition.notes":     {cat.AtMapKey("condition").AtMapKey("notes"), knownvalue.StringExact(*c.Condition.Notes)},
		"market.region":       {cat.AtMapKey("market").AtMapKey("region"), knownvalue.StringExact(m.Region)},
		"market.currency":     {cat.AtMapKey("market").AtMapKey("currency"), knownvalue.StringExact(m.Currency)},
		"market.retail_price": {cat.AtMapKey("market").AtMapKey("retail_price"), knownvalue.Float64Exact(*m.RetailPrice)},
		"market.resale_low":   {cat.AtMapKey("market").AtMapKey("resale_low"), knownvalue.Float64Exact(*m.ResaleLow)},
		"market.resale_high":  {cat.AtMapKey("market").AtMapKey("resale_high"), knownvalue.Float64Exact(*m.ResaleHigh)},
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.entrupy_authentication.full", cat, catalogValue(full.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.sneaker", cat, catalogValue(sneaker.Catalog)),
		statecheck.ExpectKnownValue("data.entrupy_authentication.none", cat, knownvalue.Null()),
		statecheck.ExpectKnownValue("data.entrupy_authentication.none", p("status").AtMapKey("result").AtMapKey("id"), knownvalue.StringExact("authentic")),
		statecheck.ExpectKnownValue("data.entrupy_authentication.not_asked", cat, knownvalue.Null()),
		statecheck.ExpectKnownValue("data.entrupy_authentication.not_asked", p("entrupy_id"), knownvalue.StringExact(full.EntrupyID)),
		// Catalog data feeds another resource: a listing pipeline's input.
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("style_code"), knownvalue.StringExact(c.Style.Code)),
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("currency"), knownvalue.StringExact(m.Currency)),
		statecheck.ExpectKnownValue("terraform_data.listing", p("output").AtMapKey("ask"), knownvalue.Float64Exact(*m.ResaleHigh)),
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
data "entrupy_authentication" "sneaker" {
  entrupy_id      = %q
  include_catalog = true
  include_images  = true
}
data "entrupy_authentication" "none" {
  entrupy_id      = %q
  include_catalog = true
}
data "entrupy_authentication" "not_asked" { entrupy_id = %q }

resource "terraform_data" "listing" {
  input = {
    style_code = data.entrupy_authentication.full.catalog.style.code
    currency   = data.entrupy_authentication.full.catalog.market.currency
    ask        = data.entrupy_authentication.full.catalog.market.resale_high
  }
}
`, full.EntrupyID, sneaker.EntrupyID, none.EntrupyID, full.EntrupyID),
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
		if c := it.TextFields.CustomerItemID; c != nil && it.Timestamp.Epoch >= newest[*c].Timestamp.Epoch {
			newest[*c] = it
		}
	}
	var matched, unmatched entrupy.Item
	for _, it := range newest {
		switch {
		case it.Catalog != nil && it.Catalog.Market != nil && (matched.Catalog == nil || it.Timestamp.Epoch > matched.Timestamp.Epoch):
			matched = it
		case it.Catalog == nil && (unmatched.EntrupyID == "" || it.Timestamp.Epoch > unmatched.Timestamp.Epoch):
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
