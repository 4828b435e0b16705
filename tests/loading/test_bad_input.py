"""Bad input: every mistake in a manifest comes back through the real CLI as one
``file:line:col: json.path: what is wrong; expected ...`` line and exit code 2, with
the exact position, a useful expectation and never a Python traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from steer.cli import main

AS_OF = "2027-01-01"


@dataclass(frozen=True)
class Case:
    id: str
    content: str | bytes
    line: int
    column: int
    expected: tuple[str, ...]  # fragments of the first error line, after file:line:col


def write(folder: Path, content: str | bytes, name: str = "m.yaml") -> Path:
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def run_check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--as-of", AS_OF])
    out, err = capsys.readouterr()
    return code, out, err


def assert_located(code: int, out: str, err: str, where: str, expected: tuple[str, ...]) -> str:
    """Exit 2, no traceback, the first line of stderr starts at ``where`` and says it all."""
    assert code == 2, (out, err)
    assert "Traceback" not in out + err
    assert "internal error" not in err
    assert out == ""  # nothing is checked, so nothing is reported
    first = err.splitlines()[0]
    assert first.startswith(f"{where}: "), err
    for fragment in expected:
        assert fragment in first, f"{fragment!r} not in {first!r}"
    return first


# A small valid manifest the semantic cases are written against (line numbers matter).
HEAD = """\
version: 1
name: bad-input
programme:
  go_live: 2027-03-01
