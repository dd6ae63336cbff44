package emulator

// The emulator's own words for every JSON shape it reads or writes, taken
// from the contract text (internal/entrupy/CONTRACT.md), not from the client's
// structs in internal/entrupy. The two sides name each field independently,
// so a misspelt JSON tag on either side makes the client and the emulator
// disagree, and the tests that run the client against the emulator fail.
// What the two sides share are the contract's constants (routes, headers,
// error codes, enumerations, limits) and its validation rules.

import (
	"encoding/json"
	"fmt"
)

// ---------------------------------------------------------------------------
// Envelopes and errors.

// itemEnvelope wraps single objects: {"item": {...}} [doc].
type itemEnvelope[T any] struct {
	Item T `json:"item"`
}

// listPage is a page of a GET list route: {"items": [...], "next_cursor"};
// a null next_cursor is the last page [chosen].
type listPage[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// errorBody is the body of every non-2xx answer [chosen]:
// {"error": "<human message>", "code": "<snake_case>", "field": "<attribute>"}.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
}

// healthBody is GET /v1/health: {"status": "ok"} [doc].
type healthBody struct {
	Status string `json:"status"`
}

// ---------------------------------------------------------------------------
// Authentications [doc]: the seeds' data model plus certificate.certificate_id.

// item is one authentication.
type item struct {
	EntrupyID   string       `json:"entrupy_id"`
	Owner       itemOwner    `json:"owner"`
	Certificate *itemCertRef `json:"certificate"` // null unless authentic [doc]
	Properties  itemProps    `json:"properties"`
	Status      itemStatus   `json:"status"`
	TextFields  itemText     `json:"text_fields"`
	Timestamp   itemTime     `json:"timestamp"`
	Activity    itemActivity `json:"activity"`
	Images      []itemImage  `json:"images"` // null unless include_images=true [doc]
	// Catalog is null unless include_catalog=true, and for items Entrupy
	// has no catalog match for [doc]. Files that predate it have no
	// "catalog" key; see item.UnmarshalJSON (catalogdata.go).
	Catalog *itemCatalog `json:"catalog"`
}

// itemOwner is {"organization": {"name"}, "user": {"username"}}.
type itemOwner struct {
	Organization orgName  `json:"organization"`
	User         userName `json:"user"`
}

type orgName struct {
	Name string `json:"name"`
}

type userName struct {
	Username string `json:"username"`
}

// itemCertRef is an item's "certificate": {"certificate_id", "site", "preview"}.
type itemCertRef struct {
	CertificateID string `json:"certificate_id"`
	Site          string `json:"site"`
	Preview       string `json:"preview"`
}

// idDisplay is an enumerated value with its display string: {"id", "display"}.
type idDisplay struct {
	ID      string `json:"id"`
	Display string `json:"display"`
}

// itemProps is "properties": brand, material (luxury), item_type (apparel).
type itemProps struct {
	Brand    *idDisplay `json:"brand"`
	Material *idDisplay `json:"material"`
	ItemType *idDisplay `json:"item_type"`
}

// itemStatus is "status": {"flag", "result"}.
type itemStatus struct {
	Flag   *string    `json:"flag"`
	Result itemResult `json:"result"`
}

// itemResult is "status.result": {"id", "display", "final", "reason"}.
type itemResult struct {
	ID      string  `json:"id"`
	Display string  `json:"display"`
	Final   bool    `json:"final"`
	Reason  *string `json:"reason"`
}

// itemText is "text_fields".
type itemText struct {
	Identifier     *string `json:"identifier"`
	CustomerItemID *string `json:"customer_item_id"`
	StyleCode      *string `json:"style_code"`
	USSize         *string `json:"us_size"`
}

// itemTime is "timestamp": {"display" (RFC 3339), "epoch"}.
type itemTime struct {
	Display string `json:"display"`
	Epoch   int64  `json:"epoch"`
}

// itemActivity is "activity": {"name", "mode", "form_factor", "product_category"}.
type itemActivity struct {
	Name            string  `json:"name"`
	Mode            *string `json:"mode"`
	FormFactor      string  `json:"form_factor"`
	ProductCategory *string `json:"product_category"`
}

// itemImage is one of "images": region_id and device_type [doc], url [chosen].
type itemImage struct {
	RegionID   string `json:"region_id"`
	DeviceType string `json:"device_type"`
	URL        string `json:"url"`
}

// itemCatalog is an item's "catalog" [doc], its shape [chosen] after the
// three parts of Entrupy's catalog-data pages: {"product_information",
// "condition_assessment" (null when the item was not assessed),
// "marketplace_listings" ([] when there are none)}. Files of format 1 held
// another shape; see item.UnmarshalJSON (catalogdata.go).
type itemCatalog struct {
	Product   catalogProduct     `json:"product_information"`
	Condition *catalogAssessment `json:"condition_assessment"`
	Listings  []catalogListing   `json:"marketplace_listings"`
}

