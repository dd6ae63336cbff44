// Package provider is the Terraform provider for Entrupy, built on
// terraform-plugin-framework. It talks to the API only through
// internal/entrupy.
package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Environment variables read when the provider block leaves an attribute out.
const (
	EnvAPIToken = "ENTRUPY_API_TOKEN"
	EnvBaseURL  = "ENTRUPY_BASE_URL"
)

// Defaults of the provider block.
const (
	defaultMaxRetries     = 4
	defaultRequestTimeout = "60s"
)

var (
	_ provider.Provider                       = (*EntrupyProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*EntrupyProvider)(nil)
)

// EntrupyProvider is the provider; version is set at build time.
type EntrupyProvider struct {
	version string
}

// New returns a constructor for the provider at this version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &EntrupyProvider{version: version} }
}

type providerModel struct {
	APIToken          types.String  `tfsdk:"api_token"`
	BaseURL           types.String  `tfsdk:"base_url"`
	APIVersion        types.String  `tfsdk:"api_version"`
	AcceptLanguage    types.String  `tfsdk:"accept_language"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
}

// providerData is handed to every resource and data source by Configure.
type providerData struct {
	client *entrupy.Client
	// loopback is true when base_url points at this machine (an emulator):
	// webhook receivers may then be plain http on loopback too.
	loopback bool
	// apiVersion is the provider's api_version ("" when unset).
	apiVersion string
	// acceptLanguage is the provider's accept_language ("" when unset).
	acceptLanguage string
	// book notes the webhooks and users this configuration's state records.
	book *recordBook
}

func (p *EntrupyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "entrupy"
	resp.Version = p.version
}

var apiVersionPattern = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

func (p *EntrupyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage an [Entrupy](https://www.entrupy.com) integration as code: webhook subscriptions, SDK integration users, and reads of authentications, certificates and the value catalogue.",
		Attributes: map[string]schema.Attribute{
			"api_token": schema.StringAttribute{
				MarkdownDescription: "Entrupy API token, sent as `Authorization: Token <token>`. May also be set with the `" + EnvAPIToken + "` environment variable, which keeps it out of configuration files.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Root URL of the Entrupy API. Defaults to `" + entrupy.DefaultBaseURL + "`, or the `" + EnvBaseURL + "` environment variable. Must be `https://`, except for a loopback address (`http://127.0.0.1:PORT`, `http://localhost:PORT`) such as the local emulator.",
				Optional:            true,
				Validators:          []validator.String{baseURLValidator()},
			},
			"api_version": schema.StringAttribute{
				MarkdownDescription: "Value of the `Api-Version` header sent with every request, e.g. `1.4` or `2`. Unset, v2 routes use their own default. The version in force when a webhook is created fixes the payload format of its deliveries.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(apiVersionPattern, "must be a version such as \"1.4\" or \"2\"")},
			},
			"accept_language": schema.StringAttribute{
				MarkdownDescription: "Language of the `display` strings the API returns: `en` (default) or `ja`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("en", "ja")},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a 429, a 5xx or a network error (a whole number from 0 to %d, default %d). Waits back off exponentially with jitter, and a 429's `Retry-After` is honoured. Creates are retried with the same `Idempotency-Key`, so they are never made twice.", maxMaxRetries, defaultMaxRetries),
				Optional:            true,
				CustomType:          wholeNumber(0, maxMaxRetries),
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Client-side rate limit shared by every request of this provider instance (default %g, Entrupy's documented limit): `0` turns the limiter off; otherwise from %g to %g.", entrupy.DefaultRequestsPerSecond, minRequestsPerSecond, maxRequestsPerSecond),
				Optional:            true,
				CustomType:          requestsPerSecondType,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP attempt, as a Go duration such as `30s` or `2m` (default `" + defaultRequestTimeout + "`). An attempt that times out is retried.",
				Optional:            true,
				Validators:          []validator.String{durationValidator()},
			},
		},
	}
}

