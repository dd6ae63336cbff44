package entrupy

// This file holds the client's wire details of the Entrupy API contract
// (internal/entrupy/CONTRACT.md): routes, headers, error codes, limits and the
// JSON shapes the client sends and reads. Details the contract marks
// [chosen] are not published by Entrupy; keeping the client's in one place
// means a correction is a single edit on the client's side.
//
// The emulator (internal/emulator) does not use these JSON shapes: it has
// its own (internal/emulator/wire.go), written from the contract text, so
// that a misspelt field here or there shows as a disagreement in the tests
// that run the client against the emulator. The two share only the
// contract's constants (routes, headers, error codes, enumerations,
// limits) and the validation rules of rules.go.

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Headers.
const (
	HeaderAuthorization  = "Authorization"   // [doc] "Token <api token>"
	HeaderAPIVersion     = "Api-Version"     // [doc]
	HeaderAcceptLanguage = "Accept-Language" // [doc] en | ja
	HeaderIdempotencyKey = "Idempotency-Key" // [chosen] as Stripe and Svix do
	HeaderRetryAfter     = "Retry-After"     // [doc] seconds
	HeaderSignature      = "Entrupy-Signature"

	// Rate-limit headers a response may carry [chosen, optional: Entrupy
	// documents only 429 and Retry-After]: how many requests the limit
	// allows and how many are left. The client paces to them when they come
	// and never needs them. The IETF httpapi draft's RateLimit with
	// RateLimit-Policy (`"default";r=3;t=1` with `"default";q=10;w=1`, or
	// "limit=10, remaining=3, reset=1" in earlier revisions, and their
	// separate RateLimit-Limit, -Remaining, -Reset before that), and
	// X-RateLimit-* as GitHub sends them.
	HeaderRateLimit           = "RateLimit"
	HeaderRateLimitPolicy     = "RateLimit-Policy"
	HeaderRateLimitLimit      = "RateLimit-Limit"
	HeaderRateLimitRemaining  = "RateLimit-Remaining"
	HeaderRateLimitReset      = "RateLimit-Reset"
	HeaderXRateLimitLimit     = "X-RateLimit-Limit"
	HeaderXRateLimitRemaining = "X-RateLimit-Remaining"
	HeaderXRateLimitReset     = "X-RateLimit-Reset"

	// AuthScheme is the word before the token: "Token", not "Bearer" [doc].
	AuthScheme = "Token"

	// HealthAPIVersion is the Api-Version the v1 health route requires [doc].
	HealthAPIVersion = "1.4"
	// DefaultWebhookAPIVersion is recorded on a webhook created without an
	// Api-Version header [chosen].
	DefaultWebhookAPIVersion = "2"
)

// Error codes carried in the "code" field of an error body [chosen].
const (
	CodeInvalidRequest = "invalid_request" // 400
	CodeUnauthorized   = "unauthorized"    // 401
	CodeNotFound       = "not_found"       // 404
	CodeConflict       = "conflict"        // 409
	CodeImmutableField = "immutable_field" // 422
	CodeRateLimited    = "rate_limited"    // 429
	CodeInternal       = "internal"        // 500
)

// SearchMaxLimit is the largest "limit" a search accepts; 1..25 [doc].
const SearchMaxLimit = 25

// ListPageSize is how many objects a page of the list routes
// (GET /v2/webhooks, GET /v2/integrations/users) holds, but the last
// [chosen]. A listed object is what its GET would return at that moment;
// the users route lists active users only (a deactivated user's GET is a
// 404) [chosen].
const ListPageSize = 25

// Length limits of free-text fields [chosen]: a longer value is a 400
// naming the field. The provider validates the same bounds at plan.
const (
	MaxWebhookURLLength       = 2048
	MaxDescriptionLength      = 255
	MaxSecretKeyLength        = 256
	MaxUsernameLength         = 150
	MaxEmailLength            = 254
	MaxNameLength             = 100 // first_name, last_name
	MaxSDKAuthorizationLength = 8192
	MaxFilterValueLength      = 255 // each string a search filter carries, but a customer_item_id
	MaxFilterValues           = 100 // entries of a filter's "values"
	MaxMetadataKeys           = 20
	MaxMetadataKeyLength      = 40
	MaxMetadataValueLength    = 500
	FieldMetadata             = "metadata" // [chosen] as Stripe and Svix do
	MetadataRemoveValue       = ""         // a PATCH value that removes the key
)

