package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
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

// matching returns the built-in items that satisfy pred, newest first.
func matching(pred func(entrupy.Item) bool) []entrupy.Item {
	var out []entrupy.Item
	for _, it := range emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications {
		if pred(it) {
			out = append(out, it)
		}
	}
	slices.SortFunc(out, func(a, b entrupy.Item) int {
		if a.Timestamp.Created.Unix() != b.Timestamp.Created.Unix() {
			return int(b.Timestamp.Created.Unix() - a.Timestamp.Created.Unix())
		}
		return strings.Compare(b.EntrupyID, a.EntrupyID)
	})
	return out
}

func TestAccAuthenticationsDataSource_filters(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	user := "Acme-" + emulator.SeedUsers[0]
	authenticByUser := matching(func(it entrupy.Item) bool {
		return val(it.Owner.Username) == user && val(it.Status.Result.ID) == "authentic"
	})
	// The "sneakers" data source asks for three brands' sneakers: Hermès
	// makes none (the category must leave its items out), Nike and Adidas
	// do (the brand list must keep both).
	sneakerBrands := []string{"hermes", "nike", "adidas"}
	hermesNikeAdidasSneakers := matching(func(it entrupy.Item) bool {
		return slices.Contains(sneakerBrands, val(it.Properties.Brand.ID)) && category(it) == "sneakers"
	})
	unflagged := matching(func(it entrupy.Item) bool { return it.Status.Flag == nil })
	mid := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[40].Timestamp.Created.Unix()
	after := time.Unix(mid, 0).UTC().Format(time.RFC3339)
	before := time.Unix(mid+10*24*3600, 0).UTC().Format(time.RFC3339)
	window := matching(func(it entrupy.Item) bool {
		return it.Timestamp.Created.Unix() >= mid && it.Timestamp.Created.Unix() < mid+10*24*3600 && slices.Contains([]string{"invalid", "unidentified"}, val(it.Status.Result.ID))
	})
	skus := matching(func(it entrupy.Item) bool {
		c := it.TextFields.CustomerItemID
		return c != nil && (*c == "SKU-01000" || *c == "SKU-01002")
	})
	// Check the seed first: each filter must find items and leave others
	// out, or its checks could not fail.
	ofBrand := func(items []entrupy.Item, brand string) int {
		return len(slices.DeleteFunc(slices.Clone(items), func(it entrupy.Item) bool { return val(it.Properties.Brand.ID) != brand }))
	}
	seed := matching(func(entrupy.Item) bool { return true })
	sneakers := matching(func(it entrupy.Item) bool { return category(it) == "sneakers" })
	if len(authenticByUser) == 0 || len(window) == 0 || len(skus) < 2 {
		t.Fatalf("the seed does not exercise the filters: %d authentic of %s, %d in the window, %d of the SKUs", len(authenticByUser), user, len(window), len(skus))
	}
	if ofBrand(hermesNikeAdidasSneakers, "nike") == 0 || ofBrand(hermesNikeAdidasSneakers, "adidas") == 0 || ofBrand(seed, "hermes") == 0 || len(sneakers) == len(hermesNikeAdidasSneakers) {
		t.Fatalf("the seed needs Nike and Adidas sneakers (%d, %d), Hermès items (%d) and sneakers of other brands (%d of %d)",
			ofBrand(hermesNikeAdidasSneakers, "nike"), ofBrand(hermesNikeAdidasSneakers, "adidas"), ofBrand(seed, "hermes"), len(sneakers)-len(hermesNikeAdidasSneakers), len(sneakers))
	}
	brandsHCL, _ := json.Marshal(sneakerBrands) // a JSON list of strings is an HCL list
	p := tfjsonpath.New[string]
	count := func(addr string, want []entrupy.Item) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(addr, p("total_count"), knownvalue.Int64Exact(int64(len(want))))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_authentications" "by_user" {
  usernames = [%q]
  results   = ["authentic"]
}
data "entrupy_authentications" "sneakers" {
  brands             = %s
  product_categories = ["sneakers"]
}
data "entrupy_authentications" "unflagged" {
  flags = ["none"]
}
data "entrupy_authentications" "window" {
  created_after  = %q
  created_before = %q
  results        = ["invalid", "unidentified"]
}
data "entrupy_authentications" "skus" {
  customer_item_ids = ["SKU-01000", "SKU-01002"]
}
data "entrupy_authentications" "none" {
  usernames = ["Acme-nobody-at-all"]
}
`, user, brandsHCL, after, before),
			ConfigStateChecks: []statecheck.StateCheck{
				count("data.entrupy_authentications.by_user", authenticByUser),
				statecheck.ExpectKnownValue("data.entrupy_authentications.by_user", p("ids").AtSliceIndex(0), knownvalue.StringExact(authenticByUser[0].EntrupyID)),
				statecheck.ExpectKnownValue("data.entrupy_authentications.by_user", p("items").AtSliceIndex(0).AtMapKey("certificate").AtMapKey("certificate_id"), knownvalue.StringExact("C-"+authenticByUser[0].EntrupyID)),
				statecheck.ExpectKnownValue("data.entrupy_authentications.by_user", p("items").AtSliceIndex(0).AtMapKey("owner").AtMapKey("username"), knownvalue.StringExact(user)),
				statecheck.ExpectKnownValue("data.entrupy_authentications.by_user", p("items").AtSliceIndex(0).AtMapKey("images"), knownvalue.Null()),
				count("data.entrupy_authentications.sneakers", hermesNikeAdidasSneakers),
				statecheck.ExpectKnownValue("data.entrupy_authentications.sneakers", p("items").AtSliceIndex(0).AtMapKey("properties").AtMapKey("material"), knownvalue.Null()),
				statecheck.ExpectKnownValue("data.entrupy_authentications.sneakers", p("items").AtSliceIndex(0).AtMapKey("text_fields").AtMapKey("us_size"), knownvalue.StringExact(*hermesNikeAdidasSneakers[0].TextFields.USSize)),
				count("data.entrupy_authentications.unflagged", unflagged),
				statecheck.ExpectKnownValue("data.entrupy_authentications.unflagged", p("items").AtSliceIndex(0).AtMapKey("status").AtMapKey("flag"), knownvalue.Null()),
				count("data.entrupy_authentications.window", window),
				statecheck.ExpectKnownValue("data.entrupy_authentications.window", p("items").AtSliceIndex(0).AtMapKey("certificate"), knownvalue.Null()),
				count("data.entrupy_authentications.skus", skus),
				count("data.entrupy_authentications.none", nil),
				statecheck.ExpectKnownValue("data.entrupy_authentications.none", p("items"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

// TestAccAuthenticationsDataSource_unknownFilters: filters that are only
// known after apply (a user's username) are validated and read correctly.
func TestAccAuthenticationsDataSource_unknownFilters(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	uid := emulator.SeedUsers[1]
	want := matching(func(it entrupy.Item) bool { return val(it.Owner.Username) == "Acme-"+uid })
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
resource "entrupy_integration_user" "store" {
  unique_user_id = %q
  email          = "store@example.com"
}
# Whole lists unknown at plan, and a list with an unknown element.
resource "terraform_data" "flags" {
  input = ["none"]
}
resource "terraform_data" "users" {
  input = [entrupy_integration_user.store.username]
}
data "entrupy_authentications" "store" {
  usernames = terraform_data.users.output
  flags     = terraform_data.flags.output
}
data "entrupy_authentications" "element" {
  usernames = [entrupy_integration_user.store.username]
}
`, uid),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entrupy_authentications.store", tfjsonpath.New("total_count"),
					knownvalue.Int64Exact(int64(len(slices.DeleteFunc(slices.Clone(want), func(it entrupy.Item) bool { return it.Status.Flag != nil }))))),
				statecheck.ExpectKnownValue("data.entrupy_authentications.element", tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(len(want)))),
			},
		}},
	})
}

