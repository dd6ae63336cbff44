package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/entrupy/terraform-provider-entrupy/internal/emulator"
	"github.com/entrupy/terraform-provider-entrupy/internal/entrupy"
	"github.com/entrupy/terraform-provider-entrupy/internal/testsupport"
)

// seedCertificate returns the first built-in certificate record that
// satisfies pred, with its item.
func seedCertificate(t *testing.T, pred func(emulator.CertificateRecord, entrupy.Item) bool) (emulator.CertificateRecord, entrupy.Item) {
	t.Helper()
	seed := emulator.BuiltinSeed(emulator.DefaultOrganization)
	items := map[string]entrupy.Item{}
	for _, it := range seed.Authentications {
		items[it.EntrupyID] = it
	}
	for _, c := range seed.Certificates {
		if pred(c, items[c.EntrupyID]) {
			return c, items[c.EntrupyID]
		}
	}
	t.Fatal("no built-in certificate matches")
	return emulator.CertificateRecord{}, entrupy.Item{}
}

func TestAccCertificateDataSource(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	hidden, hiddenItem := seedCertificate(t, func(c emulator.CertificateRecord, it entrupy.Item) bool {
		return c.HideCustomerItemID && len(c.Transfers) == 0 && category(it) == "luxury" && it.TextFields.CustomerItemID != nil
	})
	shown, shownItem := seedCertificate(t, func(c emulator.CertificateRecord, it entrupy.Item) bool {
		return !c.HideCustomerItemID && it.TextFields.CustomerItemID != nil && category(it) == "sneakers"
	})
	moved, movedItem := seedCertificate(t, func(c emulator.CertificateRecord, _ entrupy.Item) bool {
		return len(c.Transfers) == 1 && c.Transfers[0].Status == entrupy.TransferAccepted
	})
	pending, _ := seedCertificate(t, func(c emulator.CertificateRecord, _ entrupy.Item) bool {
		return len(c.Transfers) == 1 && c.Transfers[0].Status == entrupy.TransferPending
	})
	p := tfjsonpath.New[string]
	h, s, m, pe := "data.entrupy_certificate.hidden", "data.entrupy_certificate.shown", "data.entrupy_certificate.moved", "data.entrupy_certificate.pending"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: providerBlock(emu) + fmt.Sprintf(`
data "entrupy_certificate" "hidden" { certificate_id = %q }
data "entrupy_certificate" "shown" { entrupy_id = %q }
data "entrupy_certificate" "moved" { certificate_id = %q }
data "entrupy_certificate" "pending" { certificate_id = %q }
`, hidden.CertificateID, shownItem.EntrupyID, moved.CertificateID, pending.CertificateID),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(h, p("entrupy_id"), knownvalue.StringExact(hiddenItem.EntrupyID)),
				statecheck.ExpectKnownValue(h, p("customer_item_id"), knownvalue.Null()),
				statecheck.ExpectKnownValue(h, p("date_code"), knownvalue.StringExact(*hiddenItem.TextFields.Identifier)),
				statecheck.ExpectKnownValue(h, p("brand").AtMapKey("id"), knownvalue.StringExact(val(hiddenItem.Properties.Brand.ID))),
				statecheck.ExpectKnownValue(h, p("authenticated_at"), knownvalue.StringExact(hiddenItem.Timestamp.Created.Format(time.RFC3339))),
				statecheck.ExpectKnownValue(h, p("site"), knownvalue.StringExact("https://cert.entrupy.com/"+hiddenItem.EntrupyID)),
				statecheck.ExpectKnownValue(h, p("photos"), knownvalue.ListSizeExact(len(hidden.Photos))),
				statecheck.ExpectKnownValue(h, p("holder"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"username": knownvalue.StringExact(val(hiddenItem.Owner.Username)), "name": knownvalue.StringExact("Acme"),
				})),
				statecheck.ExpectKnownValue(h, p("transfer"), knownvalue.Null()),
				statecheck.ExpectKnownValue(h, p("status"), knownvalue.StringExact("valid")),
				statecheck.ExpectKnownValue(h, p("revoked_at"), knownvalue.Null()),

				statecheck.ExpectKnownValue(s, p("certificate_id"), knownvalue.StringExact(shown.CertificateID)),
				statecheck.ExpectKnownValue(s, p("customer_item_id"), knownvalue.StringExact(*shownItem.TextFields.CustomerItemID)),
				statecheck.ExpectKnownValue(s, p("date_code"), knownvalue.Null()),
				statecheck.ExpectKnownValue(s, p("style_code"), knownvalue.StringExact(*shownItem.TextFields.StyleCode)),

				statecheck.ExpectKnownValue(m, p("holder"), knownvalue.ObjectExact(map[string]knownvalue.Check{
					"username": knownvalue.Null(), "name": knownvalue.StringExact(moved.Holder.Name),
				})),
				statecheck.ExpectKnownValue(m, p("transfer").AtMapKey("status"), knownvalue.StringExact("accepted")),
				statecheck.ExpectKnownValue(m, p("transfer").AtMapKey("recipient_email"), knownvalue.StringExact(moved.Transfers[0].RecipientEmail)),
				statecheck.ExpectKnownValue(m, p("entrupy_id"), knownvalue.StringExact(movedItem.EntrupyID)),
				statecheck.ExpectKnownValue(pe, p("transfer").AtMapKey("status"), knownvalue.StringExact("pending")),
			},
		}},
	})
}

