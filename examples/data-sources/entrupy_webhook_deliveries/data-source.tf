# The last delivery attempts of a webhook, newest first.
data "entrupy_webhook_deliveries" "orders" {
  webhook_id = "wh_3f9a0c1d2e4b5a67"
  max_items  = 10
}

# Warn when the receiver did not take the last delivery. HCP Terraform's
# health assessments run check blocks continuously.
check "orders_receiver" {
  assert {
    condition     = length(data.entrupy_webhook_deliveries.orders.deliveries) == 0 || data.entrupy_webhook_deliveries.orders.deliveries[0].status == "succeeded"
    error_message = "The last delivery to the orders webhook did not succeed: ${jsonencode(try(data.entrupy_webhook_deliveries.orders.deliveries[0], {}))}"
  }
}