"""

CASES = [
    # -- reading and YAML syntax ---------------------------------------------------
    Case(
        "duplicate-top-level-key",
        "version: 1\nname: a\nversion: 1\n",
        3,
        1,
        ("duplicate key 'version'", "first defined at line 1", "expected each key once"),
    ),
    Case(
        "duplicate-nested-key",
        HEAD + "components:\n  db:\n    kind: datastore\n    kind: service\n",
        8,
        5,
        ("duplicate key 'kind'", "first defined at line 7", "expected"),
    ),
    Case(
        "duplicate-component-id",
        HEAD + "components:\n  db:\n    kind: datastore\n  web:\n    kind: service\n"
        "  db:\n    kind: service\n",
        10,
        3,
        ("duplicate key 'db'", "first defined at line 6"),
    ),
    Case(
        "unsafe-tag-apply",
        'version: 1\nname: !!python/object/apply:os.system ["echo pwned"]\n',
        2,
        7,
        ("unsupported tag '!!python/object/apply:os.system'", "expected plain YAML data"),
    ),
    Case(
        "unsafe-tag-name",
        "version: 1\nname: a\ndescription: !!python/name:os.system\n",
        3,
        14,
        ("unsupported tag '!!python/name:os.system'", "expected plain YAML data"),
    ),
    Case(
        "custom-tag",
        "version: 1\nname: a\ncomponents:\n  db: !foo\n    kind: datastore\n",
        4,
        7,
        ("unsupported tag '!foo'", "expected plain YAML data"),
    ),
    Case(
        "tagged-key",
        "version: 1\nname: a\n!!python/name:os.system : x\n",
        3,
        1,
        ("unsupported tag '!!python/name:os.system'",),
    ),
    Case(
        "invalid-utf8-mid-line-5",
        b"version: 1\nname: a\ncomponents:\n  db:\n    descr\xffiption: x\n",
        5,
        10,
        ("invalid UTF-8 (byte 0xff)", "expected a UTF-8 text file"),
    ),
    Case(
        "invalid-utf8-after-multibyte",  # columns count characters, as editors do
        "version: 1\nname: a\ndescription: 数据\n".encode() + b"x\xc3(\n",
        4,
        2,
        ("invalid UTF-8 (byte 0xc3)",),
    ),
    Case(
        "utf16-with-bom",
        "version: 1\nname: a\n".encode("utf-16"),
        1,
        1,
        ("UTF-16", "expected UTF-8"),
    ),
    Case(
        "utf16-without-bom",
        "version: 1\nname: a\n".encode("utf-16-le"),
        1,
        2,
        ("NUL byte", "expected a UTF-8 YAML file"),
    ),
    Case("empty-file", "", 1, 1, ("file is empty", "expected a YAML mapping")),
    Case(
        "whitespace-and-comments-only",
        "\n   \n# just a comment\n  # another\n\n",
        1,
        1,
        ("file is empty", "expected a YAML mapping"),
    ),
    Case(
        "document-is-a-list",
        "- version: 1\n- name: a\n",
        1,
        1,
        ("(document): got a list", "expected a manifest mapping"),
    ),
    Case(
        "document-is-a-scalar",
        "just some text\n",
        1,
        1,
        ("(document): got a single value ('just some text')", "expected a manifest mapping"),
    ),
    Case(
        "multiple-documents",
        "version: 1\nname: a\n---\nversion: 1\nname: b\n",
        3,
        1,
        ("found a second document", "expected one YAML document"),
    ),
    Case(
        "unclosed-bracket",
        "version: 1\nname: a\ncomponents:\n  db:\n    kind: datastore\n    domains: [a.cn, b.cn\n",
        7,
        1,
        ("YAML syntax", "list opened at line 6, column 14", "expected it to be closed with ']'"),
    ),
    Case(
        "unclosed-brace",
        "version: 1\nname: a\nprogramme: {go_live: 2027-03-01\ncomponents: {}\n",
        4,
        11,
        ("mapping opened at line 3, column 12", "expected it to be closed with '}'"),
    ),
    Case(
        "bad-indentation",
        "version: 1\nname: a\ncomponents:\n  db:\n    kind: datastore\n   web:\n",
        6,
        4,
        (
            "YAML syntax: bad indentation",
            "expected a 'key: value' line indented like",
            "the mapping that starts at line 4, column 3",
        ),
    ),
    Case(
        "indented-key-continues-a-value",
        "version: 1\nname: a\n  description: x\n",
        3,
        14,
        ("YAML syntax: mapping values are not allowed", "expected one 'key: value' per line"),
    ),
    Case(
        "tab-indentation",
        "version: 1\nname: a\ncomponents:\n  db:\n\tkind: datastore\n",
        5,
        1,
        ("found a tab", "expected spaces"),
    ),
    Case(
        "unclosed-quote",
        "version: 1\nname: 'a\ndescription: x\n",
        4,
        1,
        ("quoted text that starts at line 2, column 7", "expected a closing quote"),
    ),
    Case(
        "undefined-alias",
        "version: 1\nname: a\ndescription: *nowhere\n",
        3,
        14,
        ("undefined alias", "expected an anchor (&name) defined before"),
    ),
    Case(
        "recursive-alias",
        "version: 1\nname: a\nlabels: &loop\n  again: *loop\n",
        3,
        9,
        ("recursive alias", "expected plain data"),
    ),
    Case(
        "recursive-alias-in-list",
        "version: 1\nname: a\nlabels:\n  x: &l [a, *l]\n",
        4,
        6,
        ("recursive alias",),
    ),
    Case(
        "nesting-too-deep-flow",  # the 102nd collection from the root crosses the limit
        "version: 1\nname: a\nlabels: " + "[" * 150 + "]" * 150 + "\n",
        3,
        8 + 101,
        ("nesting deeper than 100 levels", "expected a manifest"),
    ),
    Case(
        "nesting-too-deep-block",
        "version: 1\nname: a\nlabels:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(150)),
        104,
        102,
        ("nesting deeper than 100 levels",),  # k100's mapping, the 102nd
    ),
    # -- version and top-level shape ----------------------------------------------
    Case(
        "missing-version",
        "name: a\ncomponents: {}\n",
        1,
        1,
        ("missing required field 'version'", "expected 'version: 1'"),
    ),
    Case(
        "version-2",
        "name: a\nversion: 2\n",
        2,
        10,
        ("version: steer does not read format version 2", "expected 1"),
    ),
    Case(
        "version-as-text",
        "version: '1'\nname: a\n",
        1,
        10,
        ("version: got the text '1'", "expected 1"),
    ),
    Case(
        "unknown-top-level-field",
        "version: 1\nname: a\ncomponnets: {}\n",
        3,
        1,
        (
            "componnets: unknown field 'componnets'",
            "did you mean 'components'?",
            "Expected one of: approvals, components",
        ),
    ),
    Case(
        "unknown-nested-field",
        HEAD + "components:\n  db:\n    kind: datastore\n    locaton: {jurisdiction: CN}\n",
        8,
        5,
        ("components.db.locaton: unknown field 'locaton'", "did you mean 'location'?"),
    ),
    Case(
        "unknown-field-without-guess",
        HEAD + "components:\n  db:\n    kind: datastore\n    colour: red\n",
        8,
        5,
        ("components.db.colour: unknown field 'colour'; expected one of: approvals",),
    ),
    # -- closed vocabularies -------------------------------------------------------
    Case(
        "misspelt-data-category",
        HEAD + "components:\n  db:\n    kind: datastore\n    data:\n"
        "      - {category: personel, subjects: CN}\n",
        9,
        10,
        (
            "components.db.data[0].category: unknown data category 'personel'",
            "did you mean 'personal'?",
            "Expected one of: aggregated",
        ),
    ),
    Case(
        "misspelt-flow-data-category",
        HEAD + "components:\n  a: {kind: service}\n  b: {kind: service}\n"
        "flows:\n  f: {from: a, to: b, data: [telematic]}\n",
        9,
        30,
        ("flows.f.data[0]: unknown data category 'telematic'", "did you mean 'telematics'?"),
    ),
    Case(
        "misspelt-component-kind",
        HEAD + "components:\n  db:\n    kind: datastor\n",
        7,
        5,
        (
            "components.db.kind: unknown component kind 'datastor'",
            "did you mean 'datastore'?",
            "Expected one of: datastore, service",
        ),
    ),
    Case(
        "bad-approval-status",
        HEAD + "approvals:\n  icp:\n    type: icp-filing\n    status: aproved\n",
        8,
        5,
        (
            "approvals.icp.status: unknown approval status 'aproved'",
            "did you mean 'approved'?",
            "planned, submitted",
        ),
    ),
    Case(
        "bad-approval-type",
        HEAD + "approvals:\n  icp:\n    type: icp-licence-filing\n    status: approved\n",
        7,
        5,
        (
            "approvals.icp.type: unknown approval type 'icp-licence-filing'",
            "did you mean 'icp-licence'?",
            "Expected one of: cac-security-assessment",
        ),
    ),
    Case(
        "bad-mechanism",
        HEAD + "components:\n  a: {kind: service}\n  b: {kind: service}\n"
        "flows:\n  f:\n    from: a\n    to: b\n    mechanism: rest\n",
        12,
        5,
        (
            "flows.f.mechanism: unknown flow mechanism 'rest'",
            "expected one of: api, batch, stream, replication, backup, manual",
        ),
    ),
    Case(
        "bad-coordinate-system",
        HEAD + "components:\n  app:\n    kind: service\n    maps: {provider: amap, "
        "coordinate_system: WGS84}\n",
        8,
        28,
        (
            "components.app.maps.coordinate_system: unknown coordinate system 'WGS84'",
            "did you mean 'WGS-84'?",
            "WGS-84, GCJ-02, BD-09",
        ),
    ),
    # -- wrong types ---------------------------------------------------------------
    Case(
        "records-not-a-number",
        HEAD + "components:\n  db:\n    kind: datastore\n    data:\n"
        "      - category: personal\n        records: many\n",
        10,
        9,
        ("components.db.data[0].records: expected an integer, got 'many'",),
    ),
    Case(
        "internet-facing-quoted-yes",
        HEAD + 'components:\n  web:\n    kind: service\n    internet_facing: "yes"\n',
        8,
        5,
        ("components.web.internet_facing: expected true or false, got 'yes'", "without quotes"),
    ),
    Case(
        "jurisdiction-unquoted-no",
        HEAD + "components:\n  oslo:\n    kind: external\n    location:\n      jurisdiction: NO\n",
        9,
        7,
        (
            "components.oslo.location.jurisdiction: expected a string, got false",
            "YAML reads an unquoted NO as a boolean",
            "'NO' in quotes",
        ),
    ),
    Case(
        "components-as-list",
        HEAD + "components:\n  - db\n",
        5,
        1,
        ("components: expected a mapping, got a list",),
    ),
    # -- ids and dates -------------------------------------------------------------
    Case(
        "id-uppercase",
        HEAD + "components:\n  OwnerDB:\n    kind: datastore\n",
        6,
        3,
        (
            "components.OwnerDB: 'OwnerDB' is not a valid component id",
            "expected lowercase letters, digits",
        ),
    ),
    Case(
        "id-with-space",
        HEAD + "flows:\n  crm sync:\n    from: a\n    to: b\n",
        6,
        3,
        ("flows.crm sync: 'crm sync' is not a valid flow id", "expected lowercase"),
    ),
    Case(
        "name-not-an-id",
        "version: 1\nname: China Platform\n",
        2,
        1,
        ("name: 'China Platform' is not a valid id", "expected lowercase"),
    ),
    Case(
        "date-does-not-exist",
        "version: 1\nname: a\nprogramme:\n  go_live: 2027-02-30\n",
        4,
        12,
        (
            "programme.go_live: '2027-02-30' is not a real date",
            "expected a calendar date as YYYY-MM-DD",
        ),
    ),
    Case(
        "date-with-slashes",
        "version: 1\nname: a\nprogramme:\n  go_live: 2027/03/01\n",
        4,
        3,
        ("programme.go_live: '2027/03/01' is not a date; expected YYYY-MM-DD",),
    ),
    Case(
        "approval-expiry-does-not-exist",
        HEAD + "approvals:\n  pipia:\n    type: pipia\n    status: approved\n"
        "    expires: 2027-04-31\n",
        9,
        14,
        ("approvals.pipia.expires: '2027-04-31' is not a real date",),
    ),
    # -- references ----------------------------------------------------------------
    Case(
        "unknown-flow-endpoint",
        HEAD + "components:\n  owner-db: {kind: datastore}\n  crm-api: {kind: service}\n"
        "flows:\n  sync:\n    from: owner-db\n    to: crm-apj\n",
        11,
        9,
        (
            "flows.sync.to: unknown component 'crm-apj'",
            "did you mean 'crm-api'?",
            "Expected the id of a declared component",
        ),
    ),
    Case(
        "unknown-flow-source-no-guess",
        HEAD + "components:\n  owner-db: {kind: datastore}\n"
        "flows:\n  sync:\n    from: warehouse\n    to: owner-db\n",
        9,
        11,
        (
            "flows.sync.from: unknown component 'warehouse'",
            "expected the id of a declared component",
        ),
    ),
    Case(
        "unknown-approval-in-component",
        HEAD + "components:\n  web:\n    kind: service\n    approvals: [icp-web, psb-wbe]\n"
        "approvals:\n  icp-web: {type: icp-filing, status: approved}\n"
        "  psb-web: {type: psb-filing, status: planned}\n",
        8,
        26,
        ("components.web.approvals[1]: unknown approval 'psb-wbe'", "did you mean 'psb-web'?"),
    ),
    Case(
        "unknown-approval-none-declared",
        HEAD + "components:\n  web:\n    kind: service\n    approvals:\n      - icp-web\n",
        9,
        9,
        (
            "components.web.approvals[0]: unknown approval 'icp-web'",
            "expected the id of a declared approval, but none is declared",
        ),
    ),
    Case(
        "unknown-approval-in-flow",
        HEAD + "components:\n  a: {kind: service}\n  b: {kind: external}\n"
        "approvals:\n  cac-assessment: {type: cac-security-assessment, status: approved}\n"
        "flows:\n  export:\n    from: a\n    to: b\n    approvals: [cac-assesment]\n",
        14,
        17,
        (
            "flows.export.approvals[0]: unknown approval 'cac-assesment'",
            "did you mean 'cac-assessment'?",
        ),
    ),
    Case(
        "unknown-approval-recipient",
        HEAD + "components:\n  crm: {kind: external}\n"
        "approvals:\n  sc:\n    type: standard-contract\n    status: approved\n"
        "    recipients: [crn]\n",
        11,
        18,
        ("approvals.sc.recipients[0]: unknown component 'crn'", "did you mean 'crm'?"),
    ),
    Case(
        "unknown-depends-on",
        HEAD + "components:\n  web:\n    kind: service\n    depends_on: [maps-api]\n"
        "  map-api: {kind: external}\n",
        8,
        18,
        ("components.web.depends_on[0]: unknown component 'maps-api'", "did you mean 'map-api'?"),
    ),
    Case(
        "depends-on-itself",
        HEAD + "components:\n  web:\n    kind: service\n    depends_on: [db, web]\n"
        "  db: {kind: datastore}\n",
        8,
        22,
        (
            "components.web.depends_on[1]: 'web' is the component itself",
            "expected the id of another component",
        ),
    ),
    Case(
        "flow-to-itself",
        HEAD + "components:\n  db: {kind: datastore}\nflows:\n  loop:\n    from: db\n    to: db\n",
        10,
        9,
        ("flows.loop.to: 'db' is also the flow's source", "expected another component"),
    ),
    # -- waivers -------------------------------------------------------------------
    Case(
        "waiver-unknown-rule",
        HEAD + "waivers:\n  - rule: CN-DS-0001\n    reason: pilot\n    owner: arch\n"
        "    expires: 2027-06-30\n",
        6,
        11,
        (
            "waivers[0].rule: no guardrail 'CN-DS-0001' in the packs",
            "did you mean 'CN-DS-00",
            "Expected the id of a guardrail",
        ),
    ),
    Case(
        "waiver-rule-not-an-id",
        HEAD + "waivers:\n  - rule: data residency\n    reason: pilot\n    owner: arch\n"
        "    expires: 2027-06-30\n",
        6,
        5,
        (
            "waivers[0].rule: 'data residency' is not a guardrail id",
            "expected a form like CN-DS-001",
        ),
    ),
    Case(
        "waiver-missing-expiry",
        HEAD + "waivers:\n  - rule: CN-DS-001\n    reason: pilot\n    owner: arch\n",
        6,
        5,
        ("waivers[0]: missing required field 'expires'", "expected expires: a date"),
    ),
    # -- policy --------------------------------------------------------------------
    Case(
        "unknown-policy-parameter",
        HEAD + "policy:\n  parameters:\n    approved_cloud: [alibaba-cloud/*]\n",
        7,
        5,
        (
            "policy.parameters.approved_cloud: unknown parameter 'approved_cloud'",
            "did you mean 'approved_clouds'?",
        ),
    ),
    Case(
        "policy-parameter-wrong-type",
        HEAD + "policy:\n  parameters:\n    psb_filing_days: thirty\n",
        7,
        22,
        ("policy.parameters.psb_filing_days: got 'thirty'", "expected an integer"),
    ),
    Case(
        "policy-parameter-wrong-item-type",
        HEAD + "policy:\n  parameters:\n    approved_clouds: alibaba-cloud/*\n",
        7,
        22,
        ("policy.parameters.approved_clouds: got 'alibaba-cloud/*'", "expected a list of strings"),
    ),
    Case(
        "unknown-regime",
        HEAD + "policy:\n  regime: cn-2025\n",
        6,
        11,
        ("policy.regime: unknown regime 'cn-2025'", "expected one of: auto, cn-2022, cn-2024"),
    ),
    Case(
        "unknown-pack-name",
        HEAD + "policy:\n  packs: [cn, cm]\n",
        6,
        15,
        ("policy.packs[1]: no such guardrail pack 'cm'", "expected a built-in pack (cn)"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_manifest(
    case: Case,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, case.content)
    code, out, err = run_check(capsys, "m.yaml")
    assert_located(code, out, err, f"m.yaml:{case.line}:{case.column}", case.expected)
    assert len(err.splitlines()) == 1, err  # one error, one line


def test_unsafe_tag_is_never_executed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    marker = tmp_path / "pwned"
    write(tmp_path, f"version: 1\nname: !!python/object/apply:os.system ['touch {marker}']\n")
    code, out, err = run_check(capsys, "m.yaml")
    assert_located(code, out, err, "m.yaml:2:7", ("unsupported tag",))
    assert not marker.exists()


def test_alias_bomb_is_refused_before_expanding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    lines = [
        "version: 1",
        "name: a",
        "labels:",
        '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    previous = "a"
    for name in "bcdefghi":  # 9**9 strings once expanded
        lines.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    write(tmp_path, "\n".join(lines) + "\n")
    code, out, err = run_check(capsys, "m.yaml")
    # the expansion is counted, never carried out (9**9 strings would not fit in memory):
    # &e stands for 66,430 nodes: its first alias (in line 9) crosses the limit, and
    # the error points at the anchor, since an alias leaves no node of its own
    first = assert_located(code, out, err, "m.yaml:8:6", ("alias bomb", "expected plain data"))
    assert "100,000 nodes" in first


def test_several_schema_errors_best_first_then_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(
        tmp_path,
        "version: 1\n"
        "name: a\n"
        "componnets: {}\n"  # line 3: shallowest, the most relevant
        "components:\n"
        "  db:\n"
        "    kind: datastor\n"  # line 6
        "    internet_facing: 'yes'\n"  # line 7
        "    retention_days: 0\n",  # line 8
    )
    code, out, err = run_check(capsys, "m.yaml")
    assert_located(code, out, err, "m.yaml:3:1", ("unknown field 'componnets'",))
    lines = err.splitlines()
    assert [line.split(": ", 1)[0] for line in lines[:-1]] == [
        "m.yaml:3:1",
        "m.yaml:6:5",
        "m.yaml:7:5",
        "m.yaml:8:5",
    ]
    assert "unknown component kind 'datastor'" in lines[1]
    assert "expected a number of at least 1, got 0" in lines[3]
    assert lines[-1] == (
        "m.yaml: 4 schema errors (the first is the most relevant; 3 more follow it)"
    )


def test_many_schema_errors_say_how_many_are_not_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    body = "".join(f"  c{i}: {{kind: nope}}\n" for i in range(30))
    write(tmp_path, "version: 1\nname: a\ncomponents:\n" + body)
    code, out, err = run_check(capsys, "m.yaml")
    assert_located(code, out, err, "m.yaml:4:8", ("components.c0.kind: unknown component kind",))
    lines = err.splitlines()
    assert len(lines) == 21  # 20 errors shown, then the count
    assert lines[-1] == (
        "m.yaml: 30 schema errors "
        "(the first is the most relevant; 29 more follow it, 10 of them not shown)"
    )


def test_missing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run_check(capsys, "nowhere.yaml")
    assert code == 2
    assert out == "" and "Traceback" not in err
    assert err == "nowhere.yaml: no such file; expected the path of a YAML file\n"


def test_directory_as_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "manifests.yaml").mkdir()  # a folder with no manifest in it
    code, out, err = run_check(capsys, "manifests.yaml")
    assert code == 2
    assert out == "" and "Traceback" not in err and "internal error" not in err
    assert len(err.splitlines()) == 1
    assert "manifests.yaml" in err


def test_second_manifest_bad_stops_with_its_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "version: 1\nname: good\n", "good.yaml")
    write(tmp_path, "version: 1\nname: bad\nname: again\n", "bad.yaml")
    code, out, err = run_check(capsys, "good.yaml", "bad.yaml")
    assert code == 2
    assert "Traceback" not in out + err
    assert err.startswith("bad.yaml:3:1: duplicate key 'name'"), err


# -- the real console script, in a fresh process -----------------------------------------
def _steer() -> list[str]:
    script = shutil.which("steer")
    if script is not None:
        return [script]
    return [sys.executable, "-c", "import sys; from steer.cli import main; sys.exit(main())"]


def run_script(tmp_path: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*_steer(), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


SCRIPT_CASES = {
    "unsafe-tag": (b"version: 1\nname: !!python/name:os.system\n", "m.yaml:2:7", "unsupported tag"),
    "invalid-utf8": (b"version: 1\nname: a\n\n\nd: x\xfe\n", "m.yaml:5:5", "invalid UTF-8"),
    "duplicate-key": (b"version: 1\nname: a\nname: b\n", "m.yaml:3:1", "duplicate key 'name'"),
    "unknown-category": (
        b"version: 1\nname: a\ncomponents:\n  db:\n    kind: datastore\n"
        b"    data: [{category: personel}]\n",
        "m.yaml:6:13",
        "did you mean 'personal'?",
    ),
}


@pytest.mark.parametrize("name", sorted(SCRIPT_CASES))
def test_console_script_reports_cleanly(name: str, tmp_path: Path) -> None:
    content, where, fragment = SCRIPT_CASES[name]
    write(tmp_path, content)
    done = run_script(tmp_path, "check", "m.yaml", "--as-of", AS_OF)
    assert done.returncode == 2, done
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith(f"{where}: "), done.stderr
    assert fragment in done.stderr


def test_console_script_missing_file(tmp_path: Path) -> None:
    done = run_script(tmp_path, "check", "missing.yaml")
    assert done.returncode == 2
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == "missing.yaml: no such file; expected the path of a YAML file\n"


DEEP = {  # name: (text, where the 102nd nested collection starts)
    "brackets": ("[" * 100_000, "m.yaml:1:102"),
    "braces": ("version: 1\nname: a\nlabels: " + "{a: " * 100_000, "m.yaml:3:409"),
    "dashes": ("version: 1\nname: a\nlabels:\n  " + "- " * 100_000 + "x\n", "m.yaml:4:203"),
    "complex-keys": ("? " * 100_000 + "x\n", "m.yaml:1:203"),
    "indentation": ("".join(" " * i + "-\n" for i in range(1_000)), "m.yaml:102:102"),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_never_crashes_the_interpreter(name: str, tmp_path: Path) -> None:
    text, where = DEEP[name]
    write(tmp_path, text)
    done = run_script(tmp_path, "check", "m.yaml", "--as-of", AS_OF)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])  # not -11 (SIGSEGV)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr.startswith(f"{where}: nesting deeper than 100 levels"), done.stderr
