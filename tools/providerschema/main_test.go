package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/provider"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// generated returns the provider's schemas as the command writes them,
// decoded the way tfplugindocs reads its --providers-schema file.
func generated(t *testing.T, address string) *tfjson.ProviderSchema {
	t.Helper()
	out := filepath.Join(t.TempDir(), "schema.json")
	if err := run(context.Background(), out, address); err != nil {
		t.Fatalf("run: %v", err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var schemas tfjson.ProviderSchemas
	if err := schemas.UnmarshalJSON(data); err != nil { // also checks format_version
		t.Fatalf("decoding the generated JSON: %v", err)
	}
	if len(schemas.Schemas) != 1 || schemas.Schemas[address] == nil {
		t.Fatalf("want one provider keyed %q, got keys %v", address, keys(schemas.Schemas))
	}
	return schemas.Schemas[address]
}

func keys[V any](m map[string]V) []string { return sortedKeys(m) }

func TestProviderSchemaShape(t *testing.T) {
	ps := generated(t, DefaultAddress)

	if ps.ConfigSchema == nil || ps.ConfigSchema.Block.Attributes["api_token"] == nil ||
		!ps.ConfigSchema.Block.Attributes["api_token"].Sensitive {
		t.Errorf("provider schema: want a sensitive api_token, got %+v", ps.ConfigSchema)
	}
	for kind, want := range map[string][]string{
		"resource":           {"entrupy_integration_user", "entrupy_webhook"},
		"list resource":      {"entrupy_integration_user", "entrupy_webhook"},
		"resource identity":  {"entrupy_integration_user", "entrupy_webhook"},
		"ephemeral resource": {"entrupy_sdk_authorization"},
		"action":             {"entrupy_webhook_test"},
	} {
		var got []string
		switch kind {
		case "resource":
			got = keys(ps.ResourceSchemas)
		case "list resource":
			got = keys(ps.ListResourceSchemas)
		case "resource identity":
			got = keys(ps.ResourceIdentitySchemas)
		case "ephemeral resource":
			got = keys(ps.EphemeralResourceSchemas)
		case "action":
			got = keys(ps.ActionSchemas)
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s schemas: got %v, want %v", kind, got, want)
		}
	}
	if len(ps.DataSourceSchemas) < 9 {
		t.Errorf("want the 9 data sources, got %v", keys(ps.DataSourceSchemas))
	}

	wh := ps.ResourceSchemas["entrupy_webhook"].Block
	if wh.DescriptionKind != tfjson.SchemaDescriptionKindMarkdown || wh.Description == "" {
		t.Errorf("webhook block: want a markdown description, got %q (%s)", wh.Description, wh.DescriptionKind)
	}
	check := func(name string, got *tfjson.SchemaAttribute, typ string, flags string) {
		t.Helper()
		if got == nil {
			t.Errorf("%s: missing", name)
			return
		}
		ty, _ := got.AttributeType.MarshalJSON()
		var f []string
		for _, on := range []struct {
			set  bool
			name string
		}{{got.Required, "required"}, {got.Optional, "optional"}, {got.Computed, "computed"}, {got.Sensitive, "sensitive"}, {got.WriteOnly, "write_only"}, {got.Deprecated, "deprecated"}} {
			if on.set {
				f = append(f, on.name)
			}
		}
		if string(ty) != typ || strings.Join(f, ",") != flags {
			t.Errorf("%s: got type %s flags %q, want %s %q", name, ty, strings.Join(f, ","), typ, flags)
		}
		if got.DescriptionKind != tfjson.SchemaDescriptionKindMarkdown || got.Description == "" {
			t.Errorf("%s: want a markdown description, got %q (%s)", name, got.Description, got.DescriptionKind)
		}
	}
	check("webhook.id", wh.Attributes["id"], `"string"`, "computed")
	check("webhook.url", wh.Attributes["url"], `"string"`, "required")
	check("webhook.events", wh.Attributes["events"], `["set","string"]`, "required")
	check("webhook.secret", wh.Attributes["secret"], `"string"`, "optional,sensitive")
	check("webhook.secret_wo", wh.Attributes["secret_wo"], `"string"`, "optional,sensitive,write_only")
	check("webhook.secret_wo_version", wh.Attributes["secret_wo_version"], `"number"`, "optional")

	lw := ps.ListResourceSchemas["entrupy_webhook"].Block
	check("list webhook.url_prefix", lw.Attributes["url_prefix"], `"string"`, "optional")
	check("list webhook.events", lw.Attributes["events"], `["list","string"]`, "optional")
	check("list webhook.enabled", lw.Attributes["enabled"], `"bool"`, "optional")
	lu := ps.ListResourceSchemas["entrupy_integration_user"].Block
	check("list user.email_domain", lu.Attributes["email_domain"], `"string"`, "optional")

	items := ps.DataSourceSchemas["entrupy_webhooks"].Block.Attributes["webhooks"]
	if items == nil || items.AttributeNestedType == nil || items.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList ||
		items.AttributeNestedType.Attributes["url"] == nil {
		t.Errorf("entrupy_webhooks.webhooks: want a list nested attribute with url, got %+v", items)
	}

	for name, attr := range map[string]string{"entrupy_webhook": "id", "entrupy_integration_user": "unique_user_id"} {
		id := ps.ResourceIdentitySchemas[name]
		if id == nil || len(id.Attributes) != 1 || id.Attributes[attr] == nil {
			t.Errorf("identity of %s: want only %s, got %+v", name, attr, id)
			continue
		}
		a := id.Attributes[attr]
		ty, _ := a.IdentityType.MarshalJSON()
		if string(ty) != `"string"` || !a.RequiredForImport || a.OptionalForImport || a.Description == "" {
			t.Errorf("identity of %s.%s: got type %s required %v optional %v description %q", name, attr, ty, a.RequiredForImport, a.OptionalForImport, a.Description)
		}
	}
}

// TestConvertBlocksAndModes covers what the provider's own schemas lack:
// nested blocks in every nesting mode, limits, versions, deprecation and
// plain descriptions.
func TestConvertBlocksAndModes(t *testing.T) {
	leaf := &tfprotov6.SchemaBlock{Attributes: []*tfprotov6.SchemaAttribute{{Name: "v", Type: tftypes.Number, Optional: true}}}
	in := &tfprotov6.Schema{
		Version: 3,
		Block: &tfprotov6.SchemaBlock{
			Description: "root",
			Deprecated:  true,
			Attributes: []*tfprotov6.SchemaAttribute{
				{Name: "old", Type: tftypes.String, Optional: true, Deprecated: true, Description: "d"},
				{Name: "m", Type: tftypes.Map{ElementType: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.Bool}}}, Computed: true},
				{Name: "tp", Type: tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Set{ElementType: tftypes.Bool}}}, Computed: true},
				{Name: "ob", Type: tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.List{ElementType: tftypes.Number}}, OptionalAttributes: map[string]struct{}{"b": {}}}, Optional: true},
				{Name: "n", NestedType: &tfprotov6.SchemaObject{Nesting: tfprotov6.SchemaObjectNestingModeMap, Attributes: []*tfprotov6.SchemaAttribute{{Name: "x", Type: tftypes.DynamicPseudoType, Required: true}}}, Optional: true},
			},
			BlockTypes: []*tfprotov6.SchemaNestedBlock{
				{TypeName: "one", Nesting: tfprotov6.SchemaNestedBlockNestingModeSingle, Block: leaf},
				{TypeName: "grp", Nesting: tfprotov6.SchemaNestedBlockNestingModeGroup, Block: leaf},
				{TypeName: "lst", Nesting: tfprotov6.SchemaNestedBlockNestingModeList, Block: leaf, MinItems: 1, MaxItems: 2},
				{TypeName: "st", Nesting: tfprotov6.SchemaNestedBlockNestingModeSet, Block: leaf},
				{TypeName: "mp", Nesting: tfprotov6.SchemaNestedBlockNestingModeMap, Block: leaf},
			},
		},
	}
	got, err := convertSchema(in)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	leafJSON := `{"attributes":{"v":{"type":"number","description_kind":"plain","optional":true}},"description_kind":"plain"}`
	want := `{"version":3,"block":{"attributes":{` +
		`"m":{"type":["map",["object",{"a":"bool"}]],"description_kind":"plain","computed":true},` +
		`"n":{"nested_type":{"attributes":{"x":{"type":"dynamic","description_kind":"plain","required":true}},"nesting_mode":"map"},"description_kind":"plain","optional":true},` +
		`"ob":{"type":["object",{"a":"string","b":["list","number"]},["b"]],"description_kind":"plain","optional":true},` +
		`"old":{"type":"string","description":"d","description_kind":"plain","deprecated":true,"optional":true},` +
		`"tp":{"type":["tuple",["string",["set","bool"]]],"description_kind":"plain","computed":true}},` +
		`"block_types":{` +
		`"grp":{"nesting_mode":"group","block":` + leafJSON + `},` +
		`"lst":{"nesting_mode":"list","block":` + leafJSON + `,"min_items":1,"max_items":2},` +
		`"mp":{"nesting_mode":"map","block":` + leafJSON + `},` +
		`"one":{"nesting_mode":"single","block":` + leafJSON + `},` +
		`"st":{"nesting_mode":"set","block":` + leafJSON + `}},` +
		`"description":"root","description_kind":"plain","deprecated":true}}`
	if string(data) != want {
		t.Errorf("converted schema:\n got %s\nwant %s", data, want)
	}
}

