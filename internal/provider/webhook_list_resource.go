package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ list.ListResource              = (*webhookListResource)(nil)
	_ list.ListResourceWithConfigure = (*webhookListResource)(nil)
)

// NewWebhookListResource is the entrupy_webhook list resource (terraform
// query, Terraform 1.14+).
func NewWebhookListResource() list.ListResource { return &webhookListResource{} }

type webhookListResource struct{ data *providerData }

// webhookListModel is the configuration of a list "entrupy_webhook" block.
type webhookListModel struct {
	Events    types.List   `tfsdk:"events"`
	Username  types.String `tfsdk:"username"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	URLPrefix types.String `tfsdk:"url_prefix"`
}

func (r *webhookListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	events := strings.Join(entrupy.WebhookEvents, "`, `")
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's webhooks (every page of `GET /v2/webhooks`) for `terraform query` (Terraform 1.14+), to import them with the identities it returns or to generate their configuration with `terraform query -generate-config-out`. " +
			"Every filter that is set must match; with none, every webhook is listed. The signing secret is never listed (the API does not return it), so generated configuration leaves it unmanaged.",
		Attributes: map[string]schema.Attribute{
			"events": schema.ListAttribute{
				MarkdownDescription: "Only webhooks that deliver at least one of these events (`" + events + "`, or events Entrupy added since, with a warning).",
				Optional:            true,
				ElementType:         types.StringType,
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), noNullElements{}, webhookEventsValidator()},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Only webhooks scoped to the integration user with this Entrupy username (`<Organization>-<unique_user_id>`, as `entrupy_integration_user.username`).",
				Optional:            true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxUsernameLength)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Only enabled (`true`) or only paused (`false`) webhooks.",
				Optional:            true,
			},
			"url_prefix": schema.StringAttribute{
				MarkdownDescription: "Only webhooks whose `url` begins with this text, exactly as written (case-sensitive), e.g. `https://hooks.example.com/`. It must begin with `https://` or `http://`.",
				Optional:            true,
				Validators:          []validator.String{urlPrefixValidator()},
			},
		},
	}
}

// urlPrefixValidator checks a url_prefix filter: the start of a URL,
// scheme included, so that a bare host name is caught at validate time
// instead of silently matching nothing.
func urlPrefixValidator() validator.String {
	return stringCheck{"Invalid URL prefix", "must begin with https:// or http://", func(v string) error {
		if l := strings.ToLower(v); !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
			return fmt.Errorf("%q must begin with https:// or http://, as webhook URLs do (for example https://hooks.example.com/)", v)
		}
		return nil
	}}
}

