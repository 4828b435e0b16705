"""No hangs and no internal errors (issue 12): each input here is a normal run, or exit 2
with a position, never exit 3 or a traceback. Each runs steer in a fresh interpreter,
as a user's shell would (closed descriptors, odd encodings and a deleted folder cannot
be had in-process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import AS_OF, EXAMPLE, ROOT, clean

CHECKER = str(ROOT / "checker")


def steer(
    *argv: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    shell_suffix: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """``python -m steer ARGV`` from this worktree's code; ``shell_suffix`` adds shell
    redirections (``>&-``)."""
    environment = {**os.environ, "PYTHONPATH": CHECKER, **(env or {})}
    environment.pop("STEER_DEBUG", None)
    if shell_suffix:
        quoted = " ".join(_quote(a) for a in (sys.executable, "-m", "steer", *argv))
        return subprocess.run(
            f"{quoted} {shell_suffix}",
            shell=True,  # fixed arguments, quoted: the redirection is the point
            cwd=cwd,
            env=environment,
            capture_output=True,
            check=False,
            timeout=120,
        )
    return subprocess.run(
        [sys.executable, "-m", "steer", *argv],
        cwd=cwd,
        env=environment,
        capture_output=True,
        check=False,
        timeout=120,
    )


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


def no_bug(done: subprocess.CompletedProcess[bytes]) -> str:
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode in (0, 1, 2), (done.returncode, err)
    assert "Traceback" not in err and "internal error" not in err, err
    return err


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "ex.yaml"
    shutil.copy(EXAMPLE, path)
    return path


# -- dates ------------------------------------------------------------------------------
@pytest.mark.parametrize("go_live", ["2127-03-01", "9999-12-31", "1927-01-01", "0001-01-01"])
def test_a_far_go_live_is_refused_at_its_line(example: Path, go_live: str) -> None:
    text = example.read_text(encoding="utf-8").replace("go_live: 2027-03-01", f"go_live: {go_live}")
    example.write_text(text, encoding="utf-8")
    done = steer("check", "ex.yaml", "--as-of", AS_OF, cwd=example.parent)
    err = no_bug(done)
    assert done.returncode == 2
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "go_live:" in t)
    assert err.startswith(f"ex.yaml:{line}:12: programme.go_live: '{go_live}' is outside"), err
    assert "expected a date between 2000-01-01 and 2099-12-31" in err


@pytest.mark.parametrize("as_of", ["1927-01-01", "2100-01-01", "9999-12-31"])
def test_a_far_as_of_is_refused(example: Path, as_of: str) -> None:
    done = steer("check", "ex.yaml", "--as-of", as_of, cwd=example.parent)
    err = no_bug(done)
    assert done.returncode == 2
    assert f"--as-of '{as_of}': expected a date between 2000-01-01 and 2099-12-31" in err


def test_the_edges_of_the_date_range_are_judged(example: Path) -> None:
    """The first and last dates steer judges, with the longest spans the pack allows:
    a normal run (the working-day calendars reach that far)."""
    for as_of, go_live in (("2000-01-01", "2099-12-31"), ("2099-12-31", "2000-01-01")):
        done = steer(
            "check",
            "ex.yaml",
            "--as-of",
            as_of,
            "--set",
            "policy.regime=cn-2024",
            "--set",
            f"programme.go_live={go_live}",
            "--set",
            "policy.parameters.cac_review_working_days=9900",
            "--set",
            "policy.parameters.extension_window_working_days=10000",
            cwd=example.parent,
        )
        no_bug(done)
        assert done.returncode == 1, done.stderr


def test_a_far_date_from_set_and_scenario_is_refused(example: Path) -> None:
    done = steer(
        "check", "ex.yaml", "--as-of", AS_OF, "--set", "programme.go_live=2199-01-01",
        cwd=example.parent,
    )  # fmt: skip
    assert done.returncode == 2
    assert "'2199-01-01' is outside the dates steer judges" in no_bug(done)
    (example.parent / "s.yaml").write_text(
        "name: far\nquestion: far?\nas_of: 2100-01-01\npatch: {}\n", encoding="utf-8"
    )
    done = steer("check", "ex.yaml", "--scenario", "s.yaml", cwd=example.parent)
    err = no_bug(done)
    assert done.returncode == 2
    assert err.startswith("s.yaml:3:8: as_of: '2100-01-01' is outside the dates"), err


# -- huge working-day parameters ----------------------------------------------------------
@pytest.mark.parametrize("value", ["10001", "100000000", "1" + "0" * 30])
@pytest.mark.parametrize(
    "name",
    [
        "cac_review_working_days",
        "extension_window_working_days",
        "standard_contract_filing_working_days",
        "icp_filing_working_days",
        "psb_filing_days",
        "assessment_validity_years",
    ],
)
def test_huge_parameters_are_refused(example: Path, name: str, value: str) -> None:
    done = steer(
        "check", "ex.yaml", "--as-of", AS_OF, "--set", f"policy.parameters.{name}={value}",
        cwd=example.parent,
    )  # fmt: skip
    err = no_bug(done)
    assert done.returncode == 2
    assert f"policy.parameters.{name}" in err and "expected" in err, err


def test_a_huge_parameter_in_the_manifest_is_blamed_at_its_line(tmp_path: Path) -> None:
    text = clean().replace(
        "policy: {packs: [cn], regime: auto}\n",
        "policy:\n  packs: [cn]\n  parameters:\n    psb_filing_days: 99999999\n",
        1,
    )
    assert "psb_filing_days" in text
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    done = steer("check", "m.yaml", "--as-of", AS_OF, cwd=tmp_path)
    err = no_bug(done)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "psb_filing_days" in t)
    assert done.returncode == 2
    assert err.startswith(f"m.yaml:{line}:22: policy.parameters.psb_filing_days: 99999999 "), err
    assert "expected at most 10000 days" in err


# -- the console ------------------------------------------------------------------------
def test_closed_stdout_is_a_clear_error(example: Path) -> None:
    done = steer("check", "ex.yaml", "--as-of", AS_OF, cwd=example.parent, shell_suffix=">&-")
    err = no_bug(done)
    assert done.returncode == 2
    assert err == "steer: cannot write to standard output: it is closed\n"


def test_closed_stdout_does_not_stop_a_report_written_to_a_file(example: Path) -> None:
    done = steer(
        "check", "ex.yaml", "--as-of", AS_OF, "--output", "r.txt", cwd=example.parent,
        shell_suffix=">&-",
    )  # fmt: skip
    no_bug(done)
    assert done.returncode == 1
    assert "22 errors" in (example.parent / "r.txt").read_text(encoding="utf-8")


def test_closed_stderr_still_exits_2(tmp_path: Path) -> None:
    done = steer("check", "missing.yaml", cwd=tmp_path, shell_suffix="2>&-")
    assert done.returncode == 2


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "argv",
    [
        ("check", "ex.yaml", "--as-of", AS_OF),
        ("check", "ex.yaml", "--as-of", AS_OF, "--format", "markdown"),
        ("explain", "CN-ICP-003"),
        ("transfers", "ex.yaml", "--as-of", AS_OF),
    ],
)
def test_a_narrow_console_encoding_never_crashes(
    example: Path, encoding: str, argv: tuple[str, ...]
) -> None:
    done = steer(*argv, cwd=example.parent, env={"PYTHONIOENCODING": encoding})
    no_bug(done)
    assert done.returncode in (0, 1)
    assert done.stdout
    done.stdout.decode(encoding)  # what it printed is text of that encoding


def test_chinese_text_is_escaped_on_an_ascii_console(example: Path) -> None:
    done = steer(
        "check", "ex.yaml", "--as-of", AS_OF, "--format", "json", cwd=example.parent,
        env={"PYTHONIOENCODING": "ascii"},
    )  # fmt: skip
    no_bug(done)
    assert b"\\u" in done.stdout or b"\\x" in done.stdout or done.stdout.isascii()


# -- the environment --------------------------------------------------------------------
def test_a_deleted_working_folder_is_a_clear_error(example: Path, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    done = steer(
        "check",
        str(example),
        cwd=tmp_path,
        shell_suffix="",
        env={},
    )
    assert done.returncode == 1  # control: the same run from an existing folder
    script = f"cd {_quote(str(gone))} && rmdir {_quote(str(gone))} && "
    environment = {**os.environ, "PYTHONPATH": CHECKER}
    done = subprocess.run(
        script + f"{_quote(sys.executable)} -m steer check {_quote(str(example))}",
        shell=True,  # the shell's cd into a folder that then goes is the point
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        check=False,
        timeout=120,
    )
    err = no_bug(done)
    assert done.returncode == 2
    assert "the current folder no longer exists" in err


@pytest.mark.parametrize(
    "variables",
    [
        {"HOME": "/nonexistent/home", "XDG_CACHE_HOME": ""},
        {"HOME": "", "XDG_CACHE_HOME": ""},
        {"XDG_CACHE_HOME": "/tmp/" + "a" * 300},  # every stat of it fails (name too long)
        {"XDG_CACHE_HOME": "FILE"},  # a file where the cache folder should be
    ],
)
def test_an_unusable_home_or_cache_is_only_a_slower_run(
    example: Path, variables: dict[str, str]
) -> None:
    env = {k: (str(example) if v == "FILE" else v) for k, v in variables.items()}
    # deadlines in 2027, outside the exact calendar: the holidays cache is asked for
    done = steer("check", "ex.yaml", "--as-of", AS_OF, cwd=example.parent, env=env)
    no_bug(done)
    assert done.returncode == 1


def test_a_corrupted_holidays_cache_is_ignored(example: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    (cache / "steer").mkdir(parents=True)
    env = {"XDG_CACHE_HOME": str(cache)}
    first = steer("check", "ex.yaml", "--as-of", AS_OF, cwd=example.parent, env=env)
    assert first.returncode == 1
    files = list((cache / "steer").glob("holidays-cn-*.json"))
    assert files, "the run stores the holidays it looked up"
    for content in (
        "[1, 2]",
        '{"2027": [1]}',
        '{"2027": ["2027-99-99"]}',
        '{"2027": ["2031-01-01"]}',
        "{",
        "[" * 5000,
    ):
        files[0].write_text(content, encoding="utf-8")
        done = steer("check", "ex.yaml", "--as-of", AS_OF, cwd=example.parent, env=env)
        no_bug(done)
        assert done.stdout == first.stdout, content


# -- files nested or sized to break a parser --------------------------------------------
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"x": ' + "9" * 5000 + "}", "base.json:1:7: a number of 5000 digits"),
        ("[" * 100_000 + "]" * 100_000, "base.json:1:129: nesting deeper than 128 levels"),
        (
            '{"findings": [' + "[" * 100_000 + "]" * 100_000 + "]}",
            "base.json:1:141: nesting deeper than 128 levels",
        ),
    ],
)
def test_a_baseline_built_to_break_the_parser(example: Path, content: str, message: str) -> None:
    (example.parent / "base.json").write_text(content, encoding="utf-8")
    done = steer("check", "ex.yaml", "--baseline", "base.json", cwd=example.parent)
    err = no_bug(done)
    assert done.returncode == 2
    assert err.startswith(message), err


@pytest.mark.parametrize("opener", ["[", "{a = "])
def test_a_config_nested_3000_deep(example: Path, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    (example.parent / ".steer.toml").write_text(
        'fail_on = "warning"\nx = ' + opener * 3000 + closer * 3000 + "\n", encoding="utf-8"
    )
    done = steer("check", "ex.yaml", cwd=example.parent)
    err = no_bug(done)
    assert done.returncode == 2
    column = 4 + 100 * len(opener) + 1
    assert err.startswith(f".steer.toml:2:{column}: nesting deeper than 100 levels"), err
