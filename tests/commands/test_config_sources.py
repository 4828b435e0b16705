"""Configuration files that cannot be decoded are errors at their path and line:col,
never silently passed over (their fail_on would be lost); and an error in a value the
file sets is blamed on the file's key at its line, never on a flag (issue 12). (select
and ignore from a file: tests/packs/test_pack_selection.py of the packs work.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from steer.commands.config import resolve
from steer.errors import Mark, UsageError
from steer.results.baseline import load as load_baseline
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
    assert "--" not in err.split(": ", 2)[1]


def test_the_file_and_flag_mark_of_a_value(tmp_path: Path) -> None:
    (tmp_path / ".steer.toml").write_text('fail_on = "warning"\n\nselect = ["CN-DS-001"]\n')
    with cwd(tmp_path):
        cfg = resolve({})
        assert str(cfg.origin("select")) == ".steer.toml:3:1"
        assert cfg.origin("ignore") is None
        flagged = resolve({"select": ["CN-DS-002"]})
        assert flagged.origin("select") is None  # the flag's value is in effect


def test_a_configured_baseline_that_is_missing_is_blamed_on_the_file(tmp_path: Path) -> None:
    """What check passes as the baseline's origin when the file sets it."""
    with pytest.raises(UsageError) as caught:
        load_baseline(
            tmp_path / "gone.json", "gone.json", ("baseline", Mark("pyproject.toml", 4, 1))
        )
    assert str(caught.value).startswith(
        "pyproject.toml:4:1: baseline gone.json: no such file; record one with"
    )


def test_the_flag_is_blamed_when_the_flag_sets_it(tmp_path: Path) -> None:
    setup(tmp_path, ".steer.toml", b'select = ["CN-DS-001"]\n')
    with cwd(tmp_path):
        code, _, err = run(["check", "a.steer.yaml", "--as-of", AS_OF, "--select", "CN-ZZ-1"])
        assert code == 2
        assert err.startswith("steer: --select: no guardrail 'CN-ZZ-1'"), err
        code, _, err = run(["check", "a.steer.yaml", "--baseline", "gone.json"])
        assert code == 2
        assert err.startswith("steer: --baseline gone.json: no such file"), err


def test_check_blames_a_configured_baseline_on_the_file(tmp_path: Path) -> None:
    """End to end: `baseline = ...` in the file that names no file is the file's error."""
    setup(tmp_path, ".steer.toml", b'fail_on = "never"\n\nbaseline = "gone.json"\n')
    with cwd(tmp_path):
        code, out, err = run(["check", "a.steer.yaml", "--as-of", AS_OF])
    assert (code, out) == (2, "")
    assert err.startswith(".steer.toml:3:1: baseline gone.json: no such file"), err
