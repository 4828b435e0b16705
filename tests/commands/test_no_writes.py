"""steer writes only its reports: no writer (--output, --format FMT:FILE, the
configuration's output and format, --write-baseline, GITHUB_STEP_SUMMARY, and the
--output of whatif, transfers, graph, import terraform, init) may replace a file the
run reads: its configuration, a pack file (the built-in packs' too), a baseline,
a scenario, a Terraform plan, or a manifest. Each refusal is exit 2, names the
writer and what the file is to the run, and leaves the file as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steer.commands.output import Inputs, write_atomic
from steer.errors import UsageError
from steer.packs.loader import builtin_root
from support import AS_OF, ROOT, clean, cwd, run

REFUSED = "is an input of this run"
NEVER = "steer never writes to its inputs"
PLAN = ROOT / "examples" / "terraform" / "plan.json"


def _project(tmp_path: Path, config: str = "") -> Path:
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(f"[tool.steer]\n{config}", encoding="utf-8")
    return tmp_path


def _unchanged(snapshot: dict[Path, bytes]) -> None:
    for path, content in snapshot.items():
        assert path.read_bytes() == content, f"{path} was written to"


def _snap(*paths: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in paths}


@pytest.mark.parametrize(
    "flags, writer",
    [
        (["--output", "pyproject.toml"], "--output pyproject.toml"),
        (["--format", "sarif:pyproject.toml"], "--format sarif:pyproject.toml"),
        (["--write-baseline", "pyproject.toml"], "--write-baseline pyproject.toml"),
    ],
)
def test_check_refuses_the_configuration(tmp_path: Path, flags: list[str], writer: str) -> None:
    _project(tmp_path, 'fail_on = "error"\n')
    before = _snap(tmp_path / "pyproject.toml", tmp_path / "m.steer.yaml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, *flags])
    assert code == 2
    assert err == f"steer: {writer} {REFUSED} (the configuration); {NEVER}\n"
    _unchanged(before)


def test_check_refuses_dot_steer_toml_and_config_flag(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    (tmp_path / ".steer.toml").write_text('fail_on = "error"\n', encoding="utf-8")
    (tmp_path / "other.toml").write_text('fail_on = "error"\n', encoding="utf-8")
    before = _snap(tmp_path / ".steer.toml", tmp_path / "other.toml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--output", ".steer.toml"])
        assert code == 2 and f"--output .steer.toml {REFUSED} (the configuration)" in err
        code, _, err = run(
            ["check", "m.steer.yaml", "--config", "other.toml", "--output", "other.toml"]
        )
        assert code == 2 and f"--output other.toml {REFUSED} (the configuration)" in err
    _unchanged(before)


def test_the_configured_output_is_blamed_on_its_line(tmp_path: Path) -> None:
    _project(tmp_path, 'fail_on = "error"\noutput = "pyproject.toml"\n')
    before = _snap(tmp_path / "pyproject.toml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF])
    assert code == 2
    assert (
        err == f"pyproject.toml:3:1: output pyproject.toml {REFUSED} (the configuration); {NEVER}\n"
    )
    _unchanged(before)


def test_the_configured_format_file_is_blamed_on_its_line(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    (tmp_path / ".steer.toml").write_text('format = ["table", "json:m.steer.yaml"]\n', "utf-8")
    before = _snap(tmp_path / "m.steer.yaml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF])
    assert code == 2
    assert err == f".steer.toml:1:1: format json:m.steer.yaml {REFUSED} (a manifest); {NEVER}\n"
    _unchanged(before)


def test_a_pyproject_beside_the_configuration_is_refused_too(tmp_path: Path) -> None:
    """.steer.toml wins over pyproject.toml, but a report never replaces either."""
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    (tmp_path / ".steer.toml").write_text('output = "pyproject.toml"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    before = _snap(tmp_path / "pyproject.toml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF])
    assert code == 2 and f"output pyproject.toml {REFUSED} (a configuration file)" in err
    _unchanged(before)


def test_check_refuses_the_built_in_packs(tmp_path: Path) -> None:
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    pack = builtin_root() / "cn" / "pack.yaml"
    before = _snap(pack)
    for flags in (["--output", str(pack)], ["--write-baseline", str(pack)]):
        with cwd(tmp_path):
            code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--no-config", *flags])
        assert code == 2 and f"{REFUSED} (a pack file)" in err, err
    _unchanged(before)


def _user_pack(tmp_path: Path) -> Path:
    pack = tmp_path / "mypack"
    shutil.copytree(builtin_root() / "cn", pack, ignore=shutil.ignore_patterns("fixtures"))
    return pack


def test_check_refuses_a_file_inside_a_pack_folder(tmp_path: Path) -> None:
    pack = _user_pack(tmp_path)
    (tmp_path / "m.steer.yaml").write_text(clean(), encoding="utf-8")
    rule = sorted((pack / "rules").glob("*.yaml"))[0]
    before = _snap(rule, pack / "pack.yaml")
    with cwd(tmp_path):
        for target in (rule, pack / "pack.yaml", pack / "rules" / "new.yaml"):
            code, _, err = run(
                ["check", "m.steer.yaml", "--pack", "mypack", "--as-of", AS_OF, "--no-config",
                 "--output", str(target)]
            )  # fmt: skip
            assert code == 2 and f"{REFUSED} (a pack file)" in err, err
    assert not (pack / "rules" / "new.yaml").exists()
    _unchanged(before)


def test_a_pack_the_manifest_names_is_refused_when_writing(tmp_path: Path) -> None:
    """The manifest's own policy.packs is known only once it is loaded."""
    pack = _user_pack(tmp_path)
    text = clean().replace("packs: [cn]", "packs: [./mypack]")
    assert text != clean()
    (tmp_path / "m.steer.yaml").write_text(text, encoding="utf-8")
    before = _snap(pack / "pack.yaml")
    with cwd(tmp_path):
        code, _, err = run(
            [
                "check",
                "m.steer.yaml",
                "--as-of",
                AS_OF,
                "--no-config",
                "--output",
                "mypack/pack.yaml",
            ]
        )
    assert code == 2 and f"--output mypack/pack.yaml {REFUSED} (a pack file)" in err, err
    _unchanged(before)


