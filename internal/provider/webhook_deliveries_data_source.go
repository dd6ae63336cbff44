package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var _ datasource.DataSourceWithConfigure = (*webhookDeliveriesDataSource)(nil)

// Bounds of max_items of entrupy_webhook_deliveries.
const (
	defaultDeliveriesMaxItems = 25
	maxDeliveriesMaxItems     = 1000
)

// NewWebhookDeliveriesDataSource is the entrupy_webhook_deliveries data source.
func NewWebhookDeliveriesDataSource() datasource.DataSource { return &webhookDeliveriesDataSource{} }

type webhookDeliveriesDataSource struct{ data *providerData }

func (d *webhookDeliveriesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_deliveries"
}

func (d *webhookDeliveriesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Reads the delivery history of one webhook, newest first: every attempt of every delivery of the last %d days, test deliveries (the `entrupy_webhook_test` action) and real ones, retries included, with the receiver's answer. Use it in a `check` block to watch that the receiver takes deliveries.", entrupy.DeliveryHistoryDays),
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				MarkdownDescription: "ID of the webhook (`wh_…`), such as `entrupy_webhook.orders.id`.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_items": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many deliveries to read at most, the newest (default %d, at most %d). The history is read page by page until that many are found.", defaultDeliveriesMaxItems, maxDeliveriesMaxItems),
				Optional:            true,
				CustomType:          wholeNumber(1, maxDeliveriesMaxItems),
			},
			"test": schema.BoolAttribute{
				MarkdownDescription: "Keep only test deliveries (`true`) or only real ones (`false`). Unset, both.",
				Optional:            true,
			},
			"deliveries": schema.ListNestedAttribute{
				MarkdownDescription: "The delivery attempts found, newest first.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":              computedString("Delivery ID (`" + entrupy.DeliveryIDPrefix + "…`): one attempt."),
					"event_id":        computedString("ID of the event delivered (`evt_…`); the attempts of one event share it."),
					"event_type":      computedString("Type of the event, such as `" + entrupy.EventSessionCompleted + "`."),
					"test":            schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether this was a test delivery of a synthetic event."},
					"attempt":         schema.Int64Attribute{Computed: true, MarkdownDescription: "Which attempt at delivering the event this was, from 1."},
					"status":          computedString("`" + strings.Join(entrupy.DeliveryStatuses, "`, `") + "`: waiting for the receiver, answered 2xx, or answered otherwise or not at all."),
					"response_status": schema.Int64Attribute{Computed: true, MarkdownDescription: "HTTP status the receiver answered; null when it did not answer (see `error`)."},
					"error":           computedString("Why the receiver could not be reached (a network or TLS error, a timeout); null when it answered."),
					"duration_ms":     schema.Int64Attribute{Computed: true, MarkdownDescription: "How long the attempt took, in milliseconds; null while pending."},
					"created_at":      computedString("When the attempt was made (RFC 3339)."),
				}},
			},
		},
	}
}

func (d *webhookDeliveriesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *webhookDeliveriesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg webhookDeliveriesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	opts := entrupy.DeliveriesOptions{MaxItems: defaultDeliveriesMaxItems, Test: cfg.Test.ValueBoolPointer()}
	if !cfg.MaxItems.IsNull() {
		opts.MaxItems = int(cfg.MaxItems.ValueInt64())
	}
	id := cfg.WebhookID.ValueString()
	deliveries, _, err := d.data.client.Webhooks.Deliveries(ctx, id, opts)
	if entrupy.IsNotFound(err) {
		resp.Diagnostics.AddAttributeError(path.Root("webhook_id"), "Webhook not found",
			fmt.Sprintf("Entrupy has no webhook %q for this API token, so it has no deliveries. List the existing ones with the entrupy_webhooks data source.", id))
		return
	}
	if err != nil {
		d.data.addAPIError(&resp.Diagnostics, "Cannot read the deliveries of webhook "+id, err)
		return
	}
	warnUnreadDeliveries(&resp.Diagnostics, deliveries)
	cfg.Deliveries = make([]webhookDeliveryModel, 0, len(deliveries))
	for _, dl := range deliveries {
		cfg.Deliveries = append(cfg.Deliveries, flattenDelivery(dl))
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &cfg)...)
}
