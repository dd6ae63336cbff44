package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const (
	listRefreshCount  = 30 // objects of each type: past listAfterReads, over one page
	listUserRoute     = "GET /v2/integrations/users"
	listWebhookRoute  = "GET /v2/webhooks"
	getUserRoute      = "GET /v2/integrations/users/{unique_user_id}"
	getWebhookRoute   = "GET /v2/webhooks/{id}"
	listRefreshFormat = `
resource "entrupy_integration_user" "u" {
  count          = %[1]d
  unique_user_id = format("store-%%03d", count.index)
  email          = format("store-%%03d@example.com", count.index)
}

resource "entrupy_webhook" "w" {
  count       = %[1]d
  url         = format("https://hooks.example.com/%%03d", count.index)
  events      = ["session.completed"]
  description = "store webhook"
  secret      = "s3cret-value-1"
}
`
)

// TestAccListRefresh_drift: objects deleted or changed outside Terraform
// are found whether the refresh reads them from the list routes (the
// default, with this many objects) or with one GET each
// (refresh_from_lists = false), and the requests say which path was taken.
func TestAccListRefresh_drift(t *testing.T) {
	for _, lists := range []bool{true, false} {
		t.Run(fmt.Sprintf("refresh_from_lists=%t", lists), func(t *testing.T) {
			t.Parallel()
			testListRefreshDrift(t, lists)
		})
	}
}

func testListRefreshDrift(t *testing.T, lists bool) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	c := emu.Client(t)
	ctx := context.Background()
	cfg := providerBlock(emu, fmt.Sprintf("refresh_from_lists = %t", lists)) + fmt.Sprintf(listRefreshFormat, listRefreshCount)
	webhookID := func(s *terraform.State, i int) string {
		return s.RootModule().Resources[fmt.Sprintf("entrupy_webhook.w.%d", i)].Primary.ID
	}
	var changedWebhook, deletedWebhook string

	// checkPaths says whether the refreshes since the counts were reset
	// went through the list routes or the single GETs. creates is true
	// when a webhook was created meanwhile: a create looks for an existing
	// webhook of its URL on the list route, whatever refresh does.
	checkPaths := func(creates bool) resource.TestCheckFunc {
		return func(*terraform.State) error {
			counts := emu.Counts()
			for _, typ := range []struct{ list, get string }{{listUserRoute, getUserRoute}, {listWebhookRoute, getWebhookRoute}} {
				pages, gets := counts[typ.list], counts[typ.get]
				createLookups := creates && typ.list == listWebhookRoute
				switch {
				case lists && (pages == 0 || gets >= listRefreshCount):
					return fmt.Errorf("refresh from lists: %d list pages and %d GETs on %s; want pages and fewer GETs than one refresh's %d objects (requests %v)", pages, gets, typ.get, listRefreshCount, counts)
				case !lists && ((pages != 0 && !createLookups) || gets < listRefreshCount):
					return fmt.Errorf("refresh_from_lists = false: %d list pages and %d GETs on %s; want no pages and a GET per object (requests %v)", pages, gets, typ.get, counts)
				}
			}
			return nil
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
				Check: func(s *terraform.State) error {
					changedWebhook, deletedWebhook = webhookID(s, 5), webhookID(s, 11)
					return nil
				},
			},
			{
				// Changed and deleted behind Terraform's back: the refresh
				// sees each, and apply puts them back.
				PreConfig: func() {
					emu.ResetCounts()
					if _, err := c.Users.UpdateEmail(ctx, "store-003", "changed@example.com"); err != nil {
						t.Fatal(err)
					}
					url, desc := "https://hooks.example.com/moved", "changed by hand"
					if _, err := c.Webhooks.Update(ctx, changedWebhook, entrupy.UpdateWebhookRequest{URL: &url, Description: &desc}); err != nil {
						t.Fatal(err)
					}
					if err := c.Webhooks.Delete(ctx, deletedWebhook); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("entrupy_integration_user.u[3]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("entrupy_webhook.w[5]", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction("entrupy_webhook.w[11]", plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction("entrupy_integration_user.u[4]", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("entrupy_webhook.w[29]", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkPaths(true),
					resource.TestCheckResourceAttr("entrupy_integration_user.u.3", "email", "store-003@example.com"),
					resource.TestCheckResourceAttr("entrupy_webhook.w.5", "url", "https://hooks.example.com/005"),
					resource.TestCheckResourceAttr("entrupy_webhook.w.5", "description", "store webhook"),
					func(*terraform.State) error {
						inv := emu.Inventory()
						if len(inv.Webhooks) != listRefreshCount || len(inv.Users) != listRefreshCount {
							return fmt.Errorf("emulator holds %d webhooks and %d users, want %d of each", len(inv.Webhooks), len(inv.Users), listRefreshCount)
						}
						for _, u := range inv.Users {
							if u.UniqueUserID == "store-003" && u.Email != "store-003@example.com" {
								return fmt.Errorf("email of store-003 not restored: %q", u.Email)
							}
						}
						return nil
					},
				),
			},
			{
				// A user deactivated behind Terraform's back leaves state at
				// refresh, whichever way it was read (and cannot be made
				// again: its unique_user_id is spent).
				PreConfig: func() {
					emu.ResetCounts()
					if err := c.Users.Delete(ctx, "store-007"); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkPaths(false),
					func(s *terraform.State) error {
						res := s.RootModule().Resources
						if _, ok := res["entrupy_integration_user.u.7"]; ok {
							return fmt.Errorf("deactivated user store-007 still in state")
						}
						for _, addr := range []string{"entrupy_integration_user.u.6", "entrupy_integration_user.u.8", "entrupy_webhook.w.11"} {
							if _, ok := res[addr]; !ok {
								return fmt.Errorf("%s left state", addr)
							}
						}
						return nil
					},
				),
			},
		},
	})
}
