package entrupy

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// HealthService checks that the API answers and accepts the token.
type HealthService struct{ c *Client }

// Check calls GET /v1/health (with Api-Version 1.4, which v1 routes
// require). A rejected token is an *APIError with IsUnauthorized true.
func (s *HealthService) Check(ctx context.Context) error {
	var h healthResponse
	if err := s.c.do(ctx, request{method: http.MethodGet, path: PathHealth, apiVersion: HealthAPIVersion}, &h); err != nil {
		return err
	}
	if h.Status != "ok" {
		return fmt.Errorf("GET %s: status %q, want \"ok\"", PathHealth, h.Status)
	}
	return nil
}

// AuthenticationsService reads authentications (items).
type AuthenticationsService struct{ c *Client }

// GetOptions tunes Get.
type GetOptions struct {
	// IncludeImages adds the item's camera images.
	IncludeImages bool
	// IncludeCatalog adds the item's catalog data (Item.Catalog stays nil
	// when Entrupy has no catalog match).
	IncludeCatalog bool
}

// Get returns the item with this Entrupy ID.
func (s *AuthenticationsService) Get(ctx context.Context, entrupyID string, opts *GetOptions) (*Item, error) {
	var q url.Values
	if opts != nil && opts.IncludeImages {
		q = url.Values{QueryIncludeImages: {"true"}}
	}
	if opts != nil && opts.IncludeCatalog {
		if q == nil {
			q = url.Values{}
		}
		q.Set(QueryIncludeCatalog, "true")
	}
	return s.one(ctx, request{method: http.MethodGet, path: PathAuthentication(entrupyID), query: q})
}

// Lookup returns the latest item with this customer_item_id.
func (s *AuthenticationsService) Lookup(ctx context.Context, customerItemID string) (*Item, error) {
	return s.one(ctx, request{method: http.MethodGet, path: PathLookupAuthentication(customerItemID)})
}

// one sends req and reads the {"item": ...} of its answer with DecodeItem.
func (s *AuthenticationsService) one(ctx context.Context, req request) (*Item, error) {
	var env ItemEnvelope[json.RawMessage]
	if err := s.c.do(ctx, req, &env); err != nil {
		return nil, err
	}
	it, err := DecodeItem(env.Item, s.c.acceptLanguage)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", req.method, req.path, err)
	}
	return &it, nil
}

// searchPageWire is a search answer with its items still raw, for DecodeItem.
type searchPageWire struct {
	Items      []json.RawMessage `json:"items"`
	ItemCount  int               `json:"item_count"`
	NextCursor *string           `json:"next_cursor"`
}

// Search returns one page of items matching req.
func (s *AuthenticationsService) Search(ctx context.Context, req SearchRequest) (*SearchPage, error) {
	var wire searchPageWire
	if err := s.c.do(ctx, request{method: http.MethodPost, path: PathSearchAuthentications, body: req}, &wire); err != nil {
		return nil, err
	}
	page := &SearchPage{Items: make([]Item, len(wire.Items)), ItemCount: wire.ItemCount, NextCursor: wire.NextCursor}
	for i, raw := range wire.Items {
		it, err := DecodeItem(raw, s.c.acceptLanguage)
		if err != nil {
			return nil, fmt.Errorf("POST %s: items[%d]: %w", PathSearchAuthentications, i, err)
		}
		page.Items[i] = it
	}
	return page, nil
}

// SearchResult is every page of a search.
type SearchResult struct {
	Items []Item
	// Total is item_count: how many items matched, whether or not all were read.
	Total int
	// Truncated is true when maxItems stopped the walk before the last page.
	Truncated bool
	// Requests is how many pages were fetched.
	Requests int
}

// SearchAll walks every page of a search (SearchMaxLimit items a page, or
// fewer when maxItems is smaller), stopping after maxItems when it is > 0.
func (s *AuthenticationsService) SearchAll(ctx context.Context, filters []Filter, maxItems int) (*SearchResult, error) {
	res := &SearchResult{}
	pageSize := SearchMaxLimit
	if maxItems > 0 && maxItems < pageSize {
		pageSize = maxItems
	}
	items, truncated, err := Walk(ctx, maxItems, func(ctx context.Context, cursor string) ([]Item, *string, error) {
		page, err := s.Search(ctx, SearchRequest{Limit: pageSize, Filters: filters, Cursor: cursor})
		if err != nil {
			return nil, nil, err
		}
		res.Requests++
		res.Total = page.ItemCount
		return page.Items, page.NextCursor, nil
	})
	if err != nil {
		return nil, err
	}
	res.Items, res.Truncated = items, truncated
	return res, nil
}

