# An integration user is imported by its unique_user_id, for example one that
# already logged in through the SDK.
terraform import entrupy_integration_user.store_tokyo store-tokyo-01
