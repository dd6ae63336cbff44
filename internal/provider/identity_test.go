package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// protoProvider is the provider served as Terraform sees it, RPC by RPC,
// for what the Terraform on PATH (1.11) cannot run: identities and list
// resources.
type protoProvider struct {
	t      *testing.T
	srv    tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

// serveProvider serves the provider, not configured, and reads its schema.
func serveProvider(t *testing.T) *protoProvider {
	t.Helper()
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	schema, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil || hasErrors(schema.Diagnostics) {
		t.Fatalf("GetProviderSchema: %v %s", err, diagText(schema.Diagnostics))
	}
	return &protoProvider{t: t, srv: srv, schema: schema}
}

// newProtoProvider serves the provider and configures it against emu with
// the given provider attributes (base_url and api_token are set).
func newProtoProvider(t *testing.T, emu *testsupport.Emulator, attrs map[string]tftypes.Value) *protoProvider {
	t.Helper()
	ctx := context.Background()
	p := serveProvider(t)
	srv, schema := p.srv, p.schema
	vals := map[string]tftypes.Value{"base_url": str(emu.URL), "api_token": str(emu.Token), "requests_per_second": tftypes.NewValue(tftypes.Number, 0)}
	for k, v := range attrs {
		vals[k] = v
	}
	cfg := p.dynamic(objectValue(t, schema.Provider.ValueType(), vals))
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{TerraformVersion: "1.14.0", Config: cfg})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("ConfigureProvider: %v %s", err, diagText(resp.Diagnostics))
	}
	return p
}

// objectValue is an object of typ with vals, every other attribute null.
func objectValue(t *testing.T, typ tftypes.Type, vals map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	all := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		if v, ok := vals[name]; ok {
			all[name] = v
		} else {
			all[name] = tftypes.NewValue(at, nil)
		}
	}
	for name := range vals {
		if _, ok := obj.AttributeTypes[name]; !ok {
			t.Fatalf("no attribute %q in %s", name, typ)
		}
	}
	return tftypes.NewValue(obj, all)
}

