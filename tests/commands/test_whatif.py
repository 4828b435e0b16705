"""``steer whatif``: finding comparison, go-live readiness, the JSON of cli.md,
the table and Markdown reports, and the exit-code rules (--fail-on-scenario)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from steer import engine
from steer.errors import Mark, UsageError
from steer.loading.parse import load_text
from steer.manifest.load import build_manifest
from steer.manifest.model import Manifest
from steer.manifest.scenario import apply
from steer.results.compare import diff_findings, parse_gate, readiness
from steer.results.findings import Finding
from support import (
    MANIFEST,
    run,  # the CLI in-process, output captured
)

AS_OF = "2026-11-26"
SELECT = ["--select", "CN-DS-001,CN-ICP-003"]  # two settled guardrails: exact output

APPROVE = """\
name: approve-cac
question: Q5 - what if the CAC approves in January?
description: The assessment comes back approved on 2027-01-15
as_of: 2027-01-20
patch:
  approvals:
    cac-1: {status: approved, approved_on: 2027-01-15}
"""

TENCENT = """\
name: move-portal
question: Q4 - Tencent Cloud?
patch:
  components:
    portal:
      location: {provider: tencent-cloud, region: ap-shanghai}
    us-store:
      kind: datastore
      location: {provider: aws, region: us-east-1}
      data: [{category: personal, subjects: CN}]
"""

FIX_ICP = """\
name: refile-icp
patch:
  components:
    portal:
      location: {provider: tencent-cloud, region: ap-shanghai}
  approvals:
    icp-1: {provider: tencent-cloud}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (tmp_path / "approve.yaml").write_text(APPROVE, encoding="utf-8")
    (tmp_path / "tencent.yaml").write_text(TENCENT, encoding="utf-8")
    (tmp_path / "refile.yaml").write_text(FIX_ICP, encoding="utf-8")
    return tmp_path


def finding(rule: str, target: str, message: str = "m", line: int = 1, **kw: Any) -> Finding:
    return Finding(
        rule=rule,
        title="t",
        severity=kw.pop("severity", "high"),
        status="confirmed",
        level=kw.pop("level", "error"),
        category="c",
        target=target,
        message=message,
        remediation="r",
        location=Mark("m.yaml", line, 3),
        **kw,
    )


# -- comparing findings -------------------------------------------------------------------
def test_diff_matches_on_rule_target_and_path_not_line_or_message() -> None:
    before = [
        finding("CN-DS-001", "components.a", "a runs in US", line=4),
        finding("CN-XB-001", "flows.f", "f crosses", path=("a", "b")),
        finding("CN-ICP-003", "approvals.icp", "filed with x"),
    ]
    after = [
        finding("CN-DS-001", "components.a", "a runs in SG", line=40),  # same key: unchanged
        finding("CN-XB-001", "flows.f", "f crosses", path=("a", "relay", "b")),  # new path
        finding("CN-DS-002", "components.a"),
    ]
    resolved, introduced = diff_findings(before, after)
    assert [(f.rule, f.target, f.path) for f in resolved] == [  # in report order
        ("CN-ICP-003", "approvals.icp", None),
        ("CN-XB-001", "flows.f", ("a", "b")),
    ]
    assert [(f.rule, f.target, f.path) for f in introduced] == [
        ("CN-DS-002", "components.a", None),
        ("CN-XB-001", "flows.f", ("a", "relay", "b")),
    ]


def test_diff_of_several_findings_with_one_key() -> None:
    before = [
        finding("CN-ICP-003", "approvals.icp", "portal is hosted on alibaba"),
        finding("CN-ICP-003", "approvals.icp", "web is hosted on alibaba"),
    ]
    after = [finding("CN-ICP-003", "approvals.icp", "web is hosted on alibaba")]
    resolved, introduced = diff_findings(before, after)
    assert [f.message for f in resolved] == ["portal is hosted on alibaba"]
    assert introduced == ()
    resolved, introduced = diff_findings(after, before)
    assert resolved == ()
    assert [f.message for f in introduced] == ["portal is hosted on alibaba"]
    # same count, other wording: nothing changed as far as the comparison goes
    assert diff_findings(before, [finding("CN-ICP-003", "approvals.icp", "x")] * 2) == ((), ())
    assert diff_findings(before, before) == ((), ())


