"""Baselines: accept today's findings, report only new ones.

A baseline is a JSON report (``--format json``, or what ``--write-baseline``
writes, which is the same thing). A finding is *known* when the baseline holds an
entry with the same manifest path, rule, target, path (for findings about data
paths) and resource (for STEER-IAC findings: the resource address, or the
``resources`` entry), never compared by line or message, so editing a manifest neither hides
nor resurrects findings, while a new violation in another file, on another target
or along another flow is always reported. Matching counts: two identical findings
against one entry leave one new.

Waived findings in a baseline are ignored: when a waiver expires, its finding is
new, as the waiver's expiry intends. Entries for a manifest this run checked that
match nothing are reported as *fixed*; entries of manifests not checked in this
run (pre-commit passes only changed files) are left alone."""

from __future__ import annotations

import dataclasses
import json
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steer.errors import InputError, Mark, UsageError
from steer.loading.decode import refuse_special
from steer.loading.jsonerrors import decode
from steer.loading.jsonpos import Grammar, Positions, parse
from steer.results.findings import BaselineResult, FixedEntry, Report

Key = tuple[str, str, str, tuple[str, ...] | None, str | None]


@dataclass(frozen=True)
class Entry:
    manifest: str
    rule: str
    target: str
    path: tuple[str, ...] | None
    title: str
    message: str
    line: int
    resource: str | None = None

    @property
    def key(self) -> Key:
        return (self.manifest, self.rule, self.target, self.path, self.resource)


@dataclass(frozen=True)
class Baseline:
    file: str
    entries: tuple[Entry, ...]


def normalise(manifest: str) -> str:
    """Manifest paths as reports write them, so that ``./a.yaml`` and ``a.yaml`` meet."""
    return posixpath.normpath(manifest.replace("\\", "/"))


_WHAT = "a steer JSON report"
# The report's skeleton is walked with positions (each report and finding knows where
# it starts); a finding's members are found on demand for a message.
_GRAMMAR = Grammar(
    root="document",
    objects={
        "document": {"reports": "reports", "findings": "findings"},
        "report": {"findings": "findings"},
    },
    arrays={"reports": "report", "findings": ""},
)


def load(
    path: Path, display: str | None = None, origin: tuple[str, Mark | None] = ("--baseline", None)
) -> Baseline:
    """Read a baseline (a JSON report of one or several manifests); ``origin`` names who
    asked for it (the flag, or a configuration key at its Mark) for a missing file."""
    name = display or path.as_posix()
    refuse_special(path, name, "a JSON report (steer check --format json)")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        setting, mark = origin
        raise UsageError(
            f"{setting} {name}: no such file; record one with --write-baseline {name}", mark
        ) from None
    except OSError as exc:
        raise InputError(f"cannot read the baseline: {exc.strerror or exc}", file=name) from None
    text = decode(raw, name, InputError, _WHAT)
    data, positions = parse(text, name, _GRAMMAR, InputError, _WHAT)
    return Baseline(name, tuple(_entries(data, name, positions)))


def _entries(data: Any, name: str, positions: Positions) -> list[Entry]:
    def bad(message: str, *path: str | int) -> InputError:
        return InputError(message, positions.mark(path))

    if isinstance(data, dict) and isinstance(data.get("reports"), list):
        reports, several = data["reports"], True
    elif isinstance(data, dict) and "findings" in data:
        reports, several = [data], False
    else:
        raise bad(
            "not a steer JSON report: expected an object with 'findings' "
            "(one manifest) or 'reports' (several)"
        )
    out = []
    for i, report in enumerate(reports):
        at = f"reports[{i}]" if several else ""
        base: tuple[str | int, ...] = ("reports", i) if several else ()
        if not isinstance(report, dict) or not isinstance(report.get("manifest"), str):
            where = (
                (*base, "manifest") if isinstance(report, dict) and "manifest" in report else base
            )
            raise bad(f"{at or 'report'}: expected a report with a 'manifest' path", *where)
        findings = report.get("findings")
        if not isinstance(findings, list):
            raise bad(f"{_join(at, 'findings')}: expected a list", *base, "findings")
        manifest = normalise(report["manifest"])
        for j, f in enumerate(findings):
            out_at = _join(at, f"findings[{j}]")
            here = (*base, "findings", j)
            if (
                not isinstance(f, dict)
                or not isinstance(f.get("rule"), str)
                or not isinstance(f.get("target"), str)
            ):
                raise bad(f"{out_at}: expected a finding with 'rule' and 'target'", *here)
            if f.get("waived") is True:
                continue  # a waiver that expires must bring its finding back
            path = f.get("path")
            if path is not None and not (
                isinstance(path, list) and all(isinstance(p, str) for p in path)
            ):
                raise bad(f"{out_at}.path: expected a list of component ids", *here, "path")
            resource = f.get("resource")
            if resource is not None and not isinstance(resource, str):
                raise bad(
                    f"{out_at}.resource: expected a resource address (a string)",
                    *here,
                    "resource",
                )
            location = f.get("location")
            line = location.get("line") if isinstance(location, dict) else None
            out.append(
                Entry(
                    manifest=manifest,
                    rule=f["rule"],
                    target=f["target"],
                    path=tuple(path) if path is not None else None,
                    title=_text(f.get("title", "")),
                    message=_text(f.get("message", "")),
                    line=line if isinstance(line, int) and not isinstance(line, bool) else 0,
                    resource=resource,
                )
            )
    return out


def _text(value: Any) -> str:
    """A title or message as text (a baseline written by hand may hold anything)."""
    return value if isinstance(value, str) else json.dumps(value, default=str)[:200]


def _join(prefix: str, member: str) -> str:
    return f"{prefix}.{member}" if prefix else member


def apply(reports: Sequence[Report], baseline: Baseline) -> list[Report]:
    """Drop the findings the baseline knows; record what it hid and what is fixed."""
    by_manifest: dict[str, dict[Key, list[Entry]]] = {}
    for entry in baseline.entries:
        by_manifest.setdefault(entry.manifest, {}).setdefault(entry.key, []).append(entry)
    out = []
    for report in reports:
        manifest = normalise(report.manifest)
        pending = {k: list(v) for k, v in by_manifest.get(manifest, {}).items()}
        kept = []
        known = 0
        for finding in report.findings:
            key = (manifest, *finding.key())
            matches = pending.get(key)
            if not finding.waived and matches:
                matches.pop(0)  # each entry absorbs one finding
                known += 1
            else:
                kept.append(finding)
        fixed = sorted(
            (e for entries in pending.values() for e in entries),
            key=lambda e: (e.rule, e.target, e.path or (), e.resource or "", e.line),
        )
        result = BaselineResult(
            file=baseline.file,
            known=known,
            fixed=tuple(
                FixedEntry(e.rule, e.title, e.target, e.path, e.message, e.line, e.resource)
                for e in fixed
            ),
        )
        out.append(dataclasses.replace(report, findings=tuple(kept), baseline=result))
    return out
