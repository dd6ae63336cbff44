package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// listSeed is what seedForList made: more webhooks and users than two
// pages (25 each) hold, with every filter's values spread over them.
type listSeed struct {
	hooks []entrupy.Webhook
	users []entrupy.User
	owner entrupy.User // the user some webhooks are scoped to
}

const listSeedSize = 65

// seedForList makes listSeedSize webhooks and users (plus one owner)
// through the API, as if made outside Terraform.
func seedForList(t *testing.T, emu *testsupport.Emulator) listSeed {
	t.Helper()
	ctx := context.Background()
	c := emu.Client(t)
	owner, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "owner-0001", Email: "owner@hq.example.net"})
	if err != nil {
		t.Fatal(err)
	}
	s := listSeed{owner: *owner}
	eventSets := [][]string{{"support.message"}, {"session.completed"}, {"certificate.transfer", "support.message"}, {"session.completed", "certificate.transfer"}}
	for i := range listSeedSize {
		stage := "prod"
		if i%3 == 0 {
			stage = "staging"
		}
		enabled := i%5 != 0
		req := entrupy.CreateWebhookRequest{
			URL: fmt.Sprintf("https://hooks.example.com/%s/%02d", stage, i), SecretKey: "s", Events: eventSets[i%4],
			Description: fmt.Sprintf("hook %02d", i), Enabled: &enabled,
		}
		if i%7 == 0 {
			req.Username = owner.Username
		}
		wh, err := c.Webhooks.Create(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		s.hooks = append(s.hooks, *wh)

		uid, email := fmt.Sprintf("store-%03d", i), fmt.Sprintf("u%03d@shop.example.com", i)
		if i%2 == 1 {
			uid = fmt.Sprintf("kiosk-%03d", i)
		}
		if i%3 != 0 {
			email = fmt.Sprintf("u%03d@Mail.Example.org", i)
		}
		u, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: uid, Email: email})
		if err != nil {
			t.Fatal(err)
		}
		s.users = append(s.users, *u)
	}
	return s
}

// list runs ListResource and reads the whole stream (or only the first
// stopAfter results, then stops reading, when stopAfter > 0).
func (p *protoProvider) list(typeName string, cfg map[string]tftypes.Value, include bool, limit int64, stopAfter int) []tfprotov6.ListResourceResult {
	p.t.Helper()
	ls, ok := p.srv.(tfprotov6.ListResourceServer)
	if !ok {
		p.t.Fatal("the provider server does not serve list resources")
	}
	schema := p.schema.ListResourceSchemas[typeName]
	if schema == nil {
		p.t.Fatalf("no list resource schema for %s", typeName)
	}
	stream, err := ls.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: typeName, Config: p.dynamic(objectValue(p.t, schema.ValueType(), cfg)), IncludeResource: include, Limit: limit,
	})
	if err != nil {
		p.t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
		if stopAfter > 0 && len(out) == stopAfter {
			break
		}
	}
	return out
}

// listedIDs checks every result (no error, an identity, a display name, a
// resource exactly when include) and returns the identities' values,
// sorted, with each display name by identity.
func (p *protoProvider) listedIDs(typeName string, results []tfprotov6.ListResourceResult, include bool) ([]string, map[string]string) {
	p.t.Helper()
	attr := map[string]string{"entrupy_webhook": "id", "entrupy_integration_user": "unique_user_id"}[typeName]
	var ids []string
	names := map[string]string{}
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			p.t.Fatalf("list %s: %s", typeName, diagText(r.Diagnostics))
		}
		if r.Identity == nil {
			p.t.Fatalf("list %s: result %q without identity", typeName, r.DisplayName)
		}
		id := stringAttr(p.t, decode(p.t, r.Identity.IdentityData, p.identityType(typeName)), attr)
		if r.DisplayName == "" {
			p.t.Fatalf("list %s: %s without display name", typeName, id)
		}
		if (r.Resource != nil) != include {
			p.t.Fatalf("list %s: %s has resource %v, include_resource %v", typeName, id, r.Resource != nil, include)
		}
		ids = append(ids, id)
		names[id] = r.DisplayName
	}
	slices.Sort(ids)
	return ids, names
}

