package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Withdrawn results [doc: Entrupy's guarantee keeps a window to invalidate
// results and certificates]: an item marked final can later show another
// result, and its certificate can be revoked. Entrupy documents no webhook
// event for it, so the emulator sends none: readers see it on their next
// read.

// DefaultWithdrawnResult is the result WithdrawResult gives when none is
// named.
const DefaultWithdrawnResult = "unidentified"

// WithdrawResult plays Entrupy invalidating an item's result: the item
// shows resultID (final), and its certificate, if any, is revoked: the item
// no longer links it, and GET /v2/certificates/{id} answers it with status
// "revoked" and revoked_at. No webhook event is emitted.
func (s *Server) WithdrawResult(entrupyID, resultID string) error {
	if resultID == "" {
		resultID = DefaultWithdrawnResult
	}
	res, ok := findResult(resultID)
	if !ok {
		return fmt.Errorf("emulator: unknown result %q", resultID)
	}
	if res.ID == "authentic" {
		return fmt.Errorf("emulator: a withdrawn result cannot become authentic; use POST /_emulator/authentications/{entrupy_id}/complete for an authentication in progress")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.st.Items[entrupyID]
	if !ok {
		return fmt.Errorf("emulator: no authentication %q", entrupyID)
	}
	if it.Status.Result.ID == res.ID {
		return fmt.Errorf("emulator: authentication %q already has result %s", entrupyID, res.ID)
	}
	it.Status.Result = itemResult{ID: res.ID, Display: res.Display, Final: true}
	if res.ID == "invalid" {
		reason := "other"
		it.Status.Result.Reason = &reason
	}
	if ref := it.Certificate; ref != nil {
		if rec, ok := s.st.Certificates[ref.CertificateID]; ok {
			at := s.opts.Now().UTC().Format(time.RFC3339)
			rec.RevokedAt = &at
			rec.Site, rec.Preview = ref.Site, ref.Preview
		}
		it.Certificate = nil
	}
	s.persistLocked()
	return nil
}

// withdrawalAdminRoutes serve WithdrawResult over HTTP under /_emulator/,
// as the other admin routes (no token: the emulator listens on loopback).
func (s *Server) withdrawalAdminRoutes() {
	s.mux.HandleFunc("POST /_emulator/authentications/{entrupy_id}/withdraw", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Result string `json:"result"`
		}
		_ = json.NewDecoder(r.Body).Decode(&body)
		adminResult(w, s.WithdrawResult(r.PathValue("entrupy_id"), body.Result))
	})
}