// MaxCustomerItemIDLength bounds a customer_item_id [doc: Android SDK,
// "max 256 chars"], also as the lookup route's path or a search filter value.
const MaxCustomerItemIDLength = 256

// metadataKeyAlphabet is what a metadata key is made of [chosen].
const metadataKeyAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"

// ValidMetadataKey reports whether k is 1–40 characters of a-z0-9_ [chosen].
func ValidMetadataKey(k string) bool {
	if len(k) == 0 || len(k) > MaxMetadataKeyLength {
		return false
	}
	for _, r := range k {
		if !strings.ContainsRune(metadataKeyAlphabet, r) {
			return false
		}
	}
	return true
}

// MarkerKey is the metadata key every create of the services' CreateNew
// leaves on what it makes [chosen]: "<maker> <RFC 3339 time> <nonce>", who
// made it (WithCreatedBy), when, and a nonce new for each create.
// LegacyMarkerKey is the key provider versions before it used.
const (
	MarkerKey       = "made_by"
	LegacyMarkerKey = "terraform_config"
)

// Routes. Path parameters are escaped by the helpers below.
const (
	PathHealth                = "/v1/health"                      // [doc]
	PathSearchAuthentications = "/v2/search/authentications"      // [doc]
	PathAuthorizeUser         = "/v2/integrations/authorize-user" // [doc]
	PathUsers                 = "/v2/integrations/users"          // [chosen]
	PathWebhooks              = "/v2/webhooks"                    // [chosen]
	pathAuthentication        = "/v2/authentications/"            // [doc] + {entrupy_id}
	pathLookupAuthentication  = "/v2/lookup/authentications/"     // [doc] + {customer_item_id}
	pathCertificate           = "/v2/certificates/"               // [chosen] + {certificate_id}
	pathTransfersSuffix       = "/transfers"                      // [chosen]
	pathWebhookTestSuffix     = "/test"                           // [chosen] as Stripe, GitHub and Svix offer
	pathDeliveriesSuffix      = "/deliveries"                     // [chosen]
	QueryIncludeImages        = "include_images"                  // [doc]
	QueryIncludeCatalog       = "include_catalog"                 // [doc]
	QueryCursor               = "cursor"                          // [chosen]
	webhookIDPrefix           = "wh_"                             // [chosen]
	defaultBaseURL            = "https://api.entrupy.com"         // [doc]
)

// DefaultBaseURL is Entrupy's production API [doc].
const DefaultBaseURL = defaultBaseURL

// WebhookIDPrefix starts every webhook id [chosen].
const WebhookIDPrefix = webhookIDPrefix

// PathAuthentication is GET /v2/authentications/{entrupy_id}.
func PathAuthentication(entrupyID string) string {
	return pathAuthentication + url.PathEscape(entrupyID)
}

// PathLookupAuthentication is GET /v2/lookup/authentications/{customer_item_id}.
func PathLookupAuthentication(customerItemID string) string {
	return pathLookupAuthentication + url.PathEscape(customerItemID)
}

// PathCertificate is GET /v2/certificates/{certificate_id}.
func PathCertificate(certificateID string) string {
	return pathCertificate + url.PathEscape(certificateID)
}

// PathTransfers is POST /v2/certificates/{certificate_id}/transfers.
func PathTransfers(certificateID string) string {
	return PathCertificate(certificateID) + pathTransfersSuffix
}

// PathTransfer is DELETE /v2/certificates/{certificate_id}/transfers/{transfer_id}.
func PathTransfer(certificateID, transferID string) string {
	return PathTransfers(certificateID) + "/" + url.PathEscape(transferID)
}

// PathUser is /v2/integrations/users/{unique_user_id}.
func PathUser(uniqueUserID string) string {
	return PathUsers + "/" + url.PathEscape(uniqueUserID)
}

// PathWebhook is /v2/webhooks/{id}.
func PathWebhook(id string) string {
	return PathWebhooks + "/" + url.PathEscape(id)
}

