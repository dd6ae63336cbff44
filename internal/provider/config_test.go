package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// nullProviderModel is a provider block with every attribute left out.
func nullProviderModel() providerModel {
	return providerModel{
		APIToken: types.StringNull(), BaseURL: types.StringNull(), APIVersion: types.StringNull(),
		AcceptLanguage: types.StringNull(), MaxRetries: types.Int64Null(),
		RequestsPerSecond: types.Float64Null(), RequestTimeout: types.StringNull(), RefreshFromLists: types.BoolNull(),
	}
}

// diagLines renders diagnostics as "attribute: summary" lines, in order.
func diagLines(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		where := ""
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			where = wp.Path().String()
		}
		out = append(out, where+": "+d.Summary())
	}
	return out
}

func TestResolveSettings(t *testing.T) {
	const token, envToken = "attr-token", "env-token"
	defaultPolicy := entrupy.DefaultRetryPolicy
	explicit := func(retries int) entrupy.RetryPolicy {
		p := entrupy.DefaultRetryPolicy
		p.MaxAttempts, p.RateLimitBudget = retries+1, 0
		return p
	}
	unknownDiag := func(name string) string { return name + ": Unknown Entrupy provider " + name }

	cases := []struct {
		name  string
		cfg   func(m *providerModel)
		env   map[string]string
		want  providerSettings // compared when diags is empty
		diags []string         // "attribute: summary", in order
	}{
		{
			name: "defaults come from the client",
			cfg:  func(m *providerModel) { m.APIToken = types.StringValue(token) },
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute,
				BaseURL: entrupy.DefaultBaseURL, BaseURLSource: sourceDefault,
				Retry: defaultPolicy, RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "token and base_url from the environment",
			env:  map[string]string{EnvAPIToken: envToken, EnvBaseURL: "http://127.0.0.1:8080"},
			want: providerSettings{
				Token: envToken, TokenSource: sourceTokenEnv,
				BaseURL: "http://127.0.0.1:8080", BaseURLSource: sourceBaseURLEnv,
				Retry: defaultPolicy, RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "attributes win over the environment",
			cfg: func(m *providerModel) {
				m.APIToken, m.BaseURL = types.StringValue(token), types.StringValue("https://proxy.example.com")
			},
			env: map[string]string{EnvAPIToken: envToken, EnvBaseURL: "http://127.0.0.1:8080"},
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute,
				BaseURL: "https://proxy.example.com", BaseURLSource: sourceBaseURLAttr,
				Retry: defaultPolicy, RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "an empty attribute counts as unset",
			cfg:  func(m *providerModel) { m.APIToken, m.BaseURL = types.StringValue(""), types.StringValue("") },
			env:  map[string]string{EnvAPIToken: envToken},
			want: providerSettings{
				Token: envToken, TokenSource: sourceTokenEnv,
				BaseURL: entrupy.DefaultBaseURL, BaseURLSource: sourceDefault,
				Retry: defaultPolicy, RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "every attribute set",
			cfg: func(m *providerModel) {
				m.APIToken, m.BaseURL = types.StringValue(token), types.StringValue("http://localhost:9999/")
				m.APIVersion, m.AcceptLanguage = types.StringValue("1.4"), types.StringValue("ja")
				m.MaxRetries, m.RequestsPerSecond, m.RequestTimeout = types.Int64Value(7), types.Float64Value(2.5), types.StringValue(" 90s ")
				m.RefreshFromLists = types.BoolValue(false)
			},
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute,
				BaseURL: "http://localhost:9999/", BaseURLSource: sourceBaseURLAttr,
				APIVersion: "1.4", AcceptLanguage: "ja",
				Retry: explicit(7), RequestsPerSecond: 2.5, RequestTimeout: 90 * time.Second, RefreshFromLists: false,
			},
		},
		{
			name: "explicit max_retries equal to the default still turns the 429 budget off",
			cfg: func(m *providerModel) {
				m.APIToken, m.MaxRetries = types.StringValue(token), types.Int64Value(defaultMaxRetries)
			},
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute, BaseURL: entrupy.DefaultBaseURL, BaseURLSource: sourceDefault,
				Retry: explicit(int(defaultMaxRetries)), RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "max_retries 0 and requests_per_second 0",
			cfg: func(m *providerModel) {
				m.APIToken, m.MaxRetries, m.RequestsPerSecond = types.StringValue(token), types.Int64Value(0), types.Float64Value(0)
			},
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute, BaseURL: entrupy.DefaultBaseURL, BaseURLSource: sourceDefault,
				Retry: explicit(0), RequestsPerSecond: 0, RequestTimeout: entrupy.DefaultRequestTimeout, RefreshFromLists: true,
			},
		},
		{
			name: "request_timeout in minutes",
			cfg: func(m *providerModel) {
				m.APIToken, m.RequestTimeout = types.StringValue(token), types.StringValue("2m")
			},
			want: providerSettings{
				Token: token, TokenSource: sourceTokenAttribute, BaseURL: entrupy.DefaultBaseURL, BaseURLSource: sourceDefault,
				Retry: defaultPolicy, RequestsPerSecond: entrupy.DefaultRequestsPerSecond, RequestTimeout: 2 * time.Minute, RefreshFromLists: true,
			},
		},
		{
			name:  "missing token",
			diags: []string{"api_token: Missing Entrupy API token"},
		},
		{
			name:  "plain http base URL from the environment",
			cfg:   func(m *providerModel) { m.APIToken = types.StringValue(token) },
			env:   map[string]string{EnvBaseURL: "http://api.example.com"},
			diags: []string{"base_url: Invalid Entrupy base URL"},
		},
		{
			name: "every error at once, in schema order",
			cfg: func(m *providerModel) {
				m.BaseURL, m.MaxRetries, m.RequestsPerSecond, m.RequestTimeout = types.StringValue("ftp://x"), types.Int64Value(11), types.Float64Value(0.01), types.StringValue("soon")
			},
			diags: []string{"api_token: Missing Entrupy API token", "base_url: Invalid Entrupy base URL", "max_retries: Invalid Attribute Value", "requests_per_second: Invalid Attribute Value", "request_timeout: Invalid duration"},
		},
		{
			name: "zero request_timeout",
			cfg: func(m *providerModel) {
				m.APIToken, m.RequestTimeout = types.StringValue(token), types.StringValue("0s")
			},
			diags: []string{"request_timeout: Invalid duration"},
		},
		{
			name: "several unknown values, in schema order, and nothing else",
			cfg: func(m *providerModel) {
				m.RequestTimeout, m.BaseURL, m.APIToken = types.StringUnknown(), types.StringUnknown(), types.StringUnknown()
				m.MaxRetries = types.Int64Value(99) // would be an error, but unknowns stop resolution
			},
			diags: []string{unknownDiag("api_token"), unknownDiag("base_url"), unknownDiag("request_timeout")},
		},
		{
			name: "every value unknown",
			cfg: func(m *providerModel) {
				*m = providerModel{
					APIToken: types.StringUnknown(), BaseURL: types.StringUnknown(), APIVersion: types.StringUnknown(),
					AcceptLanguage: types.StringUnknown(), MaxRetries: types.Int64Unknown(),
					RequestsPerSecond: types.Float64Unknown(), RequestTimeout: types.StringUnknown(), RefreshFromLists: types.BoolUnknown(),
				}
			},
			diags: []string{
				unknownDiag("api_token"), unknownDiag("base_url"), unknownDiag("api_version"), unknownDiag("accept_language"),
				unknownDiag("max_retries"), unknownDiag("requests_per_second"), unknownDiag("request_timeout"), unknownDiag("refresh_from_lists"),
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := nullProviderModel()
			if tc.cfg != nil {
				tc.cfg(&m)
			}
			getenv := func(name string) string { return tc.env[name] }
			// The same input gives the same output: run twice.
			for range 2 {
				got, diags := resolveSettings(m, getenv)
				if lines := diagLines(diags); !slices.Equal(lines, tc.diags) {
					t.Fatalf("diagnostics\n  %q\nwant\n  %q", lines, tc.diags)
				}
				if len(tc.diags) == 0 && got != tc.want {
					t.Fatalf("settings\n  %+v\nwant\n  %+v", got, tc.want)
				}
			}
		})
	}
}

