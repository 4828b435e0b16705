"""The position-keeping loader resolves tags exactly as PyYAML's safe loader does."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from steer.loading.parse import _FastLoader, _Lean, load_text

try:
    from yaml import CSafeLoader as Reference
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as Reference  # type: ignore[assignment]


class _PureLean(_Lean, yaml.SafeLoader):  # type: ignore[misc]
    """The lean loader as it is built where LibYAML is missing."""


# (the lean loader, the loader whose tags it must give)
PAIRS = [(_FastLoader, Reference), (_PureLean, yaml.SafeLoader)]


def _tags(node: yaml.Node) -> list[str]:
    out = [node.tag]
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            out += _tags(key) + _tags(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            out += _tags(item)
    return out


EDGE_SCALARS = [
    "",
    "~",
    "null",
    "Null",
    "NULL",
    "nil",
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "False",
    "0",
    "-1",
    "+7",
    "0x1f",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "190:20:30",
    "1.5",
    "-.5",
    ".inf",
    "-.INF",
    ".nan",
    "1e3",
    "6.8523015e+5",
    "2026-11-26",
    "2026-1-2 10:00:00Z",
    "2026-11-26T10:00:00+08:00",
    "<<",
    "=",
    "CN",
    "cn-north-1",
    "owner-db",
    "'1'",
    '"yes"',
    "'2026-11-26'",
    "!!str 12",
    "!!int '3'",
    "1.0.0",
    "[a, 1, ~]",
    "{a: 1, b: no}",
]


@pytest.mark.parametrize(("lean", "reference"), PAIRS, ids=["libyaml", "pure"])
def test_tags_match_the_safe_loader_on_edge_cases(lean: Any, reference: Any) -> None:
    text = "\n".join(f"k{i}: {s}" for i, s in enumerate(EDGE_SCALARS)) + "\n"
    text += "list:\n" + "".join(f"  - {s}\n" for s in EDGE_SCALARS if s)
    text += "base: &b {x: 1}\nmerged:\n  <<: *b\n  y: 2\n"
    assert _tags(yaml.compose(text, Loader=lean)) == _tags(yaml.compose(text, Loader=reference))


PLAIN = st.from_regex(r"[-+.0-9a-zA-Z_:~<=xobeEn]{0,12}", fullmatch=True)


@settings(max_examples=300, deadline=None)
@given(st.lists(PLAIN, max_size=8), st.lists(st.text(max_size=8), max_size=4))
def test_tags_match_the_safe_loader_on_any_scalars(plain: list[str], quoted: list[str]) -> None:
    text = "".join(f"- {v}\n" for v in plain) + yaml.safe_dump(quoted or ["q"])
    for lean, reference in PAIRS:
        try:
            expected = yaml.compose(text, Loader=reference)
        except yaml.YAMLError:
            assume(False)  # not a YAML document: nothing to compare
        assert _tags(yaml.compose(text, Loader=lean)) == _tags(expected)


def test_loaded_data_is_what_the_safe_loader_gives() -> None:
    text = "a: 1\nb: [x, 2.5, null, true, '3']\nc: {d: 2026-11-26}\n"
    data = load_text(text, "m.yaml").data
    assert data == {"a": 1, "b": ["x", 2.5, None, True, "3"], "c": {"d": "2026-11-26"}}
