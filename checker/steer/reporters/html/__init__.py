"""``--format html``: the China annex as a live page (see :mod:`.page`).

The renderer reads only the plain data of :mod:`.model`, built by the caller from a
run; it imports nothing else of steer.
"""

from __future__ import annotations

from .model import (
    ApprovalSpan,
    CheckInput,
    Component,
    Dependency,
    Flow,
    Launch,
    Readiness,
    Rule,
    ScenarioInput,
    Timeline,
    Topology,
    WhatifInput,
)
from .page import render_check, render_whatif

__all__ = [
    "ApprovalSpan",
    "CheckInput",
    "Component",
    "Dependency",
    "Flow",
    "Launch",
    "Readiness",
    "Rule",
    "ScenarioInput",
    "Timeline",
    "Topology",
    "WhatifInput",
    "render_check",
    "render_whatif",
]
