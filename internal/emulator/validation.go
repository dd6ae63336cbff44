package emulator

import (
	"encoding/json"
	"maps"
	"slices"
	"unicode/utf8"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// tooLong answers the contract's length error [chosen]: a 400 naming field
// when v has more than max characters (runes, not bytes).
func tooLong(field, v string, limit int) *response {
	if n := utf8.RuneCountInString(v); n > limit {
		r := badRequest(field, "%s must be at most %d characters, got %d", field, limit, n)
		return &r
	}
	return nil
}

// lengths checks free-text fields in order; the first too long one answers.
func lengths(checks ...lengthCheck) *response {
	for _, c := range checks {
		if bad := tooLong(c.field, c.value, c.limit); bad != nil {
			return bad
		}
	}
	return nil
}

type lengthCheck struct {
	field, value string
	limit        int
}

// bodyString returns a body member that is a JSON string ("" otherwise), so
// that a PATCH's lengths are checked before the route's other rules.
func bodyString(fields map[string]json.RawMessage, name string) string {
	var v string
	if raw, ok := fields[name]; ok {
		_ = json.Unmarshal(raw, &v)
	}
	return v
}

// applyMetadata reads a body's "metadata" member and merges it into current
// (nil for a create): the map the object then has, or a 400.
func applyMetadata(current map[string]string, raw json.RawMessage) (map[string]string, *response) {
	given, bad := decodeMetadata(raw)
	if bad != nil {
		return nil, bad
	}
	return mergeMetadata(current, given)
}

// decodeMetadata reads a body's "metadata" member: absent or null is nil.
func decodeMetadata(raw json.RawMessage) (map[string]string, *response) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var m map[string]string
	if err := json.Unmarshal(raw, &m); err != nil {
		r := badRequest(entrupy.FieldMetadata, "metadata must be an object of string values")
		return nil, &r
	}
	return m, nil
}

// mergeMetadata applies a create's or PATCH's metadata to the current map
// [chosen]: each key given is set, a key given with "" is removed (on a
// create: not stored), keys not given stay. The result is checked against
// the contract's bounds; current is not modified.
func mergeMetadata(current, given map[string]string) (map[string]string, *response) {
	out := maps.Clone(current)
	if out == nil {
		out = map[string]string{}
	}
	for _, k := range slices.Sorted(maps.Keys(given)) { // sorted: the same error every time
		v := given[k]
		if !entrupy.ValidMetadataKey(k) {
			r := badRequest(entrupy.FieldMetadata, "metadata key %q must be 1 to %d characters of a-z, 0-9 and _", k, entrupy.MaxMetadataKeyLength)
			return nil, &r
		}
		if n := utf8.RuneCountInString(v); n > entrupy.MaxMetadataValueLength {
			r := badRequest(entrupy.FieldMetadata, "metadata value of %q must be at most %d characters, got %d", k, entrupy.MaxMetadataValueLength, n)
			return nil, &r
		}
		if v == entrupy.MetadataRemoveValue {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	if len(out) > entrupy.MaxMetadataKeys {
		r := badRequest(entrupy.FieldMetadata, "metadata holds at most %d keys, this would make %d", entrupy.MaxMetadataKeys, len(out))
		return nil, &r
	}
	return out, nil
}

// metadataView is the metadata of an answer: a copy, {} when empty (never
// null, also for objects of state files older than metadata).
func metadataView(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}

// view is a user as answers show it.
func (u *storedUser) view() entrupy.User {
	out := u.User
	out.Metadata = metadataView(u.Metadata)
	return out
}

// view is a webhook as answers show it.
func (w *storedWebhook) view() entrupy.Webhook {
	out := w.Webhook
	out.Events = slices.Clone(w.Events)
	out.Metadata = metadataView(w.Metadata)
	return out
}
