"""The JSON Schemas of a pack's own files (pack.yaml, parameters.yaml, taxonomy.yaml,
catalogs) and the fields of a guardrail file; each check kind's parameters are added
by :func:`steer.checks.registry.guardrail_schema`."""

from __future__ import annotations

from steer import vocab
from steer.loading.validate import Schema


def obj(props: Schema, required: tuple[str, ...] = (), extra: bool = False) -> Schema:
    out: Schema = {"type": "object", "properties": props, "additionalProperties": extra}
    if required:
        out["required"] = list(required)
    return out


TEXT: Schema = {"type": "string"}
STRINGS: Schema = {"type": "array", "items": {"type": "string"}}

PACK_SCHEMA = obj(
    {
        "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]*$"},
        "name": TEXT,
        "description": TEXT,
        "prefix": {"type": "string", "pattern": "^[A-Z][A-Z0-9]*$"},
        "home": {"type": "string", "pattern": vocab.JURISDICTION_PATTERN},
        "categories": STRINGS,
        "default_regime": TEXT,
        "fixtures": TEXT,
        "uses": STRINGS,
        "version": TEXT,
    },
    ("id", "name", "categories"),
)

PARAMETERS_SCHEMA = obj(
    {
        "parameters": {
            "type": "object",
            "additionalProperties": obj(
                {
                    "description": TEXT,
                    "schema": {"type": "object"},
                    "default": {},
                    "source": TEXT,
                },
                ("description", "schema", "default"),
            ),
        },
        "regimes": {
            "type": "object",
            # The regime's dates, articles and exemptions are checked in full by
            # steer.analysis.regimes.load_regimes (one source of those rules).
            "additionalProperties": obj(
                {
                    "description": TEXT,
                    "sources": STRINGS,
                    "parameters": {"type": "object"},
                    "instrument": TEXT,
                    "legal_basis": TEXT,
                    "in_force_from": {"type": "string", "pattern": vocab.DATE_PATTERN},
                    "in_force_until": {"type": "string", "pattern": vocab.DATE_PATTERN},
                    "articles": {"type": "object", "additionalProperties": TEXT},
                    "exemptions": {"type": "object", "additionalProperties": {"type": "object"}},
                },
                ("description", "parameters"),
            ),
        },
        "default_regime": TEXT,
    }
)

TAXONOMY_SCHEMA = obj(
    {
        "categories": {
            "type": "object",
            "propertyNames": {"pattern": vocab.ID_PATTERN},
            "additionalProperties": obj(
                {
                    "description": TEXT,
                    "source": TEXT,
                    "implies": STRINGS,
                    # a category made of the ones it implies (telematics of its parts),
                    # not a kind of them: an approval naming one part does not cover it
                    "umbrella": {"type": "boolean"},
                    "implies_when": {
                        "type": "array",
                        "items": obj(
                            {"parameter": TEXT, "implies": STRINGS}, ("parameter", "implies")
                        ),
                    },
                },
                ("description",),
            ),
        }
    },
    ("categories",),
)

# The Terraform catalogs (catalog/terraform.yaml; steer.analysis.tfcatalog reads them):
# which provider is which cloud, which resource types hold data, ARN partitions.
TERRAFORM_PROVIDERS_SCHEMA: Schema = {
    "type": "object",
    "propertyNames": {"pattern": vocab.ID_PATTERN},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "sources": {
                "type": "array",
                "uniqueItems": True,
                "items": {"type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_-]+$"},
            },
            "resources": {
                "type": "object",
                "propertyNames": {"pattern": "^[a-z][a-z0-9_]*$"},
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["kind"],
                    "properties": {
                        # the component kind `steer import terraform` drafts
                        "kind": {"type": "string", "enum": list(vocab.COMPONENT_KINDS)},
                        "data": {"type": "boolean"},
                    },
                },
            },
        },
    },
}
ARN_PARTITIONS_SCHEMA: Schema = {
    "type": "object",
    "propertyNames": {"pattern": "^[a-z][a-z0-9-]*$"},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "required": ["provider", "jurisdiction"],
        "properties": {
            "provider": {"type": "string", "pattern": vocab.ID_PATTERN},
            "jurisdiction": {"type": "string", "pattern": vocab.JURISDICTION_PATTERN},
        },
    },
}
# Named patterns (catalog/patterns.yaml): RE2 regular expressions that ``pattern``
# predicates match whole values against; ``{set:NAME}`` stands for the keys of catalog NAME.
PATTERNS_SCHEMA: Schema = {
    "type": "object",
    "propertyNames": {"pattern": vocab.ID_PATTERN},
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "required": ["regex"],
        "properties": {"description": {"type": "string"}, "regex": {"type": "string"}},
    },
}
CATALOG_SCHEMA: Schema = {
    "type": "object",
    "minProperties": 1,
    "properties": {
        "patterns": PATTERNS_SCHEMA,
        "terraform_providers": TERRAFORM_PROVIDERS_SCHEMA,
        "arn_partitions": ARN_PARTITIONS_SCHEMA,
    },
    "additionalProperties": {
        "type": "object",
        "additionalProperties": {"type": ["object", "string"]},
    },
}


def guardrail_fields(check: Schema) -> Schema:
    """A guardrail file's schema, with ``check`` as given (a kind's parameters)."""
    return obj(
        {
            "id": {"type": "string", "pattern": vocab.RULE_ID_PATTERN},
            "title": TEXT,
            "category": TEXT,
            "status": {"enum": list(vocab.STATUSES), "x-vocabulary": "requirement status"},
            "enforcement": {"enum": list(vocab.ENFORCEMENTS), "x-vocabulary": "enforcement"},
            "authority": {"enum": list(vocab.AUTHORITIES), "x-vocabulary": "authority"},
            "severity": {"enum": list(vocab.SEVERITIES), "x-vocabulary": "severity"},
            "sources": {"type": "array", "items": TEXT, "minItems": 1},
            "rationale": TEXT,
            "remediation": TEXT,
            "message": TEXT,
            "parameters": STRINGS,
            "check": check,
        },
        (
            "id",
            "title",
            "category",
            "status",
            "severity",
            "sources",
            "rationale",
            "remediation",
            "message",
            "check",
        ),
    )


GUARDRAIL_SCHEMA = guardrail_fields(
    {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
)
"""What the pack loader checks of a guardrail; the check kinds check ``check``."""