// TestResolveSettingsDetails: the texts that tell the user what to do.
func TestResolveSettingsDetails(t *testing.T) {
	m := nullProviderModel()
	m.APIToken = types.StringUnknown()
	_, diags := resolveSettings(m, func(string) string { return "" })
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), "leave it out and set "+EnvAPIToken) {
		t.Fatalf("unknown api_token: %v", diags)
	}

	m = nullProviderModel()
	m.APIToken = types.StringValue("t")
	_, diags = resolveSettings(m, func(n string) string { return map[string]string{EnvBaseURL: "https://u:p@api.example.com"}[n] })
	if len(diags) != 1 || diags[0].Detail() != EnvBaseURL+": the URL must not carry credentials; use api_token" {
		t.Fatalf("base URL with credentials: %v", diags)
	}

	m.BaseURL = types.StringValue("api.example.com")
	_, diags = resolveSettings(m, func(string) string { return "" })
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail(), `base_url: "api.example.com" is not an absolute URL`) {
		t.Fatalf("relative base URL: %v", diags)
	}

	m.BaseURL, m.RequestTimeout = types.StringNull(), types.StringValue("soon")
	_, diags = resolveSettings(m, func(string) string { return "" })
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail(), `request_timeout: "soon" is not a positive duration`) {
		t.Fatalf("bad request_timeout: %v", diags)
	}
}

