"""``--format html``: the China annex as a live page (see :mod:`.page`).

The renderer reads only the plain data of :mod:`.model`, which :mod:`.build` makes
from a finished run (a check report with its ``architecture``, or a what-if
comparison). Of steer it imports only the result types (:mod:`steer.results`);
otherwise the standard library and networkx (whose layouts compute with numpy).
The registered reporters are :mod:`steer.reporters.check.html` and
:mod:`steer.reporters.whatif.html`, which hand it the mainland calendar.
"""

from __future__ import annotations

from .model import (
    ApprovalSpan,
    CheckInput,
    Component,
    Dependency,
    Flow,
    Launch,
    Milestone,
    Readiness,
    Rule,
    ScenarioInput,
    Timeline,
    Topology,
    WhatifInput,
    WorkingDay,
)
from .page import render_check, render_whatif

__all__ = [
    "ApprovalSpan",
    "CheckInput",
    "Component",
    "Dependency",
    "Flow",
    "Launch",
    "Milestone",
    "Readiness",
    "Rule",
    "ScenarioInput",
    "Timeline",
    "Topology",
    "WhatifInput",
    "WorkingDay",
    "render_check",
    "render_whatif",
]