// TestAccAuthenticationsDataSource_paging: 130 matches are read in 6
// requests; max_items = 40 reads 40 in 2 requests and warns.
func TestAccAuthenticationsDataSource_paging(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{Seed: emulator.GenerateSeed(130, 11, emulator.DefaultOrganization)})
	head := `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
  requests_per_second = 0
}
`
	run := newCLIRun(t, emu, head+`
data "entrupy_authentications" "all" {}
output "count" { value = length(data.entrupy_authentications.all.ids) }
output "total" { value = data.entrupy_authentications.all.total_count }
`)
	emu.ResetCounts()
	out := run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := emu.Count("POST /v2/search/authentications"); n != 6 {
		t.Errorf("130 items took %d search requests, want 6", n)
	}
	if !strings.Contains(out, "count = 130") || !strings.Contains(out, "total = 130") || strings.Contains(out, "Warning: Search results were cut") {
		t.Errorf("apply output:\n%s", out)
	}

	if err := os.WriteFile(filepath.Join(run.dir, "main.tf"), []byte(head+`
data "entrupy_authentications" "cut" { max_items = 40 }
output "count" { value = length(data.entrupy_authentications.cut.items) }
output "total" { value = data.entrupy_authentications.cut.total_count }
`), 0o600); err != nil {
		t.Fatal(err)
	}
	emu.ResetCounts()
	out = run.terraform(nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if n := emu.Count("POST /v2/search/authentications"); n != 2 {
		t.Errorf("max_items = 40 took %d search requests, want 2", n)
	}
	if !strings.Contains(out, "count = 40") || !strings.Contains(out, "total = 130") || !strings.Contains(out, "Warning: Search results were cut") || !strings.Contains(out, "130 authentications match, but only the newest 40 were read") {
		t.Errorf("apply output:\n%s", out)
	}
}

