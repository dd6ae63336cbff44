package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// The Terraform models of webhooks (entrupy_webhook, the resource and the
// data source, and entrupy_webhooks) and the mapping from the API's Webhook
// to them.

// WebhookModel is a webhook as the data sources expose it.
type WebhookModel struct {
	ID          types.String `tfsdk:"id"`
	URL         types.String `tfsdk:"url"`
	Events      types.Set    `tfsdk:"events"`
	Description types.String `tfsdk:"description"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	Username    types.String `tfsdk:"username"`
	APIVersion  types.String `tfsdk:"api_version"`
	CreatedAt   types.String `tfsdk:"created_at"`
	UpdatedAt   types.String `tfsdk:"updated_at"`
}

// webhookResourceModel is the data sources' webhook plus the secret.
type webhookResourceModel struct {
	WebhookModel
	Secret          types.String `tfsdk:"secret"`
	SecretWO        types.String `tfsdk:"secret_wo"`
	SecretWOVersion types.Int64  `tfsdk:"secret_wo_version"`
}

// webhooksDataSourceModel is entrupy_webhooks.
type webhooksDataSourceModel struct {
	Event    types.String   `tfsdk:"event"`
	Enabled  types.Bool     `tfsdk:"enabled"`
	IDs      []types.String `tfsdk:"ids"`
	Webhooks []WebhookModel `tfsdk:"webhooks"`
}

// webhookFieldPaths maps the API's error "field" to the attribute at fault.
var webhookFieldPaths = map[string]path.Path{
	"url": path.Root("url"), "events": path.Root("events"), "description": path.Root("description"),
	"enabled": path.Root("enabled"), "username": path.Root("username"), "api_version": path.Root("api_version"),
	"secret_key": path.Root("secret"),
}

// flattenWebhook maps a webhook.
func flattenWebhook(ctx context.Context, wh *entrupy.Webhook) (WebhookModel, diag.Diagnostics) {
	events, diags := types.SetValueFrom(ctx, types.StringType, wh.Events)
	return WebhookModel{
		ID: types.StringValue(wh.ID), URL: types.StringValue(wh.URL), Events: events,
		Description: types.StringValue(wh.Description), Enabled: types.BoolValue(wh.Enabled),
		Username: types.StringPointerValue(wh.Username), APIVersion: types.StringValue(wh.APIVersion),
		CreatedAt: types.StringValue(wh.CreatedAt), UpdatedAt: types.StringValue(wh.UpdatedAt),
	}, diags
}

// flattenWebhookResource maps a webhook onto the resource's prior model
// (its plan or state): secret and secret_wo_version are kept from prior,
// since the API never returns the secret, and secret_wo is null, since
// write-only values are never stored.
func flattenWebhookResource(ctx context.Context, wh *entrupy.Webhook, prior webhookResourceModel) (webhookResourceModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	out := prior
	out.WebhookModel, diags = flattenWebhook(ctx, wh)
	out.SecretWO = types.StringNull()
	return out, diags
}

// webhookIdentityModel is the identity of an entrupy_webhook: its ID. The
// identity schema is at version 0 and must stay compatible: states written
// by any release carry it, so a new attribute would need an identity
// upgrade.
type webhookIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// webhookDisplayName tells webhooks apart in a list result: URL, then the
// description and the user it is scoped to when it has them.
func webhookDisplayName(wh *entrupy.Webhook) string {
	name := wh.URL
	if wh.Description != "" {
		name += " (" + wh.Description + ")"
	}
	if wh.Username != nil && *wh.Username != "" {
		name += " for " + *wh.Username
	}
	return name
}

// webhookTestActionModel is the configuration of the entrupy_webhook_test
// action.
type webhookTestActionModel struct {
	WebhookID types.String `tfsdk:"webhook_id"`
	Event     types.String `tfsdk:"event"`
}

// webhookDeliveriesDataSourceModel is entrupy_webhook_deliveries.
type webhookDeliveriesDataSourceModel struct {
	WebhookID  types.String           `tfsdk:"webhook_id"`
	MaxItems   types.Int64            `tfsdk:"max_items"`
	Test       types.Bool             `tfsdk:"test"`
	Deliveries []webhookDeliveryModel `tfsdk:"deliveries"`
}

// webhookDeliveryModel is one delivery attempt of entrupy_webhook_deliveries.
type webhookDeliveryModel struct {
	ID             types.String `tfsdk:"id"`
	EventID        types.String `tfsdk:"event_id"`
	EventType      types.String `tfsdk:"event_type"`
	Test           types.Bool   `tfsdk:"test"`
	Attempt        types.Int64  `tfsdk:"attempt"`
	Status         types.String `tfsdk:"status"`
	ResponseStatus types.Int64  `tfsdk:"response_status"`
	Error          types.String `tfsdk:"error"`
	DurationMS     types.Int64  `tfsdk:"duration_ms"`
	CreatedAt      types.String `tfsdk:"created_at"`
}

// flattenDelivery maps a delivery attempt.
func flattenDelivery(d entrupy.Delivery) webhookDeliveryModel {
	m := webhookDeliveryModel{
		ID: types.StringValue(d.ID), EventID: types.StringValue(d.EventID), EventType: types.StringValue(d.EventType),
		Test: types.BoolValue(d.Test), Attempt: types.Int64Value(int64(d.Attempt)), Status: types.StringValue(d.Status),
		ResponseStatus: types.Int64Null(), Error: types.StringPointerValue(d.Error), DurationMS: types.Int64PointerValue(d.DurationMS),
		CreatedAt: types.StringValue(d.CreatedAt),
	}
	if d.ResponseStatus != nil {
		m.ResponseStatus = types.Int64Value(int64(*d.ResponseStatus))
	}
	return m
}
