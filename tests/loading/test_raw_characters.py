"""Characters YAML does not allow raw, directives of another YAML version, two merge
keys and a version written as 1.0 (issue 12): each is refused at its real line and
column with what was expected, never at 1:1 with PyYAML's "position N"."""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.errors import InputError
from steer.loading.parse import load_text
from support import run

HEAD = "version: 1\nname: demo\nprogramme:\n  name: "


@pytest.mark.parametrize(
    ("char", "label"),
    [
        ("\x1b", "U+001B (ESC)"),
        ("\x07", "U+0007 (BEL)"),
        ("\x7f", "U+007F (DEL)"),
        ("\x08", "U+0008 (BS)"),
        ("\x01", "U+0001"),
        ("\x85", "U+0085 (NEL)"),
        ("\x9b", "U+009B (CSI)"),
        ("\x80", "U+0080"),
        ("\ufffe", "U+FFFE"),
        ("\uffff", "U+FFFF"),
    ],
)
def test_a_raw_control_character_is_reported_where_it_is(char: str, label: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(HEAD + "ab" + char + "c\n", "m.yaml")
    message = str(caught.value)
    kind = "noncharacter" if ord(char) in (0xFFFE, 0xFFFF) else "control character"
    assert message.startswith(f"m.yaml:4:11: {kind} {label} written raw"), message
    assert "expected printable text" in message
    assert "position" not in message


def test_the_column_counts_characters_not_bytes() -> None:
    with pytest.raises(InputError) as caught:
        load_text(HEAD + "上海\x1b\n", "m.yaml")
    assert str(caught.value).startswith("m.yaml:4:11: control character U+001B (ESC)")


def test_a_control_character_in_a_key_or_comment_is_located_too() -> None:
    with pytest.raises(InputError) as caught:
        load_text("version: 1\n# note \x1b[31m red\nname: demo\n", "m.yaml")
    assert str(caught.value).startswith("m.yaml:2:8: control character U+001B (ESC)")


def test_escapes_in_double_quotes_are_fine() -> None:
    doc = load_text(HEAD + '"a\\e[31mb\\x07"\n', "m.yaml")
    assert doc.data["programme"]["name"] == "a\x1b[31mb\x07"


def test_tabs_and_crlf_are_not_control_characters_here() -> None:
    doc = load_text("version: 1\r\nname: 'a\tb'\r\n", "m.yaml")
    assert doc.data == {"version": 1, "name": "a\tb"}


def test_through_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_bytes((HEAD + "x\x1by\n").encode())
    code, out, err = run(["check", str(tmp_path / "m.yaml")])
    assert (code, out) == (2, "")
    assert ":4:10: control character U+001B (ESC) written raw in the file" in err


@pytest.mark.parametrize("version", ["2.0", "3.1"])
def test_a_yaml_directive_of_another_version_says_what_is_expected(version: str) -> None:
    with pytest.raises(InputError) as caught:
        load_text(f"%YAML {version}\n---\nversion: 1\nname: x\n", "m.yaml")
    message = str(caught.value)
    assert message.startswith("m.yaml:1:1: YAML syntax:"), message
    assert "expected %YAML 1.1 or %YAML 1.2" in message


def test_yaml_1_1_and_1_2_directives_are_read() -> None:
    for version in ("1.1", "1.2"):
        doc = load_text(f"%YAML {version}\n---\nversion: 1\nname: x\n", "m.yaml")
        assert doc.data == {"version": 1, "name": "x"}


@pytest.mark.parametrize(
    ("text", "line", "first"),
    [
        ("a: 1\nb:\n  <<: {x: 1}\n  <<: {y: 2}\n", 4, 3),
        ("base: &b {x: 1}\nc:\n  <<: [*b]\n  z: 1\n  <<: *b\n", 5, 3),
    ],
)
def test_two_merge_keys_are_a_duplicate_key(text: str, line: int, first: int) -> None:
    with pytest.raises(InputError) as caught:
        load_text(text, "m.yaml")
    message = str(caught.value)
    assert message.startswith(
        f"m.yaml:{line}:3: duplicate key '<<' (first defined at line {first})"
    ), message
    assert "'<<: [*a, *b]'" in message


def test_one_merge_key_of_several_mappings_is_fine() -> None:
    doc = load_text("a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n", "m.yaml")
    assert doc.data["c"] == {"x": 1, "y": 2, "z": 3}


@pytest.mark.parametrize(
    ("written", "fragment"),
    [
        ("1.0", "version: got the number 1.0, not the integer 1"),
        ("1.00", "version: got the number 1.0, not the integer 1"),
        ("true", "version: steer does not read format version True"),
        ("'1'", "version: got the text '1'"),
    ],
)
def test_version_must_be_the_integer_1(tmp_path: Path, written: str, fragment: str) -> None:
    (tmp_path / "m.yaml").write_text(f"version: {written}\nname: x\n", encoding="utf-8")
    code, out, err = run(["check", str(tmp_path / "m.yaml")])
    assert (code, out) == (2, "")
    assert f"m.yaml:1:10: {fragment}; expected 1" in err, err