func (p *EntrupyProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	unknown := map[string]bool{
		"api_token": cfg.APIToken.IsUnknown(), "base_url": cfg.BaseURL.IsUnknown(), "api_version": cfg.APIVersion.IsUnknown(),
		"accept_language": cfg.AcceptLanguage.IsUnknown(), "max_retries": cfg.MaxRetries.IsUnknown(),
		"requests_per_second": cfg.RequestsPerSecond.IsUnknown(), "request_timeout": cfg.RequestTimeout.IsUnknown(),
	}
	for name, isUnknown := range unknown {
		if isUnknown {
			resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown Entrupy provider "+name,
				"The provider cannot be configured with a value that is only known after apply. Set "+name+" to a literal, a variable or a value known at plan time"+envHint(name)+".")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	token, tokenSource := cfg.APIToken.ValueString(), "the api_token attribute"
	if token == "" {
		token, tokenSource = os.Getenv(EnvAPIToken), "the "+EnvAPIToken+" environment variable"
	}
	if token == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Missing Entrupy API token",
			"The provider needs an Entrupy API token. Set api_token in the provider block or the "+EnvAPIToken+" environment variable.")
		return
	}
	baseURL, baseSource := cfg.BaseURL.ValueString(), "base_url"
	if baseURL == "" {
		baseURL, baseSource = os.Getenv(EnvBaseURL), EnvBaseURL
	}
	if baseURL == "" {
		baseURL = entrupy.DefaultBaseURL
	}
	if err := checkBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid Entrupy base URL", baseSource+": "+err.Error())
		return
	}
	timeout, _ := time.ParseDuration(defaultRequestTimeout)
	if !cfg.RequestTimeout.IsNull() {
		timeout, _ = time.ParseDuration(strings.TrimSpace(cfg.RequestTimeout.ValueString())) // validated
	}
	retries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		retries = cfg.MaxRetries.ValueInt64()
	}
	rps := entrupy.DefaultRequestsPerSecond
	if !cfg.RequestsPerSecond.IsNull() {
		rps = cfg.RequestsPerSecond.ValueFloat64()
	}
	// An explicit max_retries counts 429s too; by default 429s are retried
	// within the policy's time budget (they were not processed).
	policy := entrupy.DefaultRetryPolicy
	policy.MaxAttempts = int(retries) + 1
	if !cfg.MaxRetries.IsNull() {
		policy.RateLimitBudget = 0
	}

	fingerprint := configFingerprint()
	book := newRecordBook(fingerprint, baseURL, token)
	client, err := entrupy.New(
		entrupy.WithBaseURL(baseURL),
		entrupy.WithToken(token),
		entrupy.WithAPIVersion(cfg.APIVersion.ValueString()),
		entrupy.WithAcceptLanguage(cfg.AcceptLanguage.ValueString()),
		entrupy.WithUserAgent(fmt.Sprintf("terraform-provider-entrupy/%s (+https://registry.terraform.io/providers/entrupy/entrupy) Terraform/%s", p.version, req.TerraformVersion)),
		entrupy.WithRequestTimeout(timeout),
		entrupy.WithRetryPolicy(policy),
		entrupy.WithRateLimit(rps),
		entrupy.WithSharedRateLimit(entrupy.DefaultSharedRateDir()),
		entrupy.WithCreateMarker(entrupy.CreateMarker{Value: fingerprint, Recorded: book.recorded}),
		entrupy.WithLogger(clientLogger(token)),
	)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the Entrupy client", err.Error())
		return
	}

	// One cheap call proves the URL and the token before any plan is made.
	if err := client.Health.Check(ctx); err != nil {
		if entrupy.IsUnauthorized(err) {
			resp.Diagnostics.AddAttributeError(path.Root("api_token"), "Entrupy rejected the API token (401 Unauthorized)",
				fmt.Sprintf("The Entrupy API at %s answered 401 Unauthorized: the token from %s was rejected. Check that it is a current API token of your Entrupy account (tokens are account-specific and can be revoked).", client.BaseURL(), tokenSource))
			return
		}
		if entrupy.IsRateLimited(err) {
			resp.Diagnostics.AddError("Entrupy API rate limit",
				fmt.Sprintf("The token check against %s kept getting 429 Too Many Requests after retries: other runs on this token are using Entrupy's whole rate limit. Run again when they are done or lower their parallelism; leave max_retries unset so that 429s are retried for up to ten minutes.\n\n%v", client.BaseURL(), err))
			return
		}
		if _, isAPI := entrupy.AsAPIError(err); isAPI {
			resp.Diagnostics.AddError("Entrupy API health check failed",
				fmt.Sprintf("The health check against %s (from %s) was answered with an error after retries: %v", client.BaseURL(), baseSourceOrDefault(cfg, baseSource), err))
			return
		}
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Cannot reach the Entrupy API",
			fmt.Sprintf("The health check against %s (from %s) failed: %v", client.BaseURL(), baseSourceOrDefault(cfg, baseSource), err))
		return
	}
	tflog.Debug(ctx, "Entrupy provider configured", map[string]any{"base_url": client.BaseURL(), "requests_per_second": rps, "max_retries": retries})

	data := &providerData{client: client, book: book, loopback: isLoopbackURL(baseURL), apiVersion: cfg.APIVersion.ValueString(), acceptLanguage: cfg.AcceptLanguage.ValueString()}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
}

func baseSourceOrDefault(cfg providerModel, src string) string {
	if cfg.BaseURL.IsNull() && os.Getenv(EnvBaseURL) == "" {
		return "the default"
	}
	return src
}

func envHint(attr string) string {
	switch attr {
	case "api_token":
		return ", or leave it out and set " + EnvAPIToken
	case "base_url":
		return ", or leave it out and set " + EnvBaseURL
	}
	return ""
}

// clientLogger writes the client's per-request lines through tflog, with the
// token masked wherever it could appear.
func clientLogger(token string) entrupy.Logger {
	return func(ctx context.Context, msg string, fields map[string]any) {
		ctx = tflog.MaskAllFieldValuesStrings(ctx, token)
		ctx = tflog.MaskMessageStrings(ctx, token)
		tflog.Debug(ctx, msg, fields)
	}
}

func (p *EntrupyProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewWebhookResource,
		NewIntegrationUserResource,
	}
}

func (p *EntrupyProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewAuthenticationDataSource,
		NewWebhookDataSource,
		NewWebhooksDataSource,
		NewIntegrationUserDataSource,
		NewIntegrationUsersDataSource,
		NewAuthenticationsDataSource,
		NewCertificateDataSource,
		NewCatalogDataSource,
	}
}

func (p *EntrupyProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewSDKAuthorizationEphemeralResource,
	}
}

// checkBaseURL accepts https URLs, and http only on loopback.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL such as %s", raw, entrupy.DefaultBaseURL)
	}
	if u.User != nil {
		return fmt.Errorf("the URL must not carry credentials; use api_token")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopbackURL(raw):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("%q uses plain http; the API token would travel unencrypted. Use https, or a loopback address (127.0.0.1, localhost) for the local emulator", raw)
	}
	return fmt.Errorf("%q: scheme %q is not supported; use https", raw, u.Scheme)
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return entrupy.IsLoopbackHost(u.Hostname())
}
