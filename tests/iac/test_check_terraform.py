"""`steer check --terraform` end to end: the STEER-IAC findings in every output format,
at their lines in the manifest, with the resource address and plan file in the
message and as SARIF related locations; keyed by their resource for baselines and
fingerprints; waived, selected, ignored and made strict like any finding; the plan
files protected as inputs; bad plans an exit 2 with file:line:col."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from junitparser import JUnitXml

from iacsupport import AS_OF, EXAMPLE
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


@pytest.fixture
def ws(tmp_path: Path) -> Path:
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


# -- the findings ---------------------------------------------------------------------
def test_a_plan_in_agreement_gives_no_finding_and_the_report_says_what_was_compared(
    ws: Path,
) -> None:
    code, out, err = check(ws, "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["findings"] == []
    assert report["infrastructure"] == {"files": [PLAN], "resources": 2}
    # the four rules ran and passed, as guardrails do
    assert (
        report["summary"]["passed_rules"]
        == 4
        + json.loads(run(["check", str(ws / MANIFEST), "--as-of", AS_OF, "--format", "json"])[1])[
            "summary"
        ]["passed_rules"]
    )
    # without --terraform nothing changes: no key, no rule
    with cwd(ws):
        plain = json.loads(run(["check", MANIFEST, "--as-of", AS_OF, "--format", "json"])[1])
    assert "infrastructure" not in plain


def test_drift_is_an_error_at_the_entry_naming_the_address_and_the_plan(ws: Path) -> None:
    write_plan(ws, plan_of(region="cn-hongkong"))
    code, found = findings(ws)
    assert code == 1
    iac = [f for f in found if f["rule"].startswith("STEER-IAC")]
    assert [(f["rule"], f["level"], f["target"], f["resource"]) for f in iac] == [
        ("STEER-IAC-001", "error", "components.api", "alicloud_instance.api"),
        ("STEER-IAC-001", "error", "components.customer-db", "alicloud_db_instance.customers"),
    ]
    db = iac[1]
    assert db["severity"] == "high" and db["authority"] == "policy" and db["status"] == "confirmed"
    assert "alicloud_db_instance.customers (infra/plan.json) runs in" in db["message"]
    assert "cn-hongkong (HK)" in db["message"]
    path = ws / MANIFEST
    assert db["location"] == {
        "file": MANIFEST,
        "line": line_of(path, "resources: [alicloud_db_instance.customers]"),
        "column": len("    resources: [") + 1,
    }
    assert iac[0]["location"]["line"] == line_of(path, "- alicloud_instance.api")


def test_unnamed_data_and_unmatched_entries(ws: Path) -> None:
    (ws / MANIFEST).write_text(manifest_text(legacy=True), encoding="utf-8")
    write_plan(ws, plan_of(unnamed=("logs", "export", "archive")))
    code, found = findings(ws)
    assert code == 1
    got = [(f["rule"], f["level"], f["severity"], f["target"], f.get("resource")) for f in found]
    assert got == [
        ("STEER-IAC-002", "error", "high", "manifest", "aws_s3_bucket.archive"),
        ("STEER-IAC-002", "error", "high", "manifest", "aws_s3_bucket.export"),
        ("STEER-IAC-002", "warning", "medium", "manifest", "alicloud_oss_bucket.logs"),
        ("STEER-IAC-003", "warning", "low", "components.api", "module.legacy.*"),
    ]
    path = ws / MANIFEST
    components = line_of(path, "components:")
    assert {f["location"]["line"] for f in found[:3]} == {components}  # where to name them
    assert found[3]["location"]["line"] == line_of(path, "- module.legacy.*")
    assert "module.legacy.*" in found[3]["message"] and PLAN in found[3]["message"]


@pytest.mark.parametrize("fmt", ["table", "json", "sarif", "junit", "markdown", "github"])
def test_every_format_shows_them(ws: Path, fmt: str) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, out, err = check(ws, "--format", fmt)
    assert code == 1, err
    assert "STEER-IAC-002" in out
    assert "aws_s3_bucket.export" in out and PLAN in out


def test_junit_lists_the_four_rules(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, out, _ = check(ws, "--format", "junit")
    assert code == 1
    (ws / "j.xml").write_text(out, encoding="utf-8")
    (suite,) = list(JUnitXml.fromfile(str(ws / "j.xml")))
    names = {case.name.split(" ", 1)[0]: case for case in suite}
    assert {"STEER-IAC-001", "STEER-IAC-002", "STEER-IAC-003", "STEER-IAC-004"} <= set(names)
    assert not names["STEER-IAC-002"].is_passed and names["STEER-IAC-001"].is_passed


def test_sarif_related_locations_point_into_the_plan(ws: Path) -> None:
    write_plan(ws, plan_of(region="cn-hongkong", unnamed=("export", "archive")))
    code, out, _ = check(ws, "--format", "sarif")
    assert code == 1
    doc = json.loads(out)
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(doc))
    assert not errors, [e.message for e in errors[:3]]
    run_ = doc["runs"][0]
    uris = [a["location"]["uri"] for a in run_["artifacts"]]
    assert uris == [MANIFEST, PLAN]
    assert {a["location"]["uriBaseId"] for a in run_["artifacts"]} == {"%SRCROOT%"}
    results = [r for r in run_["results"] if r["ruleId"].startswith("STEER-IAC")]
    assert len(results) == 4
    plan_lines = (ws / PLAN).read_text().splitlines()
    for result in results:
        (related,) = result["relatedLocations"]
        where = related["physicalLocation"]
        assert where["artifactLocation"] == {"uri": PLAN, "uriBaseId": "%SRCROOT%", "index": 1}
        address = result["properties"]["resource"]
        assert related["message"]["text"] == f"{address} in {PLAN}"
        line = plan_lines[where["region"]["startLine"] - 1]
        assert "{" in line or '"address"' in line  # the resource's object in the plan
        assert "codeFlows" not in result  # no data path: no flow to step along
    fingerprints = [r["partialFingerprints"]["steerFindingKey/v1"] for r in results]
    assert len(set(fingerprints)) == 4  # two unnamed buckets on one target stay apart
    rules = {r["id"] for r in run_["tool"]["driver"]["rules"]}
    assert {"STEER-IAC-001", "STEER-IAC-002", "STEER-IAC-003", "STEER-IAC-004"} <= rules


def test_sarif_fingerprints_of_other_findings_do_not_change(ws: Path) -> None:
    """A finding without a resource hashes as before (manifest, rule, target, path)."""
    (ws / MANIFEST).write_text(manifest_text().replace("records: 50000", "records: 5"), "utf-8")
    with cwd(ws):
        plain = json.loads(run(["check", MANIFEST, "--as-of", AS_OF, "--format", "sarif"])[1])
    _, out, _ = check(ws, "--format", "sarif")
    with_tf = json.loads(out)

    def keys(doc: dict[str, Any]) -> set[str]:
        return {r["partialFingerprints"]["steerFindingKey/v1"] for r in doc["runs"][0]["results"]}

    assert keys(plain) == keys(with_tf)


# -- waivers, baselines, selection ------------------------------------------------------
WAIVE_ALL = """\
waivers:
  - rule: STEER-IAC-002
    reason: The export buckets are described in the data lake's own manifest
    owner: platform-team
    expires: 2099-01-01
