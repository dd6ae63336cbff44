# The journey of a platform team, as `make demo` runs it against the local
# emulator: one module instance per environment (a webhook with a write-only
# secret, and the environment's SDK users), then a search of what those users
# authenticated, with a certificate summary.
terraform {
  required_version = ">= 1.11"
  required_providers {
    entrupy = {
      source = "entrupy/entrupy"
    }
  }
}

# Configured from ENTRUPY_BASE_URL and ENTRUPY_API_TOKEN, which make demo
# points at the emulator it starts.
provider "entrupy" {}

variable "webhook_secret" {
  description = "Signing secret of both webhooks (make demo sets TF_VAR_webhook_secret). Ephemeral: never in plan or state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "receiver_base_url" {
  description = "Base URL of the receivers; each environment appends its name."
  type        = string
  default     = "https://hooks.example.com/entrupy"
}

module "staging" {
  source = "../modules/entrupy-integration"

  environment    = "staging"
  receiver_url   = "${var.receiver_base_url}/staging"
  webhook_secret = var.webhook_secret
  events         = ["session.completed"]
  users = {
    "qa-tester-01" = { email = "qa@shop.example.com", first_name = "QA" }
  }
}

module "production" {
  source = "../modules/entrupy-integration"

  environment    = "production"
  receiver_url   = "${var.receiver_base_url}/production"
  webhook_secret = var.webhook_secret
  users = {
    # The emulator's built-in authentications were made by these stores.
    "store-tokyo-01" = { email = "tokyo@shop.example.com", first_name = "Tokyo", last_name = "Store" }
    "store-paris-02" = { email = "paris@shop.example.com", first_name = "Paris", last_name = "Store" }
  }
}

# Everything the production stores authenticated, newest first.
data "entrupy_authentications" "production" {
  usernames = values(module.production.usernames)
  max_items = 200
}

locals {
  authentic = [for it in data.entrupy_authentications.production.items : it if it.status.result.id == "authentic"]
}

# Holder and transfer status of the newest certificate.
data "entrupy_certificate" "newest" {
  entrupy_id = local.authentic[0].entrupy_id
}

output "webhook_ids" {
  description = "Webhook ID per environment."
  value       = { staging = module.staging.webhook_id, production = module.production.webhook_id }
}

output "usernames" {
  description = "Entrupy usernames per environment."
  value       = { staging = module.staging.usernames, production = module.production.usernames }
}

output "certificate_summary" {
  description = "Certificates of the production stores' authentic items."
  value = {
    authentications = data.entrupy_authentications.production.total_count
    authentic       = length(local.authentic)
    newest = {
      certificate_id = data.entrupy_certificate.newest.certificate_id
      brand          = data.entrupy_certificate.newest.brand.display
      holder         = data.entrupy_certificate.newest.holder.name
      transfer       = try(data.entrupy_certificate.newest.transfer.status, "never transferred")
      site           = data.entrupy_certificate.newest.site
    }
  }
}

output "summary" {
  description = "Everything above as a table (make demo prints it)."
  value = join("\n", concat(
    [format("%-12s %-22s %s", "ENVIRONMENT", "WEBHOOK", "USERS")],
    [for env, m in { staging = module.staging, production = module.production } :
    format("%-12s %-22s %s", env, m.webhook_id, join(", ", values(m.usernames)))],
    ["", format("%-10s %-20s %-17s %-9s %s", "ENTRUPY ID", "BRAND", "RESULT", "OWNER", "CERTIFICATE")],
    # Entrupy's v2 items carry no result display and name the owner by id
    # (make demo ITEM_SHAPES=mixed): fall back to the id.
    [for it in data.entrupy_authentications.production.items :
      format("%-10s %-20s %-17s %-9s %s", it.entrupy_id, it.properties.brand.display, coalesce(it.status.result.display, it.status.result.id),
    trimprefix(coalesce(it.owner.username, it.owner.user_id), "Acme-store-"), try(it.certificate.site, "-"))],
    ["", format("%d authentications, %d authentic. Newest certificate %s (%s): held by %s, %s.",
      data.entrupy_authentications.production.total_count, length(local.authentic),
      data.entrupy_certificate.newest.certificate_id, data.entrupy_certificate.newest.brand.display,
    data.entrupy_certificate.newest.holder.name, try("transfer ${data.entrupy_certificate.newest.transfer.status}", "never transferred"))]
  ))
}
