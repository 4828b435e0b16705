"""``steer transfers --format csv``: the transfer register for a spreadsheet.

A header row, then one row per crossing (of each report, in order): the manifest,
as-of date and regime, then the register entry's fields in their JSON order. RFC
4180 (the ``csv`` module: CRLF line ends, fields with commas, quotes or line breaks
quoted, quotes doubled). Lists are joined with ``; ``, the basis with `` | `` (its
lines hold semicolons), each approval written ``id:counts|why``; booleans are
``true``/``false`` and null is empty, as in the JSON. A cell that a spreadsheet would
read as a formula (``=``, ``+``, ``-``, ``@``) is prefixed with ``'``; steer's own
text never starts so, but a pack's may."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from steer.reporters.transfers.register import Entry, as_reports
from steer.results.findings import Report

COLUMNS = (
    "manifest",
    "as_of",
    "regime",
    "flow",
    "from",
    "to",
    "destination",
    "path",
    "categories",
    "individuals",
    "requires",
    "requires_by_policy",
    "consent_required",
    "pipia_required",
    "exemption",
    "exemption_refused",
    "basis",
    "approvals",
    "covered",
    "missing",
)
LIST_SEPARATOR = "; "
BASIS_SEPARATOR = " | "
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def value(item: object) -> str:
    """A scalar as the JSON spells it: true/false, null empty, numbers without commas."""
    if item is None:
        return ""
    if isinstance(item, bool):
        return "true" if item else "false"
    return str(item)


def approval(item: Entry) -> str:
    """ "scc-1:true|approved 2026-06-18"."""
    return f"{item['id']}:{value(item.get('counts'))}|{item.get('why', '')}"


def row(report: Report, entry: Entry) -> list[str]:
    out = [report.manifest, report.as_of, value(report.regime)]
    for column in COLUMNS[3:]:
        item = entry.get(column)
        if column == "basis":
            out.append(BASIS_SEPARATOR.join(str(b) for b in item or ()))
        elif column == "approvals":
            out.append(LIST_SEPARATOR.join(approval(a) for a in item or ()))
        elif isinstance(item, list | tuple):
            out.append(LIST_SEPARATOR.join(value(x) for x in item))
        else:
            out.append(value(item))
    return [_inert(cell) for cell in out]


def _inert(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA) else cell


def render(data: Report | Sequence[Report], color: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for report in as_reports(data):
        for entry in report.crossings:
            writer.writerow(row(report, entry))
    return buffer.getvalue()
