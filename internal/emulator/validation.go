package emulator

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// checkLength answers the contract's length error [chosen]: a 400 naming
// field when v has fewer than least or more than most characters (runes,
// not bytes), by the shared rule entrupy.CheckLength.
func checkLength(field, v string, least, most int) *response {
	if err := entrupy.CheckLength(v, least, most); err != nil {
		r := badRequest(field, "%s %v", field, err)
		return &r
	}
	return nil
}

// lengths checks free-text fields (at most their limit) in order; the first
// too long one answers.
func lengths(checks ...lengthCheck) *response {
	for _, c := range checks {
		if bad := checkLength(c.field, c.value, 0, c.limit); bad != nil {
			return bad
		}
	}
	return nil
}

type lengthCheck struct {
	field, value string
	limit        int
}

// checkEmail answers a 400 naming field when v is not an email address by
// the shared rule entrupy.CheckEmail (length included).
func checkEmail(field, v string) *response {
	if err := entrupy.CheckEmail(v); err != nil {
		r := badRequest(field, "%s %v", field, err)
		return &r
	}
	return nil
}

// bodyString returns a raw body member that is a JSON string ("" otherwise),
// so that a PATCH's lengths are checked before the route's other rules.
func bodyString(raw json.RawMessage) string {
	var v string
	if len(raw) > 0 {
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
		if err := entrupy.CheckLength(v, 0, entrupy.MaxMetadataValueLength); err != nil {
			r := badRequest(entrupy.FieldMetadata, "metadata value of %q %v", k, err)
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
func (u *storedUser) view() User {
	return User{
		UniqueUserID: u.UniqueUserID, Username: u.Username, Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName, CreatedAt: u.CreatedAt,
		Metadata: metadataView(u.Metadata),
	}
}

// view is a webhook as answers show it: never its secret.
func (w *storedWebhook) view() Webhook {
	return Webhook{
		ID: w.ID, URL: w.URL, Events: slices.Clone(w.Events), Description: w.Description,
		Enabled: w.Enabled, Username: clonePtr(w.Username), APIVersion: w.APIVersion,
		CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt, Metadata: metadataView(w.Metadata),
	}
}
