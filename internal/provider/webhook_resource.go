package provider

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ resource.Resource                     = (*webhookResource)(nil)
	_ resource.ResourceWithConfigure        = (*webhookResource)(nil)
	_ resource.ResourceWithImportState      = (*webhookResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*webhookResource)(nil)
	_ resource.ResourceWithConfigValidators = (*webhookResource)(nil)
)

// NewWebhookResource is the entrupy_webhook resource.
func NewWebhookResource() resource.Resource { return &webhookResource{} }

type webhookResource struct{ data *providerData }

func (r *webhookResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (r *webhookResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	events := strings.Join(entrupy.WebhookEvents, "`, `")
	resp.Schema = schema.Schema{
		MarkdownDescription: "A webhook subscription: Entrupy POSTs signed events (`" + events + "`) to `url`. " +
			"The signing secret is never returned by the API; prefer the write-only `secret_wo` (Terraform 1.11+), which keeps it out of plan and state.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Webhook ID (`wh_…`), assigned by Entrupy.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"url": schema.StringAttribute{
				MarkdownDescription: "Endpoint that receives the deliveries. Must be `https://`; `http://` is accepted only for a loopback receiver (`127.0.0.1`, `localhost`) while the provider's `base_url` is itself loopback (the local emulator).",
				Required:            true,
				Validators:          []validator.String{webhookURLValidator()},
			},
			"events": schema.SetAttribute{
				MarkdownDescription: "Events to deliver; at least one of `" + events + "`.",
				Required:            true,
				ElementType:         types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					noNullElements{},
					setvalidator.ValueStringsAre(stringvalidator.OneOf(entrupy.WebhookEvents...)),
				},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Free text to tell webhooks apart, e.g. `staging`; at most %d characters. Defaults to an empty string.", entrupy.MaxDescriptionLength),
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{lengthValidator(0, entrupy.MaxDescriptionLength)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether events are delivered. Defaults to `true`; `false` pauses deliveries without deleting the webhook.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "Entrupy username of one integration user (see `entrupy_integration_user.username`) to scope deliveries to that user's items. Unset, the webhook covers the whole organization. Changing it replaces the webhook.",
				Optional:            true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxUsernameLength)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"api_version": schema.StringAttribute{
				MarkdownDescription: "API version that fixes the payload format of deliveries, e.g. `1.4` or `2`. Unset, it is the provider's `api_version`, or Entrupy's default (`2`) for a new webhook. Changing it replaces the webhook.",
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(apiVersionPattern, "must be a version such as \"1.4\" or \"2\"")},
			},
			"secret": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Signing secret (1 to %d characters), for Terraform older than 1.11. It is stored (marked sensitive) in state. Exactly one of `secret` and `secret_wo` must be set; changing it rotates the secret in place.", entrupy.MaxSecretKeyLength),
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxSecretKeyLength)},
			},
			"secret_wo": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Signing secret (1 to %d characters), write-only (Terraform 1.11+): sent to Entrupy on create and whenever `secret_wo_version` changes, never stored in plan or state. Exactly one of `secret` and `secret_wo` must be set.", entrupy.MaxSecretKeyLength),
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxSecretKeyLength)},
			},
			"secret_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Version of `secret_wo`, a whole number (0 or more). Terraform cannot see a write-only value change, so bump this number (e.g. 1 → 2) together with a new `secret_wo` to rotate the secret in place.",
				Optional:            true,
				CustomType:          wholeNumber(0, math.MaxInt64),
				Validators:          []validator.Int64{int64validator.AlsoRequires(path.MatchRoot("secret_wo"))},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the webhook was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"updated_at": schema.StringAttribute{
				MarkdownDescription: "When the webhook was last changed (RFC 3339). Known after apply when a change is planned; otherwise kept from state.",
				Computed:            true,
			},
		},
	}
}

func (r *webhookResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.ExactlyOneOf(path.MatchRoot("secret"), path.MatchRoot("secret_wo")),
	}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan fills api_version from the provider (replacing the webhook when
// it changes) and checks a plain-http url against the provider's base_url.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.data == nil {
		return // destroy, or the provider is not configured yet
	}
	var plan, cfg webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if u := plan.URL.ValueString(); !plan.URL.IsUnknown() && strings.HasPrefix(strings.ToLower(u), "http:") && !r.data.loopback {
		resp.Diagnostics.AddAttributeError(path.Root("url"), "Plain http webhook URL",
			fmt.Sprintf("url %q uses plain http. Entrupy delivers only to https:// endpoints; http:// is accepted for a loopback receiver only while the provider's base_url is a loopback emulator.", u))
		return
	}

	var state *webhookResourceModel
	if !req.State.Raw.IsNull() {
		state = &webhookResourceModel{}
		resp.Diagnostics.Append(req.State.Get(ctx, state)...)
	}
	if cfg.APIVersion.IsNull() {
		var want types.String
		switch {
		case r.data.apiVersion != "":
			want = types.StringValue(r.data.apiVersion)
		case state != nil:
			want = state.APIVersion // keep what the webhook has
		default:
			want = types.StringValue(entrupy.DefaultWebhookAPIVersion)
		}
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("api_version"), want)...)
		plan.APIVersion = want
	}
	if state != nil && !plan.APIVersion.IsUnknown() && !state.APIVersion.IsNull() && !plan.APIVersion.Equal(state.APIVersion) {
		resp.RequiresReplace = append(resp.RequiresReplace, path.Root("api_version"))
	}
}