func TestConvertRejectsBadSchemas(t *testing.T) {
	for name, block := range map[string]*tfprotov6.SchemaBlock{
		"block lst": {BlockTypes: []*tfprotov6.SchemaNestedBlock{{TypeName: "lst", Block: &tfprotov6.SchemaBlock{}}}},
		"attribute n": {Attributes: []*tfprotov6.SchemaAttribute{{Name: "n", NestedType: &tfprotov6.SchemaObject{
			Attributes: []*tfprotov6.SchemaAttribute{{Name: "x", Type: tftypes.String, Optional: true}},
		}}}},
		"attribute typeless": {Attributes: []*tfprotov6.SchemaAttribute{{Name: "typeless", Optional: true}}},
	} {
		_, err := convertSchemas("resource", map[string]*tfprotov6.Schema{"x_thing": {Block: block}})
		if err == nil || !strings.Contains(err.Error(), "resource x_thing: "+name) {
			t.Errorf("%s: want an error naming resource x_thing and %s, got %v", name, name, err)
		}
	}
	if err := run(context.Background(), filepath.Join(t.TempDir(), "s.json"), " "); err == nil || !strings.Contains(err.Error(), "-address") {
		t.Errorf("empty address: want an error naming -address, got %v", err)
	}
}

// TestMatchesTerraformProvidersSchema compares the generated JSON with what
// the local Terraform's `terraform providers schema -json` prints for every
// section that Terraform reports (Terraform 1.11 reports neither list
// resources nor identities; 1.12+ adds identities, compared too). List
// resource schemas are left out: Terraform 1.14+ may present them in its
// own shape, and tfplugindocs documents the provider's own list schema.
func TestMatchesTerraformProvidersSchema(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("set TF_ACC=1 to compare with `terraform providers schema -json`")
	}
	tf := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if tf == "" {
		var err error
		if tf, err = exec.LookPath("terraform"); err != nil {
			t.Fatal("TF_ACC is set but no terraform on PATH and no TF_ACC_TERRAFORM_PATH")
		}
	}
	dir := t.TempDir()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := testsupport.BuildProvider(context.Background(), root, dir); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(dir, "cli.tfrc")
	if err := testsupport.WriteCLIConfig(cliConfig, dir); err != nil {
		t.Fatal(err)
	}
	main := "terraform {\n  required_providers {\n    entrupy = { source = \"entrupy/entrupy\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(main), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(tf, "providers", "schema", "-json")
	cmd.Dir = dir
	cmd.Env = testsupport.TerraformEnv(cliConfig)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("terraform providers schema -json: %v\n%s", err, stderr.String())
	}
	var fromTerraform tfjson.ProviderSchemas
	if err := fromTerraform.UnmarshalJSON(out); err != nil {
		t.Fatal(err)
	}
	want := fromTerraform.Schemas[DefaultAddress]
	if want == nil {
		t.Fatalf("terraform printed no schema for %s: keys %v", DefaultAddress, keys(fromTerraform.Schemas))
	}
	got := generated(t, DefaultAddress)

	sections := map[string][2]any{
		"provider":                   {want.ConfigSchema, got.ConfigSchema},
		"resource_schemas":           {want.ResourceSchemas, got.ResourceSchemas},
		"data_source_schemas":        {want.DataSourceSchemas, got.DataSourceSchemas},
		"ephemeral_resource_schemas": {want.EphemeralResourceSchemas, got.EphemeralResourceSchemas},
		"functions":                  {want.Functions, got.Functions},
	}
	if want.ResourceIdentitySchemas != nil {
		sections["resource_identity_schemas"] = [2]any{want.ResourceIdentitySchemas, got.ResourceIdentitySchemas}
	}
	for name, pair := range sections {
		w, err := json.Marshal(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		g, err := json.Marshal(pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(w, g) {
			t.Errorf("%s differs from terraform providers schema -json:\nterraform: %s\ngenerated: %s", name, w, g)
		}
	}
	if want.ResourceSchemas["entrupy_webhook"] == nil {
		t.Error("terraform reported no entrupy_webhook resource: the comparison proves nothing")
	}
}

// The server is the provider's own; this guards the command against a
// provider whose schema RPC reports an error.
func TestDiagnosticsError(t *testing.T) {
	err := diagnosticsError("GetProviderSchema", []*tfprotov6.Diagnostic{
		{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: "just a warning"},
		{Severity: tfprotov6.DiagnosticSeverityError, Summary: "Bad schema", Detail: "attribute x"},
	})
	if err == nil || err.Error() != "GetProviderSchema: Bad schema: attribute x" {
		t.Errorf("got %v", err)
	}
	if err := diagnosticsError("GetProviderSchema", nil); err != nil {
		t.Errorf("no diagnostics: got %v", err)
	}
	server, err := providerserver.NewProtocol6WithError(provider.New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ProviderSchemas(context.Background(), server, DefaultAddress); err != nil {
		t.Errorf("the provider's schemas: %v", err)
	}
}
