"""The command-line tests of `steer check --terraform` share a workspace: the clean
platform of tests/support.py, its components naming their resources, and a plan
in agreement with it (infra/plan.json), with helpers that change one or the other."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from iacsupport import AS_OF
from support import clean, cwd, run
from tfplan import Plan

SCHEMA_FILE = Path("/work/shared/reference/sarif-schema-2.1.0.json")
PLAN = "infra/plan.json"
MANIFEST = "platform.steer.yaml"


def manifest_text(legacy: bool = False, waivers: str = "") -> str:
    """The clean platform of tests/support.py, its components naming their resources;
    ``legacy`` adds an entry that matches nothing (STEER-IAC-003)."""
    text = clean("iac-demo")
    text = text.replace(
        "    location: {provider: alibaba-cloud, region: cn-shanghai}\n    data:\n",
        "    location: {provider: alibaba-cloud, region: cn-shanghai}\n"
        "    resources: [alicloud_db_instance.customers]\n    data:\n",
        1,
    )
    entries = "      - alicloud_instance.api\n" + ("      - module.legacy.*\n" if legacy else "")
    text = text.replace(
        "  api:\n    kind: service\n    location: {provider: alibaba-cloud, region: cn-shanghai}\n",
        "  api:\n    kind: service\n    location: {provider: alibaba-cloud, region: cn-shanghai}\n"
        "    resources:\n" + entries,
        1,
    )
    assert text.count("resources") == 2
    return text + waivers


def plan_of(region: str = "cn-shanghai", unnamed: tuple[str, ...] = ()) -> dict[str, Any]:
    """The platform's plan: the database and the API server; ``region`` moves the
    default provider, ``unnamed`` adds data-holding resources no component names:
    ``logs`` (OSS in Shanghai: a warning), ``export`` and ``archive`` (S3 in Frankfurt)."""
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region=region)
    plan.provider("aws", "hashicorp/aws", alias="global", region="eu-central-1")
    plan.resource("alicloud_db_instance.customers", {"engine": "MySQL"})
    plan.resource("alicloud_instance.api", {"instance_type": "ecs.g7.large"})
    if "logs" in unnamed:
        plan.resource("alicloud_oss_bucket.logs", {"bucket": "logs"})
    for name in ("export", "archive"):
        if name in unnamed:
            plan.resource(f"aws_s3_bucket.{name}", {"bucket": name}, provider="aws.global")
    return plan.to_dict()


def workspace(tmp_path: Path) -> Path:
    """A workspace: the manifest, and infra/plan.json in agreement with it."""
    (tmp_path / "infra").mkdir()
    (tmp_path / MANIFEST).write_text(manifest_text(), encoding="utf-8")
    write_plan(tmp_path, plan_of())
    return tmp_path


def write_plan(ws: Path, plan: dict[str, Any], name: str = PLAN) -> Path:
    path = ws / name
    path.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    return path


def check(ws: Path, *args: str) -> tuple[int, str, str]:
    with cwd(ws):
        return run(["check", MANIFEST, "--as-of", AS_OF, "--terraform", PLAN, *args])


def findings(ws: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, out, err = check(ws, "--format", "json", *args)
    assert code in (0, 1), err
    return code, json.loads(out)["findings"]


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)
