package entrupy

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

type fakeObject struct{ ID, Value string }

// fakeListing serves ids as list pages of 25 and counts what it is asked;
// it fails the test when two pages are fetched at once.
type fakeListing struct {
	t        *testing.T
	limiter  *fakeLimiter
	mu       sync.Mutex
	objects  []fakeObject
	pages    int
	inFlight atomic.Int32
	err      error // returned by every fetch when set
}

func newFakeListing(t *testing.T, n int) *fakeListing {
	f := &fakeListing{t: t, limiter: &fakeLimiter{}}
	for i := range n {
		f.objects = append(f.objects, fakeObject{ID: fmt.Sprintf("obj-%05d", i), Value: "v1"})
	}
	return f
}

func (f *fakeListing) fetch(ctx context.Context, cursor string) ([]fakeObject, *string, error) {
	if f.inFlight.Add(1) > 1 {
		f.t.Error("two list pages fetched at once")
	}
	defer f.inFlight.Add(-1)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	f.limiter.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pages++
	if f.err != nil {
		return nil, nil, f.err
	}
	start := 0
	if cursor != "" {
		start, _ = strconv.Atoi(cursor)
	}
	end := min(start+25, len(f.objects))
	page := append([]fakeObject(nil), f.objects[start:end]...)
	if end == len(f.objects) {
		return page, nil, nil
	}
	next := strconv.Itoa(end)
	return page, &next, nil
}

func (f *fakeListing) fetched() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pages
}

func newFakeReader(f *fakeListing, enabled bool) *listReader[fakeObject] {
	return newListReader(enabled, f.fetch, func(o fakeObject) string { return o.ID })
}

// fakeLimiter spaces requests (pages and GETs alike) fakeSlot apart, as the
// client's rate limit does, so that GETs and pages compete for time as
// they do at 10 requests/second, 1,000 times faster.
type fakeLimiter struct {
	mu   sync.Mutex
	next time.Time
}

const fakeSlot = 100 * time.Microsecond

func (l *fakeLimiter) wait() {
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(fakeSlot)
	l.mu.Unlock()
	time.Sleep(at.Sub(now))
}

// readAll looks up ids from par goroutines, as Terraform's parallel
// refresh does, and returns how many were answered from the listing; every
// miss is "read with a GET" (counted by the caller as len(ids) - served).
func readAll(t *testing.T, f *fakeListing, l *listReader[fakeObject], ids []string, par int) (served int) {
	t.Helper()
	var wg sync.WaitGroup
	var n atomic.Int64
	next := make(chan string)
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range next {
				o, ok := l.lookup(context.Background(), id)
				if !ok {
					f.limiter.wait() // the GET
					continue
				}
				if o.ID != id {
					t.Errorf("lookup(%s) answered %s", id, o.ID)
				}
				n.Add(1)
			}
		}()
	}
	for _, id := range ids {
		next <- id
	}
	close(next)
	wg.Wait()
	return int(n.Load())
}

func ids(from, to int) []string {
	var out []string
	for i := from; i < to; i++ {
		out = append(out, fmt.Sprintf("obj-%05d", i))
	}
	return out
}

func shuffled(s []string, seed uint64) []string {
	out := append([]string(nil), s...)
	r := rand.New(rand.NewPCG(seed, seed))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// A configuration that manages the whole account lists it and reads almost
// nothing with a GET.
func TestListReader_managesAll(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10} {
		f := newFakeListing(t, 1000)
		l := newFakeReader(f, true)
		served := readAll(t, f, l, shuffled(ids(0, 1000), seed), 10)
		gets := 1000 - served
		if f.fetched() != 40 {
			t.Errorf("seed %d: %d pages fetched, want all 40", seed, f.fetched())
		}
		if total := f.fetched() + gets; total > 150 {
			t.Errorf("seed %d: %d requests (%d pages, %d GETs) for 1,000 objects, want ≤ 150", seed, total, f.fetched(), gets)
		}
		t.Logf("seed %d: %d pages, %d GETs", seed, f.fetched(), gets)
		if s := l.snapshot(); s.Reads != 1000 || s.Served != served || s.Pages != f.fetched() {
			t.Errorf("seed %d: stats %+v, served %d", seed, s, served)
		}
	}
}