// PathWebhookTest is POST /v2/webhooks/{id}/test: one signed test delivery.
func PathWebhookTest(id string) string {
	return PathWebhook(id) + pathWebhookTestSuffix
}

// PathWebhookDeliveries is GET /v2/webhooks/{id}/deliveries: the delivery
// history, newest first.
func PathWebhookDeliveries(id string) string {
	return PathWebhook(id) + pathDeliveriesSuffix
}

// Search filter keys [chosen, after the SDK's {key, value} maps].
const (
	FilterUsername        = "owner.user.username"
	FilterCustomerItemID  = "text_fields.customer_item_id"
	FilterBrand           = "properties.brand.id"
	FilterResult          = "status.result.id"
	FilterFlag            = "status.flag"
	FilterProductCategory = "activity.product_category"
	FilterFormFactor      = "activity.form_factor" // [doc: v1.1→v1.2 migration guide]
	FilterTimestamp       = "timestamp.epoch"
)

// FilterKeys lists every key a search accepts; any other key is a 400.
var FilterKeys = []string{
	FilterUsername, FilterCustomerItemID, FilterBrand, FilterResult,
	FilterFlag, FilterProductCategory, FilterFormFactor, FilterTimestamp,
}

// Webhook events [doc]. More may come; clients must tolerate unknown ones.
const (
	EventSessionCompleted    = "session.completed"
	EventSupportMessage      = "support.message"
	EventCertificateTransfer = "certificate.transfer"
)

// WebhookEvents lists the events a webhook can subscribe to today.
var WebhookEvents = []string{EventSessionCompleted, EventSupportMessage, EventCertificateTransfer}

// Webhook deliveries [chosen]: the test route and the delivery history.
const (
	// DeliveryIDPrefix starts every delivery id.
	DeliveryIDPrefix = "dlv_"
	// TestDeliveryTimeout is how long POST /v2/webhooks/{id}/test waits for
	// the receiver's answer before it answers itself.
	TestDeliveryTimeout = 10 * time.Second
	// DeliveryHistoryDays is how far back GET /v2/webhooks/{id}/deliveries goes.
	DeliveryHistoryDays = 30
)

// Delivery statuses [chosen]: an attempt waiting for the receiver's
// answer, one the receiver answered 2xx, and one it answered otherwise or
// never (a network error, a timeout).
const (
	DeliveryPending   = "pending"
	DeliverySucceeded = "succeeded"
	DeliveryFailed    = "failed"
)

// DeliveryStatuses lists the statuses of a delivery today.
var DeliveryStatuses = []string{DeliveryPending, DeliverySucceeded, DeliveryFailed}

// Certificate transfer statuses [chosen].
const (
	TransferPending   = "pending"
	TransferAccepted  = "accepted"
	TransferCancelled = "cancelled"
)

// errorBody is the JSON body of every non-2xx answer [chosen], as the
// client reads it.
type errorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
	Field string `json:"field,omitempty"`
}

// ItemEnvelope wraps single objects: {"item": {...}} [doc].
type ItemEnvelope[T any] struct {
	Item T `json:"item"`
}

