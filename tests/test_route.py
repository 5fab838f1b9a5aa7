"""route.json: what the browser plans a reader's route from carries exactly what the static
paths' rules read (the browser test tests/browser/test_routes.py runs the planner itself)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readingmap.catalogue.load import load_catalogue
from readingmap.catalogue.model import LEVELS, NOT_READINGS
from readingmap.graph import KIND_ORDER, Graph
from readingmap.render.index_pages import maths_families
from readingmap.render.route import ROUTE_VERSION, route_data, route_json

REPO = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def graph() -> Graph:
    return Graph(load_catalogue(REPO / "data"))


def test_nodes_come_in_the_graphs_reading_order_with_what_pick_reads(graph: Graph) -> None:
    cat = graph.catalogue
    data = route_data(cat, graph, maths_families(cat, graph))
    assert data["version"] == ROUTE_VERSION
    ids = [n[0] for n in data["nodes"]]
    assert ids == graph.order(cat.nodes)
    for ident, kind, name, requires, start_here, href in data["nodes"]:
        node = cat.nodes[ident]
        assert (kind, name, requires, start_here) == (node.kind, node.name, list(node.requires), list(node.start_here))
        assert href == f"{'maths' if kind == 'maths' else 'topics'}/{ident}/"
    assert data["levels"] == list(LEVELS) and data["kinds"] == list(KIND_ORDER)
    assert data["not_readings"] == sorted(NOT_READINGS)


def test_every_resource_and_result_is_there_once(graph: Graph) -> None:
    cat = graph.catalogue
    data = route_data(cat, graph, maths_families(cat, graph))
    rows = {row[0]: row for row in data["resources"]}
    assert len(rows) == len(data["resources"]) == len(cat.resources)
    for r in cat.resources:
        assert rows[r.id] == [r.id, r.title, r.kind, r.level, r.year, list(r.topics), list(r.prerequisites)]
    results = {row[0]: row for row in data["results"]}
    assert set(results) == {r.id for r in cat.results}
    for r in cat.results:
        assert results[r.id][2:] == [list(r.topics), list(r.maths), [g.resource for g in r.read], f"results/{r.id}/"]


def test_families_are_the_home_matrix_groups_and_cover_every_area(graph: Graph) -> None:
    cat = graph.catalogue
    families = maths_families(cat, graph)
    data = json.loads(route_json(cat, graph, families))
    assert data["families"] == [[name, [m.id for m in areas]] for name, areas in families]
    listed = [m for _, areas in data["families"] for m in areas]
    assert sorted(listed) == sorted(m.id for m in cat.maths)


def test_every_maths_area_says_what_knowing_it_means(graph: Graph) -> None:
    for area in graph.catalogue.maths:
        assert 3 <= len(area.can_do) <= 5, area.id
