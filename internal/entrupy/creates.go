package entrupy

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"
)

// Creates that never take anything over.
//
// A create is one POST. Its retries within this process reuse its
// Idempotency-Key, so Entrupy makes it at most once however often it is
// sent. Nothing is remembered between processes: when a create's answer is
// lost for good, the error says so (*UncertainCreateError), and the next
// create of the same object finds it at Entrupy and stops with an
// *ExistsError that names it, for the caller to import. Three rules:
//
//  1. A create never adopts, changes or deletes an object that exists
//     already, whoever made it.
//  2. A webhook is never made for a url (and username) that already has
//     one: CreateNew first reads every webhook in a listing that began after
//     it was asked (shared by the creates that wait at the same time), and
//     creates of one url and username in this process take turns. Another
//     process may have read the webhooks at the same moment and be making
//     one for the same url: so after its create CreateNew reads them once
//     more, and of the webhooks for the url the one Entrupy created first
//     stays (settle). A create that was not first deletes the webhook it
//     has just made, and stops with an *ExistsError naming the first.
//  3. An integration user's unique_user_id is Entrupy's to keep unique: a
//     409 becomes an *ExistsError, unless the user carries this very
//     create's marker (an earlier attempt of it was committed by an API
//     that did not honour the Idempotency-Key).
//
// Every create carries a marker in its metadata, MarkerKey = "<made by>
// <time> <nonce>" (WithCreatedBy names the maker), so that an *ExistsError
// can say whether this provider made the object and when.

// ExistsError is a create that found its object already at Entrupy. The
// object is not taken over.
type ExistsError struct {
	Kind string // KindWebhook or KindUser
	ID   string // the webhook id or unique_user_id
	// Deactivated is true for a user that existed and was deactivated: its
	// unique_user_id can never be created again.
	Deactivated bool
	// Marker is the object's MarkerKey value ("<made by> <time> <nonce>"),
	// "" when it carries none.
	Marker string
	// OlderMarker is true when the object carries the marker of a provider
	// version before MarkerKey (LegacyMarkerKey) instead.
	OlderMarker bool
	// Withdrawn is the webhook this create made at the same moment as
	// another process made ID, and deleted again since ID was created first
	// (rule 2); "" otherwise.
	Withdrawn string
	Err       error // the API error, when there was one
}

func (e *ExistsError) Error() string {
	if e.Deactivated {
		return fmt.Sprintf("%s %q existed and was deactivated", e.Kind, e.ID)
	}
	return fmt.Sprintf("%s %s already exists", e.Kind, e.ID)
}

func (e *ExistsError) Unwrap() error { return e.Err }

// MadeBy splits the marker into who made the object and when (RFC 3339);
// both are "" when it carries no marker.
func (e *ExistsError) MadeBy() (maker, at string) {
	f := strings.Fields(e.Marker)
	if len(f) >= 2 {
		return f[0], f[1]
	}
	if len(f) == 1 {
		return f[0], ""
	}
	return "", ""
}

// AsExistsError unwraps an *ExistsError.
func AsExistsError(err error) (*ExistsError, bool) {
	var e *ExistsError
	ok := errors.As(err, &e)
	return e, ok
}

// UncertainCreateError is a create whose answer was lost (a 5xx after the
// retries, a reset connection, a timeout, an answer that could not be
// read): Entrupy may have made the object anyway.
type UncertainCreateError struct {
	Kind string // KindWebhook or KindUser
	Err  error
}

func (e *UncertainCreateError) Error() string {
	return fmt.Sprintf("the %s may have been created: %v", e.Kind, e.Err)
}

func (e *UncertainCreateError) Unwrap() error { return e.Err }

// AsUncertainCreate unwraps an *UncertainCreateError.
func AsUncertainCreate(err error) (*UncertainCreateError, bool) {
	var e *UncertainCreateError
	ok := errors.As(err, &e)
	return e, ok
}

