# Every webhook of the account that delivers session.completed and is enabled.
data "entrupy_webhooks" "results" {
  event   = "session.completed"
  enabled = true
}

output "result_receivers" {
  value = [for w in data.entrupy_webhooks.results.webhooks : "${w.description}: ${w.url}"]
}
