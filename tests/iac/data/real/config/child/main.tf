variable "name" {
  type = string
}

resource "terraform_data" "inner" {
  input = var.name
}
