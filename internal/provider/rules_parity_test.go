package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// The rules the provider checks at plan and the API enforces (entrupy's
// rules.go) must give one verdict: a value the plan accepts is one the API
// accepts, and a value the plan rejects the API rejects too, naming the
// same field. Each case runs one value through the plan-time validators of
// every schema that takes the attribute, and through every emulator route
// that takes it.

// parityToken is the emulators' API token.
const parityToken = "parity-token"

// parityOrganization makes usernames of exactly entrupy.MaxUsernameLength
// characters for a 40-character unique_user_id, in multi-byte letters.
var parityOrganization = strings.Repeat("Ö", entrupy.MaxUsernameLength-1-40)

// Objects every case's emulator starts with.
var (
	parityUser      = "parity-existing-user"
	parityEmail     = "existing@example.com"
	parityLongUID   = strings.Repeat("u", 40)
	parityUsername  = parityOrganization + "-" + parityLongUID // exactly MaxUsernameLength
	parityEvents    = []string{entrupy.EventSessionCompleted}
	parityURL       = "https://hooks.example.com/entrupy"
	paritySecretKey = "parity-secret"
)

// paritySchemas are the schemas (by name) whose validators take each
// attribute; secret is also checked as secret_wo.
var paritySchemas = map[string][]string{
	"unique_user_id":            {"entrupy_integration_user", "data.entrupy_integration_user", "ephemeral.entrupy_sdk_authorization"},
	"email":                     {"entrupy_integration_user", "ephemeral.entrupy_sdk_authorization"},
	"first_name":                {"entrupy_integration_user", "ephemeral.entrupy_sdk_authorization"},
	"last_name":                 {"entrupy_integration_user", "ephemeral.entrupy_sdk_authorization"},
	"sdk_authorization_request": {"ephemeral.entrupy_sdk_authorization"},
	"url":                       {"entrupy_webhook"},
	"description":               {"entrupy_webhook"},
	"secret":                    {"entrupy_webhook"},
	"secret_wo":                 {"entrupy_webhook"},
	"username":                  {"entrupy_webhook"},
	"customer_item_id":          {"data.entrupy_authentication"},
}

// apiField is the request field an attribute is sent as.
func apiField(attr string) string {
	if attr == "secret" {
		return "secret_key"
	}
	return attr
}

// parityRoute is one API request that carries the attribute's value v.
type parityRoute struct {
	name string
	call func(ctx context.Context, c *entrupy.Client, v string, fresh func() string) error
}

func postUser(fields map[string]any) func(context.Context, *entrupy.Client, string, func() string) error {
	return func(ctx context.Context, c *entrupy.Client, v string, fresh func() string) error {
		body := map[string]any{"unique_user_id": fresh(), "email": "new@example.com"}
		for k, f := range fields {
			body[k] = f
		}
		for k, f := range body {
			if f == nil { // the value under test
				body[k] = v
			}
		}
		return c.Do(ctx, http.MethodPost, entrupy.PathUsers, body, true, nil)
	}
}

func authorize(fields map[string]any) func(context.Context, *entrupy.Client, string, func() string) error {
	return func(ctx context.Context, c *entrupy.Client, v string, fresh func() string) error {
		body := map[string]any{"sdk_authorization_request": "device-request", "unique_user_id": parityUser, "email": parityEmail}
		for k, f := range fields {
			body[k] = f
		}
		for k, f := range body {
			switch f {
			case nil: // the value under test
				body[k] = v
			case "fresh": // a user authorize-user creates
				body[k] = fresh()
			}
		}
		return c.Do(ctx, http.MethodPost, entrupy.PathAuthorizeUser, body, true, nil)
	}
}

func postWebhook(field string) func(context.Context, *entrupy.Client, string, func() string) error {
	return func(ctx context.Context, c *entrupy.Client, v string, _ func() string) error {
		body := map[string]any{"url": parityURL, "secret_key": paritySecretKey, "events": parityEvents}
		body[field] = v
		return c.Do(ctx, http.MethodPost, entrupy.PathWebhooks, body, true, nil)
	}
}

func patchWebhook(field string) func(context.Context, *entrupy.Client, string, func() string) error {
	return func(ctx context.Context, c *entrupy.Client, v string, _ func() string) error {
		hooks, err := c.Webhooks.ListAll(ctx)
		if err != nil || len(hooks) != 1 {
			return err
		}
		return c.Do(ctx, http.MethodPatch, entrupy.PathWebhook(hooks[0].ID), map[string]any{field: v}, false, nil)
	}
}

