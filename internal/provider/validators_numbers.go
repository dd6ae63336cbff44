package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Numeric attribute types. They exist only where a framework validator
// cannot give a plan-time error that names the attribute: Terraform's
// number reaches an Int64 or Float64 attribute before any validator runs,
// and the framework reports a value it cannot convert (1.5 for an integer,
// 1e400 for a float) as a provider bug without the attribute's name.

// knownNumber is the value of a known, non-null number, or nil.
func knownNumber(in tftypes.Value) *big.Float {
	if in.Type() == nil || !in.Type().Is(tftypes.Number) || !in.IsKnown() || in.IsNull() {
		return nil
	}
	var f *big.Float
	if err := in.As(&f); err != nil {
		return nil
	}
	return f
}

// wholeNumberType is the type of every integer attribute a user sets: an
// Int64 whose values are plain types.Int64, limited to [min, max].
//
// Terraform's "number" carries any value, and the framework's Int64 type
// fails to convert 1.5 or 1e30 with an error it reports as a provider bug
// ("This is always an error in the provider"). This type turns such a
// number into an unknown Int64 instead, and its Validate, which the
// framework calls right after every conversion of a configured value,
// rejects it with a message naming the attribute and the range. The
// Terraform type stays "number", so state is unchanged.
type wholeNumberType struct {
	basetypes.Int64Type
	min, max int64
}

// wholeNumber is the type of an integer attribute from min to max.
func wholeNumber(minimum, maximum int64) wholeNumberType {
	return wholeNumberType{min: minimum, max: maximum}
}

var _ basetypes.Int64Typable = wholeNumberType{}

// Equal also accepts the base Int64 type: this type's values are plain
// Int64 values, whose Type is basetypes.Int64Type.
func (t wholeNumberType) Equal(o attr.Type) bool {
	switch o := o.(type) {
	case wholeNumberType:
		return o == t
	case basetypes.Int64Type:
		return true
	}
	return false
}

func (t wholeNumberType) String() string {
	return fmt.Sprintf("provider.wholeNumberType[%d..%d]", t.min, t.max)
}

func (t wholeNumberType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if f := knownNumber(in); f != nil {
		if _, acc := f.Int64(); !f.IsInt() || acc != big.Exact {
			return basetypes.NewInt64Unknown(), nil // rejected by Validate
		}
	}
	return t.Int64Type.ValueFromTerraform(ctx, in)
}

// Validate rejects a number that is not a whole number from min to max.
func (t wholeNumberType) Validate(ctx context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	f := knownNumber(in)
	if f == nil {
		return t.Int64Type.Validate(ctx, in, p)
	}
	if i, acc := f.Int64(); f.IsInt() && acc == big.Exact && i >= t.min && i <= t.max {
		return nil
	}
	return diag.Diagnostics{diag.NewAttributeErrorDiagnostic(p, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s value must be a whole number between %d and %d, got: %s", p, t.min, t.max, f.Text('g', -1)))}
}

// float64RangeType is the type of a Float64 attribute limited to
// [min, max], or also 0 when zero says what 0 means. Like wholeNumberType,
// it turns a number no float64 can hold (1e400, 1e-400) into an unknown
// value that Validate then rejects, instead of the framework's provider-bug
// error.
type float64RangeType struct {
	basetypes.Float64Type
	min, max float64
	zero     string // what 0 means, e.g. "no client limit"; "" when 0 is not allowed
}

var _ basetypes.Float64Typable = float64RangeType{}

// Equal also accepts the base Float64 type, the type of this type's values.
func (t float64RangeType) Equal(o attr.Type) bool {
	switch o := o.(type) {
	case float64RangeType:
		return o == t
	case basetypes.Float64Type:
		return true
	}
	return false
}

func (t float64RangeType) String() string {
	return "provider.float64RangeType[" + t.rule() + "]"
}

// rule reads naturally: "0 (no client limit) or between 0.1 and 1000".
func (t float64RangeType) rule() string {
	r := "between " + strconv.FormatFloat(t.min, 'f', -1, 64) + " and " + strconv.FormatFloat(t.max, 'f', -1, 64)
	if t.zero != "" {
		r = "0 (" + t.zero + ") or " + r
	}
	return r
}

// float64Of is f as a float64, and whether a float64 holds it.
func float64Of(f *big.Float) (float64, bool) {
	v, acc := f.Float64()
	return v, !math.IsInf(v, 0) && (v != 0 || acc == big.Exact)
}

func (t float64RangeType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	if f := knownNumber(in); f != nil {
		if _, ok := float64Of(f); !ok {
			return basetypes.NewFloat64Unknown(), nil // rejected by Validate
		}
	}
	return t.Float64Type.ValueFromTerraform(ctx, in)
}

// Validate rejects a number outside the range.
func (t float64RangeType) Validate(ctx context.Context, in tftypes.Value, p path.Path) diag.Diagnostics {
	f := knownNumber(in)
	if f == nil {
		return t.Float64Type.Validate(ctx, in, p)
	}
	if v, ok := float64Of(f); ok && (v == 0 && t.zero != "" || v >= t.min && v <= t.max) {
		return nil
	}
	return diag.Diagnostics{diag.NewAttributeErrorDiagnostic(p, "Invalid Attribute Value",
		fmt.Sprintf("Attribute %s value must be %s, got: %s", p, t.rule(), f.Text('g', -1)))}
}

// Bounds of the provider block's numbers.
const (
	maxMaxRetries = 10
	// Below this, requests queue on the limiter for longer than a create
	// may run (createGrace), and a create whose wait would outlast its
	// deadline fails at once.
	minRequestsPerSecond = 0.1
	maxRequestsPerSecond = 1000.0
)

// requestsPerSecondType is the type of the provider's requests_per_second.
var requestsPerSecondType = float64RangeType{min: minRequestsPerSecond, max: maxRequestsPerSecond, zero: "no client limit"}
