package provider

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

var (
	_ action.ActionWithConfigure  = (*webhookTestAction)(nil)
	_ action.ActionWithModifyPlan = (*webhookTestAction)(nil)
)

// NewWebhookTestAction is the entrupy_webhook_test action (Terraform 1.14+).
func NewWebhookTestAction() action.Action { return &webhookTestAction{} }

type webhookTestAction struct{ data *providerData }

func (a *webhookTestAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook_test"
}

func (a *webhookTestAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Sends one signed test delivery of a synthetic event (`\"test\": true` in the body) to a webhook's URL and waits up to %d seconds for the receiver's answer. "+
			"It fails, naming the receiver's status code or network error, unless the receiver answers 2xx: run it with `terraform apply -invoke=action.entrupy_webhook_test.NAME`, "+
			"or from an `entrupy_webhook`'s `lifecycle { action_trigger { events = [after_create, after_update] ... } }` to prove in the same apply that the receiver verifies the signature of a new webhook or a rotated secret. "+
			"Each test delivery appears in the `entrupy_webhook_deliveries` data source. Actions need Terraform 1.14 or later; older versions run configurations without `action` blocks as before.",
			int(entrupy.TestDeliveryTimeout.Seconds())),
		Attributes: map[string]schema.Attribute{
			"webhook_id": schema.StringAttribute{
				MarkdownDescription: "ID of the webhook to test (`wh_…`), such as `entrupy_webhook.orders.id`. The webhook must be enabled.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"event": schema.StringAttribute{
				MarkdownDescription: "Type of the synthetic event: `" + strings.Join(entrupy.WebhookEvents, "`, `") + "`, or an event Entrupy added since (with a warning). It must be one of the webhook's `events` (checked at plan when the webhook can be read, and again when invoked). Unset, the webhook's first event.",
				Optional:            true,
				Validators:          []validator.String{webhookEventsValidator()},
			},
		},
	}
}

func (a *webhookTestAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ModifyPlan checks, when the webhook ID is known (an existing webhook, or
// -invoke), that the webhook exists, is enabled and subscribes to event:
// one GET, nothing written. The plan reads the webhook as it is before the
// apply, so the event must be one it already has. An ID known only after
// apply (a webhook created in the same apply) is checked when invoked.
func (a *webhookTestAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	if a.data == nil {
		return
	}
	var cfg webhookTestActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.WebhookID.IsUnknown() || cfg.WebhookID.IsNull() || cfg.Event.IsUnknown() {
		return
	}
	a.webhookToTest(ctx, cfg, &resp.Diagnostics)
}

// webhookToTest reads the webhook and returns it with the event to send,
// or adds what is wrong with the configuration to diags.
func (a *webhookTestAction) webhookToTest(ctx context.Context, cfg webhookTestActionModel, diags *diag.Diagnostics) (*entrupy.Webhook, string) {
	id := cfg.WebhookID.ValueString()
	wh, err := a.data.client.Webhooks.Get(ctx, id)
	if entrupy.IsNotFound(err) {
		diags.AddAttributeError(path.Root("webhook_id"), "Webhook not found",
			fmt.Sprintf("Entrupy has no webhook %q for this API token, so there is nothing to test. List the existing ones with the entrupy_webhooks data source.", id))
		return nil, ""
	}
	if err != nil {
		a.data.addAPIError(diags, "Cannot read webhook "+id+" to test it", err)
		return nil, ""
	}
	if !wh.Enabled {
		diags.AddAttributeError(path.Root("webhook_id"), "Webhook is disabled",
			fmt.Sprintf("Webhook %s (%s) is disabled, and Entrupy sends no delivery to a disabled webhook, test ones included. Set enabled = true on it first.", id, wh.URL))
		return nil, ""
	}
	event := cfg.Event.ValueString()
	if cfg.Event.IsNull() {
		if len(wh.Events) == 0 {
			diags.AddAttributeError(path.Root("event"), "Webhook has no events", fmt.Sprintf("Webhook %s subscribes to no event; set event to one it subscribes to.", id))
			return nil, ""
		}
		event = wh.Events[0]
	}
	if !slices.Contains(wh.Events, event) {
		diags.AddAttributeError(path.Root("event"), "Event not subscribed",
			fmt.Sprintf("event %q is not one of the events of webhook %s (%s), so Entrupy would refuse the test. Use one of them, or add %q to the webhook's events first.", event, id, quotedList(wh.Events), event))
		return nil, ""
	}
	return wh, event
}

func (a *webhookTestAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	if a.data == nil {
		resp.Diagnostics.AddError("Provider not configured", "The entrupy_webhook_test action ran before the provider was configured. This is a bug in the provider; please report it.")
		return
	}
	var cfg webhookTestActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	wh, event := a.webhookToTest(ctx, cfg, &resp.Diagnostics)
	if wh == nil {
		return
	}
	progress(resp, fmt.Sprintf("sending a test %s to %s", event, wh.URL))
	d, err := a.data.client.Webhooks.Test(ctx, wh.ID, entrupy.TestWebhookRequest{Event: event})
	if err != nil {
		a.data.addTestRequestError(&resp.Diagnostics, wh, event, err)
		return
	}
	progress(resp, deliveryOutcome(d))
	if d.Status != entrupy.DeliverySucceeded {
		resp.Diagnostics.AddError("Webhook receiver did not accept the test delivery", receiverFailure(wh, event, d))
	}
}

// progress sends a progress message when Terraform listens for them.
func progress(resp *action.InvokeResponse, msg string) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: msg})
	}
}

