package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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
	_ resource.ResourceWithIdentity    = (*integrationUserResource)(nil)
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

// IdentitySchema is the user's identity: its unique_user_id. It stays at
// version 0 (no identity upgrade) as long as the unique_user_id alone
// identifies a user, so identities stored by any release keep working after
// provider upgrades.
func (r *integrationUserResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"unique_user_id": identityschema.StringAttribute{
				Description:       "Your platform's identifier for the user (8 to 40 characters of `A-Za-z0-9@.+_-`), not the Entrupy username.",
				RequiredForImport: true,
			},
		},
	}
}

func (r *integrationUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan warns that destroying or replacing a user is permanent, and
// refuses a name change on an existing user: Entrupy fixes names at first
// authorization, and replacing the user would not help either (a
// deactivated unique_user_id cannot be created again).
func (r *integrationUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		// A create: make sure the token works now rather than at apply
		// (no request is made when the command has had an answer).
		if r.data != nil && !req.Plan.Raw.IsNull() {
			resp.Diagnostics.Append(r.data.verify(ctx)...)
		}
		return
	}
	var state IntegrationUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.Plan.Raw.IsNull() {
		addUserDeactivationWarning(&resp.Diagnostics, state, "destroys")
		return
	}
	var plan IntegrationUserModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.UniqueUserID.Equal(state.UniqueUserID) {
		// A new unique_user_id is a new user: any name is fine, but the
		// old user is deactivated for good.
		addUserDeactivationWarning(&resp.Diagnostics, state, "replaces")
		return
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

// addUserDeactivationWarning warns, at plan, that the plan destroys or
// replaces (verb) the user of state, which cannot be undone.
func addUserDeactivationWarning(diags *diag.Diagnostics, state IntegrationUserModel, verb string) {
	uid := state.UniqueUserID.ValueString()
	diags.AddWarning("Destroying an integration user is permanent",
		fmt.Sprintf("This plan %s integration user %q (username %s). Destroying a user deactivates it at Entrupy for good: its unique_user_id can never be created again, and its SDK logins stop (the mobile SDK can no longer sign in as it). Its authentications stay.\n\n"+
			"If that is not intended, do not apply: keep the resource (for a resource removed from for_each or count, put its key back), or, to stop managing the user without deactivating it, remove it with a removed block (lifecycle { destroy = false }) or terraform state rm.",
			verb, uid, state.Username.ValueString()))
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
	u, err := r.data.client.Users.CreateNew(cctx, entrupy.CreateUserRequest{
		UniqueUserID: uid, Email: plan.Email.ValueString(),
		FirstName: plan.FirstName.ValueString(), LastName: plan.LastName.ValueString(),
	})
	if exists, ok := entrupy.AsExistsError(err); ok {
		explainExisting(&resp.Diagnostics, exists)
		return
	}
	if lost, ok := entrupy.AsUncertainCreate(err); ok {
		addUncertainCreateError(&resp.Diagnostics, "integration user", fmt.Sprintf("integration user %q", uid), lost)
		return
	}
	if err != nil {
		r.data.addAPIErrorAt(&resp.Diagnostics, "Cannot create integration user "+uid, err, userFieldPaths)
		return
	}
	tflog.Info(ctx, "created Entrupy integration user", map[string]any{"unique_user_id": uid})
	warnUnreadUsers(&resp.Diagnostics, *u)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, integrationUserIdentityModel{UniqueUserID: types.StringValue(u.UniqueUserID)})...)
}

// explainExisting says what to do about a user that exists already: import
// it, or pick a new id when it was deactivated.
func explainExisting(diags *diag.Diagnostics, e *entrupy.ExistsError) {
	if e.Deactivated {
		addDeactivatedUserError(diags, e.ID, e.Err)
		return
	}
	diags.AddAttributeError(path.Root("unique_user_id"), "Integration user already exists",
		fmt.Sprintf("Entrupy already has an integration user %q, %s. It is not taken over.\n\n"+
			"If no other configuration manages it (check terraform state list in every state that may), manage it with this resource by importing it:\n\n%s\n\n"+
			"If another state holds it, leave it there, or move it: remove it from that state first (a removed block with lifecycle { destroy = false }, or terraform state rm; never destroy it: a deactivated user can never come back), then import it here.",
			e.ID, madeByText(e), importHint("entrupy_integration_user", e.ID)))
}

