package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// Terraform CLI that acceptance tests drive.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"entrupy": providerserver.NewProtocol6WithError(New("test")()),
}

// TestMain makes acceptance tests use a local Terraform binary: never let
// terraform-plugin-testing download one.
func TestMain(m *testing.M) {
	if os.Getenv("TF_ACC") != "" && os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		bin, err := exec.LookPath("terraform")
		if err != nil {
			fmt.Fprintln(os.Stderr, "acceptance tests need a Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH (nothing will be downloaded)")
			os.Exit(1)
		}
		mustSetenv("TF_ACC_TERRAFORM_PATH", bin)
	}
	mustSetenv("CHECKPOINT_DISABLE", "1")
	// No user CLI configuration: no mirrors, no warnings. A file named but
	// missing counts as none (OpenTofu warns about it on standard output,
	// before the JSON of `tofu version -json`).
	if rc := os.Getenv("TF_CLI_CONFIG_FILE"); rc == "" || !fileExists(rc) {
		mustSetenv("TF_CLI_CONFIG_FILE", os.DevNull)
	}
	os.Exit(m.Run())
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

func mustSetenv(name, value string) {
	if err := os.Setenv(name, value); err != nil {
		panic(err)
	}
}

// providerBlock points the provider at the emulator; extra lines go inside.
func providerBlock(e *testsupport.Emulator, extra ...string) string {
	return fmt.Sprintf(`
provider "entrupy" {
  base_url            = %q
  api_token           = %q
  requests_per_second = 0
  %s
}
`, e.URL, e.Token, strings.Join(extra, "\n  "))
}

// configure runs the provider's Configure with the given attributes (the
// rest null), then the token check a plan that creates objects makes
// (providerData.verify), and returns the diagnostics as text.
func configure(t *testing.T, attrs map[string]tftypes.Value) (string, bool) {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	req := provider.ConfigureRequest{TerraformVersion: "1.11.4", Config: tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}}
	var resp provider.ConfigureResponse
	p.Configure(ctx, req, &resp)
	if data, ok := resp.ResourceData.(*providerData); ok && !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(data.verify(ctx)...)
	}
	var b strings.Builder
	for _, d := range resp.Diagnostics {
		fmt.Fprintf(&b, "%s: %s\n", d.Summary(), d.Detail())
	}
	return b.String(), resp.Diagnostics.HasError()
}

// expectError matches a diagnostic that Terraform may have wrapped across
// lines: every space in pattern matches any run of white space.
func expectError(pattern string) *regexp.Regexp {
	return regexp.MustCompile("(?s)" + strings.ReplaceAll(pattern, " ", `\s+`))
}

func str(v string) tftypes.Value { return tftypes.NewValue(tftypes.String, v) }

// These tests change environment variables, so they do not run in parallel.
func TestConfigure(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvBaseURL, "")

	cases := []struct {
		name  string
		env   map[string]string
		attrs map[string]tftypes.Value
		want  string // "" = no error
	}{
		{"token from attribute", nil, map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(testsupport.Token)}, ""},
		{"token and url from env", map[string]string{EnvAPIToken: testsupport.Token, EnvBaseURL: emu.URL}, nil, ""},
		{"missing token", nil, map[string]tftypes.Value{"base_url": str(emu.URL)}, "Missing Entrupy API token: .*api_token.*" + EnvAPIToken},
		{"wrong token", nil, map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str("wrong-secret-token")}, `rejected the API token \(401 Unauthorized\).*api_token attribute`},
		{"wrong token from env", map[string]string{EnvAPIToken: "wrong-secret-token", EnvBaseURL: emu.URL}, nil, `rejected the API token \(401.*` + EnvAPIToken},
		{"plain http from env", map[string]string{EnvAPIToken: testsupport.Token, EnvBaseURL: "http://api.example.com"}, nil, "Invalid Entrupy base URL: " + EnvBaseURL + ".*plain http"},
		{"unknown token", nil, map[string]tftypes.Value{"api_token": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, "Unknown Entrupy provider api_token.*" + EnvAPIToken},
		{"unreachable", nil, map[string]tftypes.Value{"base_url": str("http://127.0.0.1:1"), "api_token": str(testsupport.Token), "max_retries": tftypes.NewValue(tftypes.Number, 0)}, "Cannot reach the Entrupy API.*127.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			diags, failed := configure(t, tc.attrs)
			if tc.want == "" {
				if failed {
					t.Fatalf("unexpected error: %s", diags)
				}
				return
			}
			if !failed || !regexp.MustCompile("(?s)"+tc.want).MatchString(diags) {
				t.Fatalf("diagnostics %q do not match %q", diags, tc.want)
			}
			if strings.Contains(diags, "wrong-secret-token") || strings.Contains(diags, testsupport.Token) {
				t.Fatalf("diagnostics leak the token: %s", diags)
			}
		})
	}
}

