package provider

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Environment variables read when the provider block leaves an attribute out.
const (
	EnvAPIToken = "ENTRUPY_API_TOKEN"
	EnvBaseURL  = "ENTRUPY_BASE_URL"
)

// Defaults of the provider block: the client's, stated once in
// internal/entrupy. The schema descriptions are made from them.
var (
	// defaultMaxRetries is max_retries unset: the retries of the client's
	// default policy (its attempts, the first one excluded).
	defaultMaxRetries = int64(entrupy.DefaultRetryPolicy.MaxAttempts - 1)
	// defaultRequestTimeout is request_timeout unset.
	defaultRequestTimeout = entrupy.DefaultRequestTimeout
	// defaultRequestsPerSecond is requests_per_second unset.
	defaultRequestsPerSecond = entrupy.DefaultRequestsPerSecond
)

// Where a setting came from, as diagnostics name it.
const (
	sourceTokenAttribute = "the api_token attribute"
	sourceTokenEnv       = "the " + EnvAPIToken + " environment variable"
	sourceBaseURLAttr    = "base_url"
	sourceBaseURLEnv     = EnvBaseURL
	sourceDefault        = "the default"
)

// providerModel is the provider block.
type providerModel struct {
	APIToken          types.String  `tfsdk:"api_token"`
	BaseURL           types.String  `tfsdk:"base_url"`
	APIVersion        types.String  `tfsdk:"api_version"`
	AcceptLanguage    types.String  `tfsdk:"accept_language"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	RequestTimeout    types.String  `tfsdk:"request_timeout"`
	RefreshFromLists  types.Bool    `tfsdk:"refresh_from_lists"`
}

// providerAttributes are the provider block's attributes in schema order:
// the order of resolveSettings' diagnostics.
var providerAttributes = []string{
	"api_token", "base_url", "api_version", "accept_language",
	"max_retries", "requests_per_second", "request_timeout", "refresh_from_lists",
}

// providerSettings is the provider block resolved: what the client is built
// from and what diagnostics say about it.
type providerSettings struct {
	Token string
	// TokenSource is sourceTokenAttribute or sourceTokenEnv.
	TokenSource string
	BaseURL     string
	// BaseURLSource is sourceBaseURLAttr, sourceBaseURLEnv or sourceDefault.
	BaseURLSource string
	// APIVersion and AcceptLanguage are "" when unset.
	APIVersion     string
	AcceptLanguage string
	// Retry is the client's default policy with max_retries applied; an
	// explicit max_retries also caps 429s (RateLimitBudget 0).
	Retry             entrupy.RetryPolicy
	RequestsPerSecond float64
	RequestTimeout    time.Duration
	// RefreshFromLists is refresh_from_lists (default true).
	RefreshFromLists bool
}

// MaxRetries is the retries Retry allows after a failed first attempt.
func (s providerSettings) MaxRetries() int { return s.Retry.MaxAttempts - 1 }

// Loopback reports whether the API is on this machine (an emulator).
func (s providerSettings) Loopback() bool { return isLoopbackURL(s.BaseURL) }

// unknownAttributes names the provider block's attributes whose values are
// only known after apply, in schema order (providerAttributes).
func (cfg providerModel) unknownAttributes() []string {
	values := map[string]attr.Value{
		"api_token": cfg.APIToken, "base_url": cfg.BaseURL, "api_version": cfg.APIVersion,
		"accept_language": cfg.AcceptLanguage, "max_retries": cfg.MaxRetries,
		"requests_per_second": cfg.RequestsPerSecond, "request_timeout": cfg.RequestTimeout,
		"refresh_from_lists": cfg.RefreshFromLists,
	}
	var unknown []string
	for _, name := range providerAttributes {
		if values[name].IsUnknown() {
			unknown = append(unknown, name)
		}
	}
	return unknown
}

// resolveSettings resolves the provider block cfg, with getenv for the
// environment (os.Getenv in Configure), into the client's settings. It has
// no other input and makes no request.
//
// Its diagnostics come in a fixed order:
//  1. "Unknown Entrupy provider <name>" for each attribute whose value is
//     only known after apply, in schema order (providerAttributes); when
//     there is any, resolution stops there.
//  2. Then at most one error per attribute, in schema order: api_token
//     missing (neither attribute nor ENTRUPY_API_TOKEN), base_url invalid
//     (from the attribute or ENTRUPY_BASE_URL), max_retries,
//     requests_per_second or request_timeout out of range. The schema
//     rejects the last three first; they are checked again here so that
//     the settings are valid whatever the caller.
//
// An attribute wins over its environment variable; an empty one counts as
// unset. The settings are meaningful only when there is no error.
func resolveSettings(cfg providerModel, getenv func(string) string) (providerSettings, diag.Diagnostics) {
	var diags diag.Diagnostics
	for _, name := range cfg.unknownAttributes() {
		diags.AddAttributeError(path.Root(name), "Unknown Entrupy provider "+name,
			"The provider cannot be configured with a value that is only known after apply. Set "+name+" to a literal, a variable or a value known at plan time"+envHint(name)+".")
	}
	if diags.HasError() {
		return providerSettings{}, diags
	}

	s := providerSettings{
		APIVersion:        cfg.APIVersion.ValueString(),
		AcceptLanguage:    cfg.AcceptLanguage.ValueString(),
		Retry:             entrupy.DefaultRetryPolicy,
		RequestsPerSecond: defaultRequestsPerSecond,
		RequestTimeout:    defaultRequestTimeout,
		RefreshFromLists:  cfg.RefreshFromLists.IsNull() || cfg.RefreshFromLists.ValueBool(),
	}

	s.Token, s.TokenSource = cfg.APIToken.ValueString(), sourceTokenAttribute
	if s.Token == "" {
		s.Token, s.TokenSource = getenv(EnvAPIToken), sourceTokenEnv
	}
	if s.Token == "" {
		diags.AddAttributeError(path.Root("api_token"), "Missing Entrupy API token",
			"The provider needs an Entrupy API token. Set api_token in the provider block or the "+EnvAPIToken+" environment variable.")
	}

	s.BaseURL, s.BaseURLSource = cfg.BaseURL.ValueString(), sourceBaseURLAttr
	if s.BaseURL == "" {
		s.BaseURL, s.BaseURLSource = getenv(EnvBaseURL), sourceBaseURLEnv
	}
	if s.BaseURL == "" {
		s.BaseURL, s.BaseURLSource = entrupy.DefaultBaseURL, sourceDefault
	}
	if err := checkBaseURL(s.BaseURL); err != nil {
		diags.AddAttributeError(path.Root("base_url"), "Invalid Entrupy base URL", s.BaseURLSource+": "+err.Error())
	}

	// An explicit max_retries counts 429s too; by default 429s are retried
	// within the policy's time budget (they were not processed).
	if !cfg.MaxRetries.IsNull() {
		retries := cfg.MaxRetries.ValueInt64()
		if retries < 0 || retries > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid Attribute Value",
				fmt.Sprintf("Attribute max_retries value must be a whole number between 0 and %d, got: %d", maxMaxRetries, retries))
		} else {
			s.Retry.MaxAttempts = int(retries) + 1
			s.Retry.RateLimitBudget = 0
		}
	}

	if !cfg.RequestsPerSecond.IsNull() {
		rps := cfg.RequestsPerSecond.ValueFloat64()
		if rps != 0 && (rps < minRequestsPerSecond || rps > maxRequestsPerSecond) {
			diags.AddAttributeError(path.Root("requests_per_second"), "Invalid Attribute Value",
				fmt.Sprintf("Attribute requests_per_second value must be %s, got: %g", requestsPerSecondType.rule(), rps))
		} else {
			s.RequestsPerSecond = rps
		}
	}

	if !cfg.RequestTimeout.IsNull() {
		d, err := parsePositiveDuration(cfg.RequestTimeout.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid duration", "request_timeout: "+err.Error()+".")
		} else {
			s.RequestTimeout = d
		}
	}
	return s, diags
}

// parsePositiveDuration reads a Go duration such as 30s or 2m that is above
// zero; surrounding white space is ignored.
func parsePositiveDuration(v string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(v))
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration; use a number with a unit, such as 30s, 90s or 2m", v)
	}
	return d, nil
}

// durationText writes d as the provider block would: 60s rather than Go's
// 1m0s, when d is whole seconds.
func durationText(d time.Duration) string {
	if d%time.Second == 0 {
		return fmt.Sprintf("%ds", d/time.Second)
	}
	return d.String()
}

// envHint says which environment variable can stand in for attribute name.
func envHint(name string) string {
	switch name {
	case "api_token":
		return ", or leave it out and set " + EnvAPIToken
	case "base_url":
		return ", or leave it out and set " + EnvBaseURL
	}
	return ""
}

// checkBaseURL accepts https URLs, and http only on loopback.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL such as %s", raw, entrupy.DefaultBaseURL)
	}
	if u.User != nil {
		return fmt.Errorf("the URL must not carry credentials; use api_token")
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopbackURL(raw):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("%q uses plain http; the API token would travel unencrypted. Use https, or a loopback address (127.0.0.1, localhost) for the local emulator", raw)
	}
	return fmt.Errorf("%q: scheme %q is not supported; use https", raw, u.Scheme)
}

func isLoopbackURL(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	return entrupy.IsLoopbackHost(u.Hostname())
}
