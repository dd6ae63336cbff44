package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*sdkAuthorizationEphemeralResource)(nil)

// NewSDKAuthorizationEphemeralResource is the entrupy_sdk_authorization
// ephemeral resource.
func NewSDKAuthorizationEphemeralResource() ephemeral.EphemeralResource {
	return &sdkAuthorizationEphemeralResource{}
}

type sdkAuthorizationEphemeralResource struct{ data *providerData }

func (e *sdkAuthorizationEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sdk_authorization"
}

func (e *sdkAuthorizationEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Signs a mobile SDK authorization request for an existing integration user through `POST /v2/integrations/authorize-user`, as a backend does before a device logs in (Terraform 1.10+). The signed request exists only while Terraform runs: it is never stored in plan or state, and every `terraform plan` and `terraform apply` signs afresh (a signed request is usable once). For test pipelines that log a device in.\n\n" +
			"It never creates or changes a user: the user must exist (manage it with `entrupy_integration_user`), and `email`, `first_name` and `last_name`, when set, must match the user's. Set `unique_user_id = entrupy_integration_user.this.id` so that signing waits until the user exists.",
		Attributes: map[string]schema.Attribute{
			"sdk_authorization_request": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The opaque string the SDK's `generateSDKAuthorizationRequest()` produced on the device (at most %d characters).", entrupy.MaxSDKAuthorizationLength),
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{lengthValidator(1, entrupy.MaxSDKAuthorizationLength)},
			},
			"unique_user_id": schema.StringAttribute{
				MarkdownDescription: "Your platform's identifier for the user: 8 to 40 characters of `A-Za-z0-9@.+_-`.",
				Required:            true,
				Validators:          []validator.String{uniqueUserIDValidator()},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The user's email address (at most %d characters). Optional: when set it must be the user's current email, since signing never changes the user.", entrupy.MaxEmailLength),
				Optional:            true,
				Validators:          []validator.String{emailValidator()},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("First name (at most %d characters). Optional: when set it must be the user's, since names never change.", entrupy.MaxNameLength),
				Optional:            true,
				Validators:          []validator.String{lengthValidator(0, entrupy.MaxNameLength)},
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Last name (at most %d characters). Optional: when set it must be the user's, since names never change.", entrupy.MaxNameLength),
				Optional:            true,
				Validators:          []validator.String{lengthValidator(0, entrupy.MaxNameLength)},
			},
			"signed_authorization_request": schema.StringAttribute{
				MarkdownDescription: "The signed request to hand to the SDK's `loginUser(withSignedRequest:)`. Usable once.",
				Computed:            true,
				Sensitive:           true,
			},
			"username": schema.StringAttribute{
				MarkdownDescription: "The user's Entrupy username, `<OrganizationName>-<unique_user_id>`.",
				Computed:            true,
			},
		},
	}
}

func (e *sdkAuthorizationEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (e *sdkAuthorizationEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var m sdkAuthorizationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// authorize-user creates a user it does not know and fixes its names for
	// good; signing is opened at plan time too, so it may only ever sign for
	// a user that exists, with the values that user has.
	uid := m.UniqueUserID.ValueString()
	user, err := e.data.client.Users.Get(ctx, uid)
	if entrupy.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("unique_user_id"), "No such integration user",
			fmt.Sprintf("Entrupy has no active integration user %q: it was never created, or it was deactivated (then choose a new unique_user_id, as a deactivated one can never be used again). entrupy_sdk_authorization signs only for a user that exists: it never creates one, because Entrupy would fix the user's names for good. "+
				"Create the user with an entrupy_integration_user resource and refer to it, so that signing waits until it exists:\n\n"+
				"  unique_user_id = entrupy_integration_user.this.id", uid))
		return
	}
	if err != nil {
		e.data.addAPIError(&resp.Diagnostics, "Cannot read integration user "+uid, err)
		return
	}
	for _, f := range []struct {
		attr       string
		want, have string
	}{{"email", m.Email.ValueString(), user.Email}, {"first_name", m.FirstName.ValueString(), user.FirstName}, {"last_name", m.LastName.ValueString(), user.LastName}} {
		if f.want != "" && f.want != f.have {
			has := fmt.Sprintf("has %s %q", f.attr, f.have)
			if f.have == "" {
				has = "has no " + f.attr
			}
			resp.Diagnostics.AddAttributeError(path.Root(f.attr), "Value differs from the integration user's",
				fmt.Sprintf("Integration user %q %s, not %q. entrupy_sdk_authorization never changes a user: change %s on the entrupy_integration_user that manages it (names cannot change at all), or leave %s out here.", uid, has, f.want, f.attr, f.attr))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}
	out, err := e.data.client.Users.Authorize(ctx, entrupy.AuthorizeRequest{
		SDKAuthorizationRequest: m.SDKAuthorizationRequest.ValueString(),
		UniqueUserID:            uid,
		Email:                   user.Email,
	})
	// A 409: the user was deactivated after it was read above (authorize-
	// user would otherwise have created it).
	if entrupy.IsConflict(err) {
		addDeactivatedUserError(&resp.Diagnostics, uid, err)
		return
	}
	if err != nil {
		e.data.addAPIErrorAt(&resp.Diagnostics, "Cannot sign the SDK authorization request for "+m.UniqueUserID.ValueString(), err, userFieldPaths)
		return
	}
	m.SignedAuthorizationRequest = types.StringValue(out.SignedAuthorizationRequest)
	m.Username = types.StringValue(out.Username)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
