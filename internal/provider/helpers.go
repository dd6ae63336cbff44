package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// configuredData takes the provider's data in a resource's or data source's
// Configure. It is nil before the provider is configured (during validate).
func configuredData(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	d, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	return d
}

// createGrace bounds how long a create may run on after Terraform asked the
// provider to stop.
const createGrace = 5 * time.Minute

// createContext shields a create from Terraform's stop (the first Ctrl-C
// cancels every in-flight request's context). A create abandoned after
// Entrupy committed it would leave an object that is not in state, and the
// next apply would make a duplicate; carried to its outcome, the object is
// recorded. A create not yet started when the stop arrives is not started.
func createContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() != nil {
		return ctx, func() {}
	}
	return context.WithTimeout(context.WithoutCancel(ctx), createGrace)
}

// stringSet reads a set of strings.
func stringSet(ctx context.Context, s types.Set) ([]string, diag.Diagnostics) {
	var out []string
	diags := s.ElementsAs(ctx, &out, false)
	return out, diags
}

// addAPIError turns a client error into a diagnostic that says what to do.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	addAPIErrorAt(diags, summary, err, nil)
}

// addAPIErrorAt is addAPIError that attaches the diagnostic to the attribute
// the API named in its error's "field", when fields maps it.
func addAPIErrorAt(diags *diag.Diagnostics, summary string, err error, fields map[string]path.Path) {
	e, ok := entrupy.AsAPIError(err)
	if !ok {
		diags.AddError(summary, fmt.Sprintf("The request did not get an answer from the Entrupy API after retries: %v. Check network access to the API, or raise max_retries / request_timeout.", err))
		return
	}
	var hint string
	switch {
	case entrupy.IsUnauthorized(err):
		hint = "Entrupy rejected the API token (401 Unauthorized). Check that the provider's api_token (or " + EnvAPIToken + " when api_token is unset) is a current API token of your Entrupy account; tokens are account-specific and can be revoked."
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

// recordCreate reads the outcome of a CreateOnce: it reports whether obj is
// to be recorded in state, with a warning when it was taken over from an
// interrupted earlier apply. False leaves err to the caller.
func recordCreate[T any](diags *diag.Diagnostics, kind string, obj *T, adopted bool, err error) bool {
	if err != nil || obj == nil {
		return false
	}
	if adopted {
		diags.AddWarning("Recovered the "+kind+" of an interrupted earlier apply",
			"An earlier apply of this state, on this machine, created this "+kind+" but its answer never reached Terraform (the apply was killed, the provider crashed, or the answer was lost), so no state recorded it. "+
				"This apply took it over and brought it to the configuration instead of creating a second one.")
	}
	return true
}

// importHint is the import block that brings an object under a resource.
func importHint(resourceType, id string) string {
	return fmt.Sprintf("  import {\n    to = %s.NAME\n    id = %q\n  }\n\n"+
		"where %s.NAME is this resource's address, as Terraform prints it with this error (inside a module: module.MODULE.%s.NAME). Add the block to the root module, remove nothing, and apply: the object is then recorded, not created again.",
		resourceType, id, resourceType, resourceType)
}

// madeByText says who made an existing object, and why that keeps the
// provider from taking it over.
func madeByText(e *entrupy.ExistsError) string {
	switch e.MadeBy {
	case entrupy.MadeByOtherState:
		return "created by Terraform for another state: its marker names a state other than the one this run writes to (another backend, backend configuration or workspace). That state manages it, and two resources must never hold one object"
	case entrupy.MadeByThisState:
		return "created by a run of this same state, but this machine has no record that the create's answer was lost: another resource of this state may hold it, or a run on another machine made it (another CI runner, or a saved plan applied elsewhere). Only the machine that made an interrupted create can prove it is an orphan"
	case entrupy.MadeByOlderProvider:
		return "created by an earlier version of this provider, whose marker named a working directory rather than a state, so nothing proves which state holds it"
	}
	return "made outside Terraform (it carries no marker: by hand, by a script, by another tool or an SDK login)"
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
