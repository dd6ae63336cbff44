package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
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

var badInputs = []badInput{
	// Provider block.
	{name: "provider base_url http", provider: `base_url = "http://api.example.com"`, want: `base_url: "http://api.example.com" uses plain http`},
	{name: "provider base_url scheme", provider: `base_url = "ftp://api.example.com"`, want: `base_url.*scheme "ftp" is not supported`},
	{name: "provider base_url relative", provider: `base_url = "api.example.com"`, want: `base_url: "api.example.com" is not an absolute URL`},
	{name: "provider base_url credentials", provider: `base_url = "https://u:p@api.example.com"`, want: `base_url: the URL must not carry credentials`},
	{name: "provider accept_language", provider: `accept_language = "fr"`, want: `accept_language value must be one of: \["en" "ja"\]`},
	{name: "provider max_retries", provider: `max_retries = 11`, want: `max_retries value must be between 0 and 10`},
	{name: "provider requests_per_second", provider: `requests_per_second = -1`, want: `requests_per_second value must be between 0`},
	{name: "provider request_timeout", provider: `request_timeout = "soon"`, want: `request_timeout: "soon" is not a positive duration`},
	{name: "provider request_timeout zero", provider: `request_timeout = "0s"`, want: `request_timeout: "0s" is not a positive duration`},
	{name: "provider api_version", provider: `api_version = "v2"`, want: `api_version must be a version such as "1.4"`},
	{name: "provider api_token empty", provider: `api_token = ""`, want: `api_token string length must be at least 1`},

	// entrupy_webhook.
	{name: "webhook url http", config: `resource "entrupy_webhook" "x" {
  url = "http://hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: "http://hooks.example.com" must use https://`},
	{name: "webhook url relative", config: `resource "entrupy_webhook" "x" {
  url = "hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: "hooks.example.com" is not an absolute URL`},
	{name: "webhook url credentials", config: `resource "entrupy_webhook" "x" {
  url = "https://a:b@hooks.example.com"
  events = ["session.completed"]
  secret = "s"
}`, want: `url: the URL must not carry credentials`},
	{name: "webhook events empty", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = []
  secret = "s"
}`, want: `events set must contain at least 1 elements`},
	{name: "webhook events unknown", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.started"]
  secret = "s"
}`, want: `events.*value must be one of: \["session.completed" "support.message" "certificate.transfer"\]`},
	{name: "webhook both secrets", config: `resource "entrupy_webhook" "x" {
  ` + okWebhook + `
  secret_wo = "t"
}`, want: `Invalid Attribute Combination.*secret.*secret_wo`},
	{name: "webhook no secret", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
}`, want: `Exactly one of these attributes must be configured: \[secret,secret_wo\]`},
	{name: "webhook secret empty", config: `resource "entrupy_webhook" "x" {
  url = "https://h.example.com"
  events = ["session.completed"]
  secret = ""
}`, want: `secret string length must be at least 1`},
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
}`, want: `username string length must be at least 1`},

	// entrupy_integration_user.
	{name: "user id 7 chars", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "abcdefg"
  email = "a@example.com"
}`, want: `unique_user_id must be 8 to 40 characters`},
	{name: "user id 41 chars", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "` + strings.Repeat("a", 41) + `"
  email = "a@example.com"
}`, want: `unique_user_id must be 8 to 40 characters`},
	{name: "user id space", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "has space"
  email = "a@example.com"
}`, want: `unique_user_id must be 8 to 40 characters.*got: has space`},
	{name: "user email", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "not-an-email"
}`, want: `email must be an email address`},
	{name: "user first_name empty", config: `resource "entrupy_integration_user" "x" {
  unique_user_id = "valid-user-1"
  email = "a@example.com"
  first_name = ""
}`, want: `first_name string length must be at least 1`},

	// Data sources.
	{name: "authentication neither id", config: `data "entrupy_authentication" "x" {}`, want: `Invalid Attribute Combination.*entrupy_id.*customer_item_id`},
	{name: "authentication both ids", config: `data "entrupy_authentication" "x" {
  entrupy_id = "A"
  customer_item_id = "B"
}`, want: `Invalid Attribute Combination`},
	{name: "authentications brand", config: `data "entrupy_authentications" "x" { brands = ["gucci", "rolex"] }`, want: `brands\[1\] value must be one of:.*"hermes".*"essentials"\], got: "rolex"`},
	{name: "authentications result", config: `data "entrupy_authentications" "x" { results = ["fake"] }`, want: `results\[0\] value must be one of:.*"authentic".*"no_match"\], got: "fake"`},
	{name: "authentications category", config: `data "entrupy_authentications" "x" { product_categories = ["watches"] }`, want: `product_categories\[0\] value must be one of: \["luxury" "sneakers" "apparel"\]`},
	{name: "authentications flag", config: `data "entrupy_authentications" "x" { flags = ["escalated"] }`, want: `flags\[0\] value must be one of: \["flagged" "resolved" "none"\]`},
	{name: "authentications none with flag", config: `data "entrupy_authentications" "x" { flags = ["none", "flagged"] }`, want: `Invalid flags.*flags: "none" selects items that were never flagged`},
	{name: "authentications created_after", config: `data "entrupy_authentications" "x" { created_after = "yesterday" }`, want: `created_after: "yesterday" is not an RFC 3339 timestamp`},
	{name: "authentications created_before", config: `data "entrupy_authentications" "x" { created_before = "2026-13-01T00:00:00Z" }`, want: `created_before: "2026-13-01T00:00:00Z" is not an RFC 3339`},
	{name: "authentications empty range", config: `data "entrupy_authentications" "x" {
  created_after = "2026-05-01T00:00:00Z"
  created_before = "2026-04-01T00:00:00Z"
}`, want: `Empty time range.*created_before`},
	{name: "authentications max_items", config: `data "entrupy_authentications" "x" { max_items = 0 }`, want: `max_items value must be between 1 and 100000`},
	{name: "authentications empty list", config: `data "entrupy_authentications" "x" { usernames = [] }`, want: `usernames list must contain at least 1 elements`},
	{name: "certificate neither id", config: `data "entrupy_certificate" "x" {}`, want: `Invalid Attribute Combination.*certificate_id.*entrupy_id`},
	{name: "catalog category", config: `data "entrupy_catalog" "x" { product_category = "watches" }`, want: `product_category value must be one of: \["luxury" "sneakers" "apparel"\]`},
	{name: "webhooks event", config: `data "entrupy_webhooks" "x" { event = "session.started" }`, want: `event value must be one of:`},
	{name: "webhook id empty", config: `data "entrupy_webhook" "x" { id = "" }`, want: `id string length must be at least 1`},
	{name: "integration user id", config: `data "entrupy_integration_user" "x" { unique_user_id = "short" }`, want: `unique_user_id must be 8 to 40 characters`},
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
resource "echo" "x" {}`, want: `unique_user_id must be 8 to 40 characters`},
	{name: "sdk authorization request empty", config: `ephemeral "entrupy_sdk_authorization" "x" {
  sdk_authorization_request = ""
  unique_user_id = "valid-user-1"
  email = "a@example.com"
}
provider "echo" {
  data = ephemeral.entrupy_sdk_authorization.x
}
resource "echo" "x" {}`, want: `sdk_authorization_request string length must be at least 1`},
}

// TestAccBadInput: every validated attribute of the provider block, every
// resource, data source and the ephemeral resource rejects bad values at
// validate/plan time, with a message that names the attribute.
func TestAccBadInput(t *testing.T) {
	if len(badInputs) < 30 {
		t.Fatalf("only %d bad inputs", len(badInputs))
	}
	emu := newTestEmulator(t, emulator.Options{})
	factories := map[string]func() (tfprotov6.ProviderServer, error){
		"entrupy": testAccProtoV6ProviderFactories["entrupy"],
		"echo":    echoprovider.NewProviderServer(),
	}
	for _, tc := range badInputs {
		t.Run(tc.name, func(t *testing.T) {
			config := emu.providerBlock() + tc.config
			if tc.provider != "" {
				token := fmt.Sprintf("api_token = %q", testToken)
				if strings.Contains(tc.provider, "api_token") {
					token = ""
				}
				config = fmt.Sprintf("provider \"entrupy\" {\n  %s\n  %s\n}\ndata \"entrupy_catalog\" \"x\" {}\n", token, tc.provider)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories,
				Steps:                    []resource.TestStep{{Config: config, ExpectError: expectError(tc.want)}},
			})
		})
	}
}