// want returns the sorted ids of the items keep accepts.
func want[T any](items []T, id func(T) string, keep func(T) bool) []string {
	var out []string
	for _, it := range items {
		if keep(it) {
			out = append(out, id(it))
		}
	}
	slices.Sort(out)
	return out
}

func listOf(vals ...string) tftypes.Value {
	elems := make([]tftypes.Value, len(vals))
	for i, v := range vals {
		elems[i] = str(v)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

// TestListResources: both list resources over more than two pages, each
// filter and their combination, limits, a consumer that stops early,
// display names, and include_resource objects that plan cleanly.
func TestListResources(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	seed := seedForList(t, emu)
	p := newProtoProvider(t, emu, nil)
	hookID := func(w entrupy.Webhook) string { return w.ID }
	userID := func(u entrupy.User) string { return u.UniqueUserID }
	allUsers := append([]entrupy.User{seed.owner}, seed.users...)

	webhookCases := []struct {
		name string
		cfg  map[string]tftypes.Value
		keep func(entrupy.Webhook) bool
		min  int // the case must select at least this many
	}{
		{"all", nil, func(entrupy.Webhook) bool { return true }, listSeedSize},
		{"events", map[string]tftypes.Value{"events": listOf("certificate.transfer")}, func(w entrupy.Webhook) bool { return slices.Contains(w.Events, "certificate.transfer") }, 30},
		{"events any of", map[string]tftypes.Value{"events": listOf("support.message", "session.completed")}, func(w entrupy.Webhook) bool {
			return slices.Contains(w.Events, "support.message") || slices.Contains(w.Events, "session.completed")
		}, listSeedSize},
		{"username", map[string]tftypes.Value{"username": str(seed.owner.Username)}, func(w entrupy.Webhook) bool { return w.Username != nil && *w.Username == seed.owner.Username }, 9},
		{"disabled", map[string]tftypes.Value{"enabled": tftypes.NewValue(tftypes.Bool, false)}, func(w entrupy.Webhook) bool { return !w.Enabled }, 13},
		{"enabled", map[string]tftypes.Value{"enabled": tftypes.NewValue(tftypes.Bool, true)}, func(w entrupy.Webhook) bool { return w.Enabled }, 52},
		{"url_prefix", map[string]tftypes.Value{"url_prefix": str("https://hooks.example.com/staging/")}, func(w entrupy.Webhook) bool { return strings.Contains(w.URL, "/staging/") }, 22},
		{"all filters", map[string]tftypes.Value{
			"events": listOf("support.message"), "enabled": tftypes.NewValue(tftypes.Bool, true), "url_prefix": str("https://hooks.example.com/prod/"),
		}, func(w entrupy.Webhook) bool {
			return slices.Contains(w.Events, "support.message") && w.Enabled && strings.Contains(w.URL, "/prod/")
		}, 10},
		{"no match", map[string]tftypes.Value{"url_prefix": str("https://elsewhere.example.com/")}, func(entrupy.Webhook) bool { return false }, 0},
	}
	for _, tc := range webhookCases {
		t.Run("webhooks "+tc.name, func(t *testing.T) {
			before := emu.Count("GET /v2/webhooks")
			got, names := p.listedIDs("entrupy_webhook", p.list("entrupy_webhook", tc.cfg, false, 0, 0), false)
			exp := want(seed.hooks, hookID, tc.keep)
			if len(exp) < tc.min {
				t.Fatalf("the seed gives this case %d webhooks, want at least %d", len(exp), tc.min)
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("listed %d webhooks %v, want %d %v", len(got), got, len(exp), exp)
			}
			if pages := emu.Count("GET /v2/webhooks") - before; pages != 3 {
				t.Errorf("read %d pages, want all 3", pages)
			}
			for _, w := range seed.hooks {
				if name, ok := names[w.ID]; ok && name != webhookDisplayName(&w) {
					t.Errorf("display name %q of %s", name, w.ID)
				}
			}
		})
	}

	userCases := []struct {
		name string
		cfg  map[string]tftypes.Value
		keep func(entrupy.User) bool
		min  int
	}{
		{"all", nil, func(entrupy.User) bool { return true }, listSeedSize + 1},
		{"email_domain", map[string]tftypes.Value{"email_domain": str("shop.example.com")}, func(u entrupy.User) bool { return strings.HasSuffix(u.Email, "@shop.example.com") }, 22},
		{"email_domain any case", map[string]tftypes.Value{"email_domain": str("mail.example.ORG")}, func(u entrupy.User) bool { return strings.HasSuffix(u.Email, "@Mail.Example.org") }, 43},
		{"email_domain not a subdomain", map[string]tftypes.Value{"email_domain": str("example.com")}, func(entrupy.User) bool { return false }, 0},
		{"unique_user_id_prefix", map[string]tftypes.Value{"unique_user_id_prefix": str("kiosk-")}, func(u entrupy.User) bool { return strings.HasPrefix(u.UniqueUserID, "kiosk-") }, 32},
		{"both", map[string]tftypes.Value{"unique_user_id_prefix": str("store-0"), "email_domain": str("shop.example.com")}, func(u entrupy.User) bool {
			return strings.HasPrefix(u.UniqueUserID, "store-0") && strings.HasSuffix(u.Email, "@shop.example.com")
		}, 11},
	}
	for _, tc := range userCases {
		t.Run("users "+tc.name, func(t *testing.T) {
			before := emu.Count("GET /v2/integrations/users")
			got, names := p.listedIDs("entrupy_integration_user", p.list("entrupy_integration_user", tc.cfg, false, 0, 0), false)
			exp := want(allUsers, userID, tc.keep)
			if len(exp) < tc.min {
				t.Fatalf("the seed gives this case %d users, want at least %d", len(exp), tc.min)
			}
			if !slices.Equal(got, exp) {
				t.Fatalf("listed %d users %v, want %d %v", len(got), got, len(exp), exp)
			}
			if pages := emu.Count("GET /v2/integrations/users") - before; pages != 3 {
				t.Errorf("read %d pages, want all 3", pages)
			}
			for _, u := range allUsers {
				if name, ok := names[u.UniqueUserID]; ok && name != u.Username+" <"+u.Email+">" {
					t.Errorf("display name %q of %s", name, u.UniqueUserID)
				}
			}
		})
	}

	t.Run("display names tell objects apart", func(t *testing.T) {
		_, names := p.listedIDs("entrupy_webhook", p.list("entrupy_webhook", nil, false, 0, 0), false)
		seen := map[string]bool{}
		for _, w := range seed.hooks {
			name := names[w.ID]
			if seen[name] || !strings.HasPrefix(name, w.URL+" ("+w.Description+")") {
				t.Errorf("webhook %s display name %q: want unique, starting with its URL and description", w.ID, name)
			}
			if w.Username != nil && !strings.HasSuffix(name, " for "+*w.Username) {
				t.Errorf("webhook %s display name %q does not name its user", w.ID, name)
			}
			seen[name] = true
		}
	})

	t.Run("limit and early stop", func(t *testing.T) {
		before := emu.Count("GET /v2/webhooks")
		if got := p.list("entrupy_webhook", nil, false, 30, 0); len(got) != 30 {
			t.Fatalf("limit 30: %d results", len(got))
		}
		if pages := emu.Count("GET /v2/webhooks") - before; pages != 2 {
			t.Errorf("limit 30 read %d pages, want 2", pages)
		}
		before = emu.Count("GET /v2/integrations/users")
		if got := p.list("entrupy_integration_user", nil, false, 0, 3); len(got) != 3 {
			t.Fatalf("stopped after 3: %d results", len(got))
		}
		if pages := emu.Count("GET /v2/integrations/users") - before; pages != 1 {
			t.Errorf("a consumer that stopped after 3 results made %d page requests, want 1", pages)
		}
	})

	t.Run("include_resource plans cleanly", func(t *testing.T) {
		computedOnly := map[string][]string{"entrupy_webhook": {"id", "created_at", "updated_at"}, "entrupy_integration_user": {"id", "username", "created_at"}}
		for typeName, n := range map[string]int{"entrupy_webhook": listSeedSize, "entrupy_integration_user": listSeedSize + 1} {
			results := p.list(typeName, nil, true, 0, 0)
			if ids, _ := p.listedIDs(typeName, results, true); len(ids) != n {
				t.Fatalf("%s: %d results, want %d", typeName, len(ids), n)
			}
			for _, r := range results {
				p.plansCleanly(typeName, r, computedOnly[typeName])
			}
		}
		// A listed webhook is what a read of the imported webhook gives.
		w := seed.hooks[7]
		results := p.list("entrupy_webhook", map[string]tftypes.Value{"url_prefix": str(w.URL)}, true, 0, 0)
		if len(results) != 1 {
			t.Fatalf("%d results for %s", len(results), w.URL)
		}
		listed := decode(t, results[0].Resource, p.resourceType("entrupy_webhook"))
		read, _ := p.importedThenRead("entrupy_webhook", w.ID, nil)
		for name, v := range read {
			if !v.Equal(listed[name]) {
				t.Errorf("%s: listed %s, read %s", name, listed[name], v)
			}
		}
		if stringAttr(t, listed, "username") != seed.owner.Username || stringAttr(t, listed, "secret") != "<null>" {
			t.Errorf("listed webhook %v", listed)
		}
	})

	t.Run("bad filters", func(t *testing.T) {
		ls, ok := p.srv.(tfprotov6.ListResourceServer)
		if !ok {
			t.Fatal("the provider server does not serve list resources")
		}
		cases := []struct {
			typeName string
			cfg      map[string]tftypes.Value
			want     string
		}{
			{"entrupy_webhook", map[string]tftypes.Value{"url_prefix": str("hooks.example.com/")}, `Invalid URL prefix: url_prefix: "hooks.example.com/" must begin with https:// or http://`},
			{"entrupy_webhook", map[string]tftypes.Value{"events": listOf()}, `events list must contain at least 1 elements`},
			{"entrupy_webhook", map[string]tftypes.Value{"username": str("")}, `username: must not be empty`},
			{"entrupy_integration_user", map[string]tftypes.Value{"email_domain": str("@shop.example.com")}, `Invalid email domain: email_domain: "@shop.example.com" must be the domain alone, without @ \(for example "shop.example.com"\)`},
			{"entrupy_integration_user", map[string]tftypes.Value{"email_domain": str("shop example.com")}, `email_domain: "shop example.com" is not a domain such as example.com`},
			{"entrupy_integration_user", map[string]tftypes.Value{"unique_user_id_prefix": str("store 01")}, `Invalid unique_user_id prefix: unique_user_id_prefix: "store 01" must be 1 to 40 characters of A-Za-z0-9@.\+_-`},
		}
		for _, tc := range cases {
			schema := p.schema.ListResourceSchemas[tc.typeName]
			resp, err := ls.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
				TypeName: tc.typeName, Config: p.dynamic(objectValue(t, schema.ValueType(), tc.cfg)),
			})
			if err != nil {
				t.Fatal(err)
			}
			text := diagText(resp.Diagnostics)
			if !hasErrors(resp.Diagnostics) || !regexp.MustCompile("(?s)"+tc.want).MatchString(text) {
				t.Errorf("%s %v: %q, want %s", tc.typeName, tc.cfg, text, tc.want)
			}
		}
		// An event the provider does not know is a warning: Entrupy may have
		// added it.
		warned, err := ls.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
			TypeName: "entrupy_webhook", Config: p.dynamic(objectValue(t, p.schema.ListResourceSchemas["entrupy_webhook"].ValueType(), map[string]tftypes.Value{"events": listOf("session.complete")})),
		})
		if err != nil || hasErrors(warned.Diagnostics) || !strings.Contains(diagText(warned.Diagnostics), `WARNING: Unknown event: events element "session.complete" is not an event that this provider release knows. Did you mean "session.completed"?`) {
			t.Errorf("an unknown event filter: %v %q", err, diagText(warned.Diagnostics))
		}
		// Unknown filters cannot be listed against.
		schema := p.schema.ListResourceSchemas["entrupy_webhook"]
		results := p.list("entrupy_webhook", map[string]tftypes.Value{"username": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, false, 0, 0)
		if len(results) != 1 || !regexp.MustCompile(`Unknown filter: The username filter .* is not known yet`).MatchString(diagText(results[0].Diagnostics)) {
			t.Errorf("unknown username filter (%s): %d results %v", schema.ValueType(), len(results), results)
		}
	})
}