// TestAccAuthenticationsDataSource_catalogueDrift: brands and results the
// provider's catalogue does not list (added by Entrupy since this release,
// or typos) are searched for as written, next to known ones; Entrupy answers
// them with no match rather than an error.
func TestAccAuthenticationsDataSource_catalogueDrift(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	gucci := matching(func(it entrupy.Item) bool { return val(it.Properties.Brand.ID) == "gucci" })
	authentic := matching(func(it entrupy.Item) bool { return val(it.Status.Result.ID) == "authentic" })
	if len(gucci) == 0 || len(authentic) == 0 {
		t.Fatalf("the seed needs Gucci items (%d) and authentic ones (%d)", len(gucci), len(authentic))
	}
	p := tfjsonpath.New[string]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + `
data "entrupy_authentications" "new_brand" {
  brands = ["gucci", "acme_new_brand"]
}
data "entrupy_authentications" "typo" {
  brands = ["Gucci"]
}
data "entrupy_authentications" "new_result" {
  results            = ["authentic", "counterfeit_suspected"]
  product_categories = ["luxury", "sneakers", "apparel", "watches"]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entrupy_authentications.new_brand", p("total_count"), knownvalue.Int64Exact(int64(len(gucci)))),
				statecheck.ExpectKnownValue("data.entrupy_authentications.new_brand", p("ids").AtSliceIndex(0), knownvalue.StringExact(gucci[0].EntrupyID)),
				statecheck.ExpectKnownValue("data.entrupy_authentications.typo", p("total_count"), knownvalue.Int64Exact(0)),
				statecheck.ExpectKnownValue("data.entrupy_authentications.typo", p("ids"), knownvalue.ListExact([]knownvalue.Check{})),
				statecheck.ExpectKnownValue("data.entrupy_authentications.new_result", p("total_count"), knownvalue.Int64Exact(int64(len(authentic)))),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
	// The unknown values reached Entrupy as written.
	var bodies []string
	for _, r := range emu.Changes("POST " + entrupy.PathSearchAuthentications) {
		bodies = append(bodies, r.Body)
	}
	all := strings.Join(bodies, "\n")
	for _, v := range []string{`"acme_new_brand"`, `"Gucci"`, `"counterfeit_suspected"`, `"watches"`} {
		if !strings.Contains(all, v) {
			t.Errorf("no search sent %s; searches:\n%s", v, all)
		}
	}
}

// TestAccCatalogueDriftWarnings_cli: the warnings Terraform prints for
// values the provider does not know, at validate and at apply: a brand typo
// names the brand it resembles and the search still runs; an unknown
// provider api_version names the attribute and the known versions.
func TestAccCatalogueDriftWarnings_cli(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	run := newCLIRun(t, emu, `
terraform {
  required_providers {
    entrupy = { source = "entrupy/entrupy" }
  }
}
provider "entrupy" {
  requests_per_second = 0
  api_version         = "3"
}
data "entrupy_authentications" "typo" {
  brands = ["chanel", "Gucci"]
}
output "total" { value = data.entrupy_authentications.typo.total_count }
`)
	chanel := matching(func(it entrupy.Item) bool { return val(it.Properties.Brand.ID) == "chanel" })
	if len(chanel) == 0 {
		t.Fatal("the seed has no Chanel items")
	}
	brandWarning := `Warning: Unknown brand id
 with data.entrupy_authentications.typo,
 on main.tf line 12, in data "entrupy_authentications" "typo":
 12: brands = ["chanel", "Gucci"]
 brands element "Gucci" is not a brand id in the provider's catalogue. Did you mean "gucci"? The search runs with "Gucci" as written`
	versionWarning := `Warning: Unknown Entrupy API version
 with provider["registry.terraform.io/entrupy/entrupy"],
 on main.tf line 9, in provider "entrupy":
 9: api_version = "3"
 api_version "3" is not an API version this provider knows: it knows "1.4" or "2".`
	// Terraform frames and wraps diagnostics: compare words, not lines.
	words := func(s string) string { return strings.Join(strings.Fields(strings.ReplaceAll(s, "│", " ")), " ") }
	for _, args := range [][]string{{"validate", "-no-color"}, {"apply", "-auto-approve", "-input=false", "-no-color"}} {
		out := words(run.terraform(nil, args...))
		for _, w := range []string{brandWarning, versionWarning} {
			if !strings.Contains(out, words(w)) {
				t.Errorf("terraform %s does not warn\n%s\noutput:\n%s", args[0], w, out)
			}
		}
		if args[0] == "apply" && !strings.Contains(out, fmt.Sprintf("total = %d", len(chanel))) {
			t.Errorf("the search with a typo did not run as written: %s", out)
		}
	}
}
