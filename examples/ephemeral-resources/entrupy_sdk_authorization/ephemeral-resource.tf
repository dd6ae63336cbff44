# In a device-test pipeline: sign the request a test device generated and log
# the device in, without the signed request ever reaching plan or state
# (Terraform 1.10+).
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

# Ephemeral values may go to provisioners, provider configurations and
# write-only attributes (not to ordinary arguments); here a script hands the
# signed request to the device under test when the pipeline first applies.
resource "terraform_data" "device_login" {
  provisioner "local-exec" {
    command = "./scripts/login-test-device.sh"
    environment = {
      ENTRUPY_SIGNED_REQUEST = ephemeral.entrupy_sdk_authorization.test_device.signed_authorization_request
    }
  }
}
