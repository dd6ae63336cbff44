package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// badInput is one configuration that must fail at validate or plan with a
// message naming the attribute at fault. provider replaces the default
// provider block when set.
type badInput struct {
	name, provider, config, want string
}

const okWebhook = `url = "https://h.example.com"
  events = ["session.completed"]
  secret = "s"`

// longEmail is a well-formed address one character over entrupy.MaxEmailLength.
var longEmail = strings.Repeat("a", entrupy.MaxEmailLength+1-len("@example.com")) + "@example.com"

// webhookWO is a webhook with a write-only secret at this secret_wo_version.
func webhookWO(version string) string {
	return `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
  secret_wo = "s"
  secret_wo_version = ` + version + `
}`
}

// sdkAuthorization is the ephemeral resource with a valid unique_user_id and
// these other attributes, fed to the echo provider so that it is opened.
func sdkAuthorization(attrs string) string {
	return `ephemeral "entrupy_sdk_authorization" "x" {
  unique_user_id = "valid-user-1"
  ` + attrs + `
}
provider "echo" {
  data = ephemeral.entrupy_sdk_authorization.x
}
resource "echo" "x" {}`
}

// hclStrings is an HCL list of n distinct strings of the given length.
func hclStrings(n, length int) string {
	vals := make([]string, n)
	for i := range vals {
		vals[i] = fmt.Sprintf("%q", fmt.Sprintf("%0*d", length, i))
	}
	return "[" + strings.Join(vals, ", ") + "]"
}

