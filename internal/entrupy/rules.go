package entrupy

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The contract's rules on what a client may send, one definition each: the
// provider checks them at plan time and the emulator enforces them, so the
// two cannot disagree. Each Check returns nil or an error that reads after
// the attribute's name ("must be …").

// uniqueUserIDPattern is the documented shape of a unique_user_id [doc];
// uniqueUserIDPrefixPattern is the start of one (a filter on it).
var (
	uniqueUserIDPattern       = regexp.MustCompile(`^` + uniqueUserIDChars + `{8,40}$`)
	uniqueUserIDPrefixPattern = regexp.MustCompile(`^` + uniqueUserIDChars + `{1,40}$`)
)

// uniqueUserIDChars is the character class of a unique_user_id [doc].
const uniqueUserIDChars = `[A-Za-z0-9@.+_-]`

// UniqueUserIDRule says what a unique_user_id must be.
const UniqueUserIDRule = "must be 8 to 40 characters of A-Z, a-z, 0-9 and @ . + _ -"

// CheckUniqueUserID checks a unique_user_id [doc].
func CheckUniqueUserID(s string) error {
	if !uniqueUserIDPattern.MatchString(s) {
		return errors.New(UniqueUserIDRule)
	}
	return nil
}

// UniqueUserIDPrefixRule says what the start of a unique_user_id must be.
const UniqueUserIDPrefixRule = "must be 1 to 40 characters of A-Za-z0-9@.+_-, the characters of a unique_user_id"

// CheckUniqueUserIDPrefix checks the start of a unique_user_id, as a
// filter gives it.
func CheckUniqueUserIDPrefix(s string) error {
	if !uniqueUserIDPrefixPattern.MatchString(s) {
		return errors.New(UniqueUserIDPrefixRule)
	}
	return nil
}

// EmailRule says what an email address must be.
const EmailRule = "must be one email address such as user@example.com"

// CheckEmail checks an email address: one bare address as RFC 5322 has it
// (no display name, no list, no consecutive or edge dots in the local part),
// a domain with a dot, and at most MaxEmailLength characters [chosen].
func CheckEmail(s string) error {
	if n := utf8.RuneCountInString(s); n > MaxEmailLength {
		return fmt.Errorf("must be at most %d characters, got %d", MaxEmailLength, n)
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return errors.New(EmailRule)
	}
	at := strings.LastIndexByte(s, '@')
	domain := s[at+1:]
	if !strings.Contains(strings.Trim(domain, "."), ".") || strings.Contains(domain, "..") {
		return errors.New(EmailRule)
	}
	return nil
}

// WebhookURLRule says what a webhook url must be.
const WebhookURLRule = "must be an https:// URL (http:// only for a loopback receiver: 127.0.0.1, localhost)"

// CheckWebhookURL checks a webhook endpoint: an absolute https URL without
// credentials, at most MaxWebhookURLLength characters; plain http is
// accepted only for a loopback host (the emulator's allowance for local
// receivers) [chosen].
func CheckWebhookURL(raw string) error {
	if n := utf8.RuneCountInString(raw); n > MaxWebhookURLLength {
		return fmt.Errorf("must be at most %d characters, got %d", MaxWebhookURLLength, n)
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Scheme == "" || u.Host == "" || u.Hostname() == "":
		return fmt.Errorf("%q is not an absolute URL such as https://hooks.example.com/entrupy", raw)
	case u.User != nil:
		return errors.New("must not carry credentials; deliveries are authenticated by their signature")
	case u.Scheme == "https", u.Scheme == "http" && IsLoopbackHost(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%q %s", raw, WebhookURLRule)
}

// CheckLength checks a free-text field against its bound [chosen]: at most
// most characters (and at least least).
func CheckLength(s string, least, most int) error {
	n := utf8.RuneCountInString(s)
	switch {
	case n > most:
		return fmt.Errorf("must be at most %d characters, got %d", most, n)
	case n == 0 && least > 0:
		return errors.New("must not be empty")
	case n < least:
		return fmt.Errorf("must be at least %d characters, got %d", least, n)
	}
	return nil
}

// CheckCustomerItemID checks a customer_item_id, as the lookup route's path
// or a search filter value: 1 to MaxCustomerItemIDLength characters [doc:
// Android SDK, "max 256 chars"].
func CheckCustomerItemID(s string) error {
	return CheckLength(s, 1, MaxCustomerItemIDLength)
}
