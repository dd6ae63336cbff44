package entrupy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// tokenServer answers every request with status (or 200 {"status":"ok"})
// and counts the requests by path.
type tokenServer struct {
	status atomic.Int32
	mu     sync.Mutex
	counts map[string]int
}

func newTokenServer(t *testing.T, status int) (*tokenServer, *entrupy.Client) {
	t.Helper()
	ts := &tokenServer{counts: map[string]int{}}
	ts.status.Store(int32(status))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.counts[r.URL.Path]++
		ts.mu.Unlock()
		time.Sleep(5 * time.Millisecond) // let concurrent callers pile up
		w.Header().Set("Content-Type", "application/json")
		if s := int(ts.status.Load()); s != http.StatusOK {
			w.WriteHeader(s)
			_, _ = fmt.Fprintf(w, `{"error": "status %d", "code": "x"}`, s)
			return
		}
		_, _ = fmt.Fprint(w, `{"status": "ok", "item": {"id": "wh_1"}}`)
	}))
	t.Cleanup(srv.Close)
	c, err := entrupy.New(entrupy.WithBaseURL(srv.URL), entrupy.WithToken("wrong-token-value"), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	return ts, c
}

func (ts *tokenServer) count(path string) int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.counts[path]
}

func (ts *tokenServer) total() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for _, v := range ts.counts {
		n += v
	}
	return n
}

// After a 401 the client sends nothing more: every later request fails at
// once with the same rejection, and never with the token in it.
func TestRejectedTokenFailsFast(t *testing.T) {
	t.Parallel()
	ts, c := newTokenServer(t, http.StatusUnauthorized)
	ctx := context.Background()
	if _, err := c.Webhooks.Get(ctx, "wh_1"); !entrupy.IsUnauthorized(err) {
		t.Fatalf("first request: %v", err)
	}
	for range 5 {
		_, err := c.Users.Get(ctx, "user-0001")
		if !entrupy.IsUnauthorized(err) || !strings.Contains(err.Error(), "not sent") {
			t.Fatalf("later request: %v", err)
		}
		if strings.Contains(err.Error(), "wrong-token-value") {
			t.Fatalf("error leaks the token: %v", err)
		}
	}
	if err := c.Verify(ctx); !entrupy.IsUnauthorized(err) {
		t.Fatalf("Verify after a 401: %v", err)
	}
	if n := ts.total(); n != 1 {
		t.Fatalf("%d requests sent, want only the first", n)
	}
}

// Verify sends one health request when nothing has proved the token yet,
// shared by concurrent callers, and none once any answer has.
func TestVerify(t *testing.T) {
	t.Parallel()
	ts, c := newTokenServer(t, http.StatusOK)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Verify(ctx); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := ts.count(entrupy.PathHealth); n != 1 {
		t.Fatalf("%d health requests from 8 concurrent Verify calls, want 1", n)
	}

	// A client whose first answer was a 404 (an answer to a good token)
	// checks nothing.
	ts2, c2 := newTokenServer(t, http.StatusNotFound)
	if _, err := c2.Webhooks.Get(ctx, "wh_gone"); !entrupy.IsNotFound(err) {
		t.Fatal(err)
	}
	if err := c2.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ts2.count(entrupy.PathHealth); n != 0 {
		t.Fatalf("Verify after a 404 sent %d health requests", n)
	}

	// 5xx and 429 prove nothing: Verify still asks, and reports its error.
	ts3, c3 := newTokenServer(t, http.StatusInternalServerError)
	if _, err := c3.Webhooks.Get(ctx, "wh_1"); err == nil {
		t.Fatal("500 gave no error")
	}
	if err := c3.Verify(ctx); err == nil || entrupy.IsUnauthorized(err) {
		t.Fatalf("Verify against a 500: %v", err)
	}
	ts3.status.Store(http.StatusOK)
	if err := c3.Verify(ctx); err != nil {
		t.Fatal(err)
	}
	if n := ts3.count(entrupy.PathHealth); n != 2 {
		t.Fatalf("%d health requests, want 2 (the failed one and the good one)", n)
	}
}
