package entrupy

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// Fuzz targets: `make test` runs each briefly, `make fuzz` longer. The f.Add
// calls are the committed seed corpus; failures found land in testdata/fuzz.

// FuzzDecodeResponses feeds arbitrary bodies to every response shape the
// client decodes with encoding/json (items have their own reader and
// target, FuzzDecodeItem) and to the error path. A body that decodes into a shape
// re-encodes to JSON that decodes to the same value and encodes to the
// same bytes (what the client reads, the provider can store and read back
// unchanged); decoding the same body twice gives the same value. An error
// always carries its status and request, a JSON error body's error, code
// and field, and a bounded excerpt of any other body.
func FuzzDecodeResponses(f *testing.F) {
	f.Add([]byte(`{"item": {"entrupy_id": "X", "status": {"flag": null, "result": {"id": "authentic", "final": true}}, "images": [{"region_id": "a"}]}}`), 200)
	f.Add([]byte(`{"item": {"entrupy_id": "Y", "owner": {"organization": {"name": "Acme"}, "user": {"username": "Acme-u"}},
		"certificate": {"certificate_id": "C-Y", "site": "https://cert.entrupy.com/Y", "preview": "p"},
		"properties": {"brand": {"id": "nike", "display": "Nike"}, "material": null, "item_type": null},
		"text_fields": {"us_size": "10.5", "customer_item_id": "SKU-1"},
		"timestamp": {"display": "2026-01-05T09:00:00Z", "epoch": 1767603600},
		"activity": {"name": "authentication", "mode": null, "form_factor": "lightbox", "product_category": "sneakers"}}}`), 200)
	f.Add([]byte(`{"items": [{"entrupy_id": "A"}], "item_count": 1, "next_cursor": null}`), 200)
	f.Add([]byte(`{"items": [{"unique_user_id": "u", "metadata": {}}, {"id": "wh_1", "events": [], "username": null, "metadata": {"k": "v"}}], "next_cursor": "c"}`), 200)
	f.Add([]byte(`{"signed_authorization_request": "s.t", "username": "Acme-u"}`), 200)
	f.Add([]byte(`{"error": "not found", "code": "not_found", "field": "id"}`), 404)
	f.Add([]byte(`<html>502 Bad Gateway</html>`), 502)
	f.Add([]byte(``), 500)
	f.Add([]byte(`{"error": 5, "code": ["x"]}`), 400)
	f.Add([]byte(`{"item": {"certificate_id": "C-1", "photos": null, "transfer": {"status": "weird"}}}`), 200)
	f.Add([]byte(`{"items": [{"id": 7, "url": "https://x", "events": "session.completed", "enabled": "true", "api_version": 2, "created_at": 1767603600, "metadata": {"n": 1, "o": {}}}], "next_cursor": null}`), 200)
	f.Add([]byte(`{"id": "dlv_1", "attempt": "2", "response_status": 200.0, "duration_ms": "12", "test": "false", "error": {"x": 1}}`), 200)
	f.Add([]byte(`{"item": {"certificate_id": "C-2", "photos": ["a", 5, null, {}], "brand": "Chanel", "holder": null, "transfer": "none"}}`), 200)
	f.Add([]byte(strings.Repeat("[", 10000)), 200)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		shapes := []func() any{
			func() any { return new(ItemEnvelope[Certificate]) },
			func() any { return new(Page[User]) },
			func() any { return new(Page[Webhook]) },
			func() any { return new(AuthorizeResponse) },
		}
		for _, shape := range shapes {
			decoded := shape()
			if json.Unmarshal(body, decoded) != nil {
				continue
			}
			again := shape()
			if err := json.Unmarshal(body, again); err != nil || !reflect.DeepEqual(decoded, again) {
				t.Fatalf("%T: decoding twice differs (%v):\n%+v\n%+v", decoded, err, decoded, again)
			}
			encoded, err := json.Marshal(decoded)
			if err != nil {
				t.Fatalf("%T: a decoded value does not encode: %v", decoded, err)
			}
			back := shape()
			if err := json.Unmarshal(encoded, back); err != nil {
				t.Fatalf("%T: its own encoding %s does not decode: %v", decoded, encoded, err)
			}
			clearUnread(reflect.ValueOf(decoded)) // what was not read is not encoded
			if !reflect.DeepEqual(decoded, back) {
				t.Fatalf("%T: the round trip through %s changed the value:\nwant %+v\ngot  %+v", decoded, encoded, decoded, back)
			}
			if reencoded, _ := json.Marshal(back); string(reencoded) != string(encoded) {
				t.Fatalf("%T: encodings differ:\n%s\n%s", decoded, encoded, reencoded)
			}
		}

		// A member in an unexpected shape never fails a read: any JSON
		// object is a webhook, a user, a delivery and a certificate.
		var probe map[string]json.RawMessage
		if json.Unmarshal(body, &probe) == nil && probe != nil {
			for _, v := range []any{new(Webhook), new(User), new(Delivery), new(Certificate)} {
				if err := json.Unmarshal(body, v); err != nil {
					t.Fatalf("%T: the object %s failed to read: %v", v, body, err)
				}
			}
		}

		if status < 100 || status > 999 {
			status = 500
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{HeaderRetryAfter: {string(body)}}}
		e := newAPIError(resp, body, http.MethodGet, "/v2/x")
		if e.StatusCode != status || !strings.Contains(e.Error(), "GET /v2/x") {
			t.Fatalf("error lost its status or request: %+v", e)
		}
		var eb errorBody
		if json.Unmarshal(body, &eb) == nil && (eb.Error != "" || eb.Code != "") {
			if e.Message != eb.Error || e.Code != eb.Code || e.Field != eb.Field {
				t.Fatalf("error body %s read as message %q code %q field %q", body, e.Message, e.Code, e.Field)
			}
		} else if len(e.Message) > maxErrorExcerpt+len("…") {
			t.Fatalf("non-JSON excerpt not bounded: %d bytes", len(e.Message))
		}
	})
}