// TestResolveSettingsDefaultsDocumented: the schema states the defaults the
// resolver applies, both taken from the client.
func TestResolveSettingsDefaultsDocumented(t *testing.T) {
	if defaultMaxRetries != int64(entrupy.DefaultRetryPolicy.MaxAttempts-1) || defaultRequestTimeout != entrupy.DefaultRequestTimeout || defaultRequestsPerSecond != entrupy.DefaultRequestsPerSecond {
		t.Fatal("the provider's defaults are not the client's")
	}
	var resp provider.SchemaResponse
	New("test")().Schema(context.Background(), provider.SchemaRequest{}, &resp)
	desc := func(name string) string {
		a, ok := resp.Schema.Attributes[name]
		if !ok {
			t.Fatalf("no attribute %s", name)
		}
		return a.GetMarkdownDescription()
	}
	for name, want := range map[string]string{
		"max_retries":         fmt.Sprintf("default %d)", entrupy.DefaultRetryPolicy.MaxAttempts-1),
		"request_timeout":     "(default `" + durationText(entrupy.DefaultRequestTimeout) + "`)",
		"requests_per_second": fmt.Sprintf("(default %g,", entrupy.DefaultRequestsPerSecond),
	} {
		if !strings.Contains(desc(name), want) {
			t.Errorf("%s's description %q does not say %q", name, desc(name), want)
		}
	}
	for d, want := range map[time.Duration]string{60 * time.Second: "60s", 90 * time.Second: "90s", 1500 * time.Millisecond: "1.5s"} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
	// The provider block's types accept what the resolver accepts.
	if requestsPerSecondType.min != minRequestsPerSecond || requestsPerSecondType.max != maxRequestsPerSecond {
		t.Fatal("requests_per_second's type and the resolver disagree")
	}
	if got := (providerSettings{Retry: entrupy.DefaultRetryPolicy}).MaxRetries(); int64(got) != defaultMaxRetries {
		t.Fatalf("MaxRetries() = %d, want %d", got, defaultMaxRetries)
	}
}

// TestAPIVersionWarning: the provider's api_version, validated as Terraform
// validates a provider block (terraform validate, and again before
// Configure), warns about a version the provider does not know, naming the
// attribute and the known versions, and still accepts it.
func TestAPIVersionWarning(t *testing.T) {
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	sresp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || sresp.Provider == nil {
		t.Fatalf("provider schema: %v %v", err, sresp.Diagnostics)
	}
	typ, ok := sresp.Provider.ValueType().(tftypes.Object)
	if !ok {
		t.Fatal("the provider schema is not an object")
	}
	validate := func(version *string) []*tfprotov6.Diagnostic {
		t.Helper()
		vals := map[string]tftypes.Value{}
		for name, at := range typ.AttributeTypes {
			vals[name] = tftypes.NewValue(at, nil)
		}
		if version != nil {
			vals["api_version"] = tftypes.NewValue(tftypes.String, *version)
		}
		dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := server.ValidateProviderConfig(ctx, &tfprotov6.ValidateProviderConfigRequest{Config: &dv})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Diagnostics
	}
	for _, v := range []string{"3", "2.0", "1.3"} {
		diags := validate(&v)
		want := fmt.Sprintf(`api_version %q is not an API version this provider knows: it knows "1.4" or "2". It is sent as the Api-Version header as written, and Entrupy may reject it or answer in a format this provider does not read. `+
			`The version in force when a webhook is created fixes the payload format of its deliveries for good. Use "1.4" or "2" unless Entrupy asked you to use %q.`, v, v)
		if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || diags[0].Summary != "Unknown Entrupy API version" ||
			diags[0].Detail != want || diags[0].Attribute == nil || !diags[0].Attribute.Equal(tftypes.NewAttributePath().WithAttributeName("api_version")) {
			for _, d := range diags {
				t.Logf("%s %v: %s: %s", d.Severity, d.Attribute, d.Summary, d.Detail)
			}
			t.Fatalf("api_version %q: want one warning on api_version reading\n%s", v, want)
		}
	}
	for _, v := range knownAPIVersions {
		if diags := validate(&v); len(diags) != 0 {
			t.Errorf("api_version %q: %v", v, diags)
		}
	}
	if diags := validate(nil); len(diags) != 0 {
		t.Errorf("api_version unset: %v", diags)
	}
	// A malformed version is the pattern's error alone.
	v := "v3"
	if diags := validate(&v); len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Errorf("api_version %q: %v", v, diags)
	}
}