var badInputs = []badInput{
	// Provider block.
	{name: "provider base_url http", provider: `base_url = "http://api.example.com"`, want: `base_url: "http://api.example.com" uses plain http`},
	{name: "provider base_url scheme", provider: `base_url = "ftp://api.example.com"`, want: `base_url.*scheme "ftp" is not supported`},
	{name: "provider base_url relative", provider: `base_url = "api.example.com"`, want: `base_url: "api.example.com" is not an absolute URL`},
	{name: "provider base_url credentials", provider: `base_url = "https://u:p@api.example.com"`, want: `base_url: the URL must not carry credentials`},
	{name: "provider accept_language", provider: `accept_language = "fr"`, want: `accept_language value must be one of: \["en" "ja"\]`},
	{name: "provider max_retries", provider: `max_retries = 11`, want: `max_retries value must be a whole number between 0 and 10, got: 11`},
	{name: "provider max_retries fraction", provider: `max_retries = 1.5`, want: `max_retries value must be a whole number between 0 and 10, got: 1.5`},
	{name: "provider max_retries huge", provider: `max_retries = 1e30`, want: `max_retries value must be a whole number between 0 and 10, got: 1e\+30`},
	{name: "provider requests_per_second", provider: `requests_per_second = -1`, want: `requests_per_second value must be 0 \(no client limit\) or between 0.1 and 1000, got: -1`},
	{name: "provider requests_per_second tiny", provider: `requests_per_second = 0.001`, want: `requests_per_second value must be 0 \(no client limit\) or between 0.1 and 1000, got: 0.001`},
	{name: "provider requests_per_second big", provider: `requests_per_second = 1000.5`, want: `requests_per_second value must be 0 \(no client limit\) or between 0.1 and 1000, got: 1000.5`},
	{name: "provider requests_per_second beyond float64", provider: `requests_per_second = 1e400`, want: `requests_per_second value must be 0 \(no client limit\) or between 0.1 and 1000, got: 1e\+400`},
	{name: "provider requests_per_second below float64", provider: `requests_per_second = 1e-400`, want: `requests_per_second value must be 0 \(no client limit\) or between 0.1 and 1000, got: 1e-400`},
	{name: "provider request_timeout", provider: `request_timeout = "soon"`, want: `request_timeout: "soon" is not a positive duration`},
	{name: "provider request_timeout zero", provider: `request_timeout = "0s"`, want: `request_timeout: "0s" is not a positive duration`},
	{name: "provider api_version", provider: `api_version = "v2"`, want: `api_version must be a version such as "1.4"`},
	{name: "provider api_token empty", provider: `api_token = ""`, want: `api_token string length must be at least 1`},

	// entrupy_webhook.
	{name: "webhook url http", config: `resource "entrupy_webhook" "x" {
  url = "http://hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: "http://hooks.example.com" must be an https:// URL`},
	{name: "webhook url relative", config: `resource "entrupy_webhook" "x" {
  url = "hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: "hooks.example.com" is not an absolute URL`},
	{name: "webhook url credentials", config: `resource "entrupy_webhook" "x" {
  url = "https://a:b@hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: must not carry credentials`},
	{name: "webhook events empty", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = []
  secret = "s"
}`, want: `events set must contain at least 1 elements`},
	{name: "webhook both secrets", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  secret_wo = "t"
}`, want: `Invalid Attribute Combination.*secret.*secret_wo`},
	{name: "webhook no secret", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
}`, want: `Missing webhook secret.*A new webhook needs a signing secret: set secret_wo.*or secret`},
	{name: "webhook secret empty", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
  secret = ""
}`, want: `secret: must not be empty`},
	{name: "webhook secret_wo_version alone", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  secret_wo_version = 1
}`, want: `secret_wo_version.*"secret_wo" must be specified`},
	{name: "webhook api_version", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  api_version = "latest"
}`, want: `api_version must be a version such as`},
	{name: "webhook username empty", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  username = ""
}`, want: `username: must not be empty`},
	{name: "webhook events null", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed", null]
  secret = "s"
}`, want: `events holds a null: every element of events must be a value`},
	{name: "webhook secret_wo_version fraction", config: webhookWO("1.5"), want: `secret_wo_version value must be a whole number between 0 and 9223372036854775807, got: 1.5`},
	{name: "webhook secret_wo_version huge", config: webhookWO("1e30"), want: `secret_wo_version value must be a whole number between 0 and 9223372036854775807, got: 1e\+30`},
	{name: "webhook secret_wo_version negative", config: webhookWO("-1"), want: `secret_wo_version value must be a whole number between 0 and 9223372036854775807, got: -1`},
	{name: "webhook description 1.2 MB", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  description = "` + strings.Repeat("d", 1200000) + `"
}`, want: `description: must be at most 255 characters, got 1200000`},
	{name: "webhook description 256 characters", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  description = "` + strings.Repeat("é", entrupy.MaxDescriptionLength+1) + `"
}`, want: `description: must be at most 255 characters, got 256`},
	{name: "webhook url long", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com/` + strings.Repeat("a", entrupy.MaxWebhookURLLength) + `"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: must be at most 2048 characters, got 2070`},
	{name: "webhook secret long", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
  secret = "` + strings.Repeat("s", entrupy.MaxSecretKeyLength+1) + `"
}`, want: `secret: must be at most 256 characters, got 257`},
	{name: "webhook secret_wo long", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
  secret_wo = "` + strings.Repeat("s", entrupy.MaxSecretKeyLength+1) + `"
}`, want: `secret_wo: must be at most 256 characters, got 257`},
	{name: "webhook username long", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  username = "` + strings.Repeat("u", entrupy.MaxUsernameLength+1) + `"
}`, want: `username: must be at most 150 characters, got 151`},

	// entrupy_integration_user.
	{name: "user id 7 chars", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "abcdefg"
  email = "a@example.com"
}`, want: `unique_user_id: must be 8 to 40 characters`},
	{name: "user id 41 chars", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "` + strings.Repeat("a", 41) + `"
  email = "a@example.com"
}`, want: `unique_user_id: must be 8 to 40 characters`},
	{name: "user id space", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "has space"
  email = "a@example.com"
}`, want: `unique_user_id: must be 8 to 40 characters`},
	{name: "user email", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "not-an-email"
}`, want: `email: must be one email address such as user@example.com`},
	{name: "user first_name empty", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "a@example.com"
  first_name = ""
}`, want: `first_name: must not be empty`},
	{name: "user email long", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "` + longEmail + `"
}`, want: `email: must be at most 254 characters, got 255`},
	{name: "user first_name long", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "a@example.com"
  first_name = "` + strings.Repeat("f", entrupy.MaxNameLength+1) + `"
}`, want: `first_name: must be at most 100 characters, got 101`},
	{name: "user last_name long", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "a@example.com"
  last_name = "` + strings.Repeat("l", entrupy.MaxNameLength+1) + `"
}`, want: `last_name: must be at most 100 characters, got 101`},

	// Data sources.
	{name: "authentication neither id", config: `data "entrupy_authentication" "x" {}`, want: `Invalid Attribute Combination.*entrupy_id.*customer_item_id`},
	{name: "authentication both ids", config: `data "entrupy_authentication" "x" {
  entrupy_id = "A"
  customer_item_id = "B"
}`, want: `Invalid Attribute Combination`},
	{name: "authentications none with flag", config: `data "entrupy_authentications" "x" { flags = ["none", "flagged"] }`, want: `Invalid flags.*flags: "none" selects items that were never flagged`},
	{name: "authentications created_after", config: `data "entrupy_authentications" "x" { created_after = "yesterday" }`, want: `created_after: "yesterday" is not an RFC 3339 timestamp`},
	{name: "authentications created_before", config: `data "entrupy_authentications" "x" { created_before = "2026-13-01T00:00:00Z" }`, want: `created_before: "2026-13-01T00:00:00Z" is not an RFC 3339`},
	{name: "authentications empty range", config: `data "entrupy_authentications" "x" {
  created_after = "2026-05-01T00:00:00Z"
  created_before = "2026-04-01T00:00:00Z"
}`, want: `Empty time range.*created_before`},
	{name: "authentications max_items", config: `data "entrupy_authentications" "x" { max_items = 0 }`, want: `max_items value must be a whole number between 1 and 100000, got: 0`},
	{name: "authentications max_items fraction", config: `data "entrupy_authentications" "x" { max_items = 2.5 }`, want: `max_items value must be a whole number between 1 and 100000, got: 2.5`},
	{name: "authentications max_items huge", config: `data "entrupy_authentications" "x" { max_items = 1e30 }`, want: `max_items value must be a whole number between 1 and 100000, got: 1e\+30`},
	{name: "webhook_deliveries max_items", config: `data "entrupy_webhook_deliveries" "x" {
  webhook_id = "wh_1"
  max_items  = 0
}`, want: `max_items value must be a whole number between 1 and 1000, got: 0`},
	{name: "webhook_deliveries max_items fraction", config: `data "entrupy_webhook_deliveries" "x" {
  webhook_id = "wh_1"
  max_items  = 2.5
}`, want: `max_items value must be a whole number between 1 and 1000, got: 2.5`},
	{name: "webhook_deliveries max_items huge", config: `data "entrupy_webhook_deliveries" "x" {
  webhook_id = "wh_1"
  max_items  = 1e30
}`, want: `max_items value must be a whole number between 1 and 1000, got: 1e\+30`},
	{name: "webhook_deliveries webhook_id empty", config: `data "entrupy_webhook_deliveries" "x" { webhook_id = "" }`, want: `webhook_id string length must be at least 1`},
	{name: "authentications empty list", config: `data "entrupy_authentications" "x" { usernames = [] }`, want: `usernames list must contain at least 1 elements`},
	{name: "authentications usernames null", config: `data "entrupy_authentications" "x" { usernames = ["a", null] }`, want: `usernames\[1\] is null: every element of usernames must be a value`},
	{name: "authentications customer_item_ids null", config: `data "entrupy_authentications" "x" { customer_item_ids = [null] }`, want: `customer_item_ids\[0\] is null: every element of customer_item_ids must be a value`},
	{name: "authentications brands null", config: `data "entrupy_authentications" "x" { brands = ["gucci", null] }`, want: `brands\[1\] is null`},
	{name: "authentications results null", config: `data "entrupy_authentications" "x" { results = [null, "authentic"] }`, want: `results\[0\] is null`},
	{name: "authentications flags null", config: `data "entrupy_authentications" "x" { flags = ["flagged", null] }`, want: `flags\[1\] is null`},
	{name: "authentications product_categories null", config: `data "entrupy_authentications" "x" { product_categories = [null] }`, want: `product_categories\[0\] is null`},
	{name: "authentications username long", config: `data "entrupy_authentications" "x" { usernames = ["a", "` + strings.Repeat("u", entrupy.MaxFilterValueLength+1) + `"] }`, want: `usernames\[1\]: must be at most 255 characters, got 256`},
	{name: "authentications customer_item_id long", config: `data "entrupy_authentications" "x" { customer_item_ids = ["` + strings.Repeat("c", entrupy.MaxCustomerItemIDLength+1) + `"] }`, want: `customer_item_ids\[0\]: must be at most 256 characters, got 257`},
	{name: "authentications form_factors null", config: `data "entrupy_authentications" "x" { form_factors = [null] }`, want: `form_factors\[0\] is null`},
	{name: "authentication customer_item_id long", config: `data "entrupy_authentication" "x" { customer_item_id = "` + strings.Repeat("c", entrupy.MaxCustomerItemIDLength+1) + `" }`, want: `Invalid customer_item_id.*customer_item_id: must be at most 256 characters, got 257`},
	{name: "authentication customer_item_id empty", config: `data "entrupy_authentication" "x" { customer_item_id = "" }`, want: `customer_item_id: must not be empty`},
	{name: "authentications too many values", config: `data "entrupy_authentications" "x" { customer_item_ids = ` + hclStrings(entrupy.MaxFilterValues+1, 3) + ` }`, want: `customer_item_ids list must contain at most 100 elements, got: 101`},
	{name: "certificate neither id", config: `data "entrupy_certificate" "x" {}`, want: `Invalid Attribute Combination.*certificate_id.*entrupy_id`},
	{name: "catalog category", config: `data "entrupy_catalog" "x" { product_category = "watches" }`, want: `product_category value must be one of: \["luxury" "sneakers" "apparel"\]`},
	{name: "webhook id empty", config: `data "entrupy_webhook" "x" { id = "" }`, want: `id string length must be at least 1`},
	{name: "integration user id", config: `data "entrupy_integration_user" "x" { unique_user_id = "short" }`, want: `unique_user_id: must be 8 to 40 characters`},
	{name: "integration users suffix", config: `data "entrupy_integration_users" "x" { email_suffix = "" }`, want: `email_suffix string length must be at least 1`},

	// Ephemeral resource.
	{name: "sdk authorization id", config: `ephemeral "entrupy_sdk_authorization" "x" {
  sdk_authorization_request = "r"
  unique_user_id = "short"
  email = "a@example.com"
}
provider "echo" {
  data = ephemeral.entrupy_sdk_authorization.x
}
resource "echo" "x" {}`, want: `unique_user_id: must be 8 to 40 characters`},
	{name: "sdk authorization request empty", config: `ephemeral "entrupy_sdk_authorization" "x" {
  sdk_authorization_request = ""
  unique_user_id = "valid-user-1"
  email = "a@example.com"
}
provider "echo" {
  data = ephemeral.entrupy_sdk_authorization.x
}
resource "echo" "x" {}`, want: `sdk_authorization_request: must not be empty`},
	{name: "sdk authorization request long", config: sdkAuthorization(`sdk_authorization_request = "` + strings.Repeat("r", entrupy.MaxSDKAuthorizationLength+1) + `"
  email = "a@example.com"`), want: `sdk_authorization_request: must be at most 8192 characters, got 8193`},
	{name: "sdk authorization email long", config: sdkAuthorization(`sdk_authorization_request = "r"
  email = "` + longEmail + `"`), want: `email: must be at most 254 characters, got 255`},
	{name: "sdk authorization first_name long", config: sdkAuthorization(`sdk_authorization_request = "r"
  email = "a@example.com"
  first_name = "` + strings.Repeat("f", entrupy.MaxNameLength+1) + `"`), want: `first_name: must be at most 100 characters, got 101`},
	{name: "sdk authorization last_name long", config: sdkAuthorization(`sdk_authorization_request = "r"
  email = "a@example.com"
  last_name = "` + strings.Repeat("l", entrupy.MaxNameLength+1) + `"`), want: `last_name: must be at most 100 characters, got 101`},
}

// TestAccBadInput: every validated attribute of the provider block, every
// resource, data source and the ephemeral resource rejects bad values at
// validate/plan time, with a message that names the attribute.
func TestAccBadInput(t *testing.T) {
	if len(badInputs) < 30 {
		t.Fatalf("only %d bad inputs", len(badInputs))
	}
	emu := testsupport.StartEmulator(t, emulator.Options{})
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"entrupy": testAccProtoV6ProviderFactories["entrupy"],
		"echo":    echoprovider.NewProviderServer(),
	}
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			config := providerBlock(emu) + tc.config
			if tc.provider != "" {
				token := fmt.Sprintf("api_token = %q", testsupport.Token)
				if strings.Contains(tc.provider, "api_token") {
					token = ""
				}
				config = fmt.Sprintf("provider \"entrupy\" {\n  %s\n  %s\n}\ndata \"entrupy_catalog\" \"x\" {}\n", token, tc.provider)
			}
			// ErrorCheck takes the step's error whole, to check what it
			// says and what it must not say.
			var got error
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				ErrorCheck:               func(err error) error { got = err; return nil },
				Steps:                    []resource.TestStep{{Config: config}},
			})
			if got == nil {
				t.Fatalf("expected an error with pattern %q, got none", tc.want)
			}
			if !expectError(tc.want).MatchString(got.Error()) {
				t.Fatalf("expected an error with pattern %q, no match on: %s", tc.want, got)
			}
			// Terraform wraps long lines; compare with single spaces.
			text := strings.Join(strings.Fields(got.Error()), " ")
			for _, bug := range providerBugTexts {
				if strings.Contains(text, bug) {
					t.Fatalf("the error reads as a provider bug (%q): %s", bug, got)
				}
			}
			if strings.Contains(text, `[Value("`) {
				t.Fatalf("the error names a set element by its path, not in words: %s", got)
			}
		})
	}
}

