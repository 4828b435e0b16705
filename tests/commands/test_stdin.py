"""``-`` is standard input for ``steer check`` and standard output for ``steer init``:
``steer init - | steer check -`` works, and positions and reports name the manifest
``<stdin>``."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import AS_OF, ROOT, clean, cwd, run, violating


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))


def test_init_dash_prints_the_starter(tmp_path: Path) -> None:
    with cwd(tmp_path):
        code, out, err = run(["init", "-"])
    assert (code, err) == (0, "")
    assert out.startswith("# steer deployment manifest")
    assert list(tmp_path.iterdir()) == []  # no file named -


def test_check_dash_reads_the_manifest_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, violating())
    with cwd(tmp_path):
        code, out, err = run(["check", "-", "--as-of", AS_OF, "--no-config", "--format", "json"])
    assert code == 1, err
    report = json.loads(out)
    assert report["manifest"] == "<stdin>"
    assert report["findings"]
    assert {f["location"]["file"] for f in report["findings"]} == {"<stdin>"}


def test_check_dash_positions_name_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _stdin(monkeypatch, "version: 1\nname: [unclosed\n")
    with cwd(tmp_path):
        code, _, err = run(["check", "-", "--no-config"])
    assert code == 2
    assert err.startswith("<stdin>:"), err
    line_col = err.split(":")[1:3]
    assert all(part.isdigit() for part in line_col), err


def test_check_dash_schema_error_names_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, clean().replace("version: 1", "version: 7"))
    with cwd(tmp_path):
        code, _, err = run(["check", "-", "--no-config"])
    assert code == 2 and err.startswith("<stdin>:1:"), err


def test_init_dash_into_check_dash_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "checker"), "NO_COLOR": "1"}
    steer = [sys.executable, "-m", "steer"]
    starter = subprocess.run(
        [*steer, "init", "-"], cwd=tmp_path, env=env, capture_output=True, timeout=120, check=True
    ).stdout
    done = subprocess.run(
        [*steer, "check", "-", "--no-config", "--format", "json"],
        cwd=tmp_path, env=env, input=starter, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["manifest"] == "<stdin>"
    assert list(tmp_path.iterdir()) == []
