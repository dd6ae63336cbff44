# users.tfquery.hcl: `terraform query` (Terraform 1.14+) lists the account's
# active SDK users; `terraform query -generate-config-out=generated.tf`
# writes a resource block and an import block for each.
list "entrupy_integration_user" "stores" {
  provider         = entrupy
  include_resource = true

  config {
    email_domain          = "shop.example.com"
    unique_user_id_prefix = "store-"
  }
}