// providerBugTexts are what the framework says when a value reaches code
// that cannot take it: bad input must be rejected before that.
var providerBugTexts = []string{"always an error in the provider", "Value Conversion Error", "Read Error"}

// TestAccBadInputAtLimits: values exactly at each bound pass validation and
// are accepted by the API (the emulator checks the same contract limits).
func TestAccBadInputAtLimits(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	urlPrefix := "https://h.example.com/"
	config := fmt.Sprintf(`
provider "entrupy" {
  base_url            = %q
  api_token           = %q
  requests_per_second = 1000
  max_retries         = 10
}
resource "entrupy_webhook" "wo" {
  url               = %q
  events            = ["session.completed"]
  description       = %q
  secret_wo         = %q
  secret_wo_version = 9223372036854775807
}
resource "entrupy_webhook" "plain" {
  url         = "https://h.example.com/plain"
  events      = ["support.message"]
  secret      = %q
}
resource "entrupy_integration_user" "x" {
  unique_user_id = %q
  email          = %q
  first_name     = %q
  last_name      = %q
}
data "entrupy_authentications" "x" {
  usernames         = %s
  customer_item_ids = [%q]
  max_items         = 100000
}
`, emu.URL, testsupport.Token,
		urlPrefix+strings.Repeat("a", entrupy.MaxWebhookURLLength-len(urlPrefix)),
		strings.Repeat("é", entrupy.MaxDescriptionLength), // characters, not bytes
		strings.Repeat("w", entrupy.MaxSecretKeyLength),
		strings.Repeat("s", entrupy.MaxSecretKeyLength),
		strings.Repeat("u", 40),
		strings.Repeat("a", entrupy.MaxEmailLength-len("@example.com"))+"@example.com",
		strings.Repeat("F", entrupy.MaxNameLength), strings.Repeat("L", entrupy.MaxNameLength),
		hclStrings(entrupy.MaxFilterValues, entrupy.MaxFilterValueLength),
		strings.Repeat("c", entrupy.MaxFilterValueLength))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: config, Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("entrupy_webhook.wo", "description", strings.Repeat("é", entrupy.MaxDescriptionLength)),
				resource.TestCheckResourceAttr("data.entrupy_authentications.x", "total_count", "0"),
			)},
			// The smallest client limit and the lowest whole numbers.
			{Config: fmt.Sprintf(`
provider "entrupy" {
  base_url            = %q
  api_token           = %q
  requests_per_second = 0.1
  max_retries         = 0
}
data "entrupy_catalog" "x" {}
`, emu.URL, testsupport.Token)},
		},
	})
}

