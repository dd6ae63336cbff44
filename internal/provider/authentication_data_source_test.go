package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
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
