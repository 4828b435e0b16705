"""Configuration files that cannot be decoded are errors at their path and line:col,
never silently passed over (their fail_on would be lost); and an error in a value the
file sets is blamed on the file's key at its line, never on a flag (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import AS_OF, cwd, run, violating


def setup(folder: Path, name: str, content: bytes) -> None:
    (folder / "a.steer.yaml").write_text(violating(), encoding="utf-8")
    (folder / name).write_bytes(content)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            ".steer.toml",
            b'fail_on = "never"\n# caf\xe9\n',
            ".steer.toml:2:6: invalid UTF-8 (byte 0xe9); expected TOML as UTF-8 text",
        ),
        (
            "pyproject.toml",
            b'[tool.steer]\nfail_on = "never"\nname = "caf\xe9"\n',
            "pyproject.toml:3:12: invalid UTF-8 (byte 0xe9); expected TOML as UTF-8 text",
        ),
        (
            "pyproject.toml",
            '[tool.steer]\nfail_on = "never"\n'.encode("utf-16"),
            "pyproject.toml:1:1: the file is UTF-16",
        ),
        (
            "pyproject.toml",
            b'[tool.steer\nfail_on = "never"\n',
            "pyproject.toml:1:12: invalid TOML:",
        ),
        (
            ".steer.toml",
            b'fail_on = "never"\nx = ' + b"[" * 3000 + b"]" * 3000 + b"\n",
            ".steer.toml:2:105: nesting deeper than 100 levels; expected TOML of a few levels",
        ),
        (
            ".steer.toml",
            b'fail_on = "never"\n# [[[[ a comment ' + b"[" * 200 + b"\nx = [[1]]\n",
            None,  # brackets in a comment are not nesting: the file is read
        ),
    ],
)
def test_an_undecodable_config_is_an_error_at_its_position(
    tmp_path: Path, name: str, content: bytes, message: str | None
) -> None:
    setup(tmp_path, name, content)
    with cwd(tmp_path):
        code, out, err = run(["check", "a.steer.yaml", "--as-of", AS_OF])
    if message is None:
        assert "x" in err and code == 2  # read: the unknown key x is its error
        assert err.startswith(".steer.toml:3:1: unknown key x"), err
        return
    assert (code, out) == (2, "")
    assert err.startswith(message), err


def test_a_broken_pyproject_of_another_tool_is_still_passed_over(tmp_path: Path) -> None:
    setup(tmp_path, "pyproject.toml", b'[project]\nname = "caf\xe9\n[')
    with cwd(tmp_path):
        code, _, err = run(["check", "a.steer.yaml", "--as-of", AS_OF])
    assert code == 1, err


def test_steer_config_reports_it_too(tmp_path: Path) -> None:
    setup(tmp_path, ".steer.toml", b"fail_on = \xff\n")
    with cwd(tmp_path):
        code, out, err = run(["config"])
    assert (code, out) == (2, "")
    assert err.startswith(".steer.toml:1:11: invalid UTF-8 (byte 0xff)"), err


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[tool.steer]\nfail_on = "warning"\nselect = ["CN-ZZ-999"]\n',
            "pyproject.toml:3:1: tool.steer.select: no guardrail 'CN-ZZ-999' in the loaded packs",
        ),
        (
            ".steer.toml",
            'ignore = "CN-DS-01"\n',
            ".steer.toml:1:1: ignore: no guardrail 'CN-DS-01' in the loaded packs; "
            "did you mean CN-DS-001?",
        ),
        (
            "pyproject.toml",
            '[tool.steer]\n\nbaseline = "nothere.json"\n',
            "pyproject.toml:3:1: tool.steer.baseline nothere.json: no such file",
        ),
        (
            ".steer.toml",
            'fail_on = "sometimes"\n',
            '.steer.toml:1:1: fail_on: expected one of error, warning, never, got "sometimes"',
        ),
        (
            ".steer.toml",
            'format = ["tabel"]\n',
            ".steer.toml:1:1: format: 'tabel': unknown format 'tabel'; did you mean table?",
        ),
    ],
)
def test_a_config_value_is_blamed_on_the_file(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    setup(tmp_path, name, text.encode())
    with cwd(tmp_path):
        code, out, err = run(["check", "a.steer.yaml", "--as-of", AS_OF])
    assert (code, out) == (2, "")
    assert err.startswith(message), err
    assert "--select" not in err and "--ignore" not in err and "--baseline" not in err


def test_the_flag_is_blamed_when_the_flag_sets_it(tmp_path: Path) -> None:
    setup(tmp_path, ".steer.toml", b'select = ["CN-DS-001"]\n')
    with cwd(tmp_path):
        code, _, err = run(["check", "a.steer.yaml", "--as-of", AS_OF, "--select", "CN-ZZ-1"])
        assert code == 2
        assert err.startswith("steer: --select: no guardrail 'CN-ZZ-1'"), err
        code, _, err = run(["check", "a.steer.yaml", "--baseline", "gone.json"])
        assert code == 2
        assert err.startswith("steer: --baseline gone.json: no such file"), err
