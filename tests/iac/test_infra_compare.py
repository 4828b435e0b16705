"""The manifest against the plans (steer.analysis.infra_compare): STEER-IAC-001 to 004
for drift in region, provider and jurisdiction, data-holding resources no component
names, entries that match nothing, and places that cannot be determined; how
entries match addresses; and records that are sorted and point both ways."""

from __future__ import annotations

import copy
import json
import random

from iacsupport import (
    DATA,
    REGIONS,
    by_address,
    components_of,
    example_components,
    example_plan,
    read,
)
from steer.analysis.addresses import AddressIndex, strip_keys
from steer.analysis.infra_compare import Component, InfraIssue, compare
from steer.errors import Mark
from tfplan import Plan, Ref


def issues(components: list[Component], *plans: dict[str, object]) -> list[InfraIssue]:
    resources = [r for i, p in enumerate(plans) for r in read(p, f"plan{i}.json")]  # type: ignore[arg-type]
    return compare(components, resources, REGIONS, [f"plan{i}.json" for i in range(len(plans))])


def rules(found: list[InfraIssue]) -> list[tuple[str, str, str | None, str | None]]:
    return [(i.rule, i.level, i.component, i.address) for i in found]


def platform() -> Plan:
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    plan.provider("alicloud", "aliyun/alicloud", alias="hk", region="cn-hongkong")
    plan.provider("aws", "hashicorp/aws", alias="global", region="eu-central-1")
    plan.resource("alicloud_db_instance.owner", {"engine": "MySQL"})
    plan.resource("module.crm.aws_s3_bucket.export", {"bucket": "crm"}, provider="aws.global")
    return plan


OWNER = Component("owner-db", "alibaba-cloud", "cn-shanghai", None, ("alicloud_db_instance.owner",))
CRM = Component("crm", "aws", "eu-central-1", None, ("module.crm.*",))


def test_the_example_plan_and_state_match_the_example_manifest() -> None:
    assert issues(example_components(), example_plan()) == []
    state = json.loads((DATA / "example-state.json").read_text("utf-8"))
    assert issues(example_components(), state) == []


def test_no_drift_no_issue() -> None:
    assert issues([OWNER, CRM], platform().to_dict()) == []


# -- STEER-IAC-001 ----------------------------------------------------------------------
def test_drift_in_region_only() -> None:
    plan = platform()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-beijing")
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert rules([found]) == [("STEER-IAC-001", "error", "owner-db", "alicloud_db_instance.owner")]
    assert "runs in alibaba-cloud cn-beijing (CN)" in found.message
    assert "puts it in alibaba-cloud cn-shanghai (CN): region differs" in found.message
    assert "plan0.json" in found.message and found.plan_file == "plan0.json"


def test_drift_in_jurisdiction_hong_kong() -> None:
    plan = platform()
    plan.resources[0].provider_key = "alicloud.hk"
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert found.rule == "STEER-IAC-001"
    assert "region and jurisdiction differ" in found.message
    assert "cn-hongkong (HK)" in found.message and "alicloud.hk" in found.message


def test_drift_in_provider() -> None:
    tencent = Component("owner-db", "tencent-cloud", "ap-shanghai", None, OWNER.resources)
    (found,) = issues([tencent, CRM], platform().to_dict())
    assert found.rule == "STEER-IAC-001"
    assert "provider, region differ" not in found.message  # one list, with "and"
    assert "provider and region differ" in found.message
    # the region ids differ, both mainland: the jurisdiction agrees


def test_a_component_with_a_jurisdiction_only() -> None:
    """On premises (no provider) and in the mainland: a cloud bucket in Frankfurt is
    another provider and another jurisdiction."""
    on_premises = Component("archive", None, None, "CN", ("module.crm.*",))
    (found,) = issues([OWNER, on_premises], platform().to_dict())
    assert (found.rule, found.component) == ("STEER-IAC-001", "archive")
    assert "no provider (on premises or a device, jurisdiction CN)" in found.message
    assert "provider and jurisdiction differ" in found.message


# -- STEER-IAC-002 ----------------------------------------------------------------------
def test_a_data_holding_resource_abroad_that_no_component_names() -> None:
    plan = platform()
    plan.resource("aws_dynamodb_table.shadow_copy", {"name": "owners"}, provider="aws.global")
    plan.resource("aws_iam_role.exporter", {"name": "exporter"}, provider="aws.global")  # no data
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert rules([found]) == [("STEER-IAC-002", "error", None, "aws_dynamodb_table.shadow_copy")]
    assert "runs outside the mainland, in aws eu-central-1 (DE)" in found.message
    assert found.target == "manifest" and found.manifest_mark is None


