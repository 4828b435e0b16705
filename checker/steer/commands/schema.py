"""``steer schema``: the JSON Schema of a manifest (with the packs' categories and a
description of every field, for editors' hover help), a guardrail file or a scenario."""

from __future__ import annotations

import json

from steer.checks.registry import guardrail_schema
from steer.commands.rules import packs_named
from steer.manifest.descriptions import described_manifest_schema, described_scenario_schema


def print_schema(which: str, packs: tuple[str, ...]) -> str:
    if which == "manifest":
        schema = described_manifest_schema(list(packs_named(packs).taxonomy))
    elif which == "guardrail":
        schema = guardrail_schema()
    else:
        schema = described_scenario_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
