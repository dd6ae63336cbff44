package emulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// Delivery is one attempt to deliver an event to a webhook.
type Delivery struct {
	EventID   string    `json:"event_id"`
	WebhookID string    `json:"webhook_id"`
	Type      string    `json:"type"`
	URL       string    `json:"url"`
	Attempt   int       `json:"attempt"`
	Status    int       `json:"status"` // 0 when the receiver could not be reached
	Error     string    `json:"error,omitempty"`
	Test      bool      `json:"test,omitempty"` // a test delivery (POST /v2/webhooks/{id}/test)
	Signature string    `json:"signature"`
	Body      []byte    `json:"body"`
	At        time.Time `json:"at"`
}

// deliverer posts events to webhooks in the background and keeps a log.
type deliverer struct {
	s        *Server
	client   *http.Client
	attempts int
	backoff  time.Duration

	mu      sync.Mutex // guards log, history and run
	log     []Delivery
	history []*historyEntry // what GET /v2/webhooks/{id}/deliveries shows, oldest first
	run     *deliveryRun    // the deliveries since the start or the last Reset
}

// deliveryRun is a generation of deliveries: Close and Reset stop one.
type deliveryRun struct {
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func newDeliveryRun() *deliveryRun {
	ctx, cancel := context.WithCancel(context.Background())
	return &deliveryRun{ctx: ctx, cancel: cancel}
}

// stop cancels the run's deliveries and waits for them to end.
func (r *deliveryRun) stop() {
	r.cancel()
	r.wg.Wait()
}

func (d *deliverer) current() *deliveryRun {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.run
}

// restart starts a new run with an empty log and returns the old run, for
// the caller to stop.
func (d *deliverer) restart() *deliveryRun {
	d.mu.Lock()
	defer d.mu.Unlock()
	old := d.run
	d.run = newDeliveryRun()
	d.log, d.history = nil, nil
	return old
}

func newDeliverer(s *Server) *deliverer {
	d := &deliverer{
		s: s, client: &http.Client{Timeout: 10 * time.Second},
		attempts: s.opts.DeliveryAttempts, backoff: s.opts.DeliveryBackoff,
		run: newDeliveryRun(),
	}
	if d.attempts <= 0 {
		d.attempts = 6
	}
	if d.backoff <= 0 {
		d.backoff = time.Second
	}
	return d
}

// emitLocked sends an event to every enabled webhook subscribed to its type
// (and scoped to username, or to no user). Called with s.mu held.
func (s *Server) emitLocked(eventType, username string, data any, now time.Time) {
	event := deliveryEvent{ID: randomID(eventIDPrefix), Type: eventType, CreatedAt: now.Format(time.RFC3339), Data: data}
	run := s.hooks.current()
	for _, w := range s.st.Webhooks {
		if !w.Enabled || !slices.Contains(w.Events, eventType) {
			continue
		}
		if w.Username != nil && *w.Username != username {
			continue
		}
		body, err := deliveryBody(w.APIVersion, event)
		if err != nil {
			continue
		}
		run.wg.Add(1)
		go s.hooks.deliver(run, w.ID, event.ID, eventType, body)
	}
}

// deliveryBody is what a delivery of event carries to a webhook of
// apiVersion: the event itself (the envelope) [chosen], or for a webhook
// of entrupy.ItemDeliveryAPIVersion the item alone, data.item [doc: v1.4
// webhooks page]. Both are signed alike.
func deliveryBody(apiVersion string, event deliveryEvent) ([]byte, error) {
	if apiVersion != entrupy.ItemDeliveryAPIVersion {
		return json.Marshal(event)
	}
	data, err := json.Marshal(event.Data)
	if err != nil {
		return nil, err
	}
	var d struct {
		Item json.RawMessage `json:"item"`
	}
	if err := json.Unmarshal(data, &d); err != nil || len(d.Item) == 0 {
		return nil, fmt.Errorf("emulator: %s event without data.item", event.Type)
	}
	return d.Item, nil
}

// deliver retries with exponential backoff until the receiver answers 2xx,
// the attempts run out, the webhook is gone or the emulator closes. Each
// attempt signs with the webhook's secret at that moment, so a rotation
// shows in the next attempt.
func (d *deliverer) deliver(run *deliveryRun, webhookID, eventID, eventType string, body []byte) {
	defer run.wg.Done()
	wait := d.backoff
	for attempt := 1; attempt <= d.attempts; attempt++ {
		d.s.mu.Lock()
		w, ok := d.s.st.Webhooks[webhookID]
		var url, secret string
		if ok {
			url, secret = w.URL, w.Secret
		}
		d.s.mu.Unlock()
		if !ok {
			return
		}
		rec := Delivery{EventID: eventID, WebhookID: webhookID, Type: eventType, URL: url, Attempt: attempt, Body: body, At: d.s.opts.Now()}
		d.attempt(run.ctx, run, &rec, secret)
		if rec.Status >= 200 && rec.Status < 300 {
			return
		}
		select {
		case <-run.ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(wait*2, time.Minute)
	}
}

// attempt makes one POST of rec.Body to rec.URL signed with secret, fills
// in rec's Signature and its Status or Error, records it in the log and in
// the webhook's delivery history (webhook_deliveries.go), and returns its
// history entry (false when a Reset has ended run).
func (d *deliverer) attempt(ctx context.Context, run *deliveryRun, rec *Delivery, secret string) (DeliveryItem, bool) {
	rec.Signature = signDelivery(d.s.opts.SignatureMode, secret, rec.At, rec.Body)
	h := d.begin(run, *rec)
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rec.URL, bytes.NewReader(rec.Body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Entrupy-Webhooks (emulator)")
		req.Header.Set(entrupy.HeaderSignature, rec.Signature)
		var resp *http.Response
		if resp, err = d.client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			_ = resp.Body.Close()
			rec.Status = resp.StatusCode
		}
	}
	if err != nil {
		rec.Error = err.Error()
	}
	d.mu.Lock()
	if d.run == run { // a Reset since has cleared the log
		d.log = append(d.log, *rec)
	}
	d.mu.Unlock()
	return d.finish(h, *rec, time.Since(start))
}

// Deliveries returns every delivery attempt so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return slices.Clone(s.hooks.log)
}

