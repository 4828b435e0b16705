"""Mermaid node ids are one to one: ``a.b``, ``a-b`` and ``a_b`` are three nodes with
their own edges (they once collapsed into one and drew a wrong diagram), in ``steer
graph --format mermaid`` and in the failing-paths diagram of the Markdown report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steer.reporters.markdown_text import node_id
from steer.vocab import ID_PATTERN
from support import AS_OF, run

MANIFEST = """\
version: 1
name: ids
organisation: {ciio: false, pi_subjects: 150000}
programme: {go_live: 2027-06-01}
components:
  src:
    kind: datastore
    location: {provider: alibaba-cloud, region: cn-shanghai}
    data:
      - {category: personal, subjects: CN, records: 150000}
  a.b:
    kind: external
    location: {jurisdiction: US}
  a-b:
    kind: external
    location: {jurisdiction: DE}
  a_b:
    kind: service
    location: {provider: alibaba-cloud, region: cn-shanghai}
flows:
  to-dot: {from: src, to: a.b, data: [personal], records_per_year: 150000, mechanism: api}
  to-dash: {from: src, to: a-b, data: [personal], records_per_year: 150000, mechanism: api}
  to-under: {from: src, to: a_b, data: [personal], mechanism: api}
"""
IDS = st.from_regex(ID_PATTERN, fullmatch=True)
MERMAID_ID = re.compile(r"[A-Za-z0-9_]+")


@given(IDS, IDS)
def test_node_ids_are_one_to_one(a: str, b: str) -> None:
    assert MERMAID_ID.fullmatch(node_id(a))
    assert (node_id(a) == node_id(b)) == (a == b)


@given(st.text(min_size=1), st.text(min_size=1))
def test_node_ids_are_one_to_one_for_any_text(a: str, b: str) -> None:
    assert MERMAID_ID.fullmatch(node_id(a))
    assert (node_id(a) == node_id(b)) == (a == b)


def test_the_three_ids_that_collapsed() -> None:
    ids = {node_id(x) for x in ("a.b", "a-b", "a_b")}
    assert len(ids) == 3
    assert node_id("owner-db") == "n_owner_db"  # the common case stays readable


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "ids.yaml"
    path.write_text(MANIFEST, encoding="utf-8")
    return path


def _nodes_and_edges(lines: list[str]) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """Node id -> the component its label names; edges as (source id, target id)."""
    nodes: dict[str, str] = {}
    edges: set[tuple[str, str]] = set()
    for line in lines:
        node = re.match(r'\s*(n_\w+)[\[\(]+"([^"<]+)', line)
        if node:
            assert node.group(1) not in nodes, f"node {node.group(1)} declared twice"
            nodes[node.group(1)] = node.group(2)
        edge = re.match(r"\s*(n_\w+) (?:-->|==>|-\.->)(?:\|[^|]*\|)? (n_\w+)$", line)
        if edge:
            edges.add((edge.group(1), edge.group(2)))
    return nodes, edges


def test_graph_draws_three_nodes_and_their_edges(manifest: Path) -> None:
    code, out, err = run(["graph", str(manifest), "--format", "mermaid", "--as-of", AS_OF])
    assert code == 0, err
    nodes, edges = _nodes_and_edges(out.splitlines())
    by_name = {name: nid for nid, name in nodes.items()}
    assert set(by_name) == {"src", "a.b", "a-b", "a_b"}
    assert edges == {(by_name["src"], by_name[x]) for x in ("a.b", "a-b", "a_b")}


def test_markdown_failing_paths_keep_the_nodes_apart(manifest: Path) -> None:
    code, out, err = run(["check", str(manifest), "--format", "markdown", "--as-of", AS_OF])
    assert code == 1, err
    diagram = out.split("```mermaid", 1)[1].split("```", 1)[0].splitlines()
    nodes, edges = _nodes_and_edges(diagram)
    by_name = {name: nid for nid, name in nodes.items()}
    # the two crossings (to a.b in the US, to a-b in Germany) are two failing paths
    assert {"src", "a.b", "a-b"} <= set(by_name)
    assert {(by_name["src"], by_name["a.b"]), (by_name["src"], by_name["a-b"])} <= edges
