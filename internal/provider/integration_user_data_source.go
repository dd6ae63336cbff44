package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*integrationUserDataSource)(nil)

// NewIntegrationUserDataSource is the entrupy_integration_user data source.
func NewIntegrationUserDataSource() datasource.DataSource { return &integrationUserDataSource{} }

type integrationUserDataSource struct{ data *providerData }

// userAttributes describes a user's read-only attributes; unique_user_id is
// required in entrupy_integration_user and computed in the list.
func userAttributes(idRequired bool) map[string]schema.Attribute {
	uid := schema.StringAttribute{MarkdownDescription: "Your platform's identifier for the user.", Computed: true}
	if idRequired {
		uid = schema.StringAttribute{
			MarkdownDescription: "Your platform's identifier for the user to read.",
			Required:            true,
			Validators:          []validator.String{uniqueUserIDValidator()},
		}
	}
	return map[string]schema.Attribute{
		"id":             computedString("Same as `unique_user_id`."),
		"unique_user_id": uid,
		"email":          computedString("The user's email address."),
		"first_name":     computedString("First name, set permanently at creation; null if none."),
		"last_name":      computedString("Last name, set permanently at creation; null if none."),
		"username":       computedString("The Entrupy username, `<OrganizationName>-<unique_user_id>`."),
		"created_at":     computedString("When the user was created (RFC 3339)."),
	}
}

func (d *integrationUserDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_user"
}

func (d *integrationUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one active SDK integration user by `unique_user_id`, for example to find the Entrupy `username` of a user created by the SDK.",
		Attributes:          userAttributes(true),
	}
}

func (d *integrationUserDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationUserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var uid types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("unique_user_id"), &uid)...)
	if resp.Diagnostics.HasError() {
		return
	}
	u, err := d.data.client.Users.Get(ctx, uid.ValueString())
	if entrupy.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("unique_user_id"), "Integration user not found",
			fmt.Sprintf("Entrupy has no active integration user %q: it was never created, or it was deactivated.", uid.ValueString()))
		return
	}
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot read integration user "+uid.ValueString(), err)
		return
	}
	warnUnreadUsers(&resp.Diagnostics, *u)
	resp.Diagnostics.Append(resp.State.Set(ctx, flattenUser(u))...)
}
