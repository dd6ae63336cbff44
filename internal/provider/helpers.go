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
