"""Where each resource runs (steer.analysis.infrastructure): providers to catalog ids,
the region from the provider configuration (aliases, module scopes, variables) or
from the resource's own attributes, the jurisdiction from the same catalog as a
manifest's, and never a guess when the plan does not say."""

from __future__ import annotations

import pytest

from iacsupport import DATA, EXAMPLE, REGIONS, TERRAFORM, by_address, read
from steer.analysis.infrastructure import resources_of
from steer.loading.tfjson import read_tf_json
from tfplan import Plan, Ref, Var, state


def one(plan: Plan, address: str) -> tuple[str | None, str | None, str | None, str]:
    r = by_address(read(plan.to_dict()))[address]
    return r.provider, r.region, r.jurisdiction, r.determined_by


# -- providers ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("registry.terraform.io/aliyun/alicloud", "alibaba-cloud"),
        ("registry.terraform.io/hashicorp/alicloud", "alibaba-cloud"),
        ("registry.opentofu.org/aliyun/alicloud", "alibaba-cloud"),
        ("mirror.example.com/acme/alicloud", "alibaba-cloud"),  # a fork or a renamed mirror
        ("registry.terraform.io/tencentcloudstack/tencentcloud", "tencent-cloud"),
        ("registry.terraform.io/huaweicloud/huaweicloud", "huawei-cloud"),
        ("registry.terraform.io/hashicorp/aws", "aws"),
        ("registry.opentofu.org/hashicorp/aws", "aws"),
        ("registry.terraform.io/hashicorp/azurerm", "azure"),
        ("registry.terraform.io/hashicorp/google", "google-cloud"),
        ("registry.terraform.io/hashicorp/google-beta", "google-cloud"),
        ("registry.terraform.io/baidubce/baiducloud", "baidu-cloud"),
        ("registry.terraform.io/volcengine/volcengine", "volcengine"),
        ("registry.terraform.io/hashicorp/random", None),
        ("terraform.io/builtin/terraform", None),
    ],
)
def test_provider_sources_map_to_catalog_ids(source: str, expected: str | None) -> None:
    assert TERRAFORM.provider_of(source) == expected


# -- the provider configuration -----------------------------------------------------------
def test_region_from_a_constant_an_alias_and_a_variable() -> None:
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region=Var("region"))
    plan.provider("alicloud", "aliyun/alicloud", alias="beijing", region="cn-beijing")
    plan.provider("aws", "hashicorp/aws", alias="global", region="eu-central-1")
    plan.variable("region", "cn-shanghai")
    plan.resource("alicloud_db_instance.owner")
    plan.resource("alicloud_oss_bucket.backup", provider="alicloud.beijing")
    plan.resource("aws_s3_bucket.lake", provider="aws.global")
    assert one(plan, "alicloud_db_instance.owner")[:3] == ("alibaba-cloud", "cn-shanghai", "CN")
    assert "var.region = 'cn-shanghai'" in one(plan, "alicloud_db_instance.owner")[3]
    assert one(plan, "alicloud_oss_bucket.backup")[:3] == ("alibaba-cloud", "cn-beijing", "CN")
    assert "alicloud.beijing" in one(plan, "alicloud_oss_bucket.backup")[3]
    assert one(plan, "aws_s3_bucket.lake")[:3] == ("aws", "eu-central-1", "DE")


def test_a_map_variable_indexed_in_the_provider_configuration() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", region=Ref(('var.regions["crm"]', "var.regions")))
    plan.variable("regions", {"crm": "ap-southeast-1"})
    plan.resource("aws_s3_bucket.crm")
    assert one(plan, "aws_s3_bucket.crm")[:3] == ("aws", "ap-southeast-1", "SG")


def test_module_scoped_provider_configurations() -> None:
    """A provider block inside a module (key module.crm:aws) sets its region from the
    module's variable, which the module call passes from a root variable; another
    module's variable falls back to its default."""
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", module="module.crm", region=Var("region"))
    plan.provider("aws", "hashicorp/aws", module="module.lake", region=Var("region"))
    plan.module("crm", {"region": Var("crm_region")})
    plan.module("lake", defaults={"region": "eu-west-1"})
    plan.variable("crm_region", "us-east-1")
    plan.resource("module.crm.aws_s3_bucket.export", provider="module.crm:aws")
    plan.resource("module.lake.aws_s3_bucket.raw", provider="module.lake:aws")
    provider, region, jurisdiction, how = one(plan, "module.crm.aws_s3_bucket.export")
    assert (provider, region, jurisdiction) == ("aws", "us-east-1", "US")
    assert "aws (module.crm)" in how and "var.crm_region = 'us-east-1'" in how
    assert one(plan, "module.lake.aws_s3_bucket.raw")[:3] == ("aws", "eu-west-1", "IE")


