// Command providerschema is a docs tool: it writes what `terraform providers
// schema -json` prints for this provider, read straight from the provider's
// protocol server, so that tfplugindocs (--providers-schema) documents every
// schema the provider has, including the list resource, action and resource
// identity schemas that Terraform 1.11 does not report:
//
//	go run ./tools/providerschema -o FILE [-address ADDR]
//
// It converts the kinds this provider has (provider, resources, data
// sources, ephemeral resources, list resources, actions, identities) and
// refuses a schema of another kind (functions, state stores) rather than
// leave it out of the docs: add its conversion when the provider has one.
//
// The JSON has the format of terraform-json's ProviderSchemas (format
// version 1.0): one provider, keyed by its address.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/zclconf/go-cty/cty"

	"github.com/entrupy/terraform-provider-entrupy/internal/provider"
)

// DefaultAddress is the key `terraform providers schema -json` uses for this
// provider in a configuration that requires source "entrupy/entrupy".
const DefaultAddress = "registry.terraform.io/entrupy/entrupy"

// formatVersion is the format_version Terraform writes for provider schemas.
const formatVersion = "1.0"

func main() {
	out := flag.String("o", "", "file to write the JSON to (default: standard output)")
	address := flag.String("address", DefaultAddress, "provider address the schema is keyed by; tfplugindocs --providers-schema looks up only \"<name>\" and \"registry.terraform.io/hashicorp/<name>\"")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: providerschema [-o FILE] [-address ADDR]")
		os.Exit(2)
	}
	if err := run(context.Background(), *out, *address); err != nil {
		fmt.Fprintln(os.Stderr, "providerschema:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out, address string) error {
	if strings.TrimSpace(address) == "" {
		return errors.New("-address must not be empty")
	}
	server, err := providerserver.NewProtocol6WithError(provider.New("dev")())()
	if err != nil {
		return fmt.Errorf("starting the provider server: %w", err)
	}
	schemas, err := ProviderSchemas(ctx, server, address)
	if err != nil {
		return err
	}
	data, err := json.Marshal(schemas)
	if err != nil {
		return fmt.Errorf("encoding the schemas: %w", err)
	}
	data = append(data, '\n')
	if out == "" {
		_, err = os.Stdout.Write(data)
		return err
	}
	return os.WriteFile(out, data, 0o600)
}

// ProviderSchemas asks server for its schemas (GetProviderSchema and
// GetResourceIdentitySchemas) and returns them as `terraform providers
// schema -json` would print them, keyed by address.
func ProviderSchemas(ctx context.Context, server tfprotov6.ProviderServer, address string) (*tfjson.ProviderSchemas, error) {
	resp, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema: %w", err)
	}
	if err := diagnosticsError("GetProviderSchema", resp.Diagnostics); err != nil {
		return nil, err
	}
	if len(resp.Functions) > 0 || len(resp.StateStoreSchemas) > 0 {
		return nil, fmt.Errorf("the provider serves %d functions and %d state stores, which providerschema does not convert yet", len(resp.Functions), len(resp.StateStoreSchemas))
	}
	idResp, err := server.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetResourceIdentitySchemas: %w", err)
	}
	if err := diagnosticsError("GetResourceIdentitySchemas", idResp.Diagnostics); err != nil {
		return nil, err
	}

	ps := &tfjson.ProviderSchema{}
	if ps.ConfigSchema, err = convertSchema(resp.Provider); err != nil {
		return nil, fmt.Errorf("provider schema: %w", err)
	}
	if ps.ResourceSchemas, err = convertSchemas("resource", resp.ResourceSchemas); err != nil {
		return nil, err
	}
	if ps.DataSourceSchemas, err = convertSchemas("data source", resp.DataSourceSchemas); err != nil {
		return nil, err
	}
	if ps.EphemeralResourceSchemas, err = convertSchemas("ephemeral resource", resp.EphemeralResourceSchemas); err != nil {
		return nil, err
	}
	if ps.ListResourceSchemas, err = convertSchemas("list resource", resp.ListResourceSchemas); err != nil {
		return nil, err
	}
	if ps.ActionSchemas, err = convertActions(resp.ActionSchemas); err != nil {
		return nil, err
	}
	if ps.ResourceIdentitySchemas, err = convertIdentities(idResp.IdentitySchemas); err != nil {
		return nil, err
	}
	return &tfjson.ProviderSchemas{
		FormatVersion: formatVersion,
		Schemas:       map[string]*tfjson.ProviderSchema{address: ps},
	}, nil
}

// diagnosticsError joins the error diagnostics of an RPC, or returns nil.
func diagnosticsError(rpc string, diags []*tfprotov6.Diagnostic) error {
	var errs []error
	for _, d := range diags {
		if d == nil || d.Severity != tfprotov6.DiagnosticSeverityError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		errs = append(errs, errors.New(msg))
	}
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s: %w", rpc, errors.Join(errs...))
}

