# An integration user is imported by its unique_user_id, for example one that
# already logged in through the SDK.
terraform import entrupy_integration_user.store_tokyo store-tokyo-01

# The Entrupy username (<Organization>-<unique_user_id>) is accepted too, and
# resolved to the unique_user_id.
terraform import entrupy_integration_user.store_tokyo Acme-store-tokyo-01
