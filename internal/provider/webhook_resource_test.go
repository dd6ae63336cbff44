package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/compare"
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

// hookReceiver is a webhook endpoint on 127.0.0.1 that keeps what it gets.
type hookReceiver struct {
	URL  string
	mu   sync.Mutex
	got  []delivery
	srv  *httptest.Server
	seen int
}

type delivery struct {
	body      []byte
	signature string
}

func newHookReceiver(t *testing.T) *hookReceiver {
	r := &hookReceiver{}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		b, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{b, req.Header.Get(entrupy.HeaderSignature)})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.srv.Close)
	r.URL = r.srv.URL
	return r
}

// next waits for the next delivery.
func (r *hookReceiver) next() (delivery, error) {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		if len(r.got) > r.seen {
			d := r.got[r.seen]
			r.seen++
			r.mu.Unlock()
			return d, nil
		}
		r.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	return delivery{}, fmt.Errorf("no webhook delivery arrived")
}

const whAddr = "entrupy_webhook.test"

func webhookConfig(e *testsupport.Emulator, body string) string {
	return providerBlock(e) + "resource \"entrupy_webhook\" \"test\" {\n" + body + "\n}\n"
}

func emptyPlanAfterApply() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
}

// plansAction expects addr's planned action before apply, and an empty plan
// after it.
func plansAction(addr string, action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	checks := emptyPlanAfterApply()
	checks.PreApply = []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}
	return checks
}

