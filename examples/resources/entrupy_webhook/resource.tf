# The signing secret comes from an ephemeral variable (Terraform 1.10+), so it
# is in neither plan nor state; secret_wo is write-only (Terraform 1.11+).
variable "entrupy_webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "entrupy_webhook" "production" {
  url         = "https://hooks.example.com/entrupy"
  events      = ["session.completed", "support.message", "certificate.transfer"]
  description = "production"

  secret_wo         = var.entrupy_webhook_secret
  secret_wo_version = 1 # bump together with a new secret to rotate it
}

# Deliveries for one SDK user only; changing the user replaces the webhook.
# Refer to the user's resource: its username is "<Organization>-<unique_user_id>",
# and the reference also creates the user before the webhook.
resource "entrupy_integration_user" "store_tokyo" {
  unique_user_id = "store-tokyo-01"
  email          = "tokyo@shop.example.com"
}

resource "entrupy_webhook" "one_store" {
  url      = "https://hooks.example.com/entrupy/store-tokyo"
  events   = ["session.completed"]
  username = entrupy_integration_user.store_tokyo.username
  enabled  = false # paused: nothing is delivered

  secret_wo         = var.entrupy_webhook_secret
  secret_wo_version = 1
}
