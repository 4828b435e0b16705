"""The commands and their flags: each turns its arguments into typed options and
calls its module in :mod:`steer.commands`, which returns the exit code. Nothing is
decided here but how arguments are read.

The command modules are imported when their command runs (:func:`steer.cli.lazy.command`,
the one lazy import of the command line): they bring in YAML, jsonschema and the engine,
which ``steer --help`` must not pay for (it is timed in ``benchmarks/run.py``)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from steer import __version__
from steer.cli.importers import import_app
from steer.cli.lazy import command as _command
from steer.cli.options import (
    BaselineOpt,
    ConfigOpt,
    FailOnOpt,
    FormatOpt,
    IgnoreOpt,
    NoColorOpt,
    NoConfigOpt,
    OutputOpt,
    PackOpt,
    QuietOpt,
    ScenarioOpt,
    SelectOpt,
    SetOpt,
    StrictOpt,
    TerraformOpt,
    check_flags,
)
from steer.errors import UsageError
from steer.vocab import FAIL_LEVELS, GRAPH_FORMATS, TRANSFERS_FORMATS, WHATIF_FORMATS, split_ids

app = typer.Typer(
    name="steer",
    help="Policy-as-code compliance checker for regional architectures.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"steer {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Check deployment manifests against guardrail packs (built-in: cn)."""


def _choice(value: str, allowed: tuple[str, ...], flag: str) -> str:
    if value not in allowed:
        raise UsageError(f"{flag} {value!r}: expected one of {', '.join(allowed)}")
    return value


