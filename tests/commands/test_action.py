"""The GitHub Action (action.yml) and the CI examples: they validate against the
public schemas (check-jsonschema's vendored copies, offline), and their shell steps
run here as the Actions runner and GitLab would run them."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from junitparser import JUnitXml

from support import ROOT, clean, violating
from tfplan import Plan

ACTION = ROOT / "action.yml"
WORKFLOW = ROOT / "examples" / "ci" / "github-workflow.yml"
GITLAB = ROOT / "examples" / "ci" / "gitlab-ci.yml"
REAL = ROOT / "tests" / "iac" / "data" / "real"  # a configuration of terraform_data


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (ACTION, "vendor.github-actions"),
        (WORKFLOW, "vendor.github-workflows"),
        (GITLAB, "vendor.gitlab-ci"),
    ],
)
def test_valid_against_the_public_schemas(path: Path, schema: str) -> None:
    pytest.importorskip("check_jsonschema")  # in the test extras; its schemas ship with it
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_interface() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    inputs = action["inputs"]
    assert {"manifests", "fail-on", "sarif", "terraform"} <= set(inputs)
    # steer is installed from the action's own checkout, never from a package index
    # (where the name "steer" is another project's): no input chooses a version there
    assert "version" not in inputs
    assert inputs["terraform"]["default"] == ""
    assert (inputs["fail-on"]["default"], inputs["sarif"]["default"]) == ("error", "true")
    assert set(action["outputs"]) == {"exit-code", "errors", "warnings", "sarif-file"}
    steps = action["runs"]["steps"]
    upload = next(
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    )
    assert upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"
    assert "inputs.sarif == 'true'" in upload["if"] and "always()" in upload["if"]
    # the verdict comes last, so that a failing check still uploads its SARIF
    assert steps.index(upload) < len(steps) - 1 and "STEER_EXIT" in steps[-1]["run"]
    for step in steps:  # inputs reach scripts through env, never spliced into the script
        assert "${{" not in step.get("run", "")


# -- running the action's steps like the runner ------------------------------------------
_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


class Runner:
    """Runs the `run:` steps of a composite action as GitHub's runner does: bash with
    -eo pipefail, inputs through ${{ }} expressions in env, GITHUB_OUTPUT files."""

    def __init__(self, workspace: Path, tmp: Path, inputs: dict[str, str]) -> None:
        self.workspace = workspace
        self.tmp = tmp
        action = load(ACTION)
        self.inputs = {k: str(v.get("default", "")) for k, v in action["inputs"].items()}
        self.inputs.update(inputs)
        self.steps: list[dict[str, Any]] = action["runs"]["steps"]
        self.outputs: dict[str, dict[str, str]] = {}
        self.bin = tmp / "bin"
        self.bin.mkdir()
        self.pip_log = tmp / "pip.log"
        # the steer of this checkout, whatever is installed; pip only records its arguments
        self._script(
            "steer",
            f"#!{sys.executable}\nimport sys\nfrom steer.cli import main\nsys.exit(main())\n",
        )
        self._script("python", f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
        self._script("pip", f'#!/bin/sh\necho "$@" >> "{self.pip_log}"\n')
        self.summary = tmp / "summary.md"
        self.summary.write_text("", encoding="utf-8")

    def _script(self, name: str, text: str) -> None:
        path = self.bin / name
        path.write_text(text, encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IEXEC)

    def _value(self, expr: str) -> str:
        if expr.startswith("inputs."):
            return self.inputs[expr.removeprefix("inputs.")]
        found = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr)
        if found:
            return self.outputs.get(found.group(1), {}).get(found.group(2), "")
        raise AssertionError(f"expression the test runner does not know: {expr}")

    def run(self) -> list[subprocess.CompletedProcess[str]]:
        results = []
        for i, step in enumerate(self.steps):
            if "run" not in step:
                continue  # `uses:` steps (setup-python, upload-sarif) need GitHub itself
            assert step["shell"] == "bash"
            env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
            env.update(
                PATH=f"{self.bin}{os.pathsep}{env['PATH']}",
                PYTHONPATH=str(ROOT / "checker"),
                GITHUB_ACTION_PATH=str(ROOT),
                GITHUB_WORKSPACE=str(self.workspace),
                GITHUB_OUTPUT=str(self.tmp / f"output-{i}"),
                GITHUB_STEP_SUMMARY=str(self.summary),
                RUNNER_TEMP=str(self.tmp),
                NO_COLOR="1",
            )
            for key, value in step.get("env", {}).items():
                env[key] = _EXPR.sub(lambda m: self._value(m.group(1)), str(value))
            script = self.tmp / f"step-{i}.sh"
            script.write_text(step["run"], encoding="utf-8")
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=self.workspace,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            results.append(result)
            output = Path(env["GITHUB_OUTPUT"])
            if "id" in step and output.exists():
                pairs = (
                    line.split("=", 1) for line in output.read_text().splitlines() if "=" in line
                )
                self.outputs[step["id"]] = dict(pairs)
            if result.returncode != 0:
                break  # as the runner does: later steps do not run
        return results


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    ws = tmp_path / "workspace"
    (ws / "deploy").mkdir(parents=True)
    (ws / "deploy" / "platform.steer.yaml").write_text(violating(), encoding="utf-8")
    (ws / "deploy" / "dealers.steer.yaml").write_text(clean(), encoding="utf-8")
    return ws


def test_action_fails_on_findings_and_writes_sarif(workspace: Path, tmp_path: Path) -> None:
    runner = Runner(workspace, tmp_path, {"manifests": "deploy/"})
    install, check, verdict = runner.run()
    assert install.returncode == 0 and "steer 0.1.0" in install.stdout
    assert runner.pip_log.read_text().split() == [
        "install",
        "--disable-pip-version-check",
        str(ROOT),
    ]
    assert check.returncode == 0, check.stderr  # the check step defers failing to the verdict
    assert runner.outputs["check"] == {
        "exit-code": "1",
        "sarif-file": "steer.sarif",
        "errors": "4",
        "warnings": "0",
    }
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 4
    assert all(a.startswith("::error file=deploy/platform.steer.yaml,line=") for a in annotations)
    sarif = json.loads((workspace / "steer.sarif").read_text(encoding="utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == 4
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "deploy/platform.steer.yaml"
    }
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("## steer check: 2 manifests, 1 failing")
    assert verdict.returncode == 1
    assert verdict.stdout.startswith("::error title=steer::findings at or above fail-on")


def test_action_passes_without_sarif(workspace: Path, tmp_path: Path) -> None:
    (workspace / "deploy" / "platform.steer.yaml").unlink()
    runner = Runner(
        workspace,
        tmp_path,
        {"manifests": "", "sarif": "false", "fail-on": "warning"},
    )
    _install, check, verdict = runner.run()
    assert runner.pip_log.read_text().split() == [
        "install",
        "--disable-pip-version-check",
        str(ROOT),
    ]
    assert runner.outputs["check"] == {
        "exit-code": "0",
        "sarif-file": "",
        "errors": "0",
        "warnings": "0",
    }
    assert not (workspace / "steer.sarif").exists()
    # no manifests input: steer finds the repository's *.steer.yaml itself
    assert re.fullmatch(
        r"steer: deploy/dealers.steer.yaml: 0 errors, 0 warnings, 0 waived, "
        r"(\d+) of \1 rules passed\n",
        check.stdout,
    ), check.stdout
    assert (verdict.returncode, verdict.stdout) == (0, "steer: passed\n")


def test_action_inputs_several_manifests_and_args(workspace: Path, tmp_path: Path) -> None:
    runner = Runner(
        workspace,
        tmp_path,
        {
            "manifests": "deploy/dealers.steer.yaml\ndeploy/platform.steer.yaml\n",
            "args": "--select CN-XB-* --strict",
            "fail-on": "never",
        },
    )
    _, check, verdict = runner.run()
    assert runner.outputs["check"]["exit-code"] == "0"
    assert runner.outputs["check"]["errors"] == "2"
    rules = {
        re.search(r"title=(CN-[A-Z]+-\d+)", line).group(1)  # type: ignore[union-attr]
        for line in check.stdout.splitlines()
        if line.startswith("::")
    }
    assert rules == {"CN-XB-001", "CN-XB-002"}
    assert verdict.returncode == 0


def test_action_reports_a_broken_manifest(workspace: Path, tmp_path: Path) -> None:
    (workspace / "deploy" / "broken.steer.yaml").write_text(
        "version: 1\nname: [\n", encoding="utf-8"
    )
    runner = Runner(workspace, tmp_path, {"manifests": "deploy"})
    _, check, verdict = runner.run()
    assert runner.outputs["check"]["exit-code"] == "2"
    assert "deploy/broken.steer.yaml:3:1: " in check.stderr
    assert (workspace / "steer.sarif").exists()  # the manifests that could be checked
    assert verdict.returncode == 2 and "steer could not run (exit 2)" in verdict.stdout


def test_action_checks_against_the_terraform_plans(workspace: Path, tmp_path: Path) -> None:
    plan = Plan()
    plan.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    plan.provider("aws", "hashicorp/aws", alias="global", region="eu-central-1")
    plan.resource("aws_s3_bucket.export", {"bucket": "export"}, provider="aws.global")
    (workspace / "infra").mkdir()
    (workspace / "infra" / "global.json").write_text(plan.to_json(indent=1), encoding="utf-8")
    quiet = Plan()
    quiet.provider("alicloud", "aliyun/alicloud", region="cn-shanghai")
    quiet.resource("alicloud_vpc.main", {"cidr_block": "10.0.0.0/8"})  # holds no data
    (workspace / "infra" / "vpc.json").write_text(quiet.to_json(), encoding="utf-8")
    runner = Runner(
        workspace,
        tmp_path,
        {"manifests": "deploy/", "terraform": "infra/global.json\ninfra/vpc.json\n"},
    )
    _, check, verdict = runner.run()
    assert runner.outputs["check"]["exit-code"] == "1", check.stderr
    assert runner.outputs["check"]["errors"] == "6"  # 4 as before, and the bucket in each manifest
    iac = [line for line in check.stdout.splitlines() if "title=STEER-IAC-002" in line]
    assert [line.split(",", 1)[0] for line in iac] == [
        "::error file=deploy/dealers.steer.yaml",
        "::error file=deploy/platform.steer.yaml",
    ]
    assert all("aws_s3_bucket.export (infra/global.json)" in line for line in iac)
    sarif = json.loads((workspace / "steer.sarif").read_text(encoding="utf-8"))
    uris = [a["location"]["uri"] for a in sarif["runs"][0]["artifacts"]]
    assert uris == [
        "deploy/dealers.steer.yaml",
        "deploy/platform.steer.yaml",
        "infra/global.json",
        "infra/vpc.json",
    ]
    assert verdict.returncode == 1


# -- the CI examples ----------------------------------------------------------------------
def terraform_plan(script: str, cwd: Path, workspace: Path) -> None:
    """infra/plan.json as the example's plan step makes it: with a real terraform on a
    configuration of the built-in terraform_data resource (no provider to download, no
    credentials), else the plan Terraform 1.11.4 printed for it (tests/iac/data/real)."""
    infra = workspace / "infra"
    shutil.copytree(REAL / "config", infra)
    binary = shutil.which("terraform")
    if binary is None:
        shutil.copy(REAL / "plan.json", infra / "plan.json")
        return
    (infra / "empty.tfrc").write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",  # no version check over the network
        "TF_CLI_CONFIG_FILE": str(infra / "empty.tfrc"),
    }
    result = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads((infra / "plan.json").read_text(encoding="utf-8"))["format_version"]


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "CI_"))}
    env.update(PYTHONPATH=str(ROOT / "checker"), NO_COLOR="1")
    # `steer` as the examples call it, from this checkout
    bindir = cwd.parent / "bin"
    bindir.mkdir(exist_ok=True)
    steer = bindir / "steer"
    steer.write_text(
        f"#!{sys.executable}\nimport sys\nfrom steer.cli import main\nsys.exit(main())\n"
    )
    steer.chmod(0o755)
    env["PATH"] = f"{bindir}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        ["bash", "-eo", "pipefail", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_gitlab_example_writes_its_junit_report(workspace: Path) -> None:
    pipeline = load(GITLAB)
    plan_job, job = pipeline["terraform-plan"], pipeline["steer"]
    assert pipeline["stages"] == ["plan", "test"] and job["needs"] == ["terraform-plan"]
    assert plan_job["script"][-1] == "terraform show -json plan.out > plan.json"
    (artifact,) = plan_job["artifacts"]["paths"]
    terraform_plan("\n".join(plan_job["script"]), workspace, workspace)
    (command,) = job["script"]
    assert f"--terraform {artifact}" in command
    result = _shell(command, workspace)
    assert result.returncode == 1, result.stderr  # platform.steer.yaml has findings
    assert "rules passed" in result.stdout  # the table in the job log
    junit_file = job["artifacts"]["reports"]["junit"]
    xml = JUnitXml.fromfile(str(workspace / junit_file))
    assert sorted(s.name for s in xml) == [
        "deploy/dealers.steer.yaml",
        "deploy/platform.steer.yaml",
    ]
    assert xml.failures > 0
    assert job["artifacts"]["when"] == "always"
    for path in job["artifacts"]["paths"]:
        assert (workspace / path).is_file(), path


def test_github_example_uploads_the_sarif_it_writes(workspace: Path) -> None:
    jobs = load(WORKFLOW)["jobs"]
    assert load(WORKFLOW)["permissions"]["security-events"] == "write"
    action_step = next(s for s in jobs["steer"]["steps"] if s.get("name") == "steer check")
    assert action_step["with"]["sarif"] == "true"
    assert action_step["with"]["terraform"] == "infra/plan.json"
    steps = jobs["steer-cli"]["steps"]
    plan_step = next(s for s in steps if s.get("id") == "plan")
    terraform_plan(plan_step["run"], workspace / plan_step["working-directory"], workspace)
    run_step = next(s for s in steps if s.get("id") == "steer")
    assert "--terraform infra/plan.json" in run_step["run"]
    result = _shell(run_step["run"], workspace)
    assert result.returncode == 1
    assert result.stdout.count("::error file=deploy/platform.steer.yaml") == 4
    upload = next(
        s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif")
    )
    sarif = json.loads((workspace / upload["with"]["sarif_file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert (
        (workspace / "steer.md")
        .read_text(encoding="utf-8")
        .startswith("## steer check: 2 manifests")
    )
