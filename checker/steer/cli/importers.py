"""``steer import``: starter manifests drafted from other descriptions of a system;
``steer import terraform`` from Terraform and OpenTofu plans and states
(:mod:`steer.commands.import_terraform`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from steer.cli.lazy import command as _command
from steer.cli.options import PackOpt

import_app = typer.Typer(
    name="import",
    help="Draft a starter manifest from another description of the system.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@import_app.command("terraform")
def import_terraform(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE...",
            help="Plans or states: the JSON of `terraform show -json` / `tofu show -json`.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the manifest to FILE (atomically) instead of stdout."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
    ] = False,
    name: Annotated[str, typer.Option("--name", help="The manifest's name.")] = "imported",
    pack: PackOpt = None,
) -> int:
    """Draft a starter manifest from Terraform or OpenTofu plans and states.

    One component per root resource or module, with its kind, location and
    resources; add data, flows and approvals, then check it with --terraform.

    \b
    Exit code: 0 drafted; 2 a file could not be read (file:line:col) or a flag is wrong.
    """
    return int(
        _command("import_terraform").import_terraform(
            tuple(files), output, tuple(pack or ()), name, force
        )
    )
