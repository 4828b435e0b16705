"""``steer graph``: the manifest drawn, components by jurisdiction, crossings and
failing paths marked."""

from __future__ import annotations

from pathlib import Path

from steer import engine
from steer.commands.common import display_path, emit, parse_date
from steer.commands.output import Inputs
from steer.manifest.load import load_manifest
from steer.reporters import render_graph
from steer.reporters.graph.model import build


def graph(
    manifest_path: Path,
    fmt: str,
    cross_border_only: bool,
    packs: tuple[str, ...] = (),
    as_of: str | None = None,
    output: Path | None = None,
) -> int:
    """``steer graph``: draw the manifest; always exit 0 unless the input is bad."""
    manifest = load_manifest(manifest_path, display_path(manifest_path), list(packs) or None)
    report, ctx = engine.evaluate(manifest, engine.Settings(as_of=parse_date(as_of)))
    text = render_graph(fmt, build(ctx, report, cross_border_only))
    emit(text, output, Inputs().add(manifest_path, "the manifest").add_packs(manifest.packs))
    return 0
