# The certificate of an authentication, with its current holder. (These IDs
# are in the emulator's built-in data: GET /_emulator/inventory lists them.)
data "entrupy_certificate" "bag" {
  entrupy_id = "YQFD2K9B"
}

# Or directly by certificate ID.
data "entrupy_certificate" "by_id" {
  certificate_id = "C-YQFD2K9B"
}

output "bag_certificate" {
  value = {
    url        = data.entrupy_certificate.bag.site
    status     = data.entrupy_certificate.bag.status
    holder     = data.entrupy_certificate.bag.holder.name
    transfer   = try(data.entrupy_certificate.bag.transfer.status, "never transferred")
    serial     = data.entrupy_certificate.bag.serial_number
    authentics = data.entrupy_certificate.bag.authenticated_at
  }
}

# Entrupy can withdraw a result and revoke its certificate after issuing it
# (and data sources read everything afresh on each run). A revoked
# certificate is read, not an error: this postcondition stops the run before
# anything downstream publishes it.
data "entrupy_certificate" "to_publish" {
  certificate_id = "C-YQFD2K9B"

  lifecycle {
    postcondition {
      condition     = self.status == "valid"
      error_message = "Certificate ${self.certificate_id} is ${self.status} (revoked at ${coalesce(self.revoked_at, "unknown")}): do not publish it."
    }
  }
}

resource "terraform_data" "publish_certificate" {
  input = {
    certificate_id = data.entrupy_certificate.to_publish.certificate_id
    url            = data.entrupy_certificate.to_publish.site
  }
}
