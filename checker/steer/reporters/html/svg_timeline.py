"""The timeline: approvals (submitted, statutory window, approved and valid,
extension window, expiry), component launches and go-live, against the calendar
with the mainland's non-working days shaded (public holidays darker than weekends;
an adjusted working day on a weekend is left white, as the State Council made it).

This is the picture for the annex's Q5: whether the CAC assessment's window ends
before go-live. The x axis is calendar time (so that a holiday week shows as the
gap it is); the lane labels and tooltips give the working-day counts. The dates
are the caller's (computed on the mainland calendar); nothing here counts days
except the working days to go-live shown in the header.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from .markup import esc, plural, svg_open, svg_text
from .model import ApprovalSpan, Timeline

LABEL_W, CHART_W, MARGIN = 230, 900, 12
LANE, HEAD = 30, 58
MAX_LANES = 24
MAX_SPAN_DAYS = 800
TYPE_ORDER = {
    "cac-security-assessment": 0,
    "standard-contract": 1,
    "pi-certification": 1,
    "separate-consent": 2,
    "pipia": 2,
    "important-data-assessment": 3,
    "icp-licence": 4,
    "icp-filing": 4,
    "psb-filing": 5,
    "mini-program-review": 6,
}


LEGEND = (
    "Bars: statutory maximum (amber; dashed: if submitted today), valid (green), "
    "extension window (purple).",
    "● submitted  ◆ approved  ◇ maximum if submitted today  ▼ latest submission  "
    "⚑ filing deadline  ✕ needed by (before go-live)  | expiry  ▲ launch",
)


def _dates(a: ApprovalSpan) -> list[dt.date]:
    return [
        d
        for d in (
            a.submitted,
            a.approved_on,
            a.window_end,
            a.projected_end,
            a.submit_by,
            a.extension_start,
            a.filing_deadline,
            a.effective,
            a.needed_by,
            *(m.on for m in a.milestones),
        )
        if d is not None
    ]


def chosen(timeline: Timeline) -> tuple[list[ApprovalSpan], int]:
    """The approvals that get a lane (those still open or needed first), and how many
    are left for the table."""

    def priority(a: ApprovalSpan) -> tuple[int, int, str]:
        open_ = 0 if a.status != "approved" or a.needed_for else 1
        return (open_, TYPE_ORDER.get(a.type, 9), a.id)

    ranked = sorted(timeline.approvals, key=priority)
    lanes = ranked[:MAX_LANES]
    lanes.sort(key=lambda a: (TYPE_ORDER.get(a.type, 9), a.id))
    return lanes, len(ranked) - len(lanes)


def span(timeline: Timeline, lanes: list[ApprovalSpan]) -> tuple[dt.date, dt.date]:
    """The dates shown: go-live, as-of, launches and what is still open, and approvals
    granted in the half year before as-of; older history is cut at the left edge (the
    table has it), so that the months around go-live stay wide enough to read."""
    anchor = timeline.go_live or timeline.as_of
    recent = timeline.as_of - dt.timedelta(days=180)
    days = [timeline.as_of, anchor, *(launch.on for launch in timeline.launches)]
    for a in lanes:
        days += [d for d in _dates(a) if a.status != "approved" or d >= recent]
        if a.expires is not None and abs((a.expires - anchor).days) < 400:
            days.append(a.expires)
    first = min(days) - dt.timedelta(days=7)
    last = max(days) + dt.timedelta(days=21)
    if (last - first).days > MAX_SPAN_DAYS:  # keep what surrounds go-live legible
        first = max(first, anchor - dt.timedelta(days=MAX_SPAN_DAYS - 200))
        last = min(last, first + dt.timedelta(days=MAX_SPAN_DAYS))
    return first, last


class _Scale:
    def __init__(self, first: dt.date, last: dt.date, as_of: dt.date) -> None:
        self.first, self.last, self.as_of = first, last, as_of
        self.per_day = CHART_W / max((last - first).days, 1)
        self.x0 = MARGIN + LABEL_W

    def x(self, day: dt.date) -> float:
        day = min(max(day, self.first), self.last)
        return round(self.x0 + (day - self.first).days * self.per_day, 1)

    def inside(self, day: dt.date | None) -> bool:
        return day is not None and self.first <= day <= self.last


def _runs(
    timeline: Timeline, first: dt.date, last: dt.date
) -> Iterator[tuple[dt.date, dt.date, bool]]:
    """Runs of non-working days: (first, last, has a public holiday on a weekday)."""
    day = first
    start: dt.date | None = None
    holiday = False
    while day <= last:
        off = not timeline.is_working_day(day)
        if off and start is None:
            start, holiday = day, False
        if off and day.weekday() < 5:
            holiday = True
        if not off and start is not None:
            yield start, day - dt.timedelta(days=1), holiday
            start = None
        day += dt.timedelta(days=1)
    if start is not None:
        yield start, last, holiday


def working_days(timeline: Timeline, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if before)."""
    sign = 1 if end >= start else -1
    lo, hi = (start, end) if sign > 0 else (end, start)
    n = sum(timeline.is_working_day(lo + dt.timedelta(days=i + 1)) for i in range((hi - lo).days))
    return sign * n


