"""``timeline``: an approval an element needs is approved in time.

Parameters::

    target: components
    where: PREDICATE                 # which elements need the approval
    approval:                        # or approvals: [ ... ], each judged on its own
      types: [icp-filing, icp-licence]
      where: PREDICATE               # optional: which of those count (e.g. cover the domains;
                                     # ^PATH reads the element)
      label: an ICP filing or licence   # for messages
      lead: ..., offset: ...         # optional, per approval
    due: launch                      # the element's date field the deadline hangs on
                                     # (`launch` defaults to programme.go_live)
    offset: {days: N | {param}, unit: calendar | working}   # deadline = due + offset
    lead: {days: N | {param}, unit: calendar | working}     # how long approval takes
    missing: error | warning         # level when none is held at all (default error)

Outcomes, judged at ``--as-of``:

- no approval of those types is held: a finding (``missing``);
- one is approved (and unexpired) on or before the deadline: passes;
- approved only after the deadline: a finding;
- the deadline has passed and none is approved: a finding;
- none is approved yet, and fewer than ``lead`` days remain: a warning (a risk that
  may still be met);
- rejected or withdrawn with nothing else under way: a finding.

Working days are mainland working days (official holidays and adjusted working
days); a message says when a count rests on the less exact calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..findings import Hit
from ..predicates import MISSING, Predicate, Scope, get
from ..template import render
from .common import PREDICATE, TARGET_SCHEMA, predicate, resolve, value_or_param, with_defs

if TYPE_CHECKING:
    from ..context import Context
    from ..pack import Guardrail, Parameter

NAME = "timeline"

_SPAN = {
    "type": "object",
    "properties": {
        "days": {"oneOf": [{"type": "integer"}, {"type": "object", "required": ["param"]}]},
        "unit": {"enum": ["calendar", "working"]},
    },
    "required": ["days", "unit"],
    "additionalProperties": False,
}
_REQUIREMENT = {
    "type": "object",
    "properties": {
        "types": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "where": PREDICATE,
        "label": {"type": "string"},
        "offset": _SPAN,
        "lead": _SPAN,
    },
    "required": ["types", "label"],
    "additionalProperties": False,
}
SCHEMA = with_defs(
    {
        "type": "object",
        "properties": {
            "kind": {},
            "target": TARGET_SCHEMA,
            "where": PREDICATE,
            "approval": _REQUIREMENT,
            "approvals": {"type": "array", "items": _REQUIREMENT, "minItems": 1},
            "due": {"type": "string"},
            "offset": _SPAN,
            "lead": _SPAN,
            "missing": {"enum": ["error", "warning"]},
        },
        "required": ["target", "due"],
        "oneOf": [{"required": ["approval"]}, {"required": ["approvals"]}],
        "additionalProperties": False,
    }
)


@dataclass(frozen=True)
class Requirement:
    types: frozenset[str]
    where: Predicate
    label: str
    offset: Mapping[str, Any] | None
    lead: Mapping[str, Any] | None
    missing: str


@dataclass(frozen=True)
class Compiled:
    target: str
    where: Predicate
    due: str
    requirements: tuple[Requirement, ...]


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    specs = [("approval", check["approval"])] if "approval" in check else [
        (f"approvals.{i}", spec) for i, spec in enumerate(check["approvals"])
    ]
    requirements = []
    for where, spec in specs:
        path = tuple(int(p) if p.isdigit() else p for p in where.split("."))
        for key in ("offset", "lead"):
            if key in check:
                value_or_param(check[key]["days"], parameters, key, "days")
            if key in spec:
                value_or_param(spec[key]["days"], parameters, *path, key, "days")
        requirements.append(
            Requirement(
                types=frozenset(spec["types"]),
                where=predicate(spec.get("where"), parameters, *path, "where"),
                label=spec["label"],
                offset=spec.get("offset", check.get("offset")),
                lead=spec.get("lead", check.get("lead")),
                missing=check.get("missing", "error"),
            )
        )
    return Compiled(
        target=check["target"],
        where=predicate(check.get("where"), parameters, "where"),
        due=check["due"],
        requirements=tuple(requirements),
    )


def shift(day: dt.date, span: Mapping[str, Any] | None, params: Mapping[str, Any]) -> tuple[dt.date, bool]:
    """``day`` moved by a span; the flag says the working-day count is approximate."""
    if not span:
        return day, False
    days = int(resolve(span["days"], params))
    if span["unit"] == "calendar":
        return day + dt.timedelta(days=days), False
    from ..workdays import add_working_days

    return add_working_days(day, days)


def remaining(start: dt.date, end: dt.date, unit: str) -> tuple[int, bool]:
    if unit == "calendar":
        return (end - start).days, False
    from ..workdays import working_days_between

    count = working_days_between(start, end)
    return count.days, count.approximate


def calendar_note(approximate: bool) -> str:
    if not approximate:
        return ""
    from ..workdays import describe_calendar

    return f" (counted in {describe_calendar(True)})"


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    as_of = dt.date.fromisoformat(ctx.as_of)
    for element in ctx.elements(compiled.target):
        view = element.view
        scope = Scope(ctx)
        if not compiled.where(view, scope):
            continue
        due_text = get(view, compiled.due)
        if due_text is MISSING:
            continue
        due = dt.date.fromisoformat(due_text)
        scope.outer = view
        for req in compiled.requirements:
            deadline, approx = shift(due, req.offset, ctx.params)
            held = [
                a
                for a in view.get("approvals", [])
                if a.get("type") in req.types and req.where(a, scope)
            ]
            facts: dict[str, Any] = {
                "label": req.label,
                "due": due.isoformat(),
                "deadline": deadline.isoformat(),
                "target": element.target,
            }
            outcome = judge(held, deadline, as_of, req, ctx.params, facts)
            if outcome is None:
                continue
            level, reason, approx2 = outcome
            facts["reason"] = reason + calendar_note(approx or approx2)
            yield Hit(element.target, render(guardrail.message, facts, view, ctx.params), element.at, level=level)


def judge(
    held: list[dict[str, Any]],
    deadline: dt.date,
    as_of: dt.date,
    compiled: Requirement,
    params: Mapping[str, Any],
    facts: dict[str, Any],
) -> tuple[str | None, str, bool] | None:
    """None when the element is fine, else (level override, reason, approximate)."""
    label = compiled.label
    if not held:
        level = "warning" if compiled.missing == "warning" else None
        return level, f"it holds no {label}", False
    approved = [a for a in held if a.get("status") == "approved" and a.get("approved_on")]
    current = [a for a in approved if not a.get("expired")]
    if current:
        first = min(current, key=lambda a: a["approved_on"])
        if dt.date.fromisoformat(first["approved_on"]) <= deadline:
            return None
        return None, (
            f"{label} {first['id']} was approved on {first['approved_on']}, "
            f"after the deadline {deadline.isoformat()}"
        ), False
    if approved:
        gone = approved[0]
        return None, f"{label} {gone['id']} expired on {gone.get('expires')}", False
    pending = [a for a in held if a.get("status") in ("planned", "submitted", "in-review")]
    if not pending:
        names = ", ".join(f"{a['id']} ({a.get('status')})" for a in held)
        return None, f"its {label} was not granted: {names}", False
    names = ", ".join(f"{a['id']} ({a.get('status')})" for a in pending)
    if as_of > deadline:
        return None, f"the deadline {deadline.isoformat()} has passed and {names} is not approved", False
    if compiled.lead:
        left, approx = remaining(as_of, deadline, compiled.lead["unit"])
        need = int(resolve(compiled.lead["days"], params))
        unit = "working days" if compiled.lead["unit"] == "working" else "days"
        facts["remaining"] = left
        if left < need:
            return "warning", (
                f"{names} is not approved and only {left} {unit} remain before "
                f"{deadline.isoformat()}; it takes up to {need} {unit}"
            ), approx
    return None if compiled.lead else ("warning", f"{names} is not approved yet (deadline {deadline.isoformat()})", False)
