"""The decision table of each regime, as ``steer explain`` prints it for the guardrail
that decides each crossing's mechanism (CN-XB-002, kind ``volume``): for every
regime of the packs, in date order, its instrument, the span it is in force, its
legal basis, how individuals are counted, then one row per rule: the condition, the
mechanism it needs and the article behind it, built from the regime's values (the
pack's ``parameters.yaml``), so the table says what the decision reads; then its
exemptions, separate consent, the PIPIA and the validity of an assessment.

Thresholds are worded as the law words them (Civil Code art. 1259): "or more"
(以上) includes the number, "under" (不满) excludes it."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from steer.analysis.regimes import (
    ALL_PERSONAL,
    PREVIOUS_YEAR,
    Exemption,
    Regime,
    RegimeSet,
    regime_changes,
)
from steer.commands.common import wrap
from steer.packs.model import Guardrail
from steer.vocab import plural

ASSESSMENT = "CAC security assessment"
CONTRACT = "standard contract or PI protection certification"
NONE = "no transfer mechanism"
DECISION_PARAMETERS = frozenset(
    {
        "counting_window",
        "personal_threshold_counts",
        "assessment_personal_threshold",
        "assessment_sensitive_threshold",
        "contract_personal_threshold",
        "handler_threshold",
        "exemptions_apply",
        "exemption_basis_waives_consent",
    }
)
"""The parameters a crossing's decision reads (``Rules``, but the validity, which the
timeline guardrail reads): a guardrail that names one of them explains the table."""


def applies(guardrail: Guardrail) -> bool:
    """Whether ``steer explain`` shows the decision table for this guardrail."""
    return guardrail.kind == "volume" or bool(DECISION_PARAMETERS & set(guardrail.parameters))


def decision_tables(regimes: RegimeSet) -> list[str]:
    """The lines of the "Decision table" section: every regime, oldest first."""
    out = [
        "Decision table (one per regime, oldest first)",
        wrap(
            "policy.regime: auto (the default) judges a manifest by the regime in force on "
            "the as-of date; a manifest may pin one. "
            "Each crossing gets the strictest mechanism of the rows that apply to it; a CAC "
            "security assessment also satisfies a crossing that needs only a standard "
            "contract or certification. Thresholds: 'or more' includes the number (以上), "
            "'under' excludes it (不满), Civil Code art. 1259. Data important only by the "
            "organisation's policy (telematics_is_important) adds an assessment by policy, "
            "not by law (requires_by_policy in the register).",
        ),
    ]
    previous: Regime | None = None
    for regime in regimes:
        out += ["", *regime_table(regime, previous)]
        previous = regime
    return out


def regime_table(regime: Regime, previous: Regime | None = None) -> list[str]:
    """One regime: heading, legal basis, counting, rows, exemptions, consent, validity."""
    r = regime.rules
    out = [
        f"  {regime.name}: {regime.instrument}, {regime.span()}",
        wrap(regime.legal_basis, indent=4),
        wrap(f"Counting: {counting(regime)}", indent=4),
        "    Rows (condition -> mechanism [article]):",
    ]
    for condition, mechanism, article in rows(regime):
        out.append(_item(f"{condition} -> {mechanism} [{article}]"))
    out.append("    Exemptions (declared on a flow as `exemption`):")
    out += [_item(line) for line in exemption_lines(regime)]
    out.append(wrap(f"Separate consent: {consent(regime)}", indent=4))
    out.append(
        wrap(
            "PIPIA: PIPL art. 55(4), a personal information protection impact assessment "
            "before every crossing of personal information, exempt or not.",
            indent=4,
        )
    )
    validity = r.assessment_validity_years
    out.append(
        wrap(
            f"Validity: an assessment result issued while {regime.name} is in force is valid "
            f"{plural(validity, 'year')} ({regime.article('validity')}).",
            indent=4,
        )
    )
    if previous is not None:
        changes = regime_changes(previous, regime)
        if changes:
            out.append(f"    What changed from {previous.name}:")
            out += [_item(change) for change in changes]
    return out


def _item(text: str) -> str:
    """A list item under a regime: wrapped lines hang under its text."""
    return wrap(text, indent=8).replace("        ", "      - ", 1)


def _noun(regime: Regime) -> str:
    if regime.rules.personal_threshold_counts == ALL_PERSONAL:
        return "PI, sensitive included"
    return "non-sensitive PI"


def counting(regime: Regime) -> str:
    """How individuals are counted under the regime, in words."""
    r = regime.rules
    if r.counting_window == PREVIOUS_YEAR:
        window = (
            "since 1 January of the previous year (a flow already running before 1 January "
            "of the as-of year counts two years)"
        )
    else:
        window = "since 1 January of the as-of year"
    which = (
        "every individual whose PI crosses, sensitive included"
        if r.personal_threshold_counts == ALL_PERSONAL
        else "only individuals whose non-sensitive PI crosses (不含敏感个人信息)"
    )
    return (
        f"individuals (人), not records or flows, cumulative {window}; the personal "
        f"thresholds count {which}; sensitive PI is counted apart against its own "
        "threshold; the crossings drawing on one holding count at most the individuals "
        "held there; an exempt crossing is not counted."
    )


def rows(regime: Regime) -> list[tuple[str, str, str]]:
    """(condition, mechanism, article) for each rule, in the order the decision
    weighs them: what takes a crossing out of scope, then what needs an assessment,
    then a standard contract, then what is exempt by volume."""
    r = regime.rules
    noun = _noun(regime)
    top, sensitive, low = (
        r.assessment_personal_threshold,
        r.assessment_sensitive_threshold,
        r.contract_personal_threshold,
    )
    assess, contract = regime.article("volume_assessment"), regime.article("volume_contract")
    out = [
        (
            "no personal information or important data crosses",
            NONE,
            regime.article("out_of_scope"),
        )
    ]
    if r.exemptions_apply and regime.exemptions:
        out.append(
            (
                "the flow declares an exemption below that holds for it",
                NONE,
                _articles(regime.exemptions.values()),
            )
        )
    out += [
        ("important data (identified as such) crosses", ASSESSMENT, regime.article("important")),
        ("the handler is a CIIO and PI crosses", ASSESSMENT, regime.article("ciio")),
    ]
    if r.handler_threshold:
        out.append(
            (
                f"the handler processes PI of {r.handler_threshold:,} or more individuals "
                f"(inclusive; organisation.pi_subjects, unknown counts as reaching it)",
                ASSESSMENT,
                regime.article("handler"),
            )
        )
    out += [
        (f"{top:,} or more individuals' {noun} (inclusive)", ASSESSMENT, assess),
        (f"{sensitive:,} or more individuals' sensitive PI (inclusive)", ASSESSMENT, assess),
        (
            "the volume is unknown (no records_per_year and no records at the holding): "
            "the threshold is taken as reached",
            ASSESSMENT,
            assess,
        ),
    ]
    span = f"{low:,} to under {top:,}" if low else f"under {top:,}"
    out += [
        (f"{span} individuals' {noun}", CONTRACT, contract),
        (f"sensitive PI of under {sensitive:,} individuals", CONTRACT, contract),
    ]
    if low:
        out.append(
            (
                f"under {low:,} individuals' {noun}, no sensitive PI on the crossing, and "
                "the handler is not a CIIO",
                NONE,
                regime.article("volume_exemption"),
            )
        )
    return out


def _articles(exemptions: Iterable[Exemption]) -> str:
    """ "CAC Order 16 art. 3, 4, 5(1)": the exemptions' articles, one instrument named once."""
    cited = [e.article for e in exemptions]
    groups = itertools.groupby(cited, key=lambda a: a.partition(" art. ")[0])
    parts = []
    for instrument, items in groups:
        numbers = [a.partition(" art. ")[2] or a for a in items]
        parts.append(f"{instrument} art. {', '.join(numbers)}")
    return "; ".join(parts)


