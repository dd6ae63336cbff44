# Provision an SDK user before the first login on a device.
resource "entrupy_integration_user" "store_tokyo" {
  unique_user_id = "store-tokyo-01"
  email          = "tokyo@shop.example.com"
  first_name     = "Tokyo" # shown on certificates; fixed once the user exists
  last_name      = "Store"
}

# The Entrupy username, for searches and webhook scoping.
output "store_tokyo_username" {
  value = entrupy_integration_user.store_tokyo.username # "<Organization>-store-tokyo-01"
}
