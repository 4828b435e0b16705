"""``--format html`` wired into the command line: ``--output`` and ``html:FILE`` write
the page atomically, several manifests are refused before anything is checked,
``whatif`` writes its page, other formats never build the architecture, and the
renderer imports nothing of steer but the result types."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reporters.html import html_pages
from steer import engine
from steer.manifest.load import load_manifest
from steer.reporters import render
from steer.reporters.html import build
from support import AS_OF, ROOT, cwd, run

EXAMPLE = html_pages.EXAMPLE
RENDERER = ROOT / "checker" / "steer" / "reporters" / "html"


def steer(*args: str) -> tuple[int, str, str]:
    with cwd(ROOT):
        return run(list(args))


def test_output_writes_the_page_atomically(tmp_path: Path, check_page: str) -> None:
    out = tmp_path / "report.html"
    code, stdout, err = steer(
        "check", EXAMPLE, "--as-of", AS_OF, "--format", "html", "--output", str(out)
    )
    assert (code, stdout) == (1, ""), err
    assert out.read_text(encoding="utf-8") == check_page
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temporary left


def test_html_as_a_further_report(tmp_path: Path, check_page: str) -> None:
    out = tmp_path / "report.html"
    code, stdout, _ = steer(
        "check", EXAMPLE, "--as-of", AS_OF, "--format", "json", "--format", f"html:{out}"
    )
    assert code == 1 and stdout.startswith("{")
    assert out.read_text(encoding="utf-8") == check_page


def test_several_manifests_are_refused_before_checking(tmp_path: Path) -> None:
    second = tmp_path / "second.yaml"
    second.write_text((ROOT / EXAMPLE).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "report.html"
    code, stdout, err = steer(
        "check", EXAMPLE, str(second), "--format", "table", "--format", f"html:{out}"
    )
    assert code == 2 and stdout == ""
    assert "--format html: a page shows one manifest, and 2 manifests are checked" in err
    assert "Traceback" not in err and not out.exists()


def test_whatif_writes_its_page(tmp_path: Path, whatif_page: str) -> None:
    out = tmp_path / "whatif.html"
    args = ("whatif", EXAMPLE, *html_pages.SCENARIOS, "--as-of", AS_OF, "--format", "html")
    code, stdout, err = steer(*args, "--output", str(out))
    assert (code, stdout) == (1, ""), err
    assert out.read_text(encoding="utf-8") == whatif_page


def test_help_offers_html() -> None:
    for command in ("check", "whatif"):
        code, stdout, _ = steer(command, "--help")
        assert code == 0 and "html" in stdout, command


def _report(architecture: bool) -> Any:
    with cwd(ROOT):
        manifest = load_manifest(Path(EXAMPLE), EXAMPLE)
    settings = engine.Settings(as_of=AS_OF, architecture=architecture)
    return engine.run(manifest, settings)


def test_other_formats_never_build_the_architecture() -> None:
    plain, described = _report(False), _report(True)
    assert plain.architecture is None and described.architecture is not None
    # the JSON report (and every format but html) is the same either way
    for name in ("json", "sarif", "markdown"):
        assert render(name, [plain]) == render(name, [described]), name


def test_the_html_reporter_says_what_a_report_lacks() -> None:
    with pytest.raises(ValueError, match=r"Settings\(architecture=True\)"):
        render("html", [_report(False)])
    with pytest.raises(ValueError, match="one manifest's report, not 2"):
        render("html", [_report(True), _report(True)])
    assert build.check_input(_report(True), lambda day: True).title == "china-platform"


def test_the_renderer_imports_only_stdlib_networkx_and_result_types() -> None:
    allowed = {*sys.stdlib_module_names, "networkx", "numpy"}
    for path in sorted(RENDERER.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                continue  # the renderer's own modules
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                top = name.split(".")[0]
                # steer.vocab: the shared leaf (its escaping of control characters)
                ok = top in allowed or name.startswith("steer.results.") or name == "steer.vocab"
                assert ok, f"{path.name} imports {name}"


def test_a_steer_process_writes_a_page_chromium_opens(browser: Any, tmp_path: Path) -> None:
    """The whole way: the installed command writes the file, the browser opens it."""
    out = tmp_path / "report.html"
    argv = [sys.executable, "-m", "steer", "check", EXAMPLE, "--as-of", AS_OF]
    done = subprocess.run(
        [*argv, "--format", "html", "--output", str(out)], cwd=ROOT, capture_output=True
    )
    assert done.returncode == 1, done.stderr
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(out.as_uri(), wait_until="load")
        assert requests == [out.as_uri()] and errors == []
        assert page.locator("#findings-table tbody tr[data-level]").count() == 30
        assert page.locator("#crossings-table tbody tr[data-flow]").count() == 4
    finally:
        context.close()


def test_a_json_check_never_imports_what_the_page_needs(tmp_path: Path) -> None:
    """The cost stays off the other formats: neither the builder nor the renderer, nor
    networkx and numpy, are imported by a JSON run."""
    code = (
        "import sys; from steer.cli import main; "
        f"main(['check', {EXAMPLE!r}, '--as-of', {AS_OF!r}, '--format', 'json', "
        f"'--output', {str(tmp_path / 'r.json')!r}]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('networkx', 'numpy') "
        "or m.startswith(('steer.checks.architecture', 'steer.results.architecture', "
        "'steer.results.compare', 'steer.reporters.html'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr
    assert (tmp_path / "r.json").exists()
