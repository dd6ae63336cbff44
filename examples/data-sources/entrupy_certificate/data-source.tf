# The certificate of an authentication, with its current holder.
data "entrupy_certificate" "bag" {
  entrupy_id = "1SALEFYH"
}

# Or directly by certificate ID.
data "entrupy_certificate" "by_id" {
  certificate_id = "C-1SALEFYH"
}

output "bag_certificate" {
  value = {
    url        = data.entrupy_certificate.bag.site
    holder     = data.entrupy_certificate.bag.holder.name
    transfer   = try(data.entrupy_certificate.bag.transfer.status, "never transferred")
    serial     = data.entrupy_certificate.bag.serial_number
    authentics = data.entrupy_certificate.bag.authenticated_at
  }
}
