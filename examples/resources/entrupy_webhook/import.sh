# A webhook is imported by its ID (list them with the entrupy_webhooks data source).
# The API never returns the secret: the next apply sends the configured one.
terraform import entrupy_webhook.production wh_0123456789abcdef
