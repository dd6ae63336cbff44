# The demo `make demo` applies against the local emulator. It reads
# authentications the emulator ships with and prints a summary.
terraform {
  required_version = ">= 1.11"
  required_providers {
    entrupy = {
      source = "entrupy/entrupy"
    }
  }
}

# Configured from ENTRUPY_BASE_URL and ENTRUPY_API_TOKEN, which make demo
# points at the emulator it starts.
provider "entrupy" {}

variable "customer_item_ids" {
  description = "Your own item identifiers (SKUs) to look up; the newest authentication of each is read."
  type        = list(string)
  default     = ["SKU-01000", "SKU-01001", "SKU-01015", "SKU-01011"]
}

data "entrupy_authentication" "item" {
  for_each         = toset(var.customer_item_ids)
  customer_item_id = each.value
}

output "authentications" {
  description = "One line per item: brand, result and certificate."
  value = {
    for sku, a in data.entrupy_authentication.item : sku => {
      entrupy_id  = a.entrupy_id
      brand       = a.properties.brand.display
      material    = try(a.properties.material.display, null)
      result      = a.status.result.display
      final       = a.status.result.final
      started_at  = a.timestamp.rfc3339
      certificate = try(a.certificate.site, "none (not authentic)")
    }
  }
}
