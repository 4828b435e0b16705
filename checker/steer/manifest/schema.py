"""The JSON Schemas steer publishes (``steer schema``): the executable form of
manifest.md, and of the scenario format in cli.md. Pack-file schemas live in
:mod:`steer.packs.schemas`, the guardrail schema in :mod:`steer.checks.registry`.
Validation happens in :mod:`steer.loading.validate`."""

from __future__ import annotations

from collections.abc import Sequence

from steer import vocab
from steer.loading.validate import DIALECT, Schema


def _enum(values: Sequence[str], what: str) -> Schema:
    return {"type": "string", "enum": list(values), "x-vocabulary": what}


def _id(what: str) -> Schema:
    return {"type": "string", "pattern": vocab.ID_PATTERN, "x-id-of": what}


def _ids(what: str) -> Schema:
    return {"type": "array", "items": _id(what), "uniqueItems": True}


DATE: Schema = {"type": "string", "pattern": vocab.DATE_PATTERN, "format": "date"}
JURISDICTION: Schema = {"type": "string", "pattern": vocab.JURISDICTION_PATTERN}
COUNT: Schema = {"type": "integer", "minimum": 0}
TEXT: Schema = {"type": "string"}
STRINGS: Schema = {"type": "array", "items": {"type": "string"}}


def _object(properties: Schema, required: Sequence[str] = ()) -> Schema:
    out: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _map_of(item: Schema, what: str) -> Schema:
    return {
        "type": "object",
        "propertyNames": {"pattern": vocab.ID_PATTERN, "x-id-of": what},
        "additionalProperties": item,
    }


def manifest_schema(categories: Sequence[str]) -> Schema:
    """The manifest schema, with the data categories of the loaded taxonomy."""
    category = _enum(sorted(categories), "data category")
    coordinate = _enum(vocab.COORDINATE_SYSTEMS, "coordinate system")
    data_item = _object(
        {"category": category, "subjects": JURISDICTION, "records": COUNT}, ["category"]
    )
    component = _object(
        {
            "kind": _enum(vocab.COMPONENT_KINDS, "component kind"),
            "name": TEXT,
            "description": TEXT,
            "owner": TEXT,
            "location": _object({"provider": TEXT, "region": TEXT, "jurisdiction": JURISDICTION}),
            "data": {"type": "array", "items": data_item},
            "transforms": {
                "type": "array",
                "items": _object({"from": category, "to": category}, ["from", "to"]),
            },
            "depends_on": _ids("component"),
            "service": TEXT,
            "reachable_from_cn": {"type": "boolean"},
            "internet_facing": {"type": "boolean"},
            "domains": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "cdn": TEXT,
            "launch": DATE,
            "approvals": _ids("approval"),
            "maps": _object({"provider": TEXT, "coordinate_system": coordinate}),
            "coordinate_system": coordinate,
            "converts_coordinates": _object({"from": coordinate, "to": coordinate}, ["from", "to"]),
            "channel": TEXT,
            "audience": {
                "type": "array",
                "items": _enum(vocab.AUDIENCES, "audience"),
                "uniqueItems": True,
            },
            "primary": {"type": "boolean"},
            "payments": STRINGS,
            "retention_days": {"type": "integer", "minimum": 1},
            "labels": {
                "type": "object",
                "additionalProperties": {"type": ["string", "number", "boolean"]},
            },
            "resources": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": (
                    "The infrastructure that implements this component: Terraform/OpenTofu "
                    "resource addresses (alicloud_db_instance.owner, "
                    "module.crm.aws_s3_bucket.export), globs allowed (module.telematics.*); "
                    "checked against plans and states with steer check --terraform"
                ),
            },
        },
        ["kind"],
    )
    flow = _object(
        {
            "from": _id("component"),
            "to": _id("component"),
            "data": {"type": "array", "items": category, "uniqueItems": True},
            "subjects": JURISDICTION,
            "records_per_year": COUNT,
            "mechanism": _enum(vocab.MECHANISMS, "flow mechanism"),
            "approvals": _ids("approval"),
            "purpose": TEXT,
            "exemption": _enum(vocab.EXEMPTIONS, "exemption"),
            "since": DATE,
            "description": TEXT,
        },
        ["from", "to"],
    )
    approval = _object(
        {
            "type": _enum(vocab.APPROVAL_TYPES, "approval type"),
            "status": _enum(vocab.APPROVAL_STATUSES, "approval status"),
            "name": TEXT,
            "description": TEXT,
            "submitted": DATE,
            "approved_on": DATE,
            "expires": DATE,
            "effective": DATE,
            "reference": TEXT,
            "provider": TEXT,
            "domains": STRINGS,
            "data": {"type": "array", "items": category, "uniqueItems": True},
            "recipients": _ids("component"),
            "owner": TEXT,
        },
        ["type", "status"],
    )
    operations = _object(
        {
            "coverage": _enum(vocab.COVERAGE, "operations coverage"),
            "incident_response": _enum(vocab.INCIDENT_RESPONSE, "incident response"),
            "team": {
                "type": "array",
                "items": _object(
                    {"role": TEXT, "count": COUNT, "location": JURISDICTION},
                    ["role", "count", "location"],
                ),
            },
            "model": _enum(vocab.OPERATIONS_MODELS, "operations model"),
        }
    )
    waiver = _object(
        {
            "rule": {"type": "string", "pattern": vocab.RULE_ID_PATTERN},
            "target": TEXT,
            "reason": {"type": "string", "minLength": 1},
            "owner": {"type": "string", "minLength": 1},
            "expires": DATE,
        },
        ["rule", "reason", "owner", "expires"],
    )
    return {
        "$schema": DIALECT,
        "$id": "https://steer.dev/schema/manifest-1.json",
        "title": "steer deployment manifest, format version 1",
        **_object(
            {
                "version": {"type": "integer", "const": 1},
                "name": {"type": "string", "pattern": vocab.ID_PATTERN},
                "description": TEXT,
                "organisation": _object(
                    {
                        "ciio": {"type": "boolean"},
                        "pi_subjects": COUNT,
                        "sector": _enum(vocab.SECTORS, "sector"),
                        "name": TEXT,
                    }
                ),
                "programme": _object({"go_live": DATE, "name": TEXT, "phase": TEXT}),
                "policy": _object(
                    {
                        "packs": {"type": "array", "items": {"type": "string", "minLength": 1}},
                        "regime": TEXT,
                        "parameters": {"type": "object"},
                    }
                ),
                "components": _map_of(component, "component"),
                "flows": _map_of(flow, "flow"),
                "approvals": _map_of(approval, "approval"),
                "operations": operations,
                "waivers": {"type": "array", "items": waiver},
                "labels": {"type": "object"},
            },
            ["version", "name"],
        ),
    }


def scenario_schema() -> Schema:
    """What-if scenario files (cli.md)."""
    return {
        "$schema": DIALECT,
        "$id": "https://steer.dev/schema/scenario-1.json",
        "title": "steer what-if scenario",
        **_object(
            {
                "name": {"type": "string", "pattern": vocab.ID_PATTERN},
                "question": TEXT,
                "description": TEXT,
                "as_of": DATE,
                "patch": {"type": "object"},
            },
            ["name", "patch"],
        ),
    }
