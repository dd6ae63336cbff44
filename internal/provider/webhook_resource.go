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
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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
	_ resource.ResourceWithIdentity         = (*webhookResource)(nil)
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
				MarkdownDescription: "Events to deliver, at least one: `" + events + "`. Entrupy may add events (\"Additional events may be added\"): " +
					"one this provider release does not know is sent as written, with a plan-time warning that names the closest known event, and Entrupy's answer decides whether it is valid.",
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					noNullElements{},
					webhookEventsValidator(),
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
				MarkdownDescription: fmt.Sprintf("Signing secret (1 to %d characters), for Terraform older than 1.11. It is stored (marked sensitive) in state, so on Terraform 1.11 and later setting it warns to use `secret_wo` instead. At most one of `secret` and `secret_wo` may be set, and a new webhook needs one of them; changing it rotates the secret in place. On an existing (imported) webhook, leaving both unset leaves the secret unmanaged: Entrupy keeps the one it has.", entrupy.MaxSecretKeyLength),
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxSecretKeyLength), stringvalidator.PreferWriteOnlyAttribute(path.MatchRoot("secret_wo"))},
			},
			"secret_wo": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Signing secret (1 to %d characters), write-only (Terraform 1.11+): sent to Entrupy on create and whenever `secret_wo_version` changes, never stored in plan or state. At most one of `secret` and `secret_wo` may be set, and a new webhook needs one of them; on an existing (imported) webhook, leaving both unset leaves the secret unmanaged. Setting `secret_wo` with a new `secret_wo_version` later sends it in an in-place update; set `secret_wo_version` from the start (a warning says so otherwise), since a change of `secret_wo` alone is never sent.", entrupy.MaxSecretKeyLength),
				Optional:            true,
				Sensitive:           true,
				WriteOnly:           true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxSecretKeyLength), writeOnlyNeedsVersion{version: "secret_wo_version"}},
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

// IdentitySchema is the webhook's identity: its ID. It stays at version 0
// (no identity upgrade) as long as the ID alone identifies a webhook, so
// identities stored by any release keep working after provider upgrades.
func (r *webhookResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "Webhook ID (`wh_…`), assigned by Entrupy.",
				RequiredForImport: true,
			},
		},
	}
}

func (r *webhookResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		// Not ExactlyOneOf: an imported webhook may leave its secret
		// unmanaged (configuration generated by Terraform sets neither);
		// ModifyPlan requires one for a new webhook.
		resourcevalidator.Conflicting(path.MatchRoot("secret"), path.MatchRoot("secret_wo")),
	}
}

