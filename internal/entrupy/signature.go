package entrupy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Webhook signatures. Entrupy publishes only that a delivery carries an
// Entrupy-Signature header, an HMAC-SHA256 made with the shared secret
// [doc: v2 webhooks page]. Two forms are accepted:
//
//   - the published minimum, the plain form: the header is the hex
//     HMAC-SHA256 of the raw body keyed by the secret (64 hex digits);
//   - the timestamped form [chosen], which the emulator sends by default:
//     "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">". Several v1
//     entries may appear (during a secret rotation); one match is enough.
//
// Only the timestamped form carries a time, so only it is checked for
// freshness.

// ErrSignature is wrapped by every VerifySignature failure.
var ErrSignature = errors.New("webhook signature verification failed")

// SignPayload returns the Entrupy-Signature header value for body at time t
// in the timestamped form, as a sender puts it on a delivery. The client
// only verifies; this is for the tests of VerifySignature (the emulator
// signs its deliveries itself).
func SignPayload(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + signature(secret, ts, body)
}

// SignPayloadPlain returns the Entrupy-Signature header value for body in
// the plain form: the hex HMAC-SHA256 of the body alone.
func SignPayloadPlain(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func signature(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a delivery: header is the Entrupy-Signature value,
// body the raw request body. It accepts the plain form (a header of 64 hex
// digits, either case) and the timestamped form. With tolerance > 0 a
// timestamped header's time must be within tolerance of now (replay
// protection); 0 skips that check. A plain header has no time to check.
func VerifySignature(secret, header string, body []byte, tolerance time.Duration) error {
	return verifySignatureAt(secret, header, body, tolerance, time.Now())
}

// plainSignatureLength is the length of a hex HMAC-SHA256.
const plainSignatureLength = 2 * sha256.Size

// isPlainSignature reports whether header is the plain form: exactly 64
// hex digits.
func isPlainSignature(header string) bool {
	if len(header) != plainSignatureLength {
		return false
	}
	_, err := hex.DecodeString(header)
	return err == nil
}

func verifySignatureAt(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	if secret == "" {
		return fmt.Errorf("%w: empty secret", ErrSignature)
	}
	if h := strings.TrimSpace(header); isPlainSignature(h) {
		if hmac.Equal([]byte(strings.ToLower(h)), []byte(SignPayloadPlain(secret, body))) {
			return nil
		}
		return fmt.Errorf("%w: the plain signature does not match", ErrSignature)
	}
	var ts string
	var sigs []string
	for _, part := range strings.Split(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "t":
			ts = v
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if ts == "" || len(sigs) == 0 {
		return fmt.Errorf("%w: header is neither 64 hex digits nor has t= and v1= parts", ErrSignature)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp %q is not a number", ErrSignature, ts)
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
			return fmt.Errorf("%w: timestamp is %v away from now, more than the %v tolerance", ErrSignature, d.Round(time.Second), tolerance)
		}
	}
	want := []byte(signature(secret, ts, body))
	for _, s := range sigs {
		if hmac.Equal([]byte(s), want) {
			return nil
		}
	}
	return fmt.Errorf("%w: no v1 signature matches", ErrSignature)
}
