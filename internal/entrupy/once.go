package entrupy

import (
	"bufio"
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// Exactly-once creates across processes, and never a takeover.
//
// An Idempotency-Key makes a create safe to retry within the process that
// holds the key. When the answer to a create is lost for good (retries
// exhausted, the provider crashed, Terraform killed before it got the
// answer), the object exists at Entrupy but no state records it, and the
// next apply would make it again. CreateOnce closes that gap, under three
// rules:
//
//  1. No object is ever held by two resource instances, in one state or
//     across states. A create never updates, adopts or deletes an object
//     that another resource instance may hold.
//  2. An object is adopted only when this machine can show it is the lost
//     create of the same state: every create leaves a marker in the
//     object's metadata (MarkerKey = "<state>.<nonce>": the state the run
//     writes to, as the caller names it in CreateMarker.State, and a nonce
//     new for each create), and before it is sent the create is written to
//     a journal on this machine. The journal then learns whether the answer
//     reached the caller ("end": returned while the process that asked,
//     Terraform, is still this process's parent), or not ("release", or its
//     process died without saying). Only a create of the same state, kind
//     and identity (a webhook's url and username; a user's unique_user_id)
//     whose answer never reached anyone may be adopted, and only the object
//     carrying its marker. A create that a live process is still making is
//     waited for (inFlightWait at most), never adopted; an entry whose pid
//     still runs after inFlightMax was left by a process whose pid was
//     reused. A Read of a marked object in a state (the services' Read)
//     ends its journal entry: it is held.
//  3. Where that proof is missing (another runner, another state's marker,
//     no marker, an answer delivered), nothing is adopted: a webhook is
//     created afresh (the API allows several per url), except that one
//     made outside Terraform for the same url and username stops the
//     create with an *ExistsError naming it; a user whose unique_user_id
//     is taken is an *ExistsError saying who made it. A missing, unreadable
//     or unwritable journal only takes proof away, never adds it, so a
//     fresh machine is always safe.
//
// The journal is one append-only file of JSON lines per API and token in
// the directory CreateMarker.Dir, read and appended under an exclusive
// flock (platforms without flock keep none and never adopt). Lines older
// than journalMaxAge are forgotten, and a long journal that is mostly
// settled is rewritten as its unsettled entries.

// ExistsError is a create that found its object already at Entrupy and may
// not take it over.
type ExistsError struct {
	Kind string // KindWebhook or KindUser
	ID   string // the webhook id or unique_user_id
	// Deactivated is true for a user that existed and was deactivated: its
	// unique_user_id can never be created again.
	Deactivated bool
	// MadeBy says who made the object: MadeOutside, MadeByOtherState,
	// MadeByThisState or MadeByOlderProvider ("" with Deactivated).
	MadeBy string
	// Detail says why this state's own lost create cannot be taken over
	// ("" otherwise).
	Detail string
	Err    error // the API error, when there was one
}

// Who made an existing object, as ExistsError.MadeBy says it.
const (
	// MadeOutside: no marker (by hand, a script, an SDK login).
	MadeOutside = "outside Terraform"
	// MadeByOtherState: a create of another Terraform state.
	MadeByOtherState = "another Terraform state"
	// MadeByThisState: a create of this state, but this machine holds no
	// proof that its answer was lost: another resource of the state may hold
	// it, or it was made on another machine.
	MadeByThisState = "this Terraform state"
	// MadeByOlderProvider: a marker of a provider version before state
	// markers, which named a folder rather than a state.
	MadeByOlderProvider = "an older version of this provider"
)

func (e *ExistsError) Error() string {
	switch {
	case e.Detail != "":
		return fmt.Sprintf("%s %q was left by an interrupted create but cannot be taken over: %s", e.Kind, e.ID, e.Detail)
	case e.Deactivated:
		return fmt.Sprintf("%s %q existed and was deactivated", e.Kind, e.ID)
	}
	return fmt.Sprintf("%s %s already exists, made by %s", e.Kind, e.ID, e.MadeBy)
}

func (e *ExistsError) Unwrap() error { return e.Err }

// AsExistsError unwraps an *ExistsError.
func AsExistsError(err error) (*ExistsError, bool) {
	var e *ExistsError
	ok := errors.As(err, &e)
	return e, ok
}

// Kinds of object, as ExistsError names them.
const (
	KindWebhook = "webhook"
	KindUser    = "integration user"
)

// CreateMarker says which state a client's creates are for.
type CreateMarker struct {
	// State names the Terraform state the run writes to (a short token of
	// [0-9a-f]); "" leaves no marker and adopts nothing.
	State string
	// Dir is where the journal of this machine lives; "" keeps none, so
	// nothing is adopted.
	Dir string
}

// WithCreateMarker sets the state CreateOnce marks its creates with and the
// directory of its journal.
func WithCreateMarker(m CreateMarker) Option {
	return func(c *Client) error {
		if m.State != "" && (strings.ContainsRune(m.State, '.') || len(m.State)+1+nonceLength > MaxMetadataValueLength) {
			return fmt.Errorf("create marker state %q is not a short token without dots", m.State)
		}
		c.marker = m
		return nil
	}
}

// nonceLength is the length of a marker's nonce (hex).
const nonceLength = 16

// journalMaxAge is how long a journal line counts; a file nobody wrote for
// that long is removed.
const journalMaxAge = 30 * 24 * time.Hour

// inFlightWait bounds how long a create waits for another live process's
// create of the same state and identity to settle before deciding alone.
const inFlightWait = 30 * time.Second

// inFlightMax is longer than any create or adoption can take (the
// provider's create grace of 5 minutes, with retries): an entry whose
// process still runs after it was left by a process whose pid was reused.
const inFlightMax = 15 * time.Minute

// journalLine is one line of the journal (JSON). Op is "begin" (a create
// is about to be sent; with State, Kind, Ident), "claim" (a process is
// adopting the object of an earlier create), "release" (the process gave
// up without delivering an answer), "end" (the object is held: its answer
// was delivered, or a state read it) or "void" (the create made nothing).
type journalLine struct {
	Op    string `json:"op"`
	Nonce string `json:"n"`
	State string `json:"s,omitempty"`
	Kind  string `json:"k,omitempty"`
	Ident string `json:"i,omitempty"`
	PID   int    `json:"p,omitempty"`
	Time  int64  `json:"t,omitempty"`
}

// journalEntry is what the journal says of one create.
type journalEntry struct {
	state, kind, ident string
	began              int64 // Unix seconds
	owner              int   // pid of the process that began or last claimed it
	since              int64 // when owner began or claimed it (Unix seconds)
	released, settled  bool
}

// lines are what the journal needs to say of an unsettled entry.
func (e *journalEntry) lines(nonce string) []journalLine {
	out := []journalLine{{Op: "begin", Nonce: nonce, State: e.state, Kind: e.kind, Ident: e.ident, PID: e.owner, Time: e.began}}
	if e.since != e.began {
		out = append(out, journalLine{Op: "claim", Nonce: nonce, PID: e.owner, Time: e.since})
	}
	if e.released {
		out = append(out, journalLine{Op: "release", Nonce: nonce, PID: e.owner})
	}
	return out
}

// orphaned reports whether the create's answer reached no one and no
// process is working on it: its object, if any, is held by no state.
func (e *journalEntry) orphaned() bool {
	return !e.settled && !e.inFlight()
}

// inFlight reports whether a live process is creating or adopting it now:
// it has not said how it ended, its pid runs, and it began no longer ago
// than any create can last (a pid alive after that was reused).
func (e *journalEntry) inFlight() bool {
	return !e.settled && !e.released && processAlive(e.owner) && time.Now().Unix()-e.since < int64(inFlightMax/time.Second)
}

// journal is this machine's record of creates for one API and token.
type journal struct {
	path string
	pid  int
	// parent is the process the answers go to (Terraform): when it has
	// gone, an answer is not delivered.
	parent int

	mu      sync.Mutex        // serializes this process around the flock
	claimed map[string]bool   // nonces this process began or claimed
	known   map[string]string // nonce → state of the entries unsettled at first read; nil until read
}

func newJournal(dir, baseURL, token string) *journal {
	if dir == "" || !flockAvailable {
		return nil
	}
	RemoveStaleFiles(dir, "creates-", journalMaxAge, time.Now())
	sum := sha256.Sum256([]byte("entrupy create journal\x00" + baseURL + "\x00" + token))
	return &journal{
		path: filepath.Join(dir, "creates-"+hex.EncodeToString(sum[:12])),
		pid:  os.Getpid(), parent: os.Getppid(), claimed: map[string]bool{},
	}
}

// update reads the journal under its lock, lets fn look at it, and appends
// the lines fn returns. Unreadable lines are skipped.
func (j *journal) update(fn func(map[string]*journalEntry) []journalLine) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(j.path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(j.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	unlock, err := lockFile(f)
	if err != nil {
		return err
	}
	defer unlock()
	entries := map[string]*journalEntry{}
	oldest := time.Now().Add(-journalMaxAge).Unix()
	read := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		read++
		var l journalLine
		if json.Unmarshal(sc.Bytes(), &l) != nil || l.Nonce == "" {
			continue
		}
		e := entries[l.Nonce]
		switch {
		case l.Op == "begin" && l.Time >= oldest:
			entries[l.Nonce] = &journalEntry{state: l.State, kind: l.Kind, ident: l.Ident, began: l.Time, owner: l.PID, since: l.Time}
		case e == nil:
		case l.Op == "claim":
			e.owner, e.since, e.released = l.PID, l.Time, false
		case l.Op == "release":
			e.released = true
		case l.Op == "end", l.Op == "void":
			e.settled = true
		}
	}
	if j.known == nil {
		j.known = map[string]string{}
		for n, e := range entries {
			if !e.settled {
				j.known[n] = e.state
			}
		}
	}
	add := fn(entries)
	// Mostly settled lines are rewritten as the unsettled entries alone (every
	// writer holds the lock, and all share this file).
	var keep []journalLine
	if read > journalCompactLines {
		for _, n := range slices.Sorted(maps.Keys(entries)) {
			if e := entries[n]; !e.settled {
				keep = append(keep, e.lines(n)...)
			}
		}
		if len(keep) > read/4 {
			keep = nil // not worth it yet
		} else if err := f.Truncate(0); err != nil {
			return err
		}
	}
	var out []byte
	for _, l := range append(keep, add...) {
		b, _ := json.Marshal(l)
		out = append(append(out, b...), '\n')
	}
	if len(out) == 0 {
		return nil
	}
	_, err = f.Write(out)
	return err
}

// journalCompactLines is the length past which a journal that is mostly
// settled is rewritten.
const journalCompactLines = 1024

// note appends one line about nonce.
func (j *journal) note(op, nonce string) {
	_ = j.update(func(map[string]*journalEntry) []journalLine {
		return []journalLine{{Op: op, Nonce: nonce, PID: j.pid}}
	})
}

// delivered reports whether an answer returned now reaches the process that
// asked: false once Terraform has died (this process was re-parented).
func (j *journal) delivered() bool { return os.Getppid() == j.parent }

// finish records how a create or adoption of nonce ended: held when its
// answer reaches Terraform, void when Entrupy refused it (a 4xx: nothing
// was made), else released for a later run to adopt.
func (j *journal) finish(nonce string, err error) {
	apiErr, refused := AsAPIError(err)
	switch {
	case err == nil && j.delivered():
		j.note("end", nonce)
	case refused && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500:
		j.note("void", nonce)
	default:
		j.note("release", nonce)
	}
}

// begin mints a nonce for a create of (state, kind, ident) and writes it
// down before the create is sent. ok is false when it could not be written
// (the create then goes ahead unrecorded: it can never be adopted).
func (j *journal) begin(state, kind, ident string) (nonce string, ok bool) {
	nonce = newNonce()
	err := j.update(func(map[string]*journalEntry) []journalLine {
		j.claimed[nonce] = true
		return []journalLine{{Op: "begin", Nonce: nonce, State: state, Kind: kind, Ident: ident, PID: j.pid, Time: time.Now().Unix()}}
	})
	return nonce, err == nil
}

// orphans returns the nonces of this machine's lost creates of (state,
// kind, ident) that this process has not claimed, after waiting (bounded
// by inFlightWait and ctx) for those other live processes are working on.
func (j *journal) orphans(ctx context.Context, state, kind, ident string) []string {
	deadline := time.Now().Add(inFlightWait)
	for {
		var found []string
		waiting := false
		err := j.update(func(entries map[string]*journalEntry) []journalLine {
			for n, e := range entries {
				if e.state != state || e.kind != kind || e.ident != ident || j.claimed[n] {
					continue
				}
				if e.orphaned() {
					found = append(found, n)
				} else if e.inFlight() {
					waiting = true
				}
			}
			return nil
		})
		if err != nil {
			return nil
		}
		if !waiting || time.Now().After(deadline) || sleepContext(ctx, 200*time.Millisecond) != nil {
			slices.Sort(found)
			return found
		}
	}
}

// claim takes nonce for this process if it is still an orphan.
func (j *journal) claim(nonce string) bool {
	ok := false
	_ = j.update(func(entries map[string]*journalEntry) []journalLine {
		e := entries[nonce]
		if e == nil || !e.orphaned() || j.claimed[nonce] {
			return nil
		}
		ok, j.claimed[nonce] = true, true
		return []journalLine{{Op: "claim", Nonce: nonce, PID: j.pid, Time: time.Now().Unix()}}
	})
	return ok
}

// voidUnlessClaimed settles orphans whose create made nothing.
func (j *journal) voidUnlessClaimed(nonces []string) {
	_ = j.update(func(entries map[string]*journalEntry) []journalLine {
		var out []journalLine
		for _, n := range nonces {
			if e := entries[n]; e != nil && e.orphaned() && !j.claimed[n] {
				out = append(out, journalLine{Op: "void", Nonce: n, PID: j.pid})
			}
		}
		return out
	})
}

// seen settles nonce, if the journal holds it unsettled: a state holds its
// object. Only nonces unsettled when the journal was first read are looked
// up, so that reads cost no file access.
func (j *journal) seen(state, nonce string) {
	lookup := func() (unsettled, read bool) {
		j.mu.Lock()
		defer j.mu.Unlock()
		s, ok := j.known[nonce]
		return ok && s == state && !j.claimed[nonce], j.known != nil
	}
	unsettled, read := lookup()
	if !read {
		_ = j.update(func(map[string]*journalEntry) []journalLine { return nil })
		unsettled, _ = lookup()
	}
	if !unsettled {
		return
	}
	j.note("end", nonce)
	j.mu.Lock()
	delete(j.known, nonce)
	j.mu.Unlock()
}

func newNonce() string {
	var b [nonceLength / 2]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// parseMarker splits a marker value into its state and nonce; ok is false
// for a value of another format (an older provider's).
func parseMarker(v string) (state, nonce string, ok bool) {
	state, nonce, ok = strings.Cut(v, ".")
	return state, nonce, ok && state != "" && len(nonce) == nonceLength
}

// madeBy says who made an object with this metadata, for an ExistsError.
func (c *Client) madeBy(metadata map[string]string) string {
	v := metadata[MarkerKey]
	state, _, ok := parseMarker(v)
	switch {
	case v == "":
		return MadeOutside
	case !ok:
		return MadeByOlderProvider
	case state == c.marker.State:
		return MadeByThisState
	}
	return MadeByOtherState
}

// withMarker adds a create's marker to its metadata.
func (c *Client) withMarker(metadata map[string]string, nonce string) map[string]string {
	if c.marker.State == "" {
		return metadata
	}
	out := maps.Clone(metadata)
	if out == nil {
		out = map[string]string{}
	}
	out[MarkerKey] = c.marker.State + "." + nonce
	return out
}

// seenInState tells CreateOnce that a state holds the object with this
// metadata (the services' Read): its create, if this machine's journal
// still counted it as lost, is settled and never adopted.
func (c *Client) seenInState(metadata map[string]string) {
	if c.journal == nil || c.marker.State == "" {
		return
	}
	if state, nonce, ok := parseMarker(metadata[MarkerKey]); ok && state == c.marker.State {
		c.journal.seen(state, nonce)
	}
}

// create runs one marked create under the journal: begun before it is
// sent, finished by how it ended.
func create[T any](c *Client, kind, ident string, send func(nonce string) (*T, error)) (*T, error) {
	if c.journal == nil || c.marker.State == "" {
		return send(newNonce())
	}
	nonce, written := c.journal.begin(c.marker.State, kind, ident)
	obj, err := send(nonce)
	if written {
		c.journal.finish(nonce, err)
	}
	return obj, err
}

// CreateOnce creates a webhook exactly once across processes, under the
// rules at the top of this file. adopted is true when the webhook of this
// state's own lost create was taken over (brought to req) instead.
func (s *WebhooksService) CreateOnce(ctx context.Context, req CreateWebhookRequest) (wh *Webhook, adopted bool, err error) {
	if err := s.refuseForeign(ctx, req); err != nil {
		return nil, false, err
	}
	if wh, err := s.adoptOrphan(ctx, req); wh != nil || err != nil {
		return wh, wh != nil, err
	}
	created, err := create(s.c, KindWebhook, webhookIdent(req.URL, req.Username), func(nonce string) (*Webhook, error) {
		r := req
		r.Metadata = s.c.withMarker(req.Metadata, nonce)
		return s.Create(ctx, r)
	})
	return created, false, err
}

func webhookIdent(url, username string) string { return url + "\x00" + username }

// refuseForeign is an *ExistsError when a webhook made outside Terraform
// already delivers to req's url for req's username. The webhooks are
// listed once per client: what later creates of this client add is marked.
func (s *WebhooksService) refuseForeign(ctx context.Context, req CreateWebhookRequest) error {
	hooks, err := s.c.once.webhookSnapshot(ctx, s)
	if err != nil {
		return err
	}
	for _, wh := range hooks {
		if wh.URL == req.URL && deref(wh.Username) == req.Username && wh.Metadata[MarkerKey] == "" {
			return &ExistsError{Kind: KindWebhook, ID: wh.ID, MadeBy: MadeOutside}
		}
	}
	return nil
}

// adoptOrphan takes over the webhook of one of this state's lost creates
// with req's url and username, if this machine's journal has one and
// Entrupy still holds it; nil when there is none.
func (s *WebhooksService) adoptOrphan(ctx context.Context, req CreateWebhookRequest) (*Webhook, error) {
	j := s.c.journal
	if j == nil || s.c.marker.State == "" {
		return nil, nil
	}
	nonces := j.orphans(ctx, s.c.marker.State, KindWebhook, webhookIdent(req.URL, req.Username))
	if len(nonces) == 0 {
		return nil, nil
	}
	hooks, err := s.ListAll(ctx) // afresh: an orphan may be newer than the snapshot
	if err != nil {
		return nil, fmt.Errorf("listing webhooks to find the webhook of an interrupted earlier create: %w", err)
	}
	var found []Webhook
	for _, wh := range hooks {
		_, n, ok := parseMarker(wh.Metadata[MarkerKey])
		if ok && slices.Contains(nonces, n) && wh.URL == req.URL && deref(wh.Username) == req.Username &&
			(req.APIVersion == "" || wh.APIVersion == req.APIVersion) {
			found = append(found, wh)
		}
	}
	// The oldest first, so that runs agree on which one is adopted.
	slices.SortFunc(found, func(a, b Webhook) int {
		return cmp.Or(cmp.Compare(a.CreatedAt, b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	for _, orphan := range found {
		_, n, _ := parseMarker(orphan.Metadata[MarkerKey])
		if !j.claim(n) {
			continue
		}
		wh, err := s.Update(ctx, orphan.ID, UpdateWebhookRequest{
			URL: &req.URL, SecretKey: &req.SecretKey, Events: req.Events,
			Description: &req.Description, Enabled: req.Enabled,
		})
		if IsNotFound(err) { // deleted meanwhile: its create is over
			j.note("void", n)
			continue
		}
		j.finish(n, err)
		return wh, err
	}
	// What is left made nothing that still exists (or is of another
	// api_version, which another create may adopt).
	var gone []string
	for _, n := range nonces {
		if !slices.ContainsFunc(hooks, func(wh Webhook) bool { _, wn, _ := parseMarker(wh.Metadata[MarkerKey]); return wn == n }) {
			gone = append(gone, n)
		}
	}
	j.voidUnlessClaimed(gone)
	return nil, nil
}

// CreateOnce creates an integration user exactly once across processes,
// under the rules at the top of this file. A 409 for a user that this
// state's own lost create made on this machine adopts it (its email brought
// to req's; names are set once); any other existing user is an
// *ExistsError saying who made it.
func (s *UsersService) CreateOnce(ctx context.Context, req CreateUserRequest) (u *User, adopted bool, err error) {
	created, err := create(s.c, KindUser, req.UniqueUserID, func(nonce string) (*User, error) {
		r := req
		r.Metadata = s.c.withMarker(req.Metadata, nonce)
		return s.Create(ctx, r)
	})
	if IsConflict(err) {
		return s.adopt(ctx, req, err)
	}
	return created, false, err
}

// adopt takes over the user a create's 409 was about, when this machine's
// journal shows it is this state's own lost create.
func (s *UsersService) adopt(ctx context.Context, req CreateUserRequest, conflict error) (*User, bool, error) {
	uid := req.UniqueUserID
	existing, err := s.Get(ctx, uid)
	if IsNotFound(err) {
		return nil, false, &ExistsError{Kind: KindUser, ID: uid, Deactivated: true, Err: conflict}
	}
	if err != nil {
		return nil, false, err
	}
	refuse := &ExistsError{Kind: KindUser, ID: uid, MadeBy: s.c.madeBy(existing.Metadata), Err: conflict}
	j := s.c.journal
	state, nonce, _ := parseMarker(existing.Metadata[MarkerKey])
	if j == nil || refuse.MadeBy != MadeByThisState ||
		!slices.Contains(j.orphans(ctx, state, KindUser, uid), nonce) || !j.claim(nonce) {
		return nil, false, refuse
	}
	// Names are set once [doc]: a user made with other names cannot become
	// the one asked for.
	for _, n := range [][3]string{{"first_name", req.FirstName, existing.FirstName}, {"last_name", req.LastName, existing.LastName}} {
		if n[1] != "" && n[1] != n[2] {
			j.note("release", nonce) // still this state's orphan, for a corrected configuration
			refuse.Detail = fmt.Sprintf("it was created with %s %q, and Entrupy never changes names", n[0], n[2])
			return nil, false, refuse
		}
	}
	u := existing
	if existing.Email != req.Email {
		u, err = s.UpdateEmail(ctx, uid, req.Email)
	}
	j.finish(nonce, err)
	if err != nil {
		return nil, false, err
	}
	return u, true, nil
}

// onceState is a client's one listing of the webhooks that existed before
// its first webhook create (for refuseForeign).
type onceState struct {
	mu       sync.Mutex
	webhooks []Webhook     // nil until listed
	listing  chan struct{} // closed when a listing in progress ends
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
			return nil, fmt.Errorf("listing webhooks to check for one made outside Terraform: %w", err)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
