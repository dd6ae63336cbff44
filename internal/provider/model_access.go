//go:build !framework_getset

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// The resources read and write their models through these helpers, which
// use the model codec (model_codec.go). Built with -tags framework_getset
// they are the framework's Get and Set instead (model_access_framework.go):
// the bench builds the provider both ways to measure what the codec earns.

// getState is req.State.Get(ctx, out) through the codec.
func getState[T any](ctx context.Context, s tfsdk.State, out *T) diag.Diagnostics {
	return getModel(ctx, s.Schema.Type(), s.Raw, out)
}

// getPlan is req.Plan.Get(ctx, out) through the codec.
func getPlan[T any](ctx context.Context, p tfsdk.Plan, out *T) diag.Diagnostics {
	return getModel(ctx, p.Schema.Type(), p.Raw, out)
}

// getConfig is req.Config.Get(ctx, out) through the codec.
func getConfig[T any](ctx context.Context, c tfsdk.Config, out *T) diag.Diagnostics {
	return getModel(ctx, c.Schema.Type(), c.Raw, out)
}

// setState is resp.State.Set(ctx, m) through the codec.
func setState[T any](ctx context.Context, s *tfsdk.State, m *T) diag.Diagnostics {
	raw, diags := modelValue(ctx, s.Schema.Type(), m)
	if !diags.HasError() {
		s.Raw = raw
	}
	return diags
}
