"""Baselines: --write-baseline records today's findings; --baseline reports only new
ones, matched on manifest, rule, target and path (never line or message), counting
duplicates; entries that match nothing any more are reported as fixed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from steer.results.baseline import Baseline, Entry, apply, load
from support import AS_OF, check, clean, cwd, run, violating


def check_json(*argv: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(["check", *argv, "--as-of", AS_OF, "--format", "json"])
    return code, json.loads(out) if out else {}, err


def keys(report: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f["rule"], f["target"]) for f in report["findings"] if not f["waived"]]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    with cwd(tmp_path):
        code, out, err = run(
            ["check", "a.steer.yaml", "--as-of", AS_OF, "--write-baseline", "base.json"]
        )
    assert code == 0  # writing a baseline accepts today's findings
    assert "CN-XB-001" in out  # ... and still shows them
    assert err == "steer: wrote baseline base.json: 4 findings in 1 manifest\n"
    return tmp_path


def test_a_baseline_is_a_json_report(repo: Path) -> None:
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml")
    assert code == 1
    assert json.loads((repo / "base.json").read_text(encoding="utf-8")) == report


def test_known_findings_are_not_reported(repo: Path) -> None:
    with cwd(repo):
        code, report, err = check_json("a.steer.yaml", "--baseline", "base.json")
        table_code, table, _ = run(
            ["check", "a.steer.yaml", "--as-of", AS_OF, "--baseline", "base.json"]
        )
    assert (code, table_code, err) == (0, 0, "")
    assert report["findings"] == []
    assert report["summary"]["error"] == 0
    assert report["baseline"] == {"file": "base.json", "known": 4, "fixed": []}
    assert "baseline base.json: 4 known findings not shown" in table


def test_edits_that_move_lines_change_nothing(repo: Path) -> None:
    moved = "# a comment\n# moves every line down\n" + violating(name="renamed-deployment")
    (repo / "a.steer.yaml").write_text(moved, encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
    assert code == 0 and report["findings"] == [] and report["baseline"]["known"] == 4


def test_a_new_flow_is_reported(repo: Path) -> None:
    (repo / "a.steer.yaml").write_text(violating(analytics=True), encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
    assert code == 1
    assert keys(report) == [
        ("CN-XB-001", "flows.analytics-export"),
        ("CN-XB-002", "flows.analytics-export"),
    ]
    assert report["baseline"]["known"] == 4


def test_the_same_flow_on_another_path_is_new(repo: Path) -> None:
    # crm-sync now starts at owner-db directly: same rule and target, another path
    text = violating().replace("from: crm-api, to: global-crm", "from: owner-db, to: global-crm")
    (repo / "a.steer.yaml").write_text(text, encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
    assert code == 1
    new = [(f["rule"], f["target"], f["path"]) for f in report["findings"]]
    assert new == [
        ("CN-XB-001", "flows.crm-sync", ["owner-db", "global-crm"]),
        ("CN-XB-002", "flows.crm-sync", ["owner-db", "global-crm"]),
    ]
    fixed = [(e["rule"], e["path"]) for e in report["baseline"]["fixed"]]
    assert fixed == [
        ("CN-XB-001", ["owner-db", "crm-api", "global-crm"]),
        ("CN-XB-002", ["owner-db", "crm-api", "global-crm"]),
    ]


def test_a_violation_in_another_file_is_reported(repo: Path) -> None:
    # b is a copy of a: every finding has a twin key in a, but another manifest
    (repo / "b.steer.yaml").write_text(violating(), encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "b.steer.yaml", "--baseline", "base.json")
    assert code == 1
    a, b = report["reports"]
    assert (a["manifest"], a["findings"], a["baseline"]["known"]) == ("a.steer.yaml", [], 4)
    assert b["manifest"] == "b.steer.yaml" and len(keys(b)) == 4 and b["baseline"]["known"] == 0


def test_fixed_entries_are_reported(repo: Path) -> None:
    (repo / "a.steer.yaml").write_text(violating(crm=False), encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
        _, table, _ = run(["check", "a.steer.yaml", "--as-of", AS_OF, "--baseline", "base.json"])
        _, markdown, _ = run(
            [
                "check",
                "a.steer.yaml",
                "--as-of",
                AS_OF,
                "--baseline",
                "base.json",
                "--format",
                "markdown",
            ]
        )
    assert code == 0
    fixed = report["baseline"]["fixed"]
    assert [(e["rule"], e["target"], e["line"]) for e in fixed] == [
        ("CN-XB-001", "flows.crm-sync", 23),
        ("CN-XB-002", "flows.crm-sync", 23),
    ]
    assert fixed[0]["path"] == ["owner-db", "crm-api", "global-crm"]
    assert fixed[0]["message"].startswith("crm-sync carries personal of CN subjects")
    assert "2 fixed (update it with --write-baseline)" in table
    assert (
        "fixed: CN-XB-001 flows.crm-sync via owner-db -> crm-api -> global-crm (was line 23)"
        in table
    )
    assert "Fixed since the baseline (2)" in markdown


def test_counts_match_one_for_one(repo: Path) -> None:
    # two CN-INT-001 findings share rule and target ("manifest"): drop one entry
    base = json.loads((repo / "base.json").read_text(encoding="utf-8"))
    int_entries = [f for f in base["findings"] if f["rule"] == "CN-INT-001"]
    assert len(int_entries) == 2
    base["findings"].remove(int_entries[1])
    (repo / "one.json").write_text(json.dumps(base), encoding="utf-8")
    with cwd(repo):
        code, report, _ = check_json("a.steer.yaml", "--baseline", "one.json")
    assert code == 1
    assert keys(report) == [("CN-INT-001", "manifest")]
    assert report["baseline"]["known"] == 3


def test_an_expired_waiver_brings_its_finding_back(tmp_path: Path) -> None:
    (tmp_path / "a.steer.yaml").write_text(violating(waiver=True), encoding="utf-8")
    with cwd(tmp_path):
        assert (
            run(["check", "a.steer.yaml", "--as-of", AS_OF, "--write-baseline", "base.json"])[0]
            == 0
        )
        base = json.loads(Path("base.json").read_text(encoding="utf-8"))
        assert [f["rule"] for f in base["findings"] if f["waived"]] == ["CN-XB-002"]
        # after the waiver's expiry the finding is active, and the baseline does not hide it
        code, report, _ = run(
            [
                "check",
                "a.steer.yaml",
                "--as-of",
                "2027-06-15",
                "--baseline",
                "base.json",
                "--format",
                "json",
            ]
        )
    data = json.loads(report)
    assert code == 1
    assert ("CN-XB-002", "flows.crm-sync") in keys(data)
    assert "STEER-WAIVER" in {f["rule"] for f in data["findings"]}  # the expiry itself


def test_manifests_not_checked_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    (tmp_path / "b.steer.yaml").write_text(violating(analytics=True), encoding="utf-8")
    with cwd(tmp_path):
        run(
            [
                "check",
                "a.steer.yaml",
                "b.steer.yaml",
                "--as-of",
                AS_OF,
                "--write-baseline",
                "base.json",
            ]
        )
        # pre-commit passes only the files that changed: b's entries are not "fixed"
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
    assert code == 0
    assert report["baseline"] == {"file": "base.json", "known": 4, "fixed": []}


def test_paths_are_normalised(tmp_path: Path) -> None:
    (tmp_path / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    with cwd(tmp_path):
        run(["check", "./a.steer.yaml", "--as-of", AS_OF, "--write-baseline", "base.json"])
        code, report, _ = check_json("a.steer.yaml", "--baseline", "base.json")
    assert code == 0 and report["baseline"]["known"] == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            None,
            "steer: --baseline base.json: no such file; record one with --write-baseline base.json",
        ),
        (
            '{"findings": [\n  {"rule": 1,}\n]}',
            "base.json:2:14: not valid JSON: expected a key in double quotes",
        ),
        ("[1, 2]", "base.json:1:1: not a steer JSON report: expected an object with 'findings'"),
        (
            '{"manifest": "a", "findings": [{"rule": "X"}]}',
            "base.json:1:32: findings[0]: expected a finding",
        ),
        (
            '{"reports": [{"findings": []}]}',
            "base.json:1:14: reports[0]: expected a report with a 'manifest'",
        ),
        (
            '{"manifest": "a", "findings": [{"rule": "X", "target": "t", "path": "p"}]}',
            "base.json:1:61: findings[0].path: expected a list of component ids",
        ),
    ],
)
def test_bad_baselines_are_clean_errors(tmp_path: Path, content: str | None, message: str) -> None:
    (tmp_path / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    if content is not None:
        (tmp_path / "base.json").write_text(content, encoding="utf-8")
    with cwd(tmp_path):
        code, out, err = run(["check", "a.steer.yaml", "--baseline", "base.json"])
    assert (code, out) == (2, "")
    assert err.startswith(message), err


def test_no_baseline_written_when_a_manifest_is_broken(tmp_path: Path) -> None:
    (tmp_path / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    (tmp_path / "b.steer.yaml").write_text("version: 1\nname: [\n", encoding="utf-8")
    with cwd(tmp_path):
        code, _, err = run(
            ["check", "a.steer.yaml", "b.steer.yaml", "--write-baseline", "base.json"]
        )
    assert code == 2
    assert "baseline base.json not written: a manifest could not be checked" in err
    assert not (tmp_path / "base.json").exists()


def test_apply_directly(tmp_path: Path) -> None:
    path = tmp_path / "m.steer.yaml"
    path.write_text(violating(), encoding="utf-8")
    report = check(path, "m.steer.yaml")
    entry = Entry(
        "m.steer.yaml",
        "CN-XB-001",
        "flows.crm-sync",
        ("owner-db", "crm-api", "global-crm"),
        "",
        "",
        1,
    )
    stale = Entry(
        "m.steer.yaml", "CN-XB-001", "flows.crm-sync", ("owner-db", "global-crm"), "t", "m", 9
    )
    (out,) = apply([report], Baseline("b.json", (entry, stale)))
    assert len(out.findings) == len(report.findings) - 1
    assert out.baseline is not None and out.baseline.known == 1
    assert [(e.path, e.line) for e in out.baseline.fixed] == [(("owner-db", "global-crm"), 9)]
    ok = tmp_path / "ok.steer.yaml"
    ok.write_text(clean(), encoding="utf-8")
    base = tmp_path / "several.json"
    with cwd(tmp_path):
        run(
            [
                "check",
                "m.steer.yaml",
                "ok.steer.yaml",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--output",
                str(base),
            ]
        )
    loaded = load(base)
    assert {e.manifest for e in loaded.entries} == {"m.steer.yaml"}
    assert len(loaded.entries) == 4
