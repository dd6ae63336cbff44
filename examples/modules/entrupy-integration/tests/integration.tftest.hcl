# Run by `make test` (scripts/module-test.sh) against the Entrupy emulator,
# with the provider from this repository via dev_overrides.

variables {
  environment    = "staging"
  receiver_url   = "https://hooks.example.com/staging"
  webhook_secret = "tftest-secret"
  users = {
    "tftest-user-01" = { email = "one@example.com", first_name = "One" }
    "tftest-user-02" = { email = "two@example.com" }
  }
}

run "creates_the_environment" {
  assert {
    condition     = startswith(output.webhook_id, "wh_")
    error_message = "the webhook id should start with wh_"
  }
  assert {
    condition     = length(output.usernames) == 2
    error_message = "both users should be created"
  }
  assert {
    condition     = output.usernames["tftest-user-01"] == "Acme-tftest-user-01"
    error_message = "usernames are <Organization>-<unique_user_id>"
  }
  assert {
    condition     = entrupy_webhook.this.description == "staging" && entrupy_webhook.this.enabled
    error_message = "the webhook should be named after the environment and enabled"
  }
  assert {
    condition     = entrupy_integration_user.this["tftest-user-01"].first_name == "One" && entrupy_integration_user.this["tftest-user-02"].first_name == null
    error_message = "names are passed through, and absent names stay null"
  }
}

run "rejects_a_plain_http_receiver" {
  command = plan
  variables {
    receiver_url = "http://hooks.example.com/insecure"
  }
  expect_failures = [var.receiver_url]
}

run "rejects_a_bad_environment_name" {
  command = plan
  variables {
    environment = "Production!"
  }
  expect_failures = [var.environment]
}
