variable "environment" {
  description = "Environment name, e.g. staging or production: it names the webhook and prefixes nothing else."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.environment))
    error_message = "environment must be 2 to 31 characters of lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "receiver_url" {
  description = "Where Entrupy delivers this environment's events (https://; http:// only for a loopback test receiver)."
  type        = string

  validation {
    condition     = can(regex("^https://", var.receiver_url)) || can(regex("^http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?(/|$)", var.receiver_url))
    error_message = "receiver_url must start with https:// (or http://127.0.0.1 / http://localhost for tests)."
  }
}

variable "webhook_secret" {
  description = "Signing secret of the webhook. Ephemeral: it reaches Entrupy through the write-only secret_wo and is kept in neither plan nor state."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "webhook_secret_version" {
  description = "Bump to rotate webhook_secret."
  type        = number
  default     = 1
}

variable "events" {
  description = "Events the environment's webhook receives."
  type        = set(string)
  default     = ["session.completed", "support.message", "certificate.transfer"]
}

variable "users" {
  description = "SDK users to provision, keyed by unique_user_id (8–40 characters of A-Za-z0-9@.+_-)."
  type = map(object({
    email      = string
    first_name = optional(string)
    last_name  = optional(string)
  }))
  default = {}
}