func (r *webhookResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan requires a secret for a new webhook, fills api_version from
// the provider (replacing the webhook when it changes, with a warning) and
// checks a plain-http url against the provider's base_url.
func (r *webhookResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan, cfg webhookResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// An existing webhook (imported, or adopted from generated
	// configuration) may leave its secret unmanaged; a new one cannot.
	if req.State.Raw.IsNull() && cfg.Secret.IsNull() && cfg.SecretWO.IsNull() {
		resp.Diagnostics.AddAttributeError(path.Root("secret_wo"), "Missing webhook secret",
			"A new webhook needs a signing secret: set secret_wo (write-only, Terraform 1.11+, kept out of plan and state; add secret_wo_version to rotate it later) or secret (any Terraform version, stored in state). "+
				"Only a webhook that already exists in Entrupy (imported) may leave both unset, which keeps the secret Entrupy has.")
		return
	}
	if r.data == nil {
		return // the provider is not configured yet
	}
	if req.State.Raw.IsNull() {
		// A create: make sure the token works now rather than at apply
		// (no request is made when the command has had an answer).
		if resp.Diagnostics.Append(r.data.verify(ctx)...); resp.Diagnostics.HasError() {
			return
		}
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
		case r.data.settings.APIVersion != "":
			want = types.StringValue(r.data.settings.APIVersion)
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
		if cfg.APIVersion.IsNull() {
			resp.Diagnostics.AddAttributeWarning(path.Root("api_version"), "Webhook replaced because the provider's api_version changed",
				fmt.Sprintf("Webhook %s was created with api_version %q. This resource does not set its own api_version, so it follows the provider's api_version, now %q, and Entrupy cannot change the api_version of a webhook: this plan replaces it (a new ID; deliveries use the new payload format). "+
					"To keep the webhook and its payload format, set api_version = %q on this resource before applying.",
					state.ID.ValueString(), state.APIVersion.ValueString(), plan.APIVersion.ValueString(), state.APIVersion.ValueString()))
		}
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
	wh, err := r.data.client.Webhooks.CreateNew(cctx, entrupy.CreateWebhookRequest{
		URL: plan.URL.ValueString(), SecretKey: secret, Events: events,
		Description: plan.Description.ValueString(), Enabled: &enabled,
		Username: plan.Username.ValueString(), APIVersion: plan.APIVersion.ValueString(),
	})
	scope := "for the whole organization"
	if u := plan.Username.ValueString(); u != "" {
		scope = fmt.Sprintf("for user %q", u)
	}
	if exists, ok := entrupy.AsExistsError(err); ok {
		raced := ""
		if exists.Withdrawn != "" {
			raced = fmt.Sprintf("\n\nIt was made at the same moment as this apply made webhook %s for the same URL (two applies creating one webhook at once). Entrupy created %s first, so this apply deleted %s again.",
				exists.Withdrawn, exists.ID, exists.Withdrawn)
		}
		resp.Diagnostics.AddAttributeError(path.Root("url"), "A webhook for this URL already exists",
			fmt.Sprintf("Entrupy already has webhook %s delivering to %q %s, %s. It is not taken over, and a second one is not made beside it.%s\n\n"+
				"If no other configuration manages it, manage it with this resource by importing it:\n\n%s\n\n"+
				"Otherwise delete it in Entrupy, or give this resource another url. (A replacement with create_before_destroy meets its own old webhook here: replace it without create_before_destroy.)",
				exists.ID, plan.URL.ValueString(), scope, madeByText(exists), raced, importHint("entrupy_webhook", exists.ID)))
		return
	}
	if lost, ok := entrupy.AsUncertainCreate(err); ok {
		addUncertainCreateError(&resp.Diagnostics, "webhook", fmt.Sprintf("a webhook delivering to %q %s", plan.URL.ValueString(), scope), lost)
		return
	}
	if err != nil {
		if unknownWebhookUsername(err) {
			u := plan.Username.ValueString()
			resp.Diagnostics.AddAttributeError(path.Root("username"), "No integration user with this username",
				fmt.Sprintf("Entrupy has no active integration user with username %q, so it cannot scope the webhook to it. "+
					"Usernames look like <Organization>-<unique_user_id> (for example Acme-store-01), not like a bare unique_user_id or an email. "+
					"Refer to the user's resource instead of writing the name: username = entrupy_integration_user.<name>.username (which also creates the user first), or look it up with the entrupy_integration_users data source.\n\n%v", u, err))
			return
		}
		r.data.addAPIErrorAt(&resp.Diagnostics, "Cannot create webhook", err, webhookFieldPaths)
		return
	}
	tflog.Info(ctx, "created Entrupy webhook", map[string]any{"id": wh.ID})
	out, diags := flattenWebhookResource(ctx, wh, plan)
	resp.Diagnostics.Append(diags...)
	warnUnreadWebhooks(&resp.Diagnostics, *wh)
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, webhookIdentityModel{ID: types.StringValue(wh.ID)})...)
}

// unknownWebhookUsername reports whether a create was refused because of
// its username (Entrupy knows no active user by that name).
func unknownWebhookUsername(err error) bool {
	e, ok := entrupy.AsAPIError(err)
	if !ok || e.Field != "username" {
		return false
	}
	return e.StatusCode == 400 || e.StatusCode == 404 || e.StatusCode == 422
}

