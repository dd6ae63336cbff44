package emulator

// The delivery history (GET /v2/webhooks/{id}/deliveries) and test
// deliveries (POST /v2/webhooks/{id}/test) [chosen]. Every attempt of
// every delivery, test or real, is one entry of the history; the history
// lives in memory with the delivery log (a state file does not keep it),
// and Reset clears both.

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// historyEntry is one delivery attempt in a webhook's history.
type historyEntry struct {
	seq       int64
	webhookID string
	at        time.Time
	item      DeliveryItem
}

// begin records an attempt about to be sent as pending and returns its
// entry, for finish; nil when a Reset has ended run.
func (d *deliverer) begin(run *deliveryRun, rec Delivery) *historyEntry {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.run != run {
		return nil
	}
	h := &historyEntry{
		seq: int64(len(d.history)) + 1, webhookID: rec.WebhookID, at: rec.At,
		item: DeliveryItem{
			ID: randomID(entrupy.DeliveryIDPrefix), EventID: rec.EventID, EventType: rec.Type, Test: rec.Test,
			Attempt: rec.Attempt, Status: entrupy.DeliveryPending, CreatedAt: rec.At.UTC().Format(time.RFC3339),
		},
	}
	d.history = append(d.history, h)
	return h
}

// finish records the outcome of h's attempt: succeeded on a 2xx, failed on
// another status (response_status set) or without an answer (error set).
func (d *deliverer) finish(h *historyEntry, rec Delivery, took time.Duration) (DeliveryItem, bool) {
	if h == nil {
		return DeliveryItem{}, false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	ms := took.Milliseconds()
	h.item.DurationMS = &ms
	switch {
	case rec.Status != 0:
		status := rec.Status
		h.item.ResponseStatus = &status
		h.item.Status = entrupy.DeliveryFailed
		if status >= 200 && status < 300 {
			h.item.Status = entrupy.DeliverySucceeded
		}
	default:
		msg := rec.Error
		h.item.Error = &msg
		h.item.Status = entrupy.DeliveryFailed
	}
	return h.item, true
}

// listDeliveries is GET /v2/webhooks/{id}/deliveries: the webhook's
// attempts of the last DeliveryHistoryDays days, newest first, 25 a page.
func (s *Server) listDeliveries(c *call) response {
	w, bad := s.webhook(c)
	if bad != nil {
		return *bad
	}
	since := c.now.AddDate(0, 0, -entrupy.DeliveryHistoryDays)
	s.hooks.mu.Lock()
	var mine []*historyEntry
	for _, h := range s.hooks.history {
		if h.webhookID == w.ID && !h.at.Before(since) {
			copied := *h
			mine = append(mine, &copied)
		}
	}
	s.hooks.mu.Unlock()
	// listResponse pages in ascending order of its key: the newest first.
	return listResponse(c, mine, func(h *historyEntry) int64 { return -h.seq }, func(h *historyEntry) DeliveryItem { return h.item })
}

// testWebhook is POST /v2/webhooks/{id}/test: it checks the request under
// the lock and sends the one delivery after it (sendTest). The event is
// the body's, or the webhook's first; the body may be empty.
func (s *Server) testWebhook(c *call) response {
	w, bad := s.webhook(c)
	if bad != nil {
		return *bad
	}
	var req testWebhookBody
	if len(strings.TrimSpace(string(c.body))) > 0 {
		if bad := c.decode(&req); bad != nil {
			return *bad
		}
	}
	if !w.Enabled {
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, "webhook "+w.ID+" is disabled: enable it before sending a test delivery", "enabled")
	}
	event := req.Event
	switch {
	case event == "" && len(w.Events) > 0:
		event = w.Events[0]
	case !slices.Contains(s.events(), event):
		return badRequest("event", "unknown event %q; allowed: %s", event, strings.Join(s.events(), ", "))
	case !slices.Contains(w.Events, event):
		return badRequest("event", "webhook %s does not subscribe to %q; its events: %s", w.ID, event, strings.Join(w.Events, ", "))
	}
	ev := deliveryEvent{ID: randomID(eventIDPrefix), Type: event, CreatedAt: c.now.Format(time.RFC3339), Test: true, Data: s.sampleDataLocked(event, c.now)}
	body, err := json.Marshal(ev)
	if err != nil {
		return errorResponse(http.StatusInternalServerError, entrupy.CodeInternal, "encoding the test event: "+err.Error(), "")
	}
	rec := Delivery{EventID: ev.ID, WebhookID: w.ID, Type: event, URL: w.URL, Attempt: 1, Test: true, Body: body, At: s.opts.Now()}
	secret := w.Secret
	c.after = func() response { return s.sendTest(rec, secret) }
	return response{status: http.StatusOK}
}

// sendTest delivers a test event once (it is not retried) and answers with
// the delivery once the receiver answered or after TestDeliveryTimeout.
func (s *Server) sendTest(rec Delivery, secret string) response {
	run := s.hooks.current()
	run.wg.Add(1)
	defer run.wg.Done()
	ctx, cancel := context.WithTimeout(run.ctx, entrupy.TestDeliveryTimeout)
	defer cancel()
	got, ok := s.hooks.attempt(ctx, run, &rec, secret)
	if !ok {
		return errorResponse(http.StatusConflict, entrupy.CodeConflict, "the emulator was reset during the test delivery", "")
	}
	return itemResponse(http.StatusOK, got)
}

// sampleDataLocked is the data of a synthetic event: a seeded item (the
// newest), with a message for support.message, or a certificate for
// certificate.transfer when there is one. Called with s.mu held.
func (s *Server) sampleDataLocked(event string, now time.Time) any {
	sample := &item{EntrupyID: "TESTITEM"}
	if len(s.st.newest) > 0 {
		sample = s.st.newest[0]
	}
	switch event {
	case entrupy.EventSupportMessage:
		return supportMessageData{Item: render(sample, "en", false), Message: supportMessage{Text: "This is a test message from Entrupy.", CreatedAt: now.Format(time.RFC3339)}}
	case entrupy.EventCertificateTransfer:
		ids := make([]string, 0, len(s.st.Certificates))
		for id := range s.st.Certificates {
			ids = append(ids, id)
		}
		if len(ids) > 0 {
			sort.Strings(ids)
			return itemEnvelope[certificate]{Item: s.certificate(s.st.Certificates[ids[0]], "en")}
		}
	}
	return itemEnvelope[item]{Item: render(sample, "en", false)}
}
