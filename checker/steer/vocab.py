"""Closed vocabularies: of the manifest format (manifest.md; data categories are the
one open vocabulary, from the loaded packs' taxonomy), of guardrails, and of the
command line (formats, fail levels). Each fact has its one home here."""

from __future__ import annotations

import re
from collections.abc import Iterable

COMPONENT_KINDS = ("datastore", "service", "external", "channel", "relay", "cdn", "device")
APPROVAL_TYPES = (
    "cac-security-assessment",
    "standard-contract",
    "pi-certification",
    "separate-consent",
    "pipia",
    "important-data-assessment",
    "icp-filing",
    "icp-licence",
    "psb-filing",
    "mini-program-review",
)
APPROVAL_STATUSES = ("planned", "submitted", "in-review", "approved", "rejected", "withdrawn")
MECHANISMS = ("api", "batch", "stream", "replication", "backup", "manual")
COORDINATE_SYSTEMS = ("WGS-84", "GCJ-02", "BD-09")
EXEMPTIONS = (
    "no-personal-or-important",
    "contract-with-individual",
    "hr-management",
    "emergency",
    "collected-abroad",
    "ftz-negative-list",
)
SECTORS = ("automotive", "other")
"""``organisation.sector``: automotive brings the 2021 automotive provisions in."""
AUDIENCES = ("customer", "dealer", "staff")
COVERAGE = ("24x7", "business-hours")
INCIDENT_RESPONSE = ("local", "global-noc")
OPERATIONS_MODELS = ("partner", "local-hire", "undecided")

SEVERITIES = ("critical", "high", "medium", "low")
STATUSES = ("confirmed", "decision-needed", "in-progress", "draft")
ENFORCEMENTS = ("blocking", "advisory")
AUTHORITIES = ("law", "policy")
"""A guardrail's authority: ``law`` (a duty a statute, regulation or standard imposes,
cited in its sources) or ``policy`` (the organisation's own decision, stricter)."""
LEVELS = ("error", "warning")

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
FIRST_DATE = "2000-01-01"
LAST_DATE = "2099-12-31"
"""The dates steer judges (manifest dates, scenario ``as_of``, ``--as-of``): the law
and the working-day calendars are known for these years, and a deadline counted from
any of them stays in the range the calendars can count."""
DATE_RANGE_EXPECTED = f"expected a date between {FIRST_DATE} and {LAST_DATE}"
MAX_SPAN_DAYS = 10_000
"""The longest period (calendar or working days, about 27 or 40 years) a deadline,
lead time or window may span: a pack parameter or ``policy.parameters`` value beyond
it is refused, so that date arithmetic stays inside the calendars."""


def in_date_range(iso: str) -> bool:
    """Whether a ``YYYY-MM-DD`` date lies in ``FIRST_DATE..LAST_DATE`` (ISO dates sort
    as text)."""
    return FIRST_DATE <= iso <= LAST_DATE


def out_of_range(iso: str) -> str | None:
    """What is wrong with a real ``YYYY-MM-DD`` date outside the range, for a message
    (None: inside it)."""
    if in_date_range(iso):
        return None
    return f"'{iso}' is outside the dates steer judges; {DATE_RANGE_EXPECTED}"


JURISDICTION_PATTERN = r"^[A-Z]{2}$"

TARGETS = (
    "components",
    "flows",
    "crossings",
    "approvals",
    "operations",
    "operations.team",
    "organisation",
    "programme",
    "manifest",
)
"""What a guardrail's check can range over (``crossings``: the flows that leave home)."""

BUILTIN_PACKS = ("cn",)
"""Pack names that are not paths: the packs shipped with steer."""
DEFAULT_PACKS = ("cn",)
"""The packs a manifest is checked against when neither it nor the flags name any."""

INFRA_RULES = ("STEER-IAC-001", "STEER-IAC-002", "STEER-IAC-003", "STEER-IAC-004")
"""steer's own checks of a manifest against plans and states (``--terraform``, cli.md):
a named resource runs elsewhere; a data-holding resource no component names; a
``resources`` entry that matches nothing; a resource whose place cannot be judged.
Not guardrails of a pack, but selectable, ignorable and waivable like them."""

FAIL_LEVELS = ("error", "warning", "never")
CHECK_FORMATS = ("table", "json", "sarif", "junit", "markdown", "html", "github")
WHATIF_FORMATS = ("table", "json", "markdown", "html")
GRAPH_FORMATS = ("mermaid", "dot", "json")
TRANSFERS_FORMATS = ("table", "json", "markdown", "csv")


def split_ids(values: Iterable[str] | None) -> tuple[str, ...]:
    """Comma-separated ids (``--select A,B --select C``) as one tuple, blanks dropped."""
    out: list[str] = []
    for value in values or ():
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``0 errors`` (``many`` when the plural is not ``word``+s)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


# What a terminal, a log viewer or a reader's eye must never receive raw from a manifest
# or a pack: C0 controls (ESC starts a terminal escape sequence, CR overwrites the line,
# BEL rings), DEL and C1 (U+009B is a one-character CSI), line and paragraph separators,
# the bidirectional overrides and isolates ("Trojan Source"), the byte-order mark,
# surrogates and noncharacters.
_INVISIBLE = (
    "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
    "\ufeff\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
)
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_PATTERNS: dict[str, re.Pattern[str]] = {}


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    named = _NAMED.get(ch)
    if named is not None:
        return named
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control, format-override or non-character written out as a
    Python-style escape (ESC as ``\\x1b``, CR as ``\\r``, U+202E as ``\\u202e``), so
    that a manifest string is shown, never obeyed, by a terminal, a CI log or a
    pull-request page. ``keep`` names characters to leave as they are (``"\\n"``
    where a line break is harmless, as in a table cell)."""
    pattern = _PATTERNS.get(keep)
    if pattern is None:
        ranges = _INVISIBLE
        kept = "".join(re.escape(ch) for ch in keep)
        pattern = re.compile(f"(?![{kept}])[{ranges}]" if kept else f"[{ranges}]")
        _PATTERNS[keep] = pattern
    if pattern.search(text) is None:  # the common case: nothing to do, no copy
        return text
    return pattern.sub(_escape, text)
