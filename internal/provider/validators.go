package provider

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// String and collection checks. Each wraps the one definition of its rule
// in internal/entrupy/rules.go (shared with the emulator); the numeric types
// are in validators_numbers.go, the enumerations in validators_enums.go and
// the "did you mean" suggester in suggest.go.

// stringCheck is a string validator made of a check function. Null and
// unknown values pass (they are checked once known); a failed check is an
// error on the attribute, reading "<path>: <what the check said>.".
type stringCheck struct {
	summary     string
	description string
	check       func(string) error
}

func (v stringCheck) Description(context.Context) string { return v.description }

func (v stringCheck) MarkdownDescription(context.Context) string { return v.description }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, req.Path.String()+": "+err.Error()+".")
	}
}

// baseURLValidator checks base_url at validate time (checkBaseURL also
// checks the ENTRUPY_BASE_URL value in Configure).
func baseURLValidator() validator.String {
	return stringCheck{"Invalid Entrupy base URL", "must be an https:// URL, or http:// on a loopback address", checkBaseURL}
}

// durationValidator checks a positive Go duration such as 30s.
func durationValidator() validator.String {
	return stringCheck{"Invalid duration", "must be a positive duration such as 30s or 2m", func(v string) error {
		_, err := parsePositiveDuration(v)
		return err
	}}
}

// rfc3339Validator checks a timestamp such as 2026-05-01T00:00:00Z.
func rfc3339Validator() validator.String {
	return stringCheck{"Invalid timestamp", "must be an RFC 3339 timestamp such as 2026-05-01T00:00:00Z", func(v string) error {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return fmt.Errorf("%q is not an RFC 3339 timestamp; use a form such as 2026-05-01T00:00:00Z or 2026-05-01T09:00:00+09:00", v)
		}
		return nil
	}}
}

// The contract's rules on what a client may send. Each validator wraps one
// entrupy.Check*, the definition the emulator enforces too, so a value that
// passes plan is one the API accepts (rules_parity_test.go holds them to it).

// uniqueUserIDValidator checks a unique_user_id (entrupy.CheckUniqueUserID).
func uniqueUserIDValidator() validator.String {
	return stringCheck{"Invalid unique_user_id", entrupy.UniqueUserIDRule, entrupy.CheckUniqueUserID}
}

// emailValidator checks an email address and its length (entrupy.CheckEmail).
func emailValidator() validator.String {
	return stringCheck{"Invalid email address", entrupy.EmailRule, entrupy.CheckEmail}
}

// webhookURLValidator checks a webhook url's shape and length
// (entrupy.CheckWebhookURL); whether plain http is allowed also depends on
// the provider's base_url (see the webhook's ModifyPlan).
func webhookURLValidator() validator.String {
	return stringCheck{"Invalid webhook URL", entrupy.WebhookURLRule, entrupy.CheckWebhookURL}
}

// customerItemIDValidator checks a customer_item_id, as a lookup value or a
// search filter value (entrupy.CheckCustomerItemID).
func customerItemIDValidator() validator.String {
	return stringCheck{"Invalid customer_item_id", fmt.Sprintf("must be 1 to %d characters", entrupy.MaxCustomerItemIDLength), entrupy.CheckCustomerItemID}
}

// lengthValidator checks a free-text field's length in characters
// (entrupy.CheckLength): at most maximum, one of the contract's Max*
// bounds, and at least minimum.
func lengthValidator(minimum, maximum int) validator.String {
	desc := fmt.Sprintf("must be at most %d characters", maximum)
	if minimum > 0 {
		desc = fmt.Sprintf("must be %d to %d characters", minimum, maximum)
	}
	return stringCheck{"Invalid length", desc, func(v string) error { return entrupy.CheckLength(v, minimum, maximum) }}
}

// noNullElements rejects a null element in a list or set attribute. The
// framework cannot read a null element into a Go string, and a null search
// filter would silently match nothing; unknown elements pass (they are
// checked once known).
type noNullElements struct{}

func (noNullElements) Description(context.Context) string {
	return "every element must be a value, not null"
}

func (v noNullElements) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (noNullElements) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for i, e := range req.ConfigValue.Elements() {
		if e.IsNull() {
			p := req.Path.AtListIndex(i)
			resp.Diagnostics.AddAttributeError(p, "Null list element",
				fmt.Sprintf("%s is null: every element of %s must be a value. Remove the null (compact() drops nulls from a list of strings).", p, req.Path))
		}
	}
}

func (noNullElements) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, e := range req.ConfigValue.Elements() {
		if e.IsNull() {
			resp.Diagnostics.AddAttributeError(req.Path, "Null set element",
				fmt.Sprintf("%s holds a null: every element of %s must be a value. Remove the null.", req.Path, req.Path))
			return // a set holds at most one null
		}
	}
}

// quotedList writes values as `"a", "b" or "c"`.
func quotedList(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// knownAPIVersions are the Api-Version values the contract names: 1.4, the
// v1 routes' version, and 2, Entrupy's default on v2 routes.
var knownAPIVersions = []string{entrupy.HealthAPIVersion, entrupy.DefaultWebhookAPIVersion}

// apiVersionWarning warns about an api_version that is none of
// knownAPIVersions: it is still sent as written (Entrupy may have
// published a version after this provider release), but it is more often a
// typo, and it fixes the payload format of webhooks created with it.
type apiVersionWarning struct{}

func (apiVersionWarning) Description(context.Context) string {
	return "should be one of " + quotedList(knownAPIVersions) + "; another version is sent as written, with a warning"
}

func (v apiVersionWarning) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (apiVersionWarning) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	v := req.ConfigValue.ValueString()
	if v == "" || slices.Contains(knownAPIVersions, v) || !apiVersionPattern.MatchString(v) {
		return // empty means unset; a malformed version is the pattern's error
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Unknown Entrupy API version",
		fmt.Sprintf("%s %q is not an API version this provider knows: it knows %s. It is sent as the Api-Version header as written, and Entrupy may reject it or answer in a format this provider does not read. "+
			"The version in force when a webhook is created fixes the payload format of its deliveries for good. Use %s unless Entrupy asked you to use %q.",
			req.Path, v, quotedList(knownAPIVersions), quotedList(knownAPIVersions), v))
}

// writeOnlyNeedsVersion warns when a write-only attribute is set without
// its version attribute. Terraform cannot see a write-only value change, so
// without a version to bump, a later change of the value plans nothing
// and is never sent. Unknown values pass (they are checked once known).
type writeOnlyNeedsVersion struct {
	version string // the version attribute's name, at the same level
}

func (v writeOnlyNeedsVersion) Description(context.Context) string {
	return "should be set together with " + v.version + ", which is bumped to send a new value"
}

func (v writeOnlyNeedsVersion) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v writeOnlyNeedsVersion) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || req.Config.Schema == nil {
		return // nothing to check, or no configuration to look up the version in
	}
	versionPath := req.Path.ParentPath().AtName(v.version)
	var version attr.Value
	if diags := req.Config.GetAttribute(ctx, versionPath, &version); diags.HasError() || !version.IsNull() {
		return // set or unknown: a later change can be sent
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Write-only value without a version",
		fmt.Sprintf("%s is set without %s. Terraform cannot see a change of a write-only value, so a later change of %s alone plans nothing and is never sent. "+
			"Set %s = 1 now, and bump it together with a new %s to send the new value.",
			req.Path, versionPath, req.Path, versionPath, req.Path))
}
