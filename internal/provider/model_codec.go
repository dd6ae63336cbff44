package provider

import (
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A faster Get and Set for the models of the resources' hot paths (Read and
// ModifyPlan run once per resource in every plan). The framework's
// tfsdk.State.Get and Set reflect over the model on every call and, in
// terraform-plugin-framework 1.19, compile a regular expression for each
// struct field they look at; in a plan of 1,000 webhooks that alone was a
// tenth of the provider's CPU time. Here the model's fields are looked up
// once per Go type, and each value converts itself with its attr.Type, as
// the framework does for attr.Value fields.
//
// The models must be structs whose fields (embedded structs' included) are
// attr.Value types tagged `tfsdk:"name"`, one per attribute of the schema
// type: anything else is an error, never a silent gap.

type modelFields struct {
	names   []string
	indexes [][]int
}

var modelFieldCache sync.Map // reflect.Type → *modelFields

var attrValueType = reflect.TypeFor[attr.Value]()

// fieldsOf returns the tagged fields of struct type t.
func fieldsOf(t reflect.Type) (*modelFields, error) {
	if f, ok := modelFieldCache.Load(t); ok {
		return f.(*modelFields), nil //nolint:forcetypeassert // the cache holds only *modelFields
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("model %s is not a struct", t)
	}
	f := &modelFields{}
	for _, sf := range reflect.VisibleFields(t) {
		tag, tagged := sf.Tag.Lookup("tfsdk")
		switch {
		case sf.Anonymous && !tagged:
			continue // an embedded model: its fields are visited too
		case !tagged:
			return nil, fmt.Errorf("model %s: field %s has no tfsdk tag", t, sf.Name)
		case tag == "-":
			continue
		case !sf.Type.Implements(attrValueType):
			return nil, fmt.Errorf("model %s: field %s (%s) is not an attr.Value", t, sf.Name, sf.Type)
		}
		f.names = append(f.names, tag)
		f.indexes = append(f.indexes, sf.Index)
	}
	modelFieldCache.Store(t, f)
	return f, nil
}

// objectAttrTypes returns the attribute types of a schema's object type.
func objectAttrTypes(typ attr.Type) (map[string]attr.Type, error) {
	obj, ok := typ.(attr.TypeWithAttributeTypes)
	if !ok {
		return nil, fmt.Errorf("schema type %s is not an object", typ)
	}
	return obj.AttributeTypes(), nil
}

// getModel decodes raw, a value of the schema type typ, into out: what
// tfsdk.State.Get(ctx, out) does.
func getModel[T any](ctx context.Context, typ attr.Type, raw tftypes.Value, out *T) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := decodeModel(ctx, typ, raw, out); err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to read the resource's data. This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
	}
	return diags
}

func decodeModel[T any](ctx context.Context, typ attr.Type, raw tftypes.Value, out *T) error {
	rv := reflect.ValueOf(out).Elem()
	fields, err := fieldsOf(rv.Type())
	if err != nil {
		return err
	}
	types, err := objectAttrTypes(typ)
	if err != nil {
		return err
	}
	if len(types) != len(fields.names) {
		return fmt.Errorf("model %s has %d attributes, the schema %d", rv.Type(), len(fields.names), len(types))
	}
	var vals map[string]tftypes.Value
	if err := raw.As(&vals); err != nil {
		return fmt.Errorf("model %s: %w", rv.Type(), err)
	}
	for i, name := range fields.names {
		at, ok := types[name]
		if !ok {
			return fmt.Errorf("model %s: the schema has no attribute %q", rv.Type(), name)
		}
		tv, ok := vals[name]
		if !ok {
			tv = tftypes.NewValue(at.TerraformType(ctx), nil)
		}
		v, err := at.ValueFromTerraform(ctx, tv)
		if err != nil {
			return fmt.Errorf("model %s, attribute %q: %w", rv.Type(), name, err)
		}
		fv := rv.FieldByIndex(fields.indexes[i])
		nv := reflect.ValueOf(v)
		if !nv.Type().AssignableTo(fv.Type()) {
			return fmt.Errorf("model %s, attribute %q: a %s does not fit a field of type %s", rv.Type(), name, nv.Type(), fv.Type())
		}
		fv.Set(nv)
	}
	return nil
}

// modelValue encodes m as a value of the schema type typ: what
// tfsdk.State.Set(ctx, m) stores in State.Raw.
func modelValue[T any](ctx context.Context, typ attr.Type, m *T) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	v, err := encodeModel(ctx, typ, m)
	if err != nil {
		diags.AddError("Value Conversion Error", "An unexpected error was encountered trying to write the resource's data. This is always an error in the provider. Please report the following to the provider developer:\n\n"+err.Error())
	}
	return v, diags
}

func encodeModel[T any](ctx context.Context, typ attr.Type, m *T) (tftypes.Value, error) {
	rv := reflect.ValueOf(m).Elem()
	fields, err := fieldsOf(rv.Type())
	if err != nil {
		return tftypes.Value{}, err
	}
	objType, ok := typ.TerraformType(ctx).(tftypes.Object)
	if !ok {
		return tftypes.Value{}, fmt.Errorf("schema type %s is not an object", typ)
	}
	if len(objType.AttributeTypes) != len(fields.names) {
		return tftypes.Value{}, fmt.Errorf("model %s has %d attributes, the schema %d", rv.Type(), len(fields.names), len(objType.AttributeTypes))
	}
	vals := make(map[string]tftypes.Value, len(fields.names))
	for i, name := range fields.names {
		want, ok := objType.AttributeTypes[name]
		if !ok {
			return tftypes.Value{}, fmt.Errorf("model %s: the schema has no attribute %q", rv.Type(), name)
		}
		av, ok := rv.FieldByIndex(fields.indexes[i]).Interface().(attr.Value)
		if !ok {
			return tftypes.Value{}, fmt.Errorf("model %s, attribute %q: not an attr.Value", rv.Type(), name)
		}
		tv, err := av.ToTerraformValue(ctx)
		if err != nil {
			return tftypes.Value{}, fmt.Errorf("model %s, attribute %q: %w", rv.Type(), name, err)
		}
		if !tv.Type().Equal(want) {
			return tftypes.Value{}, fmt.Errorf("model %s, attribute %q: a value of type %s where the schema has %s", rv.Type(), name, tv.Type(), want)
		}
		vals[name] = tv
	}
	return tftypes.NewValue(objType, vals), nil
}
