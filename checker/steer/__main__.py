"""``python -m steer``: the same as the ``steer`` command."""

from steer.cli.app import entry

entry()