def test_a_data_holding_resource_in_the_mainland_that_no_component_names() -> None:
    plan = platform()
    plan.resource("alicloud_log_store.audit", {"name": "audit"})
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert rules([found]) == [("STEER-IAC-002", "warning", None, "alicloud_log_store.audit")]


def test_a_resource_being_destroyed_is_not_running() -> None:
    plan = platform()
    plan.resource("aws_backup_vault.sg", {"name": "group"}, provider="aws.global", action="delete")
    assert issues([OWNER, CRM], plan.to_dict()) == []


# -- STEER-IAC-003 ----------------------------------------------------------------------
def test_an_entry_that_matches_nothing_and_one_that_matches_only_deletions() -> None:
    plan = platform()
    plan.resource("alicloud_oss_bucket.old", {"bucket": "old"}, action="delete")
    owner = Component(
        "owner-db",
        "alibaba-cloud",
        "cn-shanghai",
        None,
        (*OWNER.resources, "alicloud_oss_bucket.old", "module.telematics.*"),
        mark=Mark("m.yaml", 10, 3),
        entry_marks=(Mark("m.yaml", 13, 9), Mark("m.yaml", 14, 9), Mark("m.yaml", 15, 9)),
    )
    found = issues([owner, CRM], plan.to_dict())
    assert [(i.rule, i.level, i.entry) for i in found] == [
        ("STEER-IAC-003", "warning", 1),
        ("STEER-IAC-003", "warning", 2),
    ]
    assert "matches only resources the plan destroys (alicloud_oss_bucket.old)" in found[0].message
    assert "'module.telematics.*' matches no resource in plan0.json" in found[1].message
    assert found[1].manifest_mark == Mark("m.yaml", 15, 9)
    assert found[1].address is None and found[1].target == "components.owner-db"


# -- STEER-IAC-004 ----------------------------------------------------------------------
def test_a_named_resource_whose_region_is_unknown() -> None:
    plan = platform()
    plan.provider("alicloud", "aliyun/alicloud", region=Ref(("local.region",)))
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert rules([found]) == [("STEER-IAC-004", "error", "owner-db", "alicloud_db_instance.owner")]
    assert "could not judge alicloud_db_instance.owner" in found.message
    assert "does not count it as a pass" in found.message


def test_an_unnamed_data_holding_resource_whose_region_is_unknown() -> None:
    plan = platform()
    plan.provider("aws", "hashicorp/aws")  # region from AWS_REGION: not in the plan
    plan.resource("aws_s3_bucket.scratch", {"bucket": "scratch"})
    (found,) = issues([OWNER, CRM], plan.to_dict())
    assert rules([found]) == [("STEER-IAC-004", "error", None, "aws_s3_bucket.scratch")]
    assert "AWS_REGION" in found.message


def test_only_the_jurisdiction_known() -> None:
    """An ARN in aws-cn says mainland, not which region: enough for STEER-IAC-002, not
    for a component that names a region."""
    plan = Plan()
    plan.resource("aws_s3_bucket.t", {"arn": "arn:aws-cn:s3:::t"}, action="no-op")
    named = Component("telematics", "aws", "cn-northwest-1", None, ("aws_s3_bucket.t",))
    (found,) = issues([named], plan.to_dict())
    assert found.rule == "STEER-IAC-004" and "only its jurisdiction (CN) is known" in found.message
    (unnamed,) = issues([], plan.to_dict())
    assert (unnamed.rule, unnamed.level) == ("STEER-IAC-002", "warning")


# -- entries and addresses --------------------------------------------------------------
ADDRESSES = [
    'aws_s3_bucket.x["eu"]',
    'aws_s3_bucket.x["cn"]',
    "aws_s3_bucket.x[0]",
    "aws_s3_bucket.xy",
    "aws_s3_bucket.y",
    "module.crm.aws_s3_bucket.export",
    'module.crm["b"].aws_s3_bucket.export',
    "module.crm.module.inner.aws_sqs_queue.q",
    "module.crmx.aws_s3_bucket.other",
    'module.m["a.b"].aws_s3_bucket.z',
]