// parityRoutes are the requests that carry each attribute.
var parityRoutes = map[string][]parityRoute{
	"unique_user_id": {
		{"POST users", postUser(map[string]any{"unique_user_id": nil})},
		{"POST authorize-user", authorize(map[string]any{"unique_user_id": nil})},
	},
	"email": {
		{"POST users", postUser(map[string]any{"email": nil})},
		{"PATCH user", func(ctx context.Context, c *entrupy.Client, v string, _ func() string) error {
			return c.Do(ctx, http.MethodPatch, entrupy.PathUser(parityUser), map[string]any{"email": v}, false, nil)
		}},
		{"POST authorize-user (existing user)", authorize(map[string]any{"email": nil})},
	},
	"first_name": {
		{"POST users", postUser(map[string]any{"first_name": nil})},
		{"POST authorize-user (new user)", authorize(map[string]any{"unique_user_id": "fresh", "first_name": nil})},
	},
	"last_name": {
		{"POST users", postUser(map[string]any{"last_name": nil})},
		{"POST authorize-user (new user)", authorize(map[string]any{"unique_user_id": "fresh", "last_name": nil})},
	},
	"sdk_authorization_request": {
		{"POST authorize-user (existing user)", authorize(map[string]any{"sdk_authorization_request": nil})},
	},
	"url":         {{"POST webhooks", postWebhook("url")}, {"PATCH webhook", patchWebhook("url")}},
	"description": {{"POST webhooks", postWebhook("description")}, {"PATCH webhook", patchWebhook("description")}},
	"secret":      {{"POST webhooks", postWebhook("secret_key")}, {"PATCH webhook", patchWebhook("secret_key")}},
	"username":    {{"POST webhooks", postWebhook("username")}},
	// No item has the value: a 404 is the API accepting it.
	"customer_item_id": {{"GET lookup", func(ctx context.Context, c *entrupy.Client, v string, _ func() string) error {
		if _, err := c.Authentications.Lookup(ctx, v); !entrupy.IsNotFound(err) {
			return err
		}
		return nil
	}}},
}

type parityCase struct {
	attr, name, value string
	ok                bool // accepted by the plan and by the API
}

func rep(s string, n int) string { return strings.Repeat(s, n) }