// secretFor returns the secret to send: the plain one from the plan, or the
// write-only one, which only the configuration carries.
func secretFor(ctx context.Context, plan webhookResourceModel, cfg tfsdk.Config) (string, diag.Diagnostics) {
	if s := plan.Secret.ValueString(); s != "" {
		return s, nil
	}
	var wo types.String
	diags := cfg.GetAttribute(ctx, path.Root("secret_wo"), &wo)
	return wo.ValueString(), diags
}

func (r *webhookResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	secret, diags := secretFor(ctx, plan, req.Config)
	resp.Diagnostics.Append(diags...)
	events, diags := stringSet(ctx, plan.Events)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	enabled := plan.Enabled.ValueBool()
	cctx, cancel := createContext(ctx)
	defer cancel()
	wh, adopted, err := r.data.client.Webhooks.CreateOnce(cctx, entrupy.CreateWebhookRequest{
		URL: plan.URL.ValueString(), SecretKey: secret, Events: events,
		Description: plan.Description.ValueString(), Enabled: &enabled,
		Username: plan.Username.ValueString(), APIVersion: plan.APIVersion.ValueString(),
	})
	if exists, ok := entrupy.AsExistsError(err); ok {
		scope := "for the whole organization"
		if u := plan.Username.ValueString(); u != "" {
			scope = fmt.Sprintf("for user %q", u)
		}
		resp.Diagnostics.AddAttributeError(path.Root("url"), "A webhook for this URL already exists",
			fmt.Sprintf("Entrupy already has webhook %s delivering to %q %s, and this provider did not create it (it was made by hand, by a script or by another tool). It is not taken over silently.\n\n"+
				"To manage it with this configuration, import it instead of creating a second one:\n\n%s\n\nOtherwise delete it in Entrupy, or give this resource another url.",
				exists.ID, plan.URL.ValueString(), scope, importHint("entrupy_webhook", exists.ID)))
		return
	}
	if !recordCreate(&resp.Diagnostics, "webhook", wh, adopted, err) {
		addAPIErrorAt(&resp.Diagnostics, "Cannot create webhook", err, webhookFieldPaths)
		return
	}
	tflog.Info(ctx, "created Entrupy webhook", map[string]any{"id": wh.ID, "adopted": adopted})
	out, diags := flattenWebhookResource(ctx, wh, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wh, err := r.data.client.Webhooks.Get(ctx, state.ID.ValueString())
	if entrupy.IsNotFound(err) {
		tflog.Warn(ctx, "Entrupy webhook is gone; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read webhook "+state.ID.ValueString(), err)
		return
	}
	r.data.book.note(entrupy.KindWebhook, wh.ID)
	out, diags := flattenWebhookResource(ctx, wh, state)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

func (r *webhookResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// PATCH only what changed; a rotation alone sends only secret_key.
	var patch entrupy.UpdateWebhookRequest
	changed := false
	if !plan.URL.Equal(state.URL) {
		patch.URL, changed = plan.URL.ValueStringPointer(), true
	}
	if !plan.Events.Equal(state.Events) {
		events, diags := stringSet(ctx, plan.Events)
		resp.Diagnostics.Append(diags...)
		patch.Events, changed = events, true
	}
	if !plan.Description.Equal(state.Description) {
		patch.Description, changed = plan.Description.ValueStringPointer(), true
	}
	if !plan.Enabled.Equal(state.Enabled) {
		patch.Enabled, changed = plan.Enabled.ValueBoolPointer(), true
	}
	if (!plan.Secret.IsNull() && !plan.Secret.Equal(state.Secret)) || (!plan.SecretWOVersion.IsNull() && !plan.SecretWOVersion.Equal(state.SecretWOVersion)) {
		secret, diags := secretFor(ctx, plan, req.Config)
		resp.Diagnostics.Append(diags...)
		patch.SecretKey, changed = &secret, true
	}
	if resp.Diagnostics.HasError() {
		return
	}
	if !changed { // e.g. secret_wo_version removed: nothing to send
		plan.UpdatedAt = state.UpdatedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	wh, err := r.data.client.Webhooks.Update(ctx, state.ID.ValueString(), patch)
	if err != nil {
		addAPIErrorAt(&resp.Diagnostics, "Cannot update webhook "+state.ID.ValueString(), err, webhookFieldPaths)
		return
	}
	out, diags := flattenWebhookResource(ctx, wh, plan)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

func (r *webhookResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.Webhooks.Delete(ctx, state.ID.ValueString())
	if err != nil && !entrupy.IsNotFound(err) { // already gone is what we wanted
		addAPIError(&resp.Diagnostics, "Cannot delete webhook "+state.ID.ValueString(), err)
	}
}

// ImportState takes a webhook ID. The secret cannot be read back: the next
// apply sends the configured one.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !strings.HasPrefix(req.ID, entrupy.WebhookIDPrefix) {
		resp.Diagnostics.AddError("Invalid webhook ID", fmt.Sprintf("%q is not a webhook ID; they look like %sXXXXXXXX. Find it with the entrupy_webhooks data source.", req.ID, entrupy.WebhookIDPrefix))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