def render(timeline: Timeline, ident: str = "timeline") -> str:
    lanes, left_out = chosen(timeline)
    first, last = span(timeline, lanes)
    scale = _Scale(first, last, timeline.as_of)
    launch_rows = 1 if timeline.launches else 0
    rows = len(lanes) + launch_rows
    height = HEAD + max(rows, 1) * LANE + 32 + 15 * len(LEGEND)
    width = MARGIN * 2 + LABEL_W + CHART_W
    top, bottom = HEAD, HEAD + max(rows, 1) * LANE
    until = ""
    if timeline.go_live is not None:
        n = working_days(timeline, timeline.as_of, timeline.go_live)
        until = f" {plural(abs(n), 'working day')} {'to' if n >= 0 else 'since'} go-live."
    desc = (
        f"{plural(len(lanes), 'approval')} and "
        f"{plural(len(timeline.launches), 'launch', 'launches')}"
        f" from {first} to {last}; go-live {timeline.go_live or 'not set'}, "
        f"as of {timeline.as_of}.{until} Mainland non-working days are shaded. "
        "The table after the diagram gives every date."
    )
    out = [svg_open(ident, width, height, "Approvals and launches against go-live", desc)]
    for off, back, holiday in _runs(timeline, first, last):
        cls = "holiday" if holiday else "weekend"
        x1, x2 = scale.x(off), scale.x(back + dt.timedelta(days=1))
        kind = "public holiday" if holiday else "weekend"
        out.append(
            f'<rect class="{cls}" x="{x1:g}" y="{top}" width="{max(x2 - x1, 1):g}" '
            f'height="{bottom - top}"><title>{off} to {back}: {kind}</title></rect>'
        )
    out += _axis(scale, top, bottom)
    for i, a in enumerate(lanes):
        out += _lane(a, scale, top + i * LANE, timeline.go_live)
    if timeline.launches:
        out += _launches(timeline, scale, top + len(lanes) * LANE)
    out += _markers(timeline, scale, top, bottom)
    note = "Shaded: weekends (light) and public holidays (red)."
    if left_out:
        note += f" {plural(left_out, 'more approval')} in the table."
    if timeline.approximate_calendar:
        note += " Dates beyond the official calendar are estimated."
    out.append(svg_text(MARGIN, bottom + 20, note, size=11, cls="muted"))
    for i, text in enumerate(LEGEND):
        out.append(svg_text(MARGIN, bottom + 36 + i * 15, text, size=11, cls="muted"))
    out.append("</svg>")
    return "".join(out)


def _axis(scale: _Scale, top: int, bottom: int) -> list[str]:
    out = []
    month = dt.date(scale.first.year, scale.first.month, 1)
    step = 1 if (scale.last - scale.first).days <= 400 else 2
    while month <= scale.last:
        if month >= scale.first and scale.x(month) < scale.x0 + CHART_W - 50:
            x = scale.x(month)
            out.append(f'<line class="grid" x1="{x:g}" y1="{top - 6}" x2="{x:g}" y2="{bottom}"/>')
            out.append(svg_text(x + 3, top - 8, month.strftime("%b %Y"), size=11, cls="muted"))
        month = dt.date(
            month.year + (month.month + step - 1) // 12, (month.month + step - 1) % 12 + 1, 1
        )
    return out


def _lane(a: ApprovalSpan, scale: _Scale, y: int, go_live: dt.date | None) -> list[str]:
    mid = y + LANE / 2
    out = [
        f'<line class="grid" x1="{MARGIN}" y1="{y + LANE}" x2="{scale.x0 + CHART_W}" '
        f'y2="{y + LANE}"/>',
        svg_text(MARGIN, mid - 1, a.id, size=12, cls="strong", width=LABEL_W - 10),
        svg_text(
            MARGIN, mid + 12, f"{a.type} · {a.status}", size=10, cls="muted", width=LABEL_W - 10
        ),
    ]

    def bar(start: dt.date | None, end: dt.date | None, cls: str, tip: str) -> None:
        if start is None or end is None or end < scale.first or start > scale.last:
            return
        x1, x2 = scale.x(start), scale.x(end)
        out.append(
            f'<rect class="{cls}" x="{x1:g}" y="{mid - 7:g}" width="{max(x2 - x1, 2):g}" '
            f'height="14" rx="2"><title>{esc(tip)}</title></rect>'
        )

    label = f" ({a.window_label})" if a.window_label else ""
    bar(
        a.submitted,
        a.window_end,
        "window",
        f"{a.id}: submitted {a.submitted}, statutory maximum ends {a.window_end}{label}",
    )
    if a.submitted is None:
        bar(
            scale.as_of,
            a.projected_end,
            "window projected",
            f"{a.id}: not submitted; if submitted on {scale.as_of}, the statutory maximum "
            f"ends {a.projected_end}{label}",
        )
    if a.approved_on is not None:
        end = a.expires or scale.last
        basis = f" ({a.validity_basis})" if a.validity_basis else ""
        bar(
            a.approved_on,
            end,
            "valid",
            f"{a.id}: approved {a.approved_on}, valid to {a.expires or 'no expiry given'}{basis}",
        )
    bar(
        a.extension_start,
        a.expires,
        "extension",
        f"{a.id}: extension window {a.extension_start} to expiry {a.expires}",
    )
    points = (
        *((m.on, m.label, "tick") for m in a.milestones),
        (a.submitted, "submitted", "circle"),
        (a.approved_on, "approved", "diamond"),
        (a.projected_end, "statutory maximum if submitted today", "hollow"),
        (a.submit_by, f"the last day to submit, to be decided by {a.needed_by}, is", "triangle"),
        (a.filing_deadline, "filing deadline", "flag"),
        (a.expires, "expires", "bar"),
        (a.needed_by if a.needed_by != go_live else None, "needed by", "cross"),
    )
    for day, what, shape in points:
        if day is not None and scale.inside(day):
            out.append(_point(scale.x(day), mid, shape, f"{a.id}: {what} {day}"))
    return out