func (r *webhookResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state webhookResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is the ID, known before the read: set it first, so that
	// a state written before identities existed gets one even when the
	// webhook turns out to be gone.
	resp.Diagnostics.Append(resp.Identity.Set(ctx, webhookIdentityModel{ID: state.ID})...)
	out, found, diags := r.readWebhook(ctx, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "Entrupy webhook is gone; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

// readWebhook reads the webhook of prior's ID (Webhooks.Read: from the
// client's list pages when they hold it, else with a GET) and maps it onto
// prior (see flattenWebhookResource); found is false when Entrupy has no
// such webhook.
func (r *webhookResource) readWebhook(ctx context.Context, prior webhookResourceModel) (out webhookResourceModel, found bool, diags diag.Diagnostics) {
	id := prior.ID.ValueString()
	wh, err := r.data.client.Webhooks.Read(ctx, id)
	if entrupy.IsNotFound(err) {
		return prior, false, nil
	}
	if err != nil {
		r.data.addAPIError(&diags, "Cannot read webhook "+id, err)
		return prior, false, diags
	}
	out, diags = flattenWebhookResource(ctx, wh, prior)
	warnUnreadWebhooks(&diags, *wh)
	return out, true, diags
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
	resp.Diagnostics.Append(resp.Identity.Set(ctx, webhookIdentityModel{ID: state.ID})...)
	if !changed { // e.g. secret_wo_version removed: nothing to send
		plan.UpdatedAt = state.UpdatedAt
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		return
	}
	wh, err := r.data.client.Webhooks.Update(ctx, state.ID.ValueString(), patch)
	if err != nil {
		r.data.addAPIErrorAt(&resp.Diagnostics, "Cannot update webhook "+state.ID.ValueString(), err, webhookFieldPaths)
		return
	}
	out, diags := flattenWebhookResource(ctx, wh, plan)
	resp.Diagnostics.Append(diags...)
	warnUnreadWebhooks(&resp.Diagnostics, *wh)
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
		r.data.addAPIError(&resp.Diagnostics, "Cannot delete webhook "+state.ID.ValueString(), err)
	}
}

// ImportState takes a webhook ID (`wh_…`), the identity (its id), or the
// URL of exactly one webhook. The secret cannot be read back: it stays
// unmanaged until the configuration sets one.
func (r *webhookResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" { // import by identity (Terraform 1.12+)
		var ident webhookIdentityModel
		if req.Identity == nil {
			resp.Diagnostics.AddError("Missing webhook ID", "The import has neither an ID nor an identity: give the webhook's ID (wh_…) or its URL.")
			return
		}
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = ident.ID.ValueString()
		if !strings.HasPrefix(id, entrupy.WebhookIDPrefix) {
			resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid webhook ID",
				fmt.Sprintf("The import identity's id %q is not a webhook ID; they look like %sXXXXXXXX. Find it with the entrupy_webhooks data source or a list block (terraform query).", id, entrupy.WebhookIDPrefix))
			return
		}
	}
	lower := strings.ToLower(id)
	switch {
	case strings.HasPrefix(id, entrupy.WebhookIDPrefix):
	case strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://"):
		byURL, diags := r.webhookIDByURL(ctx, id)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = byURL
	default:
		resp.Diagnostics.AddError("Invalid webhook ID", fmt.Sprintf("%q is not a webhook ID; they look like %sXXXXXXXX. Import by the ID, or by the webhook's URL when exactly one webhook delivers to it. Find IDs with the entrupy_webhooks data source.", req.ID, entrupy.WebhookIDPrefix))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, webhookIdentityModel{ID: types.StringValue(id)})...)
}

// webhookIDByURL finds the one webhook that delivers to url (exactly), over
// every page of the list.
func (r *webhookResource) webhookIDByURL(ctx context.Context, url string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	if r.data == nil {
		diags.AddError("Provider not configured", "Importing a webhook by URL needs the provider's API access; configure the provider, or import by webhook ID (wh_…).")
		return "", diags
	}
	hooks, err := r.data.client.Webhooks.ListAll(ctx)
	if err != nil {
		r.data.addAPIError(&diags, "Cannot list webhooks to import "+url, err)
		return "", diags
	}
	var ids []string
	for _, wh := range hooks {
		if wh.URL == url {
			ids = append(ids, wh.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], nil
	case 0:
		diags.AddError("No webhook delivers to this URL",
			fmt.Sprintf("None of the %d webhooks of the account delivers to %q (the URL must match exactly). Import by webhook ID (wh_…) instead; the entrupy_webhooks data source lists them.", len(hooks), url))
	default:
		diags.AddError("Several webhooks deliver to this URL",
			fmt.Sprintf("%d webhooks deliver to %q: %s. A URL identifies a webhook only when it is unique; import one of them by its ID (for example id = %q).", len(ids), url, strings.Join(ids, ", "), ids[0]))
	}
	return "", diags
}