def exemption_lines(regime: Regime) -> list[str]:
    """One line per exemption the regime recognises (or why none is honoured)."""
    if not regime.exemptions:
        return [f"none: {regime.instrument} recognises none; a declared exemption is refused"]
    if not regime.rules.exemptions_apply:
        return ["none honoured: the parameter exemptions_apply is false"]
    waives = regime.rules.exemption_basis_waives_consent
    out = []
    for e in regime.exemptions.values():
        scope = "personal information allowed" if e.allows_personal else "no personal information"
        data = "important data allowed" if e.allows_important_data else "never important data"
        if e.consent_basis is not None and waives:
            consent_text = f"separate consent not needed ({e.consent_basis})"
        elif e.consent_basis is not None:
            consent_text = (
                "separate consent still needed (parameter exemption_basis_waives_consent is false)"
            )
        else:
            consent_text = "separate consent still needed if PI crosses"
        out.append(
            f"{e.id} ({e.article}): {e.covers}; applies to CIIOs: "
            f"{'yes' if e.applies_to_ciio else 'no'}; {scope}; {data}; {consent_text}"
        )
    return out


def consent(regime: Regime) -> str:
    """When separate consent (PIPL art. 39) is needed under the regime."""
    base = "PIPL art. 39, the separate consent of each individual before every crossing of PI"
    r = regime.rules
    waived = [
        e.id
        for e in regime.exemptions.values()
        if e.consent_basis is not None and r.exemptions_apply
    ]
    if waived and r.exemption_basis_waives_consent:
        return (
            f"{base}, except where the honoured exemption rests on a legal basis that needs "
            f"no consent (PIPL art. 13 para. 2: {', '.join(waived)}), by the prevailing "
            "reading (parameter exemption_basis_waives_consent)."
        )
    return base + "."