// CertificatesService reads certificates and manages their transfers.
type CertificatesService struct{ c *Client }

// Get returns a certificate with its holder and transfer status.
func (s *CertificatesService) Get(ctx context.Context, certificateID string) (*Certificate, error) {
	return item[Certificate](ctx, s.c, request{method: http.MethodGet, path: PathCertificate(certificateID)})
}

// CreateTransfer starts a transfer of the certificate to a buyer.
func (s *CertificatesService) CreateTransfer(ctx context.Context, certificateID string, req TransferRequest) (*Transfer, error) {
	return item[Transfer](ctx, s.c, request{method: http.MethodPost, path: PathTransfers(certificateID), body: req, create: true})
}

// CancelTransfer cancels a pending transfer.
func (s *CertificatesService) CancelTransfer(ctx context.Context, certificateID, transferID string) error {
	return s.c.do(ctx, request{method: http.MethodDelete, path: PathTransfer(certificateID, transferID)}, nil)
}

// UsersService manages integration (SDK) users.
type UsersService struct {
	c     *Client
	reads *listReader[User] // see Read
}

// Authorize signs an SDK authorization request, creating the user on the
// first call for its unique_user_id.
func (s *UsersService) Authorize(ctx context.Context, req AuthorizeRequest) (*AuthorizeResponse, error) {
	var out AuthorizeResponse
	if err := s.c.do(ctx, request{method: http.MethodPost, path: PathAuthorizeUser, body: req, create: true}, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Create provisions a user; a unique_user_id that exists (or existed) is a 409.
func (s *UsersService) Create(ctx context.Context, req CreateUserRequest) (*User, error) {
	s.reads.wrote(req.UniqueUserID)
	return item[User](ctx, s.c, request{method: http.MethodPost, path: PathUsers, body: req, create: true})
}

// Get returns an active user, with a GET.
func (s *UsersService) Get(ctx context.Context, uniqueUserID string) (*User, error) {
	return item[User](ctx, s.c, request{method: http.MethodGet, path: PathUser(uniqueUserID)})
}

// Read is the read of a user that a Terraform state holds (a refresh or an
// import): as Get, or from a list page this client fetched for the purpose
// when many users are read (listcache.go). A user missing from the pages is
// read with a GET, so a 404 is always Entrupy's.
func (s *UsersService) Read(ctx context.Context, uniqueUserID string) (*User, error) {
	return readHeld(ctx, s.reads, uniqueUserID, s.Get)
}

// List returns one page of users starting at cursor ("" for the first).
func (s *UsersService) List(ctx context.Context, cursor string) ([]User, *string, error) {
	return listPage[User](ctx, s.c, PathUsers, cursor)
}

// ListAll returns every active user.
func (s *UsersService) ListAll(ctx context.Context) ([]User, error) {
	users, _, err := Walk(ctx, 0, s.List)
	return users, err
}

// UpdateEmail changes a user's email, the only mutable field.
func (s *UsersService) UpdateEmail(ctx context.Context, uniqueUserID, email string) (*User, error) {
	return s.Update(ctx, uniqueUserID, UpdateUserRequest{Email: email})
}

// Update changes a user's email and merges metadata, as set in req.
func (s *UsersService) Update(ctx context.Context, uniqueUserID string, req UpdateUserRequest) (*User, error) {
	s.reads.wrote(uniqueUserID)
	return item[User](ctx, s.c, request{method: http.MethodPatch, path: PathUser(uniqueUserID), body: req})
}

// Delete deactivates a user; its authentications stay and its id cannot be reused.
func (s *UsersService) Delete(ctx context.Context, uniqueUserID string) error {
	s.reads.wrote(uniqueUserID)
	return s.c.do(ctx, request{method: http.MethodDelete, path: PathUser(uniqueUserID)}, nil)
}

// WebhooksService manages webhook subscriptions.
type WebhooksService struct {
	c     *Client
	reads *listReader[Webhook]   // see Read
	fresh *freshListing[Webhook] // see CreateNew
	turns keyedTurns             // see CreateNew
}

// Create registers a webhook. req.APIVersion, when set, is sent as this
// request's Api-Version and becomes the webhook's api_version.
func (s *WebhooksService) Create(ctx context.Context, req CreateWebhookRequest) (*Webhook, error) {
	wh, err := item[Webhook](ctx, s.c, request{method: http.MethodPost, path: PathWebhooks, body: req, create: true, apiVersion: req.APIVersion})
	if err == nil {
		s.reads.wrote(wh.ID)
	}
	return wh, err
}

// Get returns a webhook, with a GET.
func (s *WebhooksService) Get(ctx context.Context, id string) (*Webhook, error) {
	return item[Webhook](ctx, s.c, request{method: http.MethodGet, path: PathWebhook(id)})
}

// Read is the read of a webhook that a Terraform state holds (a refresh or
// an import): as Get, or from a list page this client fetched for the
// purpose when many webhooks are read (listcache.go). A webhook missing from
// the pages is read with a GET, so a 404 is always Entrupy's.
func (s *WebhooksService) Read(ctx context.Context, id string) (*Webhook, error) {
	return readHeld(ctx, s.reads, id, s.Get)
}

// readHeld is the services' Read: the object from reads (the list cache),
// else with get.
func readHeld[T any](ctx context.Context, reads *listReader[T], id string, get func(context.Context, string) (*T, error)) (*T, error) {
	if obj, ok := reads.lookup(ctx, id); ok {
		return &obj, nil
	}
	return get(ctx, id)
}

// List returns one page of webhooks starting at cursor ("" for the first).
func (s *WebhooksService) List(ctx context.Context, cursor string) ([]Webhook, *string, error) {
	return listPage[Webhook](ctx, s.c, PathWebhooks, cursor)
}

// ListAll returns every webhook.
func (s *WebhooksService) ListAll(ctx context.Context) ([]Webhook, error) {
	hooks, _, err := Walk(ctx, 0, s.List)
	return hooks, err
}

// Update changes the fields set in req.
func (s *WebhooksService) Update(ctx context.Context, id string, req UpdateWebhookRequest) (*Webhook, error) {
	s.reads.wrote(id)
	return item[Webhook](ctx, s.c, request{method: http.MethodPatch, path: PathWebhook(id), body: req})
}

// Delete removes a webhook.
func (s *WebhooksService) Delete(ctx context.Context, id string) error {
	s.reads.wrote(id)
	return s.c.do(ctx, request{method: http.MethodDelete, path: PathWebhook(id)}, nil)
}

// Test sends one signed delivery of a synthetic event ("test": true) to the
// webhook's URL at once, and returns it once the receiver answered or after
// TestDeliveryTimeout: Status says whether the receiver took it. A disabled
// webhook is a 409, an event it does not subscribe to a 400.
//
// The request is sent once: a 5xx or a network error is returned, not
// retried. The API may have delivered before its answer was lost, so a
// retry could deliver twice; and an Idempotency-Key would not help, since
// the contract gives the test route none (it creates nothing). A 429 is
// retried as always: it was not processed.
func (s *WebhooksService) Test(ctx context.Context, id string, req TestWebhookRequest) (*Delivery, error) {
	return item[Delivery](ctx, s.c, request{method: http.MethodPost, path: PathWebhookTest(id), body: req, sendOnce: true})
}

// DeliveriesPage returns one page of a webhook's delivery history, newest
// first, starting at cursor ("" for the first).
func (s *WebhooksService) DeliveriesPage(ctx context.Context, id, cursor string) ([]Delivery, *string, error) {
	return listPage[Delivery](ctx, s.c, PathWebhookDeliveries(id), cursor)
}

// DeliveriesOptions narrows Deliveries.
type DeliveriesOptions struct {
	// MaxItems stops the walk once that many deliveries are held (0: all).
	MaxItems int
	// Test, when set, keeps only test deliveries (true) or real ones (false).
	Test *bool
}

// Deliveries walks every page of a webhook's delivery history (the last
// DeliveryHistoryDays days), newest first, keeping those opts asks for;
// truncated is true when MaxItems stopped it before the end.
func (s *WebhooksService) Deliveries(ctx context.Context, id string, opts DeliveriesOptions) (deliveries []Delivery, truncated bool, err error) {
	return Walk(ctx, opts.MaxItems, func(ctx context.Context, cursor string) ([]Delivery, *string, error) {
		page, next, err := s.DeliveriesPage(ctx, id, cursor)
		if err != nil || opts.Test == nil {
			return page, next, err
		}
		kept := page[:0]
		for _, d := range page {
			if d.Test == *opts.Test {
				kept = append(kept, d)
			}
		}
		return kept, next, nil
	})
}
