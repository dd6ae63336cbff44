# webhooks.tfquery.hcl: `terraform query` (Terraform 1.14+) lists the
# account's webhooks; `terraform query -generate-config-out=generated.tf`
# writes a resource block and an import block for each.
list "entrupy_webhook" "production" {
  provider         = entrupy
  include_resource = true # full resource blocks in generated configuration

  config {
    url_prefix = "https://hooks.example.com/"
    events     = ["session.completed", "support.message"] # any of them
    enabled    = true
  }
}

# The webhooks scoped to one SDK user.
list "entrupy_webhook" "store_tokyo" {
  provider = entrupy

  config {
    username = "Acme-store-tokyo-01"
  }
}