// enumDiags runs v on a list or set of strings (elements "<unknown>" and
// "<null>" stand for unknown and null ones) at attribute name, and returns
// its diagnostics as "severity path: detail" lines.
func enumDiags(t *testing.T, v enumValues, name string, set bool, values ...string) []string {
	t.Helper()
	ctx := context.Background()
	elems := make([]attr.Value, len(values))
	for i, s := range values {
		switch s {
		case "<unknown>":
			elems[i] = types.StringUnknown()
		case "<null>":
			elems[i] = types.StringNull()
		default:
			elems[i] = types.StringValue(s)
		}
	}
	var diags diag.Diagnostics
	if set {
		resp := validator.SetResponse{}
		v.ValidateSet(ctx, validator.SetRequest{Path: path.Root(name), ConfigValue: types.SetValueMust(types.StringType, elems)}, &resp)
		diags = resp.Diagnostics
	} else {
		resp := validator.ListResponse{}
		v.ValidateList(ctx, validator.ListRequest{Path: path.Root(name), ConfigValue: types.ListValueMust(types.StringType, elems)}, &resp)
		diags = resp.Diagnostics
	}
	var out []string
	for _, d := range diags {
		where := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			where = wp.Path().String()
		}
		out = append(out, fmt.Sprintf("%s %s: %s: %s", d.Severity(), where, d.Summary(), d.Detail()))
	}
	return out
}

