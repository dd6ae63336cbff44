package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ resource.ResourceWithConfigure   = (*integrationUserResource)(nil)
	_ resource.ResourceWithImportState = (*integrationUserResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*integrationUserResource)(nil)
)

// NewIntegrationUserResource is the entrupy_integration_user resource.
func NewIntegrationUserResource() resource.Resource { return &integrationUserResource{} }

type integrationUserResource struct{ data *providerData }

func (r *integrationUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_user"
}

func (r *integrationUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	names := "Entrupy sets names permanently when the user is created (or first authorized through the SDK): changing it later fails at plan. Leave it out to accept whatever the user has."
	resp.Schema = schema.Schema{
		MarkdownDescription: "An SDK integration user, provisioned before the user's first login through the mobile SDK. Destroying it **deactivates** the user: Entrupy keeps the user's authentications, and the `unique_user_id` can never be used again.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "Same as `unique_user_id`.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"unique_user_id": schema.StringAttribute{
				MarkdownDescription: "Your platform's identifier for the user: 8 to 40 characters of `A-Za-z0-9@.+_-`. Changing it replaces the user (the old one is deactivated).",
				Required:            true,
				Validators:          []validator.String{uniqueUserIDValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The user's email address, at most %d characters. Changes in place.", entrupy.MaxEmailLength),
				Required:            true,
				Validators:          []validator.String{emailValidator()},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("First name (at most %d characters), shown on certificates. ", entrupy.MaxNameLength) + names,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxNameLength)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Last name (at most %d characters), shown on certificates. ", entrupy.MaxNameLength) + names,
				Optional:            true,
				Computed:            true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxNameLength)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "The Entrupy username, `<OrganizationName>-<unique_user_id>`: what `entrupy_authentications` searches and `entrupy_webhook.username` take.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"created_at": schema.StringAttribute{
				MarkdownDescription: "When the user was created (RFC 3339).",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
		},
	}
}

func (r *integrationUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan refuses a name change on an existing user: Entrupy fixes names
// at first authorization, and replacing the user would not help either (a
// deactivated unique_user_id cannot be created again).
func (r *integrationUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // create or destroy
	}
	var plan, state IntegrationUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !plan.UniqueUserID.Equal(state.UniqueUserID) {
		return // a new unique_user_id is a new user: any name is fine
	}
	for attr, vals := range map[string][2]types.String{"first_name": {plan.FirstName, state.FirstName}, "last_name": {plan.LastName, state.LastName}} {
		want, have := vals[0], vals[1]
		if want.IsUnknown() || want.IsNull() || want.Equal(have) {
			continue
		}
		current := "no " + attr
		if !have.IsNull() {
			current = fmt.Sprintf("%q", have.ValueString())
		}
		resp.Diagnostics.AddAttributeError(path.Root(attr), "Entrupy names are write-once",
			fmt.Sprintf("Integration user %q was created with %s, and Entrupy fixes first_name and last_name when a user is first authorized: they cannot be changed, and replacing the user would not help, because a deactivated unique_user_id cannot be created again.\n\n"+
				"To keep the user, set %s back to %s (or remove it from the configuration). To have a user with the new name, give the resource a new unique_user_id: the old user is deactivated (its authentications stay) and a new one is created.",
				state.UniqueUserID.ValueString(), current, attr, current))
	}
}

func (r *integrationUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan IntegrationUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	uid := plan.UniqueUserID.ValueString()
	cctx, cancel := createContext(ctx)
	defer cancel()
	u, adopted, err := r.data.client.Users.CreateOnce(cctx, entrupy.CreateUserRequest{
		UniqueUserID: uid, Email: plan.Email.ValueString(),
		FirstName: plan.FirstName.ValueString(), LastName: plan.LastName.ValueString(),
	})
	if exists, ok := entrupy.AsExistsError(err); ok {
		explainExisting(&resp.Diagnostics, exists)
		return
	}
	if !recordCreate(&resp.Diagnostics, "integration user", u, adopted, err) {
		addAPIErrorAt(&resp.Diagnostics, "Cannot create integration user "+uid, err, userFieldPaths)
		return
	}
	tflog.Info(ctx, "created Entrupy integration user", map[string]any{"unique_user_id": uid, "adopted": adopted})
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
}

// explainExisting says what to do about a user that exists already: import
// it, leave it to the configuration that manages it, or pick a new id.
func explainExisting(diags *diag.Diagnostics, e *entrupy.ExistsError) {
	uid := e.ID
	switch {
	case e.Deactivated:
		diags.AddAttributeError(path.Root("unique_user_id"), "Integration user was deactivated",
			fmt.Sprintf("Entrupy already had a user %q, and it was deactivated. A deactivated unique_user_id cannot be created again: choose a new unique_user_id.\n\n%v", uid, e.Err))
	case e.Detail != "":
		diags.AddAttributeError(path.Root("unique_user_id"), "Integration user left by an interrupted apply differs",
			fmt.Sprintf("An earlier, interrupted apply created integration user %q, but %s. Set first_name and last_name to the values it has (or remove them from the configuration), and apply again: the user is then taken over.", uid, e.Detail))
	case e.Managed:
		diags.AddAttributeError(path.Root("unique_user_id"), "Integration user already exists",
			fmt.Sprintf("Entrupy already has an integration user %q, created by Terraform for another configuration (another working directory or workspace) or recorded by another resource of this one, which manages it. "+
				"Two resources must not manage one user. To move it here, remove it from the other state (terraform state rm) and import it:\n\n%s", uid, importHint("entrupy_integration_user", uid)))
	default:
		diags.AddAttributeError(path.Root("unique_user_id"), "Integration user already exists",
			fmt.Sprintf("Entrupy already has an integration user %q (it may have logged in through the SDK, or been made by a script). Bring it under this configuration by importing it instead of creating it:\n\n%s", uid, importHint("entrupy_integration_user", uid)))
	}
}

func (r *integrationUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state IntegrationUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, err := r.data.client.Users.Get(ctx, state.ID.ValueString())
	if entrupy.IsNotFound(err) {
		tflog.Warn(ctx, "Entrupy integration user is gone or deactivated; removing it from state", map[string]any{"unique_user_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Cannot read integration user "+state.ID.ValueString(), err)
		return
	}
	r.data.book.note(entrupy.KindUser, u.UniqueUserID)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
}

func (r *integrationUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state IntegrationUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, err := r.data.client.Users.UpdateEmail(ctx, state.ID.ValueString(), plan.Email.ValueString())
	if err != nil {
		addAPIErrorAt(&resp.Diagnostics, "Cannot update integration user "+state.ID.ValueString(), err, userFieldPaths)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
}

func (r *integrationUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state IntegrationUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.Users.Delete(ctx, state.ID.ValueString())
	if err != nil && !entrupy.IsNotFound(err) {
		addAPIError(&resp.Diagnostics, "Cannot deactivate integration user "+state.ID.ValueString(), err)
	}
}

// ImportState takes a unique_user_id.
func (r *integrationUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if err := entrupy.CheckUniqueUserID(req.ID); err != nil {
		resp.Diagnostics.AddError("Invalid unique_user_id", fmt.Sprintf("%q is not a unique_user_id: it %v.", req.ID, err))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
}