def test_how_entries_match_addresses() -> None:
    index = AddressIndex(ADDRESSES)
    assert index.match("aws_s3_bucket.x") == [
        'aws_s3_bucket.x["cn"]',
        'aws_s3_bucket.x["eu"]',
        "aws_s3_bucket.x[0]",
    ]
    assert index.match('aws_s3_bucket.x["eu"]') == ['aws_s3_bucket.x["eu"]']
    assert index.match("aws_s3_bucket.x[0]") == ["aws_s3_bucket.x[0]"]
    # brackets are literal, not a character class as in fnmatch
    assert index.match("aws_s3_bucket.[xy]") == []
    assert index.match('aws_s3_bucket.x["e?"]') == ['aws_s3_bucket.x["eu"]']
    assert index.match("module.crm.*") == sorted(
        [
            "module.crm.aws_s3_bucket.export",
            'module.crm["b"].aws_s3_bucket.export',
            "module.crm.module.inner.aws_sqs_queue.q",
        ]
    )
    assert index.match("module.crm") == index.match("module.crm.*")
    assert index.match('module.crm["b"]') == ['module.crm["b"].aws_s3_bucket.export']
    assert index.match("*.aws_s3_bucket.export") == [
        "module.crm.aws_s3_bucket.export",
        'module.crm["b"].aws_s3_bucket.export',
    ]
    assert index.match('module.m["a.b"].*') == ['module.m["a.b"].aws_s3_bucket.z']
    assert index.match("aws_s3_bucket") == []
    assert index.match("*") == sorted(ADDRESSES)


def test_strip_keys_keeps_dots_inside_keys_out_of_the_steps() -> None:
    assert strip_keys('module.m["a.b"].aws_s3_bucket.z["x]y"]') == "module.m.aws_s3_bucket.z"
    assert strip_keys("aws_s3_bucket.plain") == "aws_s3_bucket.plain"


def test_same_address_in_two_plans_is_judged_in_each() -> None:
    lake = Plan()
    lake.provider("aws", "hashicorp/aws", region="eu-central-1")
    lake.resource("aws_s3_bucket.raw", {"bucket": "raw"})
    found = issues([OWNER], platform().to_dict(), lake.to_dict())
    assert [(i.rule, i.address, i.plan_file) for i in found] == [
        ("STEER-IAC-002", "aws_s3_bucket.raw", "plan1.json"),
        ("STEER-IAC-002", "module.crm.aws_s3_bucket.export", "plan0.json"),
    ]


def test_resources_of_other_providers_match_but_are_not_compared() -> None:
    plan = platform()
    plan.resource("random_id.suffix", {"byte_length": 4})
    owner = Component(
        "owner-db", "alibaba-cloud", "cn-shanghai", None, ("*.owner", "random_id.suffix")
    )
    assert issues([owner, CRM], plan.to_dict()) == []


def test_records_are_sorted_whatever_the_input_order() -> None:
    plan = platform()
    plan.provider("alicloud", "aliyun/alicloud", region=Ref(("local.region",)))
    for i in range(6):
        plan.resource(f"aws_s3_bucket.b{i}", {"bucket": f"b{i}"}, provider="aws.global")
        plan.resource(f"alicloud_oss_bucket.o{i}", {"bucket": f"o{i}"}, provider="alicloud.hk")
    components = [
        OWNER,
        CRM,
        Component("ghost", "aws", "us-east-1", None, ("nothing.here", "module.crm.*")),
    ]
    resources = read(plan.to_dict())
    expected = compare(components, resources, REGIONS, ["plan.json"])
    assert [i.level for i in expected] == sorted(
        (i.level for i in expected), key=lambda v: v != "error"
    )
    rng = random.Random(13)
    for _ in range(5):
        shuffled = copy.copy(resources)
        rng.shuffle(shuffled)
        order = list(components)
        rng.shuffle(order)
        assert compare(order, shuffled, REGIONS, ["plan.json"]) == expected


def test_records_point_at_the_plan_and_the_manifest() -> None:
    plan = platform()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-hongkong")
    owner = Component(
        "owner-db", "alibaba-cloud", "cn-shanghai", None, OWNER.resources, mark=Mark("m.yaml", 7, 3)
    )
    (found,) = issues([owner, CRM], plan.to_dict())
    resource = by_address(read(plan.to_dict(), "plan0.json"))["alicloud_db_instance.owner"]
    assert found.plan_mark == resource.mark and found.plan_mark is not None
    assert found.manifest_mark == Mark("m.yaml", 7, 3)
    assert found.target == "components.owner-db"


def test_components_read_from_a_manifest() -> None:
    components = components_of(
        "components:\n"
        "  db:\n"
        "    kind: datastore\n"
        "    location: {provider: alibaba-cloud, region: cn-shanghai}\n"
        "    resources: [alicloud_db_instance.owner]\n"
    )
    assert issues(components, platform().to_dict())[0].rule == "STEER-IAC-002"
