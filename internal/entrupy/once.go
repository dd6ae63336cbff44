package entrupy

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
)

// Exactly-once creates across processes.
//
// An Idempotency-Key makes a create safe to retry only within the process
// that holds the key. When the answer to a create is lost for good (retries
// exhausted, the process killed or crashed, or killed after the answer came
// but before the caller recorded it), the object exists at Entrupy but no one
// recorded it, and the next run would make it again. CreateOnce closes that
// gap with a marker in the object's metadata [chosen] and two facts the
// caller supplies (WithCreateMarker):
//
//   - Every create sends metadata MarkerKey = the caller's marker, a value
//     that names the configuration asking (the provider derives it from the
//     Terraform working directory and workspace).
//   - Before creating, CreateOnce looks for objects with the same identity (a
//     webhook's url and username; a user's unique_user_id). One carrying this
//     configuration's marker that the caller does not know as recorded was
//     made by one of the configuration's own creates whose answer never got
//     recorded: it is adopted (brought to the requested values, secret
//     included) instead of made again. One the caller knows as recorded
//     (Recorded: the provider learns it when it refreshes state) belongs to
//     another resource and is left alone, as is one with another
//     configuration's marker. One without a marker was made by hand, a script
//     or an SDK login, and is never taken over: CreateOnce fails with an
//     *ExistsError naming it.
//
// Within one client, adopted and created objects are claimed, so two
// identical creates in one run never adopt the same object. No write is ever
// needed beyond the create itself (and the adoption's PATCH).

// ExistsError is a create that found its object already at Entrupy, made by
// something other than this configuration's own interrupted create.
type ExistsError struct {
	Kind string // "webhook" or "integration user"
	ID   string // the webhook id or unique_user_id
	// Deactivated is true for a user that existed and was deactivated: its
	// unique_user_id can never be created again.
	Deactivated bool
	// Managed is true when the object carries a marker: Terraform made it,
	// for another configuration or for another resource of this one.
	Managed bool
	// Detail says why an object this configuration's interrupted create made
	// cannot be taken over ("" otherwise).
	Detail string
	Err    error // the API error, when there was one
}

func (e *ExistsError) Error() string {
	switch {
	case e.Detail != "":
		return fmt.Sprintf("%s %q was left by an interrupted create but cannot be taken over: %s", e.Kind, e.ID, e.Detail)
	case e.Deactivated:
		return fmt.Sprintf("%s %q existed and was deactivated", e.Kind, e.ID)
	case e.Managed:
		return fmt.Sprintf("%s %q already exists and is managed by Terraform elsewhere", e.Kind, e.ID)
	}
	return fmt.Sprintf("%s %s already exists and was not created by this provider", e.Kind, e.ID)
}

func (e *ExistsError) Unwrap() error { return e.Err }

// AsExistsError unwraps an *ExistsError.
func AsExistsError(err error) (*ExistsError, bool) {
	var e *ExistsError
	ok := errors.As(err, &e)
	return e, ok
}

// CreateMarker says whose creates these are.
type CreateMarker struct {
	// Value is set as metadata MarkerKey on every object CreateOnce makes.
	Value string
	// Recorded reports whether an object (kind "webhook" or "integration
	// user", and its id) is known to be recorded by the caller, so that it is
	// never adopted. Nil: none is known.
	Recorded func(kind, id string) bool
}

// WithCreateMarker sets the marker CreateOnce leaves on what it makes and
// looks for on what it may adopt. Without one CreateOnce adopts nothing and
// refuses to create an object whose identity is taken.
func WithCreateMarker(m CreateMarker) Option {
	return func(c *Client) error {
		if m.Value != "" && len(m.Value) > MaxMetadataValueLength {
			return fmt.Errorf("create marker longer than %d characters", MaxMetadataValueLength)
		}
		c.marker = m
		return nil
	}
}

// Kinds of object, as CreateMarker.Recorded and ExistsError name them.
const (
	KindWebhook = "webhook"
	KindUser    = "integration user"
)

// onceState is a client's memory of what its creates have claimed, and its
// one listing of the webhooks that existed before its first webhook create.
type onceState struct {
	mu       sync.Mutex
	claimed  map[string]bool // kind + "/" + id
	webhooks []Webhook       // nil until listed
	listing  chan struct{}   // closed when a listing in progress ends
}

func (o *onceState) claim(kind, id string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.claimLocked(kind, id)
}

func (o *onceState) claimLocked(kind, id string) bool {
	if o.claimed == nil {
		o.claimed = map[string]bool{}
	}
	k := kind + "/" + id
	if o.claimed[k] {
		return false
	}
	o.claimed[k] = true
	return true
}

// webhookSnapshot lists every webhook once per client; concurrent callers
// wait for the one listing. A failed listing is not kept.
func (o *onceState) webhookSnapshot(ctx context.Context, s *WebhooksService) ([]Webhook, error) {
	for {
		o.mu.Lock()
		if o.webhooks != nil {
			w := o.webhooks
			o.mu.Unlock()
			return w, nil
		}
		if wait := o.listing; wait != nil {
			o.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		o.listing = done
		o.mu.Unlock()

		hooks, err := s.ListAll(ctx)
		o.mu.Lock()
		if err == nil {
			o.webhooks = append([]Webhook{}, hooks...)
		}
		o.listing = nil
		close(done)
		o.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("listing webhooks to check for an interrupted earlier create: %w", err)
		}
	}
}