func (p *protoProvider) dynamic(v tftypes.Value) *tfprotov6.DynamicValue {
	p.t.Helper()
	dv, err := tfprotov6.NewDynamicValue(v.Type(), v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &dv
}

// resourceType is the state type of a resource type.
func (p *protoProvider) resourceType(typeName string) tftypes.Type {
	return p.schema.ResourceSchemas[typeName].ValueType()
}

// identityType is the identity type of a resource type.
func (p *protoProvider) identityType(typeName string) tftypes.Type {
	p.t.Helper()
	resp, err := p.srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasErrors(resp.Diagnostics) {
		p.t.Fatalf("GetResourceIdentitySchemas: %v %s", err, diagText(resp.Diagnostics))
	}
	return resp.IdentitySchemas[typeName].ValueType()
}

// decode reads a DynamicValue as a map of its attributes.
func decode(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	if dv == nil {
		t.Fatal("no value")
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	if v.IsNull() {
		return nil
	}
	if err := v.As(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

// stringAttr is a string attribute of a decoded object ("<null>" for null).
func stringAttr(t *testing.T, obj map[string]tftypes.Value, name string) string {
	t.Helper()
	v, ok := obj[name]
	if !ok {
		t.Fatalf("no attribute %q in %v", name, obj)
	}
	if v.IsNull() {
		return "<null>"
	}
	var s string
	if err := v.As(&s); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func hasErrors(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// diagText is every diagnostic as "SEVERITY: summary: detail" lines.
func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s: %s\n", d.Severity, d.Summary, d.Detail)
	}
	return b.String()
}

// importByIdentity runs ImportResourceState with an identity and no ID.
func (p *protoProvider) importByIdentity(typeName string, identity map[string]tftypes.Value) *tfprotov6.ImportResourceStateResponse {
	p.t.Helper()
	id := p.dynamic(objectValue(p.t, p.identityType(typeName), identity))
	resp, err := p.srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: &tfprotov6.ResourceIdentityData{IdentityData: id},
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// importByID runs ImportResourceState with an import ID.
func (p *protoProvider) importByID(typeName, id string) *tfprotov6.ImportResourceStateResponse {
	p.t.Helper()
	resp, err := p.srv.ImportResourceState(context.Background(), &tfprotov6.ImportResourceStateRequest{TypeName: typeName, ID: id})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}

// read runs ReadResource on state, as Terraform 1.11 does (no identity yet).
func (p *protoProvider) read(typeName string, state *tfprotov6.DynamicValue, private []byte) *tfprotov6.ReadResourceResponse {
	p.t.Helper()
	resp, err := p.srv.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: typeName, CurrentState: state, Private: private})
	if err != nil || hasErrors(resp.Diagnostics) {
		p.t.Fatalf("ReadResource %s: %v %s", typeName, err, diagText(resp.Diagnostics))
	}
	return resp
}

// importedThenRead imports (by identity when identity is set, else by id),
// reads the imported object, and returns the state and identity read.
func (p *protoProvider) importedThenRead(typeName, id string, identity map[string]tftypes.Value) (state, ident map[string]tftypes.Value) {
	p.t.Helper()
	var imp *tfprotov6.ImportResourceStateResponse
	if identity != nil {
		imp = p.importByIdentity(typeName, identity)
	} else {
		imp = p.importByID(typeName, id)
	}
	if hasErrors(imp.Diagnostics) || len(imp.ImportedResources) != 1 {
		p.t.Fatalf("import %s %q %v: %d resources, %s", typeName, id, identity, len(imp.ImportedResources), diagText(imp.Diagnostics))
	}
	got := imp.ImportedResources[0]
	if got.Identity == nil {
		p.t.Fatalf("import %s %q: no identity returned", typeName, id)
	}
	read := p.read(typeName, got.State, got.Private)
	if read.NewIdentity == nil {
		p.t.Fatalf("read after import of %s: no identity", typeName)
	}
	return decode(p.t, read.NewState, p.resourceType(typeName)), decode(p.t, read.NewIdentity.IdentityData, p.identityType(typeName))
}

// TestIdentitySchemas: both resources declare an identity at version 0
// (the version that states written by any release carry), with the one
// attribute an import by identity needs.
func TestIdentitySchemas(t *testing.T) {
	srv, err := providerserver.NewProtocol6WithError(New("test")())()
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.GetResourceIdentitySchemas(context.Background(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil || hasErrors(resp.Diagnostics) {
		t.Fatalf("GetResourceIdentitySchemas: %v %s", err, diagText(resp.Diagnostics))
	}
	want := map[string]string{"entrupy_webhook": "id", "entrupy_integration_user": "unique_user_id"}
	if len(resp.IdentitySchemas) != len(want) {
		t.Fatalf("identity schemas for %d resource types, want %d", len(resp.IdentitySchemas), len(want))
	}
	for typeName, attr := range want {
		s := resp.IdentitySchemas[typeName]
		if s == nil {
			t.Fatalf("no identity schema for %s", typeName)
		}
		if s.Version != 0 {
			t.Errorf("%s identity version %d, want 0", typeName, s.Version)
		}
		if len(s.IdentityAttributes) != 1 || s.IdentityAttributes[0].Name != attr || !s.IdentityAttributes[0].RequiredForImport || !s.IdentityAttributes[0].Type.Is(tftypes.String) || s.IdentityAttributes[0].Description == "" {
			t.Errorf("%s identity attributes %+v, want one required string %q with a description", typeName, s.IdentityAttributes, attr)
		}
	}
}

// TestIdentityImportAndRead: import by identity, by ID, by URL and by
// username, each followed by the read Terraform makes, at the protocol
// level; the identity comes back from import and read.
func TestIdentityImportAndRead(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	ctx := context.Background()
	c := emu.Client(t)
	u, err := c.Users.Create(ctx, entrupy.CreateUserRequest{UniqueUserID: "store-identity-01", Email: "id@shop.example.com", FirstName: "Ida"})
	if err != nil {
		t.Fatal(err)
	}
	enabled := true
	wh, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: "https://hooks.example.com/identity", SecretKey: "s", Events: []string{"session.completed"}, Description: "by hand", Enabled: &enabled, Username: u.Username})
	if err != nil {
		t.Fatal(err)
	}
	p := newProtoProvider(t, emu, nil)

	t.Run("webhook by identity", func(t *testing.T) {
		state, ident := p.importedThenRead("entrupy_webhook", "", map[string]tftypes.Value{"id": str(wh.ID)})
		if got := stringAttr(t, ident, "id"); got != wh.ID {
			t.Errorf("identity id %q, want %q", got, wh.ID)
		}
		for attr, want := range map[string]string{"id": wh.ID, "url": wh.URL, "description": "by hand", "username": u.Username, "api_version": "2", "secret": "<null>"} {
			if got := stringAttr(t, state, attr); got != want {
				t.Errorf("state %s %q, want %q", attr, got, want)
			}
		}
	})
	t.Run("webhook by ID and by URL", func(t *testing.T) {
		for _, id := range []string{wh.ID, wh.URL} {
			state, ident := p.importedThenRead("entrupy_webhook", id, nil)
			if stringAttr(t, state, "id") != wh.ID || stringAttr(t, ident, "id") != wh.ID {
				t.Errorf("import %q: state %v identity %v, want id %s", id, state["id"], ident, wh.ID)
			}
		}
	})
	t.Run("user by identity", func(t *testing.T) {
		state, ident := p.importedThenRead("entrupy_integration_user", "", map[string]tftypes.Value{"unique_user_id": str(u.UniqueUserID)})
		if got := stringAttr(t, ident, "unique_user_id"); got != u.UniqueUserID {
			t.Errorf("identity unique_user_id %q, want %q", got, u.UniqueUserID)
		}
		for attr, want := range map[string]string{"id": u.UniqueUserID, "unique_user_id": u.UniqueUserID, "email": u.Email, "username": u.Username, "first_name": "Ida", "last_name": "<null>"} {
			if got := stringAttr(t, state, attr); got != want {
				t.Errorf("state %s %q, want %q", attr, got, want)
			}
		}
	})
	t.Run("user by unique_user_id and by username", func(t *testing.T) {
		if u.Username != emulator.DefaultOrganization+"-store-identity-01" {
			t.Fatalf("username %q", u.Username)
		}
		for _, id := range []string{u.UniqueUserID, u.Username} {
			state, ident := p.importedThenRead("entrupy_integration_user", id, nil)
			if stringAttr(t, state, "unique_user_id") != u.UniqueUserID || stringAttr(t, ident, "unique_user_id") != u.UniqueUserID {
				t.Errorf("import %q: state %v identity %v, want %s", id, state["unique_user_id"], ident, u.UniqueUserID)
			}
		}
	})
	t.Run("errors", func(t *testing.T) {
		// Same URL twice: the URL no longer identifies one webhook.
		twin, err := c.Webhooks.Create(ctx, entrupy.CreateWebhookRequest{URL: wh.URL, SecretKey: "s", Events: []string{"support.message"}})
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			typeName, id string
			identity     map[string]tftypes.Value
			want         string
		}{
			{"entrupy_webhook", wh.URL, nil, `Several webhooks deliver to this URL: 2 webhooks deliver to "https://hooks.example.com/identity": (` + wh.ID + `, ` + twin.ID + `|` + twin.ID + `, ` + wh.ID + `)`},
			{"entrupy_webhook", "https://hooks.example.com/none", nil, `No webhook delivers to this URL: None of the 2 webhooks .*"https://hooks.example.com/none".*Import by webhook ID`},
			{"entrupy_webhook", "hooks.example.com", nil, `Invalid webhook ID: "hooks.example.com" is not a webhook ID`},
			{"entrupy_webhook", "", map[string]tftypes.Value{"id": str("12345")}, `Invalid webhook ID: The import identity's id "12345" is not a webhook ID`},
			{"entrupy_integration_user", "Acme-nobody-here", nil, `Cannot import integration user: Cannot import "Acme-nobody-here": no active integration user has it .*The import ID is the unique_user_id, your platform's id of the user.*<Organization>-<unique_user_id>`},
			{"entrupy_integration_user", "Acme-" + strings.Repeat("x", 40), nil, `Cannot import "Acme-x+": it is not a unique_user_id \(it .*\), and no active integration user has it as username.*The import ID is the unique_user_id`},
			{"entrupy_integration_user", "", map[string]tftypes.Value{"unique_user_id": str("short")}, `Invalid unique_user_id: The import identity's unique_user_id "short" is not a unique_user_id`},
		}
		for _, tc := range cases {
			var resp *tfprotov6.ImportResourceStateResponse
			if tc.identity != nil {
				resp = p.importByIdentity(tc.typeName, tc.identity)
			} else {
				resp = p.importByID(tc.typeName, tc.id)
			}
			text := diagText(resp.Diagnostics)
			if !hasErrors(resp.Diagnostics) || !regexp.MustCompile("(?s)"+tc.want).MatchString(text) {
				t.Errorf("import %s %q %v:\n%s\nwant %s", tc.typeName, tc.id, tc.identity, text, tc.want)
			}
		}
	})
}

// TestAccIdentity_importBlock: an import block with an identity (Terraform
// 1.12+; skipped, saying so, where the CLI has no resource identity) adopts each resource with no change,
// and the identity in state is the ID.
func TestAccIdentity_importBlock(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	config := providerBlock(emu) + `
resource "entrupy_integration_user" "test" {
  unique_user_id = "identity-user-01"
  email          = "identity@shop.example.com"
}
resource "entrupy_webhook" "test" {
  url       = "https://hooks.example.com/identity-block"
  events    = ["session.completed"]
  username  = entrupy_integration_user.test.username
  secret_wo = "identity-secret"
}
`
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{featureIdentity},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply(),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentity(whAddr, map[string]knownvalue.Check{"id": knownvalue.StringRegexp(regexp.MustCompile(`^wh_`))}),
					statecheck.ExpectIdentityValueMatchesState(whAddr, tfjsonpath.New("id")),
					statecheck.ExpectIdentity("entrupy_integration_user.test", map[string]knownvalue.Check{"unique_user_id": knownvalue.StringExact("identity-user-01")}),
				},
			},
			{ResourceName: whAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
			{ResourceName: "entrupy_integration_user.test", ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity},
		},
	})
}

// plan runs PlanResourceChange as Terraform would for prior → config (nil
// prior: create; nil config: destroy). The proposed new state is the
// configuration with computed attributes Terraform does not know from
// configuration taken from prior.
func (p *protoProvider) plan(typeName string, prior, config map[string]tftypes.Value, computed ...string) *tfprotov6.PlanResourceChangeResponse {
	p.t.Helper()
	typ := p.resourceType(typeName)
	priorValue, cfgValue, proposed := tftypes.NewValue(typ, nil), tftypes.NewValue(typ, nil), tftypes.NewValue(typ, nil)
	if prior != nil {
		priorValue = objectValue(p.t, typ, prior)
	}
	if config != nil {
		cfgValue = objectValue(p.t, typ, config)
		merged := map[string]tftypes.Value{}
		for k, v := range config {
			merged[k] = v
		}
		for _, name := range computed {
			if v, known := prior[name]; known {
				if _, set := config[name]; !set {
					merged[name] = v
				}
			}
		}
		proposed = objectValue(p.t, typ, merged)
	}
	resp, err := p.srv.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: p.dynamic(priorValue), ProposedNewState: p.dynamic(proposed), Config: p.dynamic(cfgValue),
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return resp
}
