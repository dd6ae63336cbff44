package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*webhooksDataSource)(nil)

// NewWebhooksDataSource is the entrupy_webhooks data source.
func NewWebhooksDataSource() datasource.DataSource { return &webhooksDataSource{} }

type webhooksDataSource struct{ data *providerData }

func (d *webhooksDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhooks"
}

func (d *webhooksDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every webhook subscription of the account (all pages), optionally only those delivering one event or only enabled/disabled ones.",
		Attributes: map[string]schema.Attribute{
			"event": schema.StringAttribute{
				MarkdownDescription: "Keep only webhooks subscribed to this event: `" + strings.Join(entrupy.WebhookEvents, "`, `") + "`, or an event Entrupy added since (with a warning).",
				Optional:            true,
				Validators:          []validator.String{webhookEventsValidator()},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Keep only enabled (`true`) or disabled (`false`) webhooks.",
				Optional:            true,
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "IDs of the webhooks found, in creation order.",
				Computed:            true,
				ElementType:         types.StringType,
			},
			"webhooks": schema.ListNestedAttribute{
				MarkdownDescription: "The webhooks found, in creation order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: webhookAttributes(false)},
			},
		},
	}
}

func (d *webhooksDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhooksDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg webhooksDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	hooks, err := d.data.client.Webhooks.ListAll(ctx)
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot list webhooks", err)
		return
	}
	warnUnreadWebhooks(&resp.Diagnostics, hooks...)
	cfg.IDs, cfg.Webhooks = []types.String{}, []WebhookModel{}
	for i := range hooks {
		wh := &hooks[i]
		if !cfg.Event.IsNull() && !slices.Contains(wh.Events, cfg.Event.ValueString()) {
			continue
		}
		if !cfg.Enabled.IsNull() && wh.Enabled != cfg.Enabled.ValueBool() {
			continue
		}
		m, diags := flattenWebhook(ctx, wh)
		resp.Diagnostics.Append(diags...)
		cfg.Webhooks = append(cfg.Webhooks, m)
		cfg.IDs = append(cfg.IDs, m.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
