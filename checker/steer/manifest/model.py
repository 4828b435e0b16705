"""The deployment manifest as a run reads it: its validated document, the packs it is
checked against, its regime and parameter overrides. Nothing here knows a guardrail."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from steer.errors import Mark
from steer.loading.document import Document, JsonPath
from steer.packs.model import PackSet


@dataclass
class Manifest:
    doc: Document
    packs: PackSet
    regime: str | None
    parameters: dict[str, Any]
    # where each policy.parameters value is written (taken before the document is
    # compacted): a value a check refuses is blamed at its line
    parameter_marks: dict[str, Mark] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return self.doc.file

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def components(self) -> dict[str, dict[str, Any]]:
        return self.section("components")

    @property
    def flows(self) -> dict[str, dict[str, Any]]:
        return self.section("flows")

    @property
    def approvals(self) -> dict[str, dict[str, Any]]:
        return self.section("approvals")

    @property
    def waivers(self) -> list[dict[str, Any]]:
        return list(self.data.get("waivers") or [])

    @property
    def go_live(self) -> str | None:
        return self.section("programme").get("go_live")

    def mark(self, path: JsonPath) -> Mark:
        if len(path) == 3 and path[:2] == ("policy", "parameters"):
            kept = self.parameter_marks.get(str(path[2]))
            if kept is not None:
                return kept
        return self.doc.mark(path)
