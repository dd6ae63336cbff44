# One Entrupy environment: a webhook with a write-only secret, and the SDK
# users the environment's stores log in with.

resource "entrupy_webhook" "this" {
  url         = var.receiver_url
  events      = var.events
  description = var.environment

  secret_wo         = var.webhook_secret
  secret_wo_version = var.webhook_secret_version
}

resource "entrupy_integration_user" "this" {
  for_each = var.users

  unique_user_id = each.key
  email          = each.value.email
  first_name     = each.value.first_name
  last_name      = each.value.last_name
}
