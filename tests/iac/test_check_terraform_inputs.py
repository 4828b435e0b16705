"""`steer check --terraform` with what can go wrong around it: the plan files are
inputs (never written over), a bad plan is an exit 2 at its line and column, the
configuration's `terraform` is relative to its folder, a pack of one's own extends
the Terraform catalog (a broken one is located), and the README's examples are what
steer prints."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from iacsupport import AS_OF, EXAMPLE
from iacworkspace import (
    MANIFEST,
    PLAN,
    check,
    findings,
    plan_of,
    workspace,
    write_plan,
)
from support import cwd, run
from tfplan import Plan


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return workspace(tmp_path)


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
