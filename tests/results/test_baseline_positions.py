"""A baseline's structure errors are at their line:col, and a baseline built to break a
JSON parser (a 5,000-digit number, nesting 100,000 deep) is a located error, never an
internal one (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.errors import InputError
from steer.results.baseline import load

REPORT = """\
{
  "manifest": "a.steer.yaml",
  "findings": [
    {"rule": "CN-DS-001", "target": "components.db"},
    BAD
  ]
}
"""


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ('{"rule": "CN-DS-001"}', "base.json:5:5: findings[1]: expected a finding with"),
        ("7", "base.json:5:5: findings[1]: expected a finding with"),
        (
            '{"rule": "X", "target": "t",\n     "path": [1]}',
            "base.json:6:6: findings[1].path: expected a list of component ids",
        ),
        (
            '{"rule": "X", "target": "t", "resource": {}}',
            "base.json:5:34: findings[1].resource: expected a resource address",
        ),
        (
            '{"rule": "X", "target": "t", "n": ' + "1" * 5000 + "}",
            "base.json:5:39: a number of 5000 digits",
        ),
        ("[" * 100_000 + "]" * 100_000, "base.json:5:"),
        ('{"rule": "X", "target": "t", "rule": "Y"}', 'base.json:5:34: duplicate key "rule"'),
        ('{"rule": "X", "target": NaN}', "base.json:5:29: NaN is not JSON"),
    ],
)
def test_finding_errors_are_located(tmp_path: Path, bad: str, message: str) -> None:
    (tmp_path / "base.json").write_text(REPORT.replace("BAD", bad), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(tmp_path / "base.json", "base.json")
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"reports": [\n  {"manifest": "a", "findings": []},\n  []\n]}',
            "base.json:3:3: reports[1]: expected a report",
        ),
        (
            '{"reports": [\n  {"manifest": 3, "findings": []}\n]}',
            "base.json:2:4: reports[0]: expected a report",
        ),
        (
            '{"reports": [\n  {"manifest": "a",\n   "findings": {}}\n]}',
            "base.json:3:4: reports[0].findings: expected a list",
        ),
        ('\n\n  "findings"', "base.json:3:3: not a steer JSON report"),
        ("", "base.json:1:1: empty file"),
    ],
)
def test_report_errors_are_located(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "base.json").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(tmp_path / "base.json", "base.json")
    assert str(caught.value).startswith(message), str(caught.value)


def test_invalid_utf8_is_located(tmp_path: Path) -> None:
    (tmp_path / "base.json").write_bytes(b'{"manifest": "a",\n "findings": ["\xff"]}')
    with pytest.raises(InputError) as caught:
        load(tmp_path / "base.json", "base.json")
    assert str(caught.value).startswith("base.json:2:16: invalid UTF-8 (byte 0xff)")


def test_a_good_baseline_still_loads(tmp_path: Path) -> None:
    (tmp_path / "base.json").write_text(
        REPORT.replace("BAD", '{"rule": "X", "target": "t", "path": ["a", "b"], "title": 3}'),
        encoding="utf-8",
    )
    baseline = load(tmp_path / "base.json", "base.json")
    assert [(e.rule, e.target, e.path, e.title) for e in baseline.entries] == [
        ("CN-DS-001", "components.db", None, ""),
        ("X", "t", ("a", "b"), "3"),
    ]
