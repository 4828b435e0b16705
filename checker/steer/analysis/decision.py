"""One decision per crossing: the transfer mechanism it needs, separate consent, the
PIPIA, the exemption honoured, the individuals counted, and the article behind each.

``decide(crossings, handler, regime, as_of)`` makes every crossing's decision in
one pass: it judges each declared exemption, counts the individuals over the
crossings that are not exempt, then decides each crossing. The rules (the
articles cited below; regime values from the pack, see ``regimes``):

Counting (CAC Order 16 art. 7(2), 8; CAC Order 11 art. 4(3)).
  Individuals (人), not records or flows. A crossing's individuals are its
  ``records_per_year``, else the individuals its origin holdings hold, else
  unknown. Window: ``cn-2024`` counts since 1 January of the as-of year, so r a
  year counts r; ``cn-2022`` counts since 1 January of the previous year, so a
  flow already running before 1 January of the as-of year counts 2r (a flow that
  started later counts r). No crossing counts more than its holdings hold, and the
  crossings drawing on one holding (or on holdings linked by a crossing drawing on
  both) count together at most the individuals held there: the same person sent on
  two flows, or in two years, counts once. Crossings from different holdings are
  summed (taken as different people: never an undercount, as the CAC forbids
  splitting a volume to stay under a threshold). Sensitive and non-sensitive PI
  are counted apart: ``cn-2024`` counts the crossings carrying non-sensitive PI
  against the personal thresholds ("不含敏感个人信息"), ``cn-2022`` every crossing of
  PI; both count the crossings carrying sensitive PI against the sensitive one. An
  exempt crossing is not counted. Unknown volume in a count makes that count
  unknown, and the crossings judged by it get the conservative decision (an
  assessment), and ``basis`` names the flows.

Thresholds (Civil Code art. 1259: "以上" includes the number, "不满" excludes it).
  ``cn-2024``: 1,000,000 or more non-sensitive, or 10,000 or more sensitive ->
  assessment (art. 7(2)); 100,000 to under 1,000,000 non-sensitive, or sensitive
  under 10,000 -> standard contract or certification (art. 8); under 100,000
  non-sensitive, no sensitive PI on the crossing, a handler that is not a CIIO ->
  none (art. 5(4)). No handler-size trigger. ``cn-2022``: 100,000 or more PI, or
  10,000 or more sensitive (art. 4(3)), or a handler of 1,000,000 individuals
  (art. 4(2)) -> assessment; a standard contract or certification below (PIPL art.
  38). Each crossing gets the mechanism for the categories it carries: one
  carrying only non-sensitive PI the non-sensitive count's, one carrying sensitive
  PI the sensitive count's (and the stricter of both when it carries both), one
  carrying important data an assessment. Whether sensitive PI on one crossing
  denies art. 5(4) to another is not settled; a crossing is judged by what it
  carries, and ``basis`` says so when sensitive PI crosses elsewhere.

Handler. A CIIO exporting PI or important data needs an assessment (CAC Order 16
  art. 7(1); CAC Order 11 art. 4(2)) unless an exemption that applies to CIIOs
  covers the crossing; art. 5(4) never exempts a CIIO. Under ``cn-2022`` an
  unknown ``pi_subjects`` is taken to reach the handler number (conservative).

Exemptions (CAC Order 16; ``cn-2022`` recognises none, and says so). Art. 3
  (``no-personal-or-important``) only when no PI and no important data cross; art.
  4 (``collected-abroad``), 5(1) (``contract-with-individual``), 5(2)
  (``hr-management``), 5(3) (``emergency``), 6 (``ftz-negative-list``) exempt PI and
  apply to CIIOs too. None extends to important data (art. 5 speaks of PI only;
  art. 3 and 4 exclude important data in their terms; for art. 6 an identified
  important datum is taken as on the zone's list): a crossing carrying important
  data keeps its assessment, the exemption is refused and the crossing counted.
  A refused exemption says why (``exemption_refused``).

Consent and PIPIA. Separate consent (PIPL art. 39) for every crossing of PI, except
  where the honoured exemption rests on a legal basis that needs no consent (PIPL
  art. 13 para. 1 items 2 and 4, para. 2: contract, HR, emergency) and the pack
  parameter ``exemption_basis_waives_consent`` holds (the prevailing reading,
  unverified). A PIPIA (PIPL art. 55(4)) for every crossing of PI, exempt or not.

Policy. Data important only by the organisation's policy (``carries_important_by_
  policy``, e.g. telematics) is not important data by law (CAC Order 16 art. 2):
  ``requires_by_law`` ignores it, ``requires`` adds the policy's assessment, and
  ``basis`` says which is which.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from steer.analysis.counting import (
    Counts,
    CrossingInput,
    Handler,
    Holding,
    count_individuals,
    own_volume,
)
from steer.analysis.regimes import ALL_PERSONAL, Exemption, Regime

__all__ = [
    "ASSESSMENT",
    "CONTRACT",
    "MECHANISMS",
    "NONE",
    "Counts",
    "CrossingDecision",
    "CrossingInput",
    "Handler",
    "Holding",
    "count_individuals",
    "decide",
    "decision_changes",
    "judge_exemption",
    "mechanism_rank",
    "strictest",
]

NONE = "none"
CONTRACT = "standard-contract-or-certification"
ASSESSMENT = "cac-security-assessment"
#: The mechanisms, weakest first: a stronger one also satisfies a weaker need.
MECHANISMS = (NONE, CONTRACT, ASSESSMENT)
_LABEL = {
    NONE: "no transfer mechanism",
    CONTRACT: "a standard contract or certification",
    ASSESSMENT: "a CAC security assessment",
}
_CONSENT = "PIPL art. 39: separate consent of each individual before the export"
_PIPIA = (
    "PIPL art. 55(4): a personal information protection impact assessment before the "
    "export, whatever the mechanism or exemption"
)


def mechanism_rank(mechanism: str) -> int:
    """0 for ``none``, 1 for a standard contract or certification, 2 for an assessment."""
    try:
        return MECHANISMS.index(mechanism)
    except ValueError:
        raise ValueError(f"unknown mechanism {mechanism!r}; expected one of {MECHANISMS}") from None


def strictest(mechanisms: Iterable[str]) -> str:
    """The strongest of ``mechanisms`` (``none`` when there are none)."""
    return max(mechanisms, key=mechanism_rank, default=NONE)


@dataclass(frozen=True)
class CrossingDecision:
    """What one crossing needs, and the article behind each part."""

    flow: str
    regime: str
    requires: str  # NONE | CONTRACT | ASSESSMENT, the law's and the policy's
    requires_by_law: str
    consent_required: bool
    pipia_required: bool
    exemption: str | None  # the exemption honoured
    exemption_refused: str | None  # why a declared exemption was not honoured
    individuals: int | None  # this crossing's individuals (window, holding cap); 0: no PI
    sensitive_individuals: int | None
    basis: tuple[str, ...]  # the mechanism's articles, then counting notes, then policy
    consent_basis: str | None
    pipia_basis: str | None


def judge_exemption(
    crossing: CrossingInput, handler: Handler, regime: Regime
) -> tuple[Exemption | None, str | None]:
    """The exemption a crossing declares, honoured (first) or refused with why (second)."""
    declared = crossing.exemption
    if declared is None:
        return None, None
    if not regime.exemptions:
        return None, (
            f"{regime.name} ({regime.instrument}) recognises no exemption, so '{declared}' is "
            "not honoured and the crossing is counted"
        )
    if not regime.rules.exemptions_apply:
        return None, (
            f"exemptions are not relied on (parameter exemptions_apply is false), so "
            f"'{declared}' is not honoured and the crossing is counted"
        )
    found = regime.exemptions.get(declared)
    if found is None:
        known = ", ".join(sorted(regime.exemptions))
        return None, f"'{declared}' is not an exemption of {regime.instrument} ({known})"
    if handler.ciio and not found.applies_to_ciio:
        return None, f"{found.article} does not apply to a CIIO"
    if crossing.carries_personal and not found.allows_personal:
        return None, (
            f"{found.article} covers only data without personal information, and this "
            "crossing carries personal information"
        )
    if crossing.carries_important_by_law and not found.allows_important_data:
        return None, (
            f"{found.article} does not extend to important data, and this crossing carries "
            "important data"
        )
    return found, None


def _flows(names: tuple[str, ...]) -> str:
    more = f" and {len(names) - 3:,} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


@dataclass(frozen=True)
class _Reason:
    mechanism: str
    text: str
    volume: bool = False  # decided by a count (then the counting notes apply)


def _unknown(article: str, flows: tuple[str, ...], top: int, noun: str) -> _Reason:
    return _Reason(
        ASSESSMENT,
        f"{article}: the volume of {_flows(flows)} is unknown (no records_per_year, no "
        f"holding size), so {top:,} or more individuals' {noun} is assumed",
        True,
    )


def _personal_reason(
    c: CrossingInput, handler: Handler, regime: Regime, n: Counts
) -> _Reason | None:
    r = regime.rules
    all_personal = r.personal_threshold_counts == ALL_PERSONAL
    noun = "PI, sensitive included" if all_personal else "non-sensitive PI"
    top, low = r.assessment_personal_threshold, r.contract_personal_threshold
    if n.personal is None:
        return _unknown(regime.article("volume_assessment"), n.unknown_personal, top, noun)
    counted = f"{n.personal:,} counted since 1 January {n.window_start.year}"
    if n.personal >= top:
        art = regime.article("volume_assessment")
        return _Reason(ASSESSMENT, f"{art}: {top:,} or more individuals' {noun}; {counted}", True)
    if low and n.personal < low:
        if handler.ciio or c.carries_sensitive:  # art. 7(1) or the sensitive count decides
            return None
        art = regime.article("volume_exemption")
        return _Reason(
            NONE,
            f"{art}: under {low:,} individuals' {noun}; {counted}; no sensitive PI on this "
            "crossing, and the handler is not a CIIO",
            True,
        )
    span = f"{low:,} to under {top:,}" if low and n.personal >= low else f"under {top:,}"
    art = regime.article("volume_contract")
    return _Reason(CONTRACT, f"{art}: {span} individuals' {noun}; {counted}", True)


def _sensitive_reason(regime: Regime, n: Counts) -> _Reason:
    top = regime.rules.assessment_sensitive_threshold
    if n.sensitive is None:
        return _unknown(
            regime.article("volume_assessment"), n.unknown_sensitive, top, "sensitive PI"
        )
    counted = f"{n.sensitive:,} counted since 1 January {n.window_start.year}"
    if n.sensitive >= top:
        art = regime.article("volume_assessment")
        return _Reason(
            ASSESSMENT, f"{art}: {top:,} or more individuals' sensitive PI; {counted}", True
        )
    art = regime.article("volume_contract")
    return _Reason(CONTRACT, f"{art}: under {top:,} individuals' sensitive PI; {counted}", True)


def _handler_reasons(handler: Handler, regime: Regime) -> list[_Reason]:
    out = []
    if handler.ciio:
        what = "a critical information infrastructure operator (CIIO) exports PI"
        out.append(_Reason(ASSESSMENT, f"{regime.article('ciio')}: {what}"))
    limit, subjects = regime.rules.handler_threshold, handler.pi_subjects
    art = regime.article("handler")
    if limit and subjects is None:
        what = f"organisation.pi_subjects is not given, so the handler is taken to reach {limit:,}"
        out.append(_Reason(ASSESSMENT, f"{art}: {what}"))
    elif limit and subjects is not None and subjects >= limit:
        what = f"the handler processes PI of {subjects:,} individuals ({limit:,} or more)"
        out.append(_Reason(ASSESSMENT, f"{art}: {what}"))
    return out


def _law_reasons(
    c: CrossingInput, handler: Handler, regime: Regime, n: Counts, honoured: Exemption | None
) -> list[_Reason]:
    if honoured is not None:
        ciio = "; it applies to a CIIO too" if handler.ciio else ""
        text = f"{honoured.article}: {honoured.covers}{ciio}; the crossing is not counted"
        return [_Reason(NONE, text)]
    if not c.carries_personal and not c.carries_important_by_law:
        what = " by law" if c.carries_important_by_policy else ""
        art = regime.article("out_of_scope")
        return [_Reason(NONE, f"{art}: no personal information or important data crosses{what}")]
    out: list[_Reason] = []
    if c.carries_important_by_law:
        art = regime.article("ciio" if handler.ciio else "important")
        out.append(_Reason(ASSESSMENT, f"{art}: important data (identified as such) crosses"))
    if not c.carries_personal:
        return out
    out += _handler_reasons(handler, regime)
    all_personal = regime.rules.personal_threshold_counts == ALL_PERSONAL
    in_count = c.carries_personal if all_personal else c.carries_non_sensitive_personal
    personal = _personal_reason(c, handler, regime, n) if in_count else None
    if personal is not None:
        out.append(personal)
    if c.carries_sensitive:
        out.append(_sensitive_reason(regime, n))
    return out


def _notes(c: CrossingInput, regime: Regime, n: Counts, final: str) -> list[str]:
    assess = regime.article("volume_assessment")
    out: list[str] = []
    if c.flow in n.doubled and c.records_per_year is not None:
        out.append(
            f"{assess}: counted since 1 January {n.window_start.year}, and {c.flow} has run "
            f"since {c.since}, so its {c.records_per_year:,} individuals a year count two years"
        )
    if c.flow in n.caps:
        held, cap = n.caps[c.flow]
        out.append(
            f"{assess}: individuals, not flows: the crossings drawing on {', '.join(held)} "
            f"count at most the {cap:,} individuals held there"
        )
    sensitive_elsewhere = n.sensitive is None or n.sensitive > 0
    if final == NONE and not c.carries_sensitive and sensitive_elsewhere:
        out.append(
            f"{regime.article('volume_exemption')}: sensitive PI crosses on other crossings; "
            "this one, carrying none, is judged by what it carries (a reading the text leaves "
            "open)"
        )
    return out


def _consent(c: CrossingInput, regime: Regime, honoured: Exemption | None) -> tuple[bool, str]:
    if honoured is not None and honoured.consent_basis is not None:
        if regime.rules.exemption_basis_waives_consent:
            return False, (
                f"{honoured.consent_basis}; so no separate consent (PIPL art. 39), by the "
                "prevailing reading (parameter exemption_basis_waives_consent)"
            )
        return True, f"{_CONSENT} (parameter exemption_basis_waives_consent is false)"
    return True, _CONSENT


def _decide_one(
    c: CrossingInput,
    handler: Handler,
    regime: Regime,
    n: Counts,
    verdict: tuple[Exemption | None, str | None],
    volume: int | None,
) -> CrossingDecision:
    honoured, refused = verdict
    reasons = _law_reasons(c, handler, regime, n, honoured)
    law = strictest(r.mechanism for r in reasons)
    deciding = [r for r in reasons if r.mechanism == law]
    basis = [r.text for r in deciding]
    if any(r.volume for r in deciding):
        basis += _notes(c, regime, n, law)
    requires = law
    if c.carries_important_by_policy and not c.carries_important_by_law:
        requires = ASSESSMENT
        basis.append(
            "Organisation policy, not law: the crossing carries data the organisation treats "
            "as important data though no authority identified it as such, so "
            f"{_LABEL[ASSESSMENT]}; the law alone requires {_LABEL[law]}"
        )
    consent, consent_basis = _consent(c, regime, honoured) if c.carries_personal else (False, None)
    personal = volume if c.carries_personal else 0
    return CrossingDecision(
        flow=c.flow,
        regime=regime.name,
        requires=requires,
        requires_by_law=law,
        consent_required=consent,
        pipia_required=c.carries_personal,
        exemption=None if honoured is None else honoured.id,
        exemption_refused=refused,
        individuals=personal,
        sensitive_individuals=volume if c.carries_sensitive else 0,
        basis=tuple(basis),
        consent_basis=consent_basis,
        pipia_basis=_PIPIA if c.carries_personal else None,
    )


def _check(crossings: list[CrossingInput]) -> None:
    seen: set[str] = set()
    sizes: dict[str, int | None] = {}
    for c in crossings:
        if c.flow in seen:
            raise ValueError(f"flow {c.flow} is given twice")
        seen.add(c.flow)
        for h in c.holdings:
            if sizes.setdefault(h.id, h.individuals) != h.individuals:
                raise ValueError(
                    f"holding {h.id} is given as {sizes[h.id]} and as {h.individuals} individuals"
                )


def decide(
    crossings: Iterable[CrossingInput], handler: Handler, regime: Regime, as_of: dt.date
) -> dict[str, CrossingDecision]:
    """Every crossing's decision under ``regime`` on ``as_of``, keyed and ordered by flow."""
    items = sorted(crossings, key=lambda c: c.flow)
    _check(items)
    verdicts = {c.flow: judge_exemption(c, handler, regime) for c in items}
    counts = count_individuals([c for c in items if verdicts[c.flow][0] is None], regime, as_of)
    out: dict[str, CrossingDecision] = {}
    for c in items:
        volume = counts.per_crossing.get(c.flow)
        if c.flow not in counts.per_crossing:  # exempt: its own volume, not counted
            volume = own_volume(c, regime, as_of)[0]
        out[c.flow] = _decide_one(c, handler, regime, counts, verdicts[c.flow], volume)
    return out


def decision_changes(
    before: Mapping[str, CrossingDecision], after: Mapping[str, CrossingDecision]
) -> tuple[str, ...]:
    """The crossings whose mechanism differs between two decisions (e.g. a pinned regime
    and the one in force), as "flow: new instead of old", by flow."""
    return tuple(
        f"{flow}: {after[flow].requires} instead of {before[flow].requires}"
        for flow in sorted(set(before) & set(after))
        if before[flow].requires != after[flow].requires
    )
