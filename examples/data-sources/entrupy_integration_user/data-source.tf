# A user created by the SDK (not by Terraform): find its Entrupy username.
data "entrupy_integration_user" "reseller" {
  unique_user_id = "reseller-05"
}

output "reseller_username" {
  value = data.entrupy_integration_user.reseller.username
}
