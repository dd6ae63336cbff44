package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Diagnostics of API errors. Each says what happened and what to do. A
// failure that concerns the whole run rather than one resource (a rejected
// token, an API that does not answer) is said in full once per provider
// instance; every other resource it stops gets one line that refers to it,
// instead of the same paragraph again.

// Failures of the whole run.
const (
	runTokenRejected = "token rejected"
	runNoAnswer      = "no answer"
)

// reported remembers which failures of the whole run were reported in full.
type reported struct {
	mu   sync.Mutex
	done map[string]bool
}

// first reports whether kind has not been reported in full yet, and marks
// it reported.
func (r *reported) first(kind string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.done[kind] {
		return false
	}
	if r.done == nil {
		r.done = map[string]bool{}
	}
	r.done[kind] = true
	return true
}

// verify checks the token and the URL with one health request unless an
// earlier answer in this process did (entrupy.Client.Verify).
func (d *providerData) verify(ctx context.Context) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := d.client.Verify(ctx); err != nil {
		d.addHealthCheckError(&diags, err)
	}
	return diags
}

// tokenRejected says, once in full, that Entrupy refused the token.
func (d *providerData) tokenRejected(diags *diag.Diagnostics, summary string, err error) {
	if !d.reported.first(runTokenRejected) {
		diags.AddError(summary, "Not done: Entrupy rejected the API token (401 Unauthorized), as another error of this run says in full.")
		return
	}
	diags.AddAttributeError(path.Root("api_token"), "Entrupy rejected the API token (401 Unauthorized)",
		fmt.Sprintf("%s: the Entrupy API at %s answered 401 Unauthorized to the token from %s. Check that it is a current API token of your Entrupy account (tokens are account-specific and can be revoked). Every other request of this run fails the same way.\n\n%v",
			summary, d.client.BaseURL(), d.settings.TokenSource, err))
}

// noAnswer says, once in full, that the API could not be reached.
func (d *providerData) noAnswer(diags *diag.Diagnostics, summary string, err error) {
	if !d.reported.first(runNoAnswer) {
		diags.AddError(summary, fmt.Sprintf("No answer from the Entrupy API (%v), as another error of this run says in full.", err))
		return
	}
	diags.AddAttributeError(path.Root("base_url"), "Cannot reach the Entrupy API",
		fmt.Sprintf("%s: the request to %s (base_url from %s) got no answer after retries: %v\n\nCheck network access to the API (base_url, a proxy or a firewall), or raise max_retries or request_timeout.",
			summary, d.client.BaseURL(), d.settings.BaseURLSource, err))
}

// addHealthCheckError says why the health check failed: a rejected token,
// a rate limit, another API error or no answer at all.
func (d *providerData) addHealthCheckError(diags *diag.Diagnostics, err error) {
	const summary = "Checking the API token"
	switch _, isAPI := entrupy.AsAPIError(err); {
	case entrupy.IsUnauthorized(err):
		d.tokenRejected(diags, summary, err)
	case entrupy.IsRateLimited(err):
		diags.AddError("Entrupy API rate limit",
			fmt.Sprintf("The token check against %s kept getting 429 Too Many Requests after retries: other runs on this token are using Entrupy's whole rate limit. Run again when they are done or lower their parallelism; leave max_retries unset so that 429s are retried for up to ten minutes.\n\n%v", d.client.BaseURL(), err))
	case isAPI:
		diags.AddError("Entrupy API health check failed",
			fmt.Sprintf("The health check against %s (from %s) was answered with an error after retries: %v", d.client.BaseURL(), d.settings.BaseURLSource, err))
	default:
		d.noAnswer(diags, summary, err)
	}
}

// addAPIError turns a client error into a diagnostic that says what to do.
func (d *providerData) addAPIError(diags *diag.Diagnostics, summary string, err error) {
	d.addAPIErrorAt(diags, summary, err, nil)
}

