package entrupy

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Reading webhooks, users, deliveries and certificates liberally.
//
// These objects are decoded with encoding/json into the structs of
// contract.go. When that fails because a member comes in another shape
// than the contract's (a number where text was expected, "true" for a
// boolean, a map holding a number), the object is read member by member
// instead, and a member in an unexpected shape never fails the read:
//
//   - a member that encoding/json reads is kept as it reads it;
//   - a member that is a plain re-spelling of the expected value is
//     converted: a number or a boolean where text is expected (as it was
//     written), "true" or "false" where a boolean is, a whole number
//     written as text or with a fraction (truncated) where an integer is,
//     one string (or number) where a list of strings is, and numbers or booleans among
//     a string map's values or a string list's members;
//   - anything else is left empty (nil, "", 0, false) and its path is
//     returned, for the caller to say which members were not understood.
//
// Items (authentications) have their own reader, DecodeItem (item.go).

// decodeLenient decodes the JSON object b into v, a pointer to a struct
// (the object's type without its UnmarshalJSON), as described above, and
// sets *unread to the paths of the members it could not read (sorted; nil
// when it read everything). It fails only when b is not a JSON object or
// null.
func decodeLenient(b []byte, v any, unread *[]string) error {
	dst := reflect.ValueOf(v).Elem()
	dst.SetZero()
	*unread = nil
	if json.Unmarshal(b, v) == nil {
		return nil
	}
	dst.SetZero() // encoding/json may have filled part of it
	r := &lenientReader{}
	if !r.object(b, dst, "") {
		var probe any
		if err := json.Unmarshal(b, &probe); err != nil {
			return err
		}
		return errors.New("expected a JSON object, got " + jsonKind(probe))
	}
	sort.Strings(r.unread)
	*unread = slices.Compact(r.unread)
	return nil
}

type lenientReader struct {
	unread []string
}

// object reads the JSON object b into the struct dst; false when b is not
// an object (or null, which leaves dst as it is).
func (r *lenientReader) object(b []byte, dst reflect.Value, path string) bool {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(b, &members); err != nil {
		return false
	}
	t := dst.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		raw, ok := members[name]
		if !ok { // encoding/json matches a member's name ignoring case too
			for k, m := range members {
				if strings.EqualFold(k, name) {
					raw, ok = m, true
					break
				}
			}
		}
		if ok {
			r.member(raw, dst.Field(i), joinPath(path, name))
		}
	}
	return true
}

// member reads raw into dst as encoding/json does, else by convert; when
// it cannot, dst is left empty and path noted.
func (r *lenientReader) member(raw json.RawMessage, dst reflect.Value, path string) bool {
	if json.Unmarshal(raw, dst.Addr().Interface()) == nil {
		return true
	}
	dst.SetZero()
	if !r.convert(raw, dst, path) {
		dst.SetZero()
		r.unread = append(r.unread, path)
		return false
	}
	return true
}

// convert reads raw, a JSON value that encoding/json could not read into
// dst, by the rules at the top of this file.
func (r *lenientReader) convert(raw json.RawMessage, dst reflect.Value, path string) bool {
	if dst.Kind() == reflect.Pointer {
		elem := reflect.New(dst.Type().Elem())
		if !r.convert(raw, elem.Elem(), path) {
			return false
		}
		dst.Set(elem)
		return true
	}
	switch dst.Kind() {
	case reflect.Struct:
		return r.object(raw, dst, path)
	case reflect.String:
		s, ok := scalarText(raw)
		dst.SetString(s)
		return ok
	case reflect.Bool:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return false
		}
		b, err := strconv.ParseBool(strings.TrimSpace(s))
		dst.SetBool(b)
		return err == nil
	case reflect.Int, reflect.Int64:
		var n json.Number
		if json.Unmarshal(raw, &n) != nil { // a number, or a string holding one
			return false
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(n.String()), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < math.MinInt32 || f > math.MaxInt32 {
			return false
		}
		dst.SetInt(int64(f))
		return true
	case reflect.Slice:
		return r.list(raw, dst, path)
	case reflect.Map:
		if dst.Type().Key().Kind() != reflect.String || dst.Type().Elem().Kind() != reflect.String {
			return false
		}
		var members map[string]json.RawMessage
		if json.Unmarshal(raw, &members) != nil {
			return false
		}
		m := reflect.MakeMapWithSize(dst.Type(), len(members))
		for k, v := range members {
			if s, ok := scalarText(v); ok {
				m.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(s))
			} else {
				r.unread = append(r.unread, joinPath(path, k))
			}
		}
		dst.Set(m)
		return true
	}
	return false
}

// list reads raw into the slice dst: an array whose members are read one
// by one (a member that cannot be read is left out and noted), or, for a
// list of strings, one string.
func (r *lenientReader) list(raw json.RawMessage, dst reflect.Value, path string) bool {
	var members []json.RawMessage
	if json.Unmarshal(raw, &members) != nil {
		if dst.Type().Elem().Kind() != reflect.String {
			return false
		}
		s, ok := scalarText(raw)
		if !ok {
			return false
		}
		dst.Set(reflect.Append(reflect.MakeSlice(dst.Type(), 0, 1), reflect.ValueOf(s)))
		return true
	}
	out := reflect.MakeSlice(dst.Type(), 0, len(members))
	for i, m := range members {
		elem := reflect.New(dst.Type().Elem()).Elem()
		if r.member(m, elem, path+"["+strconv.Itoa(i)+"]") {
			out = reflect.Append(out, elem)
		}
	}
	dst.Set(out)
	return true
}

// scalarText is a JSON string's text, or a number or boolean as written;
// false for null, an object or an array.
func scalarText(raw json.RawMessage) (string, bool) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		return strconv.FormatBool(v), true
	}
	return "", false
}

// The objects read this way. Each keeps the paths of the members it could
// not read in Unread, which is never sent or encoded; plain is the type
// without its UnmarshalJSON.

func (w *Webhook) UnmarshalJSON(b []byte) error {
	type plain Webhook
	return decodeLenient(b, (*plain)(w), &w.Unread)
}

func (u *User) UnmarshalJSON(b []byte) error {
	type plain User
	return decodeLenient(b, (*plain)(u), &u.Unread)
}

func (d *Delivery) UnmarshalJSON(b []byte) error {
	type plain Delivery
	return decodeLenient(b, (*plain)(d), &d.Unread)
}

func (c *Certificate) UnmarshalJSON(b []byte) error {
	type plain Certificate
	return decodeLenient(b, (*plain)(c), &c.Unread)
}