# -- go-live readiness ------------------------------------------------------------------------
def manifest(*sets: str) -> Manifest:
    base = build_manifest(load_text(MANIFEST, "m.yaml"))
    return apply(base, None, list(sets)) if sets else base


def ready(m: Manifest, select: tuple[str, ...] = ("CN-DS-001",)) -> tuple[bool, list[str]]:
    report = engine.run(m, engine.Settings(as_of=AS_OF, select=select))
    r = readiness(m, report)
    return r.ready, r.reasons()


@pytest.mark.parametrize(
    ("sets", "expected"),
    [
        ((), (False, ["cac-1: submitted (submitted 2026-11-01), not approved"])),
        (("approvals.cac-1.status=approved",), (True, [])),
        (
            ("approvals.cac-1.status=approved", "approvals.cac-1.approved_on=2027-02-26"),
            (True, []),
        ),
        (  # approved on go-live day still counts
            ("approvals.cac-1.status=approved", "approvals.cac-1.approved_on=2027-03-01"),
            (True, []),
        ),
        (
            ("approvals.cac-1.status=approved", "approvals.cac-1.approved_on=2027-03-02"),
            (False, ["cac-1: approved on 2027-03-02, after go-live 2027-03-01"]),
        ),
        (
            ("approvals.cac-1.status=approved", "approvals.cac-1.expires=2027-02-28"),
            (False, ["cac-1: expires 2027-02-28, before go-live 2027-03-01"]),
        ),
        (
            ("approvals.cac-1.status=rejected",),
            (False, ["cac-1: rejected (submitted 2026-11-01), not approved"]),
        ),
        # no flow lists it any more: not required
        (("flows.crm-sync.approvals=[]",), (True, [])),
        # without a go-live date, the as-of date stands in
        (
            (
                "approvals.cac-1.status=approved",
                "approvals.cac-1.approved_on=2026-12-01",
                "programme=null",
            ),
            (False, ["cac-1: approved on 2026-12-01, after as of 2026-11-26"]),
        ),
        # a blocking finding alone
        (
            ("approvals.cac-1.status=approved", "components.owner-db.location={jurisdiction: US}"),
            (False, ["1 blocking finding"]),
        ),
    ],
)
def test_readiness(sets: tuple[str, ...], expected: tuple[bool, list[str]]) -> None:
    assert ready(manifest(*sets)) == expected


def test_readiness_counts_an_assessment_a_cn_xb_finding_names() -> None:
    # the flow no longer lists cac-1, but a CN-XB finding says it is not approved
    m = manifest("flows.crm-sync.approvals=[]", "components.portal.approvals=[icp-1]")
    report = engine.run(m, engine.Settings(as_of=AS_OF, select=("CN-DS-001",)))
    named = Finding(
        rule="CN-XB-001",
        title="t",
        severity="critical",
        status="decision-needed",
        level="warning",
        category="data-sovereignty",
        target="flows.crm-sync",
        message="crm-sync crosses; cac-1 is submitted, not approved",
        remediation="r",
        location=Mark("m.yaml", 26, 3),
    )
    from dataclasses import replace

    r = readiness(m, replace(report, findings=(named,)))
    assert [a.approval for a in r.assessments] == ["cac-1"]
    assert not r.ready
    # an id inside another word is not a mention
    other = replace(named, message="crm-sync crosses; cac-10 is approved")
    assert readiness(m, replace(report, findings=(other,))).assessments == ()


def test_waived_blocking_findings_do_not_block(workdir: Path) -> None:
    text = MANIFEST + (
        "waivers:\n  - rule: CN-DS-001\n    reason: pilot\n    owner: me\n    expires: 2027-12-31\n"
    )
    m = build_manifest(load_text(text, "m.yaml"))
    m = apply(
        m,
        None,
        ["components.owner-db.location={jurisdiction: US}", "approvals.cac-1.status=approved"],
    )
    assert ready(m) == (True, [])


# -- JSON ---------------------------------------------------------------------------------------
FINDING_FIELDS = {
    "authority",
    "rule",
    "title",
    "severity",
    "status",
    "level",
    "target",
    "message",
    "remediation",
    "location",
    "waived",
}


