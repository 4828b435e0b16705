"""One reporter registry: the formats the command line offers are the ones it has,
and every registered module has the one interface, ``render(data, color) -> str``."""

from __future__ import annotations

import inspect
from importlib import import_module

from steer import vocab
from steer.reporters import REGISTRY


def test_the_command_line_offers_exactly_the_registered_formats() -> None:
    assert tuple(REGISTRY["check"]) == vocab.CHECK_FORMATS
    assert tuple(REGISTRY["whatif"]) == vocab.WHATIF_FORMATS
    assert tuple(REGISTRY["graph"]) == vocab.GRAPH_FORMATS


def test_every_reporter_has_the_one_interface() -> None:
    for command, formats in REGISTRY.items():
        for name, module_name in formats.items():
            render = import_module(module_name).render
            params = list(inspect.signature(render).parameters)
            assert params[:2] == [params[0], "color"], (command, name, params)
