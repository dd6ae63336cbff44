package provider

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func resourceSchemaOf(t *testing.T, r resource.Resource) tfsdk.State {
	t.Helper()
	var resp resource.SchemaResponse
	r.Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return tfsdk.State{Schema: resp.Schema}
}

// The codec reads and writes exactly what the framework's Get and Set do,
// for the models it serves, with known, null and unknown values.
func TestModelCodecMatchesFramework(t *testing.T) {
	ctx := context.Background()
	events := types.SetValueMust(types.StringType, []attr.Value{types.StringValue("session.completed"), types.StringValue("support.message")})
	webhooks := []webhookResourceModel{
		{
			WebhookModel: WebhookModel{
				ID: types.StringValue("wh_1"), URL: types.StringValue("https://hooks.example.com/a"), Events: events,
				Description: types.StringValue("d"), Enabled: types.BoolValue(true), Username: types.StringNull(),
				APIVersion: types.StringValue("2"), CreatedAt: types.StringValue("2026-01-01T00:00:00Z"), UpdatedAt: types.StringUnknown(),
			},
			Secret: types.StringNull(), SecretWO: types.StringNull(), SecretWOVersion: types.Int64Value(3),
		},
		{
			WebhookModel: WebhookModel{
				ID: types.StringUnknown(), URL: types.StringValue("https://hooks.example.com/b"), Events: types.SetUnknown(types.StringType),
				Description: types.StringNull(), Enabled: types.BoolUnknown(), Username: types.StringValue("Acme-store-01"),
				APIVersion: types.StringUnknown(), CreatedAt: types.StringUnknown(), UpdatedAt: types.StringUnknown(),
			},
			Secret: types.StringValue("s3cret"), SecretWO: types.StringNull(), SecretWOVersion: types.Int64Null(),
		},
	}
	for i, m := range webhooks {
		checkCodec(t, ctx, resourceSchemaOf(t, NewWebhookResource()), &m, i)
	}
	users := []IntegrationUserModel{
		flattenUserForTest(),
		{ID: types.StringUnknown(), UniqueUserID: types.StringValue("store-01"), Email: types.StringValue("a@example.com"), FirstName: types.StringNull(), LastName: types.StringNull(), Username: types.StringUnknown(), CreatedAt: types.StringUnknown()},
	}
	for i, m := range users {
		checkCodec(t, ctx, resourceSchemaOf(t, NewIntegrationUserResource()), &m, i)
	}
}

func flattenUserForTest() IntegrationUserModel {
	return IntegrationUserModel{
		ID: types.StringValue("store-01"), UniqueUserID: types.StringValue("store-01"), Email: types.StringValue("a@example.com"),
		FirstName: types.StringValue("Ada"), LastName: types.StringValue("Lovelace"), Username: types.StringValue("Acme-store-01"),
		CreatedAt: types.StringValue("2026-01-01T00:00:00Z"),
	}
}

func checkCodec[T any](t *testing.T, ctx context.Context, empty tfsdk.State, m *T, i int) {
	t.Helper()
	framework := empty
	if d := framework.Set(ctx, m); d.HasError() {
		t.Fatalf("%T #%d: framework Set: %v", m, i, d)
	}
	codec := empty
	if d := setState(ctx, &codec, m); d.HasError() {
		t.Fatalf("%T #%d: codec set: %v", m, i, d)
	}
	if !codec.Raw.Equal(framework.Raw) {
		t.Fatalf("%T #%d: codec wrote\n%s\nthe framework\n%s", m, i, codec.Raw, framework.Raw)
	}
	var viaFramework, viaCodec T
	if d := framework.Get(ctx, &viaFramework); d.HasError() {
		t.Fatal(d)
	}
	if d := getState(ctx, framework, &viaCodec); d.HasError() {
		t.Fatal(d)
	}
	if !reflect.DeepEqual(viaCodec, viaFramework) || !reflect.DeepEqual(viaCodec, *m) {
		t.Fatalf("%T #%d: codec read %+v, the framework %+v, written %+v", m, i, viaCodec, viaFramework, *m)
	}
}

// Models that do not fit the schema are errors, not silent gaps.
func TestModelCodecErrors(t *testing.T) {
	ctx := context.Background()
	st := resourceSchemaOf(t, NewIntegrationUserResource())
	type untagged struct {
		ID types.String
	}
	type notAttr struct {
		ID string `tfsdk:"id"`
	}
	type short struct {
		ID types.String `tfsdk:"id"`
	}
	type wrongType struct {
		ID           types.Int64  `tfsdk:"id"`
		UniqueUserID types.String `tfsdk:"unique_user_id"`
		Email        types.String `tfsdk:"email"`
		FirstName    types.String `tfsdk:"first_name"`
		LastName     types.String `tfsdk:"last_name"`
		Username     types.String `tfsdk:"username"`
		CreatedAt    types.String `tfsdk:"created_at"`
	}
	full := flattenUserForTest()
	if d := setState(ctx, &st, &full); d.HasError() {
		t.Fatal(d)
	}
	for name, get := range map[string]func() error{
		"untagged":   func() error { var m untagged; return diagErr(getState(ctx, st, &m)) },
		"not attr":   func() error { var m notAttr; return diagErr(getState(ctx, st, &m)) },
		"short":      func() error { var m short; return diagErr(getState(ctx, st, &m)) },
		"wrong type": func() error { var m wrongType; return diagErr(getState(ctx, st, &m)) },
		"set wrong type": func() error {
			m := wrongType{ID: types.Int64Value(1)}
			return diagErr(setState(ctx, &st, &m))
		},
	} {
		if err := get(); err == nil || !strings.Contains(err.Error(), "Value Conversion Error") {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := encodeModel(ctx, types.StringType, &full); err == nil {
		t.Error("a non-object schema type was accepted")
	}
	if err := decodeModel(ctx, types.StringType, tftypes.NewValue(tftypes.String, "x"), &full); err == nil {
		t.Error("a non-object schema type was accepted")
	}
}

// diagErr turns error diagnostics into one error ("" summaries joined).
func diagErr(d diag.Diagnostics) error {
	if !d.HasError() {
		return nil
	}
	var parts []string
	for _, e := range d.Errors() {
		parts = append(parts, e.Summary()+": "+e.Detail())
	}
	return errors.New(strings.Join(parts, "; "))
}