def test_json_shape_field_for_field(workdir: Path) -> None:
    _, out, err = run(
        ["whatif", "m.yaml", "approve.yaml", "tencent.yaml", "--format", "json", "--as-of", AS_OF]
    )
    assert err == ""
    data = json.loads(out)
    assert list(data) == [
        "steer_version",
        "manifest",
        "as_of",
        "regime",
        "baseline",
        "baseline_ready_for_go_live",
        "baseline_readiness",
        "scenarios",
    ]
    assert (data["manifest"], data["as_of"], data["regime"]["name"]) == ("m.yaml", AS_OF, "cn-2024")
    # "baseline" is the baseline's summary, exactly as `steer check` reports it
    _, check_out, _ = run(["check", "m.yaml", "--format", "json", "--as-of", AS_OF])
    check = json.loads(check_out)
    assert data["baseline"] == check["summary"]
    assert list(data["baseline"]) == ["error", "warning", "waived", "passed_rules"]
    assert data["baseline_ready_for_go_live"] is False
    assert [s["name"] for s in data["scenarios"]] == ["approve-cac", "move-portal"]
    for s in data["scenarios"]:
        assert list(s) == [
            "name",
            "file",
            "question",
            "description",
            "as_of",
            "regime",
            "summary",
            "resolved",
            "introduced",
            "ready_for_go_live",
            "readiness",
        ]
        for f in s["resolved"] + s["introduced"]:
            assert FINDING_FIELDS <= set(f) <= FINDING_FIELDS | {"path"}
        # a scenario's summary is `steer check --scenario` of the same file
        _, scenario_out, _ = run(
            ["check", "m.yaml", "--scenario", s["file"], "--format", "json", "--as-of", AS_OF]
        )
        scenario_check = json.loads(scenario_out)
        assert s["summary"] == scenario_check["summary"]
        assert s["as_of"] == scenario_check["as_of"]
        # resolved and introduced are exactly the difference of the two check reports
        key = lambda f: (f["rule"], f["target"], tuple(f.get("path") or ()))  # noqa: E731
        before = {key(f) for f in check["findings"]}
        after = {key(f) for f in scenario_check["findings"]}
        assert {key(f) for f in s["resolved"]} == before - after
        assert {key(f) for f in s["introduced"]} == after - before
        introduced = {key(f): f for f in scenario_check["findings"]}
        for f in s["introduced"]:  # the findings are the check report's, field for field
            assert f == introduced[key(f)]

    approve, tencent = data["scenarios"]
    assert approve["file"] == "approve.yaml"
    assert approve["question"] == "Q5 - what if the CAC approves in January?"
    assert approve["description"] == "The assessment comes back approved on 2027-01-15"
    assert approve["as_of"] == "2027-01-20"  # the scenario's as_of wins over --as-of
    assert approve["readiness"]["assessments"] == [
        {
            "approval": "cac-1",
            "status": "approved",
            "approved_on": "2027-01-15",
            "ready": True,
            "reason": "approved on 2027-01-15",
        }
    ]
    assert tencent["as_of"] == AS_OF
    assert tencent["question"] == "Q4 - Tencent Cloud?"
    assert tencent["description"] is None
    assert tencent["resolved"] == []
    introduced = [(f["rule"], f["target"], f["location"]) for f in tencent["introduced"]]
    assert (
        "CN-DS-001",
        "components.us-store",
        {"file": "tencent.yaml", "line": 7, "column": 5},
    ) in introduced
    assert (
        "CN-ICP-003",
        "approvals.icp-1",
        {"file": "m.yaml", "line": 33, "column": 3},
    ) in introduced
    assert tencent["ready_for_go_live"] is False
    assert tencent["readiness"] == {
        "go_live": "2027-03-01",
        "blocking": tencent["summary"]["error"],
        "assessments": [
            {
                "approval": "cac-1",
                "status": "submitted",
                "approved_on": None,
                "ready": False,
                "reason": "submitted (submitted 2026-11-01), not approved",
            }
        ],
    }


def test_json_is_byte_stable(workdir: Path) -> None:
    argv = [
        "whatif",
        "m.yaml",
        "approve.yaml",
        "tencent.yaml",
        "--format",
        "json",
        "--as-of",
        AS_OF,
    ]
    assert run(argv) == run(argv)