// catalogProduct is "catalog.product_information": plain display strings
// (no id/display pairs), each a string or null.
type catalogProduct struct {
	Brand        *string `json:"brand"`
	Category     *string `json:"category"`
	Style        *string `json:"style"`
	Material     *string `json:"material"`
	Colorway     *string `json:"colorway"`
	Description  *string `json:"description"`
	SerialNumber *string `json:"serial_number"`
}

// catalogAssessment is "catalog.condition_assessment": {"rating" (A..D,
// open), "score" (0..100 or null), "issues" ([string]), "notes" (or null)}.
type catalogAssessment struct {
	Rating string   `json:"rating"`
	Score  *float64 `json:"score"`
	Issues []string `json:"issues"`
	Notes  *string  `json:"notes"`
}

// catalogListing is one of "catalog.marketplace_listings": {"platform",
// "title", "url", "price" (a decimal string, "1250.00"), "currency" (ISO
// 4217), "region" (or null)}.
type catalogListing struct {
	Platform string  `json:"platform"`
	Title    string  `json:"title"`
	URL      string  `json:"url"`
	Price    string  `json:"price"`
	Currency string  `json:"currency"`
	Region   *string `json:"region"`
}

// searchRequest is POST /v2/search/authentications:
// {"limit": 1..25, "filters": [Filter], "cursor"}. A nil Limit is the default.
type searchRequest struct {
	Limit   *int           `json:"limit"`
	Filters []searchFilter `json:"filters"`
	Cursor  string         `json:"cursor"`
}

// searchFilter is one condition [chosen]: {"key", "value"} (a string, or null
// for null fields), {"key", "values": [...]}, or {"key": "timestamp.epoch",
// "gte", "lt"}.
type searchFilter struct {
	Key    string
	Value  *string
	Null   bool // "value": null
	Values []string
	GTE    *int64
	LT     *int64
}