def _point(x: float, y: float, shape: str, tip: str) -> str:
    t = f"<title>{esc(tip)}</title>"
    if shape == "circle":
        return f'<circle cx="{x:g}" cy="{y:g}" r="4" fill="#1b1f24">{t}</circle>'
    if shape == "diamond":
        d = f"M{x:g},{y - 7:g} L{x + 6:g},{y:g} L{x:g},{y + 7:g} L{x - 6:g},{y:g} z"
        return f'<path d="{d}" fill="#1d5e20">{t}</path>'
    if shape == "hollow":
        d = f"M{x:g},{y - 7:g} L{x + 6:g},{y:g} L{x:g},{y + 7:g} L{x - 6:g},{y:g} z"
        return f'<path d="{d}" fill="#fff" stroke="#1d5e20" stroke-width="2">{t}</path>'
    if shape == "tick":
        return (
            f'<line x1="{x:g}" y1="{y - 7:g}" x2="{x:g}" y2="{y + 7:g}" stroke="#7a4100" '
            f'stroke-width="2">{t}</line>'
        )
    if shape == "cross":
        d = f"M{x - 5:g},{y - 5:g} L{x + 5:g},{y + 5:g} M{x - 5:g},{y + 5:g} L{x + 5:g},{y - 5:g}"
        return f'<path d="{d}" stroke="#c62828" stroke-width="2.5">{t}</path>'
    if shape == "flag":
        d = f"M{x:g},{y + 8:g} L{x:g},{y - 8:g} L{x + 8:g},{y - 5:g} L{x:g},{y - 2:g}"
        return f'<path d="{d}" fill="#0b4a8f" stroke="#0b4a8f" stroke-width="1.5">{t}</path>'
    if shape == "triangle":
        d = f"M{x - 6:g},{y - 8:g} L{x + 6:g},{y - 8:g} L{x:g},{y + 2:g} z"
        return f'<path d="{d}" fill="#b26a00">{t}</path>'
    return (
        f'<line x1="{x:g}" y1="{y - 9:g}" x2="{x:g}" y2="{y + 9:g}" stroke="#5b2d86" '
        f'stroke-width="3">{t}</line>'
    )


def _launches(timeline: Timeline, scale: _Scale, y: int) -> list[str]:
    mid = y + LANE / 2
    out = [svg_text(MARGIN, mid + 4, "launches", size=12, cls="strong")]
    for launch in sorted(timeline.launches, key=lambda item: (item.on, item.component)):
        if not scale.inside(launch.on):
            continue
        x = scale.x(launch.on)
        d = f"M{x - 6:g},{mid + 7:g} L{x + 6:g},{mid + 7:g} L{x:g},{mid - 7:g} z"
        tip = f"{launch.component} ({launch.name}) launches {launch.on}"
        out.append(f'<path d="{d}" fill="#0b4a8f"><title>{esc(tip)}</title></path>')
    return out


def _markers(timeline: Timeline, scale: _Scale, top: int, bottom: int) -> list[str]:
    out = []
    marks = [(timeline.as_of, "as-of", f"as of {timeline.as_of}", top - 38)]
    if timeline.go_live is not None:
        marks.append((timeline.go_live, "go-live", f"go-live {timeline.go_live}", top - 24))
    for day, cls, text, label_y in marks:
        if not scale.inside(day):
            continue
        x = scale.x(day)
        out.append(f'<line class="{cls}" x1="{x:g}" y1="{label_y + 4}" x2="{x:g}" y2="{bottom}"/>')
        anchor = "end" if x > scale.x0 + CHART_W * 0.8 else "start"
        dx = -4 if anchor == "end" else 4
        out.append(svg_text(x + dx, label_y, text, size=12, cls="strong", anchor=anchor))
    return out
