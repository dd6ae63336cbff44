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
// exhausted, the process killed or crashed), the object exists at Entrupy but
// no one recorded it, and the next run would create it again. CreateOnce
// closes that gap with a marker in the object's metadata [chosen]:
//
//  1. The create sends metadata terraform_create=pending.
//  2. Once the answer is in hand, a PATCH sets terraform_create=done.
//     (When the caller is already gone, see WithAbandoned, the object is left
//     pending: nobody would record it.)
//  3. Before creating, CreateOnce looks for an object with the same identity
//     (a webhook's url and username; a user's unique_user_id). One still
//     pending was made by a create whose answer never arrived: it is adopted
//     (brought to the requested values, secret included, and marked done)
//     instead of made again. One marked done belongs to a create that was
//     recorded (say, another resource with identical arguments), and is left
//     alone. One without a marker was not made by this protocol (by hand, a
//     script, an SDK login) and is never taken over: CreateOnce fails with an
//     *ExistsError that names it.
//
// Within one client, adopted and created objects are claimed, so two
// identical creates in one run never adopt the same object.

// ExistsError is a create that found its object already at Entrupy, made by
// something this client cannot show was its own interrupted create.
type ExistsError struct {
	Kind string // "webhook" or "integration user"
	ID   string // the webhook id or unique_user_id
	// Deactivated is true for a user that existed and was deactivated: its
	// unique_user_id can never be created again.
	Deactivated bool
	// Recorded is true when the object carries the done marker: a create
	// whose answer arrived made it (another configuration manages it).
	Recorded bool
	Err      error // the API error, when there was one
}

