# The token is best kept out of configuration: leave api_token out and set
# ENTRUPY_API_TOKEN in the environment (and ENTRUPY_BASE_URL for the emulator).
provider "entrupy" {
  # api_token         = var.entrupy_api_token # or ENTRUPY_API_TOKEN
  api_version         = "2"
  accept_language     = "en"
  max_retries         = 4
  requests_per_second = 10
  request_timeout     = "60s"
}
