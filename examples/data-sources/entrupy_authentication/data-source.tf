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

# What the provider does not model, read from the item exactly as Entrupy
# sent it. Entrupy's v2 answers carry, for instance, properties.category
# ("Handbag") or category_name, and text_fields.notes_for_certificate; try()
# gives null where an answer lacks them.
locals {
  raw = jsondecode(data.entrupy_authentication.by_sku.raw_json)
}

output "unmodelled" {
  value = {
    category = try(local.raw.properties.category, local.raw.properties.category_name, null)
    notes    = try(local.raw.text_fields.notes_for_certificate, null)
  }
}

# Catalog data (product information, condition assessment, marketplace
# listings) for a listing pipeline: null when Entrupy has no catalog match.
# Its strings are display strings that may change; prices are the API's
# decimal strings, local to each listing's region.
data "entrupy_authentication" "listing" {
  customer_item_id = "SKU-01000"
  include_catalog  = true
}

locals {
  catalog = data.entrupy_authentication.listing.catalog
}

resource "terraform_data" "listing_input" {
  input = local.catalog == null ? null : {
    entrupy_id = data.entrupy_authentication.listing.entrupy_id
    title      = "${local.catalog.product_information.brand} ${local.catalog.product_information.style}"
    colorway   = local.catalog.product_information.colorway
    rating     = try(local.catalog.condition_assessment.rating, null)
    issues     = try(local.catalog.condition_assessment.issues, [])
    comparables = [
      for l in local.catalog.marketplace_listings : {
        platform = l.platform
        url      = l.url
        price    = "${l.price} ${l.currency}"
        region   = l.region
      }
    ]
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

output "us_listing_prices" {
  value = {
    for id, a in data.entrupy_authentication.catalog : id => a.catalog == null ? [] : [
      for l in a.catalog.marketplace_listings : l.price if l.currency == "USD"
    ]
  }
}
