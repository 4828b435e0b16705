"""The pre-commit hook: .pre-commit-hooks.yaml is a valid hook manifest whose file
pattern agrees with steer's own manifest globs, and the real `pre-commit try-repo`
against this checkout fails on a violating manifest and passes on a clean one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from steer.loading.discover import DEFAULT_GLOBS, matches
from support import ROOT, clean, violating

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict[str, object]:
    (only,) = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    assert isinstance(only, dict)
    return only


def test_hook_manifest_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(HOOKS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    h = hook()
    assert (h["id"], h["entry"], h["language"], h["pass_filenames"]) == (
        "steer-check",
        "steer check",
        "python",
        True,
    )


@pytest.mark.parametrize(
    "path",
    [
        "steer.yaml",
        "steer.yml",
        "deploy/steer.yaml",
        "deploy/cn/platform.steer.yaml",
        "a.steer.yml",
        "steer.yaml.bak",
        "notsteer.yaml",
        "deploy/platform.yaml",
        "steer.json",
        "deploy/steer/x.yaml",
        "x.steer.yaml/readme.md",
    ],
)
def test_hook_files_agree_with_the_default_globs(path: str) -> None:
    pattern = hook()["files"]
    assert isinstance(pattern, str)
    assert bool(re.search(pattern, path)) == matches(path, DEFAULT_GLOBS)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.email=ci@steer.invalid",
            "-c",
            "user.name=steer tests",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        env=_env(),
    )


def _env(**extra: str) -> dict[str, str]:
    # run from inside a git hook, GIT_DIR and GIT_INDEX_FILE would point at this repository
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.pop("PRE_COMMIT", None)
    env.update(NO_COLOR="1", **extra)
    return env


_IGNORE = shutil.ignore_patterns(
    ".git",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    "*.egg-info",
    ".venv",
    "build",
    "dist",
    ".benchmarks",
)
_NETWORK = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Network is unreachable|"
    r"ConnectTimeout|ReadTimeout|No matching distribution found|Could not fetch URL",
)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout's working tree, committed in a repository of its own: pre-commit
    installs a hook repository from its git HEAD, and our changes may be uncommitted."""
    src = tmp_path_factory.mktemp("hook") / "steer"
    shutil.copytree(ROOT, src, ignore=_IGNORE, symlinks=True)
    _git(src, "init", "-q")
    _git(src, "add", "-A")
    _git(src, "commit", "-q", "-m", "snapshot of the working tree")
    return src


@pytest.fixture(scope="module")
def user_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("user") / "project"
    (repo / "deploy").mkdir(parents=True)
    (repo / "deploy" / "platform.steer.yaml").write_text(violating(), encoding="utf-8")
    (repo / "deploy" / "dealers.steer.yaml").write_text(clean(), encoding="utf-8")
    (repo / "deploy" / "notes.yaml").write_text("not: a manifest\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def try_repo(
    hook_repo: Path, user_repo: Path, home: Path, *files: str
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repo),
            "steer-check",
            "--verbose",
            "--files",
            *files,
        ],
        cwd=user_repo,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env=_env(PRE_COMMIT_HOME=str(home)),
    )
    output = result.stdout + result.stderr
    ran = re.search(r"steer check\.+(Passed|Failed)", output)
    if not ran and _NETWORK.search(output):  # the hook never ran: pip could not reach an index
        pytest.skip(
            "pre-commit could not install steer's dependencies (no network to the package index)"
        )
    return result


@pytest.mark.slow
def test_pre_commit_hook_passes_and_fails(
    hook_repo: Path, user_repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    home = tmp_path_factory.mktemp("pre-commit-home")
    # a clean manifest passes; notes.yaml does not match the hook's files and is not passed
    ok = try_repo(hook_repo, user_repo, home, "deploy/dealers.steer.yaml", "deploy/notes.yaml")
    out = ok.stdout + ok.stderr
    assert ok.returncode == 0, out
    assert re.search(r"steer check\.+Passed", out), out
    assert (
        "deploy/dealers.steer.yaml as of" in out and "notes.yaml" not in out.split("Passed", 1)[1]
    )
    # a violating manifest fails the hook, with its findings and lines in the output
    bad = try_repo(
        hook_repo, user_repo, home, "deploy/platform.steer.yaml", "deploy/dealers.steer.yaml"
    )
    out = bad.stdout + bad.stderr
    assert bad.returncode == 1, out
    assert re.search(r"steer check\.+Failed", out), out
    assert "- exit code: 1" in out
    assert (
        "CN-XB-001" in out
        and "flows.crm-sync" in out
        and "owner-db -> crm-api -> global-crm" in out
    )
    assert "4 errors, 0 warnings" in out