def test_an_inherited_provider_whose_key_the_plan_does_not_list() -> None:
    """Older Terraform gave a module's resources their own key (module.x:alicloud) even
    when the provider came from the root: the root configuration is the one used."""
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shenzhen")
    plan.resource("module.x.alicloud_oss_bucket.b", provider="module.x:alicloud")
    assert one(plan, "module.x.alicloud_oss_bucket.b")[:3] == ("alibaba-cloud", "cn-shenzhen", "CN")


def test_for_each_and_count_instances_use_their_configuration() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", alias="global", region="eu-central-1")
    plan.resource('aws_s3_bucket.x["eu"]', provider="aws.global")
    plan.resource('module.m["a.b"].aws_s3_bucket.y[0]', provider="aws.global")
    resources = by_address(read(plan.to_dict()))
    eu = resources['aws_s3_bucket.x["eu"]']
    assert (eu.index, eu.name, eu.module, eu.region) == ("eu", "x", "", "eu-central-1")
    nested = resources['module.m["a.b"].aws_s3_bucket.y[0]']
    assert (nested.index, nested.module, nested.region) == (0, 'module.m["a.b"]', "eu-central-1")
    assert nested.config_address == "module.m.aws_s3_bucket.y"


@pytest.mark.parametrize(
    ("region", "reason"),
    [
        (None, "ALICLOUD_REGION"),  # the provider's default comes from the environment
        (Ref(("local.region",)), "local.region, which the plan does not resolve"),
        (Var("missing"), "var.missing, which the plan does not resolve"),
        (
            Ref(("data.alicloud_regions.current.regions[0].id", "data.alicloud_regions.current")),
            "data.",
        ),
    ],
)
def test_an_unresolved_provider_region_is_undetermined(
    region: str | Ref | Var | None, reason: str
) -> None:
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region=region)
    plan.resource("alicloud_db_instance.owner", {"engine": "MySQL"})
    provider, found, jurisdiction, how = one(plan, "alicloud_db_instance.owner")
    assert (provider, found, jurisdiction) == ("alibaba-cloud", None, None)
    assert reason in how


def test_a_module_argument_from_each_value_is_undetermined() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", module="module.shard", region=Var("region"))
    plan.module("shard", {"region": Ref(("each.value",))})
    plan.resource('module.shard["a"].aws_s3_bucket.b', provider="module.shard:aws")
    assert one(plan, 'module.shard["a"].aws_s3_bucket.b')[1:3] == (None, None)


# -- the resource's own attributes ---------------------------------------------------------
def test_the_resource_region_argument_overrides_the_provider() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", region="cn-northwest-1")
    plan.resource("aws_s3_bucket.export", {"region": "us-west-2"})
    assert one(plan, "aws_s3_bucket.export")[:3] == ("aws", "us-west-2", "US")


def test_a_region_argument_known_only_after_apply_is_undetermined() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", region="cn-northwest-1")
    plan.resource(
        "aws_s3_bucket.export",
        unknown=("id", "region"),
        expressions={
            "region": {"references": ["aws_ssm_parameter.r.value", "aws_ssm_parameter.r"]}
        },
    )
    _provider, region, jurisdiction, how = one(plan, "aws_s3_bucket.export")
    assert (region, jurisdiction) == (None, None)
    assert "known only after apply" in how
    # computed, but not set in the configuration: the provider's region it is
    plan.resources[-1].expressions = {}
    assert one(plan, "aws_s3_bucket.export")[1:3] == ("cn-northwest-1", "CN")