// addAPIErrorAt is addAPIError that attaches the diagnostic to the attribute
// the API named in its error's "field", when fields maps it.
func (d *providerData) addAPIErrorAt(diags *diag.Diagnostics, summary string, err error, fields map[string]path.Path) {
	if entrupy.IsUnauthorized(err) {
		d.tokenRejected(diags, summary, err)
		return
	}
	if entrupy.IsNoAnswer(err) {
		d.noAnswer(diags, summary, err)
		return
	}
	e, ok := entrupy.AsAPIError(err)
	if !ok {
		diags.AddError(summary, fmt.Sprintf("The request to the Entrupy API failed: %v", err))
		return
	}
	var hint string
	switch {
	case entrupy.IsRateLimited(err):
		hint = "Entrupy kept answering 429 Too Many Requests after retries: other runs on this token are using the whole rate limit. Run again when they are done, run terraform with a lower -parallelism, or leave max_retries unset so that 429s are retried for up to ten minutes."
	case e.StatusCode >= 500:
		hint = "Entrupy answered with a server error after retries; this is usually temporary. Run terraform again later."
	case e.Field != "":
		hint = fmt.Sprintf("Entrupy says the value of %q is at fault.", e.Field)
	}
	detail := err.Error()
	if hint != "" {
		detail += "\n\n" + hint
	}
	if p, ok := fields[e.Field]; ok && e.Field != "" {
		diags.AddAttributeError(p, summary, detail)
		return
	}
	diags.AddError(summary, detail)
}

// addUncertainCreateError says that a create's answer was lost: the object
// may exist, and how the next apply finds out.
func addUncertainCreateError(diags *diag.Diagnostics, kind, what string, err *entrupy.UncertainCreateError) {
	diags.AddError("The "+kind+" may have been created",
		fmt.Sprintf("The create of %s got no usable answer from Entrupy after retries: %v\n\n"+
			"Entrupy may have made the %s anyway, and nothing records it in Terraform state yet. Run terraform apply again: "+
			"if Entrupy made it, the apply stops at this resource with an \"already exists\" error that names it and gives the import block to add, "+
			"so that it is recorded instead of made a second time; if not, it is created then.",
			what, err.Err, kind))
}

// importHint is the import block that brings an object under a resource.
func importHint(resourceType, id string) string {
	return fmt.Sprintf("  import {\n    to = %s.NAME\n    id = %q\n  }\n\n"+
		"where %s.NAME is this resource's address, as Terraform prints it with this error (inside a module: module.MODULE.%s.NAME). Add the block to the root module and apply: the object is then recorded, not created again. "+
		"For many at once, terraform query -generate-config-out writes such blocks from the entrupy_webhook and entrupy_integration_user list resources (Terraform 1.14+).",
		resourceType, id, resourceType, resourceType)
}

// madeByText says who made an existing object, from its marker.
func madeByText(e *entrupy.ExistsError) string {
	maker, at := e.MadeBy()
	switch {
	case maker != "" && at != "" && e.Withdrawn != "":
		return fmt.Sprintf("made by %s at %s", maker, at)
	case maker != "" && at != "":
		return fmt.Sprintf("made by %s at %s: most likely by an earlier apply whose answer was lost (interrupted, or a server error after Entrupy had made it), or by another configuration that manages it", maker, at)
	case maker != "":
		return "made by " + maker
	case e.OlderMarker:
		return "made by an earlier version of this provider"
	}
	return "made outside this provider (it carries no marker of it: by hand, by a script, by another tool or an SDK login)"
}

// addDeactivatedUserError says what to do about a unique_user_id whose
// integration user was deactivated: Entrupy never lets it be created or
// signed for again, so only a new unique_user_id helps. err is the API's
// answer (a 409).
func addDeactivatedUserError(diags *diag.Diagnostics, uid string, err error) {
	diags.AddAttributeError(path.Root("unique_user_id"), "Integration user was deactivated",
		fmt.Sprintf("Entrupy already had a user %q, and it was deactivated (an entrupy_integration_user that managed it was destroyed or replaced, or it was deleted outside Terraform). "+
			"A deactivated unique_user_id can never be created or signed for again: choose a new unique_user_id, manage that user with an entrupy_integration_user resource, and refer to it (unique_user_id = entrupy_integration_user.this.id).\n\n%v", uid, err))
}
