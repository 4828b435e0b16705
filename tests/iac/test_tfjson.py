"""Reading `terraform show -json` (steer.loading.tfjson): real plans and states, the
positions of what is in them, and every way a file can be wrong coming back as one
InfraError with file, line and column and a message that says what was expected.
(The CLI turns these errors into exit code 2, as for a manifest.)"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from iacsupport import DATA, EXAMPLE
from steer.errors import InfraError, SteerError
from steer.loading.jsonpos import MAX_DEPTH
from steer.loading.tfjson import parse_tf_json, read_tf_json

REAL = DATA / "real"
GOOD = '{"format_version": "1.2", "planned_values": {"root_module": {}}}'


def offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")
    return sum(len(s) + 1 for s in lines[: line - 1]) + column - 1


# -- real files ------------------------------------------------------------------------
def test_reads_a_real_plan_with_modules_count_and_for_each() -> None:
    doc = read_tf_json(REAL / "plan.json", "plan.json")
    assert (doc.kind, doc.format_version, doc.terraform_version) == ("plan", "1.2", "1.11.4")
    addresses = [r["address"] for _p, r in doc.value_resources(("planned_values",))]
    assert 'terraform_data.each["eu"]' in addresses
    assert "terraform_data.counted[1]" in addresses
    assert "module.child.terraform_data.inner" in addresses
    assert [names for names, _p, _m in doc.config_modules()] == [(), ("child",)]
    assert doc.variables() == {"copies": 2, "region": "cn-shanghai"}


def test_reads_a_real_state_and_a_real_deletion() -> None:
    state = read_tf_json(REAL / "state.json")
    assert (state.kind, state.format_version) == ("state", "1.0")
    assert len(list(state.value_resources(("values",)))) == 6
    plan = read_tf_json(REAL / "plan-delete.json")
    deleted = [c for _p, c in plan.resource_changes() if c["change"]["actions"] == ["delete"]]
    assert [c["address"] for c in deleted] == ["terraform_data.counted[1]"]
    assert plan.data["prior_state"]["format_version"] == "1.0"


def test_every_resource_knows_where_it_is_written() -> None:
    """Terraform prints one long line: the column is the resource object's offset."""
    text = (REAL / "plan.json").read_text("utf-8")
    doc = parse_tf_json(text.encode(), "plan.json")
    items = list(doc.value_resources(("planned_values",))) + list(doc.resource_changes())
    marks = doc.marks([p for p, _r in items])
    for (_path, resource), mark in zip(items, marks, strict=True):
        at = offset(text, mark.line, mark.column)
        assert text[at:].startswith('{"address":' + json.dumps(resource["address"]))


def test_positions_in_an_indented_file() -> None:
    text = (EXAMPLE / "plan.json").read_text("utf-8")
    doc = parse_tf_json(text.encode(), "examples/terraform/plan.json")
    assert str(doc.mark(("format_version",))) == "examples/terraform/plan.json:2:3"
    assert str(doc.value_mark(("format_version",))) == "examples/terraform/plan.json:2:21"
    # a position recorded while parsing (a resource) and one found on demand (inside it)
    path = ("planned_values", "root_module", "resources", 1, "values", "zone_id")
    mark = doc.mark(path)
    assert text.split("\n")[mark.line - 1].strip().startswith('"zone_id": "cn-shanghai-l"')
    first = doc.value_mark(("resource_changes", 0))
    assert text.split("\n")[first.line].strip() == '"address": "alicloud_db_instance.dealer",'


def test_a_utf8_byte_order_mark_is_accepted() -> None:
    doc = parse_tf_json(b"\xef\xbb\xbf" + GOOD.encode(), "bom.json")
    assert doc.kind == "plan"


# -- every way to be wrong ---------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    id: str
    content: bytes
    line: int
    column: int
    expected: tuple[str, ...]


def case(id: str, content: str | bytes, line: int, column: int, *expected: str) -> Case:
    raw = content.encode("utf-8") if isinstance(content, str) else content
    return Case(id, raw, line, column, expected)


