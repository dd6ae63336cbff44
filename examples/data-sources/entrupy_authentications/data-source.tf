# Everything the Tokyo store authenticated as authentic in May 2026.
data "entrupy_authentications" "tokyo_may" {
  usernames      = ["Acme-store-tokyo-01"]
  results        = ["authentic"]
  created_after  = "2026-05-01T00:00:00Z"
  created_before = "2026-06-01T00:00:00Z"
  max_items      = 500
}

# Flagged luxury items still waiting for Entrupy Support.
data "entrupy_authentications" "flagged" {
  product_categories = ["luxury"]
  flags              = ["flagged"]
}

# Sneakers authenticated in a lightbox (activity.form_factor).
data "entrupy_authentications" "lightbox" {
  product_categories = ["sneakers"]
  form_factors       = ["lightbox"]
  max_items          = 50
}

# Hand the results to other configurations the way platform teams do: as an
# output (read with terraform_remote_state or `terraform output -json`) ...
output "tokyo_may_certificates" {
  value = {
    for item in data.entrupy_authentications.tokyo_may.items :
    item.entrupy_id => {
      brand       = item.properties.brand.display
      certificate = item.certificate.site
      sku         = item.text_fields.customer_item_id
    }
  }
}

# ... and into a resource that changes whenever the set of items changes, to
# trigger downstream work (a re-index, a report, a notification).
resource "terraform_data" "flagged_queue" {
  input            = data.entrupy_authentications.flagged.ids
  triggers_replace = data.entrupy_authentications.flagged.total_count
}