def test_step_summary_refuses_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _project(tmp_path, 'fail_on = "error"\n')
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "m.steer.yaml"))
    before = _snap(tmp_path / "m.steer.yaml")
    with cwd(tmp_path):
        code, _, err = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--format", "github"])
    assert code == 2
    assert f"GITHUB_STEP_SUMMARY {tmp_path / 'm.steer.yaml'} {REFUSED} (a manifest)" in err
    _unchanged(before)


def test_write_baseline_may_still_update_the_baseline(tmp_path: Path) -> None:
    _project(tmp_path, 'fail_on = "error"\n')
    with cwd(tmp_path):
        code, _, _ = run(["check", "m.steer.yaml", "--as-of", AS_OF, "--write-baseline", "b.json"])
        assert code == 0
        code, _, err = run(
            ["check", "m.steer.yaml", "--as-of", AS_OF, "--baseline", "b.json",
             "--write-baseline", "b.json"]
        )  # fmt: skip
        assert code == 0, err
        code, _, err = run(
            [
                "check",
                "m.steer.yaml",
                "--as-of",
                AS_OF,
                "--baseline",
                "b.json",
                "--output",
                "b.json",
            ]
        )
        assert code == 2 and f"--output b.json {REFUSED} (the --baseline file)" in err


def test_whatif_transfers_graph_refuse_their_inputs(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "s.yaml").write_text(
        "name: later\nquestion: later?\npatch: {programme: {go_live: 2027-09-01}}\n", "utf-8"
    )
    pack = builtin_root() / "cn" / "taxonomy.yaml"
    before = _snap(tmp_path / "m.steer.yaml", tmp_path / "s.yaml", pack)
    commands = [
        (["whatif", "m.steer.yaml", "s.yaml", "--output", "s.yaml"], "a scenario"),
        (["whatif", "m.steer.yaml", "s.yaml", "--output", "m.steer.yaml"], "the manifest"),
        (["whatif", "m.steer.yaml", "s.yaml", "--output", str(pack)], "a pack file"),
        (
            ["transfers", "m.steer.yaml", "--scenario", "s.yaml", "--output", "s.yaml"],
            "the scenario",
        ),
        (["transfers", "m.steer.yaml", "--output", str(pack)], "a pack file"),
        (["graph", "m.steer.yaml", "--output", "m.steer.yaml"], "the manifest"),
        (["graph", "m.steer.yaml", "--output", str(pack)], "a pack file"),
    ]
    with cwd(tmp_path):
        for argv, what in commands:
            code, _, err = run(argv)
            assert code == 2 and f"{REFUSED} ({what}); {NEVER}" in err, (argv, err)
    _unchanged(before)


def test_import_terraform_refuses_its_plan_even_with_force(tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    shutil.copy(PLAN, plan)
    before = _snap(plan)
    with cwd(tmp_path):
        code, _, err = run(["import", "terraform", "plan.json", "--output", "plan.json", "--force"])
    assert code == 2
    assert err == f"steer: --output plan.json {REFUSED} (a Terraform plan or state); {NEVER}\n"
    _unchanged(before)


def test_init_refuses_the_built_in_packs_even_with_force() -> None:
    pack = builtin_root() / "cn" / "pack.yaml"
    before = _snap(pack)
    code, _, err = run(["init", str(pack), "--force"])
    assert code == 2 and f"{REFUSED} (a pack file)" in err
    _unchanged(before)


def test_hard_links_and_symlinks_to_an_input_are_the_input(tmp_path: Path) -> None:
    manifest = tmp_path / "m.steer.yaml"
    manifest.write_text(clean(), encoding="utf-8")
    (tmp_path / "hard").hardlink_to(manifest)
    (tmp_path / "soft").symlink_to(manifest)
    inputs = Inputs().add(manifest, "a manifest")
    for alias in ("hard", "soft"):
        with pytest.raises(UsageError, match="input of this run"):
            write_atomic(tmp_path / alias, "x", inputs)
    assert manifest.read_text(encoding="utf-8") == clean()


def test_inputs_record() -> None:
    inputs = Inputs().add(Path("a.yaml"), "a manifest").add(None, "nothing")
    assert inputs.what(Path("a.yaml")) == "a manifest"
    assert inputs.what(Path("./a.yaml")) == "a manifest"
    assert inputs.what(Path("b.yaml")) is None
    assert inputs.what(builtin_root() / "cn" / "rules" / "any.yaml") == "a pack file"
    assert inputs.without(Path("a.yaml")).what(Path("a.yaml")) is None
    assert Inputs().add(Path("-"), "stdin").files == []
