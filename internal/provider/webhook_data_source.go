package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*webhookDataSource)(nil)

// NewWebhookDataSource is the entrupy_webhook data source.
func NewWebhookDataSource() datasource.DataSource { return &webhookDataSource{} }

type webhookDataSource struct{ data *providerData }

// webhookAttributes describes a webhook's read-only attributes; id is
// required in entrupy_webhook and computed in entrupy_webhooks.
func webhookAttributes(idRequired bool) map[string]schema.Attribute {
	id := schema.StringAttribute{MarkdownDescription: "Webhook ID (`wh_…`).", Computed: true}
	if idRequired {
		id = schema.StringAttribute{
			MarkdownDescription: "ID of the webhook to read (`wh_…`).",
			Required:            true,
			Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
		}
	}
	return map[string]schema.Attribute{
		"id":          id,
		"url":         computedString("Endpoint that receives the deliveries."),
		"events":      schema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: "Events delivered."},
		"description": computedString("Free-text description."),
		"enabled":     schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether events are delivered."},
		"username":    computedString("Username the deliveries are scoped to; null for the whole organization."),
		"api_version": computedString("API version fixing the payload format of deliveries."),
		"created_at":  computedString("When the webhook was created (RFC 3339)."),
		"updated_at":  computedString("When the webhook was last changed (RFC 3339)."),
	}
}

func (d *webhookDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (d *webhookDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one webhook subscription by ID. The signing secret is never returned by the API.",
		Attributes:          webhookAttributes(true),
	}
}

func (d *webhookDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wh, err := d.data.client.Webhooks.Get(ctx, id.ValueString())
	if entrupy.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Webhook not found",
			fmt.Sprintf("Entrupy has no webhook %q for this API token. List the existing ones with the entrupy_webhooks data source.", id.ValueString()))
		return
	}
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot read webhook "+id.ValueString(), err)
		return
	}
	m, diags := flattenWebhook(ctx, wh)
	resp.Diagnostics.Append(diags...)
	warnUnreadWebhooks(&resp.Diagnostics, *wh)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
