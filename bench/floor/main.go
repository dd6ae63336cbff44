// Command floor is the bench's floor provider: the least a provider built on
// terraform-plugin-framework can do with entrupy_webhook's schema. It serves
// one resource, floor_webhook, whose schema and identity schema are
// entrupy_webhook's own (taken from provider.NewWebhookResource, so the two
// cannot drift), and answers every RPC from memory, without an API:
//
//   - plan: the framework's own planning (defaults, plan modifiers,
//     validators of the schema); no ModifyPlan, no config validators;
//   - read: the state as it is (the framework copies it into the response),
//     and the identity from the state's id when Terraform sent none;
//   - create and update: the plan, with each unknown value filled in;
//   - delete: nothing.
//
// `make bench` builds it (go build ./bench/floor) into a temporary directory
// and installs it through dev_overrides as registry.terraform.io/entrupy/floor,
// beside the real provider; see runPlanCPU in bench/refresh.go.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/provider"
)

// Address is the floor provider's source address.
const Address = "registry.terraform.io/entrupy/floor"

func main() {
	// The real provider switches the framework's logging off when no log is
	// asked for (quietLogs in the repository's main.go); the bench never asks
	// for one, so the floor switches it off too, or the floor would pay a
	// cost the real provider does not.
	if !logsAsked() {
		for _, k := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
			if err := os.Setenv(k, "off"); err != nil {
				log.Fatal(err)
			}
		}
	}
	if err := providerserver.Serve(context.Background(), func() fwprovider.Provider { return floorProvider{} }, providerserver.ServeOpts{Address: Address}); err != nil {
		log.Fatal(err)
	}
}

// logsAsked reports whether any TF_LOG* variable is set (not empty).
func logsAsked() bool {
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "TF_LOG") && v != "" {
			return true
		}
	}
	return false
}

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ fwprovider.MetadataRequest, resp *fwprovider.MetadataResponse) {
	resp.TypeName = "floor"
}

func (floorProvider) Schema(context.Context, fwprovider.SchemaRequest, *fwprovider.SchemaResponse) {}

func (floorProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return &webhook{real: provider.NewWebhookResource()} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// webhook is floor_webhook: entrupy_webhook's schemas, no behaviour.
type webhook struct{ real resource.Resource }

var _ resource.ResourceWithIdentity = (*webhook)(nil)

func (w *webhook) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_webhook"
}

func (w *webhook) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	w.real.Schema(ctx, req, resp)
}

func (w *webhook) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	w.real.(resource.ResourceWithIdentity).IdentitySchema(ctx, req, resp) //nolint:forcetypeassert // entrupy_webhook has an identity
}

func (w *webhook) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	raw, err := known(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("floor: filling the plan", err.Error())
		return
	}
	resp.State.Raw = raw
	setIdentity(ctx, raw, resp.Identity, &resp.Diagnostics)
}

// Read keeps the state as it is (the framework has copied it into resp).
// Terraform before 1.12 stores no identity, so, like entrupy_webhook's Read,
// it sets the identity from the state's id when the request has none.
func (w *webhook) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsFullyNull() {
		return
	}
	setIdentity(ctx, req.State.Raw, resp.Identity, &resp.Diagnostics)
}

// setIdentity sets identity to the id attribute of state.
func setIdentity(ctx context.Context, state tftypes.Value, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	var attrs map[string]tftypes.Value
	if err := state.As(&attrs); err != nil {
		diags.AddError("floor: reading the state", err.Error())
		return
	}
	identity.Raw = tftypes.NewValue(identity.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{"id": attrs["id"]})
}

func (w *webhook) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	raw, err := known(req.Plan.Raw)
	if err != nil {
		resp.Diagnostics.AddError("floor: filling the plan", err.Error())
		return
	}
	resp.State.Raw = raw
}

func (w *webhook) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

var serial atomic.Int64

// known returns v with each unknown string a unique value ("floor-N"), each
// unknown number 0 and each unknown bool false: what an API would answer.
func known(v tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch {
		case v.Type().Is(tftypes.String):
			return tftypes.NewValue(tftypes.String, fmt.Sprintf("floor-%d", serial.Add(1))), nil
		case v.Type().Is(tftypes.Number):
			return tftypes.NewValue(tftypes.Number, 0), nil
		case v.Type().Is(tftypes.Bool):
			return tftypes.NewValue(tftypes.Bool, false), nil
		}
		return v, fmt.Errorf("unknown value of type %s", v.Type())
	})
}