@pytest.mark.parametrize(
    ("address", "source", "values", "expected"),
    [
        (
            "azurerm_storage_account.a",
            "hashicorp/azurerm",
            {"location": "China East 2"},
            ("chinaeast2", "CN"),
        ),
        (
            "azurerm_cosmosdb_account.a",
            "hashicorp/azurerm",
            {"location": "chinanorth3"},
            ("chinanorth3", "CN"),
        ),
        (
            "azurerm_storage_account.b",
            "hashicorp/azurerm",
            {"location": "East Asia"},
            ("eastasia", "HK"),
        ),
        (
            "google_storage_bucket.a",
            "hashicorp/google",
            {"location": "EUROPE-WEST3"},
            ("europe-west3", "DE"),
        ),
        (
            "google_storage_bucket.b",
            "hashicorp/google",
            {"location": "ASIA-EAST2"},
            ("asia-east2", "HK"),
        ),
        (
            "alicloud_oss_bucket.a",
            "aliyun/alicloud",
            {"location": "oss-cn-hongkong"},
            ("cn-hongkong", "HK"),
        ),
        (
            "alicloud_db_instance.a",
            "aliyun/alicloud",
            {"zone_id": "cn-shanghai-b"},
            ("cn-shanghai", "CN"),
        ),
        (
            "alicloud_db_instance.b",
            "aliyun/alicloud",
            {"zone_id": "ap-southeast-1a"},
            ("ap-southeast-1", "SG"),
        ),
        (
            "alicloud_kvstore_instance.a",
            "aliyun/alicloud",
            {"zone_id": "cn-shanghai-finance-1z"},
            ("cn-shanghai-finance-1", "CN"),
        ),
        (
            "tencentcloud_mysql_instance.a",
            "tencentcloudstack/tencentcloud",
            {"availability_zone": "ap-guangzhou-3"},
            ("ap-guangzhou", "CN"),
        ),
        (
            "tencentcloud_redis_instance.a",
            "tencentcloudstack/tencentcloud",
            {"availability_zone": "ap-hongkong-2"},
            ("ap-hongkong", "HK"),
        ),
        (
            "huaweicloud_rds_instance.a",
            "huaweicloud/huaweicloud",
            {"availability_zone": ["cn-north-4a"]},
            ("cn-north-4", "CN"),
        ),
        # the same region id, another place: ap-southeast-1 is Hong Kong at Huawei
        (
            "huaweicloud_dcs_instance.a",
            "huaweicloud/huaweicloud",
            {"availability_zones": ["ap-southeast-1a"]},
            ("ap-southeast-1", "HK"),
        ),
        (
            "aws_efs_file_system.a",
            "hashicorp/aws",
            {"availability_zone_name": None, "availability_zone": "cn-northwest-1a"},
            ("cn-northwest-1", "CN"),
        ),
        (
            "aws_db_instance.a",
            "hashicorp/aws",
            {"arn": "arn:aws-cn:rds:cn-north-1:123456789012:db:owner"},
            ("cn-north-1", "CN"),
        ),
        (
            "aws_dynamodb_table.a",
            "hashicorp/aws",
            {"arn": "arn:aws:dynamodb:ap-east-1:123456789012:table/t"},
            ("ap-east-1", "HK"),
        ),
        (
            "google_sql_database_instance.a",
            "hashicorp/google",
            {"region": "asia-southeast1"},
            ("asia-southeast1", "SG"),
        ),
    ],
)
def test_region_from_the_resource_attributes(
    address: str, source: str, values: dict[str, object], expected: tuple[str, str]
) -> None:
    """In a state (no configuration), or for a provider without a region setting."""
    plan = Plan()
    plan.resource(address, values, source=source)
    resources = read(state(plan), "state.json")
    assert [(r.region, r.jurisdiction) for r in resources] == [expected]


def test_an_arn_partition_alone_gives_the_jurisdiction_not_the_region() -> None:
    plan = Plan()
    plan.resource("aws_s3_bucket.t", {"arn": "arn:aws-cn:s3:::telematics"})
    (r,) = read(state(plan), "state.json")
    assert (r.region, r.jurisdiction) == (None, "CN")
    assert "aws-cn partition" in r.determined_by


def test_a_region_the_catalog_does_not_know_has_no_jurisdiction() -> None:
    plan = Plan()
    plan.resource("google_storage_bucket.eu", {"location": "EU"}, source="hashicorp/google")
    (r,) = read(state(plan), "state.json")
    assert (r.region, r.jurisdiction) == ("eu", None)
    assert "the catalog has no region 'eu' of google-cloud" in r.determined_by


