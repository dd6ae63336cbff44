data "entrupy_catalog" "values" {}

# Validate your own inputs against Entrupy's value listing.
variable "brand" {
  type    = string
  default = "louis_vuitton"
}

resource "terraform_data" "brand_check" {
  input = var.brand
  lifecycle {
    precondition {
      condition     = contains(flatten(values(data.entrupy_catalog.values.brand_ids)), var.brand)
      error_message = "Unknown Entrupy brand ${var.brand}."
    }
  }
}

# Render a brand → materials table.
output "luxury_materials" {
  value = {
    for b in data.entrupy_catalog.values.brands : b.display => [for m in b.materials : m.display]
    if b.product_category == "luxury"
  }
}
