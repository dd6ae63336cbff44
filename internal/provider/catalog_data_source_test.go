package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

func TestAccCatalogDataSource(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	p := tfjsonpath.New[string]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: providerBlock(emu) + `
data "entrupy_catalog" "all" {}
data "entrupy_catalog" "sneakers" { product_category = "sneakers" }
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brands"), knownvalue.ListSizeExact(len(entrupy.Brands))),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brands").AtSliceIndex(0), knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("hermes"), "display": knownvalue.StringExact("Hermès"), "product_category": knownvalue.StringExact("luxury"),
						"materials": knownvalue.ListSizeExact(5),
					})),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brands").AtSliceIndex(1).AtMapKey("materials").AtSliceIndex(0), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("smooth_leather"), "display": knownvalue.StringExact("Calfskin/Lambskin Leather"),
					})),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brand_ids").AtMapKey("luxury"), knownvalue.ListSizeExact(15)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brand_ids").AtMapKey("apparel"), knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("essentials")})),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("results"), knownvalue.ListSizeExact(8)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("results").AtSliceIndex(2), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("no_decision"), "display": knownvalue.StringExact("Unable to Determine"),
					})),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("invalid_reasons"), knownvalue.ListSizeExact(5)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("form_factors"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("microscopic"), knownvalue.StringExact("lightbox"), knownvalue.StringExact("free_camera"),
					})),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("product_categories"), knownvalue.ListSizeExact(3)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("flags"), knownvalue.ListSizeExact(2)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.sneakers", p("brands"), knownvalue.ListSizeExact(5)),
					statecheck.ExpectKnownValue("data.entrupy_catalog.sneakers", p("brands").AtSliceIndex(0).AtMapKey("materials"), knownvalue.ListSizeExact(0)),
				},
			},
			{
				Config: providerBlock(emu, `accept_language = "ja"`) + `data "entrupy_catalog" "all" {}`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("brands").AtSliceIndex(0).AtMapKey("display"), knownvalue.StringExact("エルメス")),
					statecheck.ExpectKnownValue("data.entrupy_catalog.all", p("results").AtSliceIndex(0).AtMapKey("display"), knownvalue.StringExact("本物")),
				},
			},
		},
	})
}
