"""The transfer register in words: what the table, Markdown and CSV formats of
``steer transfers`` (and the register section of the Markdown check report) say
about each entry of ``Report.crossings`` (cli.md's register entry, with
``requires_by_policy``, ``exemption_refused`` and ``missing``).

Reporters read the entries as the JSON report holds them, so every format says
what ``--format json`` says, in the same order (by flow)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from steer.results.findings import Report
from steer.vocab import plural

Entry = Mapping[str, Any]

REQUIRES = {
    "cac-security-assessment": "CAC security assessment",
    "standard-contract-or-certification": "standard contract or certification",
    "none": "no transfer mechanism",
}
NO_CROSSINGS = (
    "no flow takes personal information or important data of the judged subjects across the border"
)


def as_reports(data: Report | Sequence[Report]) -> tuple[Report, ...]:
    """A reporter's input: one report (``steer transfers``) or several (``check``)."""
    return (data,) if isinstance(data, Report) else tuple(data)


def requires(entry: Entry) -> str:
    """The law's mechanism, in words."""
    return REQUIRES.get(str(entry["requires"]), str(entry["requires"]))


def by_policy(entry: Entry) -> str | None:
    """The organisation's stricter mechanism, in words (None: the law's is the policy's)."""
    stricter = entry.get("requires_by_policy")
    return None if stricter is None else REQUIRES.get(str(stricter), str(stricter))


def requires_text(entry: Entry) -> str:
    """ "standard contract or certification (policy: CAC security assessment)"."""
    policy = by_policy(entry)
    return requires(entry) + (f" (policy: {policy})" if policy else "")


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def obligations(entry: Entry) -> str:
    """ "separate consent: yes; PIPIA: yes"."""
    return (
        f"separate consent: {yes_no(entry.get('consent_required'))}; "
        f"PIPIA: {yes_no(entry.get('pipia_required'))}"
    )


def individuals(entry: Entry) -> str:
    """ "180,000", or "unknown" when the manifest gives no volume."""
    value = entry.get("individuals")
    return "unknown" if value is None else f"{value:,}"


def destination(entry: Entry) -> str:
    return str(entry.get("destination") or "unknown jurisdiction")


def route(entry: Entry, arrow: str = "→") -> str:
    """ "crm-api → global-crm (US)"."""
    return f"{entry['from']} {arrow} {entry['to']} ({destination(entry)})"


def exemption_text(entry: Entry) -> str:
    """The exemption honoured, the one refused and why, or "none"."""
    if entry.get("exemption"):
        return str(entry["exemption"])
    if entry.get("exemption_refused"):
        return f"refused: {entry['exemption_refused']}"
    return "none"


def approval_text(approval: Entry) -> str:
    """ "scc-1 counts (approved 2026-06-18)", or why it does not count."""
    aid, why = str(approval["id"]), str(approval["why"])
    if approval.get("counts"):
        return f"{aid} counts ({why})"
    if why.startswith(f"{aid} "):  # "cac-1 is in-review, not approved" names it already
        return why
    return f"{aid} does not count: {why}"


def approval_lines(entry: Entry) -> list[str]:
    """Each covering approval, marked ✓ when it counts and ✗ when not ("none": none)."""
    return [
        ("✓ " if a.get("counts") else "✗ ") + approval_text(a) for a in entry.get("approvals") or ()
    ] or ["none"]


def covered_text(entry: Entry) -> str:
    """ "yes", or "missing: a CAC security assessment; PIPIA (PIPL art. 55)"."""
    if entry.get("covered"):
        return "yes"
    missing = [str(m) for m in entry.get("missing") or ()]
    return "missing: " + "; ".join(missing) if missing else "no"


def count_line(crossings: Sequence[Entry]) -> str:
    """ "4 crossings: 1 covered, 3 not covered"."""
    n = len(crossings)
    if not n:
        return f"0 crossings: {NO_CROSSINGS}"
    covered = sum(bool(c.get("covered")) for c in crossings)
    return f"{plural(n, 'crossing')}: {covered} covered, {n - covered} not covered"


def regime_line(report: Report) -> str:
    """ "regime cn-2024" for a heading ("" when the report names none)."""
    return f"regime {report.regime}" if report.regime else ""