// An account holding many objects the configuration does not manage costs
// at most a tenth more than one GET per object (one request more for a
// handful, twelve at most), wherever the managed ones sit in the listing:
// 50 managed users among 1,050 cost at most 55 requests.
func TestListReader_budget(t *testing.T) {
	for _, tc := range []struct {
		name    string
		total   int
		managed []string
	}{
		{"managed listed last", 21000, ids(20000, 21000)},
		{"managed listed first", 21000, ids(0, 1000)},
		{"managed every 21st", 21000, everyNth(21000, 21)},
		{"a few in a large account", 21000, everyNth(21000, 2100)},
		{"none listed", 500, []string{"gone-1", "gone-2", "gone-3", "gone-4", "gone-5", "gone-6", "gone-7"}},
		{"50 of 1,050 listed first", 1050, ids(0, 50)},
		{"50 of 1,050 listed last", 1050, ids(1000, 1050)},
		{"50 of 1,050 every 21st", 1050, everyNth(1050, 21)},
		{"50 of 1,050 in the middle", 1050, ids(500, 550)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeListing(t, tc.total)
			l := newFakeReader(f, true)
			served := readAll(t, f, l, shuffled(tc.managed, 7), 10)
			n := len(tc.managed)
			total := f.fetched() + n - served
			if limit := n + max(1, min(n/listBudgetReadsPerPage, listBudgetMaxBase)); total > limit {
				t.Errorf("%d requests (%d pages, %d GETs) for %d objects, want ≤ %d", total, f.fetched(), n-served, n, limit)
			}
			t.Logf("%d objects of %d: %d pages, %d GETs (%.3f of one GET per object)", n, tc.total, f.fetched(), n-served, float64(total)/float64(n))
		})
	}
}

func everyNth(total, n int) []string {
	var out []string
	for i := 0; i < total; i += n {
		out = append(out, fmt.Sprintf("obj-%05d", i))
	}
	return out
}

// A few Reads of a type are GETs, as before: no page is fetched.
func TestListReader_fewReadsFetchNothing(t *testing.T) {
	f := newFakeListing(t, 100)
	l := newFakeReader(f, true)
	if served := readAll(t, f, l, ids(0, ListAfterReads), 4); served != 0 || f.fetched() != 0 {
		t.Fatalf("%d Reads: served %d, fetched %d pages; want 0 and 0", ListAfterReads, served, f.fetched())
	}
}

// refresh_from_lists = false: never a page.
func TestListReader_disabled(t *testing.T) {
	f := newFakeListing(t, 100)
	l := newFakeReader(f, false)
	if served := readAll(t, f, l, ids(0, 100), 10); served != 0 || f.fetched() != 0 {
		t.Fatalf("disabled: served %d, fetched %d pages", served, f.fetched())
	}
}

// Objects this process wrote, and pages older than listMaxAge, are not
// answered from the listing; each listed object answers one Read.
func TestListReader_freshness(t *testing.T) {
	f := newFakeListing(t, 60)
	l := newFakeReader(f, true)
	now := time.Now()
	l.now = func() time.Time { return now }
	ctx := context.Background()
	for _, id := range ids(50, 50+ListAfterReads) { // past the GET-only Reads
		l.lookup(ctx, id)
	}
	l.wrote("obj-00003")
	if _, ok := l.lookup(ctx, "obj-00003"); ok {
		t.Fatal("an object this process wrote was answered from the listing")
	}
	if o, ok := l.lookup(ctx, "obj-00001"); !ok || o.ID != "obj-00001" {
		t.Fatalf("obj-00001: %v %v", o, ok)
	}
	if _, ok := l.lookup(ctx, "obj-00001"); ok {
		t.Fatal("a listed object answered two Reads")
	}
	now = now.Add(listMaxAge + time.Second)
	pages := f.fetched()
	if _, ok := l.lookup(ctx, "obj-00002"); ok {
		t.Fatal("an object listed more than listMaxAge ago was answered from the listing")
	}
	if f.fetched() < pages {
		t.Fatal("pages went backwards")
	}
}

// A listing that fails stops, and every Read falls back to its GET; a
// listing whose reader's context ends leaves the listing to the next Read.
func TestListReader_errors(t *testing.T) {
	f := newFakeListing(t, 100)
	f.err = errors.New("boom")
	l := newFakeReader(f, true)
	if served := readAll(t, f, l, ids(0, 100), 10); served != 0 || f.fetched() != 1 {
		t.Fatalf("failing listing: served %d, %d page requests; want 0 and 1", served, f.fetched())
	}

	f = newFakeListing(t, 100)
	l = newFakeReader(f, true)
	for _, id := range ids(90, 90+ListAfterReads) {
		l.lookup(context.Background(), id)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, ok := l.lookup(ctx, "obj-00001"); ok {
		t.Fatal("a cancelled Read was answered")
	}
	if _, ok := l.lookup(context.Background(), "obj-00001"); !ok {
		t.Fatal("the listing did not go on after a cancelled Read")
	}
}

// A cursor the API repeats ends the listing instead of looping.
func TestListReader_repeatedCursor(t *testing.T) {
	calls := 0
	fetch := func(context.Context, string) ([]fakeObject, *string, error) {
		calls++
		next := "same"
		return []fakeObject{{ID: "x" + strconv.Itoa(calls)}}, &next, nil
	}
	l := newListReader(true, fetch, func(o fakeObject) string { return o.ID })
	for i := range 20 {
		l.lookup(context.Background(), "missing-"+strconv.Itoa(i))
	}
	if calls != 2 {
		t.Fatalf("%d page requests with a repeated cursor, want 2", calls)
	}
}