// uncertain wraps err when it does not prove that nothing was made: only an
// answer of 4xx (429 included: it was not processed), or a connection that
// could not be made, proves it.
func uncertain(kind string, err error) error {
	if err == nil || notSent(err) {
		return err
	}
	if e, ok := AsAPIError(err); ok && e.StatusCode >= 400 && e.StatusCode < 500 {
		return err
	}
	return &UncertainCreateError{Kind: kind, Err: err}
}

// Kinds of object, as ExistsError names them.
const (
	KindWebhook = "webhook"
	KindUser    = "integration user"
)

// WithCreatedBy names the maker that every create's marker records, such as
// "terraform-provider-entrupy/1.2.0" (no spaces); "" leaves no marker.
func WithCreatedBy(maker string) Option {
	return func(c *Client) error {
		if strings.ContainsAny(maker, " \t\n") || len(maker) > 200 {
			return fmt.Errorf("created-by name %q must be one word of at most 200 characters", maker)
		}
		c.createdBy = maker
		return nil
	}
}

// marker makes the marker of one create: "<maker> <time> <nonce>".
func (c *Client) marker(metadata map[string]string) (map[string]string, string) {
	if c.createdBy == "" {
		return metadata, ""
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	v := c.createdBy + " " + time.Now().UTC().Format(time.RFC3339) + " " + hex.EncodeToString(b[:])
	out := maps.Clone(metadata)
	if out == nil {
		out = map[string]string{}
	}
	out[MarkerKey] = v
	return out, v
}

// existsError describes an object found at Entrupy by its metadata.
func existsError(kind, id string, metadata map[string]string, err error) *ExistsError {
	return &ExistsError{
		Kind: kind, ID: id, Marker: metadata[MarkerKey],
		OlderMarker: metadata[MarkerKey] == "" && metadata[LegacyMarkerKey] != "",
		Err:         err,
	}
}

// CreateNew creates a webhook unless one already delivers to req's url for
// req's username (rule 2 above): then it is an *ExistsError naming that one.
// A create whose answer is lost is an *UncertainCreateError.
func (s *WebhooksService) CreateNew(ctx context.Context, req CreateWebhookRequest) (*Webhook, error) {
	unlock, err := s.turns.lock(ctx, req.URL+"\x00"+req.Username)
	if err != nil {
		return nil, err
	}
	defer unlock()
	hooks, err := s.fresh.list(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing webhooks to check that none delivers to %s yet: %w", req.URL, err)
	}
	if same := deliveringTo(hooks, req); len(same) > 0 {
		first := firstMade(same) // when there are several
		return nil, existsError(KindWebhook, first.ID, first.Metadata, nil)
	}
	r := req
	var mine string
	r.Metadata, mine = s.c.marker(req.Metadata)
	wh, err := s.Create(ctx, r)
	if err != nil {
		return nil, uncertain(KindWebhook, err)
	}
	return s.settle(ctx, req, wh, mine)
}

// settle is rule 2 between processes: another process that listed the
// webhooks before this create committed may have made one for the same url
// and username at the same time. Once every webhook stamped in the same
// instant as wh has been made (created_at has whole seconds, so a second
// after the answer), a listing shows every webhook for the url, and all
// the processes that made one see the same first one: the earliest
// created_at, then the smallest ID. The first stays; any other process's
// create deletes its own (it was made in this run) and stops with an
// *ExistsError naming the first. When a created_at does not parse, the
// order is unknown, and a create that sees another's webhook stands down
// (both may, but never do both keep theirs). A listing that fails keeps
// wh: the check before the create has been made, and the webhook is
// recorded.
func (s *WebhooksService) settle(ctx context.Context, req CreateWebhookRequest, wh *Webhook, mine string) (*Webhook, error) {
	hooks, ok := s.relist(ctx, wh)
	if !ok {
		return wh, nil
	}
	// The webhooks for the url: the first of them stays. This create's own
	// are wh and, behind an API that did not honour the Idempotency-Key,
	// earlier attempts of it (they carry its marker); all but the first go.
	own := func(h *Webhook) bool { return h.ID == wh.ID || (mine != "" && h.Metadata[MarkerKey] == mine) }
	same := []*Webhook{wh}
	for _, h := range deliveringTo(hooks, req) {
		if h.ID != wh.ID {
			same = append(same, h)
		}
	}
	first, known := firstMade(same), true
	for _, h := range same {
		if _, err := time.Parse(time.RFC3339Nano, h.CreatedAt); err != nil {
			known = false
		}
	}
	if !known {
		// Without Entrupy's times the order of creation is unknown: a
		// create that sees another's webhook for the url stands down.
		for _, h := range same {
			if !own(h) && (own(first) || h.ID < first.ID) {
				first = h
			}
		}
	}
	for _, h := range same {
		if !own(h) || h.ID == first.ID {
			continue
		}
		if err := s.Delete(ctx, h.ID); err != nil && !IsNotFound(err) {
			return nil, fmt.Errorf("webhook %s, made for %s by this create while webhook %s, made first, was made for it too, could not be deleted again: delete one of the two: %w", h.ID, req.URL, first.ID, err)
		}
	}
	if own(first) {
		return first, nil
	}
	e := existsError(KindWebhook, first.ID, first.Metadata, nil)
	e.Withdrawn = wh.ID
	return nil, e
}

// relist is settle's listing, a precision of wh's created_at after its
// create; false when the run was stopped first or the listing failed
// (logged).
func (s *WebhooksService) relist(ctx context.Context, wh *Webhook) ([]Webhook, bool) {
	if s.c.sleep(ctx, stampPrecision(wh.CreatedAt)) != nil {
		return nil, false
	}
	hooks, err := s.fresh.list(ctx)
	if err != nil {
		s.c.log(ctx, "could not list the webhooks again after a create; keeping it", map[string]any{"id": wh.ID, "error": err.Error()})
		return nil, false
	}
	return hooks, true
}

// deliveringTo is the webhooks of hooks that deliver to req's url for
// req's username (rule 2's "same webhook").
func deliveringTo(hooks []Webhook, req CreateWebhookRequest) []*Webhook {
	var same []*Webhook
	for i := range hooks {
		if h := &hooks[i]; h.URL == req.URL && deref(h.Username) == req.Username {
			same = append(same, h)
		}
	}
	return same
}

// firstMade is the webhook of hooks (not empty) that Entrupy made first,
// by createdBefore.
func firstMade(hooks []*Webhook) *Webhook {
	first := hooks[0]
	for _, h := range hooks[1:] {
		if createdBefore(h, first) {
			first = h
		}
	}
	return first
}

// createdBefore orders webhooks by when Entrupy made them (created_at, a
// time that does not parse first), then by ID: the same order in every
// process that lists them.
func createdBefore(a, b *Webhook) bool {
	ta, _ := time.Parse(time.RFC3339Nano, a.CreatedAt)
	tb, _ := time.Parse(time.RFC3339Nano, b.CreatedAt)
	if !ta.Equal(tb) {
		return ta.Before(tb)
	}
	return a.ID < b.ID
}

// stampPrecision is how finely a created_at tells times apart: a second
// for whole seconds (and for a time that does not parse), less for one
// with a fraction ("…05.250Z": a millisecond).
func stampPrecision(createdAt string) time.Duration {
	if _, err := time.Parse(time.RFC3339Nano, createdAt); err != nil {
		return time.Second
	}
	_, frac, ok := strings.Cut(createdAt, ".")
	if !ok {
		return time.Second
	}
	d := time.Second
	for _, r := range frac {
		if r < '0' || r > '9' || d == time.Nanosecond {
			break
		}
		d /= 10
	}
	return d
}

// CreateNew creates an integration user; a unique_user_id that exists or
// existed is an *ExistsError (rule 3 above). A create whose answer is lost
// is an *UncertainCreateError.
func (s *UsersService) CreateNew(ctx context.Context, req CreateUserRequest) (*User, error) {
	r := req
	var mine string
	r.Metadata, mine = s.c.marker(req.Metadata)
	u, err := s.Create(ctx, r)
	if !IsConflict(err) {
		return u, uncertain(KindUser, err)
	}
	existing, gerr := s.Get(ctx, req.UniqueUserID)
	switch {
	case IsNotFound(gerr):
		return nil, &ExistsError{Kind: KindUser, ID: req.UniqueUserID, Deactivated: true, Err: err}
	case gerr != nil:
		return nil, fmt.Errorf("%w; and reading the existing user failed: %w", err, gerr)
	case mine != "" && existing.Metadata[MarkerKey] == mine:
		return existing, nil // this create's own object, made by an earlier attempt
	}
	return nil, existsError(KindUser, req.UniqueUserID, existing.Metadata, err)
}

// keyedTurns lets one caller at a time hold a key.
type keyedTurns struct {
	mu    sync.Mutex
	turns map[string]chan struct{} // a key's turn: full while held
}

// lock waits for key's turn (or for ctx) and returns its release.
func (k *keyedTurns) lock(ctx context.Context, key string) (func(), error) {
	k.mu.Lock()
	if k.turns == nil {
		k.turns = map[string]chan struct{}{}
	}
	ch := k.turns[key]
	if ch == nil {
		ch = make(chan struct{}, 1)
		k.turns[key] = ch
	}
	k.mu.Unlock()
	select {
	case ch <- struct{}{}:
		return func() { <-ch }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// freshListing hands each caller a listing of every object that began after
// the caller asked, or that had not read its first page yet when it asked
// (a page on its way still reads what was there when the caller asked, give
// or take that one request). Callers that ask while a listing is past its
// first page wait for the next one, which all of them share: a burst of
// creates costs one listing, not one each.
type freshListing[T any] struct {
	fetch func(ctx context.Context, cursor string) ([]T, *string, error)

	mu      sync.Mutex
	running *listingRun[T] // nil when none
	queued  *listingRun[T] // starts when running ends
}

type listingRun[T any] struct {
	ctx      context.Context // of the caller that made it
	done     chan struct{}
	items    []T
	err      error
	joinable bool // its first page has not been read yet
}

func (f *freshListing[T]) list(ctx context.Context) ([]T, error) {
	for {
		f.mu.Lock()
		r := f.queued
		switch {
		case r != nil:
		case f.running != nil && f.running.joinable:
			r = f.running
		default:
			r = &listingRun[T]{ctx: ctx, done: make(chan struct{}), joinable: true}
			if f.running == nil {
				f.start(r)
			} else {
				f.queued = r
			}
		}
		f.mu.Unlock()
		select {
		case <-r.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// A listing ended by its maker's context is no answer for callers
		// whose own context still runs: they take the next one.
		if r.err != nil && ctx.Err() == nil && r.ctx.Err() != nil {
			continue
		}
		return r.items, r.err
	}
}

// start runs r, with f.mu held; when it ends, the queued listing starts.
func (f *freshListing[T]) start(r *listingRun[T]) {
	f.running = r
	go func() {
		r.items, _, r.err = Walk(r.ctx, 0, func(ctx context.Context, cursor string) ([]T, *string, error) {
			page, next, err := f.fetch(ctx, cursor)
			f.mu.Lock()
			r.joinable = false
			f.mu.Unlock()
			return page, next, err
		})
		f.mu.Lock()
		defer f.mu.Unlock()
		r.joinable = false
		close(r.done)
		f.running = nil
		if q := f.queued; q != nil {
			f.queued = nil
			f.start(q)
		}
	}()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
