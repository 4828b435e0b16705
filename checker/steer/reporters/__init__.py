"""Reporters: each turns finished reports into text, reading nothing else.

``render(name, reports, ...)`` looks the format up in an explicit registry; only the
table reporter knows rich."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module

from steer.results.findings import Report

Renderer = Callable[[Sequence[Report], bool], str]

FORMATS: dict[str, str] = {
    "table": "steer.reporters.check.table",
    "json": "steer.reporters.check.json_report",
    "sarif": "steer.reporters.check.sarif",
    "junit": "steer.reporters.check.junit",
    "markdown": "steer.reporters.check.markdown",
    "github": "steer.reporters.check.github",
}


def render(name: str, reports: Sequence[Report], color: bool = False) -> str:
    module = import_module(FORMATS[name])
    text: str = module.render(reports, color)
    return text
