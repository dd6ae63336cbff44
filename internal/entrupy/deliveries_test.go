package entrupy_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// retryingClient is a client with the default retry attempts and no waits.
func retryingClient(t *testing.T, url string) *entrupy.Client {
	t.Helper()
	c, err := entrupy.New(entrupy.WithBaseURL(url), entrupy.WithToken("t"), entrupy.WithRateLimit(0),
		entrupy.WithRetryPolicy(entrupy.RetryPolicy{MaxAttempts: 5, MinWait: time.Millisecond, MaxWait: time.Millisecond, RateLimitBudget: time.Minute}),
		entrupy.WithSleep(func(context.Context, time.Duration) error { return nil }))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestWebhookTestIsNotRetried: a test delivery may have gone out before a
// 5xx or a lost answer, so the client returns those instead of sending the
// POST again; a 429 was not processed and is retried.
func TestWebhookTestIsNotRetried(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		statuses []int // answers in turn; 0 drops the connection
		wantReqs int
		wantErr  bool
	}{
		{"500", []int{500, 200}, 1, true},
		{"reset", []int{0, 200}, 1, true},
		{"429 then 200", []int{429, 200}, 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				switch st := tc.statuses[min(i, len(tc.statuses)-1)]; st {
				case 0:
					hj, _ := w.(http.Hijacker)
					conn, _, _ := hj.Hijack()
					_ = conn.Close()
				case 200:
					_, _ = fmt.Fprint(w, `{"item": {"id": "dlv_1", "status": "succeeded", "attempt": 1}}`)
				default:
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(st)
				}
			}))
			t.Cleanup(srv.Close)
			d, err := retryingClient(t, srv.URL).Webhooks.Test(context.Background(), "wh_1", entrupy.TestWebhookRequest{})
			if got := int(n.Load()); got != tc.wantReqs {
				t.Errorf("%d requests reached the API, want %d", got, tc.wantReqs)
			}
			if tc.wantErr != (err != nil) || (err == nil && d.ID != "dlv_1") {
				t.Errorf("Test = %+v, %v; want an error: %v", d, err, tc.wantErr)
			}
		})
	}
	// A read is still retried after a 500.
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.WriteHeader(500)
			return
		}
		_, _ = fmt.Fprint(w, `{"items": [], "next_cursor": null}`)
	}))
	t.Cleanup(srv.Close)
	if _, _, err := retryingClient(t, srv.URL).Webhooks.DeliveriesPage(context.Background(), "wh_1", ""); err != nil || n.Load() != 2 {
		t.Errorf("DeliveriesPage after a 500: %v after %d requests, want success after 2", err, n.Load())
	}
}

// TestWebhookDeliveriesWalksPages: Deliveries follows next_cursor, keeps
// the order of the pages (newest first), filters on test, and stops at
// MaxItems.
func TestWebhookDeliveriesWalksPages(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"":   `{"items": [{"id": "dlv_5", "test": true}, {"id": "dlv_4", "test": false}], "next_cursor": "p2"}`,
		"p2": `{"items": [{"id": "dlv_3", "test": true}, {"id": "dlv_2", "test": false}], "next_cursor": "p3"}`,
		"p3": `{"items": [{"id": "dlv_1", "test": true}], "next_cursor": null}`,
	}
	var reqs atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reqs.Add(1)
		if r.URL.Path != "/v2/webhooks/wh_1/deliveries" {
			http.NotFound(w, r)
			return
		}
		_, _ = fmt.Fprint(w, pages[r.URL.Query().Get("cursor")])
	}))
	t.Cleanup(srv.Close)
	c := retryingClient(t, srv.URL)
	ids := func(ds []entrupy.Delivery) (out []string) {
		for _, d := range ds {
			out = append(out, d.ID)
		}
		return out
	}
	yes, no := true, false
	for _, tc := range []struct {
		opts      entrupy.DeliveriesOptions
		want      string
		truncated bool
		requests  int32
	}{
		{entrupy.DeliveriesOptions{}, "[dlv_5 dlv_4 dlv_3 dlv_2 dlv_1]", false, 3},
		{entrupy.DeliveriesOptions{Test: &yes}, "[dlv_5 dlv_3 dlv_1]", false, 3},
		{entrupy.DeliveriesOptions{Test: &no}, "[dlv_4 dlv_2]", false, 3},
		{entrupy.DeliveriesOptions{Test: &yes, MaxItems: 2}, "[dlv_5 dlv_3]", true, 2},
		{entrupy.DeliveriesOptions{MaxItems: 1}, "[dlv_5]", true, 1},
	} {
		reqs.Store(0)
		got, truncated, err := c.Webhooks.Deliveries(context.Background(), "wh_1", tc.opts)
		if err != nil || fmt.Sprint(ids(got)) != tc.want || truncated != tc.truncated || reqs.Load() != tc.requests {
			t.Errorf("Deliveries(%+v) = %v truncated %v (%v) in %d requests; want %s truncated %v in %d",
				tc.opts, ids(got), truncated, err, reqs.Load(), tc.want, tc.truncated, tc.requests)
		}
	}
}
