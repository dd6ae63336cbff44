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
