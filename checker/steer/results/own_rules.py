"""steer's own checks (STEER-*): not a pack's guardrails, but findings the engine
makes about the manifest itself. Each is described here once, so that its findings,
``steer explain`` and the reports say the same thing about it."""

from __future__ import annotations

from dataclasses import dataclass

from steer.errors import Mark
from steer.results.findings import Finding, note
from steer.results.rules import RuleInfo

CATALOG_RULE = "STEER-CATALOG"
LINEAGE_RULE = "STEER-LINEAGE"
REGIME_RULE = "STEER-REGIME"
WAIVER_RULE = "STEER-WAIVER"


@dataclass(frozen=True)
class OwnRule:
    info: RuleInfo
    findings: str  # the levels its findings take, as explain shows them
    runs: str  # when it runs


OWN_RULES: dict[str, OwnRule] = {
    CATALOG_RULE: OwnRule(
        RuleInfo(
            id=CATALOG_RULE,
            sources=(
                'steer\'s manifest format (docs/manifest.md): Components, "location" and '
                '"service"; Catalog ids',
            ),
            title="Every catalog id the manifest names is one the catalog knows",
            severity="high",
            status="confirmed",
            enforcement="blocking",
            category="data-sovereignty",
            rationale=(
                "Guardrails look providers, services, CDNs, map and payment providers up "
                "in the packs' catalogs. A name the catalog does not know would make every "
                "lookup of it fail quietly: an unknown provider gives no jurisdiction, so a "
                "mainland store of owners' data would pass the transfer guardrails, and an "
                "unknown service would never be blocked by the Great Firewall. So each such "
                "name is a blocking finding of its own, naming the nearest catalog id (an "
                "entry's aliases count). It cannot be deselected or waived."
            ),
            remediation=(
                "Use the catalog's id, or add the entry (with the facts the guardrails "
                "read, such as a region's jurisdiction) to the catalog of a pack of your "
                "own; for a service the catalog does not list, declare reachable_from_cn "
                "on the component."
            ),
        ),
        "error (high)",
        "every steer check, whatever --select and --ignore say",
    ),
    LINEAGE_RULE: OwnRule(
        RuleInfo(
            id=LINEAGE_RULE,
            sources=('steer\'s manifest format (docs/manifest.md): Flows, "data"',),
            title="Flows carry only data that reaches their source",
            severity="low",
            status="confirmed",
            enforcement="advisory",
            category="data-sovereignty",
            rationale=(
                "A flow that declares a data category its source never holds or receives "
                "is a mistake in the manifest: the lineage takes it to carry only what "
                "reaches its source, and says so."
            ),
            remediation=(
                "Declare the data where it is held (the source's data, or a flow into it), "
                "or remove the category from the flow."
            ),
        ),
        "warning (low)",
        "steer check, when a guardrail needs the lineage",
    ),
    REGIME_RULE: OwnRule(
        RuleInfo(
            id=REGIME_RULE,
            sources=(
                "CAC Order 16 (Provisions on Promoting and Regulating Cross-Border Data "
                "Flows), in force 2024-03-22, art. 13: they prevail over the older rules "
                "where these differ (https://www.cac.gov.cn/2024-03/22/c_1712776611775634.htm)",
                'steer\'s manifest format (docs/manifest.md): "policy.regime"',
            ),
            title="The manifest is judged by the law in force on the as-of date",
            severity="low",
            status="confirmed",
            enforcement="advisory",
            category="compliance",
            rationale=(
                "policy.regime pins a regime (cn-2022, cn-2024). A pinned regime that is not "
                "the law in force on the as-of date judges the manifest by rules that no "
                "longer (or do not yet) apply; the finding names the regime in force and "
                "the crossings whose decision would change."
            ),
            remediation=(
                "Set policy.regime: auto to judge by the law in force, or keep the pin on "
                "purpose (a what-if of the older rules) and say so in a waiver."
            ),
        ),
        "warning (low)",
        "steer check, when policy.regime is pinned",
    ),
    WAIVER_RULE: OwnRule(
        RuleInfo(
            id=WAIVER_RULE,
            sources=("steer's manifest format (docs/manifest.md): Waivers",),
            title="Waivers are current and excuse a finding",
            severity="low",
            status="confirmed",
            enforcement="advisory",
            category="compliance",
            rationale=(
                "An expired waiver no longer applies, and its finding is back; a waiver "
                "that excuses nothing could hide a future finding. Both are reported."
            ),
            remediation=(
                "Renew or remove an expired waiver; delete waivers that no longer excuse "
                "anything, so that they cannot hide a future finding."
            ),
        ),
        "warning (low)",
        "steer check, when the manifest has waivers",
    ),
}


def own_note(
    rule: str, target: str, location: Mark, message: str, fix: str | None = None
) -> Finding:
    """A finding of one of steer's own checks, with the title, category and (unless
    ``fix`` says more for this case) the remediation its record gives."""
    info = OWN_RULES[rule].info
    return note(rule, info.title, info.category, target, location, message, fix or info.remediation)
