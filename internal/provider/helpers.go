package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
