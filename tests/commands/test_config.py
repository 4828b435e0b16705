"""Configuration: [tool.steer] in pyproject.toml or .steer.toml, found upward from the
current folder; flags override it; `steer config` shows every value and its source;
unknown keys and bad values are errors at their line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steer.commands.config import find, locate, resolve
from support import AS_OF, cwd, run, violating


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_lines(out: str) -> dict[str, tuple[str, str]]:
    """`steer config` output as key -> (value, source)."""
    rows = {}
    for line in out.splitlines()[1:]:
        setting, comment = line.split("  # ", 1)
        key, value = setting.rstrip().split(" = ", 1)
        rows[key] = (value, comment.split(": ", 1)[0])
    return rows


def test_found_upward_and_dotfile_wins(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.steer]\nfail_on = "warning"\n')
    sub = tmp_path / "deploy" / "eu"
    sub.mkdir(parents=True)
    assert find(sub) == (tmp_path / "pyproject.toml", "tool.steer")
    write(tmp_path / ".steer.toml", 'fail_on = "never"\n')
    assert find(sub) == (tmp_path / ".steer.toml", "")
    # a pyproject.toml of another tool (or one without [tool.steer]) is passed over
    write(sub / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 99\n')
    assert find(sub) == (tmp_path / ".steer.toml", "")
    write(sub / "pyproject.toml", "this is [ not toml, but not ours either\n")
    assert find(sub) == (tmp_path / ".steer.toml", "")


def test_show_values_and_sources(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "demo"\n\n[tool.steer]\nfail_on = "warning"\n'
        'format = ["table", "sarif:reports/steer.sarif"]\nselect = "CN-XB-*, CN-DS-*"\n'
        'manifests = ["deploy/**/*.steer.yaml"]\n',
    )
    with cwd(tmp_path):
        code, out, err = run(["config", "--strict", "--ignore", "CN-DS-003"])
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "# configuration: pyproject.toml [tool.steer] (root .)"
    rows = config_lines(out)
    assert rows["fail_on"] == ('"warning"', "pyproject.toml:5")
    assert rows["format"] == ('["table", "sarif:reports/steer.sarif"]', "pyproject.toml:6")
    assert rows["select"] == ('["CN-XB-*", "CN-DS-*"]', "pyproject.toml:7")
    assert rows["manifests"] == ('["deploy/**/*.steer.yaml"]', "pyproject.toml:8")
    assert rows["strict"] == ("true", "--strict")
    assert rows["ignore"] == ('["CN-DS-003"]', "--ignore")
    assert rows["packs"] == ("[]", "default")
    assert rows["baseline"] == ("(not set)", "default")
    assert list(rows) == [
        "packs",
        "format",
        "output",
        "fail_on",
        "strict",
        "select",
        "ignore",
        "baseline",
        "manifests",
        "exclude",
        "terraform",
    ]


def test_defaults_without_a_file(tmp_path: Path) -> None:
    with cwd(tmp_path):
        code, out, _ = run(["config"])
    assert code == 0
    assert out.startswith("# configuration: none found")
    rows = config_lines(out)
    assert rows["format"] == ('["table"]', "default")
    assert rows["fail_on"] == ('"error"', "default")
    assert (
        rows["manifests"][0]
        == '["**/*.steer.yaml", "**/*.steer.yml", "**/steer.yaml", "**/steer.yml"]'
    )


def test_flags_override_the_file(tmp_path: Path) -> None:
    write(tmp_path / ".steer.toml", 'fail_on = "never"\nformat = "json"\n')
    write(tmp_path / "m.steer.yaml", violating())
    with cwd(tmp_path):
        code, out, _ = run(["check", "m.steer.yaml", "--as-of", AS_OF])
        assert code == 0  # fail_on = never from the file
        assert json.loads(out)["summary"]["error"] == 4  # format = json from the file
        code, out, _ = run(
            ["check", "m.steer.yaml", "--as-of", AS_OF, "--fail-on", "error", "--format", "table"]
        )
        assert code == 1 and "rules passed" in out
        code, _, _ = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--no-config"])
        assert code == 1


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.steer]\nformat = ["table", "sarif:reports/steer.sarif"]\nbaseline = "ci/base.json"\n'
        'manifests = ["deploy/**/*.steer.yaml"]\n',
    )
    write(tmp_path / "deploy" / "eu" / "m.steer.yaml", violating())
    write(tmp_path / "deploy" / "notes.yaml", "not: a manifest\n")
    with cwd(tmp_path):
        code, _, err = run(["check", "--as-of", AS_OF, "--write-baseline", "ci/base.json"])
    assert (code, err) == (
        2,
        "pyproject.toml:2:1: format sarif:reports/steer.sarif: folder reports does not exist\n",
    )
    (tmp_path / "reports").mkdir()
    with cwd(tmp_path):
        code, _, err = run(["check", "--as-of", AS_OF, "--write-baseline", "ci/base.json"])
    assert (code, err) == (2, "steer: --write-baseline ci/base.json: folder ci does not exist\n")
    (tmp_path / "ci").mkdir()
    with cwd(tmp_path):
        assert (
            run(
                [
                    "check",
                    "deploy/eu/m.steer.yaml",
                    "--as-of",
                    AS_OF,
                    "--write-baseline",
                    "ci/base.json",
                    "--format",
                    "table",
                ]
            )[0]
            == 0
        )
    # from a sub-folder, with no arguments: the configured manifests, baseline and SARIF file
    with cwd(tmp_path / "deploy" / "eu"):
        code, out, err = run(["check", "--as-of", AS_OF])
    assert (code, err) == (0, "")
    assert "deploy/eu/m.steer.yaml" in out  # named from the project root, wherever steer runs
    assert "baseline ci/base.json: 4 known findings not shown" in out
    sarif = json.loads((tmp_path / "reports" / "steer.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["results"] == []


def test_packs_select_and_strict_from_the_file(tmp_path: Path) -> None:
    write(tmp_path / ".steer.toml", 'select = ["CN-INT-*"]\nstrict = true\npacks = ["cn"]\n')
    write(tmp_path / "m.steer.yaml", violating(ops=False))
    with cwd(tmp_path):
        code, out, _ = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "json"])
        report = json.loads(out)
        assert code == 1
        assert {f["rule"] for f in report["findings"]} == {"CN-INT-001"}
        code, out, _ = run(
            [
                "check",
                "m.steer.yaml",
                "--as-of",
                AS_OF,
                "--format",
                "json",
                "--select",
                "CN-OPS-*",
                "--no-strict",
            ]
        )
        assert {(f["rule"], f["level"]) for f in json.loads(out)["findings"]} == {
            ("CN-OPS-001", "warning")
        }
        assert code == 0


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.steer]\nfail_on = "error"\n  fail-on = "warning"\n',
            "pyproject.toml:6:3: unknown key tool.steer.fail-on; did you mean fail_on?",
        ),
        (
            ".steer.toml",
            '# settings\n\nformats = ["sarif"]\n',
            ".steer.toml:3:1: unknown key formats; did you mean format?",
        ),
        (
            ".steer.toml",
            'strict = "yes"\n',
            '.steer.toml:1:1: strict: expected true or false, got "yes"',
        ),
        (
            ".steer.toml",
            'fail_on = "errors"\n',
            ".steer.toml:1:1: fail_on: expected one of error, warning, never",
        ),
        (".steer.toml", "select = [1, 2]\n", ".steer.toml:1:1: select: expected a list of strings"),
        (
            ".steer.toml",
            'format = ["tabel"]\n',
            ".steer.toml:1:1: format: 'tabel': unknown format 'tabel'; did you mean table?",
        ),
        (
            ".steer.toml",
            'format = ["table", "json"]\n',
            ".steer.toml:1:1: format: table and json would both go to the console",
        ),
        (
            ".steer.toml",
            "[tool.steer]\nstrict = true\n",
            ".steer.toml:1:1: unknown key tool; in .steer.toml the keys stand at the top level",
        ),
        (".steer.toml", 'fail_on = "error\n', ".steer.toml:1:17: invalid TOML: Illegal character"),
        (
            "pyproject.toml",
            "[tool.steer]\n[tool.steer.rules]\nx = 1\n",
            "pyproject.toml:2:1: unknown key tool.steer.rules",
        ),
    ],
)
def test_bad_configuration_is_a_located_error(
    tmp_path: Path, name: str, text: str, error: str
) -> None:
    write(tmp_path / name, text)
    write(tmp_path / "m.steer.yaml", violating())
    with cwd(tmp_path):
        for argv in (["check", "m.steer.yaml"], ["config"]):
            code, out, err = run(argv)
            assert (code, out) == (2, ""), err
            assert err.startswith(error), err


def test_explicit_config_file(tmp_path: Path) -> None:
    write(tmp_path / "ci" / "strict.toml", 'fail_on = "warning"\n')
    write(
        tmp_path / "m.steer.yaml",
        violating(crm=False, ops=False).replace("records: 50000", "records: 50000"),
    )
    with cwd(tmp_path):
        code, out, _ = run(["config", "--config", "ci/strict.toml"])
        assert config_lines(out)["fail_on"] == ('"warning"', "ci/strict.toml:1")
        code, out, err = run(["check", "m.steer.yaml", "--config", "ci/missing.toml"])
        assert (code, err) == (2, "steer: --config ci/missing.toml: no such file\n")


def test_flag_errors_name_the_flag(tmp_path: Path) -> None:
    with cwd(tmp_path):
        assert run(["check", "x.yaml", "--fail-on", "loud"])[2] == (
            "steer: --fail-on 'loud': expected one of error, warning, never\n"
        )
        err = run(["check", "x.yaml", "--format", "sarif:"])[2]
        assert err == "steer: --format 'sarif:': expected a file after ':'\n"
        err = run(["check", "x.yaml", "--format", "sarif:a.json", "--format", "json=a.json"])[2]
        assert err == "steer: --format two formats name the same file\n"
        err = run(["check", "x.yaml", "--format", "sarif:r.txt", "--output", "r.txt"])[2]
        assert err == "steer: --output r.txt: --format sarif:r.txt writes the same file\n"
        Path("m.steer.yaml").write_text(violating(), encoding="utf-8")
        empty = '{"manifest": "m.steer.yaml", "findings": []}'
        Path("base.json").write_text(empty, encoding="utf-8")
        err = run(["check", "m.steer.yaml", "--write-baseline", "m.steer.yaml"])[2]
        assert err == (
            "steer: --write-baseline m.steer.yaml is an input of this run (a manifest); "
            "steer never writes to its inputs\n"
        )
        argv = ["check", "m.steer.yaml", "--baseline", "base.json", "--format", "sarif:base.json"]
        err = run(argv)[2]
        assert err == (
            "steer: --format sarif:base.json is an input of this run (the --baseline file); "
            "steer never writes to its inputs\n"
        )
        # updating a baseline in place is allowed
        argv = ["check", "m.steer.yaml", "--baseline", "base.json", "--write-baseline", "base.json"]
        assert run(argv)[0] == 0
        assert len(json.loads(Path("base.json").read_text(encoding="utf-8"))["findings"]) == 4


def test_locate_finds_keys_in_their_table() -> None:
    text = (
        '[tool.other]\nfail_on = 1\n\n[tool.steer]\n# comment\n"select" = ["x"]\n'
        'fail_on = "error"\n'
    )
    assert (
        locate(text, "tool.steer", "fail_on", "p").line,
        locate(text, "tool.steer", "select", "p").line,
    ) == (7, 6)
    assert locate(text, "tool.steer", "absent", "p").line == 4  # the table's header


def test_resolve_keeps_defaults_apart_from_flags(tmp_path: Path) -> None:
    cfg = resolve(
        {"fail_on": None, "strict": False, "format": ["json", "sarif:x.sarif"]},
        isolated=True,
        cwd=tmp_path,
    )
    assert cfg.sources["fail_on"] == "default" and cfg["fail_on"] == "error"
    assert cfg.sources["strict"] == "--strict" and cfg["strict"] is False  # --no-strict was given
    assert cfg.console_format == "json"
    assert cfg.extra_outputs == (("sarif", tmp_path / "x.sarif"),)


def test_pack_folders_are_relative_to_the_config_file(tmp_path: Path) -> None:
    import shutil

    from support import ROOT

    shutil.copytree(ROOT / "guardrails" / "cn", tmp_path / "packs" / "our-cn")
    write(tmp_path / ".steer.toml", 'packs = ["packs/our-cn"]\n')
    write(tmp_path / "deploy" / "m.steer.yaml", violating())
    with cwd(tmp_path / "deploy"):
        code, out, err = run(["config"])
        assert config_lines(out)["packs"] == ('["../packs/our-cn"]', "../.steer.toml:1")
        code, out, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "json"])
    assert (code, err) == (1, "")
    assert json.loads(out)["summary"]["error"] == 4
    write(tmp_path / ".steer.toml", 'packs = ["packs/missing"]\n')
    with cwd(tmp_path / "deploy"):
        code, out, err = run(["check", "m.steer.yaml"])
    assert code == 2 and "no such guardrail pack '../packs/missing'" in err