// clearUnread empties every Unread field in v (what the lenient readers
// could not read, which is never encoded).
func clearUnread(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearUnread(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			clearUnread(v.Index(i))
		}
	case reflect.Struct:
		if f := v.FieldByName("Unread"); f.IsValid() && f.CanSet() {
			f.SetZero()
		}
		for i := range v.NumField() {
			if v.Field(i).CanSet() {
				clearUnread(v.Field(i))
			}
		}
	}
}

// FuzzRetryAfter: any header value gives a bounded, non-negative wait or none.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{
		"1", "0", "120", "-1", "1.5", "NaN", "Inf", "1e308", "Wed, 21 Oct 2015 07:28:00 GMT", "", " 3 ", "86401",
		"Mon Jan  2 15:04:05 2099", "Fri, 31 Dec 9999 23:59:59 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := parseRetryAfter(v)
		if !ok {
			if d != 0 {
				t.Fatalf("%q: no wait but d = %v", v, d)
			}
			return
		}
		if d < 0 || d > maxRetryAfter {
			t.Fatalf("%q gave wait %v", v, d)
		}
	})
}

// FuzzFilterRoundTrip: a filter survives JSON both ways (Filter's
// MarshalJSON and UnmarshalJSON agree), whatever its key and values.
func FuzzFilterRoundTrip(f *testing.F) {
	f.Add("status.flag", "", "", int64(0), int64(0), uint8(3))
	f.Add("properties.brand.id", "hermes", "nike", int64(0), int64(0), uint8(1))
	f.Add("timestamp.epoch", "", "", int64(1700000000), int64(1800000000), uint8(2))
	f.Add("owner.user.username", "Acme-\u00e9\"\\", "", int64(-1), int64(1), uint8(0))
	f.Fuzz(func(t *testing.T, key, a, b string, gte, lt int64, kind uint8) {
		var in Filter
		switch kind % 4 {
		case 0:
			in = Equal(key, a)
		case 1:
			in = AnyOf(key, a, b)
		case 2:
			in = EpochRange(&gte, &lt)
		default:
			in = IsNull(key)
		}
		raw, err := json.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		var out Filter
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %v", raw, err)
		}
		// encoding/json replaces each invalid UTF-8 byte with U+FFFD; a
		// plain string's own round trip says what to expect.
		clean := func(v string) string {
			b, _ := json.Marshal(v)
			var out string
			_ = json.Unmarshal(b, &out)
			return out
		}
		want := in
		want.Key = clean(in.Key)
		if in.Value != nil {
			v := clean(*in.Value)
			want.Value = &v
		}
		if in.Values != nil {
			want.Values = make([]string, len(in.Values))
			for i, v := range in.Values {
				want.Values[i] = clean(v)
			}
		}
		if !reflect.DeepEqual(want, out) {
			t.Fatalf("round trip changed the filter %s:\nwant %+v\ngot  %+v", raw, want, out)
		}
	})
}

