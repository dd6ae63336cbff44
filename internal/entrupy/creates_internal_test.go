package entrupy

import (
	"testing"
	"time"
)

// A created_at tells times apart to its last digit; a whole second, or a
// time that does not parse, waits a second.
func TestStampPrecision(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]time.Duration{
		"2026-01-05T09:00:00Z":               time.Second,
		"2026-01-05T09:00:00.250Z":           time.Millisecond,
		"2026-01-05T09:00:00.123456+02:00":   time.Microsecond,
		"2026-01-05T09:00:00.123456789Z":     time.Nanosecond,
		"2026-01-05T09:00:00.5Z":             100 * time.Millisecond,
		"":                                   time.Second,
		"1767603600":                         time.Second,
		"2026-01-05 09:00:00.25":             time.Second,
		"2026-01-05T09:00:00.1234567891234Z": time.Nanosecond,
	} {
		if got := stampPrecision(in); got != want {
			t.Errorf("stampPrecision(%q) = %v, want %v", in, got, want)
		}
	}
}

// Webhooks are ordered by created_at (one that does not parse first), then
// by ID, whatever the order they are compared in.
func TestCreatedBefore(t *testing.T) {
	t.Parallel()
	a := &Webhook{ID: "wh_b", CreatedAt: "2026-01-05T09:00:00Z"}
	b := &Webhook{ID: "wh_a", CreatedAt: "2026-01-05T10:00:01+01:00"} // a second later
	c := &Webhook{ID: "wh_a", CreatedAt: "2026-01-05T09:00:00Z"}      // a's second, smaller ID
	d := &Webhook{ID: "wh_z", CreatedAt: ""}
	for _, tc := range []struct {
		x, y *Webhook
		want bool
	}{{a, b, true}, {b, a, false}, {c, a, true}, {a, c, false}, {d, c, true}, {c, d, false}, {a, a, false}} {
		if got := createdBefore(tc.x, tc.y); got != tc.want {
			t.Errorf("createdBefore(%s %q, %s %q) = %v", tc.x.ID, tc.x.CreatedAt, tc.y.ID, tc.y.CreatedAt, got)
		}
	}
}