// plansCleanly feeds a listed resource object to PlanResourceChange as
// prior state and, with its computed-only attributes null, as
// configuration (what generated configuration holds): the plan must keep
// the object as it is, with no replacement and no error.
func (p *protoProvider) plansCleanly(typeName string, r tfprotov6.ListResourceResult, computedOnly []string) {
	p.t.Helper()
	typ := p.resourceType(typeName)
	prior := decode(p.t, r.Resource, typ)
	cfg := map[string]tftypes.Value{}
	for name, v := range prior {
		cfg[name] = v
		if slices.Contains(computedOnly, name) {
			cfg[name] = tftypes.NewValue(v.Type(), nil)
		}
	}
	priorValue, err := r.Resource.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	resp, err := p.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: r.Resource, ProposedNewState: r.Resource,
		Config: p.dynamic(tftypes.NewValue(typ, cfg)), PriorIdentity: r.Identity,
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		p.t.Fatalf("plan of listed %s %q: %v %s", typeName, r.DisplayName, err, diagText(resp.Diagnostics))
	}
	if len(resp.RequiresReplace) > 0 {
		p.t.Errorf("plan of listed %s %q replaces it: %v", typeName, r.DisplayName, resp.RequiresReplace)
	}
	planned, err := resp.PlannedState.Unmarshal(typ)
	if err != nil {
		p.t.Fatal(err)
	}
	if !planned.Equal(priorValue) {
		p.t.Errorf("plan of listed %s %q changes it:\nprior   %s\nplanned %s", typeName, r.DisplayName, priorValue, planned)
	}
}

