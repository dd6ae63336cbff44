package provider

import (
	"fmt"
	"regexp"
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

// shapeMarks is what the raw JSON of an item in each shape starts with or
// holds, to prove raw_json is the item as the emulator sent it.
var shapeMarks = map[string]string{
	emulator.ShapeContract: `"owner":\{"organization":\{"name":"Acme"\}`,
	emulator.ShapeV2Get:    `"brand_name":`,
	emulator.ShapeV2Lookup: `"fingerprint_parent":null`,
	emulator.ShapeV1Epoch:  `"epoch":\d+\.25\}`,
	emulator.ShapeSDKFlag:  `"owner":\{"organization":\{"name":"Acme"\}`,
}

// TestAccAuthenticationDataSources_itemShapes: against an emulator that
// answers each item in one of Entrupy's published shapes (-item-shapes
// mixed), both data sources read every shape into the same values as the
// contract's: brand, customer_item_id, time, result and images; the owner's
// names, or its ids for the v2 shapes. raw_json is each item as sent, the
// search reads all of them, and a second plan is empty.
func TestAccAuthenticationDataSources_itemShapes(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{ItemShapes: emulator.ShapesMixed})
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications
	picked := map[string]entrupy.Item{}
	for _, it := range seed {
		shape := emu.ItemShape(it.EntrupyID)
		if _, ok := picked[shape]; !ok && it.TextFields.CustomerItemID != nil && it.Certificate != nil {
			picked[shape] = it
		}
	}
	if len(picked) != len(emulator.ItemShapes)-1 {
		t.Fatalf("items picked for %d shapes: %v", len(picked), picked)
	}
	p := tfjsonpath.New[string]
	var config strings.Builder
	var checks []statecheck.StateCheck
	for shape, it := range picked {
		name := strings.ReplaceAll(shape, "-", "_")
		fmt.Fprintf(&config, "data \"entrupy_authentication\" %q {\n  entrupy_id     = %q\n  include_images = true\n}\n", name, it.EntrupyID)
		addr := "data.entrupy_authentication." + name
		owner := map[string]knownvalue.Check{
			"organization_name": knownvalue.StringExact("Acme"), "username": knownvalue.StringExact(val(it.Owner.Username)),
			"organization_id": knownvalue.Null(), "user_id": knownvalue.Null(),
		}
		if shape == emulator.ShapeV2Get || shape == emulator.ShapeV2Lookup {
			uid := strings.ToUpper(strings.TrimPrefix(val(it.Owner.Username), "Acme-"))
			owner = map[string]knownvalue.Check{
				"organization_name": knownvalue.Null(), "username": knownvalue.Null(),
				"organization_id": knownvalue.StringExact("ORG_ACME"), "user_id": knownvalue.StringExact("USER_" + strings.ReplaceAll(uid, "-", "_")),
			}
		}
		checks = append(checks,
			statecheck.ExpectKnownValue(addr, p("owner"), knownvalue.ObjectExact(owner)),
			statecheck.ExpectKnownValue(addr, p("properties").AtMapKey("brand"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"id": knownvalue.StringExact(val(it.Properties.Brand.ID)), "display": knownvalue.StringExact(val(it.Properties.Brand.Display)),
			})),
			statecheck.ExpectKnownValue(addr, p("customer_item_id"), knownvalue.StringExact(*it.TextFields.CustomerItemID)),
			statecheck.ExpectKnownValue(addr, p("timestamp").AtMapKey("epoch"), knownvalue.Int64Exact(it.Timestamp.Created.Unix())),
			statecheck.ExpectKnownValue(addr, p("timestamp").AtMapKey("rfc3339"), knownvalue.StringExact(it.Timestamp.Created.Format(time.RFC3339))),
			statecheck.ExpectKnownValue(addr, p("status").AtMapKey("result").AtMapKey("id"), knownvalue.StringExact(val(it.Status.Result.ID))),
			statecheck.ExpectKnownValue(addr, p("status").AtMapKey("result").AtMapKey("final"), knownvalue.Bool(*it.Status.Result.Final)),
			statecheck.ExpectKnownValue(addr, p("certificate").AtMapKey("certificate_id"), knownvalue.StringExact(val(it.Certificate.CertificateID))),
			statecheck.ExpectKnownValue(addr, p("images"), knownvalue.ListSizeExact(len(it.Images))),
			statecheck.ExpectKnownValue(addr, p("raw_json"), knownvalue.StringRegexp(regexp.MustCompile(`^\{"entrupy_id":"`+it.EntrupyID+`".*`+shapeMarks[shape]))),
		)
	}
	checks = append(checks,
		statecheck.ExpectKnownValue("data.entrupy_authentications.all", p("total_count"), knownvalue.Int64Exact(int64(len(seed)))),
		statecheck.ExpectKnownValue("data.entrupy_authentications.all", p("ids"), knownvalue.ListSizeExact(len(seed))),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:            providerBlock(emu) + config.String() + "data \"entrupy_authentications\" \"all\" { max_items = 100 }\n",
			ConfigStateChecks: checks,
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
		}},
	})
}