func TestAccCertificateDataSource_errors(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	invalid := seedItem(t, func(it entrupy.Item) bool { return val(it.Status.Result.ID) == "invalid" })
	for _, tc := range []struct{ name, body, want string }{
		{"not authentic", fmt.Sprintf(`entrupy_id = %q`, invalid.EntrupyID), fmt.Sprintf(`Authentication has no certificate.*%q has result "invalid" \(Invalid, final: true\).*only for authentic items`, invalid.EntrupyID)},
		{"unknown certificate", `certificate_id = "C-NOPE"`, `Certificate not found.*"C-NOPE"`},
		{"unknown item", `entrupy_id = "NOPE1234"`, `Authentication not found.*"NOPE1234"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config:      providerBlock(emu) + "data \"entrupy_certificate\" \"x\" {\n  " + tc.body + "\n}\n",
					ExpectError: expectError(tc.want),
				}},
			})
		})
	}
}

// revokedCertificateConfig reads a certificate and its item; with guard,
// the certificate's data source has the postcondition the
// entrupy_certificate example shows before publishing.
func revokedCertificateConfig(emu *testsupport.Emulator, certID, entrupyID string, guard bool) string {
	lifecycle := ""
	if guard {
		lifecycle = `
  lifecycle {
    postcondition {
      condition     = self.status == "valid"
      error_message = "Certificate ${self.certificate_id} is ${self.status} (revoked at ${coalesce(self.revoked_at, "unknown")}): do not publish it."
    }
  }`
	}
	return providerBlock(emu) + fmt.Sprintf(`
data "entrupy_certificate" "c" {
  certificate_id = %q%s
}
data "entrupy_authentication" "item" { entrupy_id = %q }

resource "terraform_data" "publish" {
  input = data.entrupy_certificate.c.site
}
`, certID, lifecycle, entrupyID)
}

// TestAccCertificateDataSource_revoked: Entrupy withdraws a final result.
// The next run reads the item's new result (no certificate) and the
// certificate as revoked (read, not an error), every field afresh; the
// example's postcondition stops a pipeline from publishing it.
func TestAccCertificateDataSource_revoked(t *testing.T) {
	emu := testsupport.StartEmulator(t, emulator.Options{})
	rec, item := seedCertificate(t, func(c emulator.CertificateRecord, it entrupy.Item) bool {
		return len(c.Transfers) == 0 && *it.Status.Result.Final
	})
	p := tfjsonpath.New[string]
	cert, auth := "data.entrupy_certificate.c", "data.entrupy_authentication.item"
	rfc3339 := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: revokedCertificateConfig(emu, rec.CertificateID, item.EntrupyID, true),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cert, p("status"), knownvalue.StringExact("valid")),
					statecheck.ExpectKnownValue(cert, p("revoked_at"), knownvalue.Null()),
					statecheck.ExpectKnownValue(auth, p("status").AtMapKey("result").AtMapKey("id"), knownvalue.StringExact("authentic")),
					statecheck.ExpectKnownValue(auth, p("status").AtMapKey("result").AtMapKey("final"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(auth, p("certificate").AtMapKey("certificate_id"), knownvalue.StringExact(rec.CertificateID)),
				},
			},
			{
				// Without the guard: the revoked certificate is read.
				PreConfig: func() {
					if err := emu.WithdrawResult(item.EntrupyID, "unidentified"); err != nil {
						t.Fatal(err)
					}
				},
				Config: revokedCertificateConfig(emu, rec.CertificateID, item.EntrupyID, false),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(cert, p("status"), knownvalue.StringExact("revoked")),
					statecheck.ExpectKnownValue(cert, p("revoked_at"), knownvalue.StringRegexp(rfc3339)),
					statecheck.ExpectKnownValue(cert, p("certificate_id"), knownvalue.StringExact(rec.CertificateID)),
					statecheck.ExpectKnownValue(cert, p("entrupy_id"), knownvalue.StringExact(item.EntrupyID)),
					statecheck.ExpectKnownValue(cert, p("site"), knownvalue.StringExact(val(item.Certificate.Site))),
					statecheck.ExpectKnownValue(auth, p("status").AtMapKey("result"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id": knownvalue.StringExact("unidentified"), "display": knownvalue.StringExact("Unidentified"),
						"final": knownvalue.Bool(true), "reason": knownvalue.Null(),
					})),
					statecheck.ExpectKnownValue(auth, p("certificate"), knownvalue.Null()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				// With the guard, the run stops before publishing.
				Config:      revokedCertificateConfig(emu, rec.CertificateID, item.EntrupyID, true),
				ExpectError: expectError(fmt.Sprintf(`Certificate %s is revoked \(revoked at \d{4}-[0-9T:-]+Z\): do not publish it`, rec.CertificateID)),
			},
			{
				// The item no longer links the certificate: by entrupy_id
				// it is an error that says where the revoked one is.
				Config:      providerBlock(emu) + fmt.Sprintf("data \"entrupy_certificate\" \"x\" { entrupy_id = %q }\n", item.EntrupyID),
				ExpectError: expectError(fmt.Sprintf(`%q has result "unidentified" \(Unidentified, final: true\).*revoked certificate, which can still be read by certificate_id`, item.EntrupyID)),
			},
		},
	})
}
