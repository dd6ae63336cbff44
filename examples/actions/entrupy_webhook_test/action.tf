# After the webhook is created, and after every change (a rotated secret),
# send it one test delivery: the apply fails unless the receiver answers 2xx.
resource "entrupy_webhook" "orders" {
  url               = "https://hooks.example.com/entrupy"
  events            = ["session.completed", "support.message"]
  secret_wo         = var.webhook_secret
  secret_wo_version = 1

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.entrupy_webhook_test.orders]
    }
  }
}

action "entrupy_webhook_test" "orders" {
  config {
    webhook_id = entrupy_webhook.orders.id
    event      = "session.completed"
  }
}

variable "webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
