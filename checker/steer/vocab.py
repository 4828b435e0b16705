"""Closed vocabularies of the manifest format (manifest.md). Data categories are
the one open vocabulary: they come from the loaded packs' taxonomy."""

from __future__ import annotations

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
    "contract-with-individual",
    "hr-management",
    "emergency",
    "collected-abroad",
    "ftz-negative-list",
)
AUDIENCES = ("customer", "dealer", "staff")
COVERAGE = ("24x7", "business-hours")
INCIDENT_RESPONSE = ("local", "global-noc")
OPERATIONS_MODELS = ("partner", "local-hire", "undecided")

SEVERITIES = ("critical", "high", "medium", "low")
STATUSES = ("confirmed", "decision-needed", "in-progress", "draft")
ENFORCEMENTS = ("blocking", "advisory")
LEVELS = ("error", "warning")

ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,62}$"
RULE_ID_PATTERN = r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
JURISDICTION_PATTERN = r"^[A-Z]{2}$"