def _color(no_color: bool = False) -> bool:
    """Colour on a terminal, unless --no-color or NO_COLOR (no-color.org) says not."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


@app.command()
def check(
    manifests: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="MANIFEST|FOLDER",
            help="Manifest files or folders (folders: the configured manifests globs; "
            "none: the project root).",
            show_default=False,
        ),
    ] = None,
    pack: PackOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    strict: StrictOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Date for timeline and expiry rules (YYYY-MM-DD; default today)."
        ),
    ] = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    terraform: TerraformOpt = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record today's findings in FILE (a JSON report) and exit 0.",
        ),
    ] = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    quiet: QuietOpt = False,
    no_color: NoColorOpt = False,
) -> int:
    """Evaluate guardrails on manifests; exit 1 if a finding is at or above --fail-on.

    \b
    Exit code: 0 no finding at or above --fail-on; 1 at least one; 2 a manifest,
    pack, baseline or flag is invalid (the other manifests are still checked), or a
    --terraform file is (nothing is checked).
    Defaults for these flags can live in [tool.steer] of pyproject.toml or in
    .steer.toml; `steer config` shows what applies and why.
    """
    run = _command("check")
    cfg = _command("config").resolve(
        check_flags(pack, format, output, fail_on, strict, select, ignore, baseline, terraform),
        config_file=config,
        isolated=no_config,
    )
    options = run.CheckOptions(
        manifests=tuple(manifests or ()),
        packs=cfg["packs"],
        format=cfg.console_format,
        output=cfg["output"],
        fail_on=cfg["fail_on"],
        strict=cfg["strict"],
        as_of=as_of,
        select=cfg["select"],
        ignore=cfg["ignore"],
        color=_color(no_color),
        quiet=quiet,
        outputs=cfg.extra_outputs,
        baseline=cfg["baseline"],
        write_baseline=write_baseline,
        manifest_globs=cfg["manifests"],
        exclude=cfg["exclude"],
        root=cfg.root,
        scenario=scenario,
        sets=tuple(set_ or ()),
        terraform=cfg["terraform"],
        origins={
            k: m
            for k in ("packs", "select", "ignore", "baseline", "output", "format")
            if (m := cfg.origin(k))
        },
        config=cfg.file,
    )
    return int(run.check(options))


@app.command("config")
def show_config(
    pack: PackOpt = None,
    format: FormatOpt = None,
    output: OutputOpt = None,
    fail_on: FailOnOpt = None,
    strict: StrictOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    baseline: BaselineOpt = None,
    terraform: TerraformOpt = None,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
) -> int:
    """Show the settings steer check would use (with these flags), and where each comes from."""
    config_ = _command("config")
    cfg = config_.resolve(
        check_flags(pack, format, output, fail_on, strict, select, ignore, baseline, terraform),
        config_file=config,
        isolated=no_config,
    )
    sys.stdout.write(config_.show(cfg))
    return 0


@app.command()
def whatif(
    manifest: Annotated[
        Path,
        typer.Argument(metavar="MANIFEST", help="The manifest (the baseline).", show_default=False),
    ],
    scenarios: Annotated[
        list[Path],
        typer.Argument(
            metavar="SCENARIO...",
            help="Scenario files (name, question, description, as_of, patch).",
            show_default=False,
        ),
    ],
    pack: PackOpt = None,
    format: Annotated[str, typer.Option("--format", help="table|json|markdown|html")] = "table",
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the report to FILE (atomically).")
    ] = None,
    fail_on: Annotated[
        str,
        typer.Option(
            "--fail-on", help="error|warning|never: the level at which a run fails, as for check."
        ),
    ] = "error",
    fail_on_scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on-scenario",
            metavar="NAME|any|all|baseline",
            help="Gate on scenarios instead of the baseline (repeatable, comma-separated): "
            "NAME fails if that scenario fails; any if any scenario fails; all only if every "
            "scenario fails; baseline keeps the baseline in the gate.",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat every guardrail as blocking.")
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date for timeline and expiry rules (YYYY-MM-DD; default today); "
            "a scenario's as_of wins for that scenario.",
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these guardrails (ids or globs, comma-separated)."),
    ] = None,
    ignore: Annotated[
        list[str] | None, typer.Option("--ignore", help="Skip these guardrails (ids or globs).")
    ] = None,
    no_color: NoColorOpt = False,
) -> int:
    """Compare findings with and without each what-if scenario.

    For the baseline and each scenario: errors, warnings, findings resolved and
    introduced (matched on rule, target and path), and go-live readiness (no
    blocking finding, and every required CAC security assessment approved by
    programme.go_live).

    \b
    Exit code: 0 or 1 by the rules of check (--fail-on), applied to the baseline;
    with --fail-on-scenario the named scenarios decide instead:
      --fail-on-scenario q3-plan       exit 1 if scenario q3-plan fails
      --fail-on-scenario any           exit 1 if any scenario fails
      --fail-on-scenario all           exit 1 only if every scenario fails
      --fail-on-scenario baseline,any  the baseline and every scenario must pass
    2 for an invalid manifest, scenario or flag.
    """
    whatif_ = _command("whatif")
    options = whatif_.WhatifOptions(
        manifest=manifest,
        scenarios=tuple(scenarios),
        packs=tuple(pack or ()),
        format=_choice(format, WHATIF_FORMATS, "--format"),
        output=output,
        fail_on=_choice(fail_on, FAIL_LEVELS, "--fail-on"),
        fail_on_scenario=split_ids(fail_on_scenario),
        strict=strict,
        as_of=as_of,
        select=split_ids(select),
        ignore=split_ids(ignore),
        color=_color(no_color),
    )
    return int(whatif_.run(options))


@app.command()
def graph(
    manifest: Annotated[Path, typer.Argument(help="The manifest to draw.", show_default=False)],
    format: Annotated[str, typer.Option("--format", help="mermaid|dot|json")] = "mermaid",
    cross_border_only: Annotated[
        bool,
        typer.Option(
            "--cross-border-only",
            help="Only the flows that leave the mainland, and the paths to them.",
        ),
    ] = False,
    pack: PackOpt = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Date for approval states (YYYY-MM-DD; default today)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the diagram to FILE (atomically).")
    ] = None,
) -> int:
    """Draw the data-flow graph: components by jurisdiction, crossings and failing paths marked."""
    return int(
        _command("graph").graph(
            manifest,
            _choice(format, GRAPH_FORMATS, "--format"),
            cross_border_only,
            tuple(pack or ()),
            as_of,
            output,
        )
    )


@app.command()
def transfers(
    manifest: Annotated[
        Path, typer.Argument(metavar="MANIFEST", help="The manifest.", show_default=False)
    ],
    format: Annotated[str, typer.Option("--format", help="table|json|markdown|csv")] = "table",
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="The date the law and approvals are judged on (YYYY-MM-DD; today)."
        ),
    ] = None,
    scenario: ScenarioOpt = None,
    set_: SetOpt = None,
    pack: PackOpt = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write the register to FILE (atomically).")
    ] = None,
    no_color: NoColorOpt = False,
) -> int:
    """The cross-border transfer register: every crossing, its decision and its coverage.

    Per crossing: what crosses, what the law requires and why (article by article),
    the exemption, each approval and whether it counts, and what is missing. Exit
    code: 0 when it ran (the register never fails on findings); 2 for bad input.
    """
    run = _command("transfers")
    options = run.TransfersOptions(
        manifest=manifest,
        format=_choice(format, TRANSFERS_FORMATS, "--format"),
        as_of=as_of,
        scenario=scenario,
        sets=tuple(set_ or ()),
        packs=tuple(pack or ()),
        output=output,
        color=_color(no_color),
    )
    return int(run.transfers(options))


@app.command()
def rules(
    pack: PackOpt = None,
    format: Annotated[str, typer.Option("--format", help="table|json")] = "table",
    no_color: NoColorOpt = False,
) -> int:
    """List the guardrails of the packs."""
    sys.stdout.write(
        _command("rules").list_rules(
            tuple(pack or ()), _choice(format, ("table", "json"), "--format"), _color(no_color)
        )
    )
    return 0


@app.command()
def explain(
    rule_id: Annotated[
        str, typer.Argument(metavar="RULE_ID", help="A guardrail id, e.g. CN-XB-001.")
    ],
    pack: PackOpt = None,
) -> int:
    """Rationale, sources, remediation, parameters and examples of a guardrail."""
    sys.stdout.write(_command("rules").explain_rule(rule_id, tuple(pack or ())))
    return 0


@app.command()
def schema(
    which: Annotated[str, typer.Argument(help="manifest|guardrail|scenario")] = "manifest",
    pack: PackOpt = None,
) -> int:
    """Print a JSON Schema."""
    sys.stdout.write(
        _command("schema").print_schema(
            _choice(which, ("manifest", "guardrail", "scenario"), "schema"), tuple(pack or ())
        )
    )
    return 0


@app.command()
def init(
    file: Annotated[
        Path, typer.Argument(help="Where to write the starter manifest (-: stdout).")
    ] = Path("steer.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> int:
    """Write a commented starter manifest."""
    _command("init").write_starter(file, force)
    if str(file) != "-":  # -: the starter went to stdout
        typer.echo(f"wrote {file}; check it with: steer check {file}", err=True)
    return 0


app.add_typer(import_app, name="import")  # steer import terraform (steer.cli.importers)


@app.command("test")
def test_pack(
    pack_dir: Annotated[
        str, typer.Argument(metavar="[PACK_DIR]", help="Pack folder or built-in name.")
    ] = "cn",
    select: Annotated[
        list[str] | None, typer.Option("--select", help="Only these guardrails.")
    ] = None,
    no_color: NoColorOpt = False,
) -> int:
    """Run a pack's guardrail fixtures (policy unit tests)."""
    return int(_command("test").run_pack_tests(pack_dir, split_ids(select), _color(no_color)))