// convertSchemas converts the schemas of one kind; nil when there are none,
// as Terraform omits an empty map.
func convertSchemas(kind string, in map[string]*tfprotov6.Schema) (map[string]*tfjson.Schema, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*tfjson.Schema, len(in))
	for _, name := range sortedKeys(in) {
		s, err := convertSchema(in[name])
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", kind, name, err)
		}
		out[name] = s
	}
	return out, nil
}

func convertSchema(in *tfprotov6.Schema) (*tfjson.Schema, error) {
	if in == nil {
		return nil, nil
	}
	if in.Version < 0 {
		return nil, fmt.Errorf("negative schema version %d", in.Version)
	}
	out := &tfjson.Schema{Version: uint64(in.Version)}
	if in.Block == nil {
		// Terraform always has a root block, empty when the provider sends none.
		out.Block = &tfjson.SchemaBlock{DescriptionKind: tfjson.SchemaDescriptionKindPlain}
		return out, nil
	}
	block, err := convertBlock(in.Block)
	if err != nil {
		return nil, err
	}
	out.Block = block
	return out, nil
}

func convertBlock(in *tfprotov6.SchemaBlock) (*tfjson.SchemaBlock, error) {
	out := &tfjson.SchemaBlock{
		Description:     in.Description,
		DescriptionKind: descriptionKind(in.DescriptionKind),
		Deprecated:      in.Deprecated,
	}
	attrs, err := convertAttributes(in.Attributes)
	if err != nil {
		return nil, err
	}
	out.Attributes = attrs
	if len(in.BlockTypes) > 0 {
		out.NestedBlocks = make(map[string]*tfjson.SchemaBlockType, len(in.BlockTypes))
	}
	for _, nb := range in.BlockTypes {
		if nb == nil {
			continue
		}
		bt, err := convertNestedBlock(nb)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", nb.TypeName, err)
		}
		out.NestedBlocks[nb.TypeName] = bt
	}
	return out, nil
}

func convertNestedBlock(in *tfprotov6.SchemaNestedBlock) (*tfjson.SchemaBlockType, error) {
	mode, err := blockNestingMode(in.Nesting)
	if err != nil {
		return nil, err
	}
	if in.MinItems < 0 || in.MaxItems < 0 {
		return nil, fmt.Errorf("negative min_items %d or max_items %d", in.MinItems, in.MaxItems)
	}
	out := &tfjson.SchemaBlockType{
		NestingMode: mode,
		MinItems:    uint64(in.MinItems),
		MaxItems:    uint64(in.MaxItems),
	}
	if in.Block == nil {
		out.Block = &tfjson.SchemaBlock{DescriptionKind: tfjson.SchemaDescriptionKindPlain}
		return out, nil
	}
	if out.Block, err = convertBlock(in.Block); err != nil {
		return nil, err
	}
	return out, nil
}

func convertAttributes(in []*tfprotov6.SchemaAttribute) (map[string]*tfjson.SchemaAttribute, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*tfjson.SchemaAttribute, len(in))
	for _, a := range in {
		if a == nil {
			continue
		}
		attr, err := convertAttribute(a)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", a.Name, err)
		}
		out[a.Name] = attr
	}
	return out, nil
}

func convertAttribute(in *tfprotov6.SchemaAttribute) (*tfjson.SchemaAttribute, error) {
	out := &tfjson.SchemaAttribute{
		Description:     in.Description,
		DescriptionKind: descriptionKind(in.DescriptionKind),
		Deprecated:      in.Deprecated,
		Required:        in.Required,
		Optional:        in.Optional,
		Computed:        in.Computed,
		Sensitive:       in.Sensitive,
		WriteOnly:       in.WriteOnly,
	}
	switch {
	case in.NestedType != nil:
		nested, err := convertObject(in.NestedType)
		if err != nil {
			return nil, err
		}
		out.AttributeNestedType = nested
	case in.Type != nil:
		ty, err := ctyType(in.Type)
		if err != nil {
			return nil, err
		}
		out.AttributeType = ty
	default:
		return nil, errors.New("neither a type nor a nested type")
	}
	return out, nil
}

func convertObject(in *tfprotov6.SchemaObject) (*tfjson.SchemaNestedAttributeType, error) {
	mode, err := objectNestingMode(in.Nesting)
	if err != nil {
		return nil, err
	}
	attrs, err := convertAttributes(in.Attributes)
	if err != nil {
		return nil, err
	}
	return &tfjson.SchemaNestedAttributeType{Attributes: attrs, NestingMode: mode}, nil
}