// TestAccWebhook_lifecycle: create → import → update in place → rotate the
// write-only secret → change username (replace) → destroy, with an empty
// plan after every apply.
func TestAccWebhook_lifecycle(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{DeliveryBackoff: 10 * time.Millisecond})
	rcv := newHookReceiver(t)
	c := emu.Client(t)
	if _, err := c.Users.Create(context.Background(), entrupy.CreateUserRequest{UniqueUserID: "shop-user-01", Email: "u@example.com"}); err != nil {
		t.Fatal(err)
	}
	item := emulator.BuiltinSeed(emulator.DefaultOrganization).Authentications[0]
	var firstID string
	secretIs := func(want string) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			id := s.RootModule().Resources[whAddr].Primary.ID
			if got, _ := emu.WebhookSecret(id); got != want {
				return fmt.Errorf("emulator holds secret %q, want %q", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n := len(emu.Inventory().Webhooks); n != 0 {
				return fmt.Errorf("%d webhooks left after destroy", n)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: webhookConfig(emu, fmt.Sprintf(`
  url               = "%s/first"
  events            = ["session.completed"]
  secret_wo         = "first-secret"
  secret_wo_version = 1`, rcv.URL)),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^wh_`))),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("description"), knownvalue.StringExact("")),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("api_version"), knownvalue.StringExact("2")),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("username"), knownvalue.Null()),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("secret_wo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("secret"), knownvalue.Null()),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("session.completed")})),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("created_at"), knownvalue.NotNull()),
				},
				Check: resource.ComposeTestCheckFunc(secretIs("first-secret"), func(s *terraform.State) error {
					firstID = s.RootModule().Resources[whAddr].Primary.ID
					return nil
				}),
			},
			{
				ResourceName:            whAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"secret_wo_version"}, // the secret is never returned
			},
			{
				// An import block plans no change when the configuration
				// carries the secret without a version; with a version, the
				// first apply after import sends the secret (documented).
				Config: webhookConfig(emu, fmt.Sprintf(`
  url       = "%s/first"
  events    = ["session.completed"]
  secret_wo = "first-secret"`, rcv.URL)),
				ResourceName:    whAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				Config: webhookConfig(emu, fmt.Sprintf(`
  url               = "%s/second"
  events            = ["session.completed", "support.message"]
  enabled           = false
  description       = "production"
  secret_wo         = "first-secret"
  secret_wo_version = 1`, rcv.URL)),
				ConfigPlanChecks: plansAction(whAddr, plancheck.ResourceActionUpdate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("enabled"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("description"), knownvalue.StringExact("production")),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("url"), knownvalue.StringExact(rcv.URL+"/second")),
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("events"), knownvalue.SetSizeExact(2)),
				},
				Check: resource.ComposeTestCheckFunc(secretIs("first-secret"), resource.TestCheckResourceAttrWith(whAddr, "id", func(id string) error {
					if id != firstID {
						return fmt.Errorf("id changed from %s to %s: not an in-place update", firstID, id)
					}
					return nil
				})),
			},
			{
				// Rotate: a new write-only value with a bumped version.
				Config: webhookConfig(emu, fmt.Sprintf(`
  url               = "%s/second"
  events            = ["session.completed", "support.message"]
  description       = "production"
  secret_wo         = "second-secret"
  secret_wo_version = 2`, rcv.URL)),
				ConfigPlanChecks: plansAction(whAddr, plancheck.ResourceActionUpdate),
				Check: resource.ComposeTestCheckFunc(secretIs("second-secret"), func(*terraform.State) error {
					// The next delivery is signed with the new secret.
					if err := emu.SupportMessage(item.EntrupyID, "hello"); err != nil {
						return err
					}
					d, err := rcv.next()
					if err != nil {
						return err
					}
					if err := entrupy.VerifySignature("second-secret", d.signature, d.body, time.Minute); err != nil {
						return fmt.Errorf("delivery after rotation: %w", err)
					}
					// The rotation PATCH carried the secret and the re-enable only.
					patches := emu.Changes("PATCH /v2/webhooks/")
					if len(patches) == 0 {
						return fmt.Errorf("no PATCH recorded for the rotation")
					}
					last := patches[len(patches)-1]
					var sent map[string]any
					if err := json.Unmarshal([]byte(last.Body), &sent); err != nil {
						return fmt.Errorf("rotation PATCH %s: %w", last, err)
					}
					if len(sent) != 2 || sent["secret_key"] != "second-secret" || sent["enabled"] != true {
						return fmt.Errorf("rotation PATCH %s, want only secret_key and enabled = true", last)
					}
					return nil
				}),
			},
			{
				Config: webhookConfig(emu, fmt.Sprintf(`
  url               = "%s/second"
  events            = ["session.completed", "support.message"]
  description       = "production"
  username          = "Acme-shop-user-01"
  secret_wo         = "second-secret"
  secret_wo_version = 2`, rcv.URL)),
				ConfigPlanChecks: plansAction(whAddr, plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("username"), knownvalue.StringExact("Acme-shop-user-01")),
				},
				Check: secretIs("second-secret"),
			},
		},
	})
}

// TestAccWebhook_plainSecretAndAPIVersion: the plain secret rotates in
// place with a PATCH of only secret_key; api_version follows the provider
// and a change of it replaces the webhook.
func TestAccWebhook_plainSecretAndAPIVersion(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	cfg := func(providerVersion, secret string) string {
		return providerBlock(emu, `api_version = "`+providerVersion+`"`) + fmt.Sprintf(`
resource "entrupy_webhook" "test" {
  url    = "https://hooks.example.com/entrupy"
  events = ["certificate.transfer"]
  secret = %q
}`, secret)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           cfg("1.4", "plain-one"),
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("api_version"), knownvalue.StringExact("1.4")),
					statecheck.ExpectSensitiveValue(whAddr, tfjsonpath.New("secret")),
				},
			},
			{
				Config:           cfg("1.4", "plain-two"),
				ConfigPlanChecks: plansAction(whAddr, plancheck.ResourceActionUpdate),
				Check: func(s *terraform.State) error {
					patches := emu.Changes("PATCH /v2/webhooks/")
					if len(patches) != 1 || patches[0].Body != `{"secret_key":"plain-two"}` {
						return fmt.Errorf("want one PATCH with only secret_key, got %q", patches)
					}
					return nil
				},
			},
			{
				Config:           cfg("2", "plain-two"),
				ConfigPlanChecks: plansAction(whAddr, plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("api_version"), knownvalue.StringExact("2")),
				},
			},
		},
	})
}

// TestAccWebhook_driftAndDataSources: a webhook deleted behind Terraform's
// back is recreated; the data sources read what the resources made.
func TestAccWebhook_driftAndDataSources(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	config := providerBlock(emu) + `
resource "entrupy_webhook" "test" {
  url         = "https://hooks.example.com/a"
  events      = ["session.completed", "support.message"]
  description = "staging"
  secret_wo   = "s1"
}
resource "entrupy_webhook" "off" {
  url       = "https://hooks.example.com/b"
  events    = ["certificate.transfer"]
  enabled   = false
  secret_wo = "s2"
}
data "entrupy_webhook" "one" {
  id = entrupy_webhook.test.id
}
data "entrupy_webhooks" "support" {
  event      = "support.message"
  depends_on = [entrupy_webhook.test, entrupy_webhook.off]
}
data "entrupy_webhooks" "disabled" {
  enabled    = false
  depends_on = [entrupy_webhook.test, entrupy_webhook.off]
}
data "entrupy_webhooks" "all" {
  depends_on = [entrupy_webhook.test, entrupy_webhook.off]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.CompareValuePairs("data.entrupy_webhook.one", tfjsonpath.New("id"), whAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.ExpectKnownValue("data.entrupy_webhook.one", tfjsonpath.New("description"), knownvalue.StringExact("staging")),
					statecheck.ExpectKnownValue("data.entrupy_webhooks.support", tfjsonpath.New("webhooks"), knownvalue.ListSizeExact(1)),
					statecheck.ExpectKnownValue("data.entrupy_webhooks.disabled", tfjsonpath.New("webhooks").AtSliceIndex(0).AtMapKey("url"), knownvalue.StringExact("https://hooks.example.com/b")),
					statecheck.ExpectKnownValue("data.entrupy_webhooks.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(2)),
				},
			},
			{
				PreConfig: func() {
					for _, wh := range emu.Inventory().Webhooks {
						if wh.Description == "staging" {
							if err := emu.Client(t).Webhooks.Delete(context.Background(), wh.ID); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(whAddr, plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error {
					if n := len(emu.Inventory().Webhooks); n != 2 {
						return fmt.Errorf("%d webhooks after recreating, want 2", n)
					}
					return nil
				},
			},
			{
				ResourceName:  whAddr,
				ImportState:   true,
				ImportStateId: "not-a-webhook-id",
				ExpectError:   regexp.MustCompile(`(?s)Invalid webhook ID.*"not-a-webhook-id" is not a webhook ID`),
			},
			{
				ResourceName:  whAddr,
				ImportState:   true,
				ImportStateId: "wh_doesnotexist",
				ExpectError:   regexp.MustCompile(`(?s)Cannot import non-existent remote object`),
			},
			{
				Config:      config + `data "entrupy_webhook" "x" { id = "wh_missing" }`,
				ExpectError: regexp.MustCompile(`(?s)Webhook not found.*"wh_missing"`),
			},
		},
	})
}

// webhookState is the state of a webhook that exists, with no secret in
// state (imported, or created with secret_wo).
func webhookState(id, apiVersion string) map[string]tftypes.Value {
	return map[string]tftypes.Value{
		"id": str(id), "url": str("https://hooks.example.com/plan"), "events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("session.completed")}),
		"description": str(""), "enabled": tftypes.NewValue(tftypes.Bool, true), "api_version": str(apiVersion),
		"created_at": str("2026-01-01T00:00:00Z"), "updated_at": str("2026-01-01T00:00:00Z"),
	}
}

// webhookConfigValues is a webhook's configuration: url and events, plus extra.
func webhookConfigValues(extra map[string]tftypes.Value) map[string]tftypes.Value {
	cfg := map[string]tftypes.Value{
		"url": str("https://hooks.example.com/plan"), "events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("session.completed")}),
	}
	for k, v := range extra {
		cfg[k] = v
	}
	return cfg
}

var webhookComputed = []string{"id", "description", "enabled", "api_version", "created_at", "updated_at"}

// TestWebhookPlan_secretAndAPIVersion: at plan, a new webhook without a
// secret fails naming secret_wo and secret; an existing one plans no change
// with its secret unmanaged; a change of the provider's api_version that
// replaces a webhook says so in a warning.
func TestWebhookPlan_secretAndAPIVersion(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	p := newProtoProvider(t, emu, nil)

	resp := p.plan("entrupy_webhook", nil, webhookConfigValues(nil), webhookComputed...)
	if text := diagText(resp.Diagnostics); !hasErrors(resp.Diagnostics) || !expectError(`Missing webhook secret: A new webhook needs a signing secret: set secret_wo .* or secret .*Only a webhook that already exists in Entrupy \(imported\) may leave both unset`).MatchString(text) {
		t.Errorf("new webhook without a secret: %s", text)
	}
	for _, secret := range []string{"secret", "secret_wo"} {
		resp := p.plan("entrupy_webhook", nil, webhookConfigValues(map[string]tftypes.Value{secret: str("s")}), webhookComputed...)
		if len(resp.Diagnostics) > 0 {
			t.Errorf("new webhook with %s: %s", secret, diagText(resp.Diagnostics))
		}
	}

	prior := webhookState("wh_0000000000000001", "2")
	resp = p.plan("entrupy_webhook", prior, webhookConfigValues(nil), webhookComputed...)
	if len(resp.Diagnostics) > 0 || len(resp.RequiresReplace) > 0 {
		t.Fatalf("existing webhook without a secret: %v %s", resp.RequiresReplace, diagText(resp.Diagnostics))
	}
	if got := decode(t, resp.PlannedState, p.resourceType("entrupy_webhook")); !tftypes.NewValue(p.resourceType("entrupy_webhook"), got).Equal(objectValue(t, p.resourceType("entrupy_webhook"), prior)) {
		t.Errorf("existing webhook without a secret plans a change: %v", got)
	}

	// The provider's api_version now differs from the webhook's.
	p14 := newProtoProvider(t, emu, map[string]tftypes.Value{"api_version": str("1.4")})
	resp = p14.plan("entrupy_webhook", prior, webhookConfigValues(nil), webhookComputed...)
	if len(resp.RequiresReplace) != 1 || resp.RequiresReplace[0].String() != tftypes.NewAttributePath().WithAttributeName("api_version").String() {
		t.Errorf("requires replace %v, want api_version", resp.RequiresReplace)
	}
	if text := diagText(resp.Diagnostics); hasErrors(resp.Diagnostics) || !expectError(`WARNING: Webhook replaced because the provider's api_version changed: Webhook wh_0000000000000001 was created with api_version "2"\. This resource does not set its own api_version, so it follows the provider's api_version, now "1\.4".*this plan replaces it.*set api_version = "2" on this resource`).MatchString(text) {
		t.Errorf("api_version replacement: %s", text)
	}
	// A webhook that sets its own api_version is replaced without that warning.
	resp = p14.plan("entrupy_webhook", prior, webhookConfigValues(map[string]tftypes.Value{"api_version": str("1.4")}), webhookComputed...)
	if len(resp.RequiresReplace) != 1 || len(resp.Diagnostics) > 0 {
		t.Errorf("own api_version change: %v %s", resp.RequiresReplace, diagText(resp.Diagnostics))
	}
}

// TestWebhookValidate_writeOnlyWarnings: where Terraform supports write-only
// attributes (1.11+), secret warns that secret_wo keeps the secret out of
// state; secret_wo without secret_wo_version warns that a later change of it
// alone would never be sent. Neither stops the run.
func TestWebhookValidate_writeOnlyWarnings(t *testing.T) {
	p := serveProvider(t)
	typ := p.resourceType("entrupy_webhook")
	version := tftypes.NewValue(tftypes.Number, 1)
	for _, tc := range []struct {
		name      string
		extra     map[string]tftypes.Value
		writeOnly bool   // the client supports write-only attributes
		want      string // the one warning, "" for none
		attribute string // the attribute it is on
	}{
		{
			name: "secret", extra: map[string]tftypes.Value{"secret": str("s")}, writeOnly: true,
			want: `WARNING: Available Write-Only Attribute Alternative: This attribute has a WriteOnly version secret_wo available`, attribute: "secret",
		},
		{name: "secret before Terraform 1.11", extra: map[string]tftypes.Value{"secret": str("s")}},
		{
			name: "secret_wo without secret_wo_version", extra: map[string]tftypes.Value{"secret_wo": str("s")}, writeOnly: true,
			want: `WARNING: Write-only value without a version: secret_wo is set without secret_wo_version\. Terraform cannot see a change of a write-only value, so a later change of secret_wo alone plans nothing and is never sent\. Set secret_wo_version = 1 now`, attribute: "secret_wo",
		},
		{name: "secret_wo with secret_wo_version", extra: map[string]tftypes.Value{"secret_wo": str("s"), "secret_wo_version": version}, writeOnly: true},
		{name: "secret_wo_version unknown", extra: map[string]tftypes.Value{"secret_wo": str("s"), "secret_wo_version": tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)}, writeOnly: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := p.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
				TypeName:           "entrupy_webhook",
				Config:             p.dynamic(objectValue(t, typ, webhookConfigValues(tc.extra))),
				ClientCapabilities: &tfprotov6.ValidateResourceConfigClientCapabilities{WriteOnlyAttributesAllowed: tc.writeOnly},
			})
			if err != nil {
				t.Fatal(err)
			}
			text := diagText(resp.Diagnostics)
			if tc.want == "" {
				if len(resp.Diagnostics) > 0 {
					t.Fatalf("want no diagnostic, got %s", text)
				}
				return
			}
			if len(resp.Diagnostics) != 1 || !expectError(tc.want).MatchString(text) {
				t.Fatalf("want one warning matching %q, got %s", tc.want, text)
			}
			if got := resp.Diagnostics[0].Attribute; got == nil || got.String() != tftypes.NewAttributePath().WithAttributeName(tc.attribute).String() {
				t.Errorf("the warning is on %v, want %s", got, tc.attribute)
			}
		})
	}
}

