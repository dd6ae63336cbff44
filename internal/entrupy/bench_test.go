package entrupy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

const benchItems = 10000

var (
	benchSeedOnce sync.Once
	benchSeed     *emulator.Seed
)

func seed10k() *emulator.Seed {
	benchSeedOnce.Do(func() { benchSeed = emulator.GenerateSeed(benchItems, 42, "") })
	return benchSeed
}

// BenchmarkSearchAllEmulator pages 10,000 items through the client against
// the emulator (its cost included): requests and allocations per item.
func BenchmarkSearchAllEmulator(b *testing.B) {
	emu := testsupport.StartEmulator(b, emulator.Options{Seed: seed10k()})
	benchSearchAll(b, emu.Client(b), func() int { return emu.Count("POST /v2/search/authentications") })
}

// BenchmarkSearchAllClient pages the same 10,000 items from pre-recorded
// pages, so that the numbers are the client's own: HTTP, decoding, paging.
func BenchmarkSearchAllClient(b *testing.B) {
	live, err := testsupport.NewEmulator(emulator.Options{Seed: seed10k()})
	if err != nil {
		b.Fatal(err)
	}
	// Record every page once, keyed by the cursor that asked for it.
	pages := map[string][]byte{}
	cursor := ""
	for {
		body, _ := json.Marshal(entrupy.SearchRequest{Limit: entrupy.SearchMaxLimit, Cursor: cursor})
		req, _ := http.NewRequest(http.MethodPost, live.URL+entrupy.PathSearchAuthentications, bytes.NewReader(body))
		req.Header.Set("Authorization", "Token "+live.Token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		pages[cursor] = raw
		var page entrupy.SearchPage
		if err := json.Unmarshal(raw, &page); err != nil {
			b.Fatal(err)
		}
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	live.Close()

	var mu sync.Mutex
	served := 0
	replay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req entrupy.SearchRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		mu.Lock()
		served++
		mu.Unlock()
		_, _ = w.Write(pages[req.Cursor])
	}))
	defer replay.Close()
	c, _ := entrupy.New(entrupy.WithBaseURL(replay.URL), entrupy.WithToken(token), entrupy.WithRateLimit(0))
	benchSearchAll(b, c, func() int { mu.Lock(); defer mu.Unlock(); return served })
}

func benchSearchAll(b *testing.B, c *entrupy.Client, requests func() int) {
	ctx := context.Background()
	b.ReportAllocs()
	before := requests()
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	b.ResetTimer()
	for b.Loop() {
		res, err := c.Authentications.SearchAll(ctx, nil, 0)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Items) != benchItems || res.Requests != benchItems/entrupy.SearchMaxLimit {
			b.Fatalf("%d items in %d requests", len(res.Items), res.Requests)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&ms1)
	items := float64(b.N * benchItems)
	b.ReportMetric(float64(requests()-before)/items, "requests/item")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/items, "allocs/item")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/items, "ns/item")
}
