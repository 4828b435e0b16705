"""``steer transfers --format csv``: RFC 4180 (the ``csv`` module), a header row and
one row per crossing that reads back to the JSON entry's values; lists joined with
``; ``, the basis with `` | ``, approvals as ``id:counts|why``; free text that a
spreadsheet would run as a formula is made inert."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest

from register_support import HOSTILE, report
from steer.reporters.transfers import csv_report
from steer.results.findings import Report


@pytest.fixture
def demo(tmp_path: Path) -> Report:
    return report(tmp_path)


def rows(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header, *body = list(reader)
    assert header == list(csv_report.COLUMNS)
    return [dict(zip(header, row, strict=True)) for row in body]


def decode(column: str, cell: str) -> Any:
    """A CSV cell back to the JSON value of its column."""
    if column in ("path", "categories", "missing"):
        return cell.split("; ") if cell else []
    if column == "basis":
        return cell.split(" | ") if cell else []
    if column == "approvals":
        out = []
        for item in cell.split("; ") if cell else []:
            head, _, why = item.partition("|")
            aid, _, counts = head.rpartition(":")
            out.append({"id": aid, "counts": counts == "true", "why": why})
        return out
    if column == "individuals":
        return int(cell) if cell else None
    if column in ("consent_required", "pipia_required", "covered"):
        assert cell in ("true", "false")
        return cell == "true"
    return cell or None


def test_reads_back_to_the_json_entries(demo: Report) -> None:
    parsed = rows(csv_report.render(demo))
    assert len(parsed) == len(demo.crossings) == 4
    for row, entry in zip(parsed, demo.crossings, strict=True):
        assert (row["manifest"], row["as_of"], row["regime"]) == (
            demo.manifest,
            demo.as_of,
            demo.regime,
        )
        for column in csv_report.COLUMNS[3:]:
            expected = entry[column]
            if column == "approvals":
                expected = [{k: a[k] for k in ("id", "counts", "why")} for a in expected]
            assert decode(column, row[column]) == expected, column


def test_rfc_4180_line_ends_and_quoting(demo: Report) -> None:
    text = csv_report.render(demo)
    assert (
        text.endswith("\r\n") and text.count("\r\n") == 5 and "\n" not in text.replace("\r\n", "")
    )
    tricky = dict(demo.crossings[0])
    tricky["basis"] = ['a "quoted" word, a comma\nand a line break']
    parsed = rows(csv_report.render(dataclasses.replace(demo, crossings=(tricky,))))
    assert parsed[0]["basis"] == 'a "quoted" word, a comma\nand a line break'
    assert '"a ""quoted"" word, a comma\nand a line break"' in csv_report.render(
        dataclasses.replace(demo, crossings=(tricky,))
    )


def test_formulas_are_inert(demo: Report) -> None:
    evil = dict(demo.crossings[0])
    evil["basis"] = ['=HYPERLINK("http://x")', HOSTILE]
    evil["exemption_refused"] = "@SUM(A1)"
    parsed = rows(csv_report.render(dataclasses.replace(demo, crossings=(evil,))))
    assert parsed[0]["basis"].startswith("'=HYPERLINK")
    assert parsed[0]["exemption_refused"] == "'@SUM(A1)"
    assert HOSTILE in parsed[0]["basis"]  # csv needs no other escaping: quoting carries it


def test_several_reports_share_one_header(demo: Report) -> None:
    other = dataclasses.replace(demo, manifest="other.yaml")
    parsed = rows(csv_report.render([demo, other]))
    assert [r["manifest"] for r in parsed] == [demo.manifest] * 4 + ["other.yaml"] * 4


def test_no_crossings_is_a_header_only(demo: Report) -> None:
    assert csv_report.render(dataclasses.replace(demo, crossings=())) == (
        ",".join(csv_report.COLUMNS) + "\r\n"
    )
