package entrupy

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

// Each object read liberally, from literal JSON: the contract's shape reads
// exactly; a re-spelled member is converted; anything else is left empty
// and named, and the rest of the object is still read.
func TestLenientObjects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		body string
		into any
		want any
	}{{
		name: "webhook as the contract has it",
		body: `{"id": "wh_1", "url": "https://h.example/e", "events": ["session.completed"], "description": "d",
			"enabled": true, "username": null, "api_version": "2", "created_at": "2026-01-05T09:00:00Z",
			"updated_at": "2026-01-05T09:00:00Z", "metadata": {"made_by": "p/1 t n"}, "unknown": {"x": [1]}}`,
		into: new(Webhook),
		want: &Webhook{
			ID: "wh_1", URL: "https://h.example/e", Events: []string{"session.completed"}, Description: "d",
			Enabled: true, APIVersion: "2", CreatedAt: "2026-01-05T09:00:00Z", UpdatedAt: "2026-01-05T09:00:00Z",
			Metadata: map[string]string{"made_by": "p/1 t n"},
		},
	}, {
		name: "webhook with re-spelled members",
		body: `{"id": "wh_2", "url": "https://h.example/e", "events": "support.message", "enabled": "false",
			"username": 12345678, "api_version": 1.4, "metadata": {"n": 3, "b": true, "s": "x"}}`,
		into: new(Webhook),
		want: &Webhook{
			ID: "wh_2", URL: "https://h.example/e", Events: []string{"support.message"}, Enabled: false,
			Username: ptr("12345678"), APIVersion: "1.4", Metadata: map[string]string{"n": "3", "b": "true", "s": "x"},
		},
	}, {
		name: "webhook with members it cannot read",
		body: `{"id": "wh_3", "url": "https://h.example/e", "events": ["session.completed", {"name": "x"}, 7],
			"enabled": "sometimes", "created_at": {"epoch": 1}, "description": ["a"], "metadata": {"o": {"k": 1}, "s": "v"}}`,
		into: new(Webhook),
		want: &Webhook{
			ID: "wh_3", URL: "https://h.example/e", Events: []string{"session.completed", "7"},
			Metadata: map[string]string{"s": "v"}, Unread: []string{"created_at", "description", "enabled", "events[1]", "metadata.o"},
		},
	}, {
		name: "user with a number for a name and metadata that is not an object",
		body: `{"unique_user_id": "seller-0001", "username": "Acme-seller-0001", "email": "a@example.com",
			"first_name": 42, "last_name": null, "created_at": "2026-01-05T09:00:00Z", "metadata": ["x"]}`,
		into: new(User),
		want: &User{
			UniqueUserID: "seller-0001", Username: "Acme-seller-0001", Email: "a@example.com", FirstName: "42",
			CreatedAt: "2026-01-05T09:00:00Z", Unread: []string{"metadata"},
		},
	}, {
		name: "delivery with numbers as text and fractions",
		body: `{"id": "dlv_1", "event_id": "evt_1", "event_type": "session.completed", "test": "true", "attempt": "2",
			"status": "succeeded", "response_status": 200.0, "error": null, "duration_ms": 12.7, "created_at": "2026-01-05T09:00:00Z"}`,
		into: new(Delivery),
		want: &Delivery{
			ID: "dlv_1", EventID: "evt_1", EventType: "session.completed", Test: true, Attempt: 2,
			Status: "succeeded", ResponseStatus: ptr(200), DurationMS: ptr(int64(12)), CreatedAt: "2026-01-05T09:00:00Z",
		},
	}, {
		name: "delivery with an error object and a status out of range",
		body: `{"id": "dlv_2", "attempt": 1, "response_status": 1e12, "error": {"message": "timeout"}}`,
		into: new(Delivery),
		want: &Delivery{ID: "dlv_2", Attempt: 1, Unread: []string{"error", "response_status"}},
	}, {
		name: "certificate with a brand as text and odd photos",
		body: `{"certificate_id": "C-1", "entrupy_id": "X", "brand": "Chanel", "photos": ["https://p/1", null, 5, {}],
			"holder": {"username": "Acme-u", "name": null}, "transfer": {"transfer_id": "T", "status": "weird", "initiated_at": 1},
			"status": "valid"}`,
		into: new(Certificate),
		want: &Certificate{
			CertificateID: "C-1", EntrupyID: "X", Photos: []string{"https://p/1", "", "5"},
			Holder: Holder{Username: "Acme-u"}, Transfer: &Transfer{TransferID: "T", Status: "weird", InitiatedAt: "1"},
			Status: "valid", Unread: []string{"brand", "photos[3]"},
		},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := json.Unmarshal([]byte(tc.body), tc.into); err != nil {
				t.Fatalf("read failed: %v", err)
			}
			if !reflect.DeepEqual(tc.into, tc.want) {
				t.Fatalf("read\n%+v\nwant\n%+v", tc.into, tc.want)
			}
		})
	}
}

// Only a body that is not an object fails; an object inside a page of
// objects reads liberally, one member at a time.
func TestLenientNotAnObject(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`[]`, `"wh_1"`, `5`, `{"id": `} {
		if err := json.Unmarshal([]byte(body), new(Webhook)); err == nil {
			t.Errorf("%s read as a webhook", body)
		}
	}
	var page Page[User]
	if err := json.Unmarshal([]byte(`{"items": [{"unique_user_id": "a-user-01", "email": 5}, {"unique_user_id": "b-user-01", "metadata": 1}], "next_cursor": null}`), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 || page.Items[0].Email != "5" || !reflect.DeepEqual(page.Items[1].Unread, []string{"metadata"}) {
		t.Fatalf("page read as %+v", page)
	}
}

// BenchmarkDecodeWebhookPage: the price of reading liberally on a page of
// 25 webhooks in the contract's shape, beside encoding/json alone (the
// "strict" case decodes the same struct without its UnmarshalJSON).
func BenchmarkDecodeWebhookPage(b *testing.B) {
	one := `{"id": "wh_0123456789abcdef", "url": "https://hooks.example.com/entrupy/orders", "events": ["session.completed", "support.message"],
		"description": "orders", "enabled": true, "username": null, "api_version": "2", "created_at": "2026-01-05T09:00:00Z",
		"updated_at": "2026-01-05T09:00:00Z", "metadata": {"made_by": "terraform-provider-entrupy/0.1.0 2026-01-05T09:00:00Z 0123456789abcdef"}}`
	var items []string
	for range 25 {
		items = append(items, one)
	}
	page := []byte(`{"items": [` + strings.Join(items, ",") + `], "next_cursor": "c"}`)
	type strict Webhook
	b.Run("liberal", func(b *testing.B) {
		for b.Loop() {
			var p Page[Webhook]
			if err := json.Unmarshal(page, &p); err != nil || len(p.Items) != 25 {
				b.Fatal(err)
			}
		}
	})
	b.Run("strict", func(b *testing.B) {
		for b.Loop() {
			var p Page[strict]
			if err := json.Unmarshal(page, &p); err != nil || len(p.Items) != 25 {
				b.Fatal(err)
			}
		}
	})
}
