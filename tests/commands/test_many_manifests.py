"""steer check on many manifests: files and folders (expanded with globs), each
checked and reported per file, one exit code for all, a broken manifest reported
while the others are still checked (exit 2 wins), a progress bar on a terminal."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest

from steer.commands.check import CheckOptions, check
from steer.loading.discover import DEFAULT_GLOBS, discover, matches, translate
from support import AS_OF, clean, cwd, run, violating


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "steer.yaml", clean(name="root"))
    write(tmp_path / "deploy" / "cn" / "platform.steer.yaml", violating())
    write(tmp_path / "deploy" / "cn" / "dealers.steer.yml", clean(name="dealers"))
    write(tmp_path / "deploy" / "eu" / "steer.yaml", clean(name="eu"))
    write(tmp_path / "deploy" / "cn" / "scenario.yaml", "name: not a manifest\n")
    write(tmp_path / ".venv" / "lib" / "steer.yaml", "ignored: hidden folders are not entered\n")
    write(tmp_path / "node_modules" / "x" / "steer.yaml", "ignored: true\n")
    return tmp_path


def json_check(*argv: str) -> tuple[int, Any, str]:
    code, out, err = run(["check", *argv, "--as-of", AS_OF, "--format", "json"])
    return code, json.loads(out) if out else None, err


def manifests(doc: Any) -> list[str]:
    return [r["manifest"] for r in doc["reports"]] if "reports" in doc else [doc["manifest"]]


def test_folders_expand_with_the_default_globs(project: Path) -> None:
    with cwd(project):
        code, doc, err = json_check(".")
    assert (code, err) == (1, "")
    assert manifests(doc) == [
        "steer.yaml",
        "deploy/cn/dealers.steer.yml",
        "deploy/cn/platform.steer.yaml",
        "deploy/eu/steer.yaml",
    ]
    assert [r["summary"]["error"] for r in doc["reports"]] == [0, 0, 4, 0]
    assert doc["steer_version"]


def test_files_and_folders_mixed_without_repeats(project: Path) -> None:
    with cwd(project):
        code, doc, _ = json_check("deploy/eu/steer.yaml", "deploy", "deploy/cn/scenario.yaml")
    # a file named on the command line is checked whatever its name
    assert manifests(doc)[:3] == [
        "deploy/eu/steer.yaml",
        "deploy/cn/dealers.steer.yml",
        "deploy/cn/platform.steer.yaml",
    ]
    assert code == 2  # scenario.yaml is no manifest: reported, and it wins


def test_configured_globs_and_exclude(project: Path) -> None:
    write(
        project / ".steer.toml",
        'manifests = ["deploy/**/*.steer.y*ml"]\nexclude = ["**/dealers.*"]\n',
    )
    with cwd(project):
        code, doc, _ = json_check()  # no arguments: the project's manifests
        assert manifests(doc) == ["deploy/cn/platform.steer.yaml"]
        assert code == 1
        _, doc, _ = json_check("deploy")
        assert manifests(doc) == ["deploy/cn/platform.steer.yaml"]
    # from a sub-folder the globs still mean the project root; names stay project-relative
    with cwd(project / "deploy" / "eu"):
        code, doc, _ = json_check()
    assert manifests(doc) == ["deploy/cn/platform.steer.yaml"]


def test_one_exit_code_for_all(project: Path) -> None:
    with cwd(project):
        assert json_check("steer.yaml", "deploy/eu")[0] == 0
        assert json_check("steer.yaml", "deploy/cn/platform.steer.yaml")[0] == 1
        assert (
            json_check("steer.yaml", "deploy/cn/platform.steer.yaml", "--fail-on", "never")[0] == 0
        )


def test_a_broken_manifest_does_not_stop_the_others(project: Path) -> None:
    write(
        project / "deploy" / "cn" / "broken.steer.yaml",
        "version: 1\nname: broken\ncomponents:\n  x: {kind: nope}\n",
    )
    write(project / "deploy" / "cn" / "bad-yaml.steer.yaml", "version: 1\nname: [unclosed\n")
    with cwd(project):
        code, doc, err = json_check("deploy", "missing.steer.yaml")
        _, table, _ = run(["check", "deploy", "--as-of", AS_OF])
    assert code == 2  # exit 2 wins over the 1 of platform.steer.yaml
    # every manifest named has its entry, in order: those that could not be checked
    # with their error (cli.md)
    assert manifests(doc) == [
        "deploy/cn/bad-yaml.steer.yaml",
        "deploy/cn/broken.steer.yaml",
        "deploy/cn/dealers.steer.yml",
        "deploy/cn/platform.steer.yaml",
        "deploy/eu/steer.yaml",
        "missing.steer.yaml",
    ]
    errors = [r.get("error") for r in doc["reports"]]
    assert [e is None for e in errors] == [False, False, True, True, True, False]
    assert errors[1].startswith("deploy/cn/broken.steer.yaml:4:7: components.x.kind")
    assert all("summary" not in r for r in doc["reports"] if "error" in r)
    lines = err.splitlines()
    assert lines[0].startswith("deploy/cn/bad-yaml.steer.yaml:3:1: ")
    assert lines[1].startswith(
        "deploy/cn/broken.steer.yaml:4:7: components.x.kind: unknown component kind 'nope'"
    )
    assert lines[2].startswith("missing.steer.yaml")
    assert len(lines) == 3
    # findings are reported per file in the table too
    assert table.index("deploy/cn/dealers.steer.yml") < table.index("deploy/cn/platform.steer.yaml")
    assert table.count("rules passed") == 3


def test_a_broken_pack_is_reported_once(project: Path) -> None:
    write(project / "badpack" / "pack.yaml", "id: bad\n")
    with cwd(project):
        code, doc, err = json_check("deploy", "--pack", "badpack")
    assert code == 2
    # no manifest could be checked: the JSON still lists each, with the pack's error
    assert manifests(doc) == [
        "deploy/cn/dealers.steer.yml",
        "deploy/cn/platform.steer.yaml",
        "deploy/eu/steer.yaml",
    ]
    assert all(r["error"].startswith("badpack/pack.yaml:1:1: ") for r in doc["reports"])
    # one pack error for the whole run, not one per manifest
    assert err.count("badpack/pack.yaml:1:1: (document): missing required field 'name'") == 1


def test_bad_flags_stop_at_once(project: Path) -> None:
    with cwd(project):
        code, doc, err = json_check("deploy", "--select", "CN-XB-01")
    assert (code, doc) == (2, None)
    assert (
        err
        == "steer: --select: no guardrail 'CN-XB-01' in the loaded packs; did you mean CN-XB-001?\n"
    )


def test_nothing_to_check(tmp_path: Path) -> None:
    write(tmp_path / "docs" / "readme.yaml", "a: 1\n")
    with cwd(tmp_path):
        code, out, err = run(["check", "docs"])
    assert (code, out) == (2, "")
    assert err == (
        "steer: no manifests to check in docs (looked for **/*.steer.yaml, **/*.steer.yml, "
        "**/steer.yaml, **/steer.yml); name the files, or set manifests = [...] in [tool.steer] "
        "or .steer.toml\n"
    )
    with cwd(tmp_path):
        code, out, err = run(["check", "docs", str(write(tmp_path / "m.steer.yaml", clean()))])
    assert (code, err) == (
        0,
        "steer: docs: no manifests matching **/*.steer.yaml, **/*.steer.yml, "
        "**/steer.yaml, **/steer.yml\n",
    )  # a note, not an error


def test_progress_bar_only_when_asked_or_on_a_terminal(project: Path) -> None:
    for i in range(6):
        write(project / "many" / f"m{i}.steer.yaml", clean(name=f"m{i}"))
    options = CheckOptions(manifests=(Path("many"),), as_of=AS_OF, format="json", root=project)
    for progress, drawn in ((True, True), (None, False), (False, False)):
        out, err = io.StringIO(), io.StringIO()
        with cwd(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = check(CheckOptions(**{**options.__dict__, "progress": progress}))
        assert code == 0
        assert len(json.loads(out.getvalue())["reports"]) == 6  # the report is untouched
        assert ("checking" in err.getvalue()) is drawn, err.getvalue()


def test_errors_print_above_the_bar(project: Path) -> None:
    for i in range(5):
        write(project / "many" / f"m{i}.steer.yaml", clean(name=f"m{i}"))
    write(project / "many" / "zz.steer.yaml", "version: 1\nname: [\n")
    out, err = io.StringIO(), io.StringIO()
    options = CheckOptions(
        manifests=(Path("many"),), as_of=AS_OF, format="json", root=project, progress=True
    )
    with cwd(project), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert check(options) == 2
    assert "many/zz.steer.yaml:3:1" in err.getvalue()
    reports = json.loads(out.getvalue())["reports"]
    assert [("error" in r) for r in reports] == [False] * 5 + [True]  # zz: its error


def test_glob_translation() -> None:
    assert matches("steer.yaml", DEFAULT_GLOBS) and matches("a/b/c.steer.yml", DEFAULT_GLOBS)
    assert not matches("a/steer.yaml.bak", DEFAULT_GLOBS) and not matches(
        "a/notsteer.yaml", DEFAULT_GLOBS
    )
    assert matches("deploy/x.steer.yaml", ["deploy/**/*.steer.yaml"])
    assert matches("deploy/a/b/x.steer.yaml", ["deploy/**/*.steer.yaml"])
    assert not matches("other/deploy/x.steer.yaml", ["deploy/**/*.steer.yaml"])
    assert not matches("a/b.yaml", ["*.yaml"])  # * stays within one folder
    assert matches("m1.yaml", ["m[0-9].yaml"]) and not matches("m1.yaml", ["m[!0-9].yaml"])
    assert matches("x/[odd.yaml", ["x/[odd.yaml"])  # an unclosed bracket is literal
    assert translate("./a/*.yaml") == translate("a/*.yaml")


def test_discover_directly(project: Path) -> None:
    with cwd(project):
        found, notes = discover([Path("deploy/eu"), Path("deploy/eu/steer.yaml")])
    assert found == [Path("deploy/eu/steer.yaml")] and notes == []
