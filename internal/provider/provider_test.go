package provider

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// Terraform CLI that acceptance tests drive.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"entrupy": providerserver.NewProtocol6WithError(New("test")()),
}

const testToken = "acc-test-token-7c1e2b"

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
	if os.Getenv("TF_CLI_CONFIG_FILE") == "" {
		mustSetenv("TF_CLI_CONFIG_FILE", os.DevNull) // no user CLI config: no mirrors, no warnings
	}
	os.Exit(m.Run())
}

func mustSetenv(name, value string) {
	if err := os.Setenv(name, value); err != nil {
		panic(err)
	}
}

// testEmulator is one in-process emulator on 127.0.0.1 for one test. It
// records the body of every request that changes something.
type testEmulator struct {
	*emulator.Server
	URL string

	mu      sync.Mutex
	changes []string // "METHOD /path body"
}

func (e *testEmulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		e.mu.Lock()
		e.changes = append(e.changes, r.Method+" "+r.URL.Path+" "+string(b))
		e.mu.Unlock()
	}
	e.Server.ServeHTTP(w, r)
}

// requests returns the recorded changing requests that start with prefix
// (e.g. "PATCH /v2/webhooks/").
func (e *testEmulator) requests(prefix string) []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, c := range e.changes {
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

// client is an API client for arranging and inspecting emulator data.
func (e *testEmulator) client(t *testing.T) *entrupy.Client {
	t.Helper()
	c, err := entrupy.New(entrupy.WithBaseURL(e.URL), entrupy.WithToken(testToken), entrupy.WithRateLimit(0))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newTestEmulator(t *testing.T, opts emulator.Options) *testEmulator {
	t.Helper()
	if opts.Token == "" {
		opts.Token = testToken
	}
	emu, err := emulator.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	te := &testEmulator{Server: emu}
	srv := httptest.NewServer(te) // httptest listens on 127.0.0.1
	t.Cleanup(func() { srv.Close(); emu.Close() })
	te.URL = srv.URL
	return te
}

// providerBlock points the provider at the emulator; extra lines go inside.
func (e *testEmulator) providerBlock(extra ...string) string {
	return fmt.Sprintf(`
provider "entrupy" {
  base_url            = %q
  api_token           = %q
  requests_per_second = 0
  %s
}
`, e.URL, testToken, strings.Join(extra, "\n  "))
}

// configure runs the provider's Configure with the given attributes (the
// rest null) and returns the diagnostics as text.
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
	emu := newTestEmulator(t, emulator.Options{})
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvBaseURL, "")

	cases := []struct {
		name  string
		env   map[string]string
		attrs map[string]tftypes.Value
		want  string // "" = no error
	}{
		{"token from attribute", nil, map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(testToken)}, ""},
		{"token and url from env", map[string]string{EnvAPIToken: testToken, EnvBaseURL: emu.URL}, nil, ""},
		{"missing token", nil, map[string]tftypes.Value{"base_url": str(emu.URL)}, "Missing Entrupy API token: .*api_token.*" + EnvAPIToken},
		{"wrong token", nil, map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str("wrong-secret-token")}, `rejected the API token \(401 Unauthorized\).*api_token attribute`},
		{"wrong token from env", map[string]string{EnvAPIToken: "wrong-secret-token", EnvBaseURL: emu.URL}, nil, `rejected the API token \(401.*` + EnvAPIToken},
		{"plain http from env", map[string]string{EnvAPIToken: testToken, EnvBaseURL: "http://api.example.com"}, nil, "Invalid Entrupy base URL: " + EnvBaseURL + ".*plain http"},
		{"unknown token", nil, map[string]tftypes.Value{"api_token": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, "Unknown Entrupy provider api_token.*" + EnvAPIToken},
		{"unreachable", nil, map[string]tftypes.Value{"base_url": str("http://127.0.0.1:1"), "api_token": str(testToken), "max_retries": tftypes.NewValue(tftypes.Number, 0)}, "Cannot reach the Entrupy API.*127.0.0.1:1"},
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
			if strings.Contains(diags, "wrong-secret-token") || strings.Contains(diags, testToken) {
				t.Fatalf("diagnostics leak the token: %s", diags)
			}
		})
	}
}

// TestAccProvider_wrongToken: a rejected token fails with a diagnostic
// about the 401 (TestConfigure checks the token is not printed).
func TestAccProvider_wrongToken(t *testing.T) {
	emu := newTestEmulator(t, emulator.Options{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:      strings.Replace(emu.providerBlock(), testToken, "not-the-token", 1) + `data "entrupy_authentication" "x" { entrupy_id = "X" }`,
			ExpectError: regexp.MustCompile(`Entrupy rejected the API token \(401 Unauthorized\)`),
		}},
	})
}

// TestConfigureRateLimited: a 429 on the token check is retried past
// max_retries' default (it was not processed), and when it outlasts the
// retries it reads as a rate limit, not as "Cannot reach the Entrupy API";
// a 5xx reads as a failed health check.
func TestConfigureRateLimited(t *testing.T) {
	t.Setenv(EnvAPIToken, "")
	t.Setenv(EnvBaseURL, "")
	emu := newTestEmulator(t, emulator.Options{})
	attrs := map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(testToken)}

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