// TestEnumValues_events: an unknown webhook event is a warning, never an
// error (Entrupy may add events and its answer decides), that names the
// attribute and the value in words (not as a Value("...") path) and the
// closest event or, with none near, the events the provider knows; the
// webhooks filter and the test action's event read the same.
func TestEnumValues_events(t *testing.T) {
	outcome := `The provider uses %q as written, since Entrupy may add events after this provider release ("Additional events may be added"): Entrupy's answer decides. ` +
		`If Entrupy does not know it either, Entrupy's answer says so: a create, update or test delivery fails with its message, and a filter matches nothing.`
	got := enumDiags(t, webhookEventsValidator(), "events", true, "support.message", "session.complete", "<unknown>")
	want := []string{`Warning events: Unknown event: events element "session.complete" is not an event that this provider release knows. Did you mean "session.completed"? ` + fmt.Sprintf(outcome, "session.complete")}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
	got = enumDiags(t, webhookEventsValidator(), "events", true, "order.shipped")
	want = []string{`Warning events: Unknown event: events element "order.shipped" is not an event that this provider release knows. The events it knows are "session.completed", "support.message" or "certificate.transfer". ` + fmt.Sprintf(outcome, "order.shipped")}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}

	resp := validator.StringResponse{}
	webhookEventsValidator().ValidateString(context.Background(), validator.StringRequest{Path: path.Root("event"), ConfigValue: types.StringValue("session_completed")}, &resp)
	if len(resp.Diagnostics) != 1 || resp.Diagnostics.HasError() ||
		!strings.HasPrefix(resp.Diagnostics[0].Detail(), `event "session_completed" is not an event that this provider release knows. Did you mean "session.completed"?`) {
		t.Fatalf("event filter: %v", resp.Diagnostics)
	}
}