// TestAccWebhook_unknownUsername: a username Entrupy does not know (here a
// bare unique_user_id) fails with the form usernames take and the reference
// to use instead.
func TestAccWebhook_unknownUsername(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: webhookConfig(emu, `
  url       = "https://hooks.example.com/scoped"
  events    = ["session.completed"]
  username  = "store-tokyo-01"
  secret_wo = "s"`),
			ExpectError: expectError(`No integration user with this username.*Entrupy has no active integration user with username "store-tokyo-01".*Usernames look like <Organization>-<unique_user_id> \(for example Acme-store-01\).*username = entrupy_integration_user.<name>.username`),
		}},
	})
	if n := len(emu.Inventory().Webhooks); n != 0 {
		t.Fatalf("%d webhooks made", n)
	}
}

// TestAccWebhook_eventEntrupyAdded: Entrupy may add events before this
// provider release knows them ("Additional events may be added"). Such an
// event plans with a warning (not an error) and the webhook is created with
// it, and a second plan is empty; where Entrupy does not know the event
// either, its answer fails the apply, naming the event.
func TestAccWebhook_eventEntrupyAdded(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{ExtraEvents: []string{"item.updated"}})
	plain := testsupport.StartEmulator(t, emulator.Options{})
	body := `
  url    = "https://hooks.example.com/entrupy"
  events = ["session.completed", "item.updated"]
  secret = "whsec-added-event"
`
	// The plan-time verdict: one warning naming the event, no error.
	p := newProtoProvider(t, emu, nil)
	typ := p.schema.ResourceSchemas["entrupy_webhook"].ValueType()
	events := tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("session.completed"), str("item.updated")})
	v, err := p.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{
		TypeName: "entrupy_webhook",
		Config:   p.dynamic(objectValue(t, typ, map[string]tftypes.Value{"url": str("https://hooks.example.com/entrupy"), "events": events, "secret": str("whsec-added-event")})),
	})
	if err != nil || hasErrors(v.Diagnostics) || len(v.Diagnostics) != 1 || !strings.Contains(diagText(v.Diagnostics), `WARNING: Unknown event: events element "item.updated" is not an event that this provider release knows.`) {
		t.Fatalf("ValidateResourceConfig: %v %s", err, diagText(v.Diagnostics))
	}

	t.Run("known to Entrupy", func(t *testing.T) {
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{
				{
					Config: webhookConfig(emu, body),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(whAddr, tfjsonpath.New("events"), knownvalue.SetExact([]knownvalue.Check{
							knownvalue.StringExact("session.completed"), knownvalue.StringExact("item.updated"),
						})),
					},
					ConfigPlanChecks: emptyPlanAfterApply(),
				},
			},
			CheckDestroy: func(*terraform.State) error {
				if n := len(emu.Inventory().Webhooks); n != 0 {
					return fmt.Errorf("%d webhooks left after destroy", n)
				}
				return nil
			},
		})
	})
	t.Run("unknown to Entrupy", func(t *testing.T) {
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config:      webhookConfig(plain, body),
				ExpectError: regexp.MustCompile(`Cannot create webhook(?s:.*)unknown event\s+"item.updated"`),
			}},
		})
	})
}
