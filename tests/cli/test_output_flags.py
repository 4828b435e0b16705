"""The flags of a mature command line: ``-V``, ``--no-color`` (and ``NO_COLOR``),
``-q``/``--quiet``; plural-correct counts; a summary that says what a baseline hides;
and the ``{"reports": [...]}`` document whenever several manifests are named."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from steer import __version__
from support import AS_OF, clean, cwd, run, violating


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "bad.yaml").write_text(violating(), encoding="utf-8")
    (tmp_path / "good.yaml").write_text(clean(), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("version: 1\nname: [\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag: str) -> None:
    assert run([flag]) == (0, f"steer {__version__}\n", "")


@pytest.mark.parametrize("command", [["check", "bad.yaml"], ["transfers", "bad.yaml"]])
def test_no_color_wins_over_force_color(
    project: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    with cwd(project):
        _, coloured, _ = run([*command, "--as-of", AS_OF])
        _, plain, _ = run([*command, "--as-of", AS_OF, "--no-color"])
    assert "\x1b[" in coloured
    assert "\x1b[" not in plain and plain.strip()
    monkeypatch.setenv("NO_COLOR", "1")  # no-color.org: the environment says the same
    with cwd(project):
        _, env_plain, _ = run([*command, "--as-of", AS_OF])
    assert env_plain == plain


@pytest.mark.parametrize(
    "command", [["rules"], ["test", "cn", "--select", "CN-DS-001"], ["whatif", "bad.yaml"]]
)
def test_every_coloured_command_takes_no_color(project: Path, command: list[str]) -> None:
    if command[0] == "whatif":
        (project / "s.yaml").write_text("name: s\npatch: {}\n", encoding="utf-8")
        command = [*command, "s.yaml", "--as-of", AS_OF]
    with cwd(project):
        code, out, err = run([*command, "--no-color"])
    assert code in (0, 1), err
    assert "\x1b[" not in out


def test_quiet_prints_nothing_when_all_pass(project: Path) -> None:
    with cwd(project):
        assert run(["check", "good.yaml", "--as-of", AS_OF, "-q"]) == (0, "", "")
        code, out, _ = run(["check", "good.yaml", "--as-of", AS_OF])
    assert code == 0 and "rules passed" in out  # without -q: the heading and summary


def test_quiet_prints_the_findings_only(project: Path) -> None:
    with cwd(project):
        code, out, err = run(["check", "good.yaml", "bad.yaml", "--as-of", AS_OF, "--quiet"])
        _, full, _ = run(["check", "good.yaml", "bad.yaml", "--as-of", AS_OF])
    assert code == 1 and err == ""
    assert "CN-XB-001" in out and "bad.yaml" in out
    assert "good.yaml" not in out  # a manifest without findings says nothing
    assert "rules passed" not in out and "as of" not in out
    assert "rules passed" in full


def test_quiet_github_keeps_the_annotations_only(project: Path) -> None:
    with cwd(project):
        code, out, _ = run(["check", "bad.yaml", "--as-of", AS_OF, "-q", "--format", "github"])
    assert code == 1
    lines = out.splitlines()
    assert lines and all(line.startswith("::") for line in lines)


def test_quiet_leaves_documents_whole(project: Path) -> None:
    with cwd(project):
        _, quiet, _ = run(["check", "bad.yaml", "--as-of", AS_OF, "-q", "--format", "json"])
        _, full, _ = run(["check", "bad.yaml", "--as-of", AS_OF, "--format", "json"])
    assert quiet == full


def test_quiet_silences_notes_but_not_errors(project: Path) -> None:
    (project / "docs").mkdir()
    with cwd(project):
        code, _, err = run(["check", "docs", "good.yaml", "--as-of", AS_OF])
        assert code == 0 and "no manifests matching" in err  # a note
        assert run(["check", "docs", "good.yaml", "--as-of", AS_OF, "-q"]) == (0, "", "")
        code, _, err = run(["check", "broken.yaml", "--as-of", AS_OF, "-q"])
    assert code == 2 and "broken.yaml:3:1" in err


def test_counts_are_plural_correct(project: Path) -> None:
    with cwd(project):
        _, one, _ = run(["check", "bad.yaml", "--as-of", AS_OF, "--select", "CN-XB-001"])
        _, gh, _ = run(
            ["check", "bad.yaml", "--as-of", AS_OF, "--select", "CN-XB-001", "--format", "github"]
        )
    assert one.splitlines()[-1] == "1 error, 0 warnings, 0 waived, 0 of 1 rule passed"
    assert gh.splitlines()[-1] == (
        "steer: bad.yaml: 1 error, 0 warnings, 0 waived, 0 of 1 rule passed"
    )


def test_a_baseline_says_how_many_findings_it_hides(project: Path) -> None:
    with cwd(project):
        code, _, err = run(["check", "bad.yaml", "--as-of", AS_OF, "--write-baseline", "b.json"])
        assert code == 0
        known = int(err.split(": ")[2].split()[0])  # "wrote baseline b.json: N findings in ..."
        assert known > 1 and f"{known} findings in 1 manifest" in err
        args = ["check", "bad.yaml", "--as-of", AS_OF, "--baseline", "b.json"]
        code, table, _ = run(args)
        _, markdown, _ = run([*args, "--format", "markdown"])
        _, github, _ = run([*args, "--format", "github"])
        _, doc, _ = run([*args, "--format", "json"])
    assert code == 0
    summary = [line for line in table.splitlines() if "rules passed" in line]
    assert len(summary) == 1
    assert re.fullmatch(
        rf"0 errors, 0 warnings, 0 waived, (\d+) of \1 rules passed, {known} known \(baseline\)",
        summary[0],
    ), summary
    assert markdown.splitlines()[0].endswith(f"rules passed, {known} known (baseline)")
    assert github.splitlines()[-1].endswith(f"rules passed, {known} known (baseline b.json)")
    assert json.loads(doc)["baseline"]["known"] == known  # the JSON report says it too


def json_check(*args: str) -> tuple[int, str, str]:
    return run(["check", *args, "--as-of", AS_OF, "--format", "json"])


def test_several_manifests_always_give_the_reports_document(project: Path) -> None:
    with cwd(project):
        code, out, err = json_check("good.yaml", "broken.yaml", "missing.yaml")
    assert code == 2
    doc = json.loads(out)
    assert list(doc) == ["steer_version", "reports"]
    entries = doc["reports"]
    assert [e["manifest"] for e in entries] == ["good.yaml", "broken.yaml", "missing.yaml"]
    assert "summary" in entries[0] and "error" not in entries[0]
    assert entries[1] == {"manifest": "broken.yaml", "error": err.splitlines()[0]}
    assert entries[1]["error"].startswith("broken.yaml:3:1: ")
    assert entries[2]["error"].startswith("missing.yaml: ")


def test_several_manifests_none_loaded_still_a_document(project: Path) -> None:
    with cwd(project):
        code, out, _ = json_check("broken.yaml", "missing.yaml", "--format", "json:all.json")
        written = (project / "all.json").read_text(encoding="utf-8")
    assert code == 2
    assert [("error" in e) for e in json.loads(out)["reports"]] == [True, True]
    assert written == out


def test_one_manifest_stays_one_report(project: Path) -> None:
    with cwd(project):
        code, out, _ = run(["check", "good.yaml", "--as-of", AS_OF, "--format", "json"])
        broken = run(["check", "broken.yaml", "--as-of", AS_OF, "--format", "json"])
    assert code == 0 and json.loads(out)["manifest"] == "good.yaml"
    assert broken[:2] == (2, "")  # one manifest that cannot load: the error is the story
