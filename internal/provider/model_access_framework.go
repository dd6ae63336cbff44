//go:build framework_getset

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// The framework's Get and Set in place of the model codec, for the bench's
// comparison (see model_access.go).

func getState[T any](ctx context.Context, s tfsdk.State, out *T) diag.Diagnostics {
	return s.Get(ctx, out)
}

func getPlan[T any](ctx context.Context, p tfsdk.Plan, out *T) diag.Diagnostics {
	return p.Get(ctx, out)
}

func getConfig[T any](ctx context.Context, c tfsdk.Config, out *T) diag.Diagnostics {
	return c.Get(ctx, out)
}

func setState[T any](ctx context.Context, s *tfsdk.State, m *T) diag.Diagnostics {
	return s.Set(ctx, m)
}