// parityCases: each rule at and one over its bounds (in multi-byte
// characters where the field allows them), and the shapes it tells apart.
// An empty first_name, last_name or username is left out on purpose: the
// API reads "" as "not given", while the provider rejects it because
// Terraform would store it as null; that is a rule of Terraform's, not of
// the contract.
var parityCases = []parityCase{
	// unique_user_id: 8 to 40 characters of A-Za-z0-9@.+_- [doc].
	{"unique_user_id", "7 characters", "abcdefg", false},
	{"unique_user_id", "8 characters", "abcdefgh", true},
	{"unique_user_id", "40 characters", rep("a", 40), true},
	{"unique_user_id", "41 characters", rep("a", 41), false},
	{"unique_user_id", "every allowed symbol", "Az09@.+_-x", true},
	{"unique_user_id", "at sign and dots", "store@berlin.de", true},
	{"unique_user_id", "plus", "user+tag1", true},
	{"unique_user_id", "underscore", "user_0001", true},
	{"unique_user_id", "hyphen", "user-0001", true},
	{"unique_user_id", "space", "has space", false},
	{"unique_user_id", "slash", "store/berlin", false},
	{"unique_user_id", "multi-byte letter", "usér-0001", false},
	{"unique_user_id", "empty", "", false},

	// email: one bare address, a dot in the domain, at most 254 characters.
	{"email", "plain", "user@example.com", true},
	{"email", "uppercase", "User.Name@Example.COM", true},
	{"email", "plus and subdomain", "first.last+tag@mail.example.co.uk", true},
	{"email", "254 characters", rep("a", entrupy.MaxEmailLength-len("@example.com")) + "@example.com", true},
	{"email", "255 characters", rep("a", entrupy.MaxEmailLength+1-len("@example.com")) + "@example.com", false},
	{"email", "254 multi-byte characters", rep("é", entrupy.MaxEmailLength-len("@example.com")) + "@example.com", true},
	{"email", "255 multi-byte characters", rep("é", entrupy.MaxEmailLength+1-len("@example.com")) + "@example.com", false},
	{"email", "double dot in local part", "a..b@example.com", false},
	{"email", "leading dot", ".ab@example.com", false},
	{"email", "comma", "a,b@example.com", false},
	{"email", "two addresses", "a@example.com, b@example.com", false},
	{"email", "display name", "Ada <ada@example.com>", false},
	{"email", "comment", "ada@example.com (Ada)", false},
	{"email", "quoted local part", `"ada"@example.com`, false},
	{"email", "no dot in domain", "user@localhost", false},
	{"email", "trailing dot", "user@example.com.", false},
	{"email", "double dot in domain", "user@example..com", false},
	{"email", "no at sign", "not-an-email", false},
	{"email", "two at signs", "a@b@example.com", false},
	{"email", "empty", "", false},

	// url: https, or http on loopback; absolute, no credentials, at most 2048.
	{"url", "https", "https://hooks.example.com/entrupy", true},
	{"url", "uppercase scheme", "HTTPS://hooks.example.com/entrupy", true},
	{"url", "http 127.0.0.1", "http://127.0.0.1:8080/hook", true},
	{"url", "http localhost", "http://localhost:8080/hook", true},
	{"url", "http [::1]", "http://[::1]:8080/hook", true},
	{"url", "http public host", "http://hooks.example.com/hook", false},
	{"url", "http localhost suffix", "http://localhost.example.com/hook", false},
	{"url", "credentials", "https://user:pass@hooks.example.com/hook", false},
	{"url", "relative path", "/hooks/entrupy", false},
	{"url", "no scheme", "hooks.example.com/entrupy", false},
	{"url", "ftp", "ftp://hooks.example.com/entrupy", false},
	{"url", "no host", "https:///entrupy", false},
	{"url", "port without host", "https://:443/entrupy", false},
	{"url", "2048 multi-byte characters", "https://h.example.com/" + rep("é", entrupy.MaxWebhookURLLength-len("https://h.example.com/")), true},
	{"url", "2049 multi-byte characters", "https://h.example.com/" + rep("é", entrupy.MaxWebhookURLLength+1-len("https://h.example.com/")), false},
	{"url", "empty", "", false},

	// description: at most 255 characters.
	{"description", "empty", "", true},
	{"description", "255 multi-byte characters", rep("é", entrupy.MaxDescriptionLength), true},
	{"description", "256 multi-byte characters", rep("é", entrupy.MaxDescriptionLength+1), false},
	{"description", "256 ASCII characters", rep("d", entrupy.MaxDescriptionLength+1), false},

	// secret (secret_key): 1 to 256 characters.
	{"secret", "1 character", "s", true},
	{"secret", "256 multi-byte characters", rep("ß", entrupy.MaxSecretKeyLength), true},
	{"secret", "257 multi-byte characters", rep("ß", entrupy.MaxSecretKeyLength+1), false},
	{"secret", "empty", "", false},

	// first_name, last_name: at most 100 characters.
	{"first_name", "100 multi-byte characters", rep("名", entrupy.MaxNameLength), true},
	{"first_name", "101 multi-byte characters", rep("名", entrupy.MaxNameLength+1), false},
	{"last_name", "100 multi-byte characters", rep("姓", entrupy.MaxNameLength), true},
	{"last_name", "101 multi-byte characters", rep("姓", entrupy.MaxNameLength+1), false},
	{"last_name", "101 ASCII characters", rep("l", entrupy.MaxNameLength+1), false},

	// sdk_authorization_request: 1 to 8192 characters.
	{"sdk_authorization_request", "8192 multi-byte characters", rep("ü", entrupy.MaxSDKAuthorizationLength), true},
	{"sdk_authorization_request", "8193 multi-byte characters", rep("ü", entrupy.MaxSDKAuthorizationLength+1), false},
	{"sdk_authorization_request", "empty", "", false},

	// username: at most 150 characters (and an active user's).
	{"username", "150 multi-byte characters", parityUsername, true},
	{"username", "151 multi-byte characters", parityUsername + "u", false},

	// customer_item_id: 1 to 256 characters [doc: Android SDK]. An empty
	// one cannot reach the lookup route: it is a path segment.
	{"customer_item_id", "256 multi-byte characters", rep("ü", entrupy.MaxCustomerItemIDLength), true},
	{"customer_item_id", "257 characters", rep("a", entrupy.MaxCustomerItemIDLength+1), false},
	{"customer_item_id", "slash and space", "SKU 1/2", true},
}

