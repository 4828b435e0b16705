"""The command-line contract of cli.md: exit codes, the JSON report field for field,
--output, --select/--ignore, waivers, and the rules/explain/schema/init/--version
commands. Everything runs through the real CLI entry point."""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from steer import __version__
from steer.cli import main

AS_OF = "2027-01-01"

# Four components, one flow: findings of every shape (errors, warnings, path findings,
# whole-manifest findings). Line numbers are asserted below.
MIXED = """\
version: 1
name: cli-test
programme:
  go_live: 2027-06-01
components:
  crm-us:
    kind: datastore
    location: {provider: aws, region: us-east-1}
    data:
      - {category: personal, subjects: CN, records: 5000}
  crm-sg:
    kind: datastore
    location: {provider: aws, region: ap-southeast-1}
    data:
      - {category: personal, subjects: CN, records: 100}
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data:
      - {category: personal, subjects: CN, records: 5000}
  web:
    kind: service
    location: {provider: alibaba-cloud, region: cn-shanghai}
    internet_facing: true
    domains: [owners.example.dev]
    cdn: cloudflare
operations:
  coverage: business-hours
  incident_response: global-noc
  team:
    - {role: ops-engineer, count: 1, location: CN}
flows:
  crm-sync:
    from: owner-db
    to: crm-us
    data: [personal]
    records_per_year: 5000
    mechanism: batch
"""

WAIVERS = """\
waivers:
  - rule: CN-DS-001
    target: components.crm-sg
    reason: Singapore CRM pilot; data deleted at go-live
    owner: regional-architect
    expires: 2027-03-31
"""

REPORT_KEYS = ["steer_version", "manifest", "as_of", "summary", "findings"]
SUMMARY_KEYS = ["error", "warning", "waived", "passed_rules"]
FINDING_KEYS = [
    "rule",
    "title",
    "severity",
    "status",
    "level",
    "target",
    "path",
    "message",
    "remediation",
    "location",
    "waived",
    "authority",
]
REPORT_KEYS = ["steer_version", "manifest", "as_of", "summary", "findings", "regime", "crossings"]
LEVELS = {"error": 0, "warning": 1}
SEVERITIES = {"critical": 0, "high": 1, "medium": 2, "low": 3}
TARGET = re.compile(
    r"^(components|flows|approvals)\.[a-z0-9][a-z0-9._-]*$|^(operations|organisation|manifest)$"
)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in its own folder, with no colour forced from outside."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "internal error" not in err
    return code, out, err


def check_json(
    capsys: pytest.CaptureFixture[str], manifest: str, *flags: str
) -> tuple[int, dict[str, Any]]:
    code, out, err = run(capsys, "check", manifest, "--format", "json", "--as-of", AS_OF, *flags)
    assert code in (0, 1), err
    data: dict[str, Any] = json.loads(out)
    return code, data


def rules_of(report: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in report["findings"]}


def write(name: str, text: str) -> Path:
    path = Path(name)
    path.write_text(text, encoding="utf-8")
    return path


def fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


# -- exit codes ---------------------------------------------------------------------
def test_clean_manifest_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    from steer.manifest.starter import starter_text

    write("clean.yaml", starter_text("clean.yaml", dt.date.fromisoformat(AS_OF)))
    code, report = check_json(capsys, "clean.yaml")
    assert code == 0
    assert report["findings"] == []
    assert report["summary"] == {
        "error": 0,
        "warning": 0,
        "waived": 0,
        "passed_rules": report["summary"]["passed_rules"],
    }
    code, out, _ = run(capsys, "check", "clean.yaml", "--as-of", AS_OF)
    assert code == 0
    assert "0 errors, 0 warnings, 0 waived" in out


