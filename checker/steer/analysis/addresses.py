"""Terraform resource addresses, and the ``resources`` entries that name them.

A component's ``resources`` entry (manifest.md) is a Terraform address or a glob:

- ``*`` stands for any run of characters (dots and brackets too), ``?`` for any one
  character; ``[`` and ``]`` stand for themselves, because they are part of the
  addresses of ``count`` and ``for_each`` instances (``aws_s3_bucket.x["eu"]``),
  unlike in shell globs and :mod:`fnmatch`;
- an entry matches a resource when it matches its whole address, instance keys
  included, or its address without instance keys: ``aws_s3_bucket.x`` names every
  instance (``aws_s3_bucket.x[0]``, ``aws_s3_bucket.x["eu"]``),
  ``aws_s3_bucket.x["eu"]`` only that one, ``module.crm.*`` every resource of every
  instance of ``module.crm``, nested modules included;
- an entry without wildcards that is a module address (``module.crm``,
  ``module.crm["eu"]``) names every resource in that module.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable


def split_address(address: str) -> list[str]:
    """The dot-separated steps of an address; dots inside instance keys do not count
    (``module.a["x.y"].aws_s3_bucket.b`` has four steps)."""
    steps: list[str] = []
    start = i = 0
    while i < len(address):
        char = address[i]
        if char == "[":
            i = _after_key(address, i)
            continue
        if char == ".":
            steps.append(address[start:i])
            start = i + 1
        i += 1
    steps.append(address[start:])
    return steps


def _after_key(address: str, i: int) -> int:
    """The index after the ``[...]`` instance key that starts at ``i``."""
    i += 1
    if address[i : i + 1] == '"':
        i += 1
        while i < len(address) and address[i] != '"':
            i += 2 if address[i] == "\\" else 1
        i += 1
    close = address.find("]", i)
    return len(address) if close < 0 else close + 1


def strip_keys(address: str) -> str:
    """``module.a["x"].aws_s3_bucket.b[0]`` → ``module.a.aws_s3_bucket.b``."""
    if "[" not in address:
        return address
    return ".".join(step.split("[", 1)[0] for step in split_address(address))


def module_of(address: str) -> str:
    """The module part of a resource address, instance keys kept ("" for the root)."""
    if not address.startswith("module."):
        return ""
    steps = split_address(address)
    end = 0
    while end + 1 < len(steps) and steps[end] == "module":
        end += 2
    return ".".join(steps[:end])


def parent_module(module: str) -> str:
    """``module.a.module.b`` → ``module.a``; ``module.a`` → ``""``."""
    return ".".join(split_address(module)[:-2])


def is_glob(entry: str) -> bool:
    return "*" in entry or "?" in entry


def glob_pattern(entry: str) -> re.Pattern[str]:
    """The regular expression of a glob entry (brackets literal)."""
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in entry]
    return re.compile("".join(parts), re.DOTALL)


class AddressIndex:
    """The addresses of the plans, for matching ``resources`` entries quickly: exact
    entries by lookup, globs and module entries over the sorted range of addresses
    that share the entry's literal prefix."""

    def __init__(self, addresses: Iterable[str]) -> None:
        self.known = set(addresses)
        self.full = sorted(self.known)
        self.bare: dict[str, list[str]] = {}
        for address in self.full:
            self.bare.setdefault(strip_keys(address), []).append(address)
        self.bare_sorted = sorted(self.bare)

    def match(self, entry: str) -> list[str]:
        """The addresses an entry names, sorted."""
        found: set[str] = set()
        if is_glob(entry):
            pattern = glob_pattern(entry)
            prefix = entry[: min(i for i in (entry.find("*"), entry.find("?")) if i >= 0)]
            found.update(a for a in _prefixed(self.full, prefix) if pattern.fullmatch(a))
            for bare in _prefixed(self.bare_sorted, prefix):
                if pattern.fullmatch(bare):
                    found.update(self.bare[bare])
            return sorted(found)
        if entry in self.bare:
            found.update(self.bare[entry])
        if entry.startswith("module."):
            found.update(
                a for a in _prefixed(self.full, entry) if a == entry or a[len(entry)] == "."
            )
            for bare in _prefixed(self.bare_sorted, entry + "."):
                found.update(self.bare[bare])
        if entry in self.known:
            found.add(entry)
        return sorted(found)


def _prefixed(items: list[str], prefix: str) -> list[str]:
    """The items of a sorted list that start with ``prefix``."""
    low = bisect.bisect_left(items, prefix)
    high = low
    while high < len(items) and items[high].startswith(prefix):
        high += 1
    return items[low:high]
