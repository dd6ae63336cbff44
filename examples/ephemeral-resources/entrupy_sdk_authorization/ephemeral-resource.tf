# In a device-test pipeline: sign the request a test device generated and log
# the device in, without the signed request ever reaching plan or state
# (Terraform 1.10+).
variable "device_sdk_request" {
  type      = string
  sensitive = true
  ephemeral = true
}

# Signing never creates or changes a user: manage the user, and refer to its
# id so that signing waits until the user exists. Each plan and apply signs
# afresh (a signed request is usable once).
resource "entrupy_integration_user" "qa_device" {
  unique_user_id = "qa-device-01"
  email          = "qa@shop.example.com"
}

ephemeral "entrupy_sdk_authorization" "test_device" {
  sdk_authorization_request = var.device_sdk_request
  unique_user_id            = entrupy_integration_user.qa_device.id
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
