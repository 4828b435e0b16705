"""`steer import terraform FILE... [--output FILE]` as users run it: the draft on stdout
or written atomically, never over an input or an existing file without --force; and
every draft, of the example plan and of each plan and state in tests/iac/data, is a
manifest that `steer check --terraform` loads (exit 0 or 1, never 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from iacsupport import AS_OF, DATA, EXAMPLE
from steer.commands.common import display_path
from steer.loading.document import Document
from steer.loading.parse import load_file
from steer.manifest.load import load_manifest
from support import cwd, run

PLANS = [
    EXAMPLE / "plan.json",
    DATA / "example-state.json",
    DATA / "real" / "plan.json",
    DATA / "real" / "state.json",
    DATA / "real" / "plan-delete.json",
]


def test_the_draft_goes_to_stdout() -> None:
    code, out, err = run(["import", "terraform", str(EXAMPLE / "plan.json")])
    assert (code, err) == (0, "")
    data = yaml.safe_load(out)
    assert data["version"] == 1 and "owner" in data["components"]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.name)
def test_each_draft_is_a_manifest_steer_check_loads(tmp_path: Path, plan: Path) -> None:
    draft = tmp_path / "drafted.steer.yaml"
    code, out, err = run(["import", "terraform", str(plan), "--output", str(draft)])
    assert (code, out) == (0, ""), err
    shown = display_path(plan)
    assert err.startswith(f"steer: wrote {draft}, drafted from {shown}")
    assert err.endswith(f"check it with: steer check {draft} --terraform {shown}\n")
    code, out, err = run(["check", str(draft), "--as-of", AS_OF, "--terraform", str(plan)])
    assert code in (0, 1), err  # findings, maybe; never an input error
    code, out, err = run(
        ["check", str(draft), "--as-of", AS_OF, "--terraform", str(plan), "--select", "STEER-*"]
    )
    assert code == 0, out  # drafted from the plan: it names every resource where it runs


def test_several_files_make_one_draft(tmp_path: Path) -> None:
    plans = [EXAMPLE / "plan.json", DATA / "real" / "plan.json"]
    code, out, err = run(["import", "terraform", *map(str, plans), "--name", "Two plans"])
    assert (code, err) == (0, "")
    shown = ", ".join(display_path(p) for p in plans)
    assert out.startswith(
        f"# A starter manifest drafted by `steer import terraform` from:\n#   {shown}\n"
    )
    assert yaml.safe_load(out)["name"] == "two-plans"  # as an id


def test_output_is_refused_over_an_existing_file_and_over_an_input(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_bytes((EXAMPLE / "plan.json").read_bytes())
    draft = tmp_path / "steer.yaml"
    draft.write_text("# my edits\n", encoding="utf-8")
    with cwd(tmp_path):
        code, out, err = run(["import", "terraform", "plan.json", "--output", "steer.yaml"])
        assert (code, out) == (2, "")
        assert err == "steer: --output steer.yaml exists; pass --force to overwrite it\n"
        assert draft.read_text() == "# my edits\n"
        code, _, err = run(["import", "terraform", "plan.json", "--output", "plan.json", "--force"])
        assert code == 2 and "is an input of this run" in err
        assert plan.read_bytes() == (EXAMPLE / "plan.json").read_bytes()
        code, _, err = run(
            ["import", "terraform", "plan.json", "--output", "steer.yaml", "--force"]
        )
    assert code == 0, err
    assert draft.read_text().startswith("# A starter manifest drafted")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic


def test_no_file_and_a_bad_flag_are_usage_errors() -> None:
    code, _, err = run(["import", "terraform"])
    assert code == 2 and "Missing argument" in err
    code, _, err = run(["import", "terraform", str(EXAMPLE / "plan.json"), "--pack", "nope"])
    assert code == 2 and "Traceback" not in err


def test_the_entries_of_resources_keep_their_positions(tmp_path: Path) -> None:
    """A validated manifest keeps only element positions, and those of each entry of a
    component's resources (STEER-IAC findings point at them)."""
    path = tmp_path / "m.steer.yaml"
    path.write_text((EXAMPLE / "manifest.yaml").read_text("utf-8"), encoding="utf-8")
    manifest = load_manifest(path, "m.steer.yaml")
    lines = path.read_text().splitlines()
    for cid, spec in manifest.components.items():
        for i, entry in enumerate(spec.get("resources") or ()):
            mark = manifest.mark(("components", cid, "resources", i))
            written = lines[mark.line - 1][mark.column - 1 :].lstrip("'\"")
            assert written.startswith(entry), (cid, entry)
    # without resources, the fast path keeps the two top levels only
    doc: Document = load_file(EXAMPLE.parent / "china-platform.yaml", "p.yaml")
    doc.compact(2, also=(("components", "resources"),))
    assert all(len(k) <= 2 for k in doc.key_marks())
