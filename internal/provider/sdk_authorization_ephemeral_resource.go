package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
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

type sdkAuthorizationModel struct {
	SDKAuthorizationRequest    types.String `tfsdk:"sdk_authorization_request"`
	UniqueUserID               types.String `tfsdk:"unique_user_id"`
	Email                      types.String `tfsdk:"email"`
	FirstName                  types.String `tfsdk:"first_name"`
	LastName                   types.String `tfsdk:"last_name"`
	SignedAuthorizationRequest types.String `tfsdk:"signed_authorization_request"`
	Username                   types.String `tfsdk:"username"`
}

func (e *sdkAuthorizationEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_sdk_authorization"
}

func (e *sdkAuthorizationEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Signs a mobile SDK authorization request for a user through `POST /v2/integrations/authorize-user`, as a backend does before a device logs in (Terraform 1.10+). The signed request exists only while Terraform runs: it is never stored in plan or state. For test pipelines that log a device in. The first call for a `unique_user_id` creates the user, with its names set permanently.",
		Attributes: map[string]schema.Attribute{
			"sdk_authorization_request": schema.StringAttribute{
				MarkdownDescription: "The opaque string the SDK's `generateSDKAuthorizationRequest()` produced on the device.",
				Required:            true,
				Sensitive:           true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"unique_user_id": schema.StringAttribute{
				MarkdownDescription: "Your platform's identifier for the user: 8 to 40 characters of `A-Za-z0-9@.+_-`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(uniqueUserIDPattern, uniqueUserIDRule)},
			},
			"email": schema.StringAttribute{
				MarkdownDescription: "The user's email address.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.RegexMatches(emailPattern, "must be an email address such as user@example.com")},
			},
			"first_name": schema.StringAttribute{
				MarkdownDescription: "First name; only used by the call that creates the user.",
				Optional:            true,
			},
			"last_name": schema.StringAttribute{
				MarkdownDescription: "Last name; only used by the call that creates the user.",
				Optional:            true,
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
	out, err := e.data.client.Users.Authorize(ctx, entrupy.AuthorizeRequest{
		SDKAuthorizationRequest: m.SDKAuthorizationRequest.ValueString(),
		UniqueUserID:            m.UniqueUserID.ValueString(),
		Email:                   m.Email.ValueString(),
		FirstName:               m.FirstName.ValueString(),
		LastName:                m.LastName.ValueString(),
	})
	if err != nil {
		addAPIErrorAt(&resp.Diagnostics, "Cannot sign the SDK authorization request for "+m.UniqueUserID.ValueString(), err, userFieldPaths)
		return
	}
	m.SignedAuthorizationRequest = types.StringValue(out.SignedAuthorizationRequest)
	m.Username = types.StringValue(out.Username)
	resp.Diagnostics.Append(resp.Result.Set(ctx, &m)...)
}
