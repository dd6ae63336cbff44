package provider

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*integrationUsersDataSource)(nil)

// NewIntegrationUsersDataSource is the entrupy_integration_users data source.
func NewIntegrationUsersDataSource() datasource.DataSource { return &integrationUsersDataSource{} }

type integrationUsersDataSource struct{ data *providerData }

func (d *integrationUsersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_users"
}

func (d *integrationUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every active SDK integration user (all pages), optionally filtered by email domain or username prefix. The filters are applied by the provider after reading the list.",
		Attributes: map[string]schema.Attribute{
			"email_suffix": schema.StringAttribute{
				MarkdownDescription: "Keep only users whose email ends with this, e.g. `@example.com` (case-insensitive).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"username_prefix": schema.StringAttribute{
				MarkdownDescription: "Keep only users whose Entrupy username starts with this, e.g. `Acme-store-`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"usernames": schema.ListAttribute{
				MarkdownDescription: "Entrupy usernames of the users found, in creation order: ready for `entrupy_authentications.usernames`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The users found, in creation order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: userAttributes(false)},
			},
		},
	}
}

func (d *integrationUsersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *integrationUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg integrationUsersDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	users, err := d.data.client.Users.ListAll(ctx)
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot list integration users", err)
		return
	}
	suffix := strings.ToLower(cfg.EmailSuffix.ValueString())
	prefix := cfg.UsernamePrefix.ValueString()
	warnUnreadUsers(&resp.Diagnostics, users...)
	cfg.Users, cfg.Usernames = []IntegrationUserModel{}, []types.String{}
	for i := range users {
		u := &users[i]
		if !strings.HasSuffix(strings.ToLower(u.Email), suffix) || !strings.HasPrefix(u.Username, prefix) {
			continue
		}
		cfg.Users = append(cfg.Users, flattenUser(u))
		cfg.Usernames = append(cfg.Usernames, types.StringValue(u.Username))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