// addTestRequestError says why Entrupy refused or lost the test request.
// A 5xx or a lost answer is not retried (see WebhooksService.Test): the
// delivery may have been made, so the history is where to look.
func (d *providerData) addTestRequestError(diags *diag.Diagnostics, wh *entrupy.Webhook, event string, err error) {
	e, isAPI := entrupy.AsAPIError(err)
	switch {
	case isAPI && e.StatusCode == http.StatusConflict:
		diags.AddAttributeError(path.Root("webhook_id"), "Webhook is disabled",
			fmt.Sprintf("Entrupy refused the test delivery to webhook %s: %v\n\nSet enabled = true on the webhook first.", wh.ID, err))
	case isAPI && e.StatusCode == http.StatusBadRequest && e.Field == "event":
		diags.AddAttributeError(path.Root("event"), "Event not subscribed",
			fmt.Sprintf("Entrupy refused a test %s to webhook %s: %v\n\nUse one of the webhook's events: %s.", event, wh.ID, err, quotedList(wh.Events)))
	case !isAPI || e.StatusCode >= 500:
		diags.AddError("Test delivery outcome unknown",
			fmt.Sprintf("The test request for webhook %s got no usable answer: %v\n\nIt is not retried, since Entrupy may have delivered already: the entrupy_webhook_deliveries data source shows whether the delivery was made. Invoke the action again to send another.", wh.ID, err))
	default:
		d.addAPIError(diags, "Cannot send a test delivery to webhook "+wh.ID, err)
	}
}

// deliveryOutcome is the progress line of a finished test delivery.
func deliveryOutcome(d *entrupy.Delivery) string {
	var answer string
	switch {
	case d.ResponseStatus != nil:
		answer = fmt.Sprintf("the receiver answered %d %s", *d.ResponseStatus, http.StatusText(*d.ResponseStatus))
	case d.Error != nil:
		answer = "the receiver could not be reached: " + *d.Error
	default:
		answer = fmt.Sprintf("no answer within %d s", int(entrupy.TestDeliveryTimeout.Seconds()))
	}
	took := ""
	if d.DurationMS != nil {
		took = fmt.Sprintf(" in %d ms", *d.DurationMS)
	}
	return fmt.Sprintf("test delivery %s %s: %s%s", d.ID, d.Status, answer, took)
}

// receiverFailure says what a failed test delivery means and what to check.
func receiverFailure(wh *entrupy.Webhook, event string, d *entrupy.Delivery) string {
	host := wh.URL
	if u, err := url.Parse(wh.URL); err == nil {
		host = u.Host
	}
	var what, first string
	switch {
	case d.ResponseStatus != nil:
		code := *d.ResponseStatus
		what = fmt.Sprintf("The receiver at %s answered the test %s with %d %s (delivery %s", wh.URL, event, code, http.StatusText(code), d.ID)
		switch {
		case code == http.StatusUnauthorized || code == http.StatusForbidden || code == http.StatusBadRequest:
			first = "A receiver that rejects a delivery this way usually failed to verify its Entrupy-Signature: check signature verification first."
		case code == http.StatusNotFound || code == http.StatusMethodNotAllowed:
			first = "The URL's path or method is not served: check that the receiver takes POST at exactly this URL."
		case code >= 500:
			first = "The receiver failed on it: its logs say why (an exception while verifying or handling the event?)."
		}
	case d.Error != nil:
		what = fmt.Sprintf("The test %s could not be delivered to %s: %s (delivery %s", event, wh.URL, *d.Error, d.ID)
		first = "The receiver could not be reached or the connection failed: check that it runs and is reachable from the Internet, and its TLS."
	default:
		what = fmt.Sprintf("The receiver at %s did not answer the test %s within %d s (delivery %s", wh.URL, event, int(entrupy.TestDeliveryTimeout.Seconds()), d.ID)
		first = "Answer deliveries at once and do slow work afterwards: Entrupy gives up on an answer that takes longer."
	}
	if d.DurationMS != nil {
		what += fmt.Sprintf(", %d ms", *d.DurationMS)
	}
	what += ")."
	checks := []string{
		"signature verification: the receiver must compute the HMAC-SHA256 of \"<t>.<raw body>\" from the Entrupy-Signature header over the raw body, before parsing it, and compare it in constant time (see the Receiving webhooks guide);",
		"the secret's version: the receiver must accept the webhook's current secret. After a rotation (a new secret_wo_version or secret) every instance of the receiver needs the new secret, or both while you rotate;",
		"TLS: the certificate of " + host + " must be valid for that name, unexpired and issued by a public CA, with the whole chain served.",
	}
	return what + " " + first + "\n\nCheck:\n- " + strings.Join(checks, "\n- ")
}
