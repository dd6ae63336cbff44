package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestAccFaultInjection: 60 webhooks, 60 users and the three read data
// sources, applied and destroyed while the emulator answers 15% of requests
// with 500, resets 5% of connections (half of both after committing the
// change), limits to 25 requests/second (429 bursts) and adds latency
// spikes. The provider's own retries must converge: an empty plan after
// apply, Entrupy's inventory equal to state, nothing left after destroy.
func TestAccFaultInjection(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{
		FaultRate5xx: 0.15, FaultRateReset: 0.05, AfterCommitShare: 0.5, FaultSeed: 2026,
		RateLimit: 25, RateBurst: 5,
		Latency: 2 * time.Millisecond, LatencySpikeRate: 0.05, LatencySpike: 200 * time.Millisecond,
	})
	item := seedItem(t, func(it entrupy.Item) bool { return val(it.Status.Result.ID) == "authentic" && category(it) == "luxury" })
	config := strings.Replace(providerBlock(emu, `max_retries = 10`), "requests_per_second = 0", "requests_per_second = 0 # the emulator's own limit makes the 429s", 1) + fmt.Sprintf(`
resource "entrupy_integration_user" "u" {
  count          = 60
  unique_user_id = format("fault-user-%%03d", count.index)
  email          = format("fault%%03d@example.com", count.index)
}
resource "entrupy_webhook" "w" {
  count     = 60
  url       = format("https://hooks.example.com/%%d", count.index)
  events    = ["session.completed", "certificate.transfer"]
  username  = count.index %% 6 == 0 ? entrupy_integration_user.u[count.index].username : null
  secret_wo = "fault-secret"
}
data "entrupy_authentication" "one" {
  entrupy_id = %q
}
data "entrupy_authentications" "authentic" {
  results = ["authentic"]
}
data "entrupy_certificate" "one" {
  entrupy_id = data.entrupy_authentication.one.entrupy_id
}
`, item.EntrupyID)
	authentic := len(matching(func(it entrupy.Item) bool { return val(it.Status.Result.ID) == "authentic" }))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			inv := emu.Inventory()
			if len(inv.Webhooks) != 0 || len(inv.Users) != 0 {
				return fmt.Errorf("after destroy: %d webhooks, %d active users", len(inv.Webhooks), len(inv.Users))
			}
			st := emu.Statuses()
			t.Logf("answers over the whole test: %v (0 = reset connection)", st)
			if st[500] == 0 || st[0] == 0 || st[429] == 0 {
				return fmt.Errorf("the faults did not all happen: %v", st)
			}
			return nil
		},
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.entrupy_authentications.authentic", tfjsonpath.New("total_count"), knownvalue.Int64Exact(int64(authentic))),
				statecheck.ExpectKnownValue("data.entrupy_certificate.one", tfjsonpath.New("certificate_id"), knownvalue.StringExact("C-"+item.EntrupyID)),
			},
			Check: func(s *terraform.State) error {
				return emu.InventoryMatchesState(testsupport.IDsInState(s, "entrupy_webhook"), testsupport.IDsInState(s, "entrupy_integration_user"), 60)
			},
		}},
	})
}
