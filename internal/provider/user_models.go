package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// The Terraform models of integration users (entrupy_integration_user,
// entrupy_integration_users, entrupy_sdk_authorization) and the mapping
// from the API's User to them.

// IntegrationUserModel is a user as the resource and data sources expose it.
type IntegrationUserModel struct {
	ID           types.String `tfsdk:"id"`
	UniqueUserID types.String `tfsdk:"unique_user_id"`
	Email        types.String `tfsdk:"email"`
	FirstName    types.String `tfsdk:"first_name"`
	LastName     types.String `tfsdk:"last_name"`
	Username     types.String `tfsdk:"username"`
	CreatedAt    types.String `tfsdk:"created_at"`
}

// integrationUsersDataSourceModel is entrupy_integration_users.
type integrationUsersDataSourceModel struct {
	EmailSuffix    types.String           `tfsdk:"email_suffix"`
	UsernamePrefix types.String           `tfsdk:"username_prefix"`
	Usernames      []types.String         `tfsdk:"usernames"`
	Users          []IntegrationUserModel `tfsdk:"users"`
}

// sdkAuthorizationModel is entrupy_sdk_authorization.
type sdkAuthorizationModel struct {
	SDKAuthorizationRequest    types.String `tfsdk:"sdk_authorization_request"`
	UniqueUserID               types.String `tfsdk:"unique_user_id"`
	Email                      types.String `tfsdk:"email"`
	FirstName                  types.String `tfsdk:"first_name"`
	LastName                   types.String `tfsdk:"last_name"`
	SignedAuthorizationRequest types.String `tfsdk:"signed_authorization_request"`
	Username                   types.String `tfsdk:"username"`
}

// userFieldPaths maps the API's error "field" to the attribute at fault.
var userFieldPaths = map[string]path.Path{
	"unique_user_id": path.Root("unique_user_id"), "email": path.Root("email"),
	"first_name": path.Root("first_name"), "last_name": path.Root("last_name"),
}

// flattenUser maps a user; an empty name is null (no name was given).
func flattenUser(u *entrupy.User) IntegrationUserModel {
	name := func(s string) types.String {
		if s == "" {
			return types.StringNull()
		}
		return types.StringValue(s)
	}
	return IntegrationUserModel{
		ID: types.StringValue(u.UniqueUserID), UniqueUserID: types.StringValue(u.UniqueUserID),
		Email: types.StringValue(u.Email), FirstName: name(u.FirstName), LastName: name(u.LastName),
		Username: types.StringValue(u.Username), CreatedAt: types.StringValue(u.CreatedAt),
	}
}

// integrationUserIdentityModel is the identity of an
// entrupy_integration_user: its unique_user_id. The identity schema is at
// version 0 and must stay compatible: states written by any release carry
// it, so a new attribute would need an identity upgrade.
type integrationUserIdentityModel struct {
	UniqueUserID types.String `tfsdk:"unique_user_id"`
}

// userDisplayName tells users apart in a list result: username and email.
func userDisplayName(u *entrupy.User) string {
	return u.Username + " <" + u.Email + ">"
}
