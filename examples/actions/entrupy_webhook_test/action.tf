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

# caller is the resource whose trigger runs the action (Terraform 1.16+; on
# 1.14 and 1.15 write webhook_id = entrupy_webhook.orders.id).
action "entrupy_webhook_test" "orders" {
  config {
    webhook_id = caller.id
    event      = "session.completed"
  }
}

variable "webhook_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}
