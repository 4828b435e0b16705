"""``python -m steer``: the same as the ``steer`` command."""

from .cli import entry

entry()
