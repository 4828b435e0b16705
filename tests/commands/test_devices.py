"""--output onto something that exists and is no regular file (a device, a pipe,
/dev/stdout, a link to one) is written in place and never replaced; a regular file
is still replaced atomically (through a link: the file, the link kept). Inputs that
are no regular file are refused before anything opens them (a pipe would block).
Never the real /dev/null: a private device or a FIFO in a temporary folder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from steer.commands.output import write_atomic
from steer.errors import UsageError
from support import AS_OF, ROOT, clean, cwd, run

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _reader(fifo: Path, got: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@needs_fifo
@pytest.mark.parametrize("through_link", [False, True])
def test_output_to_a_fifo_writes_into_it(tmp_path: Path, through_link: bool) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    target = fifo
    if through_link:
        target = tmp_path / "link"
        target.symlink_to(fifo)
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    got: list[bytes] = []
    thread = _reader(fifo, got)
    with cwd(tmp_path):
        code, out, err = run(
            ["check", "m.steer.yaml", "--as-of", AS_OF, "--no-config", "--format", "json",
             "--output", target.name]
        )  # fmt: skip
    thread.join(10)
    assert (code, out) == (0, ""), err
    assert got and got[0].startswith(b"{") and b'"findings"' in got[0]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)  # still the pipe, not a file
    if through_link:
        assert target.is_symlink() and target.readlink() == fifo


def test_output_to_a_regular_file_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_atomic(link, "new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_output_to_a_private_null_device_keeps_the_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as exc:
        pytest.skip(f"cannot make a character device here: {exc}")
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    link = tmp_path / "to-null"
    link.symlink_to(null)
    with cwd(tmp_path):
        for name in ("null", "to-null"):
            code, out, err = run(
                ["check", "m.steer.yaml", "--as-of", AS_OF, "--no-config", "--output", name]
            )
            assert (code, out) == (0, ""), err
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert null.lstat().st_rdev == os.makedev(1, 3)
    assert link.is_symlink()


def test_output_to_dev_stdout_prints_the_report(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "checker"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "steer", "check", "m.steer.yaml", "--as-of", AS_OF,
         "--no-config", "--format", "json", "--output", "/dev/stdout"],
        cwd=tmp_path, env=env, capture_output=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"{") and b'"findings"' in done.stdout


def test_output_to_dev_stdout_redirected_to_a_file_writes_that_file(tmp_path: Path) -> None:
    """stdout is a regular file here: written through the descriptor, not replaced
    by a new file that the shell's descriptor would never see."""
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "checker"), "NO_COLOR": "1"}
    out = tmp_path / "out.txt"
    with out.open("wb") as handle:
        done = subprocess.run(
            [sys.executable, "-m", "steer", "check", "m.steer.yaml", "--as-of", AS_OF,
             "--no-config", "--output", "/dev/stdout"],
            cwd=tmp_path, env=env, stdout=handle, stderr=subprocess.PIPE, timeout=120,
            check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "rules passed" in out.read_text(encoding="utf-8")


def test_output_that_is_a_link_loop_or_a_folder(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(UsageError, match="symbolic link loop"):
        write_atomic(tmp_path / "loop", "x")
    with pytest.raises(UsageError, match="is a folder"):
        write_atomic(tmp_path, "x")


@needs_fifo
@pytest.mark.parametrize(
    "argv, expected",
    [
        (["check", "THE"], "a YAML file"),
        (["check", "m.steer.yaml", "--baseline", "THE"], "a JSON report"),
        (["check", "m.steer.yaml", "--config", "THE"], "a TOML file"),
        (["check", "m.steer.yaml", "--scenario", "THE"], "a YAML file"),
        (["check", "m.steer.yaml", "--terraform", "THE"], "a file with the JSON"),
        (["whatif", "m.steer.yaml", "THE"], "a YAML file"),
        (["transfers", "THE"], "a YAML file"),
        (["graph", "THE"], "a YAML file"),
        (["import", "terraform", "THE"], "a file with the JSON"),
    ],
)
def test_a_fifo_as_an_input_is_refused_without_blocking(
    tmp_path: Path, argv: list[str], expected: str
) -> None:
    """Opening a FIFO for reading would wait for a writer forever: never opened."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    with cwd(tmp_path):
        code, _, err = run([a.replace("THE", "fifo") for a in argv])
    assert code == 2
    assert f"fifo: not a regular file; expected {expected}" in err, err


def test_a_socket_as_the_manifest_is_refused(tmp_path: Path) -> None:
    import socket

    sock = socket.socket(socket.AF_UNIX)
    try:
        with cwd(tmp_path):
            sock.bind("sock")
            code, _, err = run(["check", "sock"])
    except OSError as exc:  # a path too long for AF_UNIX
        pytest.skip(str(exc))
    finally:
        sock.close()
    assert (code, err) == (2, "sock: not a regular file; expected a YAML file\n")


def test_a_symlink_loop_as_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "loop.steer.yaml").symlink_to("loop.steer.yaml")
    with cwd(tmp_path):
        code, _, err = run(["check", "loop.steer.yaml", "--no-config"])
    assert (code, err) == (2, "loop.steer.yaml: symbolic link loop; expected a YAML file\n")
