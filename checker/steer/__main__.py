"""``python -m steer``: the same as the ``steer`` command."""

from steer.cli.main import entry

entry()
