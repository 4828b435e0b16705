"""The command line."""

from steer.cli.app import entry, main

__all__ = ["entry", "main"]
