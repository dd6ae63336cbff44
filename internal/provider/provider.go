// Package provider is the Terraform provider for Entrupy, built on
// terraform-plugin-framework. It talks to the API only through
// internal/entrupy.
package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ provider.Provider                       = (*EntrupyProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*EntrupyProvider)(nil)
	_ provider.ProviderWithListResources      = (*EntrupyProvider)(nil)
	_ provider.ProviderWithActions            = (*EntrupyProvider)(nil)
)

// EntrupyProvider is the provider; version is set at build time.
type EntrupyProvider struct {
	version string
}

// New returns a constructor for the provider at this version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &EntrupyProvider{version: version} }
}

// providerData is handed to every resource and data source by Configure.
type providerData struct {
	client *entrupy.Client
	// settings are the provider block resolved: api_version and
	// accept_language ("" when unset), and the sources diagnostics name.
	settings providerSettings
	// loopback is true when base_url points at this machine (an emulator):
	// webhook receivers may then be plain http on loopback too.
	loopback bool
	// reported says which failures of the whole run were reported in full
	// (api_errors.go).
	reported reported
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
				MarkdownDescription: "Value of the `Api-Version` header sent with every request: `" + strings.Join(knownAPIVersions, "` or `") + "` (another version is sent as written, with a warning). Unset, v2 routes use their own default (`" + entrupy.DefaultWebhookAPIVersion + "`). The version in force when a webhook is created fixes the payload format of its deliveries, so **setting or changing `api_version` replaces every `entrupy_webhook` that does not set its own `api_version` and was created with another version** (removing it replaces nothing: those webhooks keep theirs).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(apiVersionPattern, "must be a version such as \"1.4\" or \"2\""), apiVersionWarning{}},
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
				MarkdownDescription: fmt.Sprintf("Client-side rate limit shared by every request of this provider instance (default %g, Entrupy's documented limit): `0` turns the limiter off; otherwise from %g to %g.", defaultRequestsPerSecond, minRequestsPerSecond, maxRequestsPerSecond),
				Optional:            true,
				CustomType:          requestsPerSecondType,
			},
			"refresh_from_lists": schema.BoolAttribute{
				MarkdownDescription: "Whether a refresh of many webhooks or integration users reads them from the API's list routes, 25 a request, instead of one `GET` each (default `true`). It starts after the first " + fmt.Sprint(entrupy.ListAfterReads) + " objects of a type in a command and keeps to a budget, so an account holding many objects this configuration does not manage costs about one `GET` per object, as without it. An object missing from the listing is read with its own `GET` before it is removed from state, and nothing read from a listing is kept after the command. Set `false` to read every object with its own `GET`.",
				Optional:            true,
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "Time limit of one HTTP attempt, as a Go duration such as `30s` or `2m` (default `" + durationText(defaultRequestTimeout) + "`). An attempt that times out is retried.",
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
	// A setting known only after apply (from a resource, or a Stacks
	// component's output) cannot configure a client. Where Terraform can
	// defer (Stacks, -allow-deferral), everything this provider would plan
	// waits for a later round in which the setting is known; elsewhere
	// resolveSettings says which setting to make known.
	if unknown := cfg.unknownAttributes(); len(unknown) > 0 && req.ClientCapabilities.DeferralAllowed {
		tflog.Debug(ctx, "Entrupy provider settings unknown at plan: deferring", map[string]any{"unknown": unknown})
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		return
	}
	s, diags := resolveSettings(cfg, os.Getenv)
	resp.Diagnostics.Append(diags...)
	if diags.HasError() {
		return
	}

	client, err := entrupy.New(
		entrupy.WithBaseURL(s.BaseURL),
		entrupy.WithToken(s.Token),
		entrupy.WithAPIVersion(s.APIVersion),
		entrupy.WithAcceptLanguage(s.AcceptLanguage),
		entrupy.WithUserAgent(fmt.Sprintf("terraform-provider-entrupy/%s (+https://registry.terraform.io/providers/entrupy/entrupy) Terraform/%s", p.version, req.TerraformVersion)),
		entrupy.WithRequestTimeout(s.RequestTimeout),
		entrupy.WithRetryPolicy(s.Retry),
		entrupy.WithRateLimit(s.RequestsPerSecond),
		entrupy.WithSharedRateLimit(entrupy.DefaultSharedRateDir()),
		entrupy.WithListReads(s.RefreshFromLists),
		entrupy.WithCreatedBy("terraform-provider-entrupy/"+p.version),
		entrupy.WithLogger(clientLogger(s.Token)),
	)
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the Entrupy client", err.Error())
		return
	}
	// No request here: the first answer of the command proves the token
	// (or refuses it, and every later request fails at once with it), and
	// a plan that would create objects before reading any checks it first
	// (providerData.verify).
	tflog.Debug(ctx, "Entrupy provider configured", map[string]any{"base_url": client.BaseURL(), "requests_per_second": s.RequestsPerSecond, "max_retries": s.MaxRetries()})

	data := &providerData{
		client: client, settings: s, loopback: s.Loopback(),
	}
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// clientLogger writes the client's per-request lines through tflog, with the
// token masked wherever it could appear.
func clientLogger(token string) entrupy.Logger {
	if strings.EqualFold(os.Getenv("TF_LOG_PROVIDER"), "off") {
		return nil // no provider logs asked for (see main.go): skip the masking too
	}
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
		NewWebhookDeliveriesDataSource,
	}
}

func (p *EntrupyProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewSDKAuthorizationEphemeralResource,
	}
}

// ListResources are the list blocks of terraform query (Terraform 1.14+).
func (p *EntrupyProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewWebhookListResource,
		NewIntegrationUserListResource,
	}
}

// Actions are the provider's actions (Terraform 1.14+); an older Terraform
// never asks for them.
func (p *EntrupyProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		NewWebhookTestAction,
	}
}