func convertIdentities(in map[string]*tfprotov6.ResourceIdentitySchema) (map[string]*tfjson.IdentitySchema, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*tfjson.IdentitySchema, len(in))
	for _, name := range sortedKeys(in) {
		s := in[name]
		if s == nil {
			continue
		}
		if s.Version < 0 {
			return nil, fmt.Errorf("identity of %s: negative version %d", name, s.Version)
		}
		id := &tfjson.IdentitySchema{Version: uint64(s.Version)}
		if len(s.IdentityAttributes) > 0 {
			id.Attributes = make(map[string]*tfjson.IdentityAttribute, len(s.IdentityAttributes))
		}
		for _, a := range s.IdentityAttributes {
			if a == nil {
				continue
			}
			ty, err := ctyType(a.Type)
			if err != nil {
				return nil, fmt.Errorf("identity of %s, attribute %s: %w", name, a.Name, err)
			}
			id.Attributes[a.Name] = &tfjson.IdentityAttribute{
				IdentityType:      ty,
				Description:       a.Description,
				RequiredForImport: a.RequiredForImport,
				OptionalForImport: a.OptionalForImport,
			}
		}
		out[name] = id
	}
	return out, nil
}

func convertActions(in map[string]*tfprotov6.ActionSchema) (map[string]*tfjson.ActionSchema, error) {
	if len(in) == 0 {
		return nil, nil
	}
	out := make(map[string]*tfjson.ActionSchema, len(in))
	for _, name := range sortedKeys(in) {
		a := in[name]
		if a == nil {
			continue
		}
		s, err := convertSchema(a.Schema)
		if err != nil {
			return nil, fmt.Errorf("action %s: %w", name, err)
		}
		act := &tfjson.ActionSchema{}
		if s != nil {
			act.Block = s.Block
		}
		out[name] = act
	}
	return out, nil
}

// ctyType converts a plugin-protocol type to the cty type Terraform prints
// (the two have the same JSON form: "string", ["list","string"], ...).
func ctyType(in tftypes.Type) (cty.Type, error) {
	switch {
	case in == nil:
		return cty.NilType, errors.New("missing type")
	case in.Is(tftypes.String):
		return cty.String, nil
	case in.Is(tftypes.Number):
		return cty.Number, nil
	case in.Is(tftypes.Bool):
		return cty.Bool, nil
	case in.Is(tftypes.DynamicPseudoType):
		return cty.DynamicPseudoType, nil
	}
	switch t := in.(type) {
	case tftypes.List:
		elem, err := ctyType(t.ElementType)
		return cty.List(elem), err
	case tftypes.Set:
		elem, err := ctyType(t.ElementType)
		return cty.Set(elem), err
	case tftypes.Map:
		elem, err := ctyType(t.ElementType)
		return cty.Map(elem), err
	case tftypes.Tuple:
		elems := make([]cty.Type, len(t.ElementTypes))
		for i, e := range t.ElementTypes {
			ty, err := ctyType(e)
			if err != nil {
				return cty.NilType, fmt.Errorf("tuple element %d: %w", i, err)
			}
			elems[i] = ty
		}
		return cty.Tuple(elems), nil
	case tftypes.Object:
		attrs := make(map[string]cty.Type, len(t.AttributeTypes))
		for name, a := range t.AttributeTypes {
			ty, err := ctyType(a)
			if err != nil {
				return cty.NilType, fmt.Errorf("object attribute %s: %w", name, err)
			}
			attrs[name] = ty
		}
		if len(t.OptionalAttributes) == 0 {
			return cty.Object(attrs), nil
		}
		return cty.ObjectWithOptionalAttrs(attrs, sortedKeys(t.OptionalAttributes)), nil
	default:
		return cty.NilType, fmt.Errorf("unsupported type %s", in)
	}
}

func descriptionKind(k tfprotov6.StringKind) tfjson.SchemaDescriptionKind {
	if k == tfprotov6.StringKindMarkdown {
		return tfjson.SchemaDescriptionKindMarkdown
	}
	return tfjson.SchemaDescriptionKindPlain
}

func blockNestingMode(m tfprotov6.SchemaNestedBlockNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaNestedBlockNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaNestedBlockNestingModeGroup:
		return tfjson.SchemaNestingModeGroup, nil
	case tfprotov6.SchemaNestedBlockNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaNestedBlockNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaNestedBlockNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	default:
		return "", fmt.Errorf("invalid block nesting mode %v", m)
	}
}

func objectNestingMode(m tfprotov6.SchemaObjectNestingMode) (tfjson.SchemaNestingMode, error) {
	switch m {
	case tfprotov6.SchemaObjectNestingModeSingle:
		return tfjson.SchemaNestingModeSingle, nil
	case tfprotov6.SchemaObjectNestingModeList:
		return tfjson.SchemaNestingModeList, nil
	case tfprotov6.SchemaObjectNestingModeSet:
		return tfjson.SchemaNestingModeSet, nil
	case tfprotov6.SchemaObjectNestingModeMap:
		return tfjson.SchemaNestingModeMap, nil
	default:
		return "", fmt.Errorf("invalid nested attribute nesting mode %v", m)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