def test_blocking_finding_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-DS-001")
    assert code == 1
    assert {f["level"] for f in report["findings"]} == {"error"}
    assert run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--select", "CN-DS-001")[0] == 1


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ((), 0),
        (("--fail-on", "error"), 0),
        (("--fail-on", "warning"), 1),
        (("--fail-on", "never"), 0),
        (("--strict",), 1),
        (("--strict", "--fail-on", "never"), 0),
    ],
)
def test_advisory_findings_and_fail_levels(
    flags: tuple[str, ...], expected: int, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-OPS-001", *flags)
    assert code == expected
    levels = {f["level"] for f in report["findings"]}
    assert len(report["findings"]) == 3
    assert levels == ({"error"} if "--strict" in flags else {"warning"})


def test_fail_on_never_with_blocking_findings(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, report = check_json(capsys, "m.yaml", "--fail-on", "never")
    assert code == 0
    assert report["summary"]["error"] > 0


def test_strict_turns_every_warning_into_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    _, normal = check_json(capsys, "m.yaml")
    _, strict = check_json(capsys, "m.yaml", "--strict")
    assert normal["summary"]["warning"] > 0
    assert strict["summary"]["warning"] == 0
    assert strict["summary"]["error"] == normal["summary"]["error"] + normal["summary"]["warning"]
    assert {f["level"] for f in strict["findings"]} == {"error"}


# -- the JSON report, field for field ------------------------------------------------
def test_json_report_fields(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, report = check_json(capsys, "m.yaml")
    assert code == 1
    assert list(report) == REPORT_KEYS
    assert report["steer_version"] == __version__
    assert report["manifest"] == "m.yaml"
    assert report["as_of"] == AS_OF
    summary = report["summary"]
    assert list(summary) == SUMMARY_KEYS
    assert all(type(v) is int for v in summary.values())
    findings = report["findings"]
    assert summary["error"] == sum(f["level"] == "error" and not f["waived"] for f in findings)
    assert summary["warning"] == sum(f["level"] == "warning" and not f["waived"] for f in findings)
    assert summary["waived"] == 0
    with_path = [f for f in findings if "path" in f]
    without_path = [f for f in findings if "path" not in f]
    assert with_path and without_path
    for f in findings:
        expected_keys = [k for k in FINDING_KEYS if k != "path" or "path" in f]
        assert list(f) == expected_keys, f
        assert f["level"] in LEVELS
        assert f["severity"] in SEVERITIES
        assert f["status"] in ("confirmed", "decision-needed", "in-progress", "draft")
        assert TARGET.match(f["target"]), f["target"]
        assert list(f["location"]) == ["file", "line", "column"]
        assert f["location"]["file"] == "m.yaml"
        assert f["waived"] is False
        assert all(isinstance(f[k], str) and f[k] for k in ("title", "message", "remediation"))
    # path findings list the components on the path, in order, from the manifest
    for f in with_path:
        assert f["path"][0] == "owner-db" and f["path"][-1] == "crm-us", f
    # only path findings carry a path
    assert {f["rule"] for f in with_path} >= {"CN-XB-001"}
    assert not any(f["target"] == "operations" for f in with_path)


def test_json_locations_point_at_keys(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    _, report = check_json(capsys, "m.yaml", "--select", "CN-DS-001,CN-XB-001,CN-OPS-001")
    where = {(f["rule"], f["target"]): f["location"] for f in report["findings"]}
    assert where[("CN-DS-001", "components.crm-us")] == {"file": "m.yaml", "line": 6, "column": 3}
    assert where[("CN-DS-001", "components.crm-sg")] == {"file": "m.yaml", "line": 11, "column": 3}
    assert where[("CN-XB-001", "flows.crm-sync")] == {"file": "m.yaml", "line": 33, "column": 3}
    assert where[("CN-OPS-001", "operations")] == {"file": "m.yaml", "line": 27, "column": 1}


def test_json_findings_sorted_by_level_severity_rule_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("m.yaml", MIXED)
    _, report = check_json(capsys, "m.yaml")
    keys = [
        (LEVELS[f["level"]], SEVERITIES[f["severity"]], f["rule"], f["target"])
        for f in report["findings"]
    ]
    assert len(keys) > 5
    assert keys == sorted(keys)
    assert len({k[0] for k in keys}) == 2 and len({k[1] for k in keys}) >= 3


def test_json_report_bytes_identical_across_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED + WAIVERS)
    argv = ["check", "m.yaml", "--format", "json", "--as-of", AS_OF]
    first = run(capsys, *argv)[1]
    second = run(capsys, *argv)[1]
    assert first == second
    # a fresh interpreter with another hash seed: no set or dict order leaks out
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from steer.cli import main; sys.exit(main())", *argv],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert done.stdout == first.encode("utf-8")


# -- --output -----------------------------------------------------------------------
def test_output_writes_the_report_atomically(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    expected = run(capsys, "check", "m.yaml", "--format", "json", "--as-of", AS_OF)[1]
    target = write("report.json", "an older report\n")
    old_inode = target.stat().st_ino
    code, out, _ = run(
        capsys, "check", "m.yaml", "--format", "json", "--as-of", AS_OF, "--output", "report.json"
    )
    assert code == 1  # the exit code does not depend on where the report goes
    assert out == ""
    assert target.read_text(encoding="utf-8") == expected
    assert target.stat().st_ino != old_inode  # a new file renamed into place, not rewritten
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.yaml", "report.json"]


def test_output_table_has_no_colour_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    monkeypatch.setenv("FORCE_COLOR", "1")  # even when colour is forced, a file gets plain text
    code, out, _ = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "r.txt")
    assert code == 1 and out == ""
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert "\x1b[" not in text
    assert "CN-DS-001" in text


@pytest.mark.parametrize("spelling", ["m.yaml", "./m.yaml", "sub/../m.yaml", "ABSOLUTE"])
def test_output_refuses_to_overwrite_the_manifest(
    spelling: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write("m.yaml", MIXED)
    (tmp_path / "sub").mkdir()
    before = fingerprint(manifest)
    time.sleep(0.01)  # an mtime change would be visible
    output = str(manifest.resolve()) if spelling == "ABSOLUTE" else spelling
    code, out, err = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", output)
    assert code == 2
    assert out == ""
    assert "--output" in err and "input" in err
    assert fingerprint(manifest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.yaml", "sub"]


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_output_refuses_a_link_to_the_manifest(
    link: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write("m.yaml", MIXED)
    alias = tmp_path / "report.txt"
    if link == "symlink":
        alias.symlink_to(manifest)
    else:
        os.link(manifest, alias)
    before = fingerprint(manifest)
    code, out, err = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "report.txt")
    assert code == 2 and out == ""
    assert "is an input of this run" in err
    assert fingerprint(manifest) == before


def test_output_file_is_readable_like_any_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    umask = os.umask(0o022)
    try:
        run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "r.txt")
        run(capsys, "init", "starter.yaml")
    finally:
        os.umask(umask)
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o644  # not mkstemp's 0600
    assert (tmp_path / "starter.yaml").stat().st_mode & 0o777 == 0o644
    (tmp_path / "r.txt").chmod(0o640)
    run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "r.txt")
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o640  # a replaced file keeps its mode


def test_output_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    (tmp_path / "reports").mkdir()
    code, out, err = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "reports")
    assert code == 2 and out == ""
    assert "--output reports is a folder; expected a file name" in err
    assert list((tmp_path / "reports").iterdir()) == []


def test_output_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, out, err = run(
        capsys, "check", "m.yaml", "--as-of", AS_OF, "--output", "nowhere/report.json"
    )
    assert code == 2
    assert out == ""
    assert "--output" in err and "nowhere" in err and "does not exist" in err
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize(
    "flags",
    [
        ("--format", "table"),
        ("--format", "json"),
        ("--format", "json", "--output", "r.json"),
        ("--strict", "--select", "CN-DS-*"),
    ],
)
def test_check_never_modifies_its_input(
    flags: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = write("m.yaml", MIXED + WAIVERS)
    before = fingerprint(manifest)
    time.sleep(0.01)
    code, _, _ = run(capsys, "check", "m.yaml", "--as-of", AS_OF, *flags)
    assert code == 1
    assert fingerprint(manifest) == before


# -- --select / --ignore ------------------------------------------------------------
def test_select_glob(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-ICP-*")
    assert code == 1
    rules = rules_of(report)
    assert rules == {"CN-ICP-001", "CN-ICP-002", "CN-ICP-004"}
    assert all(fnmatch.fnmatchcase(r, "CN-ICP-*") for r in rules)


@pytest.mark.parametrize(
    "flags",
    [
        ("--select", "CN-DS-001,CN-OPS-001"),
        ("--select", "CN-DS-001, CN-OPS-001"),
        ("--select", "CN-DS-001", "--select", "CN-OPS-001"),
    ],
)
def test_select_comma_list_and_repeated(
    flags: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    _, report = check_json(capsys, "m.yaml", *flags)
    assert rules_of(report) == {"CN-DS-001", "CN-OPS-001"}


def test_ignore_globs_and_ids(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    _, everything = check_json(capsys, "m.yaml")
    _, report = check_json(
        capsys, "m.yaml", "--ignore", "CN-ICP-*,CN-XB-*", "--ignore", "CN-INT-001"
    )
    assert rules_of(report) == {
        r for r in rules_of(everything) if not re.match(r"CN-(ICP|XB)-|CN-INT-001", r)
    }
    assert "CN-DS-001" in rules_of(report)


def test_select_and_ignore_together(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    _, report = check_json(capsys, "m.yaml", "--select", "CN-ICP-*", "--ignore", "CN-ICP-002")
    assert rules_of(report) == {"CN-ICP-001", "CN-ICP-004"}


@pytest.mark.parametrize(
    ("flag", "value", "hint"),
    [
        ("--select", "CN-DS-01", "did you mean CN-DS-001?"),
        ("--ignore", "CN-OPS-01", "did you mean CN-OPS-001?"),
        ("--select", "CN-DS-001,CN-ICP-009", "CN-ICP-00"),
    ],
)
def test_unknown_exact_rule_id_is_a_usage_error(
    flag: str, value: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    code, out, err = run(capsys, "check", "m.yaml", "--as-of", AS_OF, flag, value)
    assert code == 2
    assert out == ""
    assert flag in err and "no guardrail" in err and hint in err


def test_glob_matching_nothing_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """A glob that selects nothing would check nothing and pass: never silently."""
    write("m.yaml", MIXED)
    code, out, err = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--select", "CN-NOPE-*")
    assert code == 2
    assert out == ""
    assert "--select: 'CN-NOPE-*' matches no guardrail in the loaded packs (cn)" in err


# -- bad flags ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("flags", "fragment"),
    [
        (("--as-of", "2027-02-30"), "--as-of '2027-02-30': expected a date as YYYY-MM-DD"),
        (("--as-of", "01/03/2027"), "--as-of '01/03/2027': expected a date as YYYY-MM-DD"),
        (("--as-of", "tomorrow"), "--as-of"),
        (("--format", "xml"), "xml"),
        (("--fail-on", "sometimes"), "sometimes"),
        (("--no-such-flag",), "--no-such-flag"),
    ],
)
def test_bad_flags_exit_2(
    flags: tuple[str, ...], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write("m.yaml", MIXED)
    code, out, err = run(capsys, "check", "m.yaml", *flags)
    assert code == 2
    assert out == ""
    assert fragment in err


def test_bad_fail_on_names_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, _, err = run(capsys, "check", "m.yaml", "--fail-on", "sometimes")
    assert code == 2
    assert all(level in err for level in ("error", "warning", "never"))


def test_missing_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "explain")
    assert code == 2
    assert "RULE_ID" in err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys)
    assert code == 2
    assert "check" in out + err and "explain" in out + err


def test_unknown_pack_flag(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED)
    code, out, err = run(capsys, "check", "m.yaml", "--pack", "cm")
    assert code == 2 and out == ""
    assert "no such guardrail pack 'cm'" in err


# -- waivers ------------------------------------------------------------------------
def test_waived_finding_is_reported_and_does_not_fail(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED + WAIVERS)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-DS-001")
    waived = [f for f in report["findings"] if f["waived"]]
    active = [f for f in report["findings"] if not f["waived"]]
    # the waiver names crm-sg only: crm-us still fails the run
    assert [f["target"] for f in waived] == ["components.crm-sg"]
    assert [f["target"] for f in active] == ["components.crm-us"]
    assert waived[0]["level"] == "error"  # waived, not downgraded
    assert report["summary"] == {"error": 1, "warning": 0, "waived": 1, "passed_rules": 0}
    assert code == 1


def test_all_findings_waived_passes(capsys: pytest.CaptureFixture[str]) -> None:
    both = WAIVERS + (
        "  - rule: CN-DS-001\n"
        "    target: components.crm-us\n"
        "    reason: US CRM retired before go-live\n"
        "    owner: regional-architect\n"
        "    expires: 2027-02-28\n"
    )
    write("m.yaml", MIXED + both)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-DS-001")
    assert code == 0
    assert report["summary"] == {"error": 0, "warning": 0, "waived": 2, "passed_rules": 1}
    assert all(f["waived"] for f in report["findings"])
    code, out, _ = run(capsys, "check", "m.yaml", "--as-of", AS_OF, "--select", "CN-DS-001")
    assert code == 0
    assert "Waived: 2" in out
    assert "US CRM retired before go-live" in out


def test_rule_wide_waiver_covers_every_target(capsys: pytest.CaptureFixture[str]) -> None:
    waiver = WAIVERS.replace("    target: components.crm-sg\n", "")
    write("m.yaml", MIXED + waiver)
    code, report = check_json(capsys, "m.yaml", "--select", "CN-DS-001")
    assert code == 0
    assert [f["target"] for f in report["findings"] if f["waived"]] == [
        "components.crm-sg",
        "components.crm-us",
    ]


def test_expired_waiver_no_longer_applies_and_is_reported(
    capsys: pytest.CaptureFixture[str],
) -> None:
    write("m.yaml", MIXED + WAIVERS)
    code, out, err = run(
        capsys,
        "check",
        "m.yaml",
        "--format",
        "json",
        "--as-of",
        "2027-04-01",
        "--select",
        "CN-DS-001",
    )
    assert code == 1, err
    report = json.loads(out)
    assert not any(f["waived"] for f in report["findings"])
    targets = {f["target"] for f in report["findings"] if f["rule"] == "CN-DS-001"}
    assert targets == {"components.crm-sg", "components.crm-us"}
    notes = [f for f in report["findings"] if f["rule"] != "CN-DS-001"]
    assert len(notes) == 1
    assert "CN-DS-001" in notes[0]["message"] and "expired" in notes[0]["message"]
    assert "2027-03-31" in notes[0]["message"]
    assert notes[0]["location"]["line"] == MIXED.count("\n") + 2  # the waiver's entry


def test_waiver_valid_on_its_expiry_day(capsys: pytest.CaptureFixture[str]) -> None:
    write("m.yaml", MIXED + WAIVERS)
    _, out, _ = run(
        capsys,
        "check",
        "m.yaml",
        "--format",
        "json",
        "--as-of",
        "2027-03-31",
        "--select",
        "CN-DS-001",
    )
    report = json.loads(out)
    assert [f["target"] for f in report["findings"] if f["waived"]] == ["components.crm-sg"]


# -- rules, explain, schema ----------------------------------------------------------
def test_rules_json_and_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert code == 0
    rules = json.loads(out)["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids)
    assert {"CN-DS-001", "CN-XB-001", "CN-ICP-001", "CN-OPS-001"} <= set(ids)
    for r in rules:
        assert {"id", "title", "severity", "status", "enforcement", "kind"} <= set(r)
        assert r["enforcement"] in ("blocking", "advisory")
    code, table, _ = run(capsys, "rules")
    assert code == 0
    for rule_id in ids:
        assert rule_id in table
    assert "\x1b[" not in table


def test_rules_bad_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "rules", "--format", "xml")
    assert code == 2 and out == ""
    assert "xml" in err and "table" in err and "json" in err


@pytest.mark.parametrize("rule_id", ["CN-DS-001", "cn-ds-001"])
def test_explain(rule_id: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", rule_id)
    assert code == 0
    assert out.startswith(
        "CN-DS-001: Personal data of mainland subjects is stored in mainland China "
        "(the annex's policy)\n"
    )
    for section in ("Why", "How to fix", "Sources", "Parameters"):
        assert f"\n{section}" in out
    assert "  authority:   policy (the organisation's own guardrail" in out
    assert "The law's duty to localise (PIPL art. 40)\n  binds only critical" in out  # rationale
    assert "  - Annex: guardrail 1\n" in out  # a source
    assert "Run the component in a mainland region of an approved cloud" in out
    assert "cn-\n" not in out  # ids are never broken at their hyphens


def test_explain_lists_parameters_with_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "CN-DS-002")
    assert code == 0
    params = out.split("\nParameters", 1)[1]
    assert '  - approved_clouds = ["alibaba-cloud/*",' in params
    assert "      Where mainland components may run" in params


@pytest.mark.parametrize(("rule_id", "hint"), [("NOPE", "steer rules"), ("CN-DS-01", "CN-DS-001")])
def test_explain_unknown_rule(rule_id: str, hint: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", rule_id)
    assert code == 2
    assert out == ""
    assert f"no guardrail '{rule_id}'" in err and hint in err


@pytest.mark.parametrize("which", [None, "manifest", "guardrail", "scenario"])
def test_schema_prints_valid_json_schema(
    which: str | None, capsys: pytest.CaptureFixture[str]
) -> None:
    from jsonschema import Draft202012Validator

    code, out, _ = run(capsys, "schema", *([which] if which else []))
    assert code == 0
    schema = json.loads(out)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (which or "manifest") in schema["title"]


def test_manifest_schema_accepts_the_starter_and_rejects_a_typo(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from jsonschema import Draft202012Validator

    from steer.manifest.starter import starter_text

    validator = Draft202012Validator(json.loads(run(capsys, "schema")[1]))
    assert [e.message for e in validator.iter_errors(_typed(starter_text()))] == []
    broken = _typed(starter_text().replace("kind: datastore", "kind: datastor"))
    assert any("datastor" in e.message for e in validator.iter_errors(broken))


def _typed(text: str) -> Any:
    """A YAML document as steer reads it (dates stay text), for plain jsonschema."""
    from steer.loading.parse import load_text

    return load_text(text, "starter.yaml").data


def test_schema_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "schema", "bogus")
    assert code == 2 and out == ""
    assert "bogus" in err and "manifest, guardrail, scenario" in err


# -- init, --version, --help ---------------------------------------------------------
def test_init_writes_a_starter_that_check_accepts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "init", "platform.yaml")
    assert code == 0
    assert "platform.yaml" in err
    text = (tmp_path / "platform.yaml").read_text(encoding="utf-8")
    assert text.startswith("# steer deployment manifest")
    assert "steer check platform.yaml" in text
    code, out, err = run(capsys, "check", "platform.yaml", "--format", "json")  # as of today
    assert code == 0, out + err
    assert json.loads(out)["findings"] == []


def test_init_default_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "init")[0] == 0
    assert (tmp_path / "steer.yaml").is_file()


def test_init_refuses_to_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = write("platform.yaml", "version: 1\nname: mine\n")
    before = fingerprint(target)
    code, out, err = run(capsys, "init", "platform.yaml")
    assert code == 2 and out == ""
    assert "exists" in err and "--force" in err
    assert fingerprint(target) == before
    code, _, _ = run(capsys, "init", "platform.yaml", "--force")
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# steer deployment manifest")


def test_init_into_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "init", "nowhere/steer.yaml")
    assert code == 2
    assert "steer init nowhere/steer.yaml: folder" in err and "does not exist" in err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out == f"steer {__version__}\n"


def _steer_command() -> list[str]:
    script = shutil.which("steer")
    if script is not None:
        return [script]
    return [sys.executable, "-c", "import sys; from steer.cli import main; sys.exit(main())"]


def test_console_script_exit_codes(tmp_path: Path) -> None:
    write("m.yaml", MIXED)
    base = [*_steer_command(), "check", "m.yaml", "--as-of", AS_OF]
    for extra, expected in (
        (["--select", "CN-DS-001"], 1),
        (["--select", "CN-OPS-001"], 0),
        (["--select", "CN-OPS-001", "--fail-on", "warning"], 1),
        (["--format", "nope"], 2),
    ):
        done = subprocess.run(
            [*base, *extra], cwd=tmp_path, capture_output=True, text=True, check=False
        )
        assert done.returncode == expected, (extra, done.stderr)
        assert "Traceback" not in done.stderr


def test_python_dash_m_steer_is_the_command(tmp_path: Path) -> None:
    write("m.yaml", MIXED)
    done = subprocess.run(
        [sys.executable, "-m", "steer", "check", "m.yaml", "--as-of", AS_OF, "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["error"] >= 1
    version = subprocess.run(
        [sys.executable, "-m", "steer", "--version"], capture_output=True, text=True, check=False
    )
    assert version.returncode == 0 and __version__ in version.stdout


HEAVY = ("networkx", "jsonschema", "jsonschema_rs", "holidays", "chinese_calendar")

_PROBE = """\
import sys
from steer.cli import main
main(sys.argv[1:])
print("\\n@@MODULES@@ " + " ".join(sorted(sys.modules)))
"""


@pytest.mark.parametrize("argv", [["--help"], ["check", "--help"], ["--version"]])
def test_help_imports_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *argv],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    modules = done.stdout.split("@@MODULES@@ ", 1)[1].split("\n", 1)[0].split()
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY)
    assert heavy == [], f"steer {' '.join(argv)} imports {heavy}"
    assert "steer.engine" not in modules and "steer.packs.loader" not in modules
    if argv != ["--version"]:
        assert "Usage" in done.stdout


def test_json_findings_are_encoded_as_to_json_says(tmp_path: Path) -> None:
    """The JSON reporter writes findings from fragments; each line must be exactly the
    compact encoding of Finding.to_json()."""
    import json as _json

    from steer import engine
    from steer.manifest.load import load_manifest
    from steer.reporters import render

    root = Path(__file__).resolve().parents[2]
    manifest = load_manifest(
        root / "examples" / "china-platform.yaml", "examples/china-platform.yaml"
    )
    report = engine.run(manifest, engine.Settings(as_of="2026-11-26"))
    text = render("json", [report])
    lines = [
        line.strip().rstrip(",") for line in text.splitlines() if line.startswith('    {"rule"')
    ]
    encode = _json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    assert lines == [encode(f.to_json()) for f in report.findings]
    assert any(f.path for f in report.findings) and any(not f.path for f in report.findings)
    assert any(f.waived for f in report.findings)


def test_a_bug_in_steer_exits_3_and_asks_for_a_report(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 is the user's error; exit 3 is steer's bug, with a message, no traceback."""
    from steer.commands import check as check_command

    def broken(options: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check_command, "check", broken)
    monkeypatch.delenv("STEER_DEBUG", raising=False)
    code = main(["check", "examples/china-platform.yaml"])
    err = capsys.readouterr().err
    assert code == 3
    assert "internal error: ZeroDivisionError: division by zero" in err
    assert "bug in steer" in err and "STEER_DEBUG=1" in err
    assert "Traceback" not in err


def test_a_bug_with_steer_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    from steer.commands import check as check_command

    def broken(options: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(check_command, "check", broken)
    monkeypatch.setenv("STEER_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["check", "examples/china-platform.yaml"])


def test_a_user_error_still_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no-such-manifest.yaml"]) == 2
    assert "internal error" not in capsys.readouterr().err
