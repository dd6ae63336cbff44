package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

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
		if d, err := time.ParseDuration(strings.TrimSpace(v)); err != nil || d <= 0 {
			return fmt.Errorf("%q is not a positive duration; use a number with a unit, such as 30s, 90s or 2m", v)
		}
		return nil
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

// webhookURLValidator checks a webhook url's shape; whether plain http is
// allowed also depends on the provider's base_url (see ModifyPlan).
func webhookURLValidator() validator.String {
	return stringCheck{"Invalid webhook URL", "must be an https:// URL (http:// only for a loopback receiver)", func(raw string) error {
		u, err := url.Parse(raw)
		switch {
		case err != nil || u.Host == "" || u.Scheme == "":
			return fmt.Errorf("%q is not an absolute URL such as https://hooks.example.com/entrupy", raw)
		case u.User != nil:
			return fmt.Errorf("the URL must not carry credentials; deliveries are authenticated by their signature")
		case u.Scheme == "https", u.Scheme == "http" && entrupy.IsLoopbackHost(u.Hostname()):
			return nil
		}
		return fmt.Errorf("%q must use https:// (http:// is accepted only for 127.0.0.1 or localhost, with the local emulator)", raw)
	}}
}
