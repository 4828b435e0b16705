"""--format github: workflow-command annotations with file, line and column, escaped as
the Actions runner expects, and the Markdown job summary in $GITHUB_STEP_SUMMARY."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from steer.errors import Mark
from steer.reporters import render
from steer.reporters.check.github import escape_data, escape_property, step_summary
from steer.results.findings import BaselineResult, Finding, FixedEntry, Report
from support import AS_OF, EXAMPLE, check, cwd, run, violating

COMMAND = re.compile(r"^::(error|warning|notice) (.*?)::(.*)$")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """Undo the runner's escaping, as GitHub does when it reads the log."""
    found = COMMAND.match(line)
    assert found, line
    kind, props, message = found.groups()
    fields = dict(p.split("=", 1) for p in props.split(","))

    def unescape(text: str) -> str:
        for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
            text = text.replace(code, char)
        return text

    return kind, {k: unescape(v) for k, v in fields.items()}, unescape(message)


def test_escaping_follows_the_runner() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    finding = Finding(
        rule="CN-X-001",
        title="Title: with, commas",
        severity="high",
        status="draft",
        level="error",
        category="c",
        target="flows.a",
        message="100% of data:\nleaves",
        remediation="fix it",
        location=Mark("dir/m,1.yaml", 7, 3),
        path=("a", "b"),
    )
    report = Report("0.1.0", "dir/m,1.yaml", AS_OF, (finding,), ("CN-X-001",))
    lines = render("github", [report]).splitlines()
    assert lines[0] == (
        "::error file=dir/m%2C1.yaml,line=7,col=3,"
        "title=CN-X-001 (policy%2C high%2C draft)%3A Title%3A with%2C commas::"
        "flows.a: 100%25 of data:%0Aleaves%0APath: a → b%0AFix: fix it"
    )
    assert lines[1] == "steer: dir/m,1.yaml: 1 error, 0 warnings, 0 waived, 0 of 1 rule passed"


def test_one_annotation_per_finding(tmp_path: Path) -> None:
    path = tmp_path / "demo.steer.yaml"
    path.write_text(violating(analytics=True, ops=False, waiver=True), encoding="utf-8")
    report = check(path, "deploy/demo.steer.yaml")
    lines = render("github", [report]).splitlines()
    annotations = [parse(line) for line in lines if line.startswith("::")]
    assert len(annotations) == len(report.findings)
    for (kind, props, message), f in zip(annotations, report.findings, strict=True):
        assert kind == ("notice" if f.waived else f.level)
        assert props["file"] == "deploy/demo.steer.yaml"
        assert (int(props["line"]), int(props["col"])) == (f.location.line, f.location.column)
        assert props["title"] == f"{f.rule} ({f.authority}, {f.severity}, {f.status}): {f.title}"
        assert message.startswith(f"{f.target}: {f.message}")
        assert ("Waived: " if f.waived else "Fix: ") in message
        if f.path:
            assert "Path: " + " → ".join(f.path) in message
    s = report.summary()
    assert sum(k == "error" for k, _, _ in annotations) == s["error"]
    assert sum(k == "warning" for k, _, _ in annotations) == s["warning"]
    assert sum(k == "notice" for k, _, _ in annotations) == s["waived"] == 1
    assert lines[-1].startswith("steer: deploy/demo.steer.yaml: 5 errors, 3 warnings, 1 waived")


def test_fixed_baseline_entries_are_notices() -> None:
    fixed = FixedEntry("CN-XB-001", "t", "flows.gone", ("a", "b"), "it crossed", 12)
    report = Report(
        "0.1.0",
        "m.yaml",
        AS_OF,
        (),
        ("CN-XB-001",),
        baseline=BaselineResult("base.json", 2, (fixed,)),
    )
    lines = render("github", [report]).splitlines()
    kind, props, message = parse(lines[0])
    assert (kind, props) == ("notice", {"file": "m.yaml", "line": "12", "title": "CN-XB-001 fixed"})
    assert message.startswith("fixed since baseline base.json: flows.gone: it crossed")
    assert lines[1].endswith("2 known (baseline base.json)")


def test_step_summary_appends_markdown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.steer.yaml").write_text(violating(), encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    with cwd(tmp_path):
        code, out, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "github"])
    assert code == 1 and err == ""
    assert out.startswith("::error file=m.steer.yaml,line=")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n## steer: `m.steer.yaml` fails: 4 errors")
    assert "```mermaid\nflowchart LR" in text
    # other formats leave the summary alone
    with cwd(tmp_path):
        run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "json"])
    assert summary.read_text(encoding="utf-8") == text


def test_step_summary_outside_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    assert step_summary([]) is None
    assert step_summary([], {"GITHUB_STEP_SUMMARY": ""}) is None


def test_unwritable_summary_is_a_warning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "m.steer.yaml").write_text(violating(), encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "missing-dir" / "summary.md"))
    with cwd(tmp_path):
        code, out, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "github"])
    assert code == 1  # the verdict of the check, not a crash
    assert out.count("::error ") == 4
    assert err.startswith("steer: warning: cannot append to GITHUB_STEP_SUMMARY")


def test_example_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    if not EXAMPLE.is_file():
        pytest.skip("examples/china-platform.yaml not written yet")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    with cwd(EXAMPLE.parent.parent):
        code, out, _ = run(
            ["check", "examples/china-platform.yaml", "--as-of", AS_OF, "--format", "github"]
        )
    assert code == 1
    commands = [parse(line) for line in out.splitlines() if line.startswith("::")]
    assert commands and all(p["file"] == "examples/china-platform.yaml" for _, p, _ in commands)
    assert all(int(p["line"]) > 0 and int(p["col"]) > 0 for _, p, _ in commands)
    assert any("Path: " in m for _, _, m in commands)
