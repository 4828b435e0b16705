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
    lead: {days: N | {param}, unit: calendar | working}     # how long approval takes at most
    lead_min: {days: ..., unit: ...}  # at least: certain to miss the deadline is a finding
    renewal: {days: ..., unit: ...}   # renewal window before expires: no renewal is a warning
    approvals_from: FIELD            # where the element's approvals are (default: approvals)
    path: FIELD                      # optional: a list field of the element used as the
                                     # finding's path (e.g. transfer.path on flows)
    missing: error | warning | until-due   # level when none is held at all (default
                                     # error; until-due: a warning while the deadline is
                                     # ahead, an error once it has passed)

Outcomes, judged at ``--as-of``:

- no approval of those types is held: a finding (``missing``);
- one is approved (and unexpired) on or before the deadline: passes;
- approved only after the deadline: a finding;
- approved without an ``approved_on`` date: passes until the deadline, then a warning
  (it cannot be shown to be in time);
- the deadline has passed and none is approved: a finding;
- none is approved yet: projected from its submission date (or today, if not yet
  submitted) by ``lead_min`` and ``lead``: certain to finish after the deadline is a
  finding; possibly after it is a warning (a risk that may still be met);
- approved in time but inside its ``renewal`` window with no renewal under way: a
  warning;
- rejected or withdrawn with nothing else under way: a finding.

Working days are mainland working days (official holidays and adjusted working
days); a message says when a count rests on the less exact calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from steer.analysis.workdays import add_working_days, describe_calendar, working_days_between
from steer.checks.context import Context
from steer.checks.kinds.common import (
    PREDICATE,
    TARGET_SCHEMA,
    predicate,
    resolve,
    value_or_param,
    with_defs,
)
from steer.checks.predicates import MISSING, Predicate, Scope, get
from steer.checks.template import render
from steer.errors import ManifestError, PackError
from steer.packs.model import Guardrail, Parameter
from steer.results.findings import Hit
from steer.vocab import MAX_SPAN_DAYS

NAME = "timeline"
# what its messages may name: the facts it reports, and (VIEWS) the element's view too
FACTS = frozenset({"label", "due", "deadline", "target", "reason", "remaining"})
VIEWS = True