def test_ready_scenario(workdir: Path) -> None:
    code, out, _ = run(
        ["whatif", "m.yaml", "approve.yaml", "--format", "json", "--as-of", AS_OF, *SELECT]
    )
    data = json.loads(out)
    assert code == 0
    assert data["baseline_ready_for_go_live"] is False
    (approve,) = data["scenarios"]
    assert approve["ready_for_go_live"] is True
    assert (approve["resolved"], approve["introduced"]) == ([], [])


def messages(manifest: str, scenario: str) -> dict[tuple[str, str], str]:
    """The check report's message of each finding, by (rule, target): the reporters'
    layout is asserted exactly, the guardrails' wording is theirs to change."""
    _, out, _ = run(
        ["check", manifest, "--scenario", scenario, "--format", "json", "--as-of", AS_OF, *SELECT]
    )
    return {(f["rule"], f["target"]): f["message"] for f in json.loads(out)["findings"]}


TABLE_HEAD = """\
what-if: m.yaml as of 2026-11-26, regime cn-2024, go-live 2027-03-01
┏━━━━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━┓
┃ Scenario    ┃ Errors ┃ Warnings ┃ Resolved ┃ Introduced ┃ Ready ┃
┡━━━━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━┩
│ baseline    │      0 │        0 │          │            │ no    │
│ approve-cac │      0 │        0 │        0 │          0 │ yes   │
│ move-portal │ 2 (+2) │        0 │        0 │          2 │ no    │
│ refile-icp  │      0 │        0 │        0 │          0 │ no    │
└─────────────┴────────┴──────────┴──────────┴────────────┴───────┘

baseline
  not ready for go-live: cac-1: submitted (submitted 2026-11-01), not approved

approve-cac
  Q5 - what if the CAC approves in January?
  approve.yaml, as of 2027-01-20, regime cn-2024
  no change in findings
  ready for go-live

move-portal
  Q4 - Tencent Cloud?
  tencent.yaml, as of 2026-11-26, regime cn-2024
{lines}
  not ready for go-live: 2 blocking findings; cac-1: submitted (submitted 2026-11-01), not approved

refile-icp
  refile.yaml, as of 2026-11-26, regime cn-2024
  no change in findings
  not ready for go-live: cac-1: submitted (submitted 2026-11-01), not approved
"""


def test_table(workdir: Path) -> None:
    argv = ["whatif", "m.yaml", "approve.yaml", "tencent.yaml", "refile.yaml", "--as-of", AS_OF]
    code, out, err = run([*argv, *SELECT])
    assert (code, err) == (0, "")
    found = messages("m.yaml", "tencent.yaml")
    # one line a finding: sign, rule, level, target, message cut to the 120 columns
    lines = []
    for rule, target in (("CN-DS-001", "components.us-store"), ("CN-ICP-003", "approvals.icp-1")):
        head = f"  + {rule:<10} error {target:<19} "
        message = found[(rule, target)]
        room = 120 - len(head)
        lines.append(head + (message if len(message) <= room else message[: room - 1] + "…"))
    assert out == TABLE_HEAD.format(lines="\n".join(lines))
    assert all(len(line) <= 120 for line in out.splitlines())


MARKDOWN = """\
## steer what-if: `m.yaml`

As of 2026-11-26, regime `cn-2024`, go-live 2027-03-01.

| Scenario | Question | Errors | Warnings | Resolved | Introduced | Ready for go-live |
|---|---|---:|---:|---:|---:|---|
| **baseline** | | 0 | 0 | | | ❌ no |
| `approve-cac` | Q5 - what if the CAC approves in January? | 0 | 0 | 0 | 0 | ✅ yes |
| `move-portal` | Q4 - Tencent Cloud? | 2 (+2) | 0 | 0 | 2 | ❌ no |

**Baseline:** **Not ready for go-live:** cac-1: submitted (submitted 2026-11-01), not approved.

### `approve-cac`

> Q5 - what if the CAC approves in January?

The assessment comes back approved on 2027-01-15

`approve.yaml`, as of 2027-01-20, regime `cn-2024`.

No change in findings.

**Ready for go-live.**

### `move-portal`

> Q4 - Tencent Cloud?

`tencent.yaml`, as of 2026-11-26, regime `cn-2024`.

**Introduced (2)**

- `CN-DS-001` error `components.us-store`: {ds}
- `CN-ICP-003` error `approvals.icp-1`: {icp}

**Not ready for go-live:** 2 blocking findings; cac-1: submitted (submitted 2026-11-01), \
not approved.
"""


