# A webhook is imported by its ID (list them with the entrupy_webhooks data source).
# The API never returns the secret: it stays as Entrupy has it until the
# configuration sets secret_wo with secret_wo_version (or secret).
terraform import entrupy_webhook.production wh_0123456789abcdef

# Or by its URL, when exactly one webhook delivers to it.
terraform import entrupy_webhook.production https://hooks.example.com/entrupy