"""
WAIVE_ONE = WAIVE_ALL.replace("    reason:", "    target: aws_s3_bucket.export\n    reason:")


def test_a_waiver_excuses_every_finding_of_the_rule_or_one_resource(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export", "archive")))
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ALL), encoding="utf-8")
    code, found = findings(ws)
    assert code == 0
    assert [(f["resource"], f["waived"]) for f in found] == [
        ("aws_s3_bucket.archive", True),
        ("aws_s3_bucket.export", True),
    ]
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ONE), encoding="utf-8")
    code, found = findings(ws)
    assert code == 1
    assert {f["resource"]: f["waived"] for f in found} == {
        "aws_s3_bucket.archive": False,
        "aws_s3_bucket.export": True,
    }


def test_an_iac_waiver_without_terraform_is_not_unused(ws: Path) -> None:
    """The manifest loads with it; a run without --terraform did not judge the rule,
    so the waiver is neither applied nor reported as excusing nothing."""
    (ws / MANIFEST).write_text(manifest_text(waivers=WAIVE_ALL), encoding="utf-8")
    with cwd(ws):
        code, out, err = run(["check", MANIFEST, "--as-of", AS_OF, "--format", "json"])
    assert (code, err) == (0, "")
    assert json.loads(out)["findings"] == []
    # with --terraform and nothing to excuse, it is reported like any unused waiver
    code, found = findings(ws)
    assert [f["rule"] for f in found] == ["STEER-WAIVER"]
    assert "excuses no finding" in found[0]["message"]


def test_a_waiver_of_an_unknown_steer_rule_is_a_located_error(ws: Path) -> None:
    bad = WAIVE_ALL.replace("STEER-IAC-002", "STEER-IAK-002")
    (ws / MANIFEST).write_text(manifest_text(waivers=bad), encoding="utf-8")
    code, _, err = check(ws)
    assert code == 2
    line = line_of(ws / MANIFEST, "STEER-IAK-002")
    assert err.startswith(f"{MANIFEST}:{line}:")
    assert "did you mean 'STEER-IAC-002'?" in err


def test_the_baseline_knows_each_resource(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)))
    code, _, err = check(ws, "--write-baseline", "base.json")
    assert code == 0, err
    entry = json.loads((ws / "base.json").read_text())["findings"][0]
    assert entry["resource"] == "aws_s3_bucket.export"
    assert check(ws, "--baseline", "base.json")[0] == 0  # known
    write_plan(ws, plan_of(unnamed=("export", "archive")))  # a second one, same target
    code, found = findings(ws, "--baseline", "base.json")
    assert code == 1
    assert [f["resource"] for f in found] == ["aws_s3_bucket.archive"]
    write_plan(ws, plan_of(unnamed=("archive",)))  # the known one is gone: fixed
    _, out, _ = check(ws, "--baseline", "base.json", "--format", "json")
    fixed = json.loads(out)["baseline"]["fixed"]
    assert [(e["rule"], e["resource"]) for e in fixed] == [
        ("STEER-IAC-002", "aws_s3_bucket.export")
    ]
    _, table, _ = check(ws, "--baseline", "base.json")
    assert "fixed: STEER-IAC-002 manifest (aws_s3_bucket.export)" in table


def test_a_baseline_with_a_bad_resource_is_refused(ws: Path) -> None:
    base = {"manifest": MANIFEST, "findings": [{"rule": "STEER-IAC-002", "target": "m"}]}
    base["findings"][0]["resource"] = ["not", "a", "string"]  # type: ignore[index]
    (ws / "base.json").write_text(json.dumps(base), encoding="utf-8")
    code, _, err = check(ws, "--baseline", "base.json")
    assert code == 2
    assert "base.json: findings[0].resource: expected a resource address" in err


def test_select_ignore_and_strict(ws: Path) -> None:
    (ws / MANIFEST).write_text(manifest_text(legacy=True), encoding="utf-8")
    write_plan(ws, plan_of(unnamed=("logs",)))
    _, found = findings(ws, "--ignore", "STEER-IAC-002")
    assert [f["rule"] for f in found] == ["STEER-IAC-003"]
    _, found = findings(ws, "--select", "STEER-IAC-*")
    assert [f["rule"] for f in found] == ["STEER-IAC-002", "STEER-IAC-003"]
    _, found = findings(ws, "--select", "CN-*")
    assert found == []
    code, found = findings(ws, "--strict")
    assert code == 1 and {f["level"] for f in found} == {"error"}
    code, _, err = check(ws, "--select", "STEER-IAC-02")
    assert code == 2 and "did you mean STEER-IAC-002?" in err


def test_several_plans_and_several_manifests(ws: Path) -> None:
    write_plan(ws, plan_of(unnamed=("export",)), "infra/global.json")
    (ws / "other.steer.yaml").write_text(manifest_text(), encoding="utf-8")
    with cwd(ws):
        code, out, err = run(
            [
                "check",
                MANIFEST,
                "other.steer.yaml",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--terraform",
                PLAN,
                "--terraform",
                "infra/global.json",
                "--terraform",
                PLAN,  # named twice: read once
            ]
        )
    assert code == 1, err
    reports = json.loads(out)["reports"]
    for report in reports:
        assert report["infrastructure"] == {"files": [PLAN, "infra/global.json"], "resources": 5}
        # the database and API are in both plans: judged in each, named in each
        assert [(f["rule"], f["resource"]) for f in report["findings"]] == [
            ("STEER-IAC-002", "aws_s3_bucket.export")
        ]
        assert "infra/global.json" in report["findings"][0]["message"]


def test_explain_a_steer_iac_rule() -> None:
    code, out, _ = run(["explain", "steer-iac-004"])
    assert code == 0
    assert out.startswith("STEER-IAC-004: The region of every named or data-holding resource")
    assert "steer check --terraform" in out and "How to fix" in out


# -- the plan files are inputs ----------------------------------------------------------
def test_output_never_overwrites_a_plan(ws: Path) -> None:
    before = (ws / PLAN).read_text()
    for flag in (["--output", PLAN], ["--format", f"json:{PLAN}"]):
        code, out, err = check(ws, *flag)
        assert code == 2 and out == ""
        assert "is an input of this run (a --terraform file)" in err
    assert (ws / PLAN).read_text() == before


# -- bad input --------------------------------------------------------------------------
BAD = {
    "malformed": ('{\n  "format_version": "1.2",\n  "planned_values": {,}\n}\n', 3, 22),
    "truncated": ('{\n  "format_version": "1.2",\n  "planned_values": {\n', 3, 22),
    "format-version": ('{\n  "format_version": "2.0",\n  "planned_values": {}\n}\n', 2, 21),
    "binary-plan": ("PK\x03\x04zipped", 1, 1),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_plan_is_exit_2_at_its_line_and_column(ws: Path, case: str) -> None:
    text, line, column = BAD[case]
    (ws / PLAN).write_text(text, encoding="utf-8")
    code, out, err = check(ws)
    assert (code, out) == (2, ""), err
    assert err.startswith(f"{PLAN}:{line}:{column}: "), err
    assert "Traceback" not in err and err.count("\n") == 1
    with cwd(ws):  # the same through steer import terraform
        code, out, err = run(["import", "terraform", PLAN])
    assert (code, out) == (2, "") and err.startswith(f"{PLAN}:{line}:{column}: "), err


@pytest.mark.parametrize(
    ("name", "problem"), [("infra/none.json", "no such file"), ("infra", "is a directory")]
)
def test_a_missing_plan_and_a_directory_are_exit_2(ws: Path, name: str, problem: str) -> None:
    for argv in (
        ["check", MANIFEST, "--as-of", AS_OF, "--terraform", name],
        ["import", "terraform", name],
    ):
        with cwd(ws):
            code, out, err = run(argv)
        assert (code, out) == (2, ""), err
        assert err.startswith(f"{name}: {problem}; expected ")
        assert "Traceback" not in err


# -- the configuration ------------------------------------------------------------------
def test_terraform_in_the_configuration_is_relative_to_its_folder(ws: Path) -> None:
    (ws / ".steer.toml").write_text(f'terraform = ["{PLAN}"]\n', encoding="utf-8")
    write_plan(ws, plan_of(unnamed=("export",)))
    with cwd(ws / "infra"):  # from a sub-folder
        code, out, err = run(["check", f"../{MANIFEST}", "--as-of", AS_OF, "--format", "json"])
        config = run(["config"])[1]
    assert code == 1, err
    report = json.loads(out)
    assert report["infrastructure"]["files"] == [PLAN]  # named from the project root
    row = next(line for line in config.splitlines() if line.startswith("terraform = "))
    assert row.startswith('terraform = ["plan.json"]')  # as seen from where steer runs
    assert "# ../.steer.toml:1: plans and states" in row
    # a flag replaces the file's list
    write_plan(ws, plan_of(), "infra/clean.json")
    with cwd(ws):
        code, _, _ = run(["check", MANIFEST, "--as-of", AS_OF, "--terraform", "infra/clean.json"])
        config = run(["config", "--terraform", "infra/clean.json"])[1]
    assert code == 0
    assert 'terraform = ["infra/clean.json"]' in config and "# --terraform:" in config


def test_a_bad_terraform_setting_is_a_located_error(ws: Path) -> None:
    (ws / ".steer.toml").write_text("fail_on = 'error'\nterraform = [1]\n", encoding="utf-8")
    with cwd(ws):
        code, _, err = run(["check", MANIFEST])
    assert code == 2
    assert err.startswith(".steer.toml:2:1: terraform: expected a list of strings")


# -- the example ----------------------------------------------------------------------
def test_the_example_manifest_and_plan_agree_and_drift_is_found(tmp_path: Path) -> None:
    plan = EXAMPLE / "plan.json"
    code, out, err = run(
        ["check", str(EXAMPLE / "manifest.yaml"), "--as-of", AS_OF, "--terraform", str(plan)]
    )
    assert (code, err) == (0, ""), out
    moved = tmp_path / "plan.json"
    moved.write_text(plan.read_text().replace('"cn-beijing"', '"cn-hongkong"'), "utf-8")
    code, out, _ = run(
        [
            "check",
            str(EXAMPLE / "manifest.yaml"),
            "--as-of",
            AS_OF,
            "--terraform",
            str(moved),
            "--format",
            "json",
        ]
    )
    assert code == 1
    (found,) = json.loads(out)["findings"]
    assert (found["rule"], found["target"], found["resource"]) == (
        "STEER-IAC-001",
        "components.owner-db-dr",
        "alicloud_oss_bucket.owner_backup",
    )
    manifest = yaml.safe_load((EXAMPLE / "manifest.yaml").read_text("utf-8"))
    assert "alicloud_oss_bucket.owner_backup" in manifest["components"]["owner-db-dr"]["resources"]


# -- a catalog of one's own -----------------------------------------------------------
def user_pack(ws: Path, catalog: str) -> None:
    (ws / "acme" / "catalog").mkdir(parents=True)
    (ws / "acme" / "pack.yaml").write_text(
        "id: acme\nname: ACME's Terraform catalog\ncategories: [infrastructure]\n", "utf-8"
    )
    (ws / "acme" / "catalog" / "terraform.yaml").write_text(catalog, encoding="utf-8")


def test_a_pack_extends_the_terraform_catalog_type_by_type(ws: Path) -> None:
    user_pack(
        ws,
        "terraform_providers:\n"
        "  alibaba-cloud:\n"
        "    resources:  # our ECS hosts keep customers' files\n"
        "      alicloud_instance: {kind: datastore, data: true}\n",
    )
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    plan.resource("alicloud_db_instance.customers", {"engine": "MySQL"})
    plan.resource("alicloud_instance.api", {"instance_type": "ecs.g7.large"})  # named
    plan.resource("alicloud_instance.files", {"instance_type": "ecs.g7.large"})
    plan.resource("alicloud_oss_bucket.logs", {"bucket": "logs"})  # the built-in type stays
    write_plan(ws, plan.to_dict())
    _, found = findings(ws)
    assert [f["resource"] for f in found] == ["alicloud_oss_bucket.logs"]
    _, found = findings(ws, "--pack", "cn", "--pack", "acme")
    assert [f["resource"] for f in found] == ["alicloud_instance.files", "alicloud_oss_bucket.logs"]


def test_a_broken_catalog_of_a_pack_is_a_located_error(ws: Path) -> None:
    user_pack(
        ws,
        "terraform_providers:\n"
        "  alibaba-cloud:\n"
        "    resources:\n"
        "      alicloud_instance: {kind: database, data: true}\n",
    )
    for argv in (
        ["check", MANIFEST, "--terraform", PLAN, "--pack", "cn", "--pack", "acme"],
        ["import", "terraform", PLAN, "--pack", "cn", "--pack", "acme"],
    ):
        with cwd(ws):
            code, out, err = run(argv)
        assert (code, out) == (2, "")
        assert err.startswith("acme/catalog/terraform.yaml:4:27: ")
        assert "did you mean 'datastore'?" in err


# -- the README -----------------------------------------------------------------------
def test_the_readme_shows_what_steer_prints(tmp_path: Path) -> None:
    """The four examples of README "Checking against the infrastructure", each the
    example platform with one thing changed, are steer's messages word for word."""
    readme = " ".join((EXAMPLE.parents[1] / "README.md").read_text("utf-8").split())
    plan = json.loads((EXAMPLE / "plan.json").read_text("utf-8"))
    text = (EXAMPLE / "manifest.yaml").read_text("utf-8")
    hongkong = json.dumps(plan).replace('"cn-beijing"', '"cn-hongkong"')
    unresolved = dict(plan, variables={k: v for k, v in plan["variables"].items() if k != "region"})
    cases = [
        (text, hongkong, "STEER-IAC-001"),
        (text.replace("resources: ['module.global_export.*']", "resources: []"), None, "002"),
        (text.replace("[alicloud_db_instance.owner]", "[alicloud_db_instance.ownr]"), None, "003"),
        (text, json.dumps(unresolved), "STEER-IAC-004"),
    ]
    for manifest, plan_text, rule in cases:
        (tmp_path / "m.yaml").write_text(manifest, encoding="utf-8")
        (tmp_path / "plan.json").write_text(plan_text or json.dumps(plan), encoding="utf-8")
        with cwd(tmp_path):
            code, out, _ = run(
                [
                    "check",
                    "m.yaml",
                    "--as-of",
                    AS_OF,
                    "--terraform",
                    "plan.json",
                    "--format",
                    "json",
                ]
            )
        assert code == (0 if rule == "003" else 1)  # STEER-IAC-003 is a warning
        found = [f for f in json.loads(out)["findings"] if f["rule"].endswith(rule)]
        message = found[0]["message"].replace("(plan.json)", "(examples/terraform/plan.json)")
        message = message.replace(" in plan.json;", " in examples/terraform/plan.json;")
        if rule == "STEER-IAC-004":  # the README elides the middle of this long one
            head, tail = message.split(" resolve, ")[0], message.split(". steer does not")[1]
            assert head + " resolve, ..." in readme and "steer does not" + tail in readme
        else:
            assert message in readme, message
