"""What a new user reads: the README and docs/ link only to files of this repository,
the Quick start is the two commands CI runs, every install line installs this
project (the name `steer` on the package index is another project's), `steer
config` takes the flags the README says, and docs/manifest.md agrees with the schema
and the catalog."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from packaging.requirements import Requirement

from steer.cli.app import app
from steer.commands.schema import print_schema
from support import AS_OF, EXAMPLE, ROOT, run

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
DISTRIBUTION = PROJECT["name"]
CATALOG = ROOT / "guardrails" / "cn" / "catalog"

_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_INLINE_CODE = re.compile(r"`[^`\n]*`")


def prose(path: Path) -> str:
    """The page without its code blocks and inline code (links there are not links)."""
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return _INLINE_CODE.sub("", text)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, re.M)}


def links(path: Path) -> list[str]:
    return [m.group(1) for m in _LINK.finditer(prose(path))]


def test_the_pages_checked_are_there() -> None:
    assert (ROOT / "docs" / "manifest.md") in DOCS
    assert links(README), "the link pattern finds nothing: the test would pass vacuously"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_point_at_files_in_the_repository(page: Path) -> None:
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        file, _, fragment = target.partition("#")
        resolved = (page.parent / file).resolve() if file else page
        inside = resolved == ROOT or ROOT in resolved.parents
        if not inside or not resolved.exists():
            broken.append(f"{target}: no such file in the repository")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target}: {resolved.name} has no heading #{fragment}")
    assert not broken, f"{page.name}: " + "; ".join(broken)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_names_a_file_outside_the_repository(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert "../shared" not in text and "china-facts" not in text


def test_the_readme_links_the_manifest_format() -> None:
    assert "(docs/manifest.md)" in prose(README)


# -- the Quick start ----------------------------------------------------------------------
def _section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert found, f"README has no section '## {title}'"
    return found.group(1)


def test_quick_start_is_the_two_commands_ci_runs() -> None:
    section = _section("Quick start")
    block = re.match(r"\s*```[^\n]*\n(.*?)^```", section, re.M | re.S)
    assert block, "the Quick start must open with a fenced block"
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2, lines
    first, second = (shlex.split(line) for line in lines)
    assert first == [
        "pip",
        "install",
        ".",
        "&&",
        "steer",
        "check",
        "examples/china-platform.yaml",
    ]
    assert (ROOT / first[-1]).is_file()
    # the second line installs what .ci/run installs and runs what it runs
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (ci_install,) = re.findall(r"^pip install --quiet ('\.\[test\]')$", ci, re.M)
    assert second == ["pip", "install", *shlex.split(ci_install), "&&", "pytest"]
    assert re.search(r"^pytest$", ci, re.M)
    assert "test" in PROJECT["optional-dependencies"]


# -- install lines ------------------------------------------------------------------------
def _install_lines() -> list[tuple[str, str]]:
    files = [README, ROOT / "action.yml", *sorted((ROOT / "examples" / "ci").glob("*.yml"))]
    out = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":  # commands are in code blocks and code spans
            code = [m.group(0) for m in _FENCE.finditer(text)]
            code += [m.group(0).strip("`") for m in _INLINE_CODE.finditer(_FENCE.sub("", text))]
            text = "\n".join(code)
        for line in text.splitlines():
            found = re.search(r"\bpip install\b(.*)", line)
            if found and not line.lstrip().startswith("#"):
                out.append((path.name, found.group(1).split("&&")[0].split(" #")[0]))
    return out


def test_there_are_install_lines_to_check() -> None:
    names = {name for name, _ in _install_lines()}
    assert {"README.md", "action.yml", "github-workflow.yml", "gitlab-ci.yml"} <= names


@pytest.mark.parametrize(("file", "args"), _install_lines())
def test_every_install_line_installs_this_project(file: str, args: str) -> None:
    """A checkout (., '.[test]', -e '.[dev]', the action's own path) or this
    distribution from its repository; never a name from the package index, where
    `steer` is an unrelated project and this one is not published."""
    words = [w for w in shlex.split(args) if not w.startswith("-")]
    assert words, f"{file}: pip install of nothing: {args!r}"
    for word in words:
        if word in {".", '"$GITHUB_ACTION_PATH"', "$GITHUB_ACTION_PATH"} or word.startswith(".["):
            continue
        if word.startswith(("ruff==", "mypy==", "types-")):  # development tools, in Development
            continue
        requirement = Requirement(word)
        assert requirement.name == DISTRIBUTION, f"{file}: installs {word!r}"
        assert requirement.url and requirement.url.startswith(("git+https://", "https://")), (
            f"{file}: {word!r} would come from the package index"
        )


def test_the_distribution_is_not_called_steer() -> None:
    assert DISTRIBUTION == "steer-compliance"
    assert PROJECT["scripts"] == {"steer": "steer.cli:entry"}  # the command stays `steer`
    extras = " ".join(" ".join(v) for v in PROJECT["optional-dependencies"].values())
    self_references = re.findall(r"\b(steer[\w-]*)\[", extras)
    assert self_references and set(self_references) == {DISTRIBUTION}


def test_the_action_installs_from_its_own_checkout() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    scripts = "\n".join(s.get("run", "") for s in action["runs"]["steps"])
    assert re.findall(r"pip install [^\n]*", scripts) == [
        'pip install --disable-pip-version-check "$GITHUB_ACTION_PATH"'
    ]


# -- steer config -------------------------------------------------------------------------
def _options(name: str) -> set[str]:
    group: Any = typer.main.get_command(app)
    command = group.commands[name]
    flags = set()
    for param in command.params:
        if param.param_type_name == "option" and "--help" not in param.opts:
            flags.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return flags


def test_the_readme_says_which_flags_steer_config_takes() -> None:
    text = README.read_text(encoding="utf-8")
    paragraph = r"`steer config` prints each effective value.*?It takes the(.*?)\(not(.*?)\)"
    found = re.search(paragraph, text, re.S)
    assert found, "README: the paragraph on steer config"
    takes = set(re.findall(r"`(--[\w-]+)`", found.group(1)))
    not_taken = set(re.findall(r"`(--[\w-]+)`", found.group(2)))
    config, check = _options("config"), _options("check")
    assert takes == config
    assert not_taken == check - config
    assert config < check  # every flag config takes is one of check's


# -- docs/manifest.md ---------------------------------------------------------------------
MANIFEST_DOC = ROOT / "docs" / "manifest.md"


def _schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(print_schema("manifest", ("cn",)))  # as steer prints it
    return schema


def test_manifest_page_names_every_field_of_the_schema() -> None:
    text = MANIFEST_DOC.read_text(encoding="utf-8")
    schema = _schema()
    props = schema["properties"]
    fields = set(props)
    for section in ("organisation", "programme", "policy", "operations"):
        fields |= set(props[section]["properties"])
    for section in ("components", "flows", "approvals"):
        fields |= set(props[section]["additionalProperties"]["properties"])
    fields |= set(props["waivers"]["items"]["properties"])
    missing = sorted(f for f in fields if not re.search(rf"\b{re.escape(f)}\b", text))
    assert not missing, f"docs/manifest.md does not describe: {missing}"


def _catalog_ids(file: str, key: str) -> set[str]:
    data = yaml.safe_load((CATALOG / file).read_text(encoding="utf-8"))
    return set(data[key])


def test_manifest_page_lists_only_catalog_ids_that_exist() -> None:
    text = MANIFEST_DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|]+?) \| (.+?) \|$", text.split("## Catalog ids", 1)[1], re.M))

    def ids(row: str) -> set[str]:
        (cell,) = [v for k, v in rows.items() if k.startswith(row)]
        named = set(re.findall(r"`([a-z0-9-]+)`", cell)) - {"cn-north-1", "cn-northwest-1"}
        return named | (ids("cloud providers") if "the cloud ids above" in cell else set())

    assert ids("cloud providers") == _catalog_ids("clouds.yaml", "providers")
    assert ids("CDN providers") == _catalog_ids("cdn.yaml", "cdn_providers")
    assert ids("external services") == _catalog_ids("services.yaml", "services")
    assert ids("map providers") == _catalog_ids("maps.yaml", "map_providers")
    assert ids("payment providers") == _catalog_ids("payments.yaml", "payment_providers")


def test_manifest_page_says_unknown_catalog_ids_are_errors() -> None:
    text = " ".join(MANIFEST_DOC.read_text(encoding="utf-8").split())
    provider = "A provider id the catalog does not know is never silently accepted: it is an error"
    assert provider in text
    assert "An id the catalog does not know is an error" in text


def test_the_readme_names_the_shipped_pages() -> None:
    """A bare `cli.md` or `manifest.md` names the maintainers' notes, not a file here."""
    bare = re.findall(r"(?<![\w/.-])(?:cli|manifest|guardrails)\.md", README.read_text("utf-8"))
    assert not bare


# -- docs/cli.md --------------------------------------------------------------------------
def test_cli_page_names_the_html_sections_a_page_has(tmp_path: Path) -> None:
    text = " ".join((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").split())
    found = re.search(r"Its sections carry these element ids: (.*?)\.", text)
    assert found
    documented = set(re.findall(r"`([a-z]+)` ?(?:\(|,|and|$)", found.group(1)))
    assert {"summary", "findings", "crossings", "timeline", "scenarios"} <= documented
    out = tmp_path / "report.html"
    code, _, err = run(
        ["check", str(EXAMPLE), "--as-of", AS_OF, "--format", "html", "--output", str(out)]
    )
    assert code == 1, err
    ids = set(re.findall(r'<section id="([a-z]+)"', out.read_text(encoding="utf-8")))
    assert documented - {"scenarios"} == ids
