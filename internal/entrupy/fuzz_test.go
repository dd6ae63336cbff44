package entrupy

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Fuzz targets: `make test` runs each briefly, `make fuzz` longer. The f.Add
// calls are the committed seed corpus; failures found land in testdata/fuzz.

// FuzzDecodeResponses feeds arbitrary bodies to every response shape the
// client decodes and to the error path: no panic, and an error always
// carries its status.
func FuzzDecodeResponses(f *testing.F) {
	f.Add([]byte(`{"item": {"entrupy_id": "X", "status": {"flag": null, "result": {"id": "authentic", "final": true}}, "images": [{"region_id": "a"}]}}`), 200)
	f.Add([]byte(`{"items": [{"entrupy_id": "A"}], "item_count": 1, "next_cursor": null}`), 200)
	f.Add([]byte(`{"error": "not found", "code": "not_found", "field": "id"}`), 404)
	f.Add([]byte(`<html>502 Bad Gateway</html>`), 502)
	f.Add([]byte(``), 500)
	f.Add([]byte(`{"error": 5, "code": ["x"]}`), 400)
	f.Add([]byte(`{"item": {"certificate_id": "C-1", "photos": null, "transfer": {"status": "weird"}}}`), 200)
	f.Add([]byte(strings.Repeat("[", 10000)), 200)
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		var (
			item  ItemEnvelope[Item]
			page  SearchPage
			cert  ItemEnvelope[Certificate]
			user  Page[User]
			hooks Page[Webhook]
			auth  AuthorizeResponse
		)
		for _, v := range []any{&item, &page, &cert, &user, &hooks, &auth} {
			_ = json.Unmarshal(body, v)
		}
		if status < 100 || status > 999 {
			status = 500
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{HeaderRetryAfter: {string(body)}}}
		e := newAPIError(resp, body, http.MethodGet, "/v2/x")
		if e.StatusCode != status || !strings.Contains(e.Error(), "GET /v2/x") {
			t.Fatalf("error lost its status or request: %+v", e)
		}
		if len(e.Message) > maxErrorExcerpt+len("…") && e.Code == "" {
			t.Fatalf("non-JSON excerpt not bounded: %d bytes", len(e.Message))
		}
	})
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

// FuzzFilterRoundTrip: a filter survives JSON both ways (the client builds
// it, the emulator reads it), whatever its key and values.
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
// right HMAC, and never panic.
func FuzzVerifySignature(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"id":"evt_1"}`)
	f.Add("s3cret", SignPayload("s3cret", now, body), body)
	f.Add("s3cret", "t=1800000000,v1=00", body)
	f.Add("", "t=,v1=", []byte{})
	f.Add("k", "v1=abc,t=1800000000,v1=def,,=,t=", []byte("x"))
	f.Fuzz(func(t *testing.T, secret, header string, payload []byte) {
		err := verifySignatureAt(secret, header, payload, time.Minute, now)
		if err == nil && header != SignPayload(secret, now, payload) && !strings.Contains(header, signature(secret, "1800000000", payload)) {
			// A pass needs the right signature for some accepted timestamp.
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
		// The genuine signature always verifies.
		if secret != "" {
			if err := verifySignatureAt(secret, SignPayload(secret, now, payload), payload, time.Minute, now); err != nil {
				t.Fatal(err)
			}
		}
	})
}
