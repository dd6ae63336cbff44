package entrupy_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// TestReadAfterWriteIsAGet: once Reads are answered from list pages, a
// write through the client (an update, say) makes the
// next Read of that object a GET, never the page fetched before the write;
// an object the client did not write is still answered from the page.
func TestReadAfterWriteIsAGet(t *testing.T) {
	t.Parallel()
	f, plain := newFixture(t, emulator.Options{})
	ctx := context.Background()
	var ids []string
	for i := range 30 {
		wh, err := plain.Webhooks.Create(ctx, hookReq(fmt.Sprintf("https://hooks.example.com/cache/%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, wh.ID)
	}
	c := f.emu.Client(t, entrupy.WithListReads(true))
	const getRoute = "GET /v2/webhooks/{id}"
	gets := func() int { return f.emu.Count(getRoute) }
	for _, id := range ids[:entrupy.ListAfterReads+1] { // the first Reads GET; then a page is fetched
		if _, err := c.Webhooks.Read(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	before := gets()
	if _, err := c.Webhooks.Read(ctx, ids[10]); err != nil || gets() != before {
		t.Fatalf("a listed webhook: %v, %d GETs, want it answered from the page", err, gets()-before)
	}
	desc := "changed after the page was fetched"
	if _, err := c.Webhooks.Update(ctx, ids[11], entrupy.UpdateWebhookRequest{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	before = gets()
	wh, err := c.Webhooks.Read(ctx, ids[11])
	if err != nil {
		t.Fatal(err)
	}
	if gets() != before+1 || wh.Description != desc {
		t.Fatalf("read after the client's update: %d GETs, description %q; want one GET and %q", gets()-before, wh.Description, desc)
	}
	if f.emu.Count("GET /v2/webhooks") == 0 {
		t.Fatal("no list page was fetched: the test tested nothing")
	}
}
