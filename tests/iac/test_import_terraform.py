"""`steer import terraform` (steer.commands.import_terraform): the drafted manifest
has one component per root resource or per module, valid and unique ids, kinds,
locations and `resources`, comments where data, flows and approvals go; it loads
with the manifest loader and `steer check` runs on it; and compared with the plan it
came from, it shows no drift."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from iacsupport import AS_OF, EXAMPLE, REGIONS, components_of, example_plan, read
from steer.analysis.infra_compare import compare
from steer.cli import main
from steer.commands.import_terraform import draft_manifest, sanitise
from steer.manifest.load import load_manifest
from tfplan import Plan, Ref

ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,62}$")
PLAN = "examples/terraform/plan.json"


def draft_of(plan: dict[str, Any], name: str = "plan.json") -> tuple[str, dict[str, Any]]:
    text = draft_manifest(read(plan, name), [name])
    return text, yaml.safe_load(text)


def test_the_example_plan_drafts_a_component_per_resource_and_module() -> None:
    text, data = draft_of(example_plan(), PLAN)
    components = data["components"]
    assert {cid: (c["kind"], c["location"], c["resources"]) for cid, c in components.items()} == {
        "dealer": (
            "datastore",
            {"provider": "alibaba-cloud", "region": "cn-shanghai"},
            ["alicloud_db_instance.dealer"],
        ),
        "documents": (
            "datastore",
            {"provider": "alibaba-cloud", "region": "cn-shanghai"},
            ["alicloud_oss_bucket.documents"],
        ),
        "global-export": (
            "datastore",
            {"provider": "aws", "region": "eu-central-1"},
            ["module.global_export.*"],
        ),
        "owner": (
            "datastore",
            {"provider": "alibaba-cloud", "region": "cn-shanghai"},
            ["alicloud_db_instance.owner"],
        ),
        "owner-backup": (
            "datastore",
            {"provider": "alibaba-cloud", "region": "cn-beijing"},
            ["alicloud_oss_bucket.owner_backup"],
        ),
        "sessions": (
            "datastore",
            {"provider": "alibaba-cloud", "region": "cn-shanghai"},
            ["alicloud_kvstore_instance.sessions"],
        ),
    }
    assert (data["version"], data["name"]) == (1, "imported")
    # where the user goes on
    assert "    # data:" in text and "# flows:" in text and "# approvals:" in text
    assert "#   alicloud_vpc.main" in text  # listed, not drafted: no component kind
    assert (
        "# location from the provider configuration alicloud.beijing: region = 'cn-beijing'" in text
    )


def test_the_draft_loads_and_steer_check_runs_on_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "drafted.yaml"
    path.write_text(draft_of(example_plan(), PLAN)[0], encoding="utf-8")
    manifest = load_manifest(path)
    assert set(manifest.components) == {
        "dealer",
        "documents",
        "global-export",
        "owner",
        "owner-backup",
        "sessions",
    }
    code = main(["check", str(path), "--as-of", AS_OF, "--format", "json"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err  # findings, but no input error (2)
    assert '"findings"' in out


def test_the_example_manifest_loads(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLE / "manifest.yaml"), "--as-of", AS_OF]) == 0, (
        capsys.readouterr()
    )


def test_the_draft_is_deterministic() -> None:
    resources = read(example_plan(), PLAN)
    first = draft_manifest(resources, [PLAN])
    rng = random.Random(5)
    for _ in range(5):
        shuffled = list(resources)
        rng.shuffle(shuffled)
        assert draft_manifest(shuffled, [PLAN]) == first


def test_the_draft_shows_no_drift_against_its_plan() -> None:
    plan = example_plan()
    resources = read(plan, PLAN)
    components = components_of(draft_of(plan, PLAN)[0])
    assert compare(components, resources, REGIONS, [PLAN]) == []


def test_ids_are_sanitised_unique_and_valid() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", region="eu-central-1")
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    plan.resource("aws_s3_bucket.Logs_Archive", {"bucket": "a"})
    plan.resource("alicloud_oss_bucket.logs_archive", {"bucket": "b"})
    plan.resource("aws_sqs_queue.logs-archive", {"name": "c"})
    plan.resource("aws_db_instance._x", {"identifier": "d"})
    plan.resource("aws_dynamodb_table." + "very_long_name_" * 6, {"name": "e"})
    plan.resource("module.Owner_Data.aws_s3_bucket.b", {"bucket": "f"})
    _text, data = draft_of(plan.to_dict())
    ids = list(data["components"])
    assert all(ID.match(cid) for cid in ids), ids
    assert len(ids) == len(set(ids)) == 6
    # the first address keeps the plain name; the others are numbered in address order
    assert data["components"]["logs-archive"]["resources"] == ["alicloud_oss_bucket.logs_archive"]
    assert data["components"]["logs-archive-2"]["resources"] == ["aws_s3_bucket.Logs_Archive"]
    assert data["components"]["logs-archive-3"]["resources"] == ["aws_sqs_queue.logs-archive"]
    assert data["components"]["owner-data"]["resources"] == ["module.Owner_Data.*"]
    assert data["components"]["x"]["kind"] == "datastore"
    assert sanitise("__") == "component"
    assert len(sanitise("a" * 200)) == 63


def test_instances_and_modules_in_several_places_are_split() -> None:
    plan = Plan()
    plan.provider("aws", "hashicorp/aws", alias="eu", region="eu-central-1")
    plan.provider("aws", "hashicorp/aws", alias="cn", region="cn-northwest-1")
    plan.resource(
        'aws_s3_bucket.x["eu"]', {"bucket": "a", "region": "eu-central-1"}, provider="aws.eu"
    )
    plan.resource(
        'aws_s3_bucket.x["cn"]', {"bucket": "b", "region": "cn-northwest-1"}, provider="aws.eu"
    )
    # one configuration, one provider for every instance; the AWS provider 6 region
    # argument moves one of them
    plan.resource(
        'module.t["eu"].aws_kinesis_stream.s', {"region": "eu-central-1"}, provider="aws.cn"
    )
    plan.resource('module.t["cn"].aws_kinesis_stream.s', {"name": "s"}, provider="aws.cn")
    plan.resource('module.t["cn"].aws_lambda_function.f', {"function_name": "f"}, provider="aws.cn")
    text, data = draft_of(plan.to_dict())
    assert {cid: c["resources"] for cid, c in data["components"].items()} == {
        "x-cn-northwest-1": ['aws_s3_bucket.x["cn"]'],
        "x-eu-central-1": ['aws_s3_bucket.x["eu"]'],
        "t-cn-northwest-1": [
            'module.t["cn"].aws_kinesis_stream.s',
            'module.t["cn"].aws_lambda_function.f',
        ],
        "t-eu-central-1": ['module.t["eu"].aws_kinesis_stream.s'],
    }
    assert "      - 'aws_s3_bucket.x[\"cn\"]'" in text  # quoted: brackets and quotes
    resources = read(plan.to_dict())
    assert compare(components_of(text), resources, REGIONS) == []


def test_an_undetermined_region_is_left_for_the_user() -> None:
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region=Ref(("local.region",)))
    plan.resource("alicloud_db_instance.owner", {"engine": "MySQL"})
    plan.resource("aws_s3_bucket.t", {"arn": "arn:aws-cn:s3:::t"}, action="no-op")
    text, data = draft_of(plan.to_dict())
    assert data["components"]["owner"]["location"] == {"provider": "alibaba-cloud"}
    assert data["components"]["t"]["location"] == {"provider": "aws", "jurisdiction": "CN"}
    why = "the provider configuration alicloud sets region from local.region"
    assert f"# region: could not be determined ({why}" in text


def test_a_plan_with_nothing_to_draft() -> None:
    plan = Plan()
    plan.resource("random_id.x", {"byte_length": 4})
    plan.resource("aws_iam_role.r", {"name": "r"})
    text, data = draft_of(plan.to_dict())
    assert data["components"] == {}
    assert "#   aws_iam_role.r" in text and "random_id" not in text