func (r *webhookListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// webhookFilter is a list block's filters; nil and empty mean "any".
type webhookFilter struct {
	events    []string
	username  *string
	enabled   *bool
	urlPrefix string
}

// newWebhookFilter reads the filters of a list block. Values Terraform
// does not know yet are an error: a query cannot list against them.
func newWebhookFilter(ctx context.Context, cfg webhookListModel) (webhookFilter, diag.Diagnostics) {
	var f webhookFilter
	diags := unknownFilterErrors("entrupy_webhook", map[string]attr.Value{"events": cfg.Events, "username": cfg.Username, "enabled": cfg.Enabled, "url_prefix": cfg.URLPrefix})
	if diags.HasError() {
		return f, diags
	}
	if !cfg.Events.IsNull() {
		diags.Append(cfg.Events.ElementsAs(ctx, &f.events, false)...)
	}
	f.username = cfg.Username.ValueStringPointer()
	f.enabled = cfg.Enabled.ValueBoolPointer()
	f.urlPrefix = cfg.URLPrefix.ValueString()
	return f, diags
}

// matches reports whether wh passes every filter that is set.
func (f webhookFilter) matches(wh *entrupy.Webhook) bool {
	if len(f.events) > 0 && !slices.ContainsFunc(wh.Events, func(e string) bool { return slices.Contains(f.events, e) }) {
		return false
	}
	if f.username != nil && (wh.Username == nil || *wh.Username != *f.username) {
		return false
	}
	if f.enabled != nil && wh.Enabled != *f.enabled {
		return false
	}
	return strings.HasPrefix(wh.URL, f.urlPrefix)
}

// List streams the webhooks that match the block's filters, page by page,
// up to req.Limit; it stops when Terraform stops reading.
func (r *webhookListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg webhookListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	filter, diags := newWebhookFilter(ctx, cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.data == nil {
		stream.Results = list.ListResultsStreamDiagnostics(notConfiguredForList("entrupy_webhook"))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		streamPages(ctx, r.data, req.Limit, r.data.client.Webhooks.List, "webhooks",
			func(wh *entrupy.Webhook) bool { return filter.matches(wh) },
			func(wh *entrupy.Webhook) list.ListResult { return webhookListResult(ctx, req, wh) },
			push)
	}
}

// webhookListResult is one listed webhook: its identity, a display name
// and, when asked for, the resource state a read would give an imported
// webhook (no secret: it stays unmanaged).
func webhookListResult(ctx context.Context, req list.ListRequest, wh *entrupy.Webhook) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = webhookDisplayName(wh)
	result.Diagnostics.Append(result.Identity.Set(ctx, webhookIdentityModel{ID: types.StringValue(wh.ID)})...)
	if req.IncludeResource {
		model, diags := flattenWebhookResource(ctx, wh, webhookResourceModel{})
		result.Diagnostics.Append(diags...)
		warnUnreadWebhooks(&result.Diagnostics, *wh)
		result.Diagnostics.Append(result.Resource.Set(ctx, model)...)
	}
	return result
}

// unknownFilterErrors is an error for each filter of a typeName list block
// that Terraform does not know yet: a query cannot list against them.
func unknownFilterErrors(typeName string, filters map[string]attr.Value) diag.Diagnostics {
	var diags diag.Diagnostics
	for name, v := range filters {
		if v.IsUnknown() {
			diags.AddAttributeError(path.Root(name), "Unknown filter", fmt.Sprintf("The %s filter of the %s list block is not known yet; a list block's filters must be known when terraform query runs (use literals, variables or locals).", name, typeName))
		}
	}
	return diags
}

// notConfiguredForList is the error of a list block run before the
// provider was configured.
func notConfiguredForList(typeName string) diag.Diagnostics {
	var diags diag.Diagnostics
	diags.AddError("Provider not configured", "The "+typeName+" list block needs the provider's API access, but the provider was not configured. Check the provider block of the query's configuration (api_token, base_url).")
	return diags
}

// streamPages reads every page of fetch in order and pushes a result for
// each item that keep accepts, until limit results were pushed (limit > 0),
// push returns false (the consumer stopped) or ctx is done. A failed page
// is pushed as an error result that ends the stream; a repeated cursor is
// such an error too, not an endless loop.
func streamPages[T any](ctx context.Context, data *providerData, limit int64, fetch func(context.Context, string) ([]T, *string, error), noun string,
	keep func(*T) bool, result func(*T) list.ListResult, push func(list.ListResult) bool,
) {
	var pushed int64
	cursor := ""
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if ctx.Err() != nil {
			return // Terraform went away: nobody reads an error
		}
		items, next, err := fetch(ctx, cursor)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			var diags diag.Diagnostics
			data.addAPIError(&diags, fmt.Sprintf("Cannot list %s (page %d)", noun, page), err)
			push(list.ListResult{Diagnostics: diags})
			return
		}
		for i := range items {
			if !keep(&items[i]) {
				continue
			}
			if !push(result(&items[i])) {
				return
			}
			if pushed++; limit > 0 && pushed >= limit {
				return
			}
		}
		if next == nil || *next == "" {
			return
		}
		if seen[*next] {
			var diags diag.Diagnostics
			diags.AddError("Cannot list "+noun, fmt.Sprintf("The API returned cursor %q twice while listing %s; stopping instead of looping. This is a problem of the API; please report it.", *next, noun))
			push(list.ListResult{Diagnostics: diags})
			return
		}
		seen[*next] = true
		cursor = *next
	}
}
