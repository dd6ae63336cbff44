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

// Webhook signatures [chosen details]: the Entrupy-Signature header is
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" keyed by the secret>".
// Several v1 entries may appear (during a secret rotation); one match is enough.

// ErrSignature is wrapped by every VerifySignature failure.
var ErrSignature = errors.New("webhook signature verification failed")

// SignPayload returns the Entrupy-Signature header value for body at time t,
// as a sender puts it on a delivery. The client only verifies; this is for
// the tests of VerifySignature (the emulator signs its deliveries itself).
func SignPayload(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + signature(secret, ts, body)
}

func signature(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a delivery: header is the Entrupy-Signature value,
// body the raw request body. With tolerance > 0 the timestamp must be
// within tolerance of now (replay protection); 0 skips that check.
func VerifySignature(secret, header string, body []byte, tolerance time.Duration) error {
	return verifySignatureAt(secret, header, body, tolerance, time.Now())
}

func verifySignatureAt(secret, header string, body []byte, tolerance time.Duration, now time.Time) error {
	if secret == "" {
		return fmt.Errorf("%w: empty secret", ErrSignature)
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
		return fmt.Errorf("%w: header has no t= or v1= part", ErrSignature)
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