def test_markdown(workdir: Path) -> None:
    argv = ["whatif", "m.yaml", "approve.yaml", "tencent.yaml", "--format", "markdown"]
    code, out, err = run([*argv, "--as-of", AS_OF, *SELECT])
    assert (code, err) == (0, "")
    found = messages("m.yaml", "tencent.yaml")
    expected = MARKDOWN.format(
        ds=found[("CN-DS-001", "components.us-store")],
        icp=found[("CN-ICP-003", "approvals.icp-1")],
    )
    assert out == expected


def test_markdown_escapes_what_would_be_markup() -> None:
    from steer.reporters.whatif.markdown import _text

    assert _text("a | b *c* [d](e) `f`\n  g") == "a \\| b \\*c\\* \\[d\\](e) \\`f\\` g"


def test_output_file_and_never_over_inputs(workdir: Path) -> None:
    code, out, _ = run(
        [
            "whatif",
            "m.yaml",
            "approve.yaml",
            "--format",
            "json",
            "--as-of",
            AS_OF,
            "--output",
            "r.json",
        ]
    )
    assert (code, out) == (1, "")
    assert (
        json.loads((workdir / "r.json").read_text(encoding="utf-8"))["scenarios"][0]["name"]
        == "approve-cac"
    )
    for target in ("m.yaml", "approve.yaml"):
        before = (workdir / target).read_text(encoding="utf-8")
        code, _, err = run(["whatif", "m.yaml", "approve.yaml", "--output", target])
        assert code == 2
        assert "is an input of this run" in err
        assert (workdir / target).read_text(encoding="utf-8") == before


# -- exit codes ---------------------------------------------------------------------------------
# With SELECT: the baseline and approve-cac pass, move-portal fails (2 errors),
# refile-icp passes. Without SELECT the baseline fails (CN-XB-*).
@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 0),  # the baseline decides: it passes, though move-portal fails
        (["--fail-on-scenario", "move-portal"], 1),
        (["--fail-on-scenario", "approve-cac"], 0),
        (["--fail-on-scenario", "approve-cac,refile-icp"], 0),
        (["--fail-on-scenario", "approve-cac", "--fail-on-scenario", "move-portal"], 1),
        (["--fail-on-scenario", "any"], 1),  # any scenario failing fails the run
        (["--fail-on-scenario", "all"], 0),  # only if every scenario fails
        (["--fail-on-scenario", "baseline"], 0),
        (["--fail-on-scenario", "move-portal", "--fail-on", "never"], 0),
    ],
)
def test_exit_code_with_a_passing_baseline(workdir: Path, args: list[str], code: int) -> None:
    argv = [
        "whatif",
        "m.yaml",
        "approve.yaml",
        "tencent.yaml",
        "refile.yaml",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        *SELECT,
        *args,
    ]
    assert run(argv)[0] == code


MOVED = MANIFEST.replace(
    "    location: {provider: alibaba-cloud, region: cn-shanghai}\n    internet_facing",
    "    location: {provider: tencent-cloud, region: ap-shanghai}\n    internet_facing",
)


# With SELECT and the portal already moved to Tencent: the baseline fails (CN-ICP-003),
# refile-icp fixes it, move-portal keeps it and adds CN-DS-001.
@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([], 1),  # the baseline decides, and fails
        (["--fail-on", "never"], 0),
        (["--fail-on-scenario", "refile-icp"], 0),  # the gate moves: the baseline no longer counts
        (["--fail-on-scenario", "baseline,refile-icp"], 1),  # ... unless it is named
        (["--fail-on-scenario", "all"], 0),  # refile-icp passes, so not every scenario fails
        (["--fail-on-scenario", "any"], 1),  # move-portal fails
        (["--fail-on-scenario", "move-portal"], 1),
    ],
)
def test_exit_code_with_a_failing_baseline(workdir: Path, args: list[str], code: int) -> None:
    (workdir / "moved.yaml").write_text(MOVED, encoding="utf-8")
    argv = ["whatif", "moved.yaml", "refile.yaml", "tencent.yaml", "--as-of", AS_OF, *SELECT, *args]
    got, _, err = run(argv)
    assert got == code, err