// TestEnumValues_catalogueDrift: a filter value the catalogue does not list
// is a warning, never an error, naming the closest known value by id,
// display name or Japanese name, case and accents aside; values with
// nothing near list what is known.
func TestEnumValues_catalogueDrift(t *testing.T) {
	got := enumDiags(t, brandFilterValues, "brands", false,
		"Gucci", "louis vuiton", "hermès", "Saint Laurent", "gucci", "<unknown>", "<null>", "nikee", "acme_new_brand")
	wantGuess := map[string]string{
		"brands[0]": `"Gucci" is not a brand id in the provider's catalogue. Did you mean "gucci"?`,
		"brands[1]": `"louis vuiton" is not a brand id in the provider's catalogue. Did you mean "louis_vuitton"?`,
		"brands[2]": `"hermès" is not a brand id in the provider's catalogue. Did you mean "hermes"?`,
		"brands[3]": `"Saint Laurent" is not a brand id in the provider's catalogue. Did you mean "yves_saint_laurent"?`,
		"brands[7]": `"nikee" is not a brand id in the provider's catalogue. Did you mean "nike"?`,
		"brands[8]": `"acme_new_brand" is not a brand id in the provider's catalogue. The brand ids it knows are "hermes", "chanel",`,
	}
	if len(got) != len(wantGuess) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(wantGuess), strings.Join(got, "\n"))
	}
	for _, line := range got {
		at, _, _ := strings.Cut(strings.TrimPrefix(line, "Warning "), ":")
		want, ok := wantGuess[at]
		if !strings.HasPrefix(line, "Warning "+at+": Unknown brand id: brands element ") || !ok || !strings.Contains(line, want) {
			t.Errorf("unexpected diagnostic %q; want a warning at %s containing %q", line, at, want)
		}
	}
	// The whole text of one, as Terraform shows it.
	if want := `Warning brands[0]: Unknown brand id: brands element "Gucci" is not a brand id in the provider's catalogue. Did you mean "gucci"? ` +
		`The search runs with "Gucci" as written, since Entrupy may add brand ids after this provider release; if Entrupy does not know it either, it matches nothing (values are compared exactly). ` +
		`The entrupy_catalog data source lists the brand ids the provider knows.`; got[0] != want {
		t.Errorf("got\n%s\nwant\n%s", got[0], want)
	}

	for _, tc := range []struct {
		v           enumValues
		attr, value string
		want        string
	}{
		{resultFilterValues, "results", "Unable to Determine", `results element "Unable to Determine" is not a result id in the provider's catalogue. Did you mean "no_decision"?`},
		{resultFilterValues, "results", "本物", `Did you mean "authentic"?`},
		{resultFilterValues, "results", "Authentic", `Did you mean "authentic"?`},
		{categoryFilterValues, "product_categories", "sneaker", `product_categories element "sneaker" is not a product category in the provider's catalogue. Did you mean "sneakers"?`},
		{categoryFilterValues, "product_categories", "watches", `The product categories it knows are "luxury", "sneakers" or "apparel".`},
		{resultFilterValues, "results", "ok", `The result ids it knows are "authentic", `},
		{brandFilterValues, "brands", "chanle", `Did you mean "chanel"?`},
		{flagFilterValues, "flags", "Flagged", `flags element "Flagged" is not a flag in the provider's catalogue. Did you mean "flagged"?`},
		{flagFilterValues, "flags", "reviewed_ok", `The flags it knows are "flagged", "resolved" or "none". The search runs with "reviewed_ok" as written`},
		{formFactorFilterValues, "form_factors", "light_box", `form_factors element "light_box" is not a form factor in the provider's catalogue. Did you mean "lightbox"?`},
		{formFactorFilterValues, "form_factors", "hologram", `The form factors it knows are "microscopic", "lightbox" or "free_camera".`},
	} {
		got := enumDiags(t, tc.v, tc.attr, false, tc.value)
		if len(got) != 1 || !strings.HasPrefix(got[0], "Warning ") || !strings.Contains(got[0], tc.want) {
			t.Errorf("%s %q: got %q, want one warning containing %q", tc.attr, tc.value, got, tc.want)
		}
	}
	for _, known := range []enumValues{brandFilterValues, resultFilterValues, categoryFilterValues, flagFilterValues, formFactorFilterValues, webhookEventsValidator()} {
		if got := enumDiags(t, known, "x", false, known.known...); len(got) != 0 {
			t.Errorf("known values warned: %q", got)
		}
	}
}

// TestFoldValueAndEditDistance pins the pieces of "did you mean".
func TestFoldValueAndEditDistance(t *testing.T) {
	for in, want := range map[string]string{"Louis Vuitton": "louis_vuitton", " --Chloé!! ": "chloe", "session.completed": "session_completed", "": "", "本物": "本物"} {
		if got := foldValue(in); got != want {
			t.Errorf("foldValue(%q) = %q, want %q", in, got, want)
		}
	}
	for _, tc := range []struct {
		a, b string
		want int
	}{{"gucci", "gucci", 0}, {"nikee", "nike", 1}, {"kitten", "sitting", 3}, {"", "abc", 3}, {"hermès", "hermes", 1}} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
