"""RFC 7396 JSON merge patch, for what-if scenarios and ``--set``.

The algorithm is the ``json-merge-patch`` library's, which is the RFC's case for
case (null removes a member, mappings merge recursively, a list or any other
non-mapping value replaces, a mapping patched over a non-mapping starts from
``{}``; the RFC's appendix A passes). Its one hazard is that it merges *in place*
into its first argument and aliases patch values into the result, while steer's
YAML loader shares the values of anchors and aliases between places in a
manifest; so both sides are rebuilt as fresh, unshared trees first
(:func:`fresh`) and neither input is ever changed.
"""

from __future__ import annotations

from typing import Any


def fresh(value: Any) -> Any:
    """A deep copy with no shared sub-trees (``copy.deepcopy`` keeps YAML aliases shared)."""
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [fresh(v) for v in value]
    return value


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 MergePatch(target, patch), returning a new value; inputs are untouched."""
    import json_merge_patch

    return json_merge_patch.merge(fresh(target), fresh(patch))


def diff_patch(source: Any, target: Any) -> Any:
    """A merge patch that turns ``source`` into ``target`` (for data without nulls).

    ``merge_patch(source, diff_patch(source, target)) == target``; with the roles
    swapped it is the inverse of a scenario.
    """
    if not isinstance(source, dict) or not isinstance(target, dict):
        return fresh(target)
    out: dict[str, Any] = {key: None for key in source if key not in target}
    for key, value in target.items():
        if key not in source:
            out[key] = fresh(value)
        elif source[key] != value:
            out[key] = diff_patch(source[key], value)
    return out
