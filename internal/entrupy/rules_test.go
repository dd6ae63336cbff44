package entrupy_test

import (
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

func TestRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		check func(string) error
		value string
		ok    bool
	}{
		{"uid shortest", entrupy.CheckUniqueUserID, "abcdefgh", true},
		{"uid all symbols", entrupy.CheckUniqueUserID, "a@b.c+d_e-f", true},
		{"uid too short", entrupy.CheckUniqueUserID, "abcdefg", false},
		{"uid too long", entrupy.CheckUniqueUserID, strings.Repeat("a", 41), false},
		{"uid space", entrupy.CheckUniqueUserID, "abc defgh", false},
		{"uid prefix one character", entrupy.CheckUniqueUserIDPrefix, "s", true},
		{"uid prefix all symbols", entrupy.CheckUniqueUserIDPrefix, "a@b.c+d_e-", true},
		{"uid prefix empty", entrupy.CheckUniqueUserIDPrefix, "", false},
		{"uid prefix too long", entrupy.CheckUniqueUserIDPrefix, strings.Repeat("a", 41), false},
		{"uid prefix space", entrupy.CheckUniqueUserIDPrefix, "store 01", false},
		{"email plain", entrupy.CheckEmail, "user@example.com", true},
		{"email plus", entrupy.CheckEmail, "user+tag@shop.example.co.jp", true},
		{"email double dot", entrupy.CheckEmail, "a..b@example.com", false},
		{"email comma", entrupy.CheckEmail, "a,b@example.com", false},
		{"email display name", entrupy.CheckEmail, "Ann <a@example.com>", false},
		{"email no dot in domain", entrupy.CheckEmail, "a@localhost", false},
		{"email trailing dot domain", entrupy.CheckEmail, "a@example.", false},
		{"email too long", entrupy.CheckEmail, strings.Repeat("a", 64) + "@" + strings.Repeat("b", 186) + ".com", false},
		{"url https", entrupy.CheckWebhookURL, "https://hooks.example.com/x", true},
		{"url loopback http", entrupy.CheckWebhookURL, "http://127.0.0.1:8080/x", true},
		{"url public http", entrupy.CheckWebhookURL, "http://hooks.example.com/x", false},
		{"url credentials", entrupy.CheckWebhookURL, "https://u:p@hooks.example.com/", false},
		{"url relative", entrupy.CheckWebhookURL, "/hooks", false},
		{"customer_item_id of 256 characters", entrupy.CheckCustomerItemID, strings.Repeat("é", 256), true},
		{"customer_item_id of 257 characters", entrupy.CheckCustomerItemID, strings.Repeat("a", 257), false},
		{"customer_item_id empty", entrupy.CheckCustomerItemID, "", false},
		{"url too long", entrupy.CheckWebhookURL, "https://hooks.example.com/" + strings.Repeat("a", entrupy.MaxWebhookURLLength), false},
	}
	for _, tc := range cases {
		if err := tc.check(tc.value); (err == nil) != tc.ok {
			t.Errorf("%s: %q gave %v, want ok=%v", tc.name, tc.value, err, tc.ok)
		}
	}
	if err := entrupy.CheckLength(strings.Repeat("é", 255), 0, 255); err != nil {
		t.Errorf("255 two-byte characters: %v", err)
	}
	if err := entrupy.CheckLength(strings.Repeat("é", 256), 0, 255); err == nil {
		t.Error("256 characters passed a bound of 255")
	}
}