// TestAccProvider_wrongToken: a rejected token fails with a diagnostic
// about the 401 (TestConfigure checks the token is not printed).
func TestAccProvider_wrongToken(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      strings.Replace(providerBlock(emu), testsupport.Token, "not-the-token", 1) + `data "entrupy_authentication" "x" { entrupy_id = "X" }`,
			ExpectError: regexp.MustCompile(`Entrupy rejected the API token \(401 Unauthorized\)`),
		}},
	})
}

// TestAccProvider_tokenCheckRequests: configuring the provider sends
// nothing; a refresh proves the token with its own answers (no health
// request); a plan that only creates checks the token once before it plans,
// so a wrong token fails the plan with the token message, creates nothing,
// does not print the token, and sends no request after the 401.
func TestAccProvider_tokenCheckRequests(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	hook := `
  url    = "https://hooks.example.com/token-check"
  events = ["session.completed"]
  secret = "s3cret-value-1"`
	cfg := webhookConfig(emu, hook)
	wrong := strings.Replace(cfg, testsupport.Token, "wrong-secret-token", 1) + `
resource "entrupy_integration_user" "more" {
  unique_user_id = "token-check-user"
  email          = "t@example.com"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig:   emu.ResetCounts,
				Config:      wrong,
				ExpectError: expectError(`Entrupy rejected the API token \(401 Unauthorized\)`),
			},
			{
				PreConfig: func() {
					if n := emu.Count("GET /v1/health"); n != 1 {
						t.Errorf("a create-only plan with a wrong token sent %d health requests, want 1", n)
					}
					if n := emu.Count("POST /v2/webhooks") + emu.Count("POST /v2/integrations/users"); n != 0 {
						t.Errorf("a wrong token created %d objects", n)
					}
					if total := len(emu.Counts()); total != 1 {
						t.Errorf("requests after the 401: %v", emu.Counts())
					}
				},
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply(),
			},
			{
				PreConfig:    emu.ResetCounts,
				RefreshState: true,
				Check: func(*terraform.State) error {
					if n := emu.Count("GET /v1/health"); n != 0 {
						return fmt.Errorf("a refresh sent %d health requests, want 0: %v", n, emu.Counts())
					}
					if n := emu.Count("GET /v2/webhooks/{id}"); n != 1 {
						return fmt.Errorf("a refresh of one webhook sent %d GETs, want 1: %v", n, emu.Counts())
					}
					return nil
				},
			},
		},
	})
}

// TestConfigureRateLimited: a 429 on the token check is retried past
// max_retries' default (it was not processed), and when it outlasts the
// retries it reads as a rate limit, not as "Cannot reach the Entrupy API";
// a 5xx reads as a failed health check.
func TestConfigureRateLimited(t *testing.T) {
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvBaseURL, "")
	emu := testsupport.StartEmulator(t, emulator.Options{})
	attrs := map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(testsupport.Token)}

	// Defaults: five 429s in a row (more than the default four retries) still configure.
	emu.FailNext("GET /v1/health", emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429, emulator.Fail429)
	if diags, failed := configure(t, attrs); failed {
		t.Fatalf("five 429s then an answer: %s", diags)
	}
	if got := emu.Count("GET /v1/health"); got != 6 {
		t.Fatalf("%d health requests, want 6", got)
	}

	attrs["max_retries"] = tftypes.NewValue(tftypes.Number, 0)
	emu.FailNext("GET /v1/health", emulator.Fail429)
	diags, failed := configure(t, attrs)
	if !failed || !expectError(`Entrupy API rate limit: .*429 Too Many Requests`).MatchString(diags) || strings.Contains(diags, "Cannot reach") {
		t.Fatalf("a 429 with max_retries = 0: %s", diags)
	}
	emu.FailNext("GET /v1/health", emulator.Fail500Before)
	diags, failed = configure(t, attrs)
	if !failed || !strings.Contains(diags, "Entrupy API health check failed") || strings.Contains(diags, "Cannot reach") {
		t.Fatalf("a 500 with max_retries = 0: %s", diags)
	}
}