// UnmarshalJSON reads a filter; "value" must be a string or null.
func (f *searchFilter) UnmarshalJSON(b []byte) error {
	var raw struct {
		Key    string          `json:"key"`
		Value  json.RawMessage `json:"value"`
		Values []string        `json:"values"`
		GTE    *int64          `json:"gte"`
		LT     *int64          `json:"lt"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*f = searchFilter{Key: raw.Key, Values: raw.Values, GTE: raw.GTE, LT: raw.LT}
	if len(raw.Value) > 0 { // present: a string or null
		if string(raw.Value) == "null" {
			f.Null = true
			return nil
		}
		var v string
		if err := json.Unmarshal(raw.Value, &v); err != nil {
			return fmt.Errorf("filter %q: value must be a string or null", raw.Key)
		}
		f.Value = &v
	}
	return nil
}

// searchPage is one page of search results:
// {"items", "item_count" (all matches), "next_cursor"} [doc]; items in the
// shape the emulator answers them in (shapes.go).
type searchPage struct {
	Items      []any   `json:"items"`
	ItemCount  int     `json:"item_count"`
	NextCursor *string `json:"next_cursor"`
}

// ---------------------------------------------------------------------------
// Certificates [chosen].

// certificate is GET /v2/certificates/{certificate_id}.
type certificate struct {
	CertificateID   string    `json:"certificate_id"`
	EntrupyID       string    `json:"entrupy_id"`
	Site            string    `json:"site"`
	Preview         string    `json:"preview"`
	AuthenticatedAt string    `json:"authenticated_at"` // RFC 3339
	Brand           idDisplay `json:"brand"`
	DateCode        *string   `json:"date_code"`
	StyleCode       *string   `json:"style_code"`
	SerialNumber    *string   `json:"serial_number"`
	CustomerItemID  *string   `json:"customer_item_id"` // null when hidden
	Photos          []string  `json:"photos"`
	Holder          Holder    `json:"holder"`
	Transfer        *Transfer `json:"transfer"`
	Status          string    `json:"status"`     // valid | revoked
	RevokedAt       *string   `json:"revoked_at"` // RFC 3339, null unless revoked
}

// Holder is a certificate's current holder: {"username", "name"}.
type Holder struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Transfer is the contract's transfer object:
// {"transfer_id", "status", "recipient_email", "initiated_at"}.
type Transfer struct {
	TransferID     string `json:"transfer_id"`
	Status         string `json:"status"` // pending | accepted | cancelled
	RecipientEmail string `json:"recipient_email"`
	InitiatedAt    string `json:"initiated_at"` // RFC 3339
}

// transferRequest is POST /v2/certificates/{certificate_id}/transfers.
type transferRequest struct {
	RecipientEmail string `json:"recipient_email"`
	RecipientName  string `json:"recipient_name"`
}

// ---------------------------------------------------------------------------
// Integration users.

// authorizeRequest is POST /v2/integrations/authorize-user [doc].
type authorizeRequest struct {
	SDKAuthorizationRequest string `json:"sdk_authorization_request"`
	UniqueUserID            string `json:"unique_user_id"`
	Email                   string `json:"email"`
	FirstName               string `json:"first_name"`
	LastName                string `json:"last_name"`
}

// authorizeResponse is authorize-user's answer [doc].
type authorizeResponse struct {
	SignedAuthorizationRequest string `json:"signed_authorization_request"`
	Username                   string `json:"username"`
}

// User is an integration user [chosen]: {"unique_user_id", "username",
// "email", "first_name", "last_name", "created_at", "metadata"}.
type User struct {
	UniqueUserID string            `json:"unique_user_id"`
	Username     string            `json:"username"`
	Email        string            `json:"email"`
	FirstName    string            `json:"first_name"`
	LastName     string            `json:"last_name"`
	CreatedAt    string            `json:"created_at"`
	Metadata     map[string]string `json:"metadata"` // {} when empty
}

// createUserBody is POST /v2/integrations/users [chosen]; metadata is kept
// raw for applyMetadata.
type createUserBody struct {
	UniqueUserID string          `json:"unique_user_id"`
	Email        string          `json:"email"`
	FirstName    string          `json:"first_name"`
	LastName     string          `json:"last_name"`
	Metadata     json.RawMessage `json:"metadata"`
}

// patchUserBody is PATCH /v2/integrations/users/{unique_user_id} [chosen]:
// email and metadata change; the other members may be sent only with their
// current values. Members are kept raw: absent is nil, so the handler knows
// which were given and checks them before anything changes.
type patchUserBody struct {
	Email        json.RawMessage `json:"email"`
	Metadata     json.RawMessage `json:"metadata"`
	UniqueUserID json.RawMessage `json:"unique_user_id"`
	Username     json.RawMessage `json:"username"`
	FirstName    json.RawMessage `json:"first_name"`
	LastName     json.RawMessage `json:"last_name"`
}

// ---------------------------------------------------------------------------
// Webhooks [chosen routes].

// Webhook is a webhook subscription as answers show it (never its secret):
// {"id", "url", "events", "description", "enabled", "username",
// "api_version", "created_at", "updated_at", "metadata"}.
type Webhook struct {
	ID          string            `json:"id"`
	URL         string            `json:"url"`
	Events      []string          `json:"events"`
	Description string            `json:"description"`
	Enabled     bool              `json:"enabled"`
	Username    *string           `json:"username"`
	APIVersion  string            `json:"api_version"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	Metadata    map[string]string `json:"metadata"` // {} when empty
}

// createWebhookBody is POST /v2/webhooks.
type createWebhookBody struct {
	URL         string          `json:"url"`
	SecretKey   string          `json:"secret_key"`
	Events      []string        `json:"events"`
	Description string          `json:"description"`
	Enabled     *bool           `json:"enabled"` // default true
	Username    string          `json:"username"`
	Metadata    json.RawMessage `json:"metadata"`
}

// patchWebhookBody is PATCH /v2/webhooks/{id}: nil members are left alone.
// username, api_version and id cannot change; the handler checks them on
// the body's raw members.
type patchWebhookBody struct {
	URL         *string         `json:"url"`
	SecretKey   *string         `json:"secret_key"`
	Events      []string        `json:"events"`
	Description *string         `json:"description"`
	Enabled     *bool           `json:"enabled"`
	Metadata    json.RawMessage `json:"metadata"`
}

// deliveryEvent is the body of a webhook delivery [chosen]:
// {"id": "evt_…", "type", "created_at", "data": {"item": {...}, ...}}.
type deliveryEvent struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
	Test      bool   `json:"test,omitempty"` // true only in test deliveries
	Data      any    `json:"data"`
}

// testWebhookBody is POST /v2/webhooks/{id}/test [chosen]: {"event"?}.
type testWebhookBody struct {
	Event string `json:"event"`
}

// DeliveryItem is one delivery attempt as the API shows it [chosen]:
// {"id": "dlv_…", "event_id", "event_type", "test", "attempt", "status",
// "response_status" (null without an answer), "error" (null with one),
// "duration_ms" (null while pending), "created_at"}.
type DeliveryItem struct {
	ID             string  `json:"id"`
	EventID        string  `json:"event_id"`
	EventType      string  `json:"event_type"`
	Test           bool    `json:"test"`
	Attempt        int     `json:"attempt"`
	Status         string  `json:"status"`
	ResponseStatus *int    `json:"response_status"`
	Error          *string `json:"error"`
	DurationMS     *int64  `json:"duration_ms"`
	CreatedAt      string  `json:"created_at"`
}

// supportMessageData is the data of a support.message delivery: the item
// and the message.
type supportMessageData struct {
	Item    item           `json:"item"`
	Message supportMessage `json:"message"`
}

type supportMessage struct {
	CreatedAt string `json:"created_at"`
	Text      string `json:"text"`
}