// ours reports whether an object with this metadata was made by one of this
// configuration's creates and is not known as recorded.
func (c *Client) ours(kind, id string, metadata map[string]string) bool {
	m := c.marker
	if m.Value == "" || metadata[MarkerKey] != m.Value {
		return false
	}
	return m.Recorded == nil || !m.Recorded(kind, id)
}

// withMarker adds the client's marker to a create's metadata.
func (c *Client) withMarker(metadata map[string]string) map[string]string {
	if c.marker.Value == "" {
		return metadata
	}
	out := maps.Clone(metadata)
	if out == nil {
		out = map[string]string{}
	}
	out[MarkerKey] = c.marker.Value
	return out
}

// CreateOnce creates a webhook exactly once across processes (see the top of
// this file). adopted is true when a webhook made by an interrupted earlier
// create of this configuration was taken over instead. A webhook with the
// same url and username that no Terraform configuration made is an
// *ExistsError.
func (s *WebhooksService) CreateOnce(ctx context.Context, req CreateWebhookRequest) (wh *Webhook, adopted bool, err error) {
	hooks, err := s.c.once.webhookSnapshot(ctx, s)
	if err != nil {
		return nil, false, err
	}
	orphan, err := s.c.pickWebhook(hooks, req)
	if err != nil {
		return nil, false, err
	}
	if orphan != nil {
		wh, err := s.Update(ctx, orphan.ID, UpdateWebhookRequest{
			URL: &req.URL, SecretKey: &req.SecretKey, Events: req.Events,
			Description: &req.Description, Enabled: req.Enabled,
		})
		if !IsNotFound(err) { // gone meanwhile: create afresh
			return wh, err == nil, err
		}
	}
	req.Metadata = s.c.withMarker(req.Metadata)
	created, err := s.Create(ctx, req)
	if err != nil {
		return nil, false, err
	}
	s.c.once.claim(KindWebhook, created.ID)
	return created, false, nil
}

// pickWebhook finds, among the listed webhooks with req's url and username
// that no create of this client has claimed, one to adopt (and claims it);
// nil when there is none. One without a marker is an *ExistsError.
func (c *Client) pickWebhook(hooks []Webhook, req CreateWebhookRequest) (*Webhook, error) {
	o := &c.once
	o.mu.Lock()
	defer o.mu.Unlock()
	var mine []Webhook
	for _, wh := range hooks {
		if wh.URL != req.URL || deref(wh.Username) != req.Username || o.claimed[KindWebhook+"/"+wh.ID] {
			continue
		}
		switch {
		case wh.Metadata[MarkerKey] == "":
			return nil, &ExistsError{Kind: KindWebhook, ID: wh.ID}
		case c.ours(KindWebhook, wh.ID, wh.Metadata) && (req.APIVersion == "" || wh.APIVersion == req.APIVersion):
			mine = append(mine, wh)
		}
	}
	if len(mine) == 0 {
		return nil, nil
	}
	// The oldest first, so that runs agree on which one is adopted.
	slices.SortFunc(mine, func(a, b Webhook) int {
		return cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	o.claimLocked(KindWebhook, mine[0].ID)
	return &mine[0], nil
}

// CreateOnce creates an integration user exactly once across processes (see
// the top of this file). A 409 for a user that an interrupted earlier create
// of this configuration made adopts it (its email brought to req's; its names
// are as they were set); any other existing user is an *ExistsError.
func (s *UsersService) CreateOnce(ctx context.Context, req CreateUserRequest) (u *User, adopted bool, err error) {
	want := req
	req.Metadata = s.c.withMarker(req.Metadata)
	created, err := s.Create(ctx, req)
	if IsConflict(err) {
		return s.adopt(ctx, want, err)
	}
	if err != nil {
		return nil, false, err
	}
	s.c.once.claim(KindUser, created.UniqueUserID)
	return created, false, nil
}

// adopt takes over the user a create's 409 was about, when this
// configuration's interrupted create made it.
func (s *UsersService) adopt(ctx context.Context, req CreateUserRequest, conflict error) (*User, bool, error) {
	uid := req.UniqueUserID
	existing, err := s.Get(ctx, uid)
	if IsNotFound(err) {
		return nil, false, &ExistsError{Kind: KindUser, ID: uid, Deactivated: true, Err: conflict}
	}
	if err != nil {
		return nil, false, err
	}
	if !s.c.ours(KindUser, uid, existing.Metadata) {
		return nil, false, &ExistsError{Kind: KindUser, ID: uid, Managed: existing.Metadata[MarkerKey] != "", Err: conflict}
	}
	// Names are set once [doc]: a user made with other names cannot become
	// the one asked for.
	for _, n := range [][3]string{{"first_name", req.FirstName, existing.FirstName}, {"last_name", req.LastName, existing.LastName}} {
		if n[1] != "" && n[1] != n[2] {
			return nil, false, &ExistsError{
				Kind: KindUser, ID: uid, Err: conflict,
				Detail: fmt.Sprintf("it was created with %s %q, and Entrupy never changes names", n[0], n[2]),
			}
		}
	}
	if !s.c.once.claim(KindUser, uid) {
		return nil, false, &ExistsError{Kind: KindUser, ID: uid, Managed: true, Err: conflict}
	}
	if existing.Email == req.Email {
		return existing, true, nil
	}
	u, err := s.UpdateEmail(ctx, uid, req.Email)
	if err != nil {
		return nil, false, err
	}
	return u, true, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
