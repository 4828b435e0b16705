"""The command line: turns arguments into typed options and calls :mod:`steer.app`.

Errors a user can cause become ``file:line:col: message`` and exit code 2 here, in
one place; nothing else in steer prints a traceback."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import __version__

app = typer.Typer(
    name="steer",
    help="Policy-as-code compliance checker for regional architectures.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

FORMATS = ("table", "json")
FAIL_LEVELS = ("error", "warning", "never")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"steer {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Check deployment manifests against guardrail packs (built-in: cn)."""


def _choice(value: str, allowed: tuple[str, ...], flag: str) -> str:
    from .errors import UsageError

    if value not in allowed:
        raise UsageError(f"{flag} {value!r}: expected one of {', '.join(allowed)}")
    return value


def _color() -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


PackOpt = Annotated[
    list[str] | None,
    typer.Option("--pack", help="Guardrail pack: built-in name or folder (repeatable)."),
]


@app.command()
def check(
    manifests: Annotated[list[Path], typer.Argument(help="Manifest files to check.", show_default=False)],
    pack: PackOpt = None,
    format: Annotated[str, typer.Option("--format", help="table|json")] = "table",
    output: Annotated[Path | None, typer.Option("--output", help="Write the report to FILE (atomically).")] = None,
    fail_on: Annotated[str, typer.Option("--fail-on", help="error|warning|never")] = "error",
    strict: Annotated[bool, typer.Option("--strict", help="Treat every guardrail as blocking.")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Date for timeline and expiry rules (YYYY-MM-DD; default today).")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these guardrails (ids or globs, comma-separated).")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Skip these guardrails (ids or globs).")] = None,
) -> int:
    """Evaluate guardrails on manifests; exit 1 if a finding is at or above --fail-on."""
    from . import app as run

    options = run.CheckOptions(
        manifests=tuple(manifests),
        packs=tuple(pack or ()),
        format=_choice(format, FORMATS, "--format"),
        output=output,
        fail_on=_choice(fail_on, FAIL_LEVELS, "--fail-on"),
        strict=strict,
        as_of=as_of,
        select=run.split_ids(select),
        ignore=run.split_ids(ignore),
        color=_color(),
    )
    return run.check(options)


@app.command()
def rules(
    pack: PackOpt = None,
    format: Annotated[str, typer.Option("--format", help="table|json")] = "table",
) -> int:
    """List the guardrails of the packs."""
    from .explain import list_rules

    sys.stdout.write(list_rules(tuple(pack or ()), _choice(format, ("table", "json"), "--format"), _color()))
    return 0


@app.command()
def explain(
    rule_id: Annotated[str, typer.Argument(metavar="RULE_ID", help="A guardrail id, e.g. CN-XB-001.")],
    pack: PackOpt = None,
) -> int:
    """Rationale, sources, remediation, parameters and examples of a guardrail."""
    from .explain import explain_rule

    sys.stdout.write(explain_rule(rule_id, tuple(pack or ())))
    return 0


@app.command()
def schema(
    which: Annotated[str, typer.Argument(help="manifest|guardrail|scenario")] = "manifest",
    pack: PackOpt = None,
) -> int:
    """Print a JSON Schema."""
    from .explain import print_schema

    sys.stdout.write(print_schema(_choice(which, ("manifest", "guardrail", "scenario"), "schema"), tuple(pack or ())))
    return 0


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Where to write the starter manifest.")] = Path("steer.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> int:
    """Write a commented starter manifest."""
    from .starter import write_starter

    write_starter(file, force)
    typer.echo(f"wrote {file}; check it with: steer check {file}", err=True)
    return 0


@app.command("test")
def test_pack(
    pack_dir: Annotated[str, typer.Argument(metavar="[PACK_DIR]", help="Pack folder or built-in name.")] = "cn",
    select: Annotated[list[str] | None, typer.Option("--select", help="Only these guardrails.")] = None,
) -> int:
    """Run a pack's guardrail fixtures (policy unit tests)."""
    from .app import split_ids
    from .packtest import run_pack_tests

    return run_pack_tests(pack_dir, split_ids(select), _color())


def main(argv: list[str] | None = None) -> int:
    """Entry point: returns (and, as a script, exits with) the exit code."""
    import click

    from .errors import SteerError

    try:
        result = app(args=argv, prog_name="steer", standalone_mode=False)
    except SteerError as exc:
        sys.stderr.write(f"steer: {exc}\n" if exc.mark is None and not exc.file else f"{exc}\n")
        return 2
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        return 2
    except click.ClickException as exc:
        exc.show()
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        sys.stderr.write("steer: aborted\n")
        return 130
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the one place a bug is turned into a message, not a traceback
        if os.environ.get("STEER_DEBUG"):
            raise
        sys.stderr.write(
            f"steer: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in steer; run again with STEER_DEBUG=1 for the traceback and report it.\n"
        )
        return 2
    return int(result) if isinstance(result, int) else 0


def entry() -> None:  # pragma: no cover - the console script
    sys.exit(main())
