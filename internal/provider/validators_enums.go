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
// Every list it checks is Entrupy's to extend: webhook events ("Additional
// events may be added" [doc]) and the values of its catalogue, to which it
// adds brands, results, flags, form factors and categories between
// provider releases (the data-model seed). So a value the provider does not
// know is a warning, never an error, and is used as written: Entrupy's
// answer decides. The warning names the attribute and the value, and the
// closest known value when there is one, so that a typo stands out.
type enumValues struct {
	// noun is what a value is, e.g. "event" or "brand id".
	noun  string
	known []string
	// aliases maps other names of a known value (display names) to it; they
	// only help to find the closest known value.
	aliases map[string]string
	// outcome says what becomes of an unknown value, after the warning's
	// first sentences.
	outcome func(v enumValues, value string) string
}

var (
	_ validator.String = enumValues{}
	_ validator.List   = enumValues{}
	_ validator.Set    = enumValues{}
)

// webhookEventsValidator checks webhook events (entrupy.WebhookEvents): the
// events of entrupy_webhook, the event of entrupy_webhook_test and the
// event filters of entrupy_webhooks and the webhook list resource. An
// event outside the list is sent as written, with a warning.
func webhookEventsValidator() enumValues {
	return enumValues{noun: "event", known: entrupy.WebhookEvents, outcome: func(_ enumValues, value string) string {
		return fmt.Sprintf("The provider uses %q as written, since Entrupy may add events after this provider release (\"Additional events may be added\"): Entrupy's answer decides. "+
			"If Entrupy does not know it either, Entrupy's answer says so: a create, update or test delivery fails with its message, and a filter matches nothing.", value)
	}}
}

// searchOutcome is what becomes of an unknown search filter value.
func searchOutcome(v enumValues, value string) string {
	return fmt.Sprintf("The search runs with %q as written, since Entrupy may add %s after this provider release; if Entrupy does not know it either, it matches nothing (values are compared exactly). "+
		"The entrupy_catalog data source lists the %s the provider knows.", value, v.plural(), v.plural())
}

// catalogueValues checks a search filter of values from Entrupy's catalogue:
// an unknown one is searched for, with a warning naming the closest known
// value (by id or by its display names).
func catalogueValues(noun string, values []entrupy.Value) enumValues {
	v := enumValues{noun: noun, aliases: map[string]string{}, outcome: searchOutcome}
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
	return enumValues{noun: noun, known: ids, outcome: searchOutcome}
}

func (v enumValues) Description(context.Context) string {
	return "should be one of " + quotedList(v.known) + "; another value is used as it is, with a warning"
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
	guess := " The " + v.plural() + " it knows are " + quotedList(v.known) + "."
	if c := v.closest(value); c != "" {
		guess = fmt.Sprintf(" Did you mean %q?", c)
	}
	known := "in the provider's catalogue"
	if v.noun == "event" {
		known = "that this provider release knows"
	}
	diags.AddAttributeWarning(p, "Unknown "+v.noun,
		fmt.Sprintf("%s %q is not %s %s %s.%s %s", label, value, article(v.noun), v.noun, known, guess, v.outcome(v, value)))
}

// article is "a" or "an" for noun.
func article(noun string) string {
	if strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// plural is the noun for several values.
func (v enumValues) plural() string {
	if n, ok := strings.CutSuffix(v.noun, "y"); ok {
		return n + "ies"
	}
	return v.noun + "s"
}
