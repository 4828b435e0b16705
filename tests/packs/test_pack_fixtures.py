"""Policy unit tests of the built-in ``cn`` pack (``steer test``), and ``steer test``
on a user pack: every guardrail ships passing and failing fixtures with the exact
findings expected, and a guardrail without them, or with a wrong expectation, fails
the run with a detail that says what went wrong."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
import yaml

from steer.commands.test import CaseResult, run_cases
from steer.packs.loader import load_packs
from support import run  # the CLI in-process, output captured

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "cn"

# The cross-border, firewall and coordinate guardrails get their fixtures from the
# lead; until a folder exists for one of them, its missing fixtures are an expected
# failure rather than a broken build. Every other guardrail must have them.
LEAD_FIXTURES = frozenset(
    {"CN-DS-004", "CN-XB-001", "CN-XB-002", "CN-XB-003", "CN-XB-004", "CN-GFW-001", "CN-MAP-002"}
)

ADJUSTED_SATURDAY = dt.date(2026, 10, 10)  # a working day after National Day 2026

RULES: list[str] = sorted(g.id for g in load_packs(["cn"]).guardrails)


def expected_cases(rule: str) -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load((FIXTURES / rule / "expected.yaml").read_text(encoding="utf-8"))
    cases: dict[str, list[dict[str, Any]]] = data["cases"]
    return cases


def pending(rule: str) -> bool:
    """A lead-owned guardrail whose fixtures are not written yet."""
    return rule in LEAD_FIXTURES and not (FIXTURES / rule / "expected.yaml").is_file()


def with_fixtures() -> list[str]:
    return [r for r in RULES if not pending(r)]


@pytest.fixture(scope="module")
def results() -> dict[str, list[CaseResult]]:
    by_rule: dict[str, list[CaseResult]] = defaultdict(list)
    for r in run_cases("cn"):
        by_rule[r.rule].append(r)
    return by_rule


# -- the built-in pack's fixtures ------------------------------------------------------
def test_the_pack_has_the_resource_level_guardrails() -> None:
    resource_level = {
        "CN-DS-001",
        "CN-DS-002",
        "CN-DS-003",
        "CN-ICP-001",
        "CN-ICP-002",
        "CN-ICP-003",
        "CN-ICP-004",
        "CN-INT-001",
        "CN-INT-002",
        "CN-INT-003",
        "CN-MAP-001",
        "CN-AUTO-001",
        "CN-OPS-001",
    }
    assert resource_level <= set(RULES)


@pytest.mark.parametrize("rule", RULES)
def test_every_fixture_case_passes(rule: str, results: dict[str, list[CaseResult]]) -> None:
    got = results[rule]
    if pending(rule):
        want = f"no fixtures: expected {FIXTURES / rule / 'expected.yaml'}"
        assert [r.detail for r in got] == [want]
        pytest.xfail(f"{rule}: fixtures come from the lead")
    failed = [f"{r.case}: {r.detail}" for r in got if not r.ok]
    assert not failed, f"{rule} fixtures fail:\n" + "\n".join(failed)
    # one result per case listed in expected.yaml, nothing skipped
    assert sorted(r.case for r in got) == sorted(expected_cases(rule))


@pytest.mark.parametrize("rule", RULES)
def test_every_guardrail_has_passing_and_failing_fixtures(rule: str) -> None:
    if pending(rule):
        pytest.xfail(f"{rule}: fixtures come from the lead")
    folder = FIXTURES / rule
    cases = expected_cases(rule)
    assert any(not want for want in cases.values()), f"{rule} has no passing fixture"
    assert any(want for want in cases.values()), f"{rule} has no failing fixture"
    manifests = {p.name for p in folder.glob("*.yaml")} - {"expected.yaml"}
    assert manifests == set(cases), f"{rule}: manifests and expected.yaml disagree"
    for name, want in cases.items():
        text = (folder / name).read_text(encoding="utf-8")
        # each fixture opens with a comment saying what it shows
        assert re.match(rf"#\s*{rule}\b", text), f"{rule}/{name}: open with a comment naming it"
        if want:
            assert name.startswith("fail"), f"{rule}/{name} expects findings but is not named fail*"
        else:
            assert name.startswith("pass"), f"{rule}/{name} expects none but is not named pass*"


# (rule, passing case, failing case, component, approval, lead in working days)
BOUNDARIES = [
    (
        "CN-ICP-001",
        "pass-working-days-boundary.yaml",
        "fail-too-few-working-days.yaml",
        "dealer-portal",
        "icp-dealer",
        23,
    ),
    (
        "CN-INT-003",
        "pass-review-working-days.yaml",
        "fail-review-too-few-working-days.yaml",
        "dealer-mini-program",
        "review-dealer",
        10,
    ),
]


@pytest.mark.parametrize(
    ("rule", "passing", "failing", "component", "approval", "lead"), BOUNDARIES
)
def test_timeline_fixtures_count_mainland_working_days(
    rule: str, passing: str, failing: str, component: str, approval: str, lead: int
) -> None:
    """The working-day fixtures are built so that only a count of mainland working days
    gets them right: the failing launch is ``lead`` calendar days and ``lead`` weekdays
    or more after the submission, yet one working day short; the passing launch
    reaches ``lead`` only because Saturday 2026-10-10 is an adjusted working day."""
    from steer.analysis.workdays import working_days_between

    def dates(name: str) -> tuple[dt.date, dt.date]:
        data = yaml.safe_load((FIXTURES / rule / name).read_text(encoding="utf-8"))
        launch = data["components"][component].get("launch", data["programme"]["go_live"])
        return data["approvals"][approval]["submitted"], launch

    submitted, fail_launch = dates(failing)
    also_submitted, pass_launch = dates(passing)
    assert submitted == also_submitted
    weekdays = sum(
        (submitted + dt.timedelta(days=i)).weekday() < 5
        for i in range(1, (fail_launch - submitted).days + 1)
    )
    assert (fail_launch - submitted).days > weekdays >= lead  # a weekday count would pass
    assert working_days_between(submitted, fail_launch).days == lead - 1
    assert working_days_between(submitted, pass_launch).days == lead
    assert submitted < ADJUSTED_SATURDAY <= pass_launch


def test_cli_runs_the_fixtures_of_selected_guardrails() -> None:
    rules = with_fixtures()
    code, out, err = run(["test", "--select", ",".join(rules)])
    total = sum(len(expected_cases(r)) for r in rules)
    assert err == ""
    assert code == 0, out
    assert f"{total} passed, 0 failed" in out


def test_cli_runs_the_whole_builtin_pack() -> None:
    code, out, err = run(["test"])
    assert err == ""
    waiting = [r for r in RULES if pending(r)]
    if waiting:
        assert code == 1
        assert f"{len(waiting)} failed" in out
        pytest.xfail("fixtures of " + ", ".join(waiting) + " come from the lead")
    total = sum(len(expected_cases(r)) for r in RULES)
    assert code == 0, out
    assert f"{total} passed, 0 failed" in out


# -- a user pack ----------------------------------------------------------------------
USER_RULE = """\
id: ACME-OWN-001
title: Mainland datastores name an owner
category: governance
status: confirmed
severity: medium
sources: ["ACME data governance standard §2"]
rationale: Every store of mainland data needs an accountable owner for audits.
remediation: Set owner on the component.
message: "{id} is a mainland datastore with no owner"
check:
  kind: each
  target: components
  where:
    all_of:
      - {field: kind, equals: datastore}
      - {field: location.jurisdiction, equals: CN}
  require: {field: owner, exists: true}
