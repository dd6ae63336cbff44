package provider

import (
	"context"
	"fmt"

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
		hint = "Entrupy rejected the API token (401 Unauthorized). Check api_token or " + EnvAPIToken + "."
	case entrupy.IsRateLimited(err):
		hint = "Entrupy kept answering 429 Too Many Requests after retries. Lower requests_per_second, run terraform with a lower -parallelism, or raise max_retries."
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
