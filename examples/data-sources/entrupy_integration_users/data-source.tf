# Every active user of the company's own stores.
data "entrupy_integration_users" "stores" {
  email_suffix = "@shop.example.com"
}

output "store_usernames" {
  value = data.entrupy_integration_users.stores.usernames
}
