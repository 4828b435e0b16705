"""The table reporter: exact text for a small report (fixed width, no colour), colour
only when asked for, and the command line's colour rules (not a terminal, NO_COLOR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.cli import main
from steer.errors import Mark
from steer.reporters.check import table
from steer.results.findings import Finding, Report

FILE = "examples/small.yaml"


def finding(
    rule: str, severity: str, level: str, category: str, target: str, **more: object
) -> Finding:
    fields: dict[str, object] = {
        "rule": rule,
        "title": f"title of {rule}",
        "severity": severity,
        "status": "confirmed",
        "level": level,
        "category": category,
        "target": target,
        **more,
    }
    return Finding(**fields)  # type: ignore[arg-type]


FINDINGS = (
    finding(
        "CN-DS-001",
        "critical",
        "error",
        "data-sovereignty",
        "components.crm-us",
        message="crm-us holds personal data of CN subjects but runs in US, outside mainland China",
        remediation="Run the component in a mainland region of an approved cloud.",
        location=Mark(FILE, 6, 3),
    ),
    finding(
        "CN-XB-001",
        "critical",
        "error",
        "data-sovereignty",
        "flows.crm-sync",
        message="crm-sync carries personal data of CN subjects from owner-db to crm-us (US) "
        "without an approved CAC security assessment",
        remediation="Apply for the CAC security assessment before the first transfer.",
        location=Mark(FILE, 33, 3),
        path=("owner-db", "crm-us"),
    ),
    finding(
        "CN-OPS-001",
        "medium",
        "warning",
        "operations",
        "operations",
        message="operations cover business-hours with global-noc incident response",
        remediation="Cover 24x7 with local incident response.",
        location=Mark(FILE, 27, 1),
    ),
    finding(
        "CN-ICP-001",
        "high",
        "error",
        "infrastructure",
        "components.web",
        message="web is internet-facing in mainland China but holds no ICP filing",
        remediation="File the domains with the hosting provider.",
        location=Mark(FILE, 21, 3),
        waived=True,
        waiver="filing submitted, launch moved (owner regional-architect, until 2027-03-31)",
    ),
)
REPORT = Report(
    steer_version="0.1.0",
    manifest=FILE,
    as_of="2027-01-01",
    findings=tuple(sorted(FINDINGS, key=Finding.sort_key)),
    rules=("CN-DS-001", "CN-ICP-001", "CN-OPS-001", "CN-XB-001"),
    regime="cn-2022",
)

EXPECTED = """\
examples/small.yaml as of 2027-01-01, regime cn-2022

Errors (blocking): 2
data-sovereignty
┏━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Rule       ┃ Sev      ┃ Target            ┃ Line ┃ Finding and fix                               ┃
┡━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ CN-DS-001  │ critical │ components.crm-us │    6 │ crm-us holds personal data of CN subjects but │
│ policy     │          │                   │      │ runs in US, outside mainland China            │
│            │          │                   │      │ fix: Run the component in a mainland region   │
│            │          │                   │      │ of an approved cloud.                         │
├────────────┼──────────┼───────────────────┼──────┼───────────────────────────────────────────────┤
│ CN-XB-001  │ critical │ flows.crm-sync    │   33 │ crm-sync carries personal data of CN subjects │
│ policy     │          │                   │      │ from owner-db to crm-us (US) without an       │
│            │          │                   │      │ approved CAC security assessment              │
│            │          │                   │      │ path: owner-db -> crm-us                      │
│            │          │                   │      │ fix: Apply for the CAC security assessment    │
│            │          │                   │      │ before the first transfer.                    │
└────────────┴──────────┴───────────────────┴──────┴───────────────────────────────────────────────┘

