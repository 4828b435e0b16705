"""The exception tree. Every error a user can cause is a ``SteerError``; the CLI maps
them to exit code 2 in one place and prints them as ``file:line:col: message``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Mark:
    """A position in a file: 1-based line and column, as editors show them."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class SteerError(Exception):
    """Base of every error steer reports to its user (exit code 2)."""

    def __init__(self, message: str, mark: Mark | None = None, file: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.file = file if file is not None else (mark.file if mark else None)

    def __str__(self) -> str:
        if self.mark is not None:
            return f"{self.mark}: {self.message}"
        if self.file:
            return f"{self.file}: {self.message}"
        return self.message


class InputError(SteerError):
    """A YAML file could not be read: encoding, syntax, duplicate keys, unsafe tags..."""


class ManifestError(SteerError):
    """The manifest is not valid: schema, unknown ids, vocabularies."""


class PackError(SteerError):
    """A guardrail pack (guardrail, catalog, taxonomy, parameters) is broken."""


class ScenarioError(SteerError):
    """A what-if scenario file is invalid or makes the manifest invalid."""


class UsageError(SteerError):
    """Bad flags or arguments: unknown rule id, unknown pack, bad date."""


class InfraError(SteerError):
    """A Terraform or OpenTofu plan or state (the JSON of ``terraform show -json``)
    could not be read, or is not in the documented format."""
