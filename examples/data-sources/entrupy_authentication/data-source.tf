# The newest authentication of an item, by your own SKU or order ID.
data "entrupy_authentication" "by_sku" {
  customer_item_id = "SKU-01000"
}

# One authentication by its Entrupy ID, with camera images.
data "entrupy_authentication" "by_id" {
  entrupy_id     = data.entrupy_authentication.by_sku.entrupy_id
  include_images = true
}

# Tolerate an item that may not exist yet.
data "entrupy_authentication" "maybe" {
  customer_item_id = "SKU-NOT-YET"
  allow_missing    = true
}

output "verdict" {
  value = {
    brand       = data.entrupy_authentication.by_sku.properties.brand.display
    result      = data.entrupy_authentication.by_sku.status.result.id
    final       = data.entrupy_authentication.by_sku.status.result.final
    certificate = try(data.entrupy_authentication.by_sku.certificate.site, null)
    images      = length(coalesce(data.entrupy_authentication.by_id.images, []))
    maybe_found = data.entrupy_authentication.maybe.found
  }
}