Warnings (advisory): 1
operations
┏━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Rule       ┃ Sev      ┃ Target            ┃ Line ┃ Finding and fix                               ┃
┡━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ CN-OPS-001 │ medium   │ operations        │   27 │ operations cover business-hours with          │
│ policy     │          │                   │      │ global-noc incident response                  │
│            │          │                   │      │ fix: Cover 24x7 with local incident response. │
└────────────┴──────────┴───────────────────┴──────┴───────────────────────────────────────────────┘

Waived: 1
infrastructure
┏━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ Rule       ┃ Sev      ┃ Target            ┃ Line ┃ Finding and fix                               ┃
┡━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ CN-ICP-001 │ high     │ components.web    │   21 │ web is internet-facing in mainland China but  │
│ policy     │          │                   │      │ holds no ICP filing                           │
│            │          │                   │      │ waived: filing submitted, launch moved (owner │
│            │          │                   │      │ regional-architect, until 2027-03-31)         │
└────────────┴──────────┴───────────────────┴──────┴───────────────────────────────────────────────┘

2 errors, 1 warning, 1 waived, 1 of 4 rules passed
"""


def test_exact_text_at_width_100() -> None:
    assert table.render([REPORT], color=False, width=100) == EXPECTED


def test_groups_do_not_depend_on_the_order_of_findings() -> None:
    shuffled = Report(**{**REPORT.__dict__, "findings": tuple(reversed(REPORT.findings))})
    assert table.render([shuffled], color=False, width=100) == EXPECTED


def test_no_trailing_spaces_and_width_kept() -> None:
    for line in EXPECTED.splitlines():
        assert line == line.rstrip()
        assert len(line) <= 100


def test_clean_report() -> None:
    clean = Report(**{**REPORT.__dict__, "findings": ()})
    assert table.render([clean], color=False, width=100) == (
        "examples/small.yaml as of 2027-01-01, regime cn-2022\n"
        "\n"
        "0 errors, 0 warnings, 0 waived, 4 of 4 rules passed\n"
    )


def test_long_targets_fold_and_narrow_widths_do_not_break() -> None:
    long = finding(
        "CN-DS-001",
        "critical",
        "error",
        "data-sovereignty",
        "components.a-component-with-a-very-long-identifier-indeed",
        message="m",
        remediation="r",
        location=Mark(FILE, 1, 1),
    )
    report = Report(**{**REPORT.__dict__, "findings": (long,)})
    text = table.render([report], color=False, width=100)
    assert "│ components.a-component-with-a-ve │" in text  # 32 characters, then folded
    assert "│ ry-long-identifier-indeed        │" in text
    narrow = table.render([REPORT], color=False, width=80)
    assert all(len(line) <= 80 for line in narrow.splitlines())
    # on 80 columns the target folds, so that the message keeps room to be read
    assert "│ components.c │" in narrow and "│ rm-us        │" in narrow
    assert "┃ Finding and fix                ┃" in narrow
    assert "…" not in narrow


def test_colour_only_when_asked() -> None:
    assert "\x1b[" not in table.render([REPORT], color=False, width=100)
    coloured = table.render([REPORT], color=True, width=100)
    assert "\x1b[" in coloured
    assert "\x1b[1;31mErrors (blocking): 2" in coloured


MANIFEST = """\
version: 1
name: colour
components:
  crm-us:
    kind: datastore
    location: {provider: aws, region: us-east-1}
    data: [{category: personal, subjects: CN}]
"""


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({}, False),  # pytest's captured stdout is not a terminal
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1"}, False),
    ],
)
def test_cli_colour_rules(
    env: dict[str, str],
    coloured: bool,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    code = main(["check", "m.yaml", "--as-of", "2027-01-01", "--select", "CN-DS-001"])
    out = capsys.readouterr().out
    assert code == 1
    assert ("\x1b[" in out) is coloured
    assert "CN-DS-001" in out
    if not coloured:
        assert out.splitlines()[0] == "m.yaml as of 2027-01-01, regime cn-2024"
        assert out.splitlines()[-1] == "1 error, 0 warnings, 0 waived, 0 of 1 rule passed"
