data "entrupy_webhook" "production" {
  id = "wh_0123456789abcdef"
}

output "production_webhook_url" {
  value = data.entrupy_webhook.production.url
}