// FuzzVerifySignature: arbitrary headers never verify unless they carry the
// right HMAC, in the plain or the timestamped form, and never panic.
func FuzzVerifySignature(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1"}`)
	f.Add("s3cret", SignPayload("s3cret", now, body), body)
	f.Add("s3cret", SignPayloadPlain("s3cret", body), body)
	f.Add("s3cret", "t=1800000000,v1=00", body)
	f.Add("", "t=,v1=", []byte{})
	f.Add("k", "v1=abc,t=1800000000,v1=def,,=,t=", []byte("x"))
	f.Fuzz(func(t *testing.T, secret, header string, payload []byte) {
		err := verifySignatureAt(secret, header, payload, time.Minute, now)
		if err == nil && header != SignPayload(secret, now, payload) && !strings.Contains(header, signature(secret, "1800000000", payload)) {
			// A pass needs the plain signature, or the right signature for
			// some accepted timestamp.
			if strings.ToLower(strings.TrimSpace(header)) == SignPayloadPlain(secret, payload) {
				return
			}
			ts := ""
			for _, p := range strings.Split(header, ",") {
				if k, v, ok := strings.Cut(strings.TrimSpace(p), "="); ok && k == "t" {
					ts = v
				}
			}
			if !strings.Contains(header, signature(secret, ts, payload)) {
				t.Fatalf("verified without the signature: secret %q header %q", secret, header)
			}
		}
		// The genuine signatures always verify.
		if secret != "" {
			if err := verifySignatureAt(secret, SignPayload(secret, now, payload), payload, time.Minute, now); err != nil {
				t.Fatal(err)
			}
			if err := verifySignatureAt(secret, SignPayloadPlain(secret, payload), payload, time.Minute, now); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzDecodeItem: DecodeItem reads any JSON object that has an entrupy_id
// (a non-empty string or a number) without an error or a panic, and
// refuses anything else with an error. What it reads is the same on a
// second read, keeps the bytes it was given, lists unread members sorted
// and once each, and holds only times RFC 3339 can write, in whole seconds.
// The seeds are the items of every fixture: the contract's and Entrupy's
// published samples.
func FuzzDecodeItem(f *testing.F) {
	for _, glob := range []string{"testdata/wire/*.json", "testdata/published/*.json"} {
		files, _ := filepath.Glob(glob)
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			for _, raw := range fixtureItems(b) {
				f.Add([]byte(raw))
			}
		}
	}
	f.Add([]byte(`{"entrupy_id": 12, "timestamp": 1566879268.342735, "images": {"front": ["https://x/1.jpg", {"device_type": "camera"}]}}`))
	f.Add([]byte(`{"entrupy_id": "E", "owner": "Acme", "properties": [], "status": {"flag": {"id": null}, "result": "authentic"}, "timestamp": {"epoch": 1e400}}`))
	f.Add([]byte(`{"entrupy_id": ""}`))
	f.Add([]byte(`[{"entrupy_id": "E"}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		it, err := DecodeItem(body, "en")
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		obj, isObject := map[string]any(nil), false
		if dec.Decode(&v) == nil {
			if _, end := dec.Token(); errors.Is(end, io.EOF) {
				obj, isObject = v.(map[string]any)
			}
		}
		var wantID string
		switch id := obj["entrupy_id"].(type) {
		case string:
			wantID = id
		case json.Number:
			wantID = id.String()
		}
		if !isObject || wantID == "" {
			if err == nil {
				t.Fatalf("read %s without an error: %+v", body, it)
			}
			return
		}
		if err != nil {
			t.Fatalf("a JSON object with entrupy_id %q failed: %v\n%s", wantID, err, body)
		}
		if it.EntrupyID != wantID || !bytes.Equal(it.Raw, body) {
			t.Fatalf("entrupy_id %q (want %q), raw %q", it.EntrupyID, wantID, it.Raw)
		}
		if !sort.StringsAreSorted(it.Unread) || len(slices.Compact(slices.Clone(it.Unread))) != len(it.Unread) {
			t.Fatalf("unread not sorted once each: %q", it.Unread)
		}
		for _, tm := range []*time.Time{it.Timestamp.Created, it.Timestamp.Updated} {
			if tm == nil {
				continue
			}
			if tm.Location() != time.UTC || tm.Nanosecond() != 0 || tm.Year() < 1 || tm.Year() > 9999 {
				t.Fatalf("time %v cannot be written in RFC 3339 whole seconds", tm)
			}
			if back, err := time.Parse(time.RFC3339, tm.Format(time.RFC3339)); err != nil || !back.Equal(*tm) {
				t.Fatalf("time %v does not survive RFC 3339: %v", tm, err)
			}
		}
		again, err := DecodeItem(body, "en")
		if err != nil || !reflect.DeepEqual(it, again) {
			t.Fatalf("a second read differs (%v):\n%+v\n%+v", err, it, again)
		}
	})
}

// fixtureItems returns the items a fixture holds: the fixture itself, its
// "item", or its "items".
func fixtureItems(b []byte) []json.RawMessage {
	var doc struct {
		Item      json.RawMessage   `json:"item"`
		Items     []json.RawMessage `json:"items"`
		EntrupyID json.RawMessage   `json:"entrupy_id"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return nil
	}
	switch {
	case doc.EntrupyID != nil:
		return []json.RawMessage{b}
	case doc.Item != nil:
		return []json.RawMessage{doc.Item}
	}
	return doc.Items
}
