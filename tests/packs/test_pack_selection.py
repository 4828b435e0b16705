"""A run that would check nothing is an error (exit 2), never "0 of 0 rules passed"
with exit 0: a --select that matches no guardrail (on the command line, or in the
configuration, which is then blamed at its line), a pack without a rules/ folder, a
pack without guardrails, ``steer test --select`` of an unknown id. Ids and globs of
--select and --ignore match in any case, as ``steer explain`` does; a pack that uses
itself says so at the line of the entry."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import AS_OF, clean, cwd, run

PACK = "id: acme\nname: ACME house rules\nprefix: ACME\ncategories: [governance]\n"


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "platform.yaml"
    path.write_text(clean(), encoding="utf-8")
    return path


def check(*args: str) -> tuple[int, str, str]:
    return run(["check", *args, "--as-of", AS_OF])


def test_select_glob_matching_nothing_is_an_error(manifest: Path) -> None:
    code, out, err = check(str(manifest), "--select", "XX-*")
    assert code == 2 and out == ""
    assert err == (
        "steer: --select: 'XX-*' matches no guardrail in the loaded packs (cn); expected "
        "an id or a glob that matches one (see steer rules)\n"
    )


def test_select_glob_matching_only_steer_checks_without_terraform(manifest: Path) -> None:
    code, out, err = check(str(manifest), "--select", "STEER-IAC-*")
    assert code == 2 and out == ""
    assert "--select STEER-IAC-* leaves none of the 23 guardrails" in err
    assert "STEER-IAC checks run only with --terraform" in err


def test_ignore_everything_is_an_error(manifest: Path) -> None:
    code, out, err = check(str(manifest), "--ignore", "CN-*")
    assert code == 2 and out == ""
    assert "--ignore CN-* leaves none of the 23 guardrails of the packs (cn) to check" in err


def test_ignore_glob_matching_nothing_is_harmless(manifest: Path) -> None:
    code, out, _ = check(str(manifest), "--ignore", "XX-*")
    assert code == 0 and "23 of 23 rules passed" in out


@pytest.mark.parametrize("config", [".steer.toml", "pyproject.toml"])
def test_configured_select_is_blamed_on_the_file(
    tmp_path: Path, manifest: Path, config: str
) -> None:
    table = "[tool.steer]\n" if config == "pyproject.toml" else ""
    (tmp_path / config).write_text(f'{table}fail_on = "error"\nselect = ["XX-*"]\n', "utf-8")
    line = 3 if table else 2
    with cwd(tmp_path):
        code, out, err = check("platform.yaml")
    assert code == 2 and out == ""
    assert err.startswith(f"{config}:{line}:1: select: 'XX-*' matches no guardrail"), err
    assert "--select" not in err


def test_configured_unknown_id_and_ignore_are_blamed_on_the_file(
    tmp_path: Path, manifest: Path
) -> None:
    (tmp_path / ".steer.toml").write_text('select = ["CN-XB-01"]\n', "utf-8")
    with cwd(tmp_path):
        code, _, err = check("platform.yaml")
        assert code == 2
        assert err == (
            ".steer.toml:1:1: select: no guardrail 'CN-XB-01' in the loaded packs; "
            "did you mean CN-XB-001?\n"
        )
        (tmp_path / ".steer.toml").write_text('ignore = ["cn-*"]\n', "utf-8")
        code, _, err = check("platform.yaml")
        assert code == 2
        assert err.startswith(".steer.toml:1:1: ignore cn-* leaves none of the 23"), err
        # the flag overrides the file: the flag is then to blame
        code, _, err = check("platform.yaml", "--select", "YY-*")
        assert code == 2 and err.startswith("steer: --select: 'YY-*' matches no guardrail")


def test_configured_pack_that_does_not_exist_is_blamed_on_the_file(
    tmp_path: Path, manifest: Path
) -> None:
    (tmp_path / ".steer.toml").write_text('strict = false\npacks = ["cn", "./nope"]\n', "utf-8")
    with cwd(tmp_path):
        code, out, err = check("platform.yaml")
        assert code == 2 and out == ""
        assert err == (
            ".steer.toml:2:1: packs[1]: no such guardrail pack 'nope': expected a built-in "
            "pack (cn) or a folder holding pack.yaml\n"
        )
        code, _, err = check("platform.yaml", "--pack", "nope")
        assert code == 2
        assert err.startswith("steer: --pack nope: no such guardrail pack 'nope'"), err
        assert "platform.yaml" not in err  # the manifest did not name it


@pytest.mark.parametrize(
    ("select", "ignore", "passed"),
    [
        ("cn-xb-001", None, "1 of 1 rule passed"),
        ("cn-ds-*", None, "5 of 5 rules passed"),
        ("Cn-Ds-*", "cn-ds-001,CN-DS-00[23]", "2 of 2 rules passed"),
        (None, "cn-xb-*", "17 of 17 rules passed"),
    ],
)
def test_ids_match_in_any_case(
    manifest: Path, select: str | None, ignore: str | None, passed: str
) -> None:
    args = [str(manifest)]
    args += ["--select", select] if select else []
    args += ["--ignore", ignore] if ignore else []
    code, out, err = check(*args)
    assert code == 0, err
    assert out.splitlines()[-1].endswith(passed), out


def test_ids_match_in_any_case_in_the_config(tmp_path: Path, manifest: Path) -> None:
    (tmp_path / ".steer.toml").write_text('select = ["cn-xb-001", "cn-ds-001"]\n', "utf-8")
    with cwd(tmp_path):
        code, out, err = check("platform.yaml")
    assert code == 0, err
    assert out.splitlines()[-1].endswith("2 of 2 rules passed")


def make_pack(tmp_path: Path, rules: str = "folder") -> Path:
    root = tmp_path / "acme"
    root.mkdir()
    (root / "pack.yaml").write_text(PACK + "uses: [cn]\n", encoding="utf-8")
    if rules == "folder":
        (root / "rules").mkdir()
    elif rules == "file":
        (root / "rules").write_text("", encoding="utf-8")
    return root


@pytest.mark.parametrize("command", ["check", "test", "rules"])
def test_pack_with_rules_as_a_file_is_refused(tmp_path: Path, manifest: Path, command: str) -> None:
    pack = make_pack(tmp_path, "file")
    argv = {
        "check": ["check", str(manifest), "--pack", str(pack), "--as-of", AS_OF],
        "test": ["test", str(pack)],
        "rules": ["rules", "--pack", str(pack)],
    }[command]
    with cwd(tmp_path):
        code, out, err = run(argv)
    assert code == 2, out + err
    assert (
        "acme/pack.yaml: acme is not a guardrail pack: its rules/ is not a folder; expected "
        "a folder rules/ holding one guardrail a file (rules/*.yaml)"
    ) in err
    assert "rules passed" not in out


@pytest.mark.parametrize("rules", ["missing", "folder"])
def test_pack_without_guardrails_checks_nothing_and_says_so(
    tmp_path: Path, manifest: Path, rules: str
) -> None:
    """No rules/ folder (a pack of catalogs that others build on), or an empty one: a
    run of that pack alone would check nothing, so it is refused."""
    pack = make_pack(tmp_path, rules)
    code, out, err = check(str(manifest), "--pack", str(pack))
    assert code == 2 and "rules passed" not in out
    assert (
        "the packs of this run (acme) hold no guardrail, so nothing would be checked; "
        "expected a pack with guardrails in rules/*.yaml"
    ) in err
    code, out, err = run(["test", str(pack)])
    assert code == 2 and "0 passed, 0 failed" not in out
    assert "pack acme holds no guardrail, so there is nothing to test" in err
    # beside a pack with guardrails, a pack of catalogs is fine
    code, out, err = check(str(manifest), "--pack", "cn", "--pack", str(pack))
    assert code == 0, err
    assert "23 of 23 rules passed" in out


@pytest.mark.parametrize("select", ["CN-FOO-001", "XX-*"])
def test_steer_test_select_of_unknown_id(select: str) -> None:
    code, out, err = run(["test", "--select", select])
    assert code == 2 and out == ""
    assert err.startswith("steer: --select: ") and f"'{select}'" in err


def test_steer_test_select_in_any_case() -> None:
    code, out, err = run(["test", "--select", "cn-ds-001"])
    assert code == 0, err
    assert "CN-DS-001" in out and "CN-DS-002" not in out


# -- uses ----------------------------------------------------------------------------
def write_pack(root: Path, pack_id: str, uses: list[str]) -> None:
    (root / "rules").mkdir(parents=True)
    listed = "".join(f"  - {u}\n" for u in uses)
    (root / "pack.yaml").write_text(
        f"id: {pack_id}\nname: {pack_id}\nprefix: X\ncategories: [governance]\nuses:\n{listed}",
        encoding="utf-8",
    )


def test_pack_that_uses_itself(tmp_path: Path) -> None:
    write_pack(tmp_path / "a", "a", ["cn", "."])
    with cwd(tmp_path):
        code, out, err = run(["rules", "--pack", "a"])
    assert code == 2, out
    assert err == (
        "a/pack.yaml:7:5: uses[1]: pack a uses itself: a → a; expected packs that build "
        "on others without a cycle\n"
    )


def test_packs_that_use_each_other(tmp_path: Path, manifest: Path) -> None:
    write_pack(tmp_path / "a", "a", ["cn", "../b"])
    write_pack(tmp_path / "b", "b", ["../c"])
    write_pack(tmp_path / "c", "c", ["cn", "../a"])
    with cwd(tmp_path):
        for _ in range(2):  # the second run reads the packs through the disk cache
            code, out, err = check("platform.yaml", "--pack", "a")
            assert code == 2, out
            assert err == (
                "c/pack.yaml:7:5: uses[1]: pack a uses itself: a → b → c → a; expected "
                "packs that build on others without a cycle\n"
            )
            assert "deeper than" not in err


def test_uses_of_a_missing_pack_gives_the_entry_line(tmp_path: Path) -> None:
    write_pack(tmp_path / "a", "a", ["cn", "../nope"])
    with cwd(tmp_path):
        code, _, err = run(["rules", "--pack", "a"])
    assert code == 2
    assert err.startswith("a/pack.yaml:7:5: uses[1]: no such guardrail pack '../nope'"), err


def test_a_long_chain_of_uses_is_refused_not_a_recursion_error(tmp_path: Path) -> None:
    for i in range(40):
        write_pack(tmp_path / f"p{i}", f"p{i}", [f"../p{i + 1}"])
    write_pack(tmp_path / "p40", "p40", ["cn"])
    with cwd(tmp_path):
        code, _, err = run(["rules", "--pack", "p0"])
    assert code == 2
    assert "uses[0]: packs build on packs more than 32 deep (p0 → p1 → p2 → …)" in err
    assert "Traceback" not in err
