import {
  to = entrupy_integration_user.store_tokyo
  id = "store-tokyo-01"
}
