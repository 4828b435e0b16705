"""What each field of a manifest means, as manifest.md says it: the ``description`` of
every property of the published schema (``steer schema``), which editors show as
hover help (the YAML language server reads a ``# yaml-language-server: $schema=``
comment, or a schema association). Kept apart from :mod:`steer.manifest.schema`,
which says what is valid; :func:`describe` puts the two together. Keys are paths
into the manifest: ``*`` is any id of a map, ``[]`` any item of a list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from steer.manifest.schema import manifest_schema, scenario_schema

_LOCATION = (
    "Where it runs: provider (catalog id), region (the provider's region id) and "
    "jurisdiction. Jurisdiction is derived from provider and region through the catalog "
    "when omitted; given both ways and disagreeing, that is an error finding. On-premises "
    "components, devices and externals give jurisdiction alone."
)
_JURISDICTION = "ISO 3166 code: CN means mainland China; HK, MO and TW are outside the mainland."

MANIFEST: dict[str, str] = {
    "version": "Format version of the manifest: required; 1 is the only version so far.",
    "name": "Required: the short id of the deployment (lower-case letters, digits, . _ -).",
    "description": "What the deployment is, for people.",
    "organisation": "Facts about the data handler that change its legal duties.",
    "organisation.ciio": (
        "Whether the handler is a critical information infrastructure operator (CIIO): "
        "every export of personal information then needs a CAC security assessment."
    ),
    "organisation.pi_subjects": (
        "How many individuals' personal information the handler processes in mainland China "
        "(1,000,000 or more brings the CAC security assessment in)."
    ),
    "organisation.sector": "The handler's sector: automotive brings the 2021 automotive "
    "provisions in (vehicle data: location, exterior video, charging and vehicle flow).",
    "organisation.name": "The handler's name, for people.",
    "programme": "The delivery programme the deployment belongs to.",
    "programme.go_live": (
        "The date the deployment (or its integrated systems) goes live: approvals are "
        "judged against it, and launches and flows default to it (YYYY-MM-DD)."
    ),
    "programme.name": "The programme's name, for people.",
    "programme.phase": "The programme's phase, for people.",
    "policy": "Which guardrails judge this manifest, under which regime (optional).",
    "policy.packs": "Guardrail packs: built-in names or folder paths (default: [cn]).",
    "policy.packs[]": "A built-in pack name (cn) or the path of a pack folder.",
    "policy.regime": (
        "auto (default): the law in force on the as-of date; or a pinned regime, such as "
        "cn-2022 or cn-2024."
    ),
    "policy.parameters": "Overrides of named pack parameters (steer explain RULE_ID lists them).",
    "components": "The deployment's components, keyed by id (ids are unique by construction).",
    "components.*": "A component: what it is (kind), where it runs, what data it holds.",
    "components.*.kind": (
        "Required. datastore (data at rest), service (processes data), external (a "
        "third-party or global system outside this deployment's control), channel (where "
        "customers or dealers interact: app, mini program, web), relay (a gateway that "
        "carries traffic to or from global endpoints), cdn, or device (e.g. vehicles, where "
        "telematics originate)."
    ),
    "components.*.name": "The component's name, for people.",
    "components.*.description": "What the component does, for people.",
    "components.*.owner": "Who owns the component, for people.",
    "components.*.location": _LOCATION,
    "components.*.location.provider": (
        "Cloud provider, as a catalog id (alibaba-cloud, tencent-cloud, huawei-cloud, aws, "
        "azure, baidu-cloud, volcengine, google-cloud). No provider means on premises or a "
        "device. An id the catalog does not know is a blocking finding naming the nearest id."
    ),
    "components.*.location.region": (
        "The provider's own region id (cn-shanghai, ap-guangzhou, cn-north-4, "
        "cn-northwest-1, chinaeast2, ...): the catalog keys regions on provider and region."
    ),
    "components.*.location.jurisdiction": _JURISDICTION,
    "components.*.data": "The data held or processed here.",
    "components.*.data[]": "One kind of data: its category, whose it is, how many records.",
    "components.*.data[].category": "A data category of the pack's taxonomy (personal, "
    "sensitive-personal, important, telematics, vehicle-location, ...).",
    "components.*.data[].subjects": "The jurisdiction of the data subjects (e.g. CN).",
    "components.*.data[].records": "How many individuals' records it holds.",
    "components.*.transforms": (
        "What this component turns data into before it leaves: output categories replace "
        "input categories on the flows leaving it."
    ),
    "components.*.transforms[]": "One transformation, e.g. {from: telematics, to: aggregated}.",
    "components.*.transforms[].from": "The data category taken in.",
    "components.*.transforms[].to": "The data category that leaves instead.",
    "components.*.depends_on": (
        "Components this one calls at run time without carrying regulated data (APIs, "
        "SDKs, fonts, captcha, map tiles)."
    ),
    "components.*.depends_on[]": "The id of a component this one depends on.",
    "components.*.service": (
        "For an external: the catalog id of a well-known service (google-maps, salesforce, "
        "stripe, aws-global, ...). An id the catalog does not know is a finding naming the "
        "nearest id, never a silent pass."
    ),
    "components.*.reachable_from_cn": (
        "For a service the catalog does not list: whether it can be reached from mainland "
        "China. Declaring it accepts the uncatalogued service id; false makes it a "
        "dependency the Great Firewall blocks (CN-GFW-001)."
    ),
    "components.*.internet_facing": "Whether it is reachable from the public internet in China.",
    "components.*.domains": "The domain names it serves.",
    "components.*.domains[]": "A domain name it serves.",
    "components.*.cdn": "The provider id of the CDN in front of it.",
    "components.*.launch": "When it goes live (YYYY-MM-DD; default: programme.go_live).",
    "components.*.approvals": (
        "Approvals this component holds (ICP filing or licence, mini-program review, ...)."
    ),
    "components.*.approvals[]": "The id of an approval in approvals.",
    "components.*.maps": "The map service it uses, and in which coordinate system.",
    "components.*.maps.provider": "The map provider (amap, baidu-maps, tencent-maps, "
    "google-maps, ...).",
    "components.*.maps.coordinate_system": "The coordinate system of the maps: WGS-84, "
    "GCJ-02 or BD-09.",
    "components.*.coordinate_system": (
        "For components that hold or emit location data: WGS-84, GCJ-02 or BD-09."
    ),
    "components.*.converts_coordinates": (
        "This component converts location data, e.g. {from: WGS-84, to: GCJ-02}."
    ),
    "components.*.converts_coordinates.from": "The coordinate system taken in.",
    "components.*.converts_coordinates.to": "The coordinate system put out.",
    "components.*.channel": "For a channel: wechat-mini-program, alipay-mini-program, "
    "native-app, web, ...",
    "components.*.audience": "Who uses it: customer, dealer, staff.",
    "components.*.audience[]": "customer, dealer or staff.",
    "components.*.primary": "For a channel: whether it is the primary channel for its audience.",
    "components.*.payments": "The payment providers it uses (wechat-pay, alipay, unionpay, "
    "stripe, paypal, ...).",
    "components.*.payments[]": "A payment provider's catalog id.",
    "components.*.retention_days": "How many days data is kept.",
    "components.*.labels": "Free-form labels.",
    "flows": "How data moves between components, keyed by flow id.",
    "flows.*": "A flow of data from one component to another.",
    "flows.*.from": "Required: the component the data leaves (an unknown id is an error).",
    "flows.*.to": "Required: the component the data reaches (an unknown id is an error).",
    "flows.*.data": (
        "The data categories the flow carries; when omitted, everything that reaches its "
        "source (conservative)."
    ),
    "flows.*.data[]": "A data category of the pack's taxonomy.",
    "flows.*.subjects": "Whose data (a jurisdiction); default: the subjects of the source's data.",
    "flows.*.records_per_year": "How many individuals' records cross per year.",
    "flows.*.mechanism": "How the data moves: api, batch, stream, replication, backup, manual.",
    "flows.*.approvals": "The approvals that cover this flow.",
    "flows.*.approvals[]": "The id of an approval in approvals.",
    "flows.*.purpose": "Why the data moves.",
    "flows.*.exemption": (
        "A ground of the 2024 Provisions that frees the crossing from a mechanism: "
        "contract-with-individual (art. 5(1)), hr-management (5(2)), emergency (5(3)), "
        "collected-abroad (art. 4), no-personal-or-important (art. 3), ftz-negative-list "
        "(art. 6). Not recognised under cn-2022."
    ),
    "flows.*.since": (
        "When the transfers on this flow start (default: programme.go_live): consent and "
        "the PIPIA must precede it, and the counting windows start from it."
    ),
    "flows.*.description": "What the flow is, for people.",
    "approvals": "Approvals, filings and assessments, keyed by id.",
    "approvals.*": "An approval: its type, its status and its timeline.",
    "approvals.*.type": (
        "Required. cac-security-assessment, standard-contract (PI protection standard "
        "contract, filed), pi-certification, separate-consent (PIPL art. 39), pipia (PI "
        "protection impact assessment, PIPL art. 55), important-data-assessment, icp-filing "
        "(ICP备), icp-licence (ICP证), psb-filing (public security filing), "
        "mini-program-review."
    ),
    "approvals.*.status": "Required: planned, submitted, in-review, approved, rejected, withdrawn.",
    "approvals.*.name": "The approval's name, for people.",
    "approvals.*.description": "What the approval is, for people.",
    "approvals.*.submitted": (
        "When it was submitted; for a standard-contract, when it was filed with the "
        "provincial CAC (YYYY-MM-DD)."
    ),
    "approvals.*.approved_on": (
        "When it was approved; a cac-security-assessment without expires is valid by the "
        "law in force on this date (2 years before 2024-03-22, 3 years from then)."
    ),
    "approvals.*.expires": "When it expires: past it, the approval counts as not approved.",
    "approvals.*.effective": (
        "For a standard-contract: the date the contract took effect; it must be filed "
        "within 10 working days of it."
    ),
    "approvals.*.reference": (
        "The authority's number; for ICP types the ICP number, e.g. 沪ICP备2024012345号-1."
    ),
    "approvals.*.provider": "For ICP types: the hosting provider the filing is tied to.",
    "approvals.*.domains": "For ICP types: the domains it covers.",
    "approvals.*.domains[]": "A domain the filing or licence covers.",
    "approvals.*.data": (
        "The data categories it covers (optional; when given, a flow carrying more is not covered)."
    ),
    "approvals.*.data[]": "A data category of the pack's taxonomy.",
    "approvals.*.recipients": "Which receiving components it covers (optional).",
    "approvals.*.recipients[]": "The id of a receiving component.",
    "approvals.*.owner": "Who owns the approval, for people.",
    "operations": "How the deployment is operated: coverage, incident response, team.",
    "operations.coverage": "Support hours: 24x7 or business-hours.",
    "operations.incident_response": "Who responds to incidents: local or global-noc.",
    "operations.team": "The operations team, one entry a role.",
    "operations.team[]": "A role, how many people hold it, and where they are.",
    "operations.team[].role": "The role, e.g. ops-engineer or compliance-officer.",
    "operations.team[].count": "How many people hold the role.",
    "operations.team[].location": "Where they work: " + _JURISDICTION,
    "operations.model": "How operations are staffed: partner, local-hire or undecided.",
    "waivers": "Findings accepted for a time, each with a reason, an owner and an expiry.",
    "waivers[]": "A waiver of one guardrail, for one target or the whole rule.",
    "waivers[].rule": "Required: the guardrail id, e.g. CN-INT-001.",
    "waivers[].target": ("What it excuses, e.g. components.dealer-app; omitted, the whole rule."),
    "waivers[].reason": "Required: why the finding is accepted.",
    "waivers[].owner": "Required: who answers for the waiver.",
    "waivers[].expires": (
        "Required: when it ends (YYYY-MM-DD); an expired waiver no longer applies, and says so."
    ),
    "labels": "Free-form labels of the deployment.",
}

SCENARIO: dict[str, str] = {
    "name": "Required: the scenario's id.",
    "question": "The question the scenario answers, e.g. Q3 - can telematics be processed locally?",
    "description": "What the scenario changes, for people.",
    "as_of": "The date to judge the scenario on (YYYY-MM-DD); overrides --as-of.",
    "patch": (
        "Required: an RFC 7396 merge patch over the manifest (null removes a key); the "
        "policy block can be patched like any other."
    ),
}


def described_manifest_schema(categories: Sequence[str]) -> dict[str, Any]:
    """The manifest schema as ``steer schema`` publishes it: with every description."""
    return describe(manifest_schema(categories), MANIFEST)


def described_scenario_schema() -> dict[str, Any]:
    """The scenario schema as ``steer schema scenario`` publishes it."""
    return describe(scenario_schema(), SCENARIO)


def describe(
    schema: dict[str, Any], texts: dict[str, str], used: set[str] | None = None
) -> dict[str, Any]:
    """A copy of ``schema`` with each property's ``description`` from ``texts`` (one the
    schema already gives is kept). The schema's parts are shared (one date schema serves
    every date), so each described node is a copy. ``used`` collects the paths of the
    texts that found their property (the tests hold the texts to the schema)."""
    return _walk(schema, "", texts, set() if used is None else used)


def _walk(node: Any, path: str, texts: dict[str, str], used: set[str]) -> Any:
    if not isinstance(node, dict):
        return node
    out = dict(node)
    if path and path in texts:
        used.add(path)
        out.setdefault("description", texts[path])
    if isinstance(node.get("properties"), dict):
        out["properties"] = {
            key: _walk(child, f"{path}.{key}" if path else key, texts, used)
            for key, child in node["properties"].items()
        }
    if isinstance(node.get("additionalProperties"), dict) and "propertyNames" in node:
        out["additionalProperties"] = _walk(node["additionalProperties"], f"{path}.*", texts, used)
    if isinstance(node.get("items"), dict):
        out["items"] = _walk(node["items"], f"{path}[]", texts, used)
    return out
