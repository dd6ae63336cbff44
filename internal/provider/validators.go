package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

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

// closest is the known value nearest to s, compared case-insensitively,
// without accents, with any run of other characters as one "_", and by edit
// distance, against each known value and its aliases; "" when none is near.
func (v enumValues) closest(s string) string {
	want := foldValue(s)
	if want == "" {
		return ""
	}
	best, bestDist := "", -1
	try := func(name, id string) {
		d := editDistance(want, foldValue(name))
		if bestDist < 0 || d < bestDist {
			best, bestDist = id, d
		}
	}
	for _, id := range v.known {
		try(id, id)
	}
	aliases := make([]string, 0, len(v.aliases))
	for a := range v.aliases {
		aliases = append(aliases, a)
	}
	slices.Sort(aliases) // map order must not pick between equally near values
	for _, a := range aliases {
		try(a, v.aliases[a])
	}
	// A typo is a few edits away: at most 2, or a quarter of a long value,
	// and never half of a short one ("ok" is not a typo of "本物").
	n := len([]rune(want))
	if bestDist < 0 || bestDist > max(2, n/4) || bestDist > n/2 {
		return ""
	}
	return best
}

// accentFolds maps the accented letters of the catalogue's display names
// (Hermès, Céline, Chloé) and their common neighbours to plain ones.
var accentFolds = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u',
}

// foldValue is s in lower case, without accents, with every run of
// characters other than letters and digits as one "_", none at the ends:
// "Louis Vuitton" and "louis-vuitton" both fold to "louis_vuitton".
func foldValue(s string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.ToLower(s) {
		if f, ok := accentFolds[r]; ok {
			r = f
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
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
