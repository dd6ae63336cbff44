# In a device-test pipeline: sign the request a test device generated, without
# the signed request ever reaching plan or state (Terraform 1.10+).
variable "device_sdk_request" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "entrupy_sdk_authorization" "test_device" {
  sdk_authorization_request = var.device_sdk_request
  unique_user_id            = "qa-device-01"
  email                     = "qa@shop.example.com"
}

# Hand it to something that accepts ephemeral values, such as a write-only
# attribute or another provider's configuration.
provider "example" {
  device_login = ephemeral.entrupy_sdk_authorization.test_device.signed_authorization_request
}