// Signature modes (Options.SignatureMode, -signature): the two forms of
// the Entrupy-Signature header receivers accept (entrupy.VerifySignature).
const (
	// SignTimestamped is "t=<unix seconds>,v1=<hex HMAC-SHA256 of
	// "<t>.<raw body>" keyed by the secret>" [chosen], the default.
	SignTimestamped = "timestamped"
	// SignPlain is the hex HMAC-SHA256 of the raw body keyed by the secret:
	// all Entrupy publishes of its signature [doc: v2 webhooks page].
	SignPlain = "plain"
)

// checkSignatureMode accepts "" (timestamped), SignTimestamped or SignPlain.
func checkSignatureMode(mode string) error {
	switch mode {
	case "", SignTimestamped, SignPlain:
		return nil
	}
	return fmt.Errorf("emulator: signature mode %q: want %s or %s", mode, SignTimestamped, SignPlain)
}

// signDelivery is the Entrupy-Signature header of a delivery in mode.
// Receivers check it with entrupy.VerifySignature.
func signDelivery(mode, secret string, t time.Time, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	if mode == SignPlain {
		mac.Write(body)
		return hex.EncodeToString(mac.Sum(nil))
	}
	ts := strconv.FormatInt(t.Unix(), 10)
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Close stops deliveries in flight and waits for them to end.
func (s *Server) Close() {
	s.hooks.current().stop()
}

// CompleteAuthentication finalizes an in-progress authentication with a
// result, as Entrupy does when a session ends, and emits session.completed.
// An authentic result gets a certificate.
func (s *Server) CompleteAuthentication(entrupyID, resultID string) error {
	res, ok := findResult(resultID)
	if !ok {
		return fmt.Errorf("emulator: unknown result %q", resultID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.st.Items[entrupyID]
	if !ok {
		return fmt.Errorf("emulator: no authentication %q", entrupyID)
	}
	if it.Status.Result.Final {
		return fmt.Errorf("emulator: authentication %q is already final (%s)", entrupyID, it.Status.Result.ID)
	}
	it.Status.Result = itemResult{ID: res.ID, Display: res.Display, Final: true}
	if res.ID == "authentic" && it.Certificate == nil {
		it.Certificate = certificateRef(it.EntrupyID)
		s.st.Certificates[it.Certificate.CertificateID] = defaultCertificate(it, s.opts.Organization)
	}
	s.persistLocked()
	s.emitLocked(entrupy.EventSessionCompleted, it.Owner.User.Username, itemEnvelope[item]{Item: render(it, "en", false)}, s.opts.Now().UTC())
	return nil
}

// SupportMessage emits support.message for an authentication, as when
// Entrupy Support answers a flagged item.
func (s *Server) SupportMessage(entrupyID, message string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.st.Items[entrupyID]
	if !ok {
		return fmt.Errorf("emulator: no authentication %q", entrupyID)
	}
	now := s.opts.Now().UTC()
	s.emitLocked(entrupy.EventSupportMessage, it.Owner.User.Username, supportMessageData{
		Item:    render(it, "en", false),
		Message: supportMessage{Text: message, CreatedAt: now.Format(time.RFC3339)},
	}, now)
	return nil
}

// emitTransferLocked emits certificate.transfer with the certificate as it
// is now. Called with s.mu held.
func (s *Server) emitTransferLocked(rec *CertificateRecord, now time.Time) {
	owner := s.st.Items[rec.EntrupyID].Owner.User.Username
	s.emitLocked(entrupy.EventCertificateTransfer, owner, itemEnvelope[certificate]{Item: s.certificate(rec, "en")}, now)
}

// deliveryAdminRoutes trigger events over HTTP, for users driving the
// emulator from outside Go.
func (s *Server) deliveryAdminRoutes() {
	s.mux.HandleFunc("GET /_emulator/deliveries", func(w http.ResponseWriter, _ *http.Request) {
		writeAdmin(w, s.Deliveries())
	})
	s.mux.HandleFunc("POST /_emulator/authentications/{entrupy_id}/complete", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Result string `json:"result"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		adminResult(w, s.CompleteAuthentication(r.PathValue("entrupy_id"), body.Result))
	})
	s.mux.HandleFunc("POST /_emulator/authentications/{entrupy_id}/support-messages", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Message string `json:"message"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		adminResult(w, s.SupportMessage(r.PathValue("entrupy_id"), body.Message))
	})
	s.mux.HandleFunc("POST /_emulator/certificates/{certificate_id}/transfers/{transfer_id}/accept", func(w http.ResponseWriter, r *http.Request) {
		adminResult(w, s.AcceptTransfer(r.PathValue("certificate_id"), r.PathValue("transfer_id")))
	})
}

func adminResult(w http.ResponseWriter, err error) {
	if err != nil {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_ = json.NewEncoder(w).Encode(errorBody{Error: err.Error(), Code: entrupy.CodeInvalidRequest})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
