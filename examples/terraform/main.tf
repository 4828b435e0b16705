# Part of the example platform (examples/china-platform.yaml) as Terraform: the
# owner-facing data stores on Alibaba Cloud in Shanghai, a disaster-recovery copy in
# Beijing (a second mainland region, through a provider alias), and the landing
# bucket of the global data lake in Frankfurt (an aws provider alias, passed to a
# module). manifest.yaml names these resources; plan.json is the plan of this
# configuration (README.md says how it was made).

terraform {
  required_version = ">= 1.5"
  required_providers {
    alicloud = {
      source  = "aliyun/alicloud"
      version = "~> 1.240"
    }
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}

variable "region" {
  description = "The mainland region of the owner-facing stack"
  type        = string
  default     = "cn-shanghai"
}

variable "document_buckets" {
  description = "Owner document stores, one bucket each"
  type        = set(string)
  default     = ["contracts", "invoices"]
}

provider "alicloud" {
  region = var.region
}

# Disaster recovery in a second mainland region (instead of the group vault in
# Singapore): the backups stay in the mainland.
provider "alicloud" {
  alias  = "beijing"
  region = "cn-beijing"
}

# The global side: the group data lake's account, in Frankfurt.
provider "aws" {
  alias  = "global"
  region = "eu-central-1"
}

resource "alicloud_vpc" "main" {
  vpc_name   = "china-platform"
  cidr_block = "10.10.0.0/16"
}

resource "alicloud_vswitch" "data" {
  vswitch_name = "china-platform-data"
  vpc_id       = alicloud_vpc.main.id
  cidr_block   = "10.10.1.0/24"
  zone_id      = "cn-shanghai-l"
}

resource "alicloud_db_instance" "owner" {
  instance_name            = "vehicle-owner-db"
  engine                   = "MySQL"
  engine_version           = "8.0"
  instance_type            = "mysql.n4.large.2"
  instance_storage         = 200
  db_instance_storage_type = "cloud_essd"
  zone_id                  = "cn-shanghai-l"
  vswitch_id               = alicloud_vswitch.data.id
  security_ips             = ["10.10.0.0/16"]
  deletion_protection      = true
}

resource "alicloud_db_instance" "dealer" {
  instance_name            = "dealer-db"
  engine                   = "MySQL"
  engine_version           = "8.0"
  instance_type            = "mysql.n2.medium.2"
  instance_storage         = 100
  db_instance_storage_type = "cloud_essd"
  zone_id                  = "cn-shanghai-l"
  vswitch_id               = alicloud_vswitch.data.id
  security_ips             = ["10.10.0.0/16"]
  deletion_protection      = true
}

resource "alicloud_kvstore_instance" "sessions" {
  db_instance_name = "owner-sessions"
  instance_class   = "redis.master.small.default"
  engine_version   = "7.0"
  zone_id          = "cn-shanghai-l"
  vswitch_id       = alicloud_vswitch.data.id
}

resource "alicloud_oss_bucket" "documents" {
  for_each        = var.document_buckets
  bucket          = "northwind-cn-${each.key}"
  storage_class   = "Standard"
  redundancy_type = "ZRS"

  versioning {
    status = "Enabled"
  }

  server_side_encryption_rule {
    sse_algorithm = "KMS"
  }
}

resource "alicloud_oss_bucket" "owner_backup" {
  provider      = alicloud.beijing
  bucket        = "northwind-cn-owner-backup"
  storage_class = "IA"

  versioning {
    status = "Enabled"
  }
}

module "global_export" {
  source = "./modules/export-bucket"
  bucket = "northwind-global-quality-landing"

  providers = {
    aws = aws.global
  }
}
