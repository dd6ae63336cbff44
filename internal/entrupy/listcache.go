package entrupy

import (
	"context"
	"sync"
	"time"
)

// List-backed reads: a read-through cache of the services' Read. A refresh
// of many webhooks or users would cost one GET per object, 100 s for 1,000
// objects at Entrupy's 10 requests/second. The list routes return 25
// objects a request, so once a client has been asked to Read more than a
// few objects of one type, its listReader walks that type's list route and
// answers Reads from the pages it has fetched (WithListReads turns it on).
//
// Rules it keeps:
//   - An answer is an object as a page returned it, at most listMaxAge old
//     and never older than a write this client made to that object: every
//     write through the service (create, update, delete) invalidates the
//     object it touched, so it is read with a GET afterwards. Each listed
//     object answers one Read: a second Read of the same object fetches it
//     again.
//   - A miss is never a deletion: an object missing from the pages (listing
//     done, budget spent, or an error) is read with a GET, whose 404 is what
//     removes it from state.
//   - A budget (see budget): the next page is fetched only while the pages
//     that answered no Read number fewer than one per ten Reads (at least
//     one, at most 12); every Read answered from the pages pays for one
//     more. An account full of objects this configuration does not manage
//     yields few answers per page, so the listing stops early and the Reads
//     fall back to one GET each: in every layout listcache_internal_test.go
//     tries (managed objects listed first, last, spread thin, or absent) the
//     cost stays within a tenth more than one GET per object (50 managed
//     users among 1,050 cost at most 55 requests), and at most 12 requests
//     more. A configuration that manages most of the account's objects
//     yields up to 25 answers a page and lists it all.
//   - Nothing outlives the client: the pages live in memory, in the client
//     of one provider Configure, and are gone with the process.
//
// One page is fetched at a time per type; the Reads that want an object not
// yet seen wait for it (or for their context).
const (
	// ListAfterReads is how many Reads of a type a client makes with one
	// GET each before the listing starts: a configuration with a handful of
	// objects of a type is read exactly as before.
	ListAfterReads = 4
	// The page budget (see budget): pages that answered no Read may number
	// one per listBudgetReadsPerPage Reads, at least one, at most
	// listBudgetMaxBase.
	listBudgetReadsPerPage = 10
	listBudgetMaxBase      = 12
	// listDenseShare: a listing where at least 1 object in listDenseShare
	// was Read in this command is dense (see budget).
	listDenseShare = 15
	// listMaxAge is how long a listed object may answer a Read.
	listMaxAge = time.Minute
)

// listStats counts what a listReader did (the budget reads them; tests too).
type listStats struct {
	Reads  int // Reads asked of the reader
	Pages  int // list pages fetched
	Served int // Reads answered from pages
	Late   int // listed objects that had been Read with a GET already
}

// budget is how many pages the listing may have fetched so far: one per
// listBudgetReadsPerPage Reads (at least one, at most listBudgetMaxBase),
// plus one per Read answered from pages, so that the pages that answered
// nothing stay within a tenth of the Reads. While at least one listed
// object in listDenseShare was one of the client's Reads, the listing is
// dense and worth finishing, because the Reads still to come are in it
// too: then each answered Read and each object listed too late (already
// read with a GET) pays for one page more.
func (l *listReader[T]) budget() int {
	b := max(1, min(l.stats.Reads/listBudgetReadsPerPage, listBudgetMaxBase)) + l.stats.Served
	if listed := l.stats.Pages * ListPageSize; listed > 0 && (l.stats.Served+l.stats.Late)*listDenseShare >= listed {
		b += l.stats.Served + l.stats.Late
	}
	return b
}

type listedObject[T any] struct {
	v       T
	fetched time.Time
}

// listReader answers Reads of one object type from its list route.
type listReader[T any] struct {
	// fetch returns one page at cursor ("" for the first) and the next
	// cursor (nil or "" after the last page).
	fetch func(ctx context.Context, cursor string) ([]T, *string, error)
	// key is an object's ID as Reads ask for it.
	key func(T) string
	now func() time.Time

	mu      sync.Mutex
	objects map[string]listedObject[T]
	written map[string]bool // objects this process wrote: always GET
	missed  map[string]bool // objects Read with a GET in this process
	cursor  string
	cursors map[string]bool // cursors seen: a repeated one ends the listing
	done    bool            // the last page was fetched, or listing gave up
	// fetching is non-nil while a page is being fetched; it is closed when
	// the fetch ends.
	fetching chan struct{}
	stats    listStats
}

// newListReader makes a reader; enabled false makes one that always misses
// (every Read GETs, as refresh_from_lists = false asks).
func newListReader[T any](enabled bool, fetch func(ctx context.Context, cursor string) ([]T, *string, error), key func(T) string) *listReader[T] {
	return &listReader[T]{
		fetch:   fetch,
		key:     key,
		now:     time.Now,
		objects: map[string]listedObject[T]{},
		written: map[string]bool{},
		missed:  map[string]bool{},
		cursors: map[string]bool{},
		done:    !enabled,
	}
}

// lookup answers a Read of id from the listing: ok is false when the caller
// must GET the object (not listed, listing not used, or the budget spent).
// It returns early, with ok false, when ctx ends while it waits.
func (l *listReader[T]) lookup(ctx context.Context, id string) (v T, ok bool) {
	if l == nil {
		return v, false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stats.Reads++
	if l.stats.Reads <= ListAfterReads || l.written[id] {
		l.missed[id] = true
		return v, false
	}
	for {
		if o, found := l.objects[id]; found {
			delete(l.objects, id)
			if l.now().Sub(o.fetched) <= listMaxAge {
				l.stats.Served++
				return o.v, true
			}
		}
		if ch := l.fetching; ch != nil { // a page on its way costs nothing more: wait for it
			l.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
			}
			l.mu.Lock()
			if ctx.Err() != nil {
				return v, false
			}
			continue
		}
		if l.done || l.stats.Pages >= l.budget() {
			l.missed[id] = true
			return v, false
		}
		l.fetchPage(ctx)
		if ctx.Err() != nil {
			return v, false
		}
	}
}

// fetchPage fetches the next page with l.mu held on entry and on return
// (released during the request). An error ends the listing for the command:
// the Reads fall back to GETs, which report errors as a Read always has. A
// fetch ended by its caller's context leaves the listing for the next Read.
func (l *listReader[T]) fetchPage(ctx context.Context) {
	ch := make(chan struct{})
	l.fetching = ch
	cursor := l.cursor
	l.mu.Unlock()
	items, next, err := l.fetch(ctx, cursor)
	fetched := l.now()
	l.mu.Lock()
	l.fetching = nil
	close(ch)
	if err != nil {
		if ctx.Err() == nil {
			l.done = true
		}
		return
	}
	l.stats.Pages++
	for _, it := range items {
		id := l.key(it)
		switch {
		case l.missed[id]:
			l.stats.Late++
		case !l.written[id]:
			l.objects[id] = listedObject[T]{v: it, fetched: fetched}
		}
	}
	switch {
	case next == nil || *next == "" || l.cursors[*next]:
		l.done = true
	default:
		l.cursors[*next] = true
		l.cursor = *next
	}
}

// wrote records that this client created, updated or deleted id: a page
// fetched before (or while) it did must not answer for it. The services'
// writes call it; nothing else need.
func (l *listReader[T]) wrote(id string) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.written[id] = true
	delete(l.objects, id)
}

// snapshot returns the reader's counts.
func (l *listReader[T]) snapshot() listStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}