// TestAccListResources_query: terraform query (Terraform 1.14+; skipped, saying
// so, on a CLI without it such as OpenTofu 1.12) lists what Terraform and others made, with identities
// and display names.
func TestAccListResources_query(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	seed := seedForList(t, emu)
	provider := providerBlock(emu)
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureQuery},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: provider + `
resource "entrupy_integration_user" "test" {
  unique_user_id = "query-user-01"
  email          = "query@shop.example.com"
}`,
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				// The query file sits beside the previous step's configuration,
				// which configures the provider already.
				Query: true,
				Config: `
list "entrupy_webhook" "staging" {
  provider         = entrupy
  include_resource = true
  config {
    url_prefix = "https://hooks.example.com/staging/"
  }
}
list "entrupy_webhook" "owner" {
  provider = entrupy
  config {
    username = "` + seed.owner.Username + `"
  }
}
list "entrupy_integration_user" "shop" {
  provider = entrupy
  config {
    email_domain = "shop.example.com"
  }
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("entrupy_webhook.staging", len(want(seed.hooks, func(w entrupy.Webhook) string { return w.ID }, func(w entrupy.Webhook) bool { return strings.Contains(w.URL, "/staging/") }))),
					querycheck.ExpectLength("entrupy_webhook.owner", len(want(seed.hooks, func(w entrupy.Webhook) string { return w.ID }, func(w entrupy.Webhook) bool { return w.Username != nil }))),
					querycheck.ExpectLengthAtLeast("entrupy_integration_user.shop", 23),
					querycheck.ExpectIdentity("entrupy_webhook.staging", map[string]knownvalue.Check{"id": knownvalue.StringExact(seed.hooks[0].ID)}),
					querycheck.ExpectIdentity("entrupy_integration_user.shop", map[string]knownvalue.Check{"unique_user_id": knownvalue.StringExact("query-user-01")}),
					querycheck.ExpectResourceDisplayName("entrupy_webhook.staging",
						queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(seed.hooks[0].ID)}),
						knownvalue.StringExact(webhookDisplayName(&seed.hooks[0]))),
				},
			},
		},
	})
}
