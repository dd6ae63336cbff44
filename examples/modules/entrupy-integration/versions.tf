terraform {
  required_version = ">= 1.11"
  required_providers {
    entrupy = {
      source = "entrupy/entrupy"
    }
  }
}
