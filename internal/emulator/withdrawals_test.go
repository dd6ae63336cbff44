package emulator_test

import (
	"strings"
	"testing"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
)

// TestWithdrawResultWithPendingTransfer: a certificate revoked with a
// transfer pending cannot change hands: the buyer cannot accept it, and
// the transfer can still be cancelled.
func TestWithdrawResultWithPendingTransfer(t *testing.T) {
	t.Parallel()
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization)
	var rec emulator.CertificateRecord
	for _, c := range seed.Certificates {
		if n := len(c.Transfers); n > 0 && c.Transfers[n-1].Status == entrupy.TransferPending {
			rec = c
			break
		}
	}
	if rec.CertificateID == "" {
		t.Fatal("no built-in certificate has a pending transfer")
	}
	tr := rec.Transfers[len(rec.Transfers)-1].TransferID
	h := start(t, emulator.Options{Seed: seed})
	if err := h.emu.WithdrawResult(rec.EntrupyID, "invalid"); err != nil {
		t.Fatal(err)
	}
	a := h.do("GET", "/v2/authentications/"+rec.EntrupyID, nil)
	result := as[map[string]any](t, as[map[string]any](t, a.item()["status"])["result"])
	if result["id"] != "invalid" || result["final"] != true || result["reason"] != "other" || a.item()["certificate"] != nil {
		t.Errorf("withdrawn item: %s", a.raw)
	}
	if err := h.emu.AcceptTransfer(rec.CertificateID, tr); err == nil || !strings.Contains(err.Error(), "revoked") {
		t.Errorf("accepting the transfer of a revoked certificate: %v, want an error saying it is revoked", err)
	}
	if a := h.do("DELETE", "/v2/certificates/"+rec.CertificateID+"/transfers/"+tr, nil); a.status != 204 {
		t.Errorf("cancelling the transfer of a revoked certificate: %d %s", a.status, a.raw)
	}
	a = h.do("GET", "/v2/certificates/"+rec.CertificateID, nil)
	if a.item()["status"] != "revoked" || as[map[string]any](t, a.item()["transfer"])["status"] != "cancelled" {
		t.Errorf("revoked certificate after the cancel: %s", a.raw)
	}
}