def test_exit_code_all_scenarios_failing(workdir: Path) -> None:
    (workdir / "moved.yaml").write_text(MOVED, encoding="utf-8")
    argv = ["whatif", "moved.yaml", "approve.yaml", "tencent.yaml", "--as-of", AS_OF, *SELECT]
    assert run([*argv, "--fail-on-scenario", "all"])[0] == 1


def test_fail_on_warning_applies_to_scenarios(workdir: Path) -> None:
    (workdir / "no-ops.yaml").write_text(
        "name: no-ops\npatch: {operations: null}\n", encoding="utf-8"
    )
    argv = ["whatif", "m.yaml", "no-ops.yaml", "--as-of", AS_OF, "--select", "CN-OPS-001"]
    assert run(argv)[0] == 0
    assert run([*argv, "--fail-on-scenario", "no-ops"])[0] == 0  # warnings only
    assert run([*argv, "--fail-on-scenario", "no-ops", "--fail-on", "warning"])[0] == 1
    assert run([*argv, "--fail-on-scenario", "no-ops", "--strict"])[0] == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--fail-on-scenario", "move-portl"],
            "steer: --fail-on-scenario move-portl: no scenario named 'move-portl'; "
            "did you mean 'move-portal'?",
        ),
        (["--format", "sarif"], "steer: --format 'sarif': expected one of table, json, markdown"),
        (
            ["--fail-on", "sometimes"],
            "steer: --fail-on 'sometimes': expected one of error, warning, never",
        ),
        (["--as-of", "2026-13-01"], "steer: --as-of '2026-13-01': expected a date as YYYY-MM-DD"),
        (
            ["--select", "CN-NOPE-001"],
            "steer: --select: no guardrail 'CN-NOPE-001' in the loaded packs",
        ),
    ],
)
def test_bad_flags_are_exit_2(workdir: Path, args: list[str], message: str) -> None:
    code, out, err = run(["whatif", "m.yaml", "approve.yaml", "tencent.yaml", *args])
    assert (code, out) == (2, "")
    assert err.startswith(message), err


def test_scenario_names_must_be_unique_and_not_ambiguous(workdir: Path) -> None:
    (workdir / "again.yaml").write_text("name: approve-cac\npatch: {}\n", encoding="utf-8")
    code, _, err = run(["whatif", "m.yaml", "approve.yaml", "again.yaml"])
    assert code == 2
    assert err == (
        "again.yaml:1:7: name: scenario 'approve-cac' is also defined in approve.yaml; "
        "names must be unique\n"
    )
    (workdir / "any.yaml").write_text("name: any\npatch: {}\n", encoding="utf-8")
    assert run(["whatif", "m.yaml", "any.yaml", *SELECT])[0] == 0  # a scenario may be named any ...
    code, _, err = run(["whatif", "m.yaml", "any.yaml", "--fail-on-scenario", "any"])
    assert code == 2  # ... but then --fail-on-scenario any is ambiguous
    assert "ambiguous" in err


def test_invalid_inputs_are_exit_2(workdir: Path) -> None:
    (workdir / "bad.yaml").write_text(
        "name: bad\npatch:\n  flows:\n    x: {from: portal, to: nowhere}\n", encoding="utf-8"
    )
    code, out, err = run(["whatif", "m.yaml", "approve.yaml", "bad.yaml"])
    assert (code, out) == (2, "")
    assert err.startswith(
        "bad.yaml:4:27: scenario 'bad' makes the manifest invalid: flows.x.to: "
        "unknown component 'nowhere'"
    )
    code, _, err = run(["whatif", "m.yaml"])
    assert code == 2
    assert "Missing argument" in err
    code, _, err = run(["whatif", "nope.yaml", "approve.yaml"])
    assert (code, err.split(":")[0]) == (2, "nope.yaml")


def test_parse_gate() -> None:
    names = ["a", "b"]
    assert parse_gate([], names).baseline
    gate = parse_gate(["a", "any", "a"], names)
    assert (gate.baseline, gate.names, gate.any_, gate.all_) == (False, ("a",), True, False)
    assert parse_gate(["baseline"], names).baseline
    with pytest.raises(UsageError):
        parse_gate(["c"], names)


def test_help_documents_the_gate() -> None:
    code, out, _ = run(["whatif", "--help"])
    assert code == 0
    for text in (
        "--fail-on-scenario",
        "any",
        "all",
        "baseline",
        "exit 1 only if every scenario fails",
    ):
        assert text in out
