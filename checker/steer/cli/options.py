"""The flags that several commands take, as typer declarations (typed, with help)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

PackOpt = Annotated[
    list[str] | None,
    typer.Option("--pack", help="Guardrail pack: built-in name or folder (repeatable)."),
]

ScenarioOpt = Annotated[
    Path | None,
    typer.Option(
        "--scenario",
        help="Judge the manifest with this what-if scenario applied (its as_of wins over --as-of).",
    ),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="PATH=VALUE",
        help="Change one value first: dot path into the manifest, YAML value "
        "(null removes); repeatable, applied after --scenario.",
    ),
]


# Options that [tool.steer] / .steer.toml can set too: None means "not given here",
# so steer.config can tell a flag from a default (check and config share them).
FormatOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        metavar="FORMAT[:FILE]",
        help="table|json|sarif|junit|markdown|html|github (default table). Repeatable: a plain "
        "FORMAT goes to stdout (or --output); FORMAT:FILE also writes that report to FILE, "
        "e.g. --format table --format sarif:steer.sarif --format junit:steer-junit.xml",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", help="Write the stdout report to FILE (atomically).")
]
FailOnOpt = Annotated[
    str | None, typer.Option("--fail-on", help="error|warning|never (default error).")
]
StrictOpt = Annotated[
    bool | None, typer.Option("--strict/--no-strict", help="Treat every guardrail as blocking.")
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", help="Only these guardrails (ids or globs, comma-separated)."),
]
IgnoreOpt = Annotated[
    list[str] | None, typer.Option("--ignore", help="Skip these guardrails (ids or globs).")
]
BaselineOpt = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="FILE",
        help="Report only findings not in FILE (a JSON report); baseline entries no longer "
        "found are reported as fixed.",
    ),
]
TerraformOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--terraform",
        metavar="FILE",
        help="Also check the manifests against this infrastructure: the JSON of "
        "`terraform show -json` / `tofu show -json`, of a plan or a state (repeatable).",
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Use this .steer.toml or pyproject.toml instead of searching upward.",
    ),
]
NoColorOpt = Annotated[
    bool,
    typer.Option(
        "--no-color",
        help="Never colour the output (as does a non-empty NO_COLOR; FORCE_COLOR forces it "
        "off a terminal).",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Print the findings only: no heading, summary or notes, and nothing when there "
        "are none (the exit code says how it went). Document formats (json, sarif, junit, "
        "markdown, html) are written whole.",
    ),
]
NoConfigOpt = Annotated[
    bool, typer.Option("--no-config", help="Ignore .steer.toml and [tool.steer].")
]


def check_flags(
    pack: list[str] | None,
    format: list[str] | None,
    output: Path | None,
    fail_on: str | None,
    strict: bool | None,
    select: list[str] | None,
    ignore: list[str] | None,
    baseline: Path | None,
    terraform: list[Path] | None = None,
) -> dict[str, Any]:
    """The `check` flags that configuration files can also set (None: not given)."""
    return {
        "packs": pack,
        "format": format or None,
        "output": output,
        "fail_on": fail_on,
        "strict": strict,
        "select": select,
        "ignore": ignore,
        "baseline": baseline,
        "terraform": terraform or None,
    }
