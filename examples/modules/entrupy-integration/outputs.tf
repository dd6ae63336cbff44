output "webhook_id" {
  description = "ID of the environment's webhook."
  value       = entrupy_webhook.this.id
}

output "usernames" {
  description = "Entrupy usernames of the environment's users, by unique_user_id: what searches and webhook scoping take."
  value       = { for id, u in entrupy_integration_user.this : id => u.username }
}