func (r *integrationUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state IntegrationUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The identity is the unique_user_id, known before the read: set it
	// first, so that a state written before identities existed gets one
	// even when the user turns out to be gone.
	resp.Diagnostics.Append(resp.Identity.Set(ctx, integrationUserIdentityModel{UniqueUserID: state.ID})...)
	out, found, diags := r.readUser(ctx, state.ID.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !found {
		tflog.Warn(ctx, "Entrupy integration user is gone or deactivated; removing it from state", map[string]any{"unique_user_id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &out)...)
}

// readUser reads the active user uid (Users.Read: from the client's list
// pages when they hold it, else with a GET) and maps it (flattenUser);
// found is false when Entrupy has no such active user.
func (r *integrationUserResource) readUser(ctx context.Context, uid string) (out IntegrationUserModel, found bool, diags diag.Diagnostics) {
	u, err := r.data.client.Users.Read(ctx, uid)
	if entrupy.IsNotFound(err) {
		return out, false, nil
	}
	if err != nil {
		r.data.addAPIError(&diags, "Cannot read integration user "+uid, err)
		return out, false, diags
	}
	warnUnreadUsers(&diags, *u)
	return flattenUser(u), true, diags
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
		r.data.addAPIErrorAt(&resp.Diagnostics, "Cannot update integration user "+state.ID.ValueString(), err, userFieldPaths)
		return
	}
	warnUnreadUsers(&resp.Diagnostics, *u)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, integrationUserIdentityModel{UniqueUserID: state.ID})...)
}

func (r *integrationUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state IntegrationUserModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	err := r.data.client.Users.Delete(ctx, state.ID.ValueString())
	if err != nil && !entrupy.IsNotFound(err) {
		r.data.addAPIError(&resp.Diagnostics, "Cannot deactivate integration user "+state.ID.ValueString(), err)
	}
}

// ImportState takes a unique_user_id, the identity (its unique_user_id),
// or the user's Entrupy username (<Organization>-<unique_user_id>), which it
// resolves to the unique_user_id.
func (r *integrationUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" { // import by identity (Terraform 1.12+)
		if req.Identity == nil {
			resp.Diagnostics.AddError("Missing unique_user_id", "The import has neither an ID nor an identity: give the user's unique_user_id.")
			return
		}
		var ident integrationUserIdentityModel
		resp.Diagnostics.Append(req.Identity.Get(ctx, &ident)...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = ident.UniqueUserID.ValueString()
		if err := entrupy.CheckUniqueUserID(id); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("unique_user_id"), "Invalid unique_user_id",
				fmt.Sprintf("The import identity's unique_user_id %q is not a unique_user_id: it %v. The identity takes your platform's id of the user, not the Entrupy username.", id, err))
			return
		}
	} else {
		uid, diags := r.resolveImportID(ctx, id)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		id = uid
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.Identity.Set(ctx, integrationUserIdentityModel{UniqueUserID: types.StringValue(id)})...)
}

// resolveImportID turns an import ID into a unique_user_id: an active user's
// unique_user_id is taken as it is; otherwise the ID may be an Entrupy
// username, looked up over every page of the users.
func (r *integrationUserResource) resolveImportID(ctx context.Context, id string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	badID := entrupy.CheckUniqueUserID(id)
	if r.data == nil { // not configured: nothing to look up
		if badID != nil {
			diags.AddError("Invalid unique_user_id", fmt.Sprintf("%q is not a unique_user_id: it %v. The import ID is the unique_user_id (your platform's id of the user), not the Entrupy username.", id, badID))
			return "", diags
		}
		return id, nil
	}
	if badID == nil {
		_, err := r.data.client.Users.Get(ctx, id)
		if err == nil {
			return id, nil
		}
		if !entrupy.IsNotFound(err) {
			r.data.addAPIError(&diags, "Cannot read integration user "+id, err)
			return "", diags
		}
	}
	users, err := r.data.client.Users.ListAll(ctx)
	if err != nil {
		r.data.addAPIError(&diags, "Cannot list integration users to import "+id, err)
		return "", diags
	}
	for _, u := range users {
		if u.Username == id {
			tflog.Info(ctx, "import ID is an Entrupy username; importing its unique_user_id", map[string]any{"username": id, "unique_user_id": u.UniqueUserID})
			return u.UniqueUserID, nil
		}
	}
	why := "no active integration user has it as unique_user_id or as username"
	if badID != nil {
		why = fmt.Sprintf("it is not a unique_user_id (it %v), and no active integration user has it as username", badID)
	}
	diags.AddError("Cannot import integration user",
		fmt.Sprintf("Cannot import %q: %s. The import ID is the unique_user_id, your platform's id of the user (for example store-01), as in entrupy_integration_user.unique_user_id; the Entrupy username <Organization>-<unique_user_id> (for example Acme-store-01) is accepted too. "+
			"A deactivated user cannot be imported. List the users with the entrupy_integration_users data source.", id, why))
	return "", diags
}
