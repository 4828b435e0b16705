"""Control characters from a manifest are shown, never obeyed: ESC (a terminal escape
sequence), BEL, CR (overwrites the line), a line break where it would split a table
row or a workflow command, DEL, C1, U+202E (reverses text) and U+FFFF reach no text
format raw, in the table, markdown and github formats of check, whatif and transfers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steer.reporters.shown import shown
from steer.results.findings import Report
from steer.vocab import plural, visible
from support import AS_OF, check, run, violating

# in a YAML double-quoted string: \e ESC, \a BEL, \r CR, \n LF, \x7f DEL, \x9b CSI
EVIL_YAML = r"\e[31mred\e[0m \a ring\r over\nnext \x7f del \x9b2J csi \u202Eevil \uFFFF end"
RAW = "\x1b\x07\r\x7f\x9b\u202e\uffff"
SHOWN = ("\\x1b[31mred", "\\x07 ring", "\\r over", "\\x7f del", "\\x9b2J", "\\u202eevil")


def evil_manifest(tmp_path: Path) -> Path:
    text = violating(waiver=True).replace(
        "reason: Volume assessment filed with the CAC; decision due before go-live",
        f'reason: "{EVIL_YAML}"',
    )
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_visible_writes_controls_out_and_keeps_text() -> None:
    assert visible("plain 中文 text → ok") == "plain 中文 text → ok"
    assert visible("a\x1b[31mb\x07c\rd\ne\tf") == "a\\x1b[31mb\\x07c\\rd\\ne\\tf"
    assert visible("a\nb\tc\x1b", keep="\n") == "a\nb\\tc\\x1b"
    assert visible("\x7f\x85\x9b\u2028\u202e\u2066\ufeff\uffff\ud800") == (
        "\\x7f\\x85\\x9b\\u2028\\u202e\\u2066\\ufeff\\uffff\\ud800"
    )
    clean = "nothing to do"
    assert visible(clean) is clean  # no copy in the common case


@given(st.text())
def test_visible_leaves_nothing_a_terminal_obeys(text: str) -> None:
    out = visible(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]", out)
    out.encode("utf-8")  # no lone surrogate left: it could not even be printed


def test_plural() -> None:
    assert [plural(n, "error") for n in (0, 1, 2)] == ["0 errors", "1 error", "2 errors"]
    assert plural(1, "entry", "entries") == "1 entry"
    assert plural(3, "entry", "entries") == "3 entries"


def test_shown_copies_only_what_it_changes(tmp_path: Path) -> None:
    report = check(evil_manifest(tmp_path))
    out = shown(report)
    assert out is not report
    waived = [f for f in out.findings if f.waived]
    assert waived and waived[0].waiver is not None
    assert "\x1b" not in waived[0].waiver and "\\x1b[31mred" in waived[0].waiver
    # the findings without control characters are the very same objects
    same = [a is b for a, b in zip(out.findings, report.findings, strict=True) if not a.waived]
    assert same and all(same)
    clean_report: Report = check(_clean_copy(tmp_path))
    assert shown(clean_report) is clean_report  # nothing to show differently: no copy


def _clean_copy(tmp_path: Path) -> Path:
    path = tmp_path / "plain.yaml"
    path.write_text(violating(waiver=True), encoding="utf-8")
    return path


def _no_raw(text: str, allowed: str = "\n") -> None:
    bad = [ch for ch in text if ch not in allowed and (ch in RAW or ord(ch) < 32)]
    assert not bad, f"raw control characters {bad!r} in output"


@pytest.mark.parametrize("fmt", ["table", "markdown", "github"])
def test_check_formats_show_control_characters(tmp_path: Path, fmt: str) -> None:
    manifest = evil_manifest(tmp_path)
    code, out, err = run(["check", str(manifest), "--as-of", AS_OF, "--format", fmt])
    assert code == 1, err
    _no_raw(out)
    for piece in SHOWN:
        assert piece in out, (piece, out)


def test_github_lines_are_all_commands_or_the_summary(tmp_path: Path) -> None:
    manifest = evil_manifest(tmp_path)
    _, out, _ = run(["check", str(manifest), "--as-of", AS_OF, "--format", "github"])
    for line in out.splitlines():  # no line break of the manifest starts a command of its own
        assert line.startswith(("::error ", "::warning ", "::notice ", "steer: ")), line


def test_markdown_table_rows_stay_rows(tmp_path: Path) -> None:
    manifest = evil_manifest(tmp_path)
    _, out, _ = run(["check", str(manifest), "--as-of", AS_OF, "--format", "markdown"])
    waived = [line for line in out.splitlines() if "\\x07 ring" in line]
    assert len(waived) == 1 and waived[0].startswith("| ") and waived[0].endswith(" |")


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_whatif_formats_show_control_characters(tmp_path: Path, fmt: str) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(violating(), encoding="utf-8")
    scenario = tmp_path / "s.yaml"
    scenario.write_text(
        f'name: drop-crm\nquestion: "{EVIL_YAML}"\npatch:\n  flows:\n    crm-sync: null\n',
        encoding="utf-8",
    )
    code, out, err = run(
        ["whatif", str(manifest), str(scenario), "--as-of", AS_OF, "--format", fmt]
    )
    assert code in (0, 1), err
    _no_raw(out)
    # Markdown escapes the backslash itself (\\x1b, which a page shows as \x1b)
    assert re.search(r"\\+x1b\\?\[31mred", out) and re.search(r"\\+u202eevil", out), out


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_transfers_formats_show_control_characters(tmp_path: Path, fmt: str) -> None:
    manifest = tmp_path / "m.yaml"
    text = violating().replace(
        "  crm-sync: {from: crm-api,", '  crm-sync: {purpose: "x", from: crm-api,'
    )
    manifest.write_text(text, encoding="utf-8")
    # the manifest file's own name is shown in the heading: give it an ESC
    evil = tmp_path / "m\x1b[2J.yaml"
    evil.write_text(text, encoding="utf-8")
    code, out, err = run(["transfers", str(evil), "--as-of", AS_OF, "--format", fmt])
    assert code == 0, err
    _no_raw(out)
    assert "\\x1b[2J" in out


def test_html_escapes_control_characters(tmp_path: Path) -> None:
    manifest = tmp_path / "evil\x1b[2J\x07.yaml"  # the page names its manifest file
    manifest.write_text(violating(), encoding="utf-8")
    page = tmp_path / "page.html"
    code, _, err = run(
        ["check", str(manifest), "--as-of", AS_OF, "--format", "html", "--output", str(page)]
    )
    assert code == 1, err
    html = page.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\x07" not in html
    assert "evil\\x1b[2J\\x07.yaml" in html