_SPAN = {
    "type": "object",
    "properties": {
        # a number, a pack parameter, or the sum of several (the CAC's 5 + 7 + 45)
        "days": {
            "oneOf": [
                {"type": "integer"},
                {"type": "object", "required": ["param"]},
                {
                    "type": "object",
                    "properties": {
                        "params": {"type": "array", "items": {"type": "string"}, "minItems": 1}
                    },
                    "required": ["params"],
                    "additionalProperties": False,
                },
            ]
        },
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
        "lead_min": _SPAN,
        "renewal": _SPAN,
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
            "lead_min": _SPAN,
            "renewal": _SPAN,
            "path": {"type": "string"},
            "approvals_from": {"type": "string"},
            "missing": {"enum": ["error", "warning", "until-due"]},
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
    lead_min: Mapping[str, Any] | None = None
    renewal: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Compiled:
    target: str
    where: Predicate
    due: str
    requirements: tuple[Requirement, ...]
    path: str | None = None
    approvals_field: str = "approvals"


def compile(check: Mapping[str, Any], parameters: Mapping[str, Parameter]) -> Compiled:
    specs = (
        [("approval", check["approval"])]
        if "approval" in check
        else [(f"approvals.{i}", spec) for i, spec in enumerate(check["approvals"])]
    )
    requirements = []
    for where, spec in specs:
        path = tuple(int(p) if p.isdigit() else p for p in where.split("."))
        for key in ("offset", "lead", "lead_min", "renewal"):
            if key in check:
                _days(check[key]["days"], parameters, key, "days")
            if key in spec:
                _days(spec[key]["days"], parameters, *path, key, "days")
        requirements.append(
            Requirement(
                types=frozenset(spec["types"]),
                where=predicate(spec.get("where"), parameters, *path, "where"),
                label=spec["label"],
                offset=spec.get("offset", check.get("offset")),
                lead=spec.get("lead", check.get("lead")),
                missing=check.get("missing", "error"),
                lead_min=spec.get("lead_min", check.get("lead_min")),
                renewal=spec.get("renewal", check.get("renewal")),
            )
        )
    return Compiled(
        target=check["target"],
        where=predicate(check.get("where"), parameters, "where"),
        due=check["due"],
        requirements=tuple(requirements),
        path=check.get("path"),
        approvals_field=check.get("approvals_from", "approvals"),
    )


def _days(spec: Any, parameters: Mapping[str, Parameter], *path: str | int) -> None:
    """A span's days: a number, ``{param: NAME}`` or ``{params: [NAME, ...]}`` (their sum)."""
    if isinstance(spec, Mapping) and "params" in spec:
        for i, name in enumerate(spec["params"]):
            value_or_param({"param": name}, parameters, *path, "params", i)
        return
    value_or_param(spec, parameters, *path)


def span_days(spec: Any, params: Mapping[str, Any]) -> int:
    if isinstance(spec, Mapping) and "params" in spec:
        return sum(int(params[name]) for name in spec["params"])
    return int(resolve(spec, params))


def shift(
    day: dt.date, span: Mapping[str, Any] | None, params: Mapping[str, Any]
) -> tuple[dt.date, bool]:
    """``day`` moved by a span; the flag says the working-day count is approximate."""
    if not span:
        return day, False
    days = span_days(span["days"], params)
    if span["unit"] == "calendar":
        return day + dt.timedelta(days=days), False

    return add_working_days(day, days)


def remaining(start: dt.date, end: dt.date, unit: str) -> tuple[int, bool]:
    if unit == "calendar":
        return (end - start).days, False

    count = working_days_between(start, end)
    return count.days, count.approximate


def calendar_note(approximate: bool) -> str:
    if not approximate:
        return ""

    # A clause, not a parenthesis: the phrase has its own, and reasons often end in one.
    return f"; counted in {describe_calendar(True)}"


def _check_spans(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> None:
    """Every span at most MAX_SPAN_DAYS days, so that a deadline counted from any date
    steer judges stays inside the calendars; a longer one is blamed on the manifest's
    ``policy.parameters`` value that makes it, else on the pack."""
    for req in compiled.requirements:
        for key in ("offset", "lead", "lead_min", "renewal"):
            span = getattr(req, key)
            if not span:
                continue
            days = span_days(span["days"], ctx.params)
            if abs(days) <= MAX_SPAN_DAYS:
                continue
            spec = span["days"]
            names = (
                list(spec.get("params") or [spec.get("param")]) if isinstance(spec, Mapping) else []
            )
            unit = "working days" if span["unit"] == "working" else "days"
            what = (
                f"makes the {key} of {guardrail.id} {days} {unit}; expected at most "
                f"{MAX_SPAN_DAYS} days in all"
            )
            for name in names:
                if name in ctx.manifest.parameters:
                    raise ManifestError(
                        f"policy.parameters.{name}: {ctx.manifest.parameters[name]} {what}",
                        ctx.manifest.mark(("policy", "parameters", name)),
                    )
            source = f"parameter {', '.join(names)}" if names else "its days"
            raise PackError(f"{guardrail.id}: {source} {what}", guardrail.mark("check"))


def check(compiled: Compiled, guardrail: Guardrail, ctx: Context) -> Iterator[Hit]:
    _check_spans(compiled, guardrail, ctx)
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
        listed = get(view, compiled.approvals_field)
        candidates = listed if isinstance(listed, list) else []
        for req in compiled.requirements:
            deadline, approx = shift(due, req.offset, ctx.params)
            held = [a for a in candidates if a.get("type") in req.types and req.where(a, scope)]
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
            witness = get(view, compiled.path) if compiled.path else MISSING
            yield Hit(
                element.target,
                render(guardrail.message, facts, view, ctx.params),
                element.at,
                path=tuple(witness) if isinstance(witness, list) else None,
                level=level,
            )


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
        if compiled.missing == "until-due":
            if as_of <= deadline:
                return _unheld(deadline, as_of, compiled, params, facts)
            passed = f"the deadline {deadline.isoformat()} has passed and it holds no {label}"
            return None, passed, False
        return level, f"it holds no {label}", False
    approved = [a for a in held if a.get("status") == "approved" and a.get("approved_on")]
    current = [a for a in approved if not a.get("expired")]
    # Approved but undated: granted by now, so in time unless the deadline has passed.
    undated = [
        a
        for a in held
        if a.get("status") == "approved" and not a.get("approved_on") and not a.get("expired")
    ]
    if current:
        first = min(current, key=lambda a: a["approved_on"])
        if dt.date.fromisoformat(first["approved_on"]) <= deadline:
            return _renewal(first, held, as_of, compiled, params)
        if not undated:
            return (
                None,
                (
                    f"{first['id']} ({label}) was approved on {first['approved_on']}, "
                    f"after the deadline {deadline.isoformat()}"
                ),
                False,
            )
    if undated:
        if as_of <= deadline:
            return None
        return (
            "warning",
            (
                f"{undated[0]['id']} ({label}) is approved but records no approved_on date, so it "
                f"cannot be shown to be approved by the deadline {deadline.isoformat()}"
            ),
            False,
        )
    pending = [a for a in held if a.get("status") in ("planned", "submitted", "in-review")]
    # Expired: a finding, unless the deadline is still ahead and a new approval under
    # way may yet be granted in time (then that one is judged). Holding an old,
    # expired approval never makes an element worse off than not holding it.
    if approved and (not pending or as_of > deadline):
        gone = approved[0]
        return (
            None,
            (
                f"{gone['id']} ({label}) expired on "
                f"{gone.get('expires_effective') or gone.get('expires')}"
            ),
            False,
        )
    if not pending:
        names = ", ".join(f"{a['id']} ({a.get('status')})" for a in held)
        return None, f"its {label} was not granted: {names}", False
    names = ", ".join(f"{a['id']} ({a.get('status')})" for a in pending)
    if as_of > deadline:
        passed = f"the deadline {deadline.isoformat()} has passed and {names} is not approved"
        return None, passed, False
    if compiled.lead:
        return _projection(pending, names, deadline, as_of, compiled, params, facts)
    return "warning", f"{names} is not approved yet (deadline {deadline.isoformat()})", False


def _unheld(
    deadline: dt.date,
    as_of: dt.date,
    req: Requirement,
    params: Mapping[str, Any],
    facts: dict[str, Any],
) -> tuple[str | None, str, bool]:
    """None held yet and the deadline ahead: a warning, with the latest day to submit
    for the longest lead time to end by the deadline (or the day it would end if
    submitted today, when that is already too late)."""
    if not req.lead:
        return "warning", f"it holds no {req.label} yet (deadline {deadline.isoformat()})", False
    longest = span_days(req.lead["days"], params)
    unit = "working days" if req.lead["unit"] == "working" else "days"
    back = {**req.lead, "days": -longest}
    submit_by, approx = shift(deadline, back, params)
    if submit_by >= as_of:
        return (
            "warning",
            (
                f"it holds no {req.label} yet; submitted by {submit_by.isoformat()}, the "
                f"{longest} {unit} the law allows at most end by the deadline "
                f"{deadline.isoformat()}"
            ),
            approx,
        )
    latest, approx2 = shift(as_of, req.lead, params)
    return (
        "warning",
        (
            f"it holds no {req.label} yet; submitted today, the {longest} {unit} the law "
            f"allows at most end on {latest.isoformat()}, after the deadline "
            f"{deadline.isoformat()} (it may still be decided sooner)"
        ),
        approx or approx2,
    )


def _projection(
    pending: list[dict[str, Any]],
    names: str,
    deadline: dt.date,
    as_of: dt.date,
    req: Requirement,
    params: Mapping[str, Any],
    facts: dict[str, Any],
) -> tuple[str | None, str, bool] | None:
    """A pending approval against its lead time: from its submission if it has one,
    else from today. Certain to miss the deadline even at the shortest lead time is
    a finding; possibly missing it at the longest is a risk (a warning)."""
    assert req.lead is not None
    unit = "working days" if req.lead["unit"] == "working" else "days"
    longest = span_days(req.lead["days"], params)
    shortest = span_days(req.lead_min["days"], params) if req.lead_min else None
    # The earliest start among them: a submission date, or today for one not yet
    # submitted (it could be submitted today).
    starts = sorted(
        (dt.date.fromisoformat(a["submitted"]), True) if a.get("submitted") else (as_of, False)
        for a in pending
    )
    start, submitted = starts[0]
    basis = f"was submitted on {start.isoformat()}" if submitted else "is not yet submitted"
    latest, approx = shift(start, req.lead, params)
    left, approx2 = remaining(as_of, deadline, req.lead["unit"])
    facts["remaining"] = left
    if shortest is not None:
        earliest, approx3 = shift(start, req.lead_min, params)
        if earliest > deadline:
            return (
                None,
                (
                    f"{names} {basis}; even at the shortest {shortest} {unit} it completes on "
                    f"{earliest.isoformat()}, after the deadline {deadline.isoformat()}"
                ),
                approx or approx3,
            )
    if latest > deadline:
        span = f"{shortest}-{longest}" if shortest is not None else f"up to {longest}"
        return (
            "warning",
            (
                f"{names} {basis} and takes {span} {unit}: it may complete as late as "
                f"{latest.isoformat()}, after the deadline {deadline.isoformat()} "
                f"({left} {unit} remain)"
            ),
            approx or approx2,
        )
    return None


def _renewal(
    approval: dict[str, Any],
    held: list[dict[str, Any]],
    as_of: dt.date,
    req: Requirement,
    params: Mapping[str, Any],
) -> tuple[str | None, str, bool] | None:
    """An approval in time, judged for renewal: inside its renewal window with no
    renewal submitted is a warning."""
    expires = approval.get("expires_effective") or approval.get("expires")
    if not req.renewal or not expires:
        return None
    end = dt.date.fromisoformat(expires)
    if end < as_of:
        return None
    back = {**req.renewal, "days": -span_days(req.renewal["days"], params)}
    window_start, approx = shift(end, back, params)
    if as_of < window_start:
        return None
    # A renewal under way: another one submitted or in review, or approved after this one.
    renewing = [
        a
        for a in held
        if a is not approval
        and (
            a.get("status") in ("submitted", "in-review")
            or (
                a.get("status") == "approved"
                and (a.get("approved_on") or "") >= (approval.get("approved_on") or "")
            )
        )
    ]
    if renewing:
        return None
    unit = "working days" if req.renewal["unit"] == "working" else "days"
    return (
        "warning",
        (
            f"{approval['id']} ({req.label}) expires on {expires}; its renewal window "
            f"({span_days(req.renewal['days'], params)} {unit} before expiry) opened on "
            f"{window_start.isoformat()} and no renewal is submitted"
        ),
        approx,
    )