// Page is a page of a GET list route: {"items": [...], "next_cursor"}.
// next_cursor null means the last page [chosen].
type Page[T any] struct {
	Items      []T     `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

// ---------------------------------------------------------------------------
// Authentications [doc].
//
// Entrupy sends an item in several shapes (CONTRACT.md, "Authentications"):
// the v1.4 data model of seeds/001, and the other shapes its v2 reference
// samples, its v1 migration guide and its SDKs publish. Item is not one of
// them: it is the client's reading of any of them, made by DecodeItem
// (item.go), with each value nil when the item does not carry it. Raw keeps
// the item as Entrupy sent it.

// Item is one authentication, as DecodeItem reads it.
type Item struct {
	// EntrupyID is the item's entrupy_id, the one member an item must have.
	EntrupyID   string
	Owner       Owner
	Certificate *ItemCertificate // nil unless authentic [doc]
	Properties  Properties
	Status      Status
	TextFields  TextFields
	Timestamp   Timestamp
	Activity    Activity
	// Images is nil when the item carries none (null, absent: no
	// include_images [doc]); an empty list for [] or {}.
	Images []Image
	// Catalog is nil unless include_catalog, and when Entrupy has no
	// catalog match [doc]; its shape is [chosen] (see Catalog).
	Catalog *Catalog
	// Raw is the item exactly as Entrupy sent it (a JSON object).
	Raw []byte
	// Unread lists the members (JSON paths such as "timestamp.epoch") whose
	// value had a shape the decoder does not understand, sorted. Each was
	// ignored: what it would have filled is nil unless another member gave it.
	Unread []string
}

// Owner says who performed the authentication: names (v1.4:
// owner.organization.name, owner.user.username) and ids (v2:
// owner.organization_id, owner.user_id), each nil when not sent. An id is
// never read into a name.
type Owner struct {
	OrganizationName *string
	Username         *string
	OrganizationID   *string
	UserID           *string
}

// ItemCertificate is the certificate reference carried by an item, with
// whichever members came.
type ItemCertificate struct {
	CertificateID *string // added by the contract; the v2 lookup sample has it [doc]
	Site          *string
	Preview       *string
}

// IDDisplay is an enumerated value with its localized display string.
type IDDisplay struct {
	ID      string `json:"id"`
	Display string `json:"display"`
}

// ItemValue is an enumerated property of an item (brand, material, item
// type): the fixed id and the display string in the request's language.
// Entrupy sends an {"id", "display"} object (v1.4) or a plain display
// string (v2: "brand": "Louis Vuitton", "brand_name": "Chanel"); for a
// display string the id is the catalogue's (catalog.go) when the string
// names one of its values in the request's language, else nil.
type ItemValue struct {
	ID      *string
	Display *string
}

// Properties describe what the item is.
type Properties struct {
	Brand    *ItemValue
	Material *ItemValue // luxury only
	ItemType *ItemValue // apparel only
}

// Status holds the fields of an item that change over time.
type Status struct {
	// Flag is status.flag: null, "flagged" or "resolved" [doc], another
	// string (v2 sample: "reviewed_ok"), or the id of an object (SDKs:
	// {"id": "flagged", "is_flaggable": ...}).
	Flag *string
	// Result is Entrupy's verdict; nil when the item carries none.
	Result *Result
	// InitialResult is status.initial_result [doc: v2 samples]: the result
	// first given; nil when not sent.
	InitialResult *Result
}

// Result is a verdict: its id, display string, whether it is final and,
// on invalid items, why [doc]. Each is nil when not sent (the v2 samples
// carry no display).
type Result struct {
	ID      *string
	Display *string
	Final   *bool
	Reason  *string
}

// TextFields are values the user entered. CustomerItemID comes from
// text_fields (v1.4) or properties (v2).
type TextFields struct {
	Identifier     *string
	CustomerItemID *string
	StyleCode      *string
	USSize         *string
}

// Timestamp is when the user started the authentication and, where
// Entrupy says, when the item last changed; whole seconds, UTC.
type Timestamp struct {
	// Created is from timestamp.epoch (seconds, integer or fractional
	// [doc], truncated), else timestamp.created_at (RFC 3339, v2), else a
	// timestamp.display that is RFC 3339; nil when none of them is readable.
	Created *time.Time
	// Updated is timestamp.last_updated_at [doc: v2 lookup sample] (or
	// updated_at); nil when not sent.
	Updated *time.Time
}

// Activity says how the item was authenticated or fingerprinted.
type Activity struct {
	Name            *string // authentication | fingerprint
	Mode            *string // register | compare for fingerprints; v2: "standard_authentication"
	FormFactor      *string
	ProductCategory *string
}

// Image is one camera image; region_id with device_type identify it [doc].
type Image struct {
	RegionID   *string
	DeviceType *string
	URL        *string // [chosen]
}

// Catalog is an item's catalog data (GET /v2/authentications/{id} with
// include_catalog=true) [doc]; its shape is [chosen] after the three parts
// Entrupy's catalog-data pages describe: product information in plain
// display strings, a condition assessment, and links to marketplace
// listings whose prices are local to a region. New keys may appear and are
// ignored.
type Catalog struct {
	ProductInformation ProductInformation `json:"product_information"`
	// ConditionAssessment is null when the item was not assessed.
	ConditionAssessment *ConditionAssessment `json:"condition_assessment"`
	// MarketplaceListings are listings of similar items; [] when none.
	MarketplaceListings []MarketplaceListing `json:"marketplace_listings"`
}

// ProductInformation is what the catalog says the item is, each a plain
// display string (brand "Louis Vuitton", category "Tote Bag", style
// "Neverfull MM") or null. Display strings may change without notice [doc].
type ProductInformation struct {
	Brand        *string `json:"brand"`
	Category     *string `json:"category"`
	Style        *string `json:"style"`
	Material     *string `json:"material"`
	Colorway     *string `json:"colorway"`
	Description  *string `json:"description"`
	SerialNumber *string `json:"serial_number"`
}

// ConditionAssessment is the item's condition: a rating (CatalogRatings,
// treated as open), a score from 0 to 100 (or null), the issues found and
// notes.
type ConditionAssessment struct {
	Rating string   `json:"rating"`
	Score  *float64 `json:"score"`
	Issues []string `json:"issues"`
	Notes  *string  `json:"notes"`
}

// MarketplaceListing links a listing of a similar item on a marketplace.
// Price is the decimal string the API sends ("1250.00"), in Currency (ISO
// 4217), local to Region (null when the marketplace gives none); it is
// never turned into a float.
type MarketplaceListing struct {
	Platform string  `json:"platform"`
	Title    string  `json:"title"`
	URL      string  `json:"url"`
	Price    string  `json:"price"`
	Currency string  `json:"currency"`
	Region   *string `json:"region"`
}

// CatalogRatings lists the condition_assessment.rating values known today,
// best first [chosen]; others may come and are read as they are.
var CatalogRatings = []string{"A", "B", "C", "D"}

// CatalogScoreMax is the greatest condition_assessment.score [chosen]; 0 is
// the least.
const CatalogScoreMax = 100

// Filter is one search condition [chosen, after the SDK's {key, value} maps]:
// {"key", "value"} for equality (a JSON null value matches null fields),
// {"key", "values": [...]} for any-of, {"key", "gte", "lt"} for a range of
// timestamp.epoch. Build one with Equal, AnyOf, IsNull or EpochRange.
type Filter struct {
	Key    string
	Value  *string
	Values []string
	GTE    *int64
	LT     *int64
	Null   bool
}

// Equal matches items whose key equals value.
func Equal(key, value string) Filter { return Filter{Key: key, Value: &value} }

// AnyOf matches items whose key is one of values.
func AnyOf(key string, values ...string) Filter { return Filter{Key: key, Values: values} }

// IsNull matches items whose key is null (status.flag of unflagged items).
func IsNull(key string) Filter { return Filter{Key: key, Null: true} }

// EpochRange matches timestamp.epoch in [gte, lt); either bound may be nil.
func EpochRange(gte, lt *int64) Filter { return Filter{Key: FilterTimestamp, GTE: gte, LT: lt} }

// MarshalJSON writes the contract's filter shape.
func (f Filter) MarshalJSON() ([]byte, error) {
	m := map[string]any{"key": f.Key}
	switch {
	case f.Null:
		m["value"] = nil
	case f.Value != nil:
		m["value"] = *f.Value
	case f.Values != nil:
		m["values"] = f.Values
	}
	if f.GTE != nil {
		m["gte"] = *f.GTE
	}
	if f.LT != nil {
		m["lt"] = *f.LT
	}
	return json.Marshal(m)
}

// UnmarshalJSON reads the contract's filter shape; "value": null sets Null.
func (f *Filter) UnmarshalJSON(b []byte) error {
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
	*f = Filter{Key: raw.Key, Values: raw.Values, GTE: raw.GTE, LT: raw.LT}
	if len(raw.Value) > 0 { // present: a string or null
		if string(raw.Value) == "null" {
			f.Null = true
		} else {
			var v string
			if err := json.Unmarshal(raw.Value, &v); err != nil {
				return fmt.Errorf("filter %q: value must be a string or null", raw.Key)
			}
			f.Value = &v
		}
	}
	return nil
}

// SearchRequest is the body of POST /v2/search/authentications.
type SearchRequest struct {
	Limit   int      `json:"limit,omitempty"`
	Filters []Filter `json:"filters,omitempty"`
	Cursor  string   `json:"cursor,omitempty"` // [chosen]
}

// SearchPage is one page of search results [doc]. Its items are read by
// DecodeItem, as every item is.
type SearchPage struct {
	Items      []Item  `json:"items"`
	ItemCount  int     `json:"item_count"`
	NextCursor *string `json:"next_cursor"`
}

// ---------------------------------------------------------------------------
// Certificates [chosen] (seeds/000 says what a certificate holds).

// Certificate is GET /v2/certificates/{certificate_id}.
type Certificate struct {
	CertificateID   string    `json:"certificate_id"`
	EntrupyID       string    `json:"entrupy_id"`
	Site            string    `json:"site"`
	Preview         string    `json:"preview"`
	AuthenticatedAt string    `json:"authenticated_at"` // RFC 3339
	Brand           IDDisplay `json:"brand"`
	DateCode        *string   `json:"date_code"`
	StyleCode       *string   `json:"style_code"`
	SerialNumber    *string   `json:"serial_number"`
	CustomerItemID  *string   `json:"customer_item_id"` // null when hidden [doc]
	Photos          []string  `json:"photos"`
	Holder          Holder    `json:"holder"`
	Transfer        *Transfer `json:"transfer"`
	// Status is CertificateValid or CertificateRevoked: Entrupy can
	// withdraw a certificate after issuing it [doc]. A revoked certificate
	// stays readable; its item no longer links it.
	Status    string  `json:"status"`
	RevokedAt *string `json:"revoked_at"` // RFC 3339; null unless revoked
	// Unread lists the members Entrupy sent in a shape the client could not
	// read (lenient.go); they are left empty.
	Unread []string `json:"-"`
}

// Certificate statuses [chosen]; more may come.
const (
	CertificateValid   = "valid"
	CertificateRevoked = "revoked"
)

// Holder is the current owner of a certificate.
type Holder struct {
	Username string `json:"username"`
	Name     string `json:"name"`
}

// Transfer is a certificate transfer to a buyer.
type Transfer struct {
	TransferID     string `json:"transfer_id"`
	Status         string `json:"status"` // pending | accepted | cancelled
	RecipientEmail string `json:"recipient_email"`
	RecipientName  string `json:"recipient_name,omitempty"`
	InitiatedAt    string `json:"initiated_at"` // RFC 3339
}

// TransferRequest starts a transfer.
type TransferRequest struct {
	RecipientEmail string `json:"recipient_email"`
	RecipientName  string `json:"recipient_name,omitempty"`
}

// ---------------------------------------------------------------------------
// Integration users.

// AuthorizeRequest is POST /v2/integrations/authorize-user [doc].
type AuthorizeRequest struct {
	SDKAuthorizationRequest string `json:"sdk_authorization_request"`
	UniqueUserID            string `json:"unique_user_id"`
	Email                   string `json:"email"`
	FirstName               string `json:"first_name,omitempty"`
	LastName                string `json:"last_name,omitempty"`
}

// AuthorizeResponse carries the signed request and the Entrupy username [doc].
type AuthorizeResponse struct {
	SignedAuthorizationRequest string `json:"signed_authorization_request"`
	Username                   string `json:"username"`
}

// User is an integration (SDK) user [chosen].
type User struct {
	UniqueUserID string `json:"unique_user_id"`
	Username     string `json:"username"`
	Email        string `json:"email"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	CreatedAt    string `json:"created_at"` // RFC 3339
	// Metadata is the user's string map, {} when empty [chosen].
	Metadata map[string]string `json:"metadata"`
	// Unread lists the members Entrupy sent in a shape the client could not
	// read (lenient.go); they are left empty.
	Unread []string `json:"-"`
}

