package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// enumValues checks values against a list of known ones, for a string
// attribute or each element of a list or set of strings. Null and unknown
// values pass (they are checked once known).
//
// Strict, an unknown value is an error: for values Entrupy must know
// because the provider sends them as they are (webhook events). Lenient, it
// is a warning and the value is used: for values read from Entrupy's
// catalogue, to which Entrupy adds brands, results and categories between
// provider releases (the data-model seed), so that a value added since this
// release can still be searched for. Either way the message names the
// attribute and the value, and the closest known value when there is one.
type enumValues struct {
	// noun is what a value is, e.g. "event" or "brand id".
	noun  string
	known []string
	// aliases maps other names of a known value (display names) to it; they
	// only help to find the closest known value.
	aliases map[string]string
	// lenient makes an unknown value a warning instead of an error.
	lenient bool
}

var (
	_ validator.String = enumValues{}
	_ validator.List   = enumValues{}
	_ validator.Set    = enumValues{}
)

// webhookEventsValidator checks webhook events (entrupy.WebhookEvents): the
// events of entrupy_webhook and the event filter of entrupy_webhooks.
func webhookEventsValidator() enumValues {
	return enumValues{noun: "event", known: entrupy.WebhookEvents}
}

// catalogueValues checks a search filter of values from Entrupy's catalogue:
// an unknown one is searched for, with a warning naming the closest known
// value (by id or by its display names).
func catalogueValues(noun string, values []entrupy.Value) enumValues {
	v := enumValues{noun: noun, lenient: true, aliases: map[string]string{}}
	for _, val := range values {
		v.known = append(v.known, val.ID)
		for _, alias := range []string{val.Display, val.Ja} {
			if alias != "" {
				v.aliases[alias] = val.ID
			}
		}
	}
	return v
}

// catalogueIDs is catalogueValues for values that have no display names.
func catalogueIDs(noun string, ids []string) enumValues {
	return enumValues{noun: noun, lenient: true, known: ids}
}

func (v enumValues) Description(context.Context) string {
	if v.lenient {
		return "should be one of " + quotedList(v.known) + "; another value is used as it is, with a warning"
	}
	return "must be one of " + quotedList(v.known)
}

func (v enumValues) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v enumValues) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v.check(&resp.Diagnostics, req.Path, req.Path.String(), req.ConfigValue.ValueString())
}

func (v enumValues) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, e := range req.ConfigValue.Elements() {
		if s, ok := e.(basetypes.StringValue); ok && !s.IsNull() && !s.IsUnknown() {
			v.check(&resp.Diagnostics, req.Path.AtListIndex(i), req.Path.String()+" element", s.ValueString())
		}
	}
}

// ValidateSet attaches its diagnostics to the set itself: the path of a set
// element reads as Value("..."), which says less than the message does.
func (v enumValues) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, e := range req.ConfigValue.Elements() {
		if s, ok := e.(basetypes.StringValue); ok && !s.IsNull() && !s.IsUnknown() {
			v.check(&resp.Diagnostics, req.Path, req.Path.String()+" element", s.ValueString())
		}
	}
}

// check reports value, labelled as "<attribute>" or "<attribute> element",
// unless it is known.
func (v enumValues) check(diags *diag.Diagnostics, p path.Path, label, value string) {
	if slices.Contains(v.known, value) {
		return
	}
	guess := ""
	if c := v.closest(value); c != "" {
		guess = fmt.Sprintf(" Did you mean %q?", c)
	}
	if !v.lenient {
		diags.AddAttributeError(p, "Invalid "+v.noun,
			fmt.Sprintf("%s %q is not one of %s.%s", label, value, quotedList(v.known), guess))
		return
	}
	if guess == "" {
		guess = " The " + v.plural() + " it knows are " + quotedList(v.known) + "."
	}
	diags.AddAttributeWarning(p, "Unknown "+v.noun,
		fmt.Sprintf("%s %q is not a %s in the provider's catalogue.%s "+
			"The search runs with %q as written, since Entrupy may add %s after this provider release; if Entrupy does not know it either, it matches nothing (values are compared exactly). "+
			"The entrupy_catalog data source lists the %s the provider knows.",
			label, value, v.noun, guess, value, v.plural(), v.plural()))
}

// plural is the noun for several values.
func (v enumValues) plural() string {
	if n, ok := strings.CutSuffix(v.noun, "y"); ok {
		return n + "ies"
	}
	return v.noun + "s"
}
