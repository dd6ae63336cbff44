package provider

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"
)

// Configurations with action blocks (the action's example, guide blocks)
// cannot run on a CLI without actions (Terraform below 1.14, OpenTofu).
// Whatever the CLI, checkActionBlocks holds them to the provider's schema
// at the protocol level, as Terraform 1.14 and later would: every action block names an
// action of the provider, its config block sets only attributes of the
// action's schema (every required one), ValidateActionConfig accepts it,
// and every action_trigger names trigger events Terraform knows and
// actions the configuration declares.

func hasActionBlock(src string) bool { return hasTopLevelBlock(src, `action "`) }

// usesCaller reports whether a configuration refers to an action trigger's
// caller (Terraform 1.16+).
func usesCaller(src string) bool { return callerRE.MatchString(src) }

var callerRE = regexp.MustCompile(`\bcaller\.`)

// actionTriggerEvents are the events of an action_trigger (Terraform 1.14).
var actionTriggerEvents = []string{"before_create", "after_create", "before_update", "after_update"}

// checkActionBlocks checks the action blocks and action triggers of one
// configuration file's text (see above); it returns how many action
// blocks it checked.
func checkActionBlocks(t *testing.T, name, src string) int {
	t.Helper()
	ctx := context.Background()
	p := serveProvider(t)
	srv, schema := p.srv, p.schema
	actions, ok := srv.(tfprotov6.ActionServer)
	if !ok {
		t.Fatal("the provider server serves no actions")
	}
	file, diags := hclsyntax.ParseConfig([]byte(src), name, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%s: %s", name, diags.Error())
	}
	body, ok := file.Body.(*hclsyntax.Body)
	if !ok {
		t.Fatalf("%s: not native HCL syntax", name)
	}
	declared := map[string]bool{}
	for _, b := range body.Blocks {
		if b.Type != "action" {
			continue
		}
		if len(b.Labels) != 2 {
			t.Errorf("%s: action block with labels %v", name, b.Labels)
			continue
		}
		typ := b.Labels[0]
		declared["action."+typ+"."+b.Labels[1]] = true
		as, ok := schema.ActionSchemas[typ]
		if !ok {
			t.Errorf("%s: the provider has no action %q", name, typ)
			continue
		}
		var cfg *hclsyntax.Body
		for _, inner := range b.Body.Blocks {
			if inner.Type == "config" {
				cfg = inner.Body
			}
		}
		if cfg == nil {
			t.Errorf("%s: action %s.%s has no config block", name, typ, b.Labels[1])
			continue
		}
		objType, isObj := as.Schema.ValueType().(tftypes.Object)
		if !isObj {
			t.Fatalf("action %s: config type %s", typ, as.Schema.ValueType())
		}
		vals := map[string]tftypes.Value{}
		for attr, expr := range cfg.Attributes {
			at, ok := objType.AttributeTypes[attr]
			if !ok {
				t.Errorf("%s: action %s has no attribute %q", name, typ, attr)
				continue
			}
			v, d := expr.Expr.Value(nil)
			switch {
			case d.HasErrors(): // a reference: known only to Terraform
				vals[attr] = tftypes.NewValue(at, tftypes.UnknownValue)
			case v.Type() == cty.String:
				vals[attr] = tftypes.NewValue(at, v.AsString())
			default:
				t.Errorf("%s: action %s: attribute %q is neither a string nor a reference", name, typ, attr)
			}
		}
		for _, a := range as.Schema.Block.Attributes {
			if _, set := vals[a.Name]; a.Required && !set {
				t.Errorf("%s: action %s lacks the required %q", name, typ, a.Name)
			}
		}
		config := objectValue(t, objType, vals)
		dv, err := tfprotov6.NewDynamicValue(objType, config)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := actions.ValidateActionConfig(ctx, &tfprotov6.ValidateActionConfigRequest{ActionType: typ, Config: &dv})
		if err != nil || hasErrors(resp.Diagnostics) {
			t.Errorf("%s: ValidateActionConfig of %s.%s: %v %s", name, typ, b.Labels[1], err, diagText(resp.Diagnostics))
		}
	}
	for _, b := range body.Blocks {
		if b.Type != "resource" {
			continue
		}
		for _, lc := range b.Body.Blocks {
			if lc.Type != "lifecycle" {
				continue
			}
			for _, trig := range lc.Body.Blocks {
				if trig.Type != "action_trigger" {
					continue
				}
				for attr, want := range map[string]func(string) bool{
					"events":  func(s string) bool { return slices.Contains(actionTriggerEvents, s) },
					"actions": func(s string) bool { return declared[s] },
				} {
					expr, ok := trig.Body.Attributes[attr]
					tuple, isTuple := expr.Expr.(*hclsyntax.TupleConsExpr)
					if !ok || !isTuple || len(tuple.Exprs) == 0 {
						t.Errorf("%s: action_trigger of %v: %s must be a non-empty list", name, b.Labels, attr)
						continue
					}
					for _, e := range tuple.Exprs {
						trav, d := hcl.AbsTraversalForExpr(e)
						ref := ""
						if !d.HasErrors() {
							for i, step := range trav {
								switch s := step.(type) {
								case hcl.TraverseRoot:
									ref = s.Name
								case hcl.TraverseAttr:
									if i > 0 {
										ref += "." + s.Name
									}
								}
							}
						}
						if !want(ref) {
							t.Errorf("%s: action_trigger of %v: %s holds %q, not one Terraform knows or the configuration declares", name, b.Labels, attr, ref)
						}
					}
				}
			}
		}
	}
	return len(declared)
}

// TestExamplesActionBlocks checks every example with action blocks against
// the provider's schema (TestAccExamplesValidate runs terraform validate on
// them only with Terraform 1.14+).
func TestExamplesActionBlocks(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*", "*", "*.tf"))
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if hasActionBlock(string(b)) {
			checked += checkActionBlocks(t, f, string(b))
		}
	}
	if checked == 0 {
		t.Fatal("no example with an action block found")
	}
}