// CreateUserRequest is POST /v2/integrations/users [chosen].
type CreateUserRequest struct {
	UniqueUserID string            `json:"unique_user_id"`
	Email        string            `json:"email"`
	FirstName    string            `json:"first_name,omitempty"`
	LastName     string            `json:"last_name,omitempty"`
	Metadata     map[string]string `json:"metadata,omitempty"` // [chosen]
}

// UpdateUserRequest is PATCH /v2/integrations/users/{id}: only email (and
// metadata, merged) change.
type UpdateUserRequest struct {
	Email    string            `json:"email,omitempty"`
	Metadata map[string]string `json:"metadata,omitempty"` // [chosen] merged; "" removes a key
}

// ---------------------------------------------------------------------------
// Webhooks [chosen routes; events and signature doc].

// Webhook is a webhook subscription. The secret is never returned.
type Webhook struct {
	ID          string   `json:"id"`
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	Description string   `json:"description"`
	Enabled     bool     `json:"enabled"`
	Username    *string  `json:"username"`
	APIVersion  string   `json:"api_version"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
	// Metadata is the webhook's string map, {} when empty [chosen].
	Metadata map[string]string `json:"metadata"`
	// Unread lists the members Entrupy sent in a shape the client could not
	// read (lenient.go); they are left empty.
	Unread []string `json:"-"`
}

// CreateWebhookRequest is POST /v2/webhooks.
type CreateWebhookRequest struct {
	URL         string   `json:"url"`
	SecretKey   string   `json:"secret_key"`
	Events      []string `json:"events"`
	Description string   `json:"description,omitempty"`
	Enabled     *bool    `json:"enabled,omitempty"` // default true
	Username    string   `json:"username,omitempty"`
	// Metadata is set on the new webhook [chosen].
	Metadata map[string]string `json:"metadata,omitempty"`
	// APIVersion, when set, is sent as the Api-Version header of this
	// request (it fixes the payload format of deliveries [doc]).
	APIVersion string `json:"-"`
}

// UpdateWebhookRequest is PATCH /v2/webhooks/{id}; nil fields are left alone.
type UpdateWebhookRequest struct {
	URL         *string  `json:"url,omitempty"`
	SecretKey   *string  `json:"secret_key,omitempty"`
	Events      []string `json:"events,omitempty"`
	Description *string  `json:"description,omitempty"`
	Enabled     *bool    `json:"enabled,omitempty"`
	// Metadata is merged into the webhook's; "" removes a key [chosen].
	Metadata map[string]string `json:"metadata,omitempty"`
}

// ItemDeliveryAPIVersion is the api_version whose webhooks deliver the
// v1.4 item itself as the body, not an Event [doc: v1.4 webhooks page];
// the Entrupy-Signature header is the same.
const ItemDeliveryAPIVersion = "1.4"

// Event is the body of a webhook delivery [chosen], except for webhooks
// whose api_version is ItemDeliveryAPIVersion.
type Event struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	CreatedAt string `json:"created_at"`
	// Test is true in the body of a test delivery (POST
	// /v2/webhooks/{id}/test) and absent from real ones.
	Test bool           `json:"test,omitempty"`
	Data map[string]any `json:"data"`
}

// TestWebhookRequest is POST /v2/webhooks/{id}/test [chosen]: the event
// type of the synthetic event, or "" for the webhook's first event.
type TestWebhookRequest struct {
	Event string `json:"event,omitempty"`
}

// Delivery is one attempt to deliver an event to a webhook, test or real,
// as GET /v2/webhooks/{id}/deliveries and the test route show it [chosen].
type Delivery struct {
	ID        string `json:"id"` // dlv_<opaque>
	EventID   string `json:"event_id"`
	EventType string `json:"event_type"`
	Test      bool   `json:"test"`
	Attempt   int    `json:"attempt"` // 1..
	Status    string `json:"status"`  // pending | succeeded | failed
	// ResponseStatus is the receiver's HTTP status; null when it did not
	// answer (yet).
	ResponseStatus *int `json:"response_status"`
	// Error is why the receiver could not be reached (a network error, a
	// timeout); null when it answered.
	Error *string `json:"error"`
	// DurationMS is how long the attempt took; null while pending.
	DurationMS *int64 `json:"duration_ms"`
	CreatedAt  string `json:"created_at"` // RFC 3339
	// Unread lists the members Entrupy sent in a shape the client could not
	// read (lenient.go); they are left empty.
	Unread []string `json:"-"`
}

// healthResponse is GET /v1/health [doc].
type healthResponse struct {
	Status string `json:"status"`
}
