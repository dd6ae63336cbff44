// Package testsupport is what the client tests, the provider tests, the
// benchmark and the scripts share to run against the emulator: an emulator
// on 127.0.0.1 that records the requests changing something, an API client
// for it, the ids recorded in Terraform state, and the Terraform CLI
// configuration that makes Terraform use a provider built from this
// repository.
package testsupport

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Token is the API token an emulator started here accepts when its options
// name none.
const Token = "test-token-5f3a9c"

// Emulator is one emulator served over HTTP on 127.0.0.1. It records every
// request other than a GET (see Changes) before the emulator answers it.
type Emulator struct {
	*emulator.Server
	URL   string // the base URL, http://127.0.0.1:port
	Token string // the API token it accepts

	srv       *httptest.Server
	closeOnce sync.Once
	mu        sync.Mutex
	changes   []Request
}

// Request is one recorded request.
type Request struct {
	Method, Path   string
	IdempotencyKey string
	Body           string
}

// String is "METHOD /path body".
func (r Request) String() string { return r.Method + " " + r.Path + " " + r.Body }

// NewEmulator starts an emulator with opts (Token when opts.Token is empty)
// on 127.0.0.1; Close stops it.
func NewEmulator(opts emulator.Options) (*Emulator, error) {
	if opts.Token == "" {
		opts.Token = Token
	}
	emu, err := emulator.New(opts)
	if err != nil {
		return nil, err
	}
	e := &Emulator{Server: emu, Token: opts.Token}
	e.srv = httptest.NewServer(e) // httptest listens on 127.0.0.1
	e.URL = e.srv.URL
	return e, nil
}

// StartEmulator is NewEmulator for one test: a failure to start fails the
// test, and the emulator stops when the test ends.
func StartEmulator(t testing.TB, opts emulator.Options) *Emulator {
	t.Helper()
	e, err := NewEmulator(opts)
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}

// Close stops the HTTP server and the emulator's webhook deliveries; only
// the first call does anything.
func (e *Emulator) Close() {
	e.closeOnce.Do(func() {
		e.srv.Close()
		e.Server.Close()
	})
}

// ServeHTTP records r when it is not a GET, then lets the emulator answer.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		e.mu.Lock()
		e.changes = append(e.changes, Request{
			Method: r.Method, Path: r.URL.Path,
			IdempotencyKey: r.Header.Get(entrupy.HeaderIdempotencyKey), Body: string(b),
		})
		e.mu.Unlock()
	}
	e.Server.ServeHTTP(w, r)
}

// Changes returns, in the order they came, the recorded requests whose
// "METHOD /path" starts with prefix (e.g. "PATCH /v2/webhooks/").
func (e *Emulator) Changes(prefix string) []Request {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Request
	for _, r := range e.changes {
		if strings.HasPrefix(r.Method+" "+r.Path, prefix) {
			out = append(out, r)
		}
	}
	return out
}

// Client returns an API client for the emulator, with its token and no
// client-side rate limit; opts come after those and override them.
func (e *Emulator) Client(t testing.TB, opts ...entrupy.Option) *entrupy.Client {
	t.Helper()
	base := []entrupy.Option{entrupy.WithBaseURL(e.URL), entrupy.WithToken(e.Token), entrupy.WithRateLimit(0)}
	c, err := entrupy.New(append(base, opts...)...)
	if err != nil {
		t.Fatalf("a client for the emulator: %v", err)
	}
	return c
}

// WebhookIDs returns the ids of the webhooks the emulator holds, sorted.
func (e *Emulator) WebhookIDs() []string {
	hooks := e.Inventory().Webhooks
	return sortedIDs(len(hooks), func(i int) string { return hooks[i].ID })
}

// UserIDs returns the unique_user_ids of the emulator's active integration
// users, sorted.
func (e *Emulator) UserIDs() []string {
	users := e.Inventory().Users
	return sortedIDs(len(users), func(i int) string { return users[i].UniqueUserID })
}

// sortedIDs returns id(0) … id(n-1), sorted.
func sortedIDs(n int, id func(i int) string) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = id(i)
	}
	slices.Sort(ids)
	return ids
}

// InventoryMatchesState returns an error unless the emulator holds exactly
// the webhooks and active users whose ids state records (sorted, as
// IDsInState and IDsInStateFile return them), want of each.
func (e *Emulator) InventoryMatchesState(webhookIDs, userIDs []string, want int) error {
	atHooks, atUsers := e.WebhookIDs(), e.UserIDs()
	if len(webhookIDs) != want || !slices.Equal(atHooks, webhookIDs) {
		return fmt.Errorf("webhooks: state has %d %v, Entrupy %d %v (want %d each)", len(webhookIDs), webhookIDs, len(atHooks), atHooks, want)
	}
	if len(userIDs) != want || !slices.Equal(atUsers, userIDs) {
		return fmt.Errorf("users: state has %d %v, Entrupy %d %v (want %d each)", len(userIDs), userIDs, len(atUsers), atUsers, want)
	}
	return nil
}
