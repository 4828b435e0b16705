"""Hand-made inputs for the HTML report's tests: a small page whose every string is
hostile markup, and a parser that reads back what the page's tables say."""

from __future__ import annotations

import dataclasses
import datetime as dt
from html.parser import HTMLParser
from typing import Any

from steer.reporters.html import model

EVIL = "<script>alert(1)</script>"
EVIL_ATTR = '"><img src=x onerror=alert(1)>'


def weekday(day: dt.date) -> bool:
    """A calendar of Mondays to Fridays, for hand-made inputs (the CLI uses the mainland's)."""
    return day.weekday() < 5


def evil_input() -> model.CheckInput:
    """Every manifest string an attacker could choose, in every place the page shows one."""
    finding = {
        "rule": "CN-DS-001",
        "title": EVIL,
        "severity": "critical",
        "status": "confirmed",
        "level": "error",
        "target": f"components.{EVIL}",
        "path": [EVIL, EVIL_ATTR],
        "message": f"{EVIL} holds data {EVIL_ATTR}",
        "remediation": EVIL_ATTR,
        "location": {"file": EVIL, "line": 3, "column": 1},
        "waived": False,
        "authority": "policy",
    }
    waived = {**finding, "rule": EVIL, "level": "warning", "waived": True, "authority": EVIL}
    crossing = {
        "flow": EVIL_ATTR,
        "from": EVIL,
        "to": EVIL_ATTR,
        "destination": "US",
        "path": [EVIL, EVIL_ATTR],
        "categories": [EVIL],
        "individuals": None,
        "requires": "cac-security-assessment",
        "consent_required": True,
        "pipia_required": True,
        "exemption": EVIL,
        "basis": [EVIL],
        "approvals": [{"id": EVIL, "type": EVIL_ATTR, "counts": False, "why": EVIL}],
        "covered": False,
        "requires_by_policy": EVIL,
        "missing": [EVIL],
    }
    report = {
        "steer_version": "0.1.0",
        "manifest": EVIL,
        "as_of": "2026-11-26",
        "summary": {"error": 1, "warning": 0, "waived": 0, "passed_rules": 0},
        "findings": [finding, waived],
        "regime": {"name": EVIL, "why": EVIL_ATTR},
        "crossings": [crossing],
        "baseline": {"file": EVIL, "known": 2, "fixed": [{"rule": EVIL}]},
    }
    comps = (
        model.Component(EVIL, EVIL_ATTR, "service", EVIL, EVIL_ATTR, "CN", (EVIL,)),
        model.Component(EVIL_ATTR, EVIL, "external", None, None, "US"),
    )
    topology = model.Topology(
        comps,
        (model.Flow(EVIL_ATTR, EVIL, EVIL_ATTR, (EVIL,), EVIL, True, False),),
        (model.Dependency(EVIL, EVIL_ATTR),),
    )
    span = model.ApprovalSpan(
        EVIL,
        "cac-security-assessment",
        EVIL,
        "submitted",
        submitted=dt.date(2026, 11, 9),
        window_end=dt.date(2027, 2, 2),
        window_label=EVIL,
        milestones=(model.Milestone(dt.date(2026, 11, 16), EVIL),),
        validity_basis=EVIL_ATTR,
        needed_by=dt.date(2027, 1, 5),
        needed_for=(EVIL,),
    )
    unsent = model.ApprovalSpan(
        EVIL_ATTR,
        EVIL,
        EVIL_ATTR,
        "planned",
        window_label=EVIL_ATTR,
        projected_end=dt.date(2027, 1, 20),
        submit_by=dt.date(2026, 12, 1),
        filing_deadline=dt.date(2026, 12, 10),
        needed_by=dt.date(2027, 3, 1),
        needed_for=(EVIL_ATTR,),
    )
    timeline = model.Timeline(
        dt.date(2026, 11, 26),
        weekday,
        dt.date(2027, 3, 1),
        (span, unsent),
        (model.Launch(EVIL, EVIL_ATTR, dt.date(2027, 1, 5)),),
    )
    rules = (
        model.Rule("CN-DS-001", EVIL, EVIL, "confirmed", "policy", "blocking", "critical", (EVIL,)),
        model.Rule(EVIL, EVIL_ATTR, EVIL, EVIL, EVIL, EVIL, EVIL, (EVIL_ATTR,), evaluated=False),
    )
    return model.CheckInput(
        report,
        rules,
        topology,
        timeline,
        model.Readiness(False, dt.date(2027, 3, 1), (EVIL,)),
        EVIL,
    )


class Tables(HTMLParser):
    """Rows of the page's tables, as the ``data-*`` attributes and cell texts say."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.headings: list[int] = []
        self.table: list[str] = []  # the ids of the enclosing tables
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.row: dict[str, Any] | None = None
        self.cell: list[str] | None = None
        self.svgs: list[dict[str, str | None]] = []
        self.svg_depth = 0
        self.svg_elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        if tag == "svg":
            self.svgs.append(a)
            self.svg_depth += 1
        if self.svg_depth:
            self.svg_elements += 1
        if tag == "table":
            self.table.append(str(a.get("id") or ""))
        elif tag == "tr" and self.table:
            self.row = {"attrs": a, "cells": []}
            self.rows.setdefault(self.table[-1], []).append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.svg_depth -= 1
        if tag == "table" and self.table:
            self.table.pop()
        elif tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row["cells"].append("".join(self.cell).strip())
            self.cell = None
        elif tag == "tr":
            self.row = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def parse(page: str) -> Tables:
    parser = Tables()
    parser.feed(page)
    parser.close()
    return parser


def evil_whatif() -> model.WhatifInput:
    """A what-if of the hostile page: a scenario with hostile names that changes the
    register (a crossing removed, one added) and the timeline (a new go-live)."""
    base = evil_input()
    report = dict(base.report)
    added = {**report["crossings"][0], "flow": EVIL, "covered": True}
    changed = {
        **report,
        "crossings": [added],
        "summary": {"error": 0, "warning": 0, "waived": 0, "passed_rules": 1},
    }
    timeline = dataclasses.replace(base.timeline, go_live=dt.date(2027, 6, 1))
    scenario = model.ScenarioInput(
        name=EVIL,
        check=dataclasses.replace(base, report=changed, timeline=timeline),
        resolved=tuple(base.report["findings"]),
        introduced=(),
        question=EVIL_ATTR,
        description=EVIL,
        file=EVIL_ATTR,
    )
    return model.WhatifInput(base, (scenario,))