"""

USER_PASS = """\
# ACME-OWN-001 passes: the mainland store has an owner; the Frankfurt one is not judged.
version: 1
name: acme-pass
components:
  owner-db:
    kind: datastore
    owner: crm-team
    location: {provider: alibaba-cloud, region: cn-shanghai}
  eu-db:
    kind: datastore
    location: {provider: aws, region: eu-central-1}
"""

# Jurisdiction CN is derived from the cn pack's catalog (alibaba-cloud cn-shanghai):
# the user pack gets it through `uses: [cn]`.
USER_FAIL = """\
# ACME-OWN-001 fails: a mainland store without an owner.
version: 1
name: acme-fail
components:
  owner-db:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
"""


def user_pack(tmp_path: Path, expected: str, files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "acme"
    (root / "rules").mkdir(parents=True)
    (root / "pack.yaml").write_text(
        "id: acme\nname: ACME house rules\nprefix: ACME\ncategories: [governance]\nuses: [cn]\n",
        encoding="utf-8",
    )
    (root / "rules" / "ACME-OWN-001.yaml").write_text(USER_RULE, encoding="utf-8")
    folder = root / "fixtures" / "ACME-OWN-001"
    folder.mkdir(parents=True)
    if files is None:
        files = {"pass.yaml": USER_PASS, "fail.yaml": USER_FAIL}
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "expected.yaml").write_text(textwrap.dedent(expected), encoding="utf-8")
    return root


GOOD_EXPECTED = """\
    as_of: 2026-11-26
    cases:
      pass.yaml: []
      fail.yaml:
        - target: components.owner-db
          line: 5
          level: error
          message: owner-db is a mainland datastore with no owner
    """


def test_user_pack_fixtures_pass(tmp_path: Path) -> None:
    root = user_pack(tmp_path, GOOD_EXPECTED)
    code, out, err = run(["test", str(root)])
    assert err == ""
    assert code == 0, out
    assert "2 passed, 0 failed" in out
    got = [(r.case, r.ok) for r in run_cases(str(root))]
    assert got == [("fail.yaml", True), ("pass.yaml", True)]


def test_user_pack_guardrail_without_failing_fixture_fails(tmp_path: Path) -> None:
    root = user_pack(
        tmp_path,
        """\
        as_of: 2026-11-26
        cases:
          pass.yaml: []
        """,
        files={"pass.yaml": USER_PASS},
    )
    code, out, _ = run(["test", str(root)])
    assert code == 1
    assert "1 passed, 1 failed" in out
    details = [r.detail for r in run_cases(str(root)) if not r.ok]
    assert details == ["needs at least one passing and one failing fixture"]


def test_user_pack_guardrail_without_fixtures_fails(tmp_path: Path) -> None:
    root = user_pack(tmp_path, GOOD_EXPECTED)
    for path in (root / "fixtures" / "ACME-OWN-001").iterdir():
        path.unlink()
    code, out, _ = run(["test", str(root)])
    assert code == 1
    assert "0 passed, 1 failed" in out
    [result] = run_cases(str(root))
    assert result.detail.startswith("no fixtures: expected ")


def test_user_pack_wrong_expectation_fails_with_detail(tmp_path: Path) -> None:
    root = user_pack(
        tmp_path,
        """\
        as_of: 2026-11-26
        cases:
          pass.yaml: []
          fail.yaml:
            - {target: components.owner-db, line: 9}
        """,
    )
    code, out, _ = run(["test", str(root)])
    assert code == 1
    assert "1 passed, 1 failed" in out
    [bad] = [r for r in run_cases(str(root)) if not r.ok]
    assert (bad.rule, bad.case) == ("ACME-OWN-001", "fail.yaml")
    assert bad.detail == (
        "expected components.owner-db at line 9; "
        "unexpected components.owner-db at line 5: owner-db is a mainland datastore with no owner"
    )


def test_user_pack_wrong_level_fails(tmp_path: Path) -> None:
    # a confirmed guardrail is blocking: its findings are errors, not warnings
    root = user_pack(tmp_path, GOOD_EXPECTED.replace("level: error", "level: warning"))
    [bad] = [r for r in run_cases(str(root)) if not r.ok]
    assert bad.case == "fail.yaml"
    assert "expected components.owner-db at line 5" in bad.detail


def test_user_pack_manifest_missing_from_expected_fails(tmp_path: Path) -> None:
    root = user_pack(
        tmp_path,
        GOOD_EXPECTED,
        files={"pass.yaml": USER_PASS, "fail.yaml": USER_FAIL, "extra.yaml": USER_PASS},
    )
    code, _, _ = run(["test", str(root)])
    assert code == 1
    bad = [(r.case, r.detail) for r in run_cases(str(root)) if not r.ok]
    assert bad == [("extra.yaml", "manifest has no entry in expected.yaml")]


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        (
            "1927-01-01",
            "as_of: '1927-01-01' is outside the dates steer judges; "
            "expected a date between 2000-01-01 and 2099-12-31",
        ),
        ("2126-11-26", "as_of: '2126-11-26' is outside the dates steer judges"),
        ("2026-02-30", "as_of: '2026-02-30' is not a real date; expected YYYY-MM-DD"),
    ],
)
def test_a_fixture_as_of_outside_the_range_is_a_pack_error(
    tmp_path: Path, as_of: str, message: str
) -> None:
    """Never an internal error from the date arithmetic (issue 12)."""
    root = user_pack(tmp_path, GOOD_EXPECTED.replace("2026-11-26", as_of))
    code, out, err = run(["test", str(root)])
    assert code == 2, (out, err)
    assert "expected.yaml:1:8: " + message in err, err
    assert "internal error" not in err
