"""Configuration: ``[tool.steer]`` in ``pyproject.toml`` or a ``.steer.toml``.

Found from the current folder upward: the first folder holding a ``.steer.toml``
or a ``pyproject.toml`` with a ``[tool.steer]`` table wins (``.steer.toml`` first,
if a folder has both). That folder is the project *root*: paths and globs in the
file are relative to it. Command-line flags override the file, the file overrides
the defaults; ``steer config`` shows each effective value and where it came from.

An unknown key, or a value of the wrong type, is an error (exit 2) at the key's
line, with a did-you-mean: a typo must not silently switch a check off.
``tomllib`` keeps no positions, so keys are located by scanning the text."""

from __future__ import annotations

import difflib
import json
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from steer.errors import InputError, Mark, UsageError
from steer.loading.decode import refuse_special
from steer.loading.discover import DEFAULT_GLOBS
from steer.loading.jsonerrors import decode
from steer.vocab import BUILTIN_PACKS, FAIL_LEVELS, split_ids
from steer.vocab import CHECK_FORMATS as FORMATS


@dataclass(frozen=True)
class Key:
    name: str
    kind: str  # strings | ids | formats | path | paths | choice | bool
    default: Any
    flag: str | None
    help: str
    choices: tuple[str, ...] = ()


KEYS: dict[str, Key] = {
    k.name: k
    for k in (
        Key(
            "packs",
            "strings",
            (),
            "--pack",
            "guardrail packs: built-in names or folders; "
            "empty means each manifest's policy.packs, else cn",
        ),
        Key(
            "format",
            "formats",
            ("table",),
            "--format",
            "report formats: NAME for the console (or --output), NAME:FILE for more reports",
        ),
        Key("output", "path", None, "--output", "file for the console report instead of stdout"),
        Key("fail_on", "choice", "error", "--fail-on", "level that fails the run", FAIL_LEVELS),
        Key("strict", "bool", False, "--strict", "treat every guardrail as blocking"),
        Key("select", "ids", (), "--select", "only these guardrails (ids or globs)"),
        Key("ignore", "ids", (), "--ignore", "skip these guardrails (ids or globs)"),
        Key("baseline", "path", None, "--baseline", "report only findings not in this JSON report"),
        Key(
            "manifests",
            "strings",
            DEFAULT_GLOBS,
            None,
            "globs that folders (and a bare `steer check`) expand to, relative to the root",
        ),
        Key("exclude", "strings", (), None, "globs of files that folder expansion skips"),
        Key(
            "terraform",
            "paths",
            (),
            "--terraform",
            "plans and states (terraform show -json) to compare the manifests with",
        ),
    )
}


@dataclass(frozen=True)
class Config:
    """The effective settings of a check: each value with its source."""

    file: Path | None
    root: Path
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    table: str = ""  # where the keys live in ``file``: "" or "tool.steer"
    marks: Mapping[str, Mark] = field(default_factory=dict)  # keys the file set, and where

    def origin(self, key: str) -> Mark | None:
        """Where the file sets ``key``, if the value in effect is the file's (errors in
        it are the file's, at its line, never the flag's)."""
        return self.marks.get(key)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def console_format(self) -> str:
        return next((name for name, target in self.values["format"] if target is None), "table")

    @property
    def extra_outputs(self) -> tuple[tuple[str, Path], ...]:
        return tuple((n, t) for n, t in self.values["format"] if t is not None)


# -- finding and reading the file -------------------------------------------------------
def find(start: Path) -> tuple[Path, str] | None:
    """The configuration file for ``start`` and the table its keys live in."""
    for folder in (start, *start.parents):
        dotfile = folder / ".steer.toml"
        if dotfile.is_file():
            return dotfile, ""
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_steer_table(pyproject):
            return pyproject, "tool.steer"
    return None


def _has_steer_table(path: Path) -> bool:
    try:
        raw = path.read_bytes()
    except OSError:
        return False
    if b"steer" not in raw and "steer".encode("utf-16-le") not in raw:
        return False  # don't make a broken pyproject.toml of another tool our error
    # One that names steer must be readable: its [tool.steer] (and fail_on) is never lost.
    tool = _parse(_decode(raw, path), path).get("tool")
    return isinstance(tool, dict) and "steer" in tool


def _decode(raw: bytes, path: Path) -> str:
    """The text of a configuration file; bytes that are not UTF-8 at their line:col."""
    return decode(raw, _display(path), InputError, "TOML")


def _display(path: Path) -> str:
    """A configuration file as messages name it: relative to where steer runs."""
    return _rel(path.absolute(), Path.cwd())


