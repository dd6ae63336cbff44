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
		if a.Timestamp.Epoch != b.Timestamp.Epoch {
			return int(b.Timestamp.Epoch - a.Timestamp.Epoch)
		}
		return strings.Compare(b.EntrupyID, a.EntrupyID)
	})
	return out
}

func TestAccAuthenticationsDataSource_filters(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	user := "Acme-" + emulator.SeedUsers[0]
	authenticByUser := matching(func(it entrupy.Item) bool {
		return it.Owner.User.Username == user && it.Status.Result.ID == "authentic"
	})
	// The "sneakers" data source asks for three brands' sneakers: Hermès
	// makes none (the category must leave its items out), Nike and Adidas
	// do (the brand list must keep both).
	sneakerBrands := []string{"hermes", "nike", "adidas"}
	hermesNikeAdidasSneakers := matching(func(it entrupy.Item) bool {
		return slices.Contains(sneakerBrands, it.Properties.Brand.ID) && category(it) == "sneakers"
	})
	unflagged := matching(func(it entrupy.Item) bool { return it.Status.Flag == nil })
	mid := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[40].Timestamp.Epoch
	after := time.Unix(mid, 0).UTC().Format(time.RFC3339)
	before := time.Unix(mid+10*24*3600, 0).UTC().Format(time.RFC3339)
	window := matching(func(it entrupy.Item) bool {
		return it.Timestamp.Epoch >= mid && it.Timestamp.Epoch < mid+10*24*3600 && slices.Contains([]string{"invalid", "unidentified"}, it.Status.Result.ID)
	})
	skus := matching(func(it entrupy.Item) bool {
		c := it.TextFields.CustomerItemID
		return c != nil && (*c == "SKU-01000" || *c == "SKU-01002")
	})
	// Check the seed first: each filter must find items and leave others
	// out, or its checks could not fail.
	ofBrand := func(items []entrupy.Item, brand string) int {
		return len(slices.DeleteFunc(slices.Clone(items), func(it entrupy.Item) bool { return it.Properties.Brand.ID != brand }))
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
	want := matching(func(it entrupy.Item) bool { return it.Owner.User.Username == "Acme-"+uid })
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
