# Resources of the built-in terraform_data type only: no provider to download, so
# a real Terraform or OpenTofu can plan it anywhere (tests/iac/test_real_terraform.py).
variable "region" {
  type    = string
  default = "cn-shanghai"
}

variable "copies" {
  type    = number
  default = 2
}

resource "terraform_data" "one" {
  input = var.region
}

resource "terraform_data" "each" {
  for_each = toset(["eu", "cn"])
  input    = each.key
}

resource "terraform_data" "counted" {
  count = var.copies
  input = count.index
}

module "child" {
  source = "./child"
  name   = "x"
}

output "region" {
  value = terraform_data.one.output
}