func (e *ExistsError) Error() string {
	switch {
	case e.Deactivated:
		return fmt.Sprintf("%s %q existed and was deactivated", e.Kind, e.ID)
	case e.Recorded:
		return fmt.Sprintf("%s %q already exists and was created by another Terraform configuration", e.Kind, e.ID)
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

// ErrAbandoned is returned with an object whose create succeeded after the
// caller went away (WithAbandoned said so): it is left pending, for the next
// create of the same object to adopt.
var ErrAbandoned = errors.New("the create's caller is gone; the object is left for the next run to adopt")

// UnconfirmedError is a create that succeeded but whose done marker could not
// be set; the object is returned with it and is complete otherwise.
type UnconfirmedError struct {
	Kind, ID string
	Err      error
}

func (e *UnconfirmedError) Error() string {
	return fmt.Sprintf("%s %s was created, but marking it as recorded failed: %v", e.Kind, e.ID, e.Err)
}

func (e *UnconfirmedError) Unwrap() error { return e.Err }

// WithAbandoned sets a check that CreateOnce calls once a create has
// succeeded: true means nobody will receive the answer (the process that
// asked is gone), so the object is left pending for the next run to adopt
// rather than marked as recorded.
func WithAbandoned(gone func() bool) Option {
	return func(c *Client) error { c.abandoned = gone; return nil }
}

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

const (
	kindWebhook = "webhook"
	kindUser    = "integration user"
)

func marked(m map[string]string, state string) map[string]string {
	out := maps.Clone(m)
	if out == nil {
		out = map[string]string{}
	}
	out[MarkerKey] = state
	return out
}

// CreateOnce creates a webhook exactly once across processes (see the top of
// this file). adopted is true when a webhook left pending by an interrupted
// earlier create was taken over instead. A webhook with the same url and
// username that this protocol did not make is an *ExistsError.
func (s *WebhooksService) CreateOnce(ctx context.Context, req CreateWebhookRequest) (wh *Webhook, adopted bool, err error) {
	hooks, err := s.c.once.webhookSnapshot(ctx, s)
	if err != nil {
		return nil, false, err
	}
	orphan, err := s.c.once.pickWebhook(hooks, req)
	if err != nil {
		return nil, false, err
	}
	if orphan != nil {
		wh, err := s.Update(ctx, orphan.ID, UpdateWebhookRequest{
			URL: &req.URL, SecretKey: &req.SecretKey, Events: req.Events,
			Description: &req.Description, Enabled: req.Enabled,
			Metadata: marked(req.Metadata, MarkerDone),
		})
		if !IsNotFound(err) { // gone meanwhile: create afresh
			return wh, err == nil, err
		}
	}
	req.Metadata = marked(req.Metadata, MarkerPending)
	created, err := s.Create(ctx, req)
	if err != nil {
		return nil, false, err
	}
	s.c.once.claim(kindWebhook, created.ID)
	if s.c.abandoned != nil && s.c.abandoned() {
		return created, false, ErrAbandoned
	}
	done, err := s.Update(ctx, created.ID, UpdateWebhookRequest{Metadata: map[string]string{MarkerKey: MarkerDone}})
	if err != nil {
		return created, false, &UnconfirmedError{Kind: kindWebhook, ID: created.ID, Err: err}
	}
	return done, false, nil
}

// pickWebhook finds, among the listed webhooks with req's url and username
// that no create of this client has claimed, a pending one to adopt (and
// claims it); nil when there is none. One without a marker is an
// *ExistsError.
func (o *onceState) pickWebhook(hooks []Webhook, req CreateWebhookRequest) (*Webhook, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	var pending []Webhook
	for _, wh := range hooks {
		if wh.URL != req.URL || deref(wh.Username) != req.Username || o.claimed[kindWebhook+"/"+wh.ID] {
			continue
		}
		switch wh.Metadata[MarkerKey] {
		case MarkerDone:
		case MarkerPending:
			if req.APIVersion == "" || wh.APIVersion == req.APIVersion {
				pending = append(pending, wh)
			}
		default:
			return nil, &ExistsError{Kind: kindWebhook, ID: wh.ID}
		}
	}
	if len(pending) == 0 {
		return nil, nil
	}
	// The oldest first, so that runs agree on which one is adopted.
	slices.SortFunc(pending, func(a, b Webhook) int {
		if a.CreatedAt != b.CreatedAt {
			return cmp.Compare(a.CreatedAt, b.CreatedAt)
		}
		return cmp.Compare(a.ID, b.ID)
	})
	o.claimLocked(kindWebhook, pending[0].ID)
	return &pending[0], nil
}

// CreateOnce creates an integration user exactly once across processes (see
// the top of this file). A 409 for a user left pending by an interrupted
// earlier create adopts it (its email brought to req's, its names as they
// were set); any other existing user is an *ExistsError.
func (s *UsersService) CreateOnce(ctx context.Context, req CreateUserRequest) (u *User, adopted bool, err error) {
	want := req
	req.Metadata = marked(req.Metadata, MarkerPending)
	created, err := s.Create(ctx, req)
	if IsConflict(err) {
		return s.adopt(ctx, want, err)
	}
	if err != nil {
		return nil, false, err
	}
	s.c.once.claim(kindUser, created.UniqueUserID)
	if s.c.abandoned != nil && s.c.abandoned() {
		return created, false, ErrAbandoned
	}
	done, err := s.Update(ctx, created.UniqueUserID, UpdateUserRequest{Metadata: map[string]string{MarkerKey: MarkerDone}})
	if err != nil {
		return created, false, &UnconfirmedError{Kind: kindUser, ID: created.UniqueUserID, Err: err}
	}
	return done, false, nil
}

// adopt takes over the user a create's 409 was about, when it is pending.
func (s *UsersService) adopt(ctx context.Context, req CreateUserRequest, conflict error) (*User, bool, error) {
	uid := req.UniqueUserID
	existing, err := s.Get(ctx, uid)
	if IsNotFound(err) {
		return nil, false, &ExistsError{Kind: kindUser, ID: uid, Deactivated: true, Err: conflict}
	}
	if err != nil {
		return nil, false, err
	}
	switch {
	case existing.Metadata[MarkerKey] == MarkerDone:
		return nil, false, &ExistsError{Kind: kindUser, ID: uid, Recorded: true, Err: conflict}
	case existing.Metadata[MarkerKey] != MarkerPending || !s.c.once.claim(kindUser, uid):
		return nil, false, &ExistsError{Kind: kindUser, ID: uid, Err: conflict}
	}
	u, err := s.Update(ctx, uid, UpdateUserRequest{Email: req.Email, Metadata: marked(req.Metadata, MarkerDone)})
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
