package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ list.ListResource              = (*integrationUserListResource)(nil)
	_ list.ListResourceWithConfigure = (*integrationUserListResource)(nil)
)

// NewIntegrationUserListResource is the entrupy_integration_user list
// resource (terraform query, Terraform 1.14+).
func NewIntegrationUserListResource() list.ListResource { return &integrationUserListResource{} }

type integrationUserListResource struct{ data *providerData }

// integrationUserListModel is the configuration of a list
// "entrupy_integration_user" block.
type integrationUserListModel struct {
	EmailDomain        types.String `tfsdk:"email_domain"`
	UniqueUserIDPrefix types.String `tfsdk:"unique_user_id_prefix"`
}

func (r *integrationUserListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_integration_user"
}

func (r *integrationUserListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the account's active SDK integration users (every page of `GET /v2/integrations/users`) for `terraform query` (Terraform 1.14+), to import them with the identities it returns or to generate their configuration with `terraform query -generate-config-out`. " +
			"Every filter that is set must match; with none, every active user is listed. Deactivated users are not listed (they cannot be managed).",
		Attributes: map[string]schema.Attribute{
			"email_domain": schema.StringAttribute{
				MarkdownDescription: "Only users whose `email` is at this domain, without `@` (e.g. `shop.example.com`; case-insensitive, subdomains do not match).",
				Optional:            true,
				Validators:          []validator.String{emailDomainValidator()},
			},
			"unique_user_id_prefix": schema.StringAttribute{
				MarkdownDescription: "Only users whose `unique_user_id` begins with this text (case-sensitive, 1 to 40 characters of `A-Za-z0-9@.+_-`), e.g. `store-`. It is the `unique_user_id`, not the Entrupy username (`<Organization>-<unique_user_id>`).",
				Optional:            true,
				Validators:          []validator.String{uniqueUserIDPrefixValidator()},
			},
		},
	}
}

var emailDomainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

// emailDomainValidator checks an email_domain filter: a domain name, not an
// address.
func emailDomainValidator() validator.String {
	return stringCheck{"Invalid email domain", "must be a domain such as example.com, without @", func(v string) error {
		if strings.Contains(v, "@") {
			return fmt.Errorf("%q must be the domain alone, without @ (for example %q)", v, v[strings.LastIndex(v, "@")+1:])
		}
		if len(v) > 253 || !emailDomainPattern.MatchString(v) {
			return fmt.Errorf("%q is not a domain such as example.com", v)
		}
		return nil
	}}
}

// uniqueUserIDPrefixValidator checks a unique_user_id_prefix filter: the
// start of a unique_user_id (entrupy.CheckUniqueUserIDPrefix).
func uniqueUserIDPrefixValidator() validator.String {
	return stringCheck{"Invalid unique_user_id prefix", entrupy.UniqueUserIDPrefixRule, func(v string) error {
		if err := entrupy.CheckUniqueUserIDPrefix(v); err != nil {
			return fmt.Errorf("%q %w", v, err)
		}
		return nil
	}}
}

func (r *integrationUserListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// userFilter is a list block's filters; empty means "any".
type userFilter struct {
	emailDomain string // lower case
	uidPrefix   string
}

// newUserFilter reads the filters of a list block. Values Terraform does
// not know yet are an error: a query cannot list against them.
func newUserFilter(cfg integrationUserListModel) (userFilter, diag.Diagnostics) {
	diags := unknownFilterErrors("entrupy_integration_user", map[string]attr.Value{"email_domain": cfg.EmailDomain, "unique_user_id_prefix": cfg.UniqueUserIDPrefix})
	return userFilter{emailDomain: strings.ToLower(cfg.EmailDomain.ValueString()), uidPrefix: cfg.UniqueUserIDPrefix.ValueString()}, diags
}

// matches reports whether u passes every filter that is set.
func (f userFilter) matches(u *entrupy.User) bool {
	if f.emailDomain != "" {
		at := strings.LastIndex(u.Email, "@")
		if at < 0 || strings.ToLower(u.Email[at+1:]) != f.emailDomain {
			return false
		}
	}
	return strings.HasPrefix(u.UniqueUserID, f.uidPrefix)
}

// List streams the active users that match the block's filters, page by
// page, up to req.Limit; it stops when Terraform stops reading.
func (r *integrationUserListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg integrationUserListModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	filter, diags := newUserFilter(cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	if r.data == nil {
		stream.Results = list.ListResultsStreamDiagnostics(notConfiguredForList("entrupy_integration_user"))
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		streamPages(ctx, r.data, req.Limit, r.data.client.Users.List, "integration users",
			func(u *entrupy.User) bool { return filter.matches(u) },
			func(u *entrupy.User) list.ListResult { return integrationUserListResult(ctx, req, u) },
			push)
	}
}

// integrationUserListResult is one listed user: its identity, a display
// name and, when asked for, the resource state a read would give.
func integrationUserListResult(ctx context.Context, req list.ListRequest, u *entrupy.User) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = userDisplayName(u)
	result.Diagnostics.Append(result.Identity.Set(ctx, integrationUserIdentityModel{UniqueUserID: types.StringValue(u.UniqueUserID)})...)
	if req.IncludeResource {
		warnUnreadUsers(&result.Diagnostics, *u)
		result.Diagnostics.Append(result.Resource.Set(ctx, flattenUser(u))...)
	}
	return result
}
