package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// TestConfigureDeferral drives the provider at the protocol level as
// Terraform does when a provider setting comes from something not yet
// applied (a Stacks component's output, a resource): with DeferralAllowed,
// Configure accepts it and every plan and read that would need the client
// is deferred, without a request; without it, Configure fails naming the
// setting.
func TestConfigureDeferral(t *testing.T) {
	ctx := context.Background()
	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for _, setting := range []string{"api_token", "base_url"} {
		configure := func(t *testing.T, deferralAllowed bool) (*protoProvider, *testsupport.Emulator, *tfprotov6.ConfigureProviderResponse) {
			t.Helper()
			emu := testsupport.StartEmulator(t, emulator.Options{})
			p := serveProvider(t)
			vals := map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(emu.Token), setting: unknown}
			req := &tfprotov6.ConfigureProviderRequest{
				TerraformVersion:   "1.16.4",
				Config:             p.dynamic(objectValue(t, p.schema.Provider.ValueType(), vals)),
				ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
			}
			resp, err := p.srv.ConfigureProvider(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			return p, emu, resp
		}

		t.Run(setting+"/deferral allowed", func(t *testing.T) {
			p, emu, resp := configure(t, true)
			// The protocol carries the deferral on each later call.
			if len(resp.Diagnostics) > 0 {
				t.Fatalf("ConfigureProvider: %s; want no diagnostic", diagText(resp.Diagnostics))
			}

			typ := p.resourceType("entrupy_webhook")
			cfg := objectValue(t, typ, map[string]tftypes.Value{
				"url":    str("https://hooks.example.com/entrupy"),
				"events": tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{str("session.completed")}),
				"secret": str("deferred-secret"),
			})
			plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
				TypeName: "entrupy_webhook", PriorState: p.dynamic(tftypes.NewValue(typ, nil)),
				ProposedNewState: p.dynamic(cfg), Config: p.dynamic(cfg),
				ClientCapabilities: &tfprotov6.PlanResourceChangeClientCapabilities{DeferralAllowed: true},
			})
			if err != nil {
				t.Fatal(err)
			}
			if hasErrors(plan.Diagnostics) || plan.Deferred == nil || plan.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
				t.Errorf("PlanResourceChange of a new webhook: deferred %+v, %s", plan.Deferred, diagText(plan.Diagnostics))
			}

			dsType := p.schema.DataSourceSchemas["entrupy_authentication"].ValueType()
			read, err := p.srv.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{
				TypeName:           "entrupy_authentication",
				Config:             p.dynamic(objectValue(t, dsType, map[string]tftypes.Value{"customer_item_id": str("SKU-01000")})),
				ClientCapabilities: &tfprotov6.ReadDataSourceClientCapabilities{DeferralAllowed: true},
			})
			if err != nil {
				t.Fatal(err)
			}
			if hasErrors(read.Diagnostics) || read.Deferred == nil || read.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
				t.Errorf("ReadDataSource: deferred %+v, %s", read.Deferred, diagText(read.Diagnostics))
			}
			if n := len(emu.Counts()); n != 0 {
				t.Errorf("a deferred plan sent requests: %v", emu.Counts())
			}
		})

		t.Run(setting+"/deferral not allowed", func(t *testing.T) {
			_, emu, resp := configure(t, false)
			if !hasErrors(resp.Diagnostics) ||
				!expectError("Unknown Entrupy provider "+setting+": The provider cannot be configured with a value that is only known after apply. Set "+setting).MatchString(diagText(resp.Diagnostics)) {
				t.Fatalf("ConfigureProvider: %s; want the unknown-%s error", diagText(resp.Diagnostics), setting)
			}
			if got := resp.Diagnostics[0].Attribute; got == nil || got.String() != tftypes.NewAttributePath().WithAttributeName(setting).String() {
				t.Errorf("the error names attribute %v, want %s", got, setting)
			}
			if n := len(emu.Counts()); n != 0 {
				t.Errorf("a failed Configure sent requests: %v", emu.Counts())
			}
		})
	}
}