// knownDivergences are values on which the plan and the API are known to
// disagree today. Each runs like a case: while the verdicts still differ it
// is skipped with what each side said; once they agree it passes, and it
// should move to parityCases.
var knownDivergences = []parityCase{
	// The emulator refuses a blank request (strings.TrimSpace) before its
	// length rule; the contract and entrupy.CheckLength only bound the
	// length, so the plan accepts it.
	{"sdk_authorization_request", "blank", "   ", false},
}

// planVerdict runs value through attr's validators in every schema that
// takes it; it returns the errors' details, failing the test when the
// schemas disagree or an error does not name the attribute.
func planVerdict(t *testing.T, schemas map[string]map[string][]validator.String, attr, value string) (accepted bool, details []string) {
	t.Helper()
	ctx := context.Background()
	attrs := []string{attr}
	if attr == "secret" {
		attrs = append(attrs, "secret_wo")
	}
	verdicts := map[bool][]string{}
	for _, a := range attrs {
		for _, name := range paritySchemas[a] {
			validators, ok := schemas[name][a]
			if !ok || len(validators) == 0 {
				t.Fatalf("%s has no validators on %s", name, a)
			}
			req := validator.StringRequest{Path: path.Root(a), PathExpression: path.MatchRoot(a), ConfigValue: types.StringValue(value)}
			var resp validator.StringResponse
			for _, v := range validators {
				v.ValidateString(ctx, req, &resp)
			}
			ok = !resp.Diagnostics.HasError()
			verdicts[ok] = append(verdicts[ok], name+"."+a)
			for _, d := range resp.Diagnostics.Errors() {
				details = append(details, d.Detail())
				if !strings.HasPrefix(d.Detail(), a+": ") {
					t.Errorf("%s.%s: the error does not name the attribute: %q", name, a, d.Detail())
				}
			}
		}
	}
	if len(verdicts) != 1 {
		t.Fatalf("the schemas disagree: accepted by %v, rejected by %v", verdicts[true], verdicts[false])
	}
	_, accepted = verdicts[true]
	return accepted, details
}

// apiVerdict sends value through every route that carries attr, each on a
// fresh emulator; it returns whether all accepted, failing the test when
// the routes disagree or a rejection is not a 400 naming the field.
func apiVerdict(t *testing.T, attr, value string) (accepted bool, details []string) {
	t.Helper()
	verdicts := map[bool][]string{}
	for _, route := range parityRoutes[attr] {
		c := parityEmulator(t)
		n := 0
		fresh := func() string { n++; return fmt.Sprintf("parity-fresh-%d", n) }
		err := route.call(context.Background(), c, value, fresh)
		verdicts[err == nil] = append(verdicts[err == nil], route.name)
		if err == nil {
			continue
		}
		e, ok := entrupy.AsAPIError(err)
		switch {
		case !ok:
			t.Fatalf("%s: not an API error: %v", route.name, err)
		case e.StatusCode != http.StatusBadRequest || e.Code != entrupy.CodeInvalidRequest:
			t.Fatalf("%s: %d %s, want 400 %s: %v", route.name, e.StatusCode, e.Code, entrupy.CodeInvalidRequest, err)
		case e.Field != apiField(attr):
			t.Fatalf("%s: the 400 names field %q, want %q: %v", route.name, e.Field, apiField(attr), err)
		}
		details = append(details, route.name+": "+e.Message)
		// The provider puts the API's error on the attribute at fault.
		for _, fields := range []map[string]path.Path{userFieldPaths, webhookFieldPaths} {
			if p, ok := fields[e.Field]; ok && !p.Equal(path.Root(attr)) {
				t.Fatalf("the provider maps field %q to %s, not %s", e.Field, p, attr)
			}
		}
	}
	if len(verdicts) != 1 {
		t.Fatalf("the API routes disagree: accepted by %v, rejected by %v", verdicts[true], verdicts[false])
	}
	_, accepted = verdicts[true]
	return accepted, details
}

// parityEmulator is a fresh emulator on 127.0.0.1 with parityUser, a user
// whose username is parityUsername, and one webhook; it returns a client
// of it.
func parityEmulator(t *testing.T) *entrupy.Client {
	t.Helper()
	emu, err := emulator.New(emulator.Options{Token: parityToken, Organization: parityOrganization, NoSeed: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(func() { srv.Close(); emu.Close() })
	c, err := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken(parityToken), entrupy.WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, uid := range []string{parityUser, parityLongUID} {
		if _, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: uid, Email: parityEmail}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: parityURL, SecretKey: paritySecretKey, Events: parityEvents}); err != nil {
		t.Fatal(err)
	}
	return c
}

