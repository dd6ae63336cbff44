import {
  to = entrupy_webhook.production
  id = "wh_0123456789abcdef"
}
