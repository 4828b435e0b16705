"""The command line: argument parsing (:mod:`steer.cli.app`) and the entry point that
maps every outcome to an exit code (:mod:`steer.cli.main`)."""

from steer.cli.main import entry, main

__all__ = ["entry", "main"]