// paritySchemaValidators collects the string validators of every schema
// paritySchemas names, by schema name and attribute.
func paritySchemaValidators(t *testing.T) map[string]map[string][]validator.String {
	t.Helper()
	ctx := context.Background()
	type withValidators interface{ StringValidators() []validator.String }
	out := map[string]map[string][]validator.String{}
	add := func(name string, attrs map[string]any) {
		out[name] = map[string][]validator.String{}
		for a, at := range attrs {
			if v, ok := at.(withValidators); ok {
				out[name][a] = v.StringValidators()
			}
		}
	}
	var rUser, rWebhook resource.SchemaResponse
	NewIntegrationUserResource().Schema(ctx, resource.SchemaRequest{}, &rUser)
	NewWebhookResource().Schema(ctx, resource.SchemaRequest{}, &rWebhook)
	var dUser, dAuth datasource.SchemaResponse
	NewIntegrationUserDataSource().Schema(ctx, datasource.SchemaRequest{}, &dUser)
	NewAuthenticationDataSource().Schema(ctx, datasource.SchemaRequest{}, &dAuth)
	var eSDK ephemeral.SchemaResponse
	NewSDKAuthorizationEphemeralResource().Schema(ctx, ephemeral.SchemaRequest{}, &eSDK)
	for name, attrs := range map[string]map[string]any{
		"entrupy_integration_user":            anyMap(rUser.Schema.Attributes),
		"entrupy_webhook":                     anyMap(rWebhook.Schema.Attributes),
		"data.entrupy_integration_user":       anyMap(dUser.Schema.Attributes),
		"data.entrupy_authentication":         anyMap(dAuth.Schema.Attributes),
		"ephemeral.entrupy_sdk_authorization": anyMap(eSDK.Schema.Attributes),
	} {
		add(name, attrs)
	}
	return out
}

func anyMap[V any](m map[string]V) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestRulesParity: the plan and the API give one verdict on every case.
func TestRulesParity(t *testing.T) {
	if len(parityCases) < 40 {
		t.Fatalf("only %d parity cases", len(parityCases))
	}
	schemas := paritySchemaValidators(t)
	seen := map[string]bool{}
	for _, tc := range parityCases {
		if seen[tc.attr+"/"+tc.name] {
			t.Fatalf("case %s/%s twice", tc.attr, tc.name)
		}
		seen[tc.attr+"/"+tc.name] = true
		t.Run(tc.attr+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			plan, planSays := planVerdict(t, schemas, tc.attr, tc.value)
			api, apiSays := apiVerdict(t, tc.attr, tc.value)
			if plan != api {
				t.Fatalf("%s = %q: the plan accepts it: %v (%q), the API accepts it: %v (%q)", tc.attr, short(tc.value), plan, planSays, api, apiSays)
			}
			if plan != tc.ok {
				t.Fatalf("%s = %q: both accept it: %v, want %v (plan: %q, API: %q)", tc.attr, short(tc.value), plan, tc.ok, planSays, apiSays)
			}
		})
	}
	for attr := range paritySchemas {
		if attr != "secret_wo" && !seenAttr(seen, attr) {
			t.Errorf("no parity case for %s", attr)
		}
	}
}

// TestRulesParityKnownDivergences runs knownDivergences; see there.
func TestRulesParityKnownDivergences(t *testing.T) {
	schemas := paritySchemaValidators(t)
	for _, tc := range knownDivergences {
		t.Run(tc.attr+"/"+tc.name, func(t *testing.T) {
			t.Parallel()
			plan, planSays := planVerdict(t, schemas, tc.attr, tc.value)
			api, apiSays := apiVerdict(t, tc.attr, tc.value)
			if plan != api {
				t.Skipf("known divergence on %s = %q: plan accepts: %v %q, API accepts: %v %q", tc.attr, tc.value, plan, planSays, api, apiSays)
			}
			if plan != tc.ok {
				t.Fatalf("%s = %q: both accept it: %v, want %v", tc.attr, tc.value, plan, tc.ok)
			}
		})
	}
}

func seenAttr(seen map[string]bool, attr string) bool {
	for k := range seen {
		if strings.HasPrefix(k, attr+"/") {
			return true
		}
	}
	return false
}

// short abbreviates a long value for a failure message.
func short(v string) string {
	if r := []rune(v); len(r) > 40 {
		return fmt.Sprintf("%s…(%d characters)…%s", string(r[:20]), len(r), string(r[len(r)-10:]))
	}
	return v
}