EXAMPLE_TEXT = (EXAMPLE / "plan.json").read_text("utf-8")
HALF = EXAMPLE_TEXT[: len(EXAMPLE_TEXT) // 2]
HALF_LINES = HALF.split("\n")

CASES = [
    case("empty", b"", 1, 1, "empty file", "terraform show -json"),
    case("blank", " \n\n  ", 1, 1, "empty file"),
    case(
        "malformed",
        '{"format_version": "1.2",, "x": 1}',
        1,
        26,
        "not valid JSON",
        "key in double quotes",
    ),
    case(
        "missing-comma",
        '{\n  "format_version": "1.2"\n  "planned_values": {}\n}',
        3,
        3,
        "expected ','",
    ),
    case(
        "trailing-comma",
        '{"format_version": "1.2", "x": [1, 2,]}',
        1,
        38,
        "trailing comma before ']'",
    ),
    case("bad-literal", '{"format_version": "1.2", "x": tru}', 1, 32, "expected a JSON value"),
    case("extra-data", GOOD + "\n{}", 2, 1, "more text after the end"),
    case("truncated", HALF, len(HALF_LINES), len(HALF.rstrip().split("\n")[-1]) + 1, "truncated"),
    case("truncated-in-string", '{"format_version": "1.2", "x": "abc', 1, 36, "truncated"),
    case(
        "invalid-utf8",
        b'{"format_version": "1.2",\n "x": "\xff"}',
        2,
        8,
        "invalid UTF-8 (byte 0xff)",
    ),
    case("utf16", b"\xff\xfe" + GOOD.encode("utf-16-le"), 1, 1, "UTF-16", "PowerShell"),
    case(
        "binary-plan", b"PK\x03\x04\x14\x00rest", 1, 1, "binary plan file", "terraform show -json"
    ),
    case("top-level-list", "[1, 2]", 1, 1, "got a list", "terraform show -json"),
    case("no-format-version", '{"planned_values": {}}', 1, 1, "missing 'format_version'"),
    case(
        "raw-state",
        '{"version": 4, "terraform_version": "1.11.4", "serial": 3, "lineage": "x",'
        ' "resources": []}',
        1,
        1,
        "raw state file (state version 4,",
        "terraform show -json",
    ),
    case(
        "plan-log",
        '{"@level":"info","@message":"Terraform 1.11.4","type":"version"}\n'
        '{"@level":"info","@message":"Plan: 1 to add","type":"change_summary"}\n',
        1,
        1,
        "log of `terraform plan -json`",
        "terraform show -json plan.tfplan",
    ),
    case(
        "format-0.2",
        '{"format_version": "0.2", "planned_values": {}}',
        1,
        20,
        "'0.2' is not supported",
        "Terraform 1.1 or later",
    ),
    case("format-2.0", '{\n  "format_version": "2.0"\n}', 2, 21, "'2.0' is not supported", "1.x"),
    case("format-number", '{"format_version": 1.2}', 1, 20, "got the number 1.2", 'such as "1.2"'),
    case("format-words", '{"format_version": "one"}', 1, 20, 'got the string "one"', "MAJOR.MINOR"),
    case(
        "planned-values-list",
        '{"format_version": "1.2", "planned_values": []}',
        1,
        45,
        "planned_values: got a list; expected an object",
    ),
    case(
        "resources-object",
        '{"format_version": "1.2",\n "planned_values": {"root_module": {"resources": {}}}}',
        2,
        50,
        "planned_values.root_module.resources: got an object; expected a list",
    ),
    case(
        "resource-without-address",
        '{"format_version": "1.2", "planned_values": {"root_module": {"resources": [\n'
        '  {"mode": "managed", "type": "aws_s3_bucket", "name": "b",'
        ' "provider_name": "hashicorp/aws"}]}}}',
        2,
        3,
        "resources[0].address: missing; expected a string",
    ),
    case(
        "resource-bad-mode",
        '{"format_version": "1.2", "values": {"root_module": {"resources": [\n'
        '  {"address": "a.b", "mode": "manage", "type": "a", "name": "b",'
        ' "provider_name": "p"}]}}}',
        2,
        30,
        'mode: got the string "manage"; expected "managed" or "data"',
    ),
    case(
        "values-not-object",
        '{"format_version": "1.2", "values": {"root_module": {"resources": [\n'
        '  {"address": "a.b", "mode": "managed", "type": "a", "name": "b", "provider_name": "p",\n'
        '   "values": 5}]}}}',
        3,
        14,
        "resources[0].values: got the number 5; expected an object",
    ),
    case(
        "actions-not-list",
        '{"format_version": "1.2", "resource_changes": [\n'
        '  {"address": "a.b", "mode": "managed", "type": "a", "name": "b", "provider_name": "p",\n'
        '   "change": {"actions": "create"}}]}',
        3,
        26,
        'resource_changes[0].change.actions: got the string "create"; expected a list',
    ),
    case(
        "provider-config-string",
        '{"format_version": "1.2", "configuration": {"provider_config": {\n  "aws": "x"}}}',
        2,
        10,
        'configuration.provider_config.aws: got the string "x"; expected an object',
    ),
    case(
        "child-module-number",
        '{"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [true]}}}',
        1,
        80,
        "child_modules[0]: got true; expected an object",
    ),
    case(
        "duplicate-top",
        '{"format_version": "1.2",\n "format_version": "1.2"}',
        2,
        2,
        'duplicate key "format_version"',
    ),
    case(
        "duplicate-in-resource",
        '{"format_version": "1.2", "values": {"root_module": {"resources": [\n'
        '  {"address": "a.b", "mode": "managed", "type": "a", "name": "b", "provider_name": "p",\n'
        '   "values": {"region": "cn-shanghai", "region": "eu-central-1"}}]}}}',
        3,
        40,
        'duplicate key "region"',
    ),
    case(
        "nan",
        '{"format_version": "1.2", "variables": {"x": {"value": NaN}}}',
        1,
        56,
        "NaN is not JSON",
    ),
    case(
        "deep",
        '{"format_version": "1.2", "variables": {"x": {"value": ' + "[" * 5000 + "]" * 5000 + "}}}",
        1,
        56 + MAX_DEPTH - 3,
        f"nesting deeper than {MAX_DEPTH} levels",
    ),
]


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_located_error(c: Case) -> None:
    with pytest.raises(InfraError) as info:
        parse_tf_json(c.content, "bad.json")
    error = info.value
    assert isinstance(error, SteerError)
    assert error.mark is not None, str(error)
    assert (error.mark.file, error.mark.line, error.mark.column) == (
        "bad.json",
        c.line,
        c.column,
    ), str(error)
    for fragment in c.expected:
        assert fragment in error.message, f"{fragment!r} not in {error.message!r}"
    assert str(error).startswith(f"bad.json:{c.line}:{c.column}: ")
    assert "Traceback" not in str(error)


def test_a_missing_file_and_a_directory(tmp_path: Path) -> None:
    with pytest.raises(
        InfraError, match="no such file; expected the JSON of `terraform show -json`"
    ):
        read_tf_json(tmp_path / "nope.json")
    with pytest.raises(InfraError, match="is a directory"):
        read_tf_json(tmp_path)


def test_modules_nested_too_deep_are_refused_not_a_recursion_error() -> None:
    """The module tree is walked in Python: its depth is bounded like any other."""
    n = 3000
    text = (
        '{"format_version": "1.2", "planned_values": {"root_module": '
        + '{"child_modules": [' * n
        + "{}"
        + "]}" * n
        + "}}"
    )
    with pytest.raises(InfraError, match=f"nesting deeper than {MAX_DEPTH} levels") as info:
        parse_tf_json(text.encode(), "deep.json")
    mark = info.value.mark
    assert mark is not None and mark.line == 1 and text[mark.column - 1] in "{["
    shallow = text.replace('{"child_modules": [' * n, '{"child_modules": [' * 40).replace(
        "]}" * n, "]}" * 40
    )
    assert parse_tf_json(shallow.encode(), "ok.json").kind == "plan"