# -- what the plan does ----------------------------------------------------------------------
def test_deleted_resources_are_not_running_and_keep_their_old_place() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", alias="sg", region="ap-southeast-1")
    plan.resource("aws_backup_vault.group", {"name": "group"}, provider="aws.sg", action="delete")
    plan.resource("aws_s3_bucket.kept", {"bucket": "k"}, provider="aws.sg", action="no-op")
    plan.resource("aws_s3_bucket.swapped", {"bucket": "s"}, provider="aws.sg", action="replace")
    resources = by_address(read(plan.to_dict()))
    vault = resources["aws_backup_vault.group"]
    assert (vault.action, vault.running, vault.region, vault.holds_data) == (
        "delete",
        False,
        "ap-southeast-1",
        True,
    )
    assert resources["aws_s3_bucket.kept"].action == "no-op"
    assert (
        resources["aws_s3_bucket.swapped"].action,
        resources["aws_s3_bucket.swapped"].running,
    ) == ("replace", True)


def test_data_sources_and_utility_providers_hold_no_data() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", region="eu-central-1")
    plan.resource("data.aws_s3_bucket.existing", {"bucket": "x"}, action="read")
    plan.resource("random_id.suffix", {"byte_length": 4})
    resources = by_address(read(plan.to_dict()))
    data = resources["data.aws_s3_bucket.existing"]
    assert (data.mode, data.holds_data, data.kind, data.region) == (
        "data",
        False,
        None,
        "eu-central-1",
    )
    rnd = resources["random_id.suffix"]
    assert (rnd.provider, rnd.region, rnd.holds_data) == (None, None, False)
    assert "not a cloud of the catalog" in rnd.determined_by


# -- the example platform --------------------------------------------------------------------
def test_the_example_plan() -> None:
    doc = read_tf_json(EXAMPLE / "plan.json", "examples/terraform/plan.json")
    resources = by_address(resources_of(doc, TERRAFORM, REGIONS))
    assert resources["alicloud_db_instance.owner"].region == "cn-shanghai"
    assert resources["alicloud_oss_bucket.owner_backup"].region == "cn-beijing"
    assert resources['alicloud_oss_bucket.documents["invoices"]'].holds_data
    lake = resources["module.global_export.aws_s3_bucket.this"]
    assert (lake.provider, lake.region, lake.jurisdiction, lake.kind) == (
        "aws",
        "eu-central-1",
        "DE",
        "datastore",
    )
    assert not resources["alicloud_vpc.main"].holds_data
    assert resources["alicloud_vpc.main"].action == "no-op"
    # marks point at the resource_changes entries, which hold the actions
    text = (EXAMPLE / "plan.json").read_text("utf-8").split("\n")
    owner = resources["alicloud_db_instance.owner"].mark
    assert text[owner.line].strip() == '"address": "alicloud_db_instance.owner",'
    assert any('"resource_changes"' in line for line in text[: owner.line])


def test_the_example_state_is_located_from_attributes() -> None:
    """A state has no configuration: zones, OSS locations and regions say it all."""
    resources = by_address(read((DATA / "example-state.json").read_bytes(), "state.json"))
    assert {a: (r.region, r.jurisdiction) for a, r in resources.items() if r.holds_data} == {
        "alicloud_db_instance.dealer": ("cn-shanghai", "CN"),
        "alicloud_db_instance.owner": ("cn-shanghai", "CN"),
        "alicloud_kvstore_instance.sessions": ("cn-shanghai", "CN"),
        'alicloud_oss_bucket.documents["contracts"]': ("cn-shanghai", "CN"),
        'alicloud_oss_bucket.documents["invoices"]': ("cn-shanghai", "CN"),
        "alicloud_oss_bucket.owner_backup": ("cn-beijing", "CN"),
        "module.global_export.aws_s3_bucket.this": ("eu-central-1", "DE"),
    }
    assert resources["alicloud_vpc.main"].region is None
    assert "a state records none" in resources["alicloud_vpc.main"].determined_by


def test_an_expression_of_an_unexpected_shape_is_undetermined() -> None:
    """The format leaves expressions open; one steer cannot read is no region."""
    for expression in ({"references": 3}, {"references": [7]}, {"constant_value": 5}, []):
        plan = Plan()
        plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
        plan.providers["alicloud"]["expressions"]["region"] = expression
        plan.resource("alicloud_db_instance.owner", {"engine": "MySQL"})
        assert one(plan, "alicloud_db_instance.owner")[1:3] == (None, None), expression