def _parse(text: str, path: Path) -> dict[str, Any]:

    try:
        return tomllib.loads(text)
    except RecursionError:  # tomllib recurses once per nested array or inline table
        line, column = _too_deep(text)
        raise InputError(
            f"nesting deeper than {_MAX_DEPTH} levels; expected TOML of a few levels "
            "(arrays and inline tables)",
            Mark(_display(path), line, column),
        ) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        mark = Mark(_display(path), int(found.group(1)), int(found.group(2))) if found else None
        raise InputError(f"invalid TOML: {message}", mark, file=_display(path)) from None


_MAX_DEPTH = 100


def _too_deep(text: str) -> tuple[int, int]:
    """Where arrays and inline tables first nest deeper than ``_MAX_DEPTH`` (strings and
    comments skipped), as 1-based line and column."""
    depth, quote, comment = 0, "", False
    line, start = 1, 0
    for i, char in enumerate(text):
        if char == "\n":
            line, start, comment = line + 1, i + 1, False
            if quote in ('"', "'"):
                quote = ""
            continue
        if comment:
            continue
        if quote:
            if char == quote and text[i - 1 : i] != "\\":
                quote = ""
            continue
        if char in "\"'":
            quote = char
        elif char == "#":
            comment = True
        elif char in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return line, i - start + 1
        elif char in "]}":
            depth = max(depth - 1, 0)
    return 1, 1


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*[=.]""")


def locate(text: str, table: str, key: str, file: str) -> Mark:
    """Where ``key`` of ``table`` is written (tomllib gives no positions)."""
    current = ""
    header_mark = Mark(file, 1, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            current = re.sub(r"\s*\.\s*", ".", header.group(1)).replace('"', "")
            if current == table:
                header_mark = Mark(file, number, line.index("[") + 1)
            elif current == f"{table}.{key}".lstrip("."):
                return Mark(file, number, line.index("[") + 1)
            continue
        if current != table:
            continue
        found = _KEY.match(line)
        if found and next(g for g in found.groups() if g is not None) == key:
            return Mark(
                file,
                number,
                found.start(next(i for i in (1, 2, 3) if found.group(i) is not None)) + 1,
            )
    return header_mark


def read(path: Path, table: str) -> tuple[dict[str, Any], dict[str, Mark]]:
    """The keys of a configuration file, checked, and where each is written."""
    name = _display(path)
    refuse_special(path, name, "a TOML file")
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"--config {name}: no such file") from None
    except OSError as exc:
        raise InputError(
            f"cannot read the configuration: {exc.strerror or exc}", file=name
        ) from None
    text = _decode(raw, path)
    data: Any = _parse(text, path)
    if table:
        data = data.get("tool", {}).get("steer") if isinstance(data.get("tool"), dict) else None
        if data is None:
            raise InputError("no [tool.steer] table", file=name)
        if not isinstance(data, dict):
            raise InputError("tool.steer: expected a table", locate(text, "tool", "steer", name))
    marks: dict[str, Mark] = {}
    values: dict[str, Any] = {}
    for key, value in data.items():
        mark = locate(text, table, key, name)
        spec = KEYS.get(key)
        if spec is None:
            close = difflib.get_close_matches(key, list(KEYS), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            if key == "tool" and not table:
                hint = "; in .steer.toml the keys stand at the top level, without [tool.steer]"
            raise InputError(
                f"unknown key {_key(table, key)}{hint} (known: {', '.join(KEYS)})", mark
            )
        values[key] = _check(spec, value, f"{_key(table, key)}", mark)
        marks[key] = mark
    return values, marks


def _key(table: str, key: str) -> str:
    return f"{table}.{key}" if table else key


def _check(spec: Key, value: Any, where: str, mark: Mark) -> Any:
    def bad(expected: str) -> InputError:
        return InputError(
            f"{where}: expected {expected}, got {json.dumps(value, default=str)}", mark
        )

    if spec.kind == "bool":
        if not isinstance(value, bool):
            raise bad("true or false")
        return value
    if spec.kind in ("path", "choice"):
        if not isinstance(value, str) or not value:
            raise bad("a string")
        if spec.kind == "choice" and value not in spec.choices:
            raise bad("one of " + ", ".join(spec.choices))
        return value
    # strings, ids, formats: a list of strings; a single string is a list of one
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) and v for v in items):
        raise bad("a list of strings")
    return tuple(items)


# -- resolving --------------------------------------------------------------------------
def parse_formats(
    specs: Sequence[str], base: Path, origin: str, mark: Mark | None = None
) -> tuple[tuple[str, Path | None], ...]:
    """``NAME`` (console, or --output) and ``NAME:FILE`` / ``NAME=FILE`` (a file each)."""

    def error(message: str) -> Exception:
        return InputError(f"format: {message}", mark) if mark else UsageError(f"{origin} {message}")

    out: list[tuple[str, Path | None]] = []
    for spec in specs:
        parts = re.match(r"([^:=]*)(?:([:=])(.*))?\Z", spec, re.DOTALL)
        assert parts is not None  # the pattern matches every string
        name, sep, target = parts.group(1).strip(), parts.group(2) or "", parts.group(3) or ""
        if name not in FORMATS:
            close = difflib.get_close_matches(name, FORMATS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise error(
                f"{spec!r}: unknown format {name!r}{hint} (expected {'|'.join(FORMATS)}, "
                "optionally as NAME:FILE)"
            )
        if sep and not target:
            raise error(f"{spec!r}: expected a file after {sep!r}")
        out.append((name, base / target if target else None))
    console = [n for n, t in out if t is None]
    if len(console) > 1:
        raise error(
            f"{' and '.join(console)} would both go to the console; give all but one "
            f"a file, e.g. {console[-1]}:steer.{console[-1]}"
        )
    files = [t.resolve() for _, t in out if t is not None]
    if len(set(files)) != len(files):
        raise error("two formats name the same file")
    return tuple(out)


def resolve(
    flags: Mapping[str, Any],
    config_file: Path | None = None,
    isolated: bool = False,
    cwd: Path | None = None,
) -> Config:
    """Defaults, overridden by the configuration file, overridden by the flags given.

    ``flags`` maps key names to what the command line gave, ``None`` for absent."""
    cwd = cwd or Path.cwd()
    found: tuple[Path, str] | None = None
    if config_file is not None:
        found = (config_file, "tool.steer" if config_file.name == "pyproject.toml" else "")
    elif not isolated:
        found = find(cwd)
    values: dict[str, Any] = {k: spec.default for k, spec in KEYS.items()}
    sources: dict[str, str] = dict.fromkeys(KEYS, "default")
    root = cwd
    marks: dict[str, Mark] = {}
    if found is not None:
        path, table = found
        root = path.resolve().parent
        file_values, marks = read(path, table)
        for key, value in file_values.items():
            values[key] = value
            sources[key] = str(marks[key]).rsplit(":", 1)[0]  # file:line
    values["format"] = parse_formats(
        values["format"], root if "format" in marks else cwd, "--format", marks.get("format")
    )
    if "packs" in marks:  # pack folders named in the file are relative to it, names are not
        values["packs"] = tuple(
            p if p in BUILTIN_PACKS else _rel(root / p, cwd) for p in values["packs"]
        )
    for key in ("baseline", "output"):
        if key in marks:
            values[key] = Path(_rel(root / values[key], cwd))
    if "terraform" in marks:  # relative to the file, as baseline and output
        values["terraform"] = tuple(Path(_rel(root / p, cwd)) for p in values["terraform"])
    for key in ("select", "ignore"):
        values[key] = split_ids(values[key])
    for key, given in flags.items():
        if given is None or key not in KEYS:
            continue
        spec = KEYS[key]
        sources[key] = spec.flag or key
        marks.pop(key, None)  # the flag's value is in effect, not the file's
        if spec.kind == "formats":
            values[key] = parse_formats(list(given), cwd, "--format")
        elif spec.kind == "ids":
            values[key] = split_ids(list(given))
        elif spec.kind == "choice":
            if given not in spec.choices:
                raise UsageError(
                    f"{spec.flag} {given!r}: expected one of {', '.join(spec.choices)}"
                )
            values[key] = given
        elif spec.kind == "strings":
            values[key] = tuple(given)
        elif spec.kind == "paths":
            values[key] = tuple(Path(p) for p in given)
        else:
            values[key] = given
    return Config(
        found[0] if found else None, root, values, sources, found[1] if found else "", marks
    )


def _rel(path: Path, cwd: Path) -> str:
    """A path from the configuration, as short as possible from where steer runs."""

    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


# -- steer config -----------------------------------------------------------------------
def show(config: Config) -> str:
    """Each effective value, TOML-style, and where it came from."""
    if config.file is not None:
        table = " [tool.steer]" if config.table else ""
        head = (
            f"# configuration: {_display(config.file)}{table} (root {_display(config.root) or '.'})"
        )
    else:
        head = (
            "# configuration: none found (looked for .steer.toml, or [tool.steer] in "
            "pyproject.toml, from here upward); defaults apply"
        )
    rows = []
    for key, spec in KEYS.items():
        value = config.values[key]
        if key == "format":
            value = [n if t is None else f"{n}:{_rel(t, Path.cwd())}" for n, t in value]
        rows.append((key, _toml(value), config.sources[key], spec.help))
    width = max(len(k) + 3 + len(v) for k, v, _, _ in rows)
    lines = [head]
    for key, value, source, help_text in rows:
        lines.append(f"{key} = {value}".ljust(width) + f"  # {source}: {help_text}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Path):
        return json.dumps(value.as_posix())
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)
