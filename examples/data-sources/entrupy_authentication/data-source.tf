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

# Catalog data (style, colorway, condition, regional prices) for a listing
# pipeline: null when Entrupy has no catalog match for the item.
data "entrupy_authentication" "listing" {
  customer_item_id = "SKU-01000"
  include_catalog  = true
}

locals {
  catalog = data.entrupy_authentication.listing.catalog
}

resource "terraform_data" "listing_input" {
  input = local.catalog == null ? null : {
    entrupy_id  = data.entrupy_authentication.listing.entrupy_id
    title       = "${local.catalog.brand.display} ${local.catalog.style.name}"
    style_code  = local.catalog.style.code
    colorway    = local.catalog.colorway
    grade       = try(local.catalog.condition.grade, null)
    currency    = try(local.catalog.market.currency, null)
    resale_low  = try(local.catalog.market.resale_low, null)
    resale_high = try(local.catalog.market.resale_high, null)
  }
}

# The search reads no catalog data: read each item found with include_catalog.
data "entrupy_authentications" "recent_sneakers" {
  product_categories = ["sneakers"]
  max_items          = 10
}

data "entrupy_authentication" "catalog" {
  for_each        = toset(data.entrupy_authentications.recent_sneakers.ids)
  entrupy_id      = each.value
  include_catalog = true
}

output "resale_ranges" {
  value = {
    for id, a in data.entrupy_authentication.catalog : id => a.catalog == null ? null : a.catalog.market
  }
}
