"""The Terraform catalog (guardrails/cn/catalog/terraform.yaml and
steer.analysis.tfcatalog): it loads under its schema and under the pack loader, covers
the providers and data-holding types the issue names, speaks the ids of clouds.yaml,
and a user's file of the same shape extends it type by type."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

from iacsupport import CATALOG, TERRAFORM
from steer.analysis.tfcatalog import (
    SCHEMA,
    ResourceType,
    catalog_from_data,
    load_catalog,
    merge,
)
from steer.errors import PackError
from steer.packs.loader import load_packs

CLOUDS = yaml.safe_load((CATALOG / "clouds.yaml").read_text("utf-8"))["providers"]

# The list, provider by provider (RDS/PolarDB/MongoDB/Redis/OSS/Table
# Store/Log Service/NAS; CDB/COS/Redis/CLS; RDS/OBS/DCS; RDS/S3/DynamoDB/ElastiCache/
# EFS/Backup; SQL/Storage/Cosmos).
NAMED = {
    "alibaba-cloud": [
        "alicloud_db_instance",
        "alicloud_polardb_cluster",
        "alicloud_mongodb_instance",
        "alicloud_kvstore_instance",
        "alicloud_oss_bucket",
        "alicloud_ots_instance",
        "alicloud_log_project",
        "alicloud_log_store",
        "alicloud_nas_file_system",
    ],
    "tencent-cloud": [
        "tencentcloud_mysql_instance",
        "tencentcloud_cos_bucket",
        "tencentcloud_redis_instance",
        "tencentcloud_cls_logset",
        "tencentcloud_cls_topic",
    ],
    "huawei-cloud": [
        "huaweicloud_rds_instance",
        "huaweicloud_obs_bucket",
        "huaweicloud_dcs_instance",
    ],
    "aws": [
        "aws_db_instance",
        "aws_rds_cluster",
        "aws_s3_bucket",
        "aws_dynamodb_table",
        "aws_elasticache_cluster",
        "aws_elasticache_replication_group",
        "aws_efs_file_system",
        "aws_backup_vault",
        "aws_sqs_queue",
        "aws_kinesis_stream",
        "aws_cloudwatch_log_group",
    ],
    "azure": [
        "azurerm_mssql_server",
        "azurerm_mssql_database",
        "azurerm_storage_account",
        "azurerm_cosmosdb_account",
        "azurerm_redis_cache",
    ],
    "google-cloud": ["google_sql_database_instance", "google_storage_bucket"],
}


@pytest.mark.parametrize("provider", sorted(NAMED))
def test_the_named_data_holding_types_are_catalogued(provider: str) -> None:
    for name in NAMED[provider]:
        assert TERRAFORM.resource_type(provider, name) == ResourceType("datastore", True), name


def test_every_provider_is_a_cloud_of_clouds_yaml() -> None:
    assert set(TERRAFORM.types) <= set(CLOUDS)
    assert {p.provider for p in TERRAFORM.partitions.values()} <= set(CLOUDS)
    # the China partition of AWS: the catalog keys it under aws, by region
    assert CLOUDS["aws"]["regions"]["cn-northwest-1"]["partition"] == "aws-cn"
    assert TERRAFORM.partitions["aws-cn"].jurisdiction == "CN"


def test_kinds_for_the_draft() -> None:
    assert TERRAFORM.resource_type("aws", "aws_cloudfront_distribution") == ResourceType(
        "cdn", False
    )
    assert TERRAFORM.resource_type("alibaba-cloud", "alicloud_cen_instance") == ResourceType(
        "relay", False
    )
    assert TERRAFORM.resource_type("aws", "aws_lambda_function") == ResourceType("service", False)
    assert TERRAFORM.resource_type("aws", "aws_iam_role") is None
    assert TERRAFORM.resource_type(None, "aws_s3_bucket") is None


def test_the_pack_loader_reads_it_and_the_pack_catalogs_give_the_same_catalog() -> None:
    catalogs = load_packs(["cn"]).catalogs
    assert "terraform_providers" in catalogs and "arn_partitions" in catalogs
    assert catalog_from_data(catalogs, "cn") == TERRAFORM


def test_the_schema_is_a_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_a_user_file_extends_and_overrides_type_by_type(tmp_path: Path) -> None:
    extra = tmp_path / "terraform.yaml"
    extra.write_text(
        "terraform_providers:\n"
        "  aws:\n"
        "    sources: [acme/aws-internal]\n"
        "    resources:\n"
        "      aws_timestreamwrite_database: {kind: datastore, data: true}\n"
        "      aws_sqs_queue: {kind: service}          # ours carry no payloads\n"
        "  volcengine:\n"
        "    resources:\n"
        "      volcengine_vke_cluster: {kind: service}\n",
        encoding="utf-8",
    )
    merged = merge(TERRAFORM, load_catalog(extra))
    assert merged.resource_type("aws", "aws_timestreamwrite_database") == ResourceType(
        "datastore", True
    )
    assert merged.resource_type("aws", "aws_sqs_queue") == ResourceType("service", False)
    assert merged.resource_type("aws", "aws_s3_bucket") == ResourceType("datastore", True)  # kept
    assert merged.resource_type("volcengine", "volcengine_tos_bucket") is not None
    assert merged.resource_type("volcengine", "volcengine_vke_cluster") == ResourceType(
        "service", False
    )
    assert merged.provider_of("registry.terraform.io/acme/aws-internal") == "aws"
    # the built-in catalog is unchanged
    assert TERRAFORM.resource_type("aws", "aws_sqs_queue") == ResourceType("datastore", True)


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        (
            "terraform_providers:\n  aws:\n    resources:\n      aws_x: {kind: database}\n",
            4,
            21,
            "'database' is not one of",
        ),
        ("terraform_provider:\n  aws: {}\n", 1, 1, "'terraform_provider' was unexpected"),
        (
            "terraform_providers:\n  aws:\n    resources:\n"
            "      aws_x: {kind: service}\n      aws_x: {kind: cdn}\n",
            5,
            7,
            "duplicate key 'aws_x'",
        ),
        ("terraform_providers:\n  aws: [\n", 3, 1, "not valid YAML"),
        (
            "arn_partitions:\n  aws-cn: {provider: aws}\n",
            2,
            11,
            "'jurisdiction' is a required property",
        ),
    ],
)
def test_a_broken_user_file_is_a_located_pack_error(
    tmp_path: Path, text: str, line: int, column: int, fragment: str
) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PackError) as info:
        load_catalog(path, "mine.yaml")
    assert info.value.mark is not None
    assert (info.value.mark.line, info.value.mark.column) == (line, column), str(info.value)
    assert fragment in info.value.message
